"""`Corpus`: the engine's one entry point for the CLI and the reader.

A corpus is a folder of articles (only ever read) and its index directory
(written): a Whoosh index and a SQLite catalog. `update()` brings the index in
line with the folder, incrementally; the other methods read.

`Corpus` holds no work of its own: it hands each call to the part that does it
(`ingest.updating`, `search.searching`, `crossref`, `entities.registry`), all of
them over one `storage.handles.Handles`, this process's view of the index.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

from index.crossref import compare as compare_mod
from index.crossref import related as related_mod
from index.crossref import wirecopy
from index.crossref.compare import Comparison
from index.entities.corrections import Correction
from index.entities.registry import EntityRegistry
from index.errors import AmbiguousDocument, CorpusError, IndexBusy, UnknownDocument
from index.ingest.updating import Plan, ProgressCallback, Update
from index.model import (
    Article,
    ArticleSummary,
    Entity,
    IngestReport,
    RelatedResult,
    SearchResult,
)
from index.search.searching import Search
from index.storage import store
from index.storage.catalog import Catalog
from index.storage.handles import Handles
from index.storage.lock import exclusive, wait_until_free
from index.storage.paths import CATALOG_NAME as CATALOG_NAME
from index.storage.paths import LOCK_NAME as LOCK_NAME
from index.storage.paths import WHOOSH_DIR as WHOOSH_DIR
from index.storage.paths import default_index_dir
from index.storage.recent import ARTICLES_KEPT
from index.storage.recent import RecentArticles as _RecentArticles


class Corpus:
    """A folder of articles and its index."""

    def __init__(
        self, root: Path | str, index_dir: Path | str | None = None, entities: bool = True
    ) -> None:
        """Open the corpus at `root` and its index (created if need be).

        An index directory this user may not write is opened `read_only` when it
        holds a current index (readers work, `update` can only find it current);
        otherwise, like a directory that cannot be created, it is a StorageError
        that says to use --index-dir. `entities=False` skips named-entity
        recognition (benchmarks of the rest).
        """
        root = Path(root).expanduser()
        if not root.exists():
            raise CorpusError(f"no such folder: {root}")
        if not root.is_dir():
            raise CorpusError(f"not a folder: {root}")
        self.root = root.resolve()
        self.index_dir = Path(index_dir).expanduser() if index_dir else default_index_dir(root)
        self._handles = Handles(self.index_dir)
        self.read_only = self._handles.read_only
        self.recognise_entities = entities
        self._recent = _RecentArticles(ARTICLES_KEPT)
        self._entities = EntityRegistry(self._handles, sync=self._reresolve)
        self._search = Search(self._handles, entity_ids_in=self._entities.ids_in)
        self._handles.ensure_schema(self.root)

    # -- set-up ---------------------------------------------------------------
    def _catalog(self) -> Catalog:
        return self._handles.catalog()

    def _index(self, name: str) -> Any:
        return self._handles.index(name)

    def _searcher(self, name: str = store.ARTICLES) -> Any:
        """This thread's searcher, refreshed after any commit since it was opened."""
        return self._handles.searcher(name)

    def close(self) -> None:
        """Close this thread's connections (other threads' close with them)."""
        self._handles.close()

    def refresh(self) -> None:
        """See what another process committed: searchers and caches are opened again.

        (The catalog's reads always see the last commit; the Whoosh searchers and the
        caches are snapshots, renewed by this process's own commits only.)"""
        self._changed()

    def _changed(self) -> None:
        """After a commit: searchers and caches see the new state."""
        self._handles.changed()
        self._search.changed()
        self._entities.changed()

    # -- ingest ---------------------------------------------------------------
    def is_current(self) -> bool:
        """Whether the index matches the folder (a scan of sizes and mtimes, no reading)."""
        return Plan.of(self.root, self._catalog()).empty

    def update(
        self,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
        procs: int = 1,
        cluster: str | None = None,
    ) -> IngestReport:
        """Ingest new and changed files, drop removed ones; return what was done.

        Only one process updates an index at a time (IndexBusy otherwise). The
        work is committed a batch of files at a time (see `index.ingest.updating`): when
        `cancelled()` turns true, or the run is interrupted or killed, the next
        update goes on from where it stopped. `procs` > 1 reads the files and runs
        the entity model in that many worker processes, 0 lets the update choose
        (`updating.auto_procs`). `cluster`, the address of a Dask scheduler, sends
        that work to the cluster's workers instead (`index.ingest.cluster`; a
        ClusterError when it cannot).
        """
        started = time.perf_counter()
        with exclusive(self._handles.lock):
            plan = Plan.of(self.root, self._catalog())
            report = IngestReport(unchanged=plan.unchanged, skipped=plan.skipped)
            if not plan.empty:
                try:
                    self._updater(report, progress, cancelled).run(plan, procs, cluster)
                finally:
                    self._changed()
        report.articles = self._catalog().count()
        report.seconds = time.perf_counter() - started
        return report

    def update_when_free(
        self,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
        procs: int = 1,
        waiting: Callable[[], None] | None = None,
        cluster: str | None = None,
    ) -> IngestReport:
        """`update`, but when another process is updating the index, wait for it to end
        (`waiting()` is called once, when the wait begins), then run: what a user expects
        of an update started while another runs. The wait ends early when `cancelled()`
        turns true; the report is then empty."""
        said = False
        while True:
            try:
                return self.update(progress, cancelled, procs, cluster)
            except IndexBusy:
                if not said and waiting is not None:
                    waiting()
                said = True
                if not wait_until_free(self._handles.lock, cancelled):
                    return IngestReport()

    def _updater(
        self,
        report: IngestReport,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Update:
        return Update(
            self._catalog(),
            self._index,
            entities=self.recognise_entities,
            corrections=self._entities.corrections,
            report=report,
            progress=progress,
            cancelled=cancelled,
        )

    def _reresolve(self) -> None:
        """The entities resolved again after a correction, and the Whoosh documents
        they change written again (called under the index's lock)."""
        try:
            self._updater(IngestReport()).sync()
        finally:
            self._changed()

    # -- reading --------------------------------------------------------------
    def articles(
        self, *, start: str | None = None, limit: int | None = None
    ) -> list[ArticleSummary]:
        """The articles in id order, without their text. A page of them: `start`, the id
        to begin with (or the first after it), and `limit`, how many at most."""
        return self._catalog().summaries(start, limit)

    def articles_by_date(self, *, start: str | None = None, limit: int) -> list[ArticleSummary]:
        """A page of the articles by date, as the reader sorts them: newest first, those
        of one date in id order, the undated last in id order. `start`: the article to
        begin with (from the first when None or not found); `limit`: how many at most."""
        return self._catalog().summaries_by_date(start, limit)

    def article_titles(
        self, *, initial: str | None = None, limit: int | None = None
    ) -> list[tuple[str, str, str]]:
        """(id, path, title) of every article in id order: enough to sort by title, read
        quicker than the summaries. With `limit`, only those that may be among the first
        `limit` by title case folded, from a title whose first character is `initial`
        (None: from the first): what a first page of the list by title needs."""
        return self._catalog().titles(initial, limit)

    def articles_of(self, ids: Sequence[str]) -> list[ArticleSummary]:
        """The summaries of the articles `ids` that exist, in that order."""
        return self._catalog().summaries_of(ids)

    def article_count(self) -> int:
        """How many articles the index holds (without reading them)."""
        return self._catalog().article_count()

    def article(self, doc_id: str) -> Article:
        """The article, with its mentions (those of hidden entities left out)."""
        catalog = self._catalog()
        article = catalog.article(self.resolve(doc_id))
        if article is None:
            raise UnknownDocument(f"no article {doc_id!r}")
        return self._entities.with_mentions(
            article,
            catalog.raw_mentions(article.id),
            catalog.article_aliases_of([article.id]).get(article.id),
        )

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

    def recent_article(self, doc_id: str) -> Article:
        """`article(doc_id)`, kept among the articles read last (by any thread) until the
        index changes: for readers that come back to the same articles."""
        return self._recent.article(doc_id, self._handles.generation, self.article)

    def _passages_cached(self, wanted: Sequence[tuple[str, int]]) -> dict[str, Article]:
        """The articles of the (article id, passage) pairs `wanted`, by id: those among
        the articles read last as they are, the others read with the mentions of the
        wanted passages only (not kept: they lack the rest of their names)."""
        generation = self._handles.generation
        found: dict[str, Article] = {}
        missing: list[tuple[str, int]] = []
        for doc_id, n in wanted:
            article = found.get(doc_id) or self._recent.get(doc_id, generation)
            if article is None:
                missing.append((doc_id, n))
            else:
                found[doc_id] = article
        if missing:
            found |= self._entities.passages_with_mentions(missing)
        return found

    # -- search ---------------------------------------------------------------
    def search(
        self, text: str, limit: int = 20, within: Collection[str] | None = None
    ) -> SearchResult:
        """Articles matching `text`, best first; `within` restricts to these article ids."""
        return self._search.search(text, limit, within)

    def search_ids(self, text: str) -> list[str]:
        """The ids of every article matching `text`, best first: `search` without the
        snippets and the suggestion, for a filter over thousands of articles (a snippet a
        hit took most of a second on 700 hits). The same query language and errors."""
        return self._search.ids(text)

    def find_hits(self, doc_id: str, text: str) -> list[tuple[int, int]]:
        """Spans of the words of the article that the query `text` matches, in order."""
        return self._search.hits(self.article(doc_id), text)

    # -- cross-references -----------------------------------------------------
    def related(self, doc_id: str, n: int, limit: int = 10) -> RelatedResult:
        """Passages of other articles related to passage `n` of `doc_id`, best first."""
        return related_mod.related_passages(
            self.article(doc_id), n, self._searcher(store.PASSAGES), self._passages_cached, limit
        )

    def wire_counts(self) -> dict[str, int]:
        """For each article, how many other articles share near-duplicate passages with it
        (wire copy): articles with none are left out. The first call after a change finds
        the pairs for the whole corpus (seconds on thousands of articles): call it from a
        worker."""
        wirecopy.refresh_pairs(self._catalog(), self._handles.lock)
        return self._catalog().wire_counts()

    def wire_copies(self, doc_id: str) -> list[tuple[str, int]]:
        """The articles sharing near-duplicate passages with `doc_id`, and how many pairs."""
        wirecopy.refresh_pairs(self._catalog(), self._handles.lock)
        return self._catalog().wire_partners(self.resolve(doc_id))

    def compare(self, doc_a: str, doc_b: str) -> Comparison:
        """Two articles' passages aligned, and what each says that the other does not."""
        a, b = self.article(doc_a), self.article(doc_b)
        return compare_mod.compare_indexed(a, b, self._searcher(store.PASSAGES))

    # -- entities -------------------------------------------------------------
    def entities(self, label: str | None = None, hidden: bool = False) -> list[Entity]:
        """The corpus's entities, most mentioned first (hidden ones only if asked)."""
        return self._entities.entities(label, hidden)

    def entity(self, name: str) -> Entity:
        """The entity named `name`: its id, its name or any of its aliases."""
        return self._entities.entity(name)

    def corrections(self) -> list[Correction]:
        return self._entities.corrections()

    def merge_entities(self, entity: str, other: str) -> Entity:
        """One entity from two the reader split (`Poutine` and `Putin`)."""
        return self._entities.merge(entity, other)

    def split_alias(self, entity: str, alias: str) -> Entity:
        """`alias` leaves `entity` and becomes an entity of its own; returns it."""
        return self._entities.split(entity, alias)

    def rename_entity(self, entity: str, name: str) -> Entity:
        return self._entities.rename(entity, name)

    def hide_entity(self, entity: str) -> Entity:
        """A false entity: no longer listed, highlighted or searchable."""
        return self._entities.hide(entity)

    def undo_correction(self) -> Correction | None:
        """Take back the last correction; returns it (None when there was none)."""
        return self._entities.undo()
