"""Bringing an index in line with its folder: the work of `Corpus.update`.

It goes in two steps, and a run may stop at any moment of either (ctrl+c,
`kill -9`, the reader closing) without losing more than the batch at hand:

1. Files are read and cleaned in batches, and each batch goes to the entity
   model. A batch is then committed to the catalog whole: its files, articles,
   the model's mentions, fingerprints and word counts, and the ids of the
   articles whose Whoosh documents have to be written again (`unsynced`). The
   next run reads only the files no batch committed.
2. The entities are resolved over the whole corpus, and the Whoosh documents of
   the unsynced articles (and of those whose entities changed) are deleted by
   id and written again. Whoosh commits, then the catalog clears `unsynced`: a
   run killed between the two commits writes the same documents again, and
   since they are deleted by id first, no document is ever there twice.

The work on a file's bytes (decoding, cleaning, languages, the entity model) is
`reading.read_batch`, run by the update's `Workers`: in this process, in local
worker processes, or on a Dask cluster (`--cluster`); the results are checked
(`checks`) and committed here, by the one writer, whoever made them. With
workers beside this process, they run a few batches ahead of the commits, and
step 2 also runs along the way, so that the main process writes
Whoosh while the workers recognise names: after `SYNC_ARTICLES` articles, then
after twice as many each time. Each of those writes is a segment of the Whoosh
index, and a search pays for each segment, so their number grows with the log of
the corpus's size (four at 10,000 articles), not with its size.
"""

from __future__ import annotations

import bisect
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.crossref import wirecopy
from index.entities.corrections import Correction
from index.entities.entity_pass import resolve_corpus
from index.entities.mentions import bracketed_acronyms
from index.ingest.scan import FileEntry, scan_corpus
from index.model import Article, IngestReport, Progress, Skipped
from index.search.spelling import counts
from index.storage import store
from index.storage.catalog import Catalog, FileRecord

if TYPE_CHECKING:  # the reading code is imported only when files have to be read
    from index.ingest.reading import FileIngester, FileWork, Outcome
    from index.ingest.workers import Pending, Workers

# Files read a batch: the unit of work of the model's workers, and of a commit.
BATCH_FILES = 16
# With several processes, the Whoosh documents are first written after so many
# articles, then after twice as many as the time before.
SYNC_ARTICLES = 1_000
# `procs=0`: workers when there are at least so many files to read, at most so many.
AUTO_PROCS_FILES = 200
MAX_AUTO_PROCS = 4
# The stages of an update, as `Progress.stage` names them (see there).
READING = "reading"
NAMES = "names"
ENTITIES = "entities"
INDEXING = "indexing"

ProgressCallback = Callable[[Progress], None]


@dataclass
class Plan:
    """What an update has to do, from a scan and the catalog, before reading any file."""

    to_read: list[FileEntry] = field(default_factory=list)
    to_remove: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    unsynced: int = 0  # articles a stopped run left out of Whoosh

    @property
    def empty(self) -> bool:
        return not (self.to_read or self.to_remove or self.unsynced)

    @classmethod
    def of(cls, root: Path, catalog: Catalog) -> Plan:
        """The plan for the folder `root` and its catalog: a scan of sizes and mtimes."""
        scan = scan_corpus(root)
        records = catalog.files()
        plan = cls(skipped=list(scan.skipped))
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
        plan.unsynced = catalog.count_unsynced()
        return plan


@dataclass
class _Read:
    """A file read, waiting for its batch to be committed: its outcome when there is no
    work to do on it, else its work (the outcome comes with the batch's results)."""

    entry: FileEntry
    outcome: Outcome | None
    work: FileWork | None
    old_ids: list[str]  # the articles the file had, when it changed
    old_words: Counter[str]  # and their words
    is_new: bool


@dataclass
class _Batch:
    files: list[_Read]
    pending: Pending | None


def auto_procs(files: int) -> int:
    """Worker processes for the model: one a core, up to MAX_AUTO_PROCS, when there
    are enough files to pay for starting them (each loads the model, 1–2 s and
    400 MB)."""
    if files < AUTO_PROCS_FILES:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_AUTO_PROCS))


def word_counts(articles: Iterable[Article]) -> Counter[str]:
    return counts((article.title, article.text) for article in articles)


def _batches(items: Sequence[FileEntry], size: int) -> Iterator[Sequence[FileEntry]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def entities_by_passage(
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


class Update:
    """One run of `Corpus.update` over a plan; `run` does it, `report` says what was done."""

    def __init__(
        self,
        catalog: Catalog,
        index: Callable[[str], Any],
        *,
        entities: bool,
        corrections: Callable[[], list[Correction]],
        report: IngestReport,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self._catalog = catalog
        self._index = index
        self.entities = entities
        self._corrections = corrections
        self.report = report
        self._progress = progress
        self._cancelled = cancelled
        self._records: dict[str, FileRecord] = {}
        self._ingester: FileIngester | None = None
        self._runner: Workers | None = None
        self._done = 0
        self._committed = 0
        self._total = 0

    # -- the whole run -----------------------------------------------------------
    def run(self, plan: Plan, procs: int = 1, cluster: str | None = None) -> None:
        """Do `plan`, the work on the files in `procs` processes (0: as many as worth
        it), or on the workers of the Dask cluster whose scheduler is at `cluster`."""
        self._total = len(plan.to_read)
        if procs <= 0:
            procs = auto_procs(self._total)
        if plan.to_read:
            from index.ingest.reading import FileIngester

            self._records = self._catalog.files()
            self._ingester = FileIngester(self._catalog)
        self._remove(plan.to_remove)
        stopped = False
        sync_after = SYNC_ARTICLES
        with self._workers(procs, cluster if plan.to_read else None) as workers:
            self._runner = workers
            self.report.notes.extend(workers.notes)
            waiting: deque[_Batch] = deque()
            for files in _batches(plan.to_read, BATCH_FILES):
                if self._cancelled is not None and self._cancelled():
                    stopped = True
                    break
                waiting.append(self._read(files))
                while len(waiting) > self._runner.in_flight:
                    self._commit(waiting.popleft())
                    if self._runner.parallel and self._catalog.count_unsynced() >= sync_after:
                        self.sync()
                        sync_after *= 2
            if not stopped:
                self._step(READING, self._done, self._total)  # (the workers may be behind)
            while waiting:
                self._commit(waiting.popleft())
        if stopped:
            self.report.notes.append(
                f"interrupted after {self._done} of {self._total} files; the next update goes on"
            )
            return
        self.sync()

    def _workers(self, procs: int, cluster: str | None) -> Workers:
        """Where the work on the files runs: the cluster, worker processes when the model
        is to run and `procs` > 1, else this process."""
        if cluster:
            from index.ingest.cluster import Cluster

            return Cluster(cluster, entities=self.entities)
        from index.ingest import workers

        if procs > 1 and self.entities:
            return workers.Processes(procs, entities=True)
        return workers.InProcess(self.entities)

    def _step(self, stage: str, done: int, total: int, path: str = "") -> None:
        if self._progress is not None:
            self._progress(Progress(done, total, path, stage))

    # -- step 1: files into the catalog -----------------------------------------
    def _remove(self, rels: Sequence[str]) -> None:
        if not rels:
            return
        catalog = self._catalog
        with catalog.transaction():
            words: Counter[str] = Counter()
            for rel in rels:
                old = catalog.articles_of(rel)
                words.subtract(word_counts(old))
                catalog.mark_unsynced(a.id for a in old)
                catalog.remove_file(rel)
            catalog.update_vocabulary(words)
            catalog.set_meta(wirecopy.WIRE_STALE, "1")
        self.report.removed.extend(rels)

    def _read(self, entries: Sequence[FileEntry]) -> _Batch:
        """Read the bytes of `entries`, and give those that changed to the workers."""
        from index.ingest.reading import FileWork

        batch = _Batch([], None)
        works = []
        for entry in entries:
            self._step(READING, self._done, self._total, entry.rel)
            self._done += 1
            previous = self._records.get(entry.rel)
            assert self._ingester is not None
            loaded = self._ingester.load(entry, previous)
            read = _Read(entry, None, None, [], Counter(), previous is None)
            if isinstance(loaded, FileWork):
                read.work = loaded
                works.append(loaded)
            else:  # unreadable, or touched but not changed
                read.outcome = loaded
            if previous and not (read.outcome and read.outcome.unchanged):
                old = self._catalog.articles_of(entry.rel)
                read.old_ids, read.old_words = [a.id for a in old], word_counts(old)
            batch.files.append(read)
        if works:
            assert self._runner is not None
            batch.pending = self._runner.submit(works)
        return batch

    def _results(self, batch: _Batch) -> list[Any]:
        """The results of the batch's works, in their order."""
        from index.ingest.workers import InProcess

        if batch.pending is None:
            return []
        try:
            return batch.pending.result()
        except (ImportError, OSError, BrokenProcessPool) as error:
            if not self.entities:
                raise
            # The model package is missing or broken, or its workers died: the articles
            # go in without names, read in this process from now on.
            self.entities = False
            self.report.notes.append(f"entities not recognised: the model cannot load ({error})")
            self._runner = InProcess(entities=False)
            return self._runner.submit([read.work for read in batch.files if read.work]).result()

    def _settle(self, batch: _Batch) -> list[Article]:
        """Each file's outcome from the batch's results, each result checked first: a
        file whose result is wrong is skipped, and not recorded (read again next time).
        Return the articles to commit."""
        from index.ingest.checks import problem

        assert self._ingester is not None
        reads = [read for read in batch.files if read.work is not None]
        results = self._results(batch)
        miscount = None
        if not isinstance(results, list) or len(results) != len(reads):
            count = len(results) if isinstance(results, list) else type(results).__name__
            miscount = f"{count} results came back for {len(reads)} files"
            results = [None] * len(reads)
        articles = []
        for read, result in zip(reads, results, strict=True):
            assert read.work is not None
            wrong = miscount or problem(read.work, result)
            if wrong is not None:
                self.report.skipped.append(
                    Skipped(read.entry.rel, f"the work on it gave a wrong result: {wrong}")
                )
                continue
            read.outcome = self._ingester.settle(read.entry, read.work, result)
            articles.extend(read.outcome.articles)
        return articles

    def _commit(self, batch: _Batch) -> None:
        from index.ingest.reading import record

        articles = self._settle(batch)
        words = word_counts(articles)
        catalog = self._catalog
        with catalog.transaction():
            for read in batch.files:
                outcome = read.outcome
                if outcome is None:
                    continue  # (a wrong result: the file is left as it was)
                record(catalog, outcome)
                if not outcome.unchanged:
                    words.subtract(read.old_words)
                    catalog.mark_unsynced([*read.old_ids, *(a.id for a in outcome.articles)])
                for article in outcome.articles:
                    if self.entities:
                        mentions = outcome.mentions.get(article.id, [])
                        catalog.add_mentions(article.id, mentions, "ner")
                        catalog.add_acronyms(article.id, bracketed_acronyms(article.text, mentions))
                    fingerprints = wirecopy.fingerprints(article)
                    catalog.add_fingerprints(article.id, wirecopy.pack(fingerprints))
            catalog.update_vocabulary(words)
            if articles or any(read.old_ids and read.outcome for read in batch.files):
                catalog.set_meta(wirecopy.WIRE_STALE, "1")  # found again when next asked for
        self._tell(batch)
        self._committed += len(batch.files)
        self._step(NAMES, self._committed, self._total)

    def _tell(self, batch: _Batch) -> None:
        report = self.report
        for read in batch.files:
            outcome = read.outcome
            if outcome is None:
                continue
            if outcome.unchanged:
                report.unchanged += 1
                continue
            if outcome.problem:
                report.skipped.append(Skipped(read.entry.rel, outcome.problem))
            elif read.is_new:
                report.added.append(read.entry.rel)
            else:
                report.updated.append(read.entry.rel)
            report.skipped.extend(Skipped(read.entry.rel, note) for note in outcome.notes)

    # -- step 2: entities and Whoosh --------------------------------------------
    def sync(self) -> None:
        """Resolve the entities, then write the Whoosh documents that are out of date:
        those of the unsynced articles, and of the articles whose entities changed (an
        alias resolved otherwise, an entity hidden, a name found in a foreign passage)."""
        catalog = self._catalog
        with catalog.transaction():
            changed: set[str] = set()
            if self.entities:
                self._step(ENTITIES, 0, 1)
                before = _EntityView.of(catalog)
                resolve_corpus(catalog, self._corrections())
                changed = before.changed(_EntityView.of(catalog), catalog)
                self._step(ENTITIES, 1, 1)
            unsynced = catalog.unsynced()
            self._write_whoosh([*unsynced, *sorted(changed - set(unsynced))])
            catalog.clear_unsynced(unsynced)

    def _write_whoosh(self, ids: list[str]) -> None:
        """Delete the Whoosh documents of `ids`, write those of the ones that still
        exist, and commit."""
        if not ids:
            return
        catalog = self._catalog
        articles_ix = self._index(store.ARTICLES)
        passages_ix = self._index(store.PASSAGES)
        # Both empty, not only the articles: the passage index commits first, and a run
        # killed before the article index committed left passages that must be deleted.
        fresh = articles_ix.doc_count_all() == 0 and passages_ix.doc_count_all() == 0
        aliases = catalog.alias_map()
        in_article = catalog.article_aliases()
        hidden = catalog.hidden_entities()
        with (
            store.writer(articles_ix, fresh=fresh) as writer,
            store.writer(passages_ix, fresh=fresh) as passages,
        ):
            for done, doc_id in enumerate(ids):
                if done % 100 == 0:
                    self._step(INDEXING, done, len(ids))
                if not fresh:
                    writer.delete_by_term("id", doc_id)
                    store.delete_passages(passages, doc_id)
                article = catalog.article(doc_id)
                if article is None:
                    continue  # a removed article: deleted, nothing to write
                local = in_article.get(doc_id)
                by_passage = entities_by_passage(
                    article,
                    catalog.raw_mentions(doc_id),
                    {**aliases, **local} if local else aliases,
                    hidden,
                )
                article_doc, passage_docs = store.documents(article, by_passage)
                writer.add_document(**article_doc)
                for document in passage_docs:
                    passages.add_document(**document)
            self._step(INDEXING, len(ids), len(ids))


@dataclass(frozen=True)
class _EntityView:
    """What the Whoosh documents carry of the entities: the entity each written form
    stands for (none when hidden), and the names found in foreign passages."""

    entity_of: dict[str, str | None]
    found_abroad: set[tuple[str, int, int, str]]
    in_article: dict[str, dict[str, str]]
    hidden: set[str]

    @classmethod
    def of(cls, catalog: Catalog) -> _EntityView:
        hidden = catalog.hidden_entities()
        entity_of = {
            surface: (None if entity in hidden else entity)
            for surface, entity in catalog.alias_map().items()
        }
        return cls(entity_of, catalog.pattern_mentions(), catalog.article_aliases(), hidden)

    def changed(self, after: _EntityView, catalog: Catalog) -> set[str]:
        """The articles whose documents differ between this view and `after`: those
        that mention a form now standing for another entity, or none, and those
        whose names in foreign passages changed. Read only what changed: a
        correction on a corpus of thousands of articles touches a few of them."""
        forms = {
            surface
            for surface in self.entity_of.keys() | after.entity_of.keys()
            if self.entity_of.get(surface) != after.entity_of.get(surface)
        }
        abroad = {mention[0] for mention in self.found_abroad ^ after.found_abroad}
        # An article whose names alone stand for other entities, or for hidden ones.
        local = {
            article
            for article in self.in_article.keys() | after.in_article.keys()
            if self.in_article.get(article) != after.in_article.get(article)
            or (self.hidden ^ after.hidden) & set(after.in_article.get(article, {}).values())
        }
        return catalog.articles_naming(forms) | abroad | local
