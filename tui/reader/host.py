"""`Reader`: what the reader screen's parts may ask of the screen that owns them.

The parts (`Navigation`, `Jumps`, `Listing`, `SearchFilter`, `RelatedLookups`,
`CorpusEntities`, `Bookmarking`, `Comparing`) are given the screen typed as this
protocol, not as `ReaderScreen`: they import no screen, and what they can reach of
it is written here. For Textual's own services (workers, timers, notifications,
dialogs) they go through `screen`, which for a screen is the screen itself: their
workers are the screen's, in its groups.
"""

from __future__ import annotations

from typing import Protocol

from textual.screen import Screen

from index import Article, ArticleSummary, Corpus, Entity, Progress, ReaderState, UserData
from tui.reader.article_list import ArticleList
from tui.reader.passage_view import PassageView
from tui.reader.related_pane import RelatedPane


class Reader(Protocol):
    """The reading state, the panes, and the moves the parts ask for."""

    corpus: Corpus
    userdata: UserData
    summaries: tuple[ArticleSummary, ...]
    """The articles of the corpus, as the catalog lists them (at start, a first page)."""
    article_count: int
    """How many articles the corpus has: more than `summaries` while the rest is read."""
    entities: dict[str, Entity]
    """The corpus's entities by id, once read."""
    article_id: str | None
    """The article shown in the text pane."""
    search_text: str
    """The search that filters the list ("" for none)."""
    compare_from: str | None
    """The article picked in the list to compare with the next one `c` is pressed on."""

    @property
    def screen(self) -> Screen[object]: ...
    @property
    def progress(self) -> Progress | None: ...
    @property
    def sort(self) -> str: ...
    @property
    def entity(self) -> str | None: ...
    @property
    def show_related(self) -> bool: ...
    @property
    def view(self) -> PassageView: ...
    @property
    def article_list(self) -> ArticleList: ...
    @property
    def related_pane(self) -> RelatedPane: ...

    def sort_quietly(self, sort: str) -> None: ...
    def restore_filters(self, state: ReaderState) -> None: ...
    def summary(self, article_id: str) -> ArticleSummary | None: ...
    def listed(self) -> tuple[ArticleSummary, ...]: ...
    def filter_by_entity(self, entity_id: str) -> None: ...
    def corrections_made(self) -> None: ...


class Places(Protocol):
    """Going to a place in the articles, and the marks of the one shown (`Navigation`)."""

    def article(self, article_id: str) -> Article | None: ...
    def open(self, article_id: str, passage: int | None = None) -> bool: ...
    def read(self, article_id: str, passage: int | None = None) -> None: ...
    def passage_in(self, article_id: str) -> int: ...
    def decorate(self) -> None: ...
    def show_status(self) -> None: ...
