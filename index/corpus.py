"""`Corpus`: the engine's one entry point for the CLI and the reader.

A corpus is a folder of articles (only ever read) and its index directory
(written): a Whoosh index and a SQLite catalog. `update()` brings the index in
line with the folder, incrementally; the other methods read.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh.query import Or, Term

from index import search as search_mod
from index import store
from index.catalog import Catalog
from index.errors import (
    AmbiguousDocument,
    CorpusError,
    QueryError,
    StorageError,
    UnknownDocument,
)
from index.lock import exclusive
from index.model import (
    Article,
    ArticleSummary,
    IngestReport,
    Progress,
    SearchHit,
    SearchResult,
    Skipped,
)
from index.paths import default_index_dir
from index.scan import FileEntry, scan_corpus
from index.spelling import Vocabulary, counts


def _word_counts(articles: list[Article]) -> Counter[str]:
    return counts((article.title, article.text) for article in articles)


CATALOG_NAME = "catalog.sqlite"
WHOOSH_DIR = "whoosh"
LOCK_NAME = "update.lock"

ProgressCallback = Callable[[Progress], None]


@dataclass
class _Plan:
    """What an update has to do, from a scan and the catalog, before reading any file."""

    to_read: list[FileEntry] = field(default_factory=list)
    to_remove: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)


class Corpus:
    """A folder of articles and its index."""

    def __init__(self, root: Path | str, index_dir: Path | str | None = None) -> None:
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
        if searcher is None:
            searcher = self._index(name).searcher()
        elif generation != self._generation:
            searcher = searcher.refresh()
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
    ) -> IngestReport:
        """Ingest new and changed files, drop removed ones; return what was done.

        Only one process updates an index at a time (IndexBusy otherwise). When
        `cancelled()` turns true the files done so far are committed, so the
        next update goes on from there.
        """
        started = time.perf_counter()
        with exclusive(self.index_dir / LOCK_NAME):
            plan = self._plan()
            report = IngestReport(unchanged=plan.unchanged, skipped=plan.skipped)
            if plan.to_read or plan.to_remove:
                self._apply(plan, report, progress, cancelled)
        report.articles = self._catalog().count()
        report.seconds = time.perf_counter() - started
        return report

    def _apply(
        self,
        plan: _Plan,
        report: IngestReport,
        progress: ProgressCallback | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        from index.ingest import FileIngester  # parsing code is only loaded when needed

        catalog = self._catalog()
        records = catalog.files()
        articles_ix = self._index(store.ARTICLES)
        fresh = articles_ix.doc_count_all() == 0
        ingester = FileIngester(catalog)
        vocabulary: Counter[str] = Counter()
        catalog.begin()
        try:
            with (
                store.writer(articles_ix, fresh=fresh) as writer,
                store.writer(self._index(store.PASSAGES), fresh=fresh) as passages,
            ):

                def forget(rel: str, old: list[Article]) -> None:
                    writer.delete_by_term("file", rel)
                    for article in old:
                        store.delete_passages(passages, article.id)

                for rel in plan.to_remove:
                    old = catalog.articles_of(rel)
                    vocabulary.subtract(_word_counts(old))
                    forget(rel, old)
                    catalog.remove_file(rel)
                    report.removed.append(rel)
                total = len(plan.to_read)
                for done, entry in enumerate(plan.to_read):
                    if cancelled is not None and cancelled():
                        break
                    if progress is not None:
                        progress(Progress(done, total, entry.rel))
                    previous = records.get(entry.rel)
                    old = catalog.articles_of(entry.rel) if previous else []
                    outcome = ingester.ingest(entry, previous)
                    if outcome.unchanged:
                        report.unchanged += 1
                        continue
                    vocabulary.subtract(_word_counts(old))
                    vocabulary.update(_word_counts(outcome.articles))
                    if not fresh:
                        # The new ids too: a run killed between two commits may have left them.
                        forget(entry.rel, [*old, *outcome.articles])
                    for article in outcome.articles:
                        article_doc, passage_docs = store.documents(article)
                        writer.add_document(**article_doc)
                        for document in passage_docs:
                            passages.add_document(**document)
                    if outcome.problem:
                        report.skipped.append(Skipped(entry.rel, outcome.problem))
                    elif entry.rel in records:
                        report.updated.append(entry.rel)
                    else:
                        report.added.append(entry.rel)
                    report.skipped.extend(Skipped(entry.rel, p) for p in outcome.notes)
                if progress is not None:
                    progress(Progress(total, total, ""))
                catalog.update_vocabulary(vocabulary)
            catalog.commit()
        except BaseException:
            catalog.rollback()
            raise
        self._generation += 1
        self._vocabulary = None

    # -- reading --------------------------------------------------------------
    def articles(self) -> list[ArticleSummary]:
        return self._catalog().summaries()

    def article(self, doc_id: str) -> Article:
        article = self._catalog().article(self.resolve(doc_id))
        if article is None:
            raise UnknownDocument(f"no article {doc_id!r}")
        return article

    def iter_articles(self) -> Iterator[Article]:
        """Every article, in id order, one at a time."""
        return self._catalog().articles()

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
        query = search_mod.parse(search_mod.make_parser(searcher.schema), text)
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
