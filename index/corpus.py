"""`Corpus`: the engine's one entry point for the CLI and the reader.

A corpus is a folder of articles (only ever read) and its index directory
(written): a Whoosh index and a SQLite catalog. `update()` brings the index in
line with the folder, incrementally; the other methods read.
"""

from __future__ import annotations

import bisect
import re
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from whoosh.query import Or, Prefix, Term

from index import compare as compare_mod
from index import related as related_mod
from index import search as search_mod
from index import store, wirecopy
from index.aliases import name_key
from index.analysis import stems as stems_of
from index.catalog import Catalog
from index.compare import Comparison
from index.corrections import FILE_NAME as CORRECTIONS_FILE
from index.corrections import Correction, CorrectionLog
from index.entities import recognise_articles, resolve_corpus
from index.errors import (
    AmbiguousDocument,
    CorpusError,
    EntityError,
    IndexBusy,
    QueryError,
    StorageError,
    UnknownDocument,
    UnknownEntity,
)
from index.lock import exclusive
from index.model import (
    Article,
    ArticleSummary,
    Entity,
    IngestReport,
    Mention,
    Progress,
    RelatedPassage,
    RelatedResult,
    SearchHit,
    SearchResult,
    Skipped,
)
from index.paths import default_index_dir
from index.scan import FileEntry, scan_corpus
from index.spelling import Vocabulary, counts

CATALOG_NAME = "catalog.sqlite"
WHOOSH_DIR = "whoosh"
LOCK_NAME = "update.lock"

# Files read before the entity model runs over their passages in one stream.
NER_CHUNK_FILES = 16
WIRE_STALE = "wire_copy_stale"
# A correction waits this long for a short job of another thread (wire copy) to end.
CORRECTION_WAIT = 15.0
_ENTITY_FIELD = re.compile(r'\bentity:("[^"]*"|[^\s()]+)')

ProgressCallback = Callable[[Progress], None]


def _word_counts(articles: Iterable[Article]) -> Counter[str]:
    return counts((article.title, article.text) for article in articles)


def _chunks(items: list[FileEntry], size: int) -> Iterator[list[FileEntry]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _entities_within(article: Article, start: int, end: int) -> set[str]:
    return {m.entity for m in article.mentions if start <= m.start < end}


def _entities_by_passage(
    article: Article,
    mentions: list[tuple[int, int, str, str]],
    aliases: dict[str, str],
    hidden: set[str],
) -> dict[int, set[str]]:
    """The (visible) entity ids named in each passage of `article`."""
    by_passage: dict[int, set[str]] = {}
    starts = [passage.start for passage in article.passages]
    for start, _end, text, _label in mentions:
        entity = aliases.get(text)
        if entity is None or entity in hidden:
            continue
        n = bisect.bisect_right(starts, start) - 1
        if n >= 0:
            by_passage.setdefault(article.passages[n].n, set()).add(entity)
    return by_passage


@dataclass
class _Plan:
    """What an update has to do, from a scan and the catalog, before reading any file."""

    to_read: list[FileEntry] = field(default_factory=list)
    to_remove: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)


class Corpus:
    """A folder of articles and its index."""

    def __init__(
        self, root: Path | str, index_dir: Path | str | None = None, entities: bool = True
    ) -> None:
        """Open the corpus at `root` and its index (created if need be).

        `entities=False` skips named-entity recognition (benchmarks of the rest).
        """
        root = Path(root).expanduser()
        if not root.exists():
            raise CorpusError(f"no such folder: {root}")
        if not root.is_dir():
            raise CorpusError(f"not a folder: {root}")
        self.root = root.resolve()
        self.index_dir = Path(index_dir).expanduser() if index_dir else default_index_dir(root)
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(
                f"cannot create the index directory {self.index_dir}: {error.strerror}"
            ) from error
        self._local = threading.local()
        self._generation = 0
        self._indexes: dict[str, Any] = {}
        self._indexes_lock = threading.Lock()
        self._vocabulary: Vocabulary | None = None
        self._aliases: tuple[dict[str, str], dict[str, str]] | None = None
        self.recognise_entities = entities
        self._corrections = CorrectionLog(self.index_dir / CORRECTIONS_FILE)
        self._ensure_schema()

    # -- set-up ---------------------------------------------------------------
    def _ensure_schema(self) -> None:
        """Rebuild from scratch when the index was made by another schema version."""
        catalog = self._catalog()
        version = catalog.get_meta("schema_version")
        whoosh_ok = (self.index_dir / WHOOSH_DIR).is_dir()
        if version == store.SCHEMA_VERSION and whoosh_ok:
            return
        if version is not None or whoosh_ok:
            self.close()
            shutil.rmtree(self.index_dir / WHOOSH_DIR, ignore_errors=True)
            for leftover in self.index_dir.glob(CATALOG_NAME + "*"):
                leftover.unlink()
            catalog = self._catalog()
        for name in (store.ARTICLES, store.PASSAGES):
            self._index(name)
        catalog.set_meta("schema_version", store.SCHEMA_VERSION)
        catalog.set_meta("corpus", str(self.root))

    def _catalog(self) -> Catalog:
        catalog: Catalog | None = getattr(self._local, "catalog", None)
        if catalog is None:
            try:
                catalog = Catalog(self.index_dir / CATALOG_NAME)
            except Exception as error:
                raise StorageError(
                    f"cannot open the catalog in {self.index_dir}: {error}"
                ) from error
            self._local.catalog = catalog
        return catalog

    def _index(self, name: str) -> Any:
        with self._indexes_lock:
            if name not in self._indexes:
                schema = (
                    store.article_schema() if name == store.ARTICLES else store.passage_schema()
                )
                self._indexes[name] = store.open_or_create(
                    self.index_dir / WHOOSH_DIR / name, schema
                )
            return self._indexes[name]

    def _searcher(self, name: str = store.ARTICLES) -> Any:
        """This thread's searcher, refreshed after any commit since it was opened."""
        searchers: dict[str, tuple[int, Any]] = getattr(self._local, "searchers", None) or {}
        generation, searcher = searchers.get(name, (-1, None))
        if searcher is not None and generation != self._generation:
            # Not `searcher.refresh()`: it reuses the old segment readers and misses
            # the deletions of the last commit (stale and duplicate hits).
            searcher.close()
            searcher = None
        if searcher is None:
            searcher = self._index(name).searcher()
        searchers[name] = (self._generation, searcher)
        self._local.searchers = searchers
        return searcher

    def close(self) -> None:
        """Close this thread's connections (other threads' close with them)."""
        for _generation, searcher in (getattr(self._local, "searchers", None) or {}).values():
            searcher.close()
        self._local.searchers = {}
        catalog = getattr(self._local, "catalog", None)
        if catalog is not None:
            catalog.close()
            self._local.catalog = None

    # -- ingest ---------------------------------------------------------------
    def _plan(self) -> _Plan:
        scan = scan_corpus(self.root)
        records = self._catalog().files()
        plan = _Plan(skipped=list(scan.skipped))
        seen: set[str] = set()
        for entry in scan.files:
            seen.add(entry.rel)
            record = records.get(entry.rel)
            if record and (record.size, record.mtime_ns) == (entry.size, entry.mtime_ns):
                plan.unchanged += 1
                if record.problem:
                    plan.skipped.append(Skipped(entry.rel, record.problem))
            else:
                plan.to_read.append(entry)
        plan.to_remove = sorted(set(records) - seen)
        return plan

    def is_current(self) -> bool:
        """Whether the index matches the folder (a scan of sizes and mtimes, no reading)."""
        plan = self._plan()
        return not plan.to_read and not plan.to_remove

    def update(
        self,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
        procs: int = 1,
    ) -> IngestReport:
        """Ingest new and changed files, drop removed ones; return what was done.

        Only one process updates an index at a time (IndexBusy otherwise). When
        `cancelled()` turns true the files done so far are committed, so the
        next update goes on from there. `procs` > 1 runs the entity model in
        that many processes (for the CLI; never from a thread of the reader).
        """
        started = time.perf_counter()
        with exclusive(self.index_dir / LOCK_NAME):
            plan = self._plan()
            report = IngestReport(unchanged=plan.unchanged, skipped=plan.skipped)
            if plan.to_read or plan.to_remove:
                self._apply(plan, report, progress, cancelled, procs)
        report.articles = self._catalog().count()
        report.seconds = time.perf_counter() - started
        return report

    def _apply(
        self,
        plan: _Plan,
        report: IngestReport,
        progress: ProgressCallback | None,
        cancelled: Callable[[], bool] | None,
        procs: int,
    ) -> None:
        """Three steps in one catalog transaction, then one Whoosh commit per index:
        read the files into the catalog (with the model's mentions), resolve the
        entities over the whole corpus, and bring the Whoosh documents in line."""
        from index.ingest import FileIngester  # parsing code is only loaded when needed

        catalog = self._catalog()
        records = catalog.files()
        ingester = FileIngester(catalog)
        vocabulary: Counter[str] = Counter()
        stale: list[tuple[str, list[str]]] = []  # (file, article ids) to drop from Whoosh
        to_index: list[str] = []
        catalog.begin()
        try:
            for rel in plan.to_remove:
                old = catalog.articles_of(rel)
                vocabulary.subtract(_word_counts(old))
                stale.append((rel, [a.id for a in old]))
                catalog.remove_file(rel)
                report.removed.append(rel)
            total = len(plan.to_read)
            done = 0
            # Worker processes of the entity model start once per chunk: more files a
            # chunk when there are several.
            chunk_files = NER_CHUNK_FILES if procs <= 1 else NER_CHUNK_FILES * 16
            for chunk in _chunks(plan.to_read, chunk_files):
                if cancelled is not None and cancelled():
                    report.notes.append(f"interrupted after {done} of {total} files")
                    break
                new_articles: list[Article] = []
                for entry in chunk:
                    if progress is not None:
                        progress(Progress(done, total, entry.rel))
                    done += 1
                    previous = records.get(entry.rel)
                    old = catalog.articles_of(entry.rel) if previous else []
                    outcome = ingester.ingest(entry, previous)
                    if outcome.unchanged:
                        report.unchanged += 1
                        continue
                    vocabulary.subtract(_word_counts(old))
                    vocabulary.update(_word_counts(outcome.articles))
                    # The new ids too: a run killed between two commits may have left them.
                    stale.append((entry.rel, [a.id for a in (*old, *outcome.articles)]))
                    new_articles.extend(outcome.articles)
                    if outcome.problem:
                        report.skipped.append(Skipped(entry.rel, outcome.problem))
                    elif previous is not None:
                        report.updated.append(entry.rel)
                    else:
                        report.added.append(entry.rel)
                    report.skipped.extend(Skipped(entry.rel, p) for p in outcome.notes)
                self._recognise(catalog, new_articles, procs, report)
                for article in new_articles:
                    catalog.add_fingerprints(
                        article.id, wirecopy.pack(wirecopy.fingerprints(article))
                    )
                to_index.extend(a.id for a in new_articles)
            if progress is not None:
                progress(Progress(total, total, ""))
            catalog.update_vocabulary(vocabulary)
            if to_index or stale:
                catalog.set_meta(WIRE_STALE, "1")  # found again when next asked for
            if self.recognise_entities:
                resolve_corpus(catalog, self._corrections.load())
            self._sync_index(catalog, stale, to_index)
            catalog.commit()
        except BaseException:
            catalog.rollback()
            raise
        self._changed()

    def _recognise(
        self, catalog: Catalog, articles: list[Article], procs: int, report: IngestReport
    ) -> None:
        if not self.recognise_entities or not articles:
            return
        try:
            found = recognise_articles(articles, procs=procs)
        except (ImportError, OSError) as error:  # the model package is missing or broken
            self.recognise_entities = False
            report.notes.append(f"entities not recognised: the model cannot load ({error})")
            return
        for article in articles:
            catalog.add_mentions(article.id, found.get(article.id, ()), "ner")

    def _sync_index(
        self, catalog: Catalog, stale: list[tuple[str, list[str]]], to_index: list[str]
    ) -> None:
        """Write the Whoosh documents of `to_index`, drop those of `stale`, and re-index
        the other articles whose entities changed (an alias resolved, a correction)."""
        articles_ix = self._index(store.ARTICLES)
        fresh = articles_ix.doc_count_all() == 0
        named = catalog.article_entity_sets() if self.recognise_entities else {}
        indexed = catalog.indexed_entities()
        new = set(to_index)
        changed = [
            doc_id
            for doc_id in sorted(set(named) | set(indexed))
            if doc_id not in new and named.get(doc_id, frozenset()) != indexed.get(doc_id)
        ]
        if not (stale or to_index or changed):
            return
        aliases = catalog.alias_map()
        hidden = {row[0] for row in catalog.entity_rows() if row[4]}
        with (
            store.writer(articles_ix, fresh=fresh) as writer,
            store.writer(self._index(store.PASSAGES), fresh=fresh) as passages,
        ):
            if not fresh:
                for rel, ids in stale:
                    writer.delete_by_term("file", rel)
                    for doc_id in ids:
                        store.delete_passages(passages, doc_id)
                for doc_id in changed:
                    writer.delete_by_term("id", doc_id)
                    store.delete_passages(passages, doc_id)
            for doc_id in [*to_index, *changed]:
                article = catalog.article(doc_id)
                if article is None:
                    continue
                by_passage = _entities_by_passage(
                    article, catalog.raw_mentions(doc_id), aliases, hidden
                )
                article_doc, passage_docs = store.documents(article, by_passage)
                writer.add_document(**article_doc)
                for document in passage_docs:
                    passages.add_document(**document)
                catalog.set_indexed_entities(doc_id, named.get(doc_id, frozenset()))

    def _changed(self) -> None:
        """After a commit: searchers and caches see the new state."""
        self._generation += 1
        self._vocabulary = None
        self._aliases = None

    # -- reading --------------------------------------------------------------
    def articles(self) -> list[ArticleSummary]:
        return self._catalog().summaries()

    def article(self, doc_id: str) -> Article:
        """The article, with its mentions (those of hidden entities left out)."""
        catalog = self._catalog()
        article = catalog.article(self.resolve(doc_id))
        if article is None:
            raise UnknownDocument(f"no article {doc_id!r}")
        aliases, labels = self._alias_state()
        mentions = tuple(
            # The entity's label, not the model's guess for this one mention: one
            # entity, one colour (`Washington` is not a person here and a place there).
            Mention(start, end, text, labels[aliases[text]], aliases[text])
            for start, end, text, _label in catalog.raw_mentions(article.id)
            if text in aliases and aliases[text] in labels
        )
        return replace(article, mentions=mentions)

    def _alias_state(self) -> tuple[dict[str, str], dict[str, str]]:
        """Surface → entity id, and visible entity id → label (cached until the next commit)."""
        state = self._aliases
        if state is None:
            catalog = self._catalog()
            labels = {row[0]: row[2] for row in catalog.entity_rows() if not row[4]}
            state = self._aliases = (catalog.alias_map(), labels)
        return state

    # -- entities -------------------------------------------------------------
    def entities(self, label: str | None = None, hidden: bool = False) -> list[Entity]:
        """The corpus's entities, most mentioned first (hidden ones only if asked)."""
        catalog = self._catalog()
        mentions: Counter[str] = Counter()
        articles: dict[str, set[str]] = {}
        for entity_id, article_id in catalog.entity_mentions():
            mentions[entity_id] += 1
            articles.setdefault(entity_id, set()).add(article_id)
        found = [
            Entity(
                id=entity_id,
                name=name,
                label=entity_label,
                aliases=tuple(aliases),
                count=mentions[entity_id],
                articles=tuple(sorted(articles.get(entity_id, ()))),
                hidden=is_hidden,
            )
            for entity_id, name, entity_label, aliases, is_hidden in catalog.entity_rows()
            if (hidden or not is_hidden) and (label is None or entity_label == label)
        ]
        return sorted(found, key=lambda e: (-e.count, -len(e.articles), e.name))

    def entity(self, name: str) -> Entity:
        """The entity named `name`: its id, its name or any of its aliases."""
        entities = self.entities(hidden=True)
        for entity in entities:
            if entity.id == name:
                return entity
        key = name_key(name)
        for entity in entities:
            if name_key(entity.name) == key:
                return entity
        for entity in entities:
            if any(name_key(alias) == key for alias in entity.aliases):
                return entity
        raise UnknownEntity(f"no entity is named {name!r}")

    def corrections(self) -> list[Correction]:
        return self._corrections.load()

    def merge_entities(self, entity: str, other: str) -> Entity:
        """One entity from two the reader split (`Poutine` and `Putin`)."""
        first, second = self.entity(entity), self.entity(other)
        if first.id == second.id:
            raise EntityError(f"{first.name!r} and {second.name!r} are already one entity")
        self._correct(Correction("merge", first.aliases[0], second.aliases[0]))
        return self.entity(first.aliases[0])

    def split_alias(self, entity: str, alias: str) -> Entity:
        """`alias` leaves `entity` and becomes an entity of its own; returns it."""
        found = self.entity(entity)
        key = name_key(alias)
        owned = [a for a in found.aliases if name_key(a) == key]
        if not owned:
            raise EntityError(f"{alias!r} is not an alias of {found.name!r}")
        if len(found.aliases) == len(owned):
            raise EntityError(f"{found.name!r} has no other alias to keep")
        keep = next(a for a in found.aliases if name_key(a) != key)
        self._correct(Correction("split", keep, owned[0]))
        return self.entity(owned[0])

    def rename_entity(self, entity: str, name: str) -> Entity:
        found = self.entity(entity)
        if not name.strip():
            raise EntityError("a name cannot be empty")
        self._correct(Correction("rename", found.aliases[0], name.strip()))
        return self.entity(found.aliases[0])

    def hide_entity(self, entity: str) -> Entity:
        """A false entity: no longer listed, highlighted or searchable."""
        found = self.entity(entity)
        self._correct(Correction("hide", found.aliases[0]))
        return self.entity(found.aliases[0])

    def undo_correction(self) -> Correction | None:
        """Take back the last correction; returns it (None when there was none)."""
        with exclusive(self.index_dir / LOCK_NAME, wait=CORRECTION_WAIT):
            undone = self._corrections.undo()
            if undone is not None:
                self._reresolve()
        return undone

    def _correct(self, correction: Correction) -> None:
        with exclusive(self.index_dir / LOCK_NAME, wait=CORRECTION_WAIT):
            self._corrections.append(correction)
            self._reresolve()

    def _reresolve(self) -> None:
        catalog = self._catalog()
        catalog.begin()
        try:
            resolve_corpus(catalog, self._corrections.load())
            self._sync_index(catalog, [], [])
            catalog.commit()
        except BaseException:
            catalog.rollback()
            raise
        self._changed()

    def iter_articles(self) -> Iterator[Article]:
        """Every article with its mentions, in id order, one at a time."""
        for doc_id in self._catalog().ids():
            yield self.article(doc_id)

    def resolve(self, id_or_prefix: str) -> str:
        """The article id that `id_or_prefix` names: the id itself or a unique prefix."""
        catalog = self._catalog()
        if catalog.article(id_or_prefix) is not None:
            return id_or_prefix
        matches = catalog.ids_with_prefix(id_or_prefix, limit=6)
        if not matches:
            raise UnknownDocument(f"no article has the id {id_or_prefix!r}")
        if len(matches) > 1:
            shown = ", ".join(matches[:5]) + (", …" if len(matches) > 5 else "")
            raise AmbiguousDocument(f"{id_or_prefix!r} names several articles: {shown}")
        return matches[0]

    def search(
        self, text: str, limit: int = 20, within: Collection[str] | None = None
    ) -> SearchResult:
        """Articles matching `text`, best first; `within` restricts to these article ids."""
        searcher = self._searcher()
        query = search_mod.parse(search_mod.make_parser(searcher.schema), self._entity_ids_in(text))
        stems = search_mod.highlight_stems(search_mod.expanded_terms(query, searcher.reader()))
        if within is not None:
            known = set(self._catalog().ids())
            within = [doc_id for doc_id in within if doc_id in known]
            if not within:
                # (Whoosh would count a filter that allows nothing as no filter at all.)
                return SearchResult(query=text, total=0, suggestion=None, results=())
        restrict: Any = None
        if within is not None:
            restrict = Or([Term("id", doc_id) for doc_id in within])
        try:
            results = searcher.search(query, limit=max(1, limit), filter=restrict)
            total = len(results)
        except Exception as error:
            raise QueryError(f"the query cannot run: {error}") from error
        catalog = self._catalog()
        hits: list[SearchHit] = []
        for result in results[:limit] if limit else []:
            article = catalog.article(result["id"])
            if article is None:
                continue
            hits.append(
                SearchHit(
                    id=article.id,
                    title=article.title,
                    date=article.date,
                    path=article.path,
                    score=round(float(result.score), 4),
                    snippet=search_mod.make_snippet(article, stems),
                )
            )
        return SearchResult(
            query=text,
            total=total,
            suggestion=search_mod.suggest(text, searcher, self._spelling()),
            results=tuple(hits),
        )

    # -- cross-references -----------------------------------------------------
    def related(self, doc_id: str, n: int, limit: int = 10) -> RelatedResult:
        """Passages of other articles related to passage `n` of `doc_id`, best first."""
        article = self.article(doc_id)
        if not 0 <= n < len(article.passages):
            raise UnknownDocument(
                f"{article.id} has passages 0 to {len(article.passages) - 1}, not {n}"
            )
        passage = article.passages[n]
        words = related_mod.Words.of(article.passage_text(passage))
        named = _entities_within(article, passage.start, passage.end)
        searcher = self._searcher(store.PASSAGES)
        reader = searcher.reader()
        frequencies = {
            stem: reader.doc_frequency("passage", stem) for stem in set(words.stems) if stem
        }
        terms = related_mod.key_terms(words.stems, frequencies, reader.doc_count())
        clauses = [Term("passage", term) for term in terms]
        clauses += [Term("entity", entity) for entity in sorted(named)]
        if not clauses:
            return RelatedResult(article.id, n, ())
        hits = searcher.search(
            Or(clauses),
            limit=related_mod.CANDIDATES,
            mask=Prefix("id", store.passage_id(article.id, 0)[:-1]),
        )
        # (Not len(hits): with a mask, Whoosh would count every match to answer it.)
        best = hits[0].score if hits.scored_length() else 1.0
        found: list[RelatedPassage] = []
        for hit in hits:
            other_id, m = store.split_passage_id(hit["id"])
            other = self._article_cached(other_id)
            if other is None or m >= len(other.passages):
                continue
            other_passage = other.passages[m]
            text = other.passage_text(other_passage)
            other_words = related_mod.Words.of(text)
            reuse = related_mod.reuse(words, other_words)
            other_named = _entities_within(other, other_passage.start, other_passage.end)
            # The BM25 of the key terms, and the share of the source's rarer words.
            overlap = related_mod.idf_overlap(words, other_words, frequencies, reader.doc_count())
            subject = (hit.score / best + overlap) / 2
            score = related_mod.combined_score(
                subject, reuse, related_mod.jaccard(named, other_named)
            )
            if score < related_mod.MIN_SCORE:
                continue
            shared, marks = related_mod.shared_terms(words, other_words)
            found.append(
                RelatedPassage(
                    doc=other.id,
                    passage=m,
                    title=other.title,
                    score=round(score, 4),
                    kind="near-duplicate" if related_mod.is_near_duplicate(reuse) else "related",
                    text=text,
                    shared_terms=tuple(shared),
                    shared_entities=tuple(sorted(named & other_named)),
                    marks=tuple(marks),
                    reused=round(reuse.containment, 4),
                )
            )
        found.sort(key=lambda r: (-r.score, r.doc, r.passage))
        return RelatedResult(article.id, n, tuple(found[:limit]))

    def wire_counts(self) -> dict[str, int]:
        """For each article, how many other articles share near-duplicate passages with it
        (wire copy): articles with none are left out. The first call after a change finds
        the pairs for the whole corpus (seconds on thousands of articles): call it from a
        worker."""
        self._find_wire_copies()
        return self._catalog().wire_counts()

    def wire_copies(self, doc_id: str) -> list[tuple[str, int]]:
        """The articles sharing near-duplicate passages with `doc_id`, and how many pairs."""
        self._find_wire_copies()
        return self._catalog().wire_partners(self.resolve(doc_id))

    def _find_wire_copies(self) -> None:
        catalog = self._catalog()
        if catalog.get_meta(WIRE_STALE) == "0":
            return
        try:
            with exclusive(self.index_dir / LOCK_NAME):
                if catalog.get_meta(WIRE_STALE) == "0":
                    return
                partners = wirecopy.find_pairs(catalog.fingerprints())
                catalog.begin()
                try:
                    catalog.clear_wire_pairs()
                    for article, others in partners.items():
                        # Each pair once: add_wire_pairs writes both directions.
                        catalog.add_wire_pairs(
                            article, {o: n for o, n in others.items() if o > article}
                        )
                    catalog.set_meta(WIRE_STALE, "0")
                    catalog.commit()
                except BaseException:
                    catalog.rollback()
                    raise
        except IndexBusy:
            return  # another process is updating: the pairs we have will do for now

    def compare(self, doc_a: str, doc_b: str) -> Comparison:
        """Two articles' passages aligned, and what each says that the other does not."""
        a, b = self.article(doc_a), self.article(doc_b)
        reader = self._searcher(store.PASSAGES).reader()
        stems = {stem for article in (a, b) for stem in stems_of(article.text)}
        frequencies = {stem: reader.doc_frequency("passage", stem) for stem in stems}
        return compare_mod.compare(a, b, frequencies, reader.doc_count())

    def _article_cached(self, doc_id: str) -> Article | None:
        """An article with its mentions, from a small cache of this thread (reset on commit)."""
        cache: dict[str, Article] | None = getattr(self._local, "articles", None)
        if cache is None or getattr(self._local, "articles_generation", -1) != self._generation:
            cache = {}
            self._local.articles = cache
            self._local.articles_generation = self._generation
        if doc_id not in cache:
            try:
                cache[doc_id] = self.article(doc_id)
            except UnknownDocument:
                return None
            if len(cache) > 512:
                cache.pop(next(iter(cache)))
        return cache[doc_id]

    def _entity_ids_in(self, text: str) -> str:
        """`entity:"Kim Jong Un"` (any alias) becomes `entity:kim-jong-un` (the entity's id)."""

        def to_id(match: re.Match[str]) -> str:
            name = match.group(1).strip('"')
            try:
                return f"entity:{self.entity(name).id}"
            except UnknownEntity as error:
                raise QueryError(str(error)) from error

        return _ENTITY_FIELD.sub(to_id, text)

    def _spelling(self) -> Vocabulary:
        vocabulary = self._vocabulary
        if vocabulary is None:
            vocabulary = self._vocabulary = Vocabulary(self._catalog().vocabulary())
        return vocabulary

    def find_hits(self, doc_id: str, text: str) -> list[tuple[int, int]]:
        """Spans of the words of the article that the query `text` matches, in order."""
        article = self.article(doc_id)
        searcher = self._searcher()
        query = search_mod.parse(search_mod.make_parser(searcher.schema), text)
        stems = search_mod.highlight_stems(search_mod.expanded_terms(query, searcher.reader()))
        return search_mod.find_hits(article.text, stems)
