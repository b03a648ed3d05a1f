"""What the article list shows: the articles the filters let through, in the order chosen.

`listed` is a plain function of the reader's state, so that the list, the filter bar
and the jumps to the next listed article agree on one order; `Listing` fills the
list and the filter bar with it.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable, Mapping

from index import ArticleSummary, Corpus, Entity
from tui.display import article_title, one_line
from tui.reader.filter_bar import FilterBar
from tui.reader.host import Reader
from tui.reader.search_filter import SearchFilter

SORT_NAMES = {
    "file": "by file",
    "date": "by date, newest first",
    "title": "by title",
    "relevance": "best match first",
}


def naming(entity_id: str | None, entities: Mapping[str, Entity]) -> set[str] | None:
    """The articles that name the entity `entity_id` filters by, or None for no filter:
    none chosen, or the entities not read yet (the list waits for them unfiltered)."""
    if entity_id is None or not entities:
        return None
    entity = entities.get(entity_id)
    return set(entity.articles) if entity is not None else set()


def title_key(title: str, path: str) -> str:
    """What the list sorts by title: the title shown (`article_title`), case folded. A
    title without control characters or line breaks is shown stripped, as it is: the
    regular expressions of `one_line` are spared for the others (most of the time of a
    sort of 100,000 titles)."""
    shown = title.strip() if title.isprintable() else one_line(title)
    if not shown:
        shown = path.strip() if path.isprintable() else one_line(path)
    return shown.casefold()


def first_by_title(
    titles: Iterable[tuple[str, str, str]], start: str | None, limit: int
) -> list[str]:
    """The ids of a first page of the list sorted by title, from (id, path, title) (all
    the articles, or those `Corpus.article_titles` says may be in it): at most `limit`
    of them, from the article `start` on (from the first when None or not found). The
    order is `listed`'s: by title, then by file."""
    keyed = [
        # (title_key's quick way, inlined: a call for each of 100,000 titles shows)
        (title.strip().casefold(), doc_id)
        if title.isprintable() and not title.isspace() and title
        else (title_key(title, path), doc_id)
        for doc_id, path, title in titles
    ]
    if start is not None:
        begin = next((pair for pair in keyed if pair[1] == start), None)
        if begin is not None:
            keyed = [pair for pair in keyed if pair >= begin]
    return [doc_id for _, doc_id in heapq.nsmallest(limit, keyed)]


def first_page(
    corpus: Corpus, sort: str, article_id: str | None, size: int
) -> tuple[ArticleSummary, ...]:
    """The first `size` articles listed in the order `sort`, from `article_id` when it
    still exists: the rows the whole list has there, read without the rest. (By match,
    the search is not run yet when the first screen is painted: the list is by file.)"""
    if sort == "date":
        return tuple(corpus.articles_by_date(start=article_id, limit=size))
    if sort == "title":
        start = corpus.articles_of([article_id]) if article_id else []
        key = title_key(start[0].title, start[0].path) if start else ""
        titles = corpus.article_titles(initial=key[:1] or None, limit=size)
        ids = first_by_title(titles, article_id if start else None, size)
        return tuple(corpus.articles_of(ids))
    if article_id:
        page = corpus.articles(start=article_id, limit=size)
        if page and page[0].id == article_id:
            return tuple(page)
    return tuple(corpus.articles(limit=size))


def listed(
    summaries: Iterable[ArticleSummary],
    *,
    named: Collection[str] | None,
    matches: tuple[str, ...] | None,
    sort: str,
) -> tuple[ArticleSummary, ...]:
    """`summaries` in the `named` articles and the search `matches` (best first), when
    those filter, sorted by `sort` (`relevance`: the order of the matches)."""
    if named is not None:
        summaries = [s for s in summaries if s.id in named]
    if matches is not None:
        rank = {doc_id: n for n, doc_id in enumerate(matches)}
        summaries = [s for s in summaries if s.id in rank]
        if sort == "relevance":
            return tuple(sorted(summaries, key=lambda s: rank[s.id]))
    if sort == "date":
        # Newest first; the undated last, in file order.
        summaries = list(summaries)
        dated = sorted((s for s in summaries if s.date), key=lambda s: s.date, reverse=True)
        return (*dated, *(s for s in summaries if not s.date))
    if sort == "title":
        return tuple(sorted(summaries, key=lambda s: title_key(s.title, s.path)))
    return tuple(summaries)


def next_sort(sort: str, *, searching: bool) -> str:
    """The sort after `sort`: file, date, title, and with a search the matches' order."""
    sorts = ["file", "date", "title"] + (["relevance"] if searching else [])
    at = sorts.index(sort) if sort in sorts else -1
    return sorts[(at + 1) % len(sorts)]


class Listing:
    """Fills `reader`'s article list and filter bar from its filters, sort and the
    articles `search` matches."""

    def __init__(self, reader: Reader, search: SearchFilter) -> None:
        self._reader = reader
        self._search = search

    @property
    def whole(self) -> bool:
        """Whether every article is read (not a first page whose rest is on its way)."""
        return len(self._reader.summaries) >= self._reader.article_count

    def listed(self) -> tuple[ArticleSummary, ...]:
        """The articles the filters let through, in the chosen order. While the articles
        after a first page are read, the filters wait for them: matched in the first
        page only, the list would lack those of the rest, and lose its cursor."""
        reader = self._reader
        whole = self.whole
        return listed(
            reader.summaries,
            named=naming(reader.entity, reader.entities) if whole else None,
            matches=self._search.matches if whole else None,
            sort=reader.sort,
        )

    def relist(self, keep: str | None = None, *, same_row: bool = False) -> None:
        """List the articles again, the cursor on `keep` (by default the article read);
        with `same_row`, where it is in view."""
        reader = self._reader
        articles = reader.article_list
        articles.total = reader.article_count
        articles.reading = not self.whole
        articles.order = SORT_NAMES.get(reader.sort, "")
        articles.show(self.listed(), keep=keep or reader.article_id, same_row=same_row)
        self.show_filters()

    def show_filters(self) -> None:
        """Say in the filter bar what filters the list, or which article is picked."""
        reader = self._reader
        bar = reader.screen.query_one(FilterBar)
        if reader.compare_from is not None:
            summary = reader.summary(reader.compare_from)
            bar.show_pick(article_title(summary) if summary else reader.compare_from)
            return
        matches = self._search.matches
        filtered = bool(reader.search_text) or reader.entity is not None
        bar.show_filters(
            search=reader.search_text,
            searching=self._search.searching,
            matches=len(matches) if matches is not None else None,
            entity=reader.entity,
            entity_found=None if reader.entity is None else reader.entities.get(reader.entity),
            shown=(len(self.listed()) if filtered else 0) if self.whole else None,
            total=reader.article_count,
        )
