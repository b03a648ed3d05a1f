"""`ReaderScreen`: the article list, the text of the article, and the related passages.

How it is built:

- The screen owns the *reading state*, as reactives: the article read, the filters
  (`search_text`, `entity`), the `sort`, whether the related pane shows, the article
  picked to compare. It keeps the bindings (the help reads them) and composes the
  panes, widgets that own what they show (`ArticleList`, `PassageView` and its status
  line, `RelatedPane`, `FilterBar`): attributes and calls down, messages up.
- The work is done by *parts*, plain objects the screen owns, one a concern, each with
  its own state (listed in `tui/reader/__init__.py`); watchers, message handlers and
  actions hand over to them. A part sees the screen through the `Reader` protocol and
  the article shown through `Places` (host.py), the little it may ask: no screen import.
- The workers run on the screen, the parts' too, in the groups `match`, `related`,
  `entities`, `wire` and `listing` (the articles after the first page): one
  `Worker.StateChanged` handler says what failed, and the messages they post come
  here, to be handed to the part they are for.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Header
from textual.worker import Worker, WorkerState

from index import ArticleSummary, Corpus, Entity, PresseError, Progress, ReaderState, UserData
from tui.engine_worker import EntitiesLoaded, call_in_worker
from tui.footer import KeysFooter
from tui.reader.article_list import ArticleList
from tui.reader.bookmarking import Bookmarking
from tui.reader.commands import PROVIDERS, Palette
from tui.reader.comparing import Comparing
from tui.reader.entities import CorpusEntities
from tui.reader.filter_bar import FilterBar
from tui.reader.host import Reader
from tui.reader.index_status import IndexStatus
from tui.reader.listing import SORT_NAMES, Listing, first_page, next_sort
from tui.reader.navigation import Navigation
from tui.reader.passage_view import PassageView
from tui.reader.related import RelatedLookups
from tui.reader.related_pane import RelatedPane
from tui.reader.search_filter import SearchFilter
from tui.reader.session import Session
from tui.reader.wire import WireCopy

# While an update commits articles, the list is read again at most so often (a list of
# 10,000 articles takes about 50 ms to read and lay out).
LIST_GROWS_SECONDS = 1.0

# A corpus of more articles than this starts with a first page of `FIRST_PAGE` of them
# listed, from the one read last (in the order restored); the rest are read in a thread once
# it is painted: 100,000 summaries take a third of a second to read, 20,000 a fifteenth
# (and a list that grows after the first paint is more work in all).
FIRST_PAGE = 200
READ_WHOLE = 20_000


class ReaderScreen(Screen[None], inherit_bindings=False):
    """Reads `corpus`. The app sets `progress` while indexing and calls `reload()` after."""

    BINDING_GROUP_TITLE = "Reader"

    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = PROVIDERS

    # (Textual declares it as an instance variable, which ClassVar here would contradict.)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Next pane", show=False),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False),
        Binding("slash", "search", "Search"),
        Binding("n", "next_hit", "Next hit"),
        Binding("N", "previous_hit", "Previous hit", show=False),
        Binding("e", "entities", "Entities"),
        Binding("backspace", "back", "Back"),
        Binding("escape", "clear_filters", "Clear filter"),
        Binding("B", "bookmarks", "Bookmarks", show=False),
        Binding("r", "toggle_related", "Related pane", show=False),
        Binding("c", "compare", "Compare"),
        Binding("C", "compare_choose", "Compare with… (choose)", show=False),
    ]

    progress: reactive[Progress | None] = reactive(None)
    """The indexing step under way, or `None`."""

    article_id: reactive[str | None] = reactive(None, init=False)
    """The article shown in the text pane."""

    sort: reactive[str] = reactive("file", init=False)
    """How the list is sorted: file, date, title, or relevance (with a search)."""

    search_text: reactive[str] = reactive("", init=False)
    """The search that filters the list ("" for none)."""

    entity: reactive[str | None] = reactive(None, init=False)
    """The id of the entity that filters the list, or None."""

    show_related: reactive[bool] = reactive(True, init=False)
    """Whether the related pane is shown."""

    compare_from: reactive[str | None] = reactive(None, init=False)
    """The article picked in the list (`c`) to compare with the next one `c` is pressed on."""

    @dataclass
    class Listed(Message):
        """Every article's summary, read in a thread after the first page was shown."""

        summaries: tuple[ArticleSummary, ...]
        reading: int
        """Which reading of the list this is: a later `reload` makes it out of date."""

    def __init__(self, corpus: Corpus, userdata: UserData | None = None) -> None:
        super().__init__()
        self.corpus = corpus
        self.userdata = userdata if userdata is not None else UserData(corpus.index_dir)
        self.summaries: tuple[ArticleSummary, ...] = ()
        """The articles of the corpus, as the catalog lists them (at start, a first page)."""
        self.article_count = 0
        """How many articles the corpus has: more than `summaries` while the rest is read."""
        self._readings = 0  # readings of the list: a late one is dropped
        self.entities: dict[str, Entity] = {}
        """The corpus's entities by id, once loaded."""
        self.navigation = Navigation(self)
        self.jumps = self.navigation.jumps
        self.search_filter = SearchFilter(self, self.navigation)
        self.listing = Listing(self, self.search_filter)
        self.session = Session(self, self.navigation, self.listing)
        self.related = RelatedLookups(self)
        self.corpus_entities = CorpusEntities(self)
        self.wire = WireCopy(self)
        self.bookmarks = Bookmarking(self, self.navigation)
        self.comparing = Comparing(self, self.navigation)
        self._grown_at = 0.0  # when the list last grew along an update

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterBar(id="filter-bar", classes="-empty")
        with Horizontal(id="panes"):
            yield ArticleList(id="article-list")
            with Horizontal(id="reading"):
                yield PassageView(id="passage-view")
                yield RelatedPane(id="related-pane")
        yield IndexStatus().data_bind(ReaderScreen.progress)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.article_list.focus()
        self.start()
        # After the first paint: reading the entities of 10,000 articles takes a second, in
        # a thread that held the interpreter's lock while the first screen was drawn.
        self.call_after_refresh(self.corpus_entities.load)

    @property
    def view(self) -> PassageView:
        return self.query_one(PassageView)

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def related_pane(self) -> RelatedPane:
        return self.query_one(RelatedPane)

    # -- the corpus and the state kept between runs ---------------------------------
    def start(self) -> None:
        """List the articles and go back to where the last run was. Past `READ_WHOLE`
        articles, the first screen lists a first page of the list in the order restored,
        from the article read last, and the rest is read after it is painted."""
        state = self.userdata.state()
        try:
            count = self.corpus.article_count()
            if count > READ_WHOLE:
                self.summaries = first_page(self.corpus, state.sort, state.article, FIRST_PAGE)
                self.article_count = count
            else:
                self.summaries = tuple(self.corpus.articles())
                self.article_count = len(self.summaries)
        except PresseError as error:
            self._cannot_list(str(error))
            return
        self.session.restore(state)
        if len(self.summaries) < self.article_count:
            self.call_after_refresh(self._read_every_article)

    def _read_every_article(self) -> None:
        if len(self.summaries) >= self.article_count:
            return  # read since, every article (an update)
        self.run_worker(
            partial(_post_every_article, self, self._readings),
            name="read_articles",
            group="listing",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        if message.reading != self._readings or not self.is_attached:
            return  # read again since (an update), or the reader is closing
        self.summaries = message.summaries
        self.article_count = len(message.summaries)
        # The cursor stays on its article, and where it is on the screen.
        keep = self.article_list.highlighted_id or self.article_id
        self.listing.relist(keep=keep, same_row=True)

    def _cannot_list(self, message: str) -> None:
        # What is listed is all there is until the list is read again: the filters, which
        # wait for the whole list, then work on it.
        self.article_count = len(self.summaries)
        self.listing.relist(keep=self.article_list.highlighted_id or self.article_id)
        self.notify(message, title="Cannot list the articles", severity="error", markup=False)

    def reload(self, changed: Collection[str] = ()) -> None:
        """Read the article list again. With `changed` (files the index changed), forget
        what was read before: articles, hits, related passages, entities."""
        self._readings += 1  # a first page's rest still read is out of date
        try:
            self.summaries = tuple(self.corpus.articles())
        except PresseError as error:
            self._cannot_list(str(error))
            return
        self.article_count = len(self.summaries)
        if changed:
            self.jumps.forget()
            self.related.forget()
            self.corpus_entities.load()
            if self.search_text:
                self.search_filter.run(self.search_text)
        self.listing.relist()
        if changed:
            self.navigation.show(self.article_id)
        if not self.summaries:
            self.article_id = None

    def articles_committed(self) -> None:
        """The background update committed articles: list them as they come (at most
        every `LIST_GROWS_SECONDS`, and at once into an empty list), so a first index
        shows articles to read long before it is done."""
        now = time.monotonic()
        if not self.is_attached:
            return  # (the reader is closing)
        if self.summaries and now - self._grown_at < LIST_GROWS_SECONDS:
            return
        self._grown_at = now
        self.reload()

    def restore_filters(self, state: ReaderState) -> None:
        """Set the filters, sort and pane of `state` without listing again (`Session`)."""
        self.set_reactive(ReaderScreen.show_related, state.related)
        self.set_class(not state.related, "-no-related")
        self.sort_quietly(state.sort if state.sort != "relevance" else "file")
        if state.query:
            self.set_reactive(ReaderScreen.search_text, state.query)
            self.sort_quietly(state.sort)
            self.search_filter.run(state.query)
        if state.entity:
            self.set_reactive(ReaderScreen.entity, state.entity)

    def save_state(self) -> None:
        """Remember where the reader is, for the next start."""
        self.session.save()

    def load_wire_counts(self) -> None:
        """Count the wire copy for the list (once the index is up to date)."""
        self.wire.load()

    def help_dialogs(self) -> tuple[type[Screen[Any]], ...]:
        """The dialogs whose keys the help lists too: a newcomer looks for them in `?`.
        (Imported when asked: the dialogs are not needed to start.)"""
        from tui.dialogs.bookmarks import BookmarksScreen
        from tui.dialogs.entities import EntityScreen
        from tui.dialogs.search import SearchScreen

        return (SearchScreen, EntityScreen, BookmarksScreen)

    # -- what the parts and the palette ask ---------------------------------------------
    def summary(self, article_id: str) -> ArticleSummary | None:
        return next((s for s in self.summaries if s.id == article_id), None)

    def listed(self) -> tuple[ArticleSummary, ...]:
        return self.listing.listed()

    def sort_quietly(self, sort: str) -> None:
        """Sort by `sort` without listing again: the caller lists."""
        self.set_reactive(ReaderScreen.sort, sort)

    def filter_by_entity(self, entity_id: str) -> None:
        self.jumps.follow(entity_id)
        self.entity = entity_id
        self.refresh_bindings()

    def corrections_made(self) -> None:
        """Entities changed: read the articles' mentions and the entities again."""
        self.related.forget()
        self.jumps.forget()
        self.corpus_entities.load()
        self.navigation.show(self.article_id)

    # -- the state watched ------------------------------------------------------------
    def watch_sort(self) -> None:
        self.listing.relist()

    def watch_entity(self) -> None:
        self.listing.relist()
        self.jumps.retarget()
        self.navigation.decorate()

    def watch_search_text(self, query: str) -> None:
        self.search_filter.start(query)
        self.listing.relist()
        self.jumps.search_changed()
        self.navigation.decorate()
        self.navigation.show_status()
        self.refresh_bindings()

    def watch_progress(self, progress: Progress | None) -> None:
        indexing = progress is not None
        self.article_list.placeholder = "Indexing the articles…" if indexing else "No articles."
        self.view.show_placeholder(
            "The articles appear here once indexed." if indexing else "No article to show."
        )

    def watch_article_id(self, old: str | None, new: str | None) -> None:
        self.navigation.leave(old)
        self.navigation.show(new)

    def watch_show_related(self, shown: bool) -> None:
        self.set_class(not shown, "-no-related")
        view = self.view
        if shown and view.article is not None:
            self.related.follow(view.article.id, view.cursor)

    def watch_compare_from(self, picked: str | None) -> None:
        self.article_list.pinned = picked
        self.listing.show_filters()
        self.refresh_bindings()

    # -- messages ---------------------------------------------------------------------
    @on(ArticleList.Highlighted)
    def _follow_list(self, message: ArticleList.Highlighted) -> None:
        self.article_id = message.article_id

    @on(ArticleList.Chosen)
    def _read_article(self, message: ArticleList.Chosen) -> None:
        self.article_id = message.article_id
        self.view.focus()

    @on(PassageView.CursorMoved)
    def _cursor_moved(self, message: PassageView.CursorMoved) -> None:
        moved = self.navigation.moved(message.article_id, message.passage)
        if moved and self.show_related:
            self.related.follow(message.article_id, message.passage)

    @on(RelatedPane.Chosen)
    def _jump_related(self, message: RelatedPane.Chosen) -> None:
        self.navigation.open(message.doc, message.passage)

    @on(EntitiesLoaded)
    def _entities_loaded(self, message: EntitiesLoaded) -> None:
        if not self.corpus_entities.loaded(message):
            return
        if self.entity is not None and self.entity not in self.entities:
            self.entity = None  # corrected away, or no longer in the corpus
        self.listing.relist()
        self.navigation.show_status()
        self.related.rename()

    @on(SearchFilter.Matched)
    def _matched(self, message: SearchFilter.Matched) -> None:
        if self.search_filter.matched(message):
            self.listing.relist()

    @on(SearchFilter.Failed)
    def _match_failed(self, message: SearchFilter.Failed) -> None:
        self.search_filter.failed(message)

    @on(RelatedLookups.Found)
    def _related_found(self, message: RelatedLookups.Found) -> None:
        self.related.found(message.result)

    @on(RelatedLookups.Failed)
    def _related_failed(self, message: RelatedLookups.Failed) -> None:
        self.related.failed(message.error)

    @on(WireCopy.Counted)
    def _wire_counted(self, message: WireCopy.Counted) -> None:
        self.wire.counted(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        group, error = event.worker.group, event.worker.error
        message = f"{type(error).__name__}: {error}"
        if group == "related":
            self.related.failed(message)
        elif group == "match":
            self.search_filter.broke(message)
        elif group == "entities":
            self.notify(message, title="Cannot list the entities", severity="error", markup=False)
        elif group == "listing":
            self._cannot_list(message)
        elif group == "wire":
            self.wire.done()
            self.notify(message, title="Wire copy not counted", severity="warning", markup=False)

    # -- the keys ---------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_hit", "previous_hit"):
            return bool(self.search_text)
        if action == "clear_filters":
            return bool(self.search_text or self.entity is not None or self.compare_from)
        if action == "back":
            return bool(self.navigation.history)
        return True

    def action_clear_filters(self) -> None:
        if self.compare_from is not None:
            self.compare_from = None
            return
        self.search_filter.clear()
        if self.entity is not None:
            self.entity = None
        self.listing.relist()
        self.refresh_bindings()

    def action_cycle_sort(self) -> None:
        self.sort = next_sort(self.sort, searching=bool(self.search_text))
        self.notify(f"Articles sorted {SORT_NAMES[self.sort]}.", timeout=2)

    def action_toggle_related(self) -> None:
        if self.related_pane.has_focus:
            self.view.focus()
        self.show_related = not self.show_related

    def action_next_entity(self) -> None:
        self.jumps.next_entity()

    def action_search(self) -> None:
        self.search_filter.ask()

    def action_next_hit(self) -> None:
        self.jumps.hit(1)

    def action_previous_hit(self) -> None:
        self.jumps.hit(-1)

    def action_next_mention(self) -> None:
        self.jumps.mention(1)

    def action_previous_mention(self) -> None:
        self.jumps.mention(-1)

    def action_back(self) -> None:
        self.navigation.back()

    def action_entities(self) -> None:
        self.corpus_entities.panel(self.entity or self.jumps.target)

    def action_undo_correction(self) -> None:
        self.corpus_entities.panel(then="undo")

    def action_bookmark(self) -> None:
        self.bookmarks.edit()

    def action_bookmarks(self) -> None:
        self.bookmarks.list()

    def action_export_notes(self) -> None:
        self.bookmarks.export()

    def action_compare(self) -> None:
        self.comparing.compare()

    def action_compare_choose(self) -> None:
        self.comparing.choose()


def _post_every_article(screen: ReaderScreen, reading: int) -> None:
    """The body of the thread worker that reads the rest of the list after its first
    page: every article's summary, posted to `screen` as `Listed`."""
    summaries = call_in_worker(screen.corpus, screen.corpus.articles)
    if summaries is not None:
        screen.post_message(screen.Listed(tuple(summaries), reading))


if TYPE_CHECKING:  # mypy checks that the screen is what its palette and parts expect

    def _palette(screen: ReaderScreen) -> Palette:
        return screen

    def _reader(screen: ReaderScreen) -> Reader:
        return screen
