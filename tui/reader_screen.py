"""`ReaderScreen`: the article list beside the text of the highlighted article."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header

from index import ArticleSummary, Corpus, PresseError, Progress
from tui.article_list import ArticleList
from tui.index_status import IndexStatus
from tui.passage_view import PassageView


class ReaderScreen(Screen[None]):
    """Reads `corpus`. The app sets `progress` while indexing and calls `reload()` after."""

    BINDING_GROUP_TITLE = "Reader"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Next pane"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False),
    ]

    summaries: reactive[tuple[ArticleSummary, ...]] = reactive(())
    """The articles of the corpus, as the catalog lists them."""

    article_id: reactive[str | None] = reactive(None)
    """The article shown in the text pane."""

    progress: reactive[Progress | None] = reactive(None)
    """The indexing step under way, or `None`."""

    def __init__(self, corpus: Corpus) -> None:
        super().__init__()
        self.corpus = corpus
        # Where the passage cursor was in each article read, to come back to it.
        self._cursors: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield ArticleList(id="article-list").data_bind(ReaderScreen.summaries)
            yield PassageView(id="passage-view")
        yield IndexStatus().data_bind(ReaderScreen.progress)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ArticleList).focus()
        self.reload()

    def reload(self, changed: frozenset[str] = frozenset()) -> None:
        """Read the article list again; re-read the shown article if its file is in `changed`."""
        try:
            self.summaries = tuple(self.corpus.articles())
        except PresseError as error:
            self.notify(
                str(error), title="Cannot list the articles", severity="error", markup=False
            )
            return
        shown = self.query_one(PassageView).article
        if shown is not None and shown.path in changed:
            self._cursors[shown.id] = self.query_one(PassageView).cursor
            self._show(shown.id)
        if not self.summaries:
            self.article_id = None

    def watch_progress(self, progress: Progress | None) -> None:
        placeholder = "Indexing the articles…" if progress is not None else "No articles."
        self.query_one(ArticleList).placeholder = placeholder
        self.query_one(PassageView).show_placeholder(
            "The articles appear here once indexed."
            if progress is not None
            else "No article to show."
        )

    def watch_article_id(self, old: str | None, new: str | None) -> None:
        view = self.query_one(PassageView)
        if old is not None and view.article is not None and view.article.id == old:
            self._cursors[old] = view.cursor
        self._show(new)

    def _show(self, article_id: str | None) -> None:
        view = self.query_one(PassageView)
        if article_id is None:
            view.show(None)
            return
        try:
            article = self.corpus.article(article_id)
        except PresseError as error:
            self.notify(str(error), title="Cannot open the article", severity="error", markup=False)
            view.show(None)
            return
        view.show(article, self._cursors.get(article_id, 0))

    @on(ArticleList.Highlighted)
    def _follow_list(self, message: ArticleList.Highlighted) -> None:
        self.article_id = message.article_id

    @on(ArticleList.Chosen)
    def _read_article(self, message: ArticleList.Chosen) -> None:
        self.article_id = message.article_id
        self.query_one(PassageView).focus()
