"""`ReaderScreen`: the article list, the text of the article, and the related passages.

The screen owns the reading state: the filters (a search, an entity), the sort,
the article and passage read, the search hits and the entity `]`/`[` follow, the
history of jumps. Panes get it as attributes and report moves as messages.
Engine calls that can take a while (search, related, entities) run in thread
workers; the articles and related passages read last are kept until the index
changes.
"""

from __future__ import annotations

import bisect
import contextlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.command import Provider
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Static
from textual.worker import Worker, WorkerState, get_current_worker

from index import (
    Article,
    ArticleSummary,
    Bookmark,
    Corpus,
    Entity,
    Mention,
    PresseError,
    Progress,
    ReaderState,
    RelatedResult,
    UserData,
)
from tui.display import LABEL_NAME, article_title, one_line
from tui.engine_worker import EntitiesLoaded, call_in_worker, post_entities
from tui.reader.article_list import ArticleList
from tui.reader.commands import ArticleCommands, EntityCommands, ReaderCommands
from tui.reader.index_status import IndexStatus
from tui.reader.passage_view import PassageView, Span
from tui.reader.related_pane import RelatedPane

if TYPE_CHECKING:  # the dialogs are imported when first opened: a faster start
    from tui.compare.screen import ReadHere
    from tui.dialogs.entities import EntityChoice
    from tui.dialogs.note import NoteChange
    from tui.dialogs.search import SearchChoice

# Seconds the passage cursor must rest before the related passages are looked up.
RELATED_DEBOUNCE = 0.15
RELATED_LIMIT = 10
# Related results and search-hit spans kept, for the passages and articles read last.
RELATED_KEPT = 256
HITS_KEPT = 256
# Jumps remembered for `backspace`.
HISTORY_LIMIT = 200
SORT_NAMES = {
    "file": "by file",
    "date": "by date, newest first",
    "title": "by title",
    "relevance": "best match first",
}


@dataclass(frozen=True)
class Place:
    """A place to come back to: an article and a passage."""

    article: str
    passage: int


class ReaderScreen(Screen[None], inherit_bindings=False):
    """Reads `corpus`. The app sets `progress` while indexing and calls `reload()` after."""

    BINDING_GROUP_TITLE = "Reader"

    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {
        ArticleCommands,
        EntityCommands,
        ReaderCommands,
    }

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

    target: reactive[str | None] = reactive(None, init=False)
    """The entity `]`/`[` go to the mentions of (an id)."""

    compare_from: reactive[str | None] = reactive(None, init=False)
    """The article picked in the list (`c`) to compare with the next one `c` is pressed on."""

    @dataclass
    class Matched(Message):
        """The articles a search filter matches, best first."""

        query: str
        ids: tuple[str, ...]

    @dataclass
    class MatchFailed(Message):
        query: str
        error: str

    @dataclass
    class RelatedFound(Message):
        result: RelatedResult

    @dataclass
    class RelatedFailed(Message):
        doc: str
        passage: int
        error: str

    @dataclass
    class WireCounted(Message):
        """For each article with wire copy, how many other articles share its wording."""

        counts: dict[str, int]

    def __init__(self, corpus: Corpus, userdata: UserData | None = None) -> None:
        super().__init__()
        self.corpus = corpus
        self.userdata = userdata if userdata is not None else UserData(corpus.index_dir)
        self.summaries: tuple[ArticleSummary, ...] = ()
        """The articles of the corpus, as the catalog lists them."""
        self.entities: dict[str, Entity] = {}
        """The corpus's entities by id, once loaded."""
        self.wire_counts: dict[str, int] = {}
        """Wire copy: how many other articles share near-duplicate passages with each one."""
        self.matches: tuple[str, ...] | None = None
        """The articles the search matches, best first; None without a search."""
        # Where the passage cursor was in each article read, to come back to it.
        self._cursors: dict[str, int] = {}
        # Bounded: a reader moving through thousands of articles for an hour would keep
        # them all, and every object kept is one more for each garbage collection to walk.
        self._hit_cache: LRUCache[tuple[str, str], tuple[Span, ...]] = LRUCache(HITS_KEPT)
        self._related: LRUCache[tuple[str, int], RelatedResult] = LRUCache(RELATED_KEPT)
        self._related_timer: Timer | None = None
        self.hits: tuple[Span, ...] = ()
        self.hit_index: int | None = None
        self._current: Span | None = None
        self._sticky: str | None = None
        self._mention_at: int | None = None
        self.history: list[Place] = []
        self._sort_before_search = "file"
        self._restored = False
        self._searching = False
        self._entities_asked = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="filter-bar", classes="-empty")
        with Horizontal(id="panes"):
            yield ArticleList(id="article-list")
            with Horizontal(id="reading"):
                yield PassageView(id="passage-view")
                yield RelatedPane(id="related-pane")
        yield IndexStatus().data_bind(ReaderScreen.progress)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ArticleList).focus()
        self.reload(restore=True)
        # After the first paint: reading the entities of 10,000 articles takes a second, in
        # a thread that held the interpreter's lock while the first screen was drawn.
        self.call_after_refresh(self.load_entities)

    # -- the corpus -----------------------------------------------------------------
    def reload(self, changed: Collection[str] = (), *, restore: bool = False) -> None:
        """Read the article list again. With `changed` (files the index changed), forget
        what was read before: articles, hits, related passages, entities."""
        try:
            self.summaries = tuple(self.corpus.articles())
        except PresseError as error:
            self.notify(
                str(error), title="Cannot list the articles", severity="error", markup=False
            )
            return
        if restore:
            self._restore(self.userdata.state())
            return
        if changed:
            self._hit_cache.clear()
            self._related.clear()
            self.load_entities()
            if self.search_text:
                self._run_match()
        self._relist()
        if changed:
            self._show(self.article_id)
        if not self.summaries:
            self.article_id = None

    def _restore(self, state: ReaderState) -> None:
        ids = {summary.id for summary in self.summaries}
        self.set_reactive(ReaderScreen.show_related, state.related)
        self.set_class(not state.related, "-no-related")
        self.set_reactive(ReaderScreen.sort, state.sort if state.sort != "relevance" else "file")
        if state.query:
            self.set_reactive(ReaderScreen.search_text, state.query)
            self.set_reactive(ReaderScreen.sort, state.sort)
            self._run_match()
        if state.entity:
            self.set_reactive(ReaderScreen.entity, state.entity)
        article = state.article if state.article in ids else None
        if article is not None:
            self._cursors[article] = state.passage
        self._relist(keep=article)
        if article is not None and self.article_id != article:
            self.article_id = article
        self._restored = True

    def reader_state(self) -> ReaderState:
        view = self.query_one(PassageView)
        return ReaderState(
            article=self.article_id,
            passage=view.cursor if view.article is not None else 0,
            query=self.search_text,
            entity=self.entity,
            sort=self.sort,
            related=self.show_related,
        )

    def save_state(self) -> None:
        """Remember where the reader is, for the next start."""
        if not self._restored:
            return
        # On the way out: nothing useful to say if it fails, and nowhere to say it.
        with contextlib.suppress(PresseError):
            self.userdata.save_state(self.reader_state())

    def article(self, article_id: str) -> Article | None:
        """The article, from those the corpus keeps of the last read (until the index
        changes), or None, said in a notification, when it cannot be read."""
        try:
            return self.corpus.recent_article(article_id)
        except PresseError as error:
            self.notify(str(error), title="Cannot open the article", severity="error", markup=False)
            return None

    def load_entities(self) -> None:
        """Read the entities again; only the last reading asked for is shown."""
        self._entities_asked += 1
        self._read_entities(self._entities_asked)

    # Not exclusive: a reading still under way when another is asked (the first, after an
    # update that came quickly) is left to finish and its result dropped, not cancelled.
    @work(thread=True, exit_on_error=False, group="entities")
    def _read_entities(self, asked: int) -> None:
        post_entities(self.corpus, self, asked)

    @on(EntitiesLoaded)
    def _entities_loaded(self, message: EntitiesLoaded) -> None:
        if message.asked != self._entities_asked:
            return
        self.entities = {entity.id: entity for entity in message.entities}
        if self.entity is not None and self.entity not in self.entities:
            self.entity = None  # corrected away, or no longer in the corpus
        self._relist()
        self._update_status()
        related = self.query_one(RelatedPane)
        if related.result is not None:
            related.show_result(related.result, self.entity_names)

    @property
    def entity_names(self) -> dict[str, str]:
        return {entity_id: entity.name for entity_id, entity in self.entities.items()}

    def entity_name(self, entity_id: str) -> str:
        entity = self.entities.get(entity_id)
        return one_line(entity.name) if entity else entity_id

    # -- the list ---------------------------------------------------------------------
    def listed(self) -> tuple[ArticleSummary, ...]:
        """The articles the filters let through, in the chosen order."""
        summaries: Iterable[ArticleSummary] = self.summaries
        if self.entity is not None and self.entities:
            entity = self.entities.get(self.entity)
            named = set(entity.articles) if entity is not None else set()
            summaries = [s for s in summaries if s.id in named]
        if self.matches is not None:
            rank = {doc_id: n for n, doc_id in enumerate(self.matches)}
            summaries = [s for s in summaries if s.id in rank]
            if self.sort == "relevance":
                return tuple(sorted(summaries, key=lambda s: rank[s.id]))
        if self.sort == "date":
            # Newest first; the undated last, in file order.
            dated = sorted((s for s in summaries if s.date), key=lambda s: s.date, reverse=True)
            return (*dated, *(s for s in summaries if not s.date))
        if self.sort == "title":
            return tuple(sorted(summaries, key=lambda s: article_title(s).casefold()))
        return tuple(summaries)

    def _relist(self, keep: str | None = None) -> None:
        articles = self.query_one(ArticleList)
        articles.total = len(self.summaries)
        articles.order = SORT_NAMES.get(self.sort, "")
        articles.show(self.listed(), keep=keep or self.article_id)
        self._update_filter_bar()

    def _update_filter_bar(self) -> None:
        bar = self.query_one("#filter-bar", Static)
        parts: list[Text] = []
        if self.search_text:
            part = Text.assemble(("Search ", "dim"), (one_line(self.search_text), "bold"))
            if self._searching:
                part.append(" (searching…)", style="dim")
            elif self.matches is not None:
                count = len(self.matches)
                part.append(f" · {count} article{'s' if count != 1 else ''}", style="dim")
            parts.append(part)
        if self.entity is not None:
            entity = self.entities.get(self.entity)
            part = Text.assemble(("Entity ", "dim"), (self.entity_name(self.entity), "bold"))
            if entity is not None:
                count = len(entity.articles)
                label = LABEL_NAME.get(entity.label, entity.label)
                part.append(f" ({label}) · {count} article{'s' if count != 1 else ''}", "dim")
            parts.append(part)
        if self.compare_from is not None:
            summary = self._summary(self.compare_from)
            title = article_title(summary) if summary else self.compare_from
            bar.set_class(False, "-empty")
            bar.update(
                Text.assemble(
                    ("Picked to compare ", "dim"),
                    ("(c on another article compares, esc cancels)", "dim italic"),
                    (": ", "dim"),
                    (title, "bold"),
                )
            )
            return
        bar.set_class(not parts, "-empty")
        if parts:
            shown = len(self.listed())
            line = Text(" + ").join(parts)
            line.append(f"  →  {shown} of {len(self.summaries)} listed", style="dim")
            line.append("   esc clears", style="dim italic")
            bar.update(line)

    def watch_sort(self) -> None:
        self._relist()

    def watch_entity(self) -> None:
        self._relist()
        self._retarget()
        self._decorate()

    def watch_search_text(self, query: str) -> None:
        self.matches = None
        self.hits, self.hit_index, self._current = (), None, None
        if query:
            self._run_match()
        else:
            self._searching = False
            self.workers.cancel_group(self, "match")
        self._relist()
        self._compute_hits()
        self._decorate()
        self._update_status()
        self.refresh_bindings()

    def _run_match(self) -> None:
        self._searching = True
        self.match_articles(self.search_text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="match")
    def match_articles(self, query: str) -> None:
        """Every article that matches `query`, best first, for the list (ids only: a
        snippet for each of hundreds of hits took most of a second)."""
        try:
            ids = call_in_worker(self.corpus, lambda: self.corpus.search_ids(query))
        except PresseError as error:
            if not get_current_worker().is_cancelled:
                self.post_message(self.MatchFailed(query, str(error)))
            return
        if ids is not None:
            self.post_message(self.Matched(query, tuple(ids)))

    @on(Matched)
    def _matched(self, message: Matched) -> None:
        if message.query != self.search_text:
            return
        self._searching = False
        self.matches = message.ids
        self._relist()

    @on(MatchFailed)
    def _match_failed(self, message: MatchFailed) -> None:
        if message.query != self.search_text:
            return
        self.notify(message.error, title="The search cannot run", severity="error", markup=False)
        self.search_text = ""

    def watch_progress(self, progress: Progress | None) -> None:
        placeholder = "Indexing the articles…" if progress is not None else "No articles."
        self.query_one(ArticleList).placeholder = placeholder
        self.query_one(PassageView).show_placeholder(
            "The articles appear here once indexed."
            if progress is not None
            else "No article to show."
        )

    # -- the article ------------------------------------------------------------------
    def watch_article_id(self, old: str | None, new: str | None) -> None:
        view = self.query_one(PassageView)
        if old is not None and view.article is not None and view.article.id == old:
            self._cursors[old] = view.cursor
        self._show(new)

    def _show(self, article_id: str | None) -> None:
        view = self.query_one(PassageView)
        article = self.article(article_id) if article_id is not None else None
        self._current, self._mention_at, self.hit_index = None, None, None
        if article is None:
            self.hits = ()
            view.show(None)
            self._update_status()
            return
        self.hits = self._hits_in(article.id)
        view.show(
            article,
            self._cursors.get(article.id, 0),
            hits=self.hits,
            target=self.target,
            notes=self._notes(article.id),
        )

    def _hits_in(self, article_id: str) -> tuple[Span, ...]:
        if not self.search_text:
            return ()
        key = (article_id, self.search_text)
        hits = self._hit_cache.get(key)
        if hits is None:
            try:
                hits = tuple(self.corpus.find_hits(article_id, self.search_text))
            except PresseError:
                hits = ()
            self._hit_cache[key] = hits
        return hits

    def _compute_hits(self) -> None:
        self.hits = self._hits_in(self.article_id) if self.article_id else ()

    def _notes(self, article_id: str) -> dict[int, str]:
        return {b.passage: b.note for b in self.userdata.bookmarks() if b.article == article_id}

    def _decorate(self) -> None:
        view = self.query_one(PassageView)
        if view.article is None:
            return
        view.decorate(
            hits=self.hits,
            current=self._current,
            target=self.target,
            notes=self._notes(view.article.id),
        )

    def open(
        self,
        article_id: str,
        passage: int | None = None,
        *,
        offset: int | None = None,
        remember: bool = True,
    ) -> bool:
        """Show `article_id` with the cursor on `passage` (or on the passage of `offset`);
        `remember` the place left, for `backspace`. False when the article cannot open."""
        if self.article(article_id) is None:
            return False
        if remember:
            self._remember()
        if article_id != self.article_id:
            if passage is not None:
                self._cursors[article_id] = passage
            self.article_id = article_id
        elif passage is not None:
            self.query_one(PassageView).cursor = passage
        if offset is not None:
            self.query_one(PassageView).go_to(offset)
        self.query_one(ArticleList).select(article_id)
        return True

    def open_from_palette(self, article_id: str) -> None:
        if self.open(article_id):
            self.query_one(PassageView).focus()

    def _remember(self) -> None:
        view = self.query_one(PassageView)
        if view.article is None:
            return
        place = Place(view.article.id, view.cursor)
        if not self.history or self.history[-1] != place:
            self.history.append(place)
            del self.history[:-HISTORY_LIMIT]
        self.refresh_bindings()

    @on(ArticleList.Highlighted)
    def _follow_list(self, message: ArticleList.Highlighted) -> None:
        self.article_id = message.article_id

    @on(ArticleList.Chosen)
    def _read_article(self, message: ArticleList.Chosen) -> None:
        self.article_id = message.article_id
        self.query_one(PassageView).focus()

    @on(PassageView.CursorMoved)
    def _cursor_moved(self, message: PassageView.CursorMoved) -> None:
        view = self.query_one(PassageView)
        if view.article is None or view.article.id != message.article_id:
            return
        passage = view.article.passages[message.passage] if view.article.passages else None
        if self._current is not None and (
            passage is None or not passage.start <= self._current[0] < passage.end
        ):
            self._current = None
            self._mention_at = None
        self._retarget()
        self._decorate()
        self._update_status()
        self._follow_related(message.article_id, message.passage)

    # -- the entity under the cursor ------------------------------------------------
    def _passage_mentions(self) -> list[Mention]:
        view = self.query_one(PassageView)
        article = view.article
        if article is None or not article.passages:
            return []
        passage = article.passages[view.cursor]
        return [m for m in article.mentions if passage.start <= m.start < passage.end]

    def _retarget(self) -> None:
        """Which entity `]`/`[` follow.

        The entity the list is filtered by; else the entity last jumped to (with
        `]`, `[` or `t`) while the passage under the cursor names it; else the
        first entity named in that passage; else the last one followed.
        """
        if self.entity is not None:
            self.target = self.entity
            return
        named = [m.entity for m in self._passage_mentions()]
        if self._sticky is not None and self._sticky in named:
            self.target = self._sticky
        elif named:
            self.target = named[0]
        else:
            self.target = self._sticky

    def watch_target(self) -> None:
        self._decorate()
        self._update_status()

    def action_next_entity(self) -> None:
        """Follow the next entity named in the passage under the cursor."""
        named = list(dict.fromkeys(m.entity for m in self._passage_mentions()))
        if not named:
            self.notify("No entity is named in this passage.", timeout=3)
            return
        at = named.index(self.target) + 1 if self.target in named else 0
        self._sticky = named[at % len(named)]
        self._mention_at = None
        if self.entity is not None and self._sticky != self.entity:
            self.notify(
                "The list is filtered by an entity: ] and [ follow it. esc clears the filter.",
                timeout=4,
            )
            return
        self._retarget()

    def action_next_mention(self) -> None:
        self._jump_mention(1)

    def action_previous_mention(self) -> None:
        self._jump_mention(-1)

    def _jump_mention(self, step: int) -> None:
        view = self.query_one(PassageView)
        article = view.article
        target = self.target
        if article is None or target is None:
            self.notify("No entity under the cursor: move to a passage that names one.", timeout=3)
            return
        spans = [(m.start, m.end) for m in article.mentions if m.entity == target]
        passage = article.passages[view.cursor]
        here = self._mention_at
        if here is None or not passage.start <= here < passage.end:
            in_passage = [s for s in spans if passage.start <= s[0] < passage.end]
            here = in_passage[0][0] if in_passage else passage.start - (1 if step > 0 else 0)
        if step > 0:
            following = [s for s in spans if s[0] > here]
            found = following[0] if following else None
        else:
            preceding = [s for s in spans if s[0] < here]
            found = preceding[-1] if preceding else None
        self._sticky = target
        if found is not None:
            self._land_on_mention(found)
            return
        self._mention_in_other_article(target, step)

    def _land_on_mention(self, span: Span) -> None:
        self._mention_at = span[0]
        self._current = span
        self.query_one(PassageView).go_to(span[0])
        self._decorate()
        self._update_status()

    def _mention_in_other_article(self, target: str, step: int) -> None:
        entity = self.entities.get(target)
        name = self.entity_name(target)
        if entity is None:
            self.notify(f"No other mention of {name} found.", timeout=3, markup=False)
            return
        naming = set(entity.articles)
        listed = [s.id for s in self.listed()]
        order = listed if self.article_id in listed else [s.id for s in self.summaries]
        at = order.index(self.article_id) if self.article_id in order else -1
        candidates = order[at + 1 :] if step > 0 else list(reversed(order[: max(at, 0)]))
        for doc_id in candidates:
            if doc_id not in naming:
                continue
            article = self.article(doc_id)
            if article is None:
                continue
            spans = [(m.start, m.end) for m in article.mentions if m.entity == target]
            if not spans:
                continue
            span = spans[0] if step > 0 else spans[-1]
            self.open(doc_id)
            self._land_on_mention(span)
            self.notify(f"{name}: on to {article_title(article)}", timeout=3, markup=False)
            return
        where = "next" if step > 0 else "previous"
        self.notify(
            f"No {where} mention of {name} in the listed articles.", timeout=3, markup=False
        )

    # -- search hits ----------------------------------------------------------------
    def action_next_hit(self) -> None:
        self._jump_hit(1)

    def action_previous_hit(self) -> None:
        self._jump_hit(-1)

    def _jump_hit(self, step: int) -> None:
        view = self.query_one(PassageView)
        article = view.article
        if not self.search_text or article is None:
            return
        hits = self.hits
        index: int | None = None
        if hits:
            passage = article.passages[view.cursor]
            current = self.hit_index
            if current is not None and passage.start <= hits[current][0] < passage.end:
                index = current + step
            elif step > 0:
                index = bisect.bisect_left(hits, (passage.start, passage.start))
            else:
                index = bisect.bisect_left(hits, (passage.start, passage.start)) - 1
            if not 0 <= index < len(hits):
                index = None
        if index is not None:
            self._land_on_hit(index)
            return
        self._hit_in_other_article(step)

    def _land_on_hit(self, index: int) -> None:
        self.hit_index = index
        self._current = self.hits[index]
        self._mention_at = None
        self.query_one(PassageView).go_to(self._current[0])
        self._decorate()
        self._update_status()

    def _hit_in_other_article(self, step: int) -> None:
        listed = [s.id for s in self.listed()]
        if self.article_id not in listed:
            candidates = listed if step > 0 else list(reversed(listed))
        else:
            at = listed.index(self.article_id)
            candidates = listed[at + 1 :] if step > 0 else list(reversed(listed[:at]))
        for doc_id in candidates:
            hits = self._hits_in(doc_id)
            if not hits:
                continue
            if self.open(doc_id):
                self._land_on_hit(0 if step > 0 else len(self.hits) - 1)
                return
        where = "after" if step > 0 else "before"
        self.notify(f"No hit {where} this one in the listed articles.", timeout=3)

    # -- the status line of the text pane --------------------------------------------
    def _update_status(self) -> None:
        view = self.query_one(PassageView)
        article = view.article
        parts: list[str] = []
        if article is not None and article.passages:
            parts.append(f"¶{view.cursor}/{len(article.passages) - 1}")
        if self.search_text and article is not None:
            count = len(self.hits)
            if self.hit_index is not None and count:
                parts.append(f"hit {self.hit_index + 1}/{count}")
            else:
                parts.append(f"{count} hit{'s' if count != 1 else ''}")
        if self.target is not None:
            parts.append(f"]/[ {self.entity_name(self.target)}")
        view.border_subtitle = Text(" · ".join(parts))  # an entity's name: no markup

    # -- related passages -----------------------------------------------------------
    def _follow_related(self, doc: str, passage: int) -> None:
        if not self.show_related:
            return
        pane = self.query_one(RelatedPane)
        if self._related_timer is not None:
            self._related_timer.stop()
        cached = self._related.get((doc, passage))
        if cached is not None:
            self.workers.cancel_group(self, "related")
            pane.show_result(cached, self.entity_names)
            return
        pane.show_loading()
        self._related_timer = self.set_timer(
            RELATED_DEBOUNCE, lambda: self.find_related(doc, passage)
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="related")
    def find_related(self, doc: str, passage: int) -> None:
        try:
            result = call_in_worker(
                self.corpus, lambda: self.corpus.related(doc, passage, limit=RELATED_LIMIT)
            )
        except PresseError as error:
            if not get_current_worker().is_cancelled:
                self.post_message(self.RelatedFailed(doc, passage, str(error)))
            return
        if result is not None:
            self.post_message(self.RelatedFound(result))

    @on(RelatedFound)
    def _related_found(self, message: RelatedFound) -> None:
        result = message.result
        self._related[(result.doc, result.passage)] = result
        view = self.query_one(PassageView)
        if view.article is not None and (view.article.id, view.cursor) == (
            result.doc,
            result.passage,
        ):
            self.query_one(RelatedPane).show_result(result, self.entity_names)

    @on(RelatedFailed)
    def _related_failed(self, message: RelatedFailed) -> None:
        self.query_one(RelatedPane).show_message(f"No related passages: {message.error}")

    @on(RelatedPane.Chosen)
    def _jump_related(self, message: RelatedPane.Chosen) -> None:
        self.open(message.doc, message.passage)

    def watch_show_related(self, shown: bool) -> None:
        self.set_class(not shown, "-no-related")
        view = self.query_one(PassageView)
        if shown and view.article is not None:
            self._follow_related(view.article.id, view.cursor)

    def action_toggle_related(self) -> None:
        pane = self.query_one(RelatedPane)
        if pane.has_focus:
            self.query_one(PassageView).focus()
        self.show_related = not self.show_related

    # -- jumps back -----------------------------------------------------------------
    def action_back(self) -> None:
        if not self.history:
            self.notify("Nowhere to go back to.", timeout=2)
            return
        place = self.history.pop()
        self.open(place.article, place.passage, remember=False)
        self.refresh_bindings()

    # -- search -----------------------------------------------------------------------
    def action_search(self) -> None:
        from tui.dialogs.search import SearchScreen

        within = None
        label = ""
        if self.entity is not None and self.entity in self.entities:
            within = self.entities[self.entity].articles
            label = self.entity_name(self.entity)
        self.app.push_screen(
            SearchScreen(
                self.corpus,
                self.userdata.history(),
                query=self.search_text,
                within=within,
                within_label=label,
            ),
            self._searched,
        )

    def _searched(self, choice: SearchChoice | None) -> None:
        if choice is None:
            return
        try:
            self.userdata.add_query(choice.query)
        except PresseError as error:
            self.notify(str(error), title="History not saved", severity="warning", markup=False)
        self.apply_search(choice.query, choice.article)

    def apply_search(self, query: str, article: str | None = None) -> None:
        """Filter the list by `query` and open `article` at its first hit."""
        if query != self.search_text:
            if self.sort != "relevance":
                self._sort_before_search = self.sort
            self.set_reactive(ReaderScreen.sort, "relevance")
            self.search_text = query
        if article is not None and self.open(article):
            if self.hits:
                self._land_on_hit(0)
            self.query_one(PassageView).focus()

    def action_clear_filters(self) -> None:
        if self.compare_from is not None:
            self.compare_from = None
            return
        if self.search_text:
            self.set_reactive(ReaderScreen.sort, self._sort_before_search)
            self.search_text = ""
        if self.entity is not None:
            self.entity = None
        self._relist()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_hit", "previous_hit"):
            return bool(self.search_text)
        if action == "clear_filters":
            return bool(self.search_text or self.entity is not None or self.compare_from)
        if action == "back":
            return bool(self.history)
        return True

    # -- entities ---------------------------------------------------------------------
    def action_entities(self) -> None:
        from tui.dialogs.entities import EntityScreen

        self.app.push_screen(
            EntityScreen(self.corpus, entity=self.entity or self.target), self._entity_chosen
        )

    def correct_entity(self, action: str, entity_id: str) -> None:
        """Open the entity panel on `entity_id` and start the correction `action` there."""
        from tui.dialogs.entities import EntityScreen

        self.app.push_screen(
            EntityScreen(self.corpus, entity=entity_id, then=action), self._entity_chosen
        )

    def action_undo_correction(self) -> None:
        from tui.dialogs.entities import EntityScreen

        self.app.push_screen(EntityScreen(self.corpus, then="undo"), self._entity_chosen)

    def _entity_chosen(self, choice: EntityChoice | None) -> None:
        if choice is None:
            return
        if choice.corrected:
            self.corrections_made()
        if choice.entity is not None:
            self.filter_by_entity(choice.entity)

    def filter_by_entity(self, entity_id: str) -> None:
        self._sticky = entity_id
        self.entity = entity_id
        self.refresh_bindings()

    def corrections_made(self) -> None:
        """Entities changed: read the articles' mentions and the entities again."""
        self._related.clear()
        self._hit_cache.clear()
        self.load_entities()
        self._show(self.article_id)

    # -- bookmarks ------------------------------------------------------------------
    def action_bookmark(self) -> None:
        from tui.dialogs.note import NoteScreen

        view = self.query_one(PassageView)
        article = view.article
        if article is None or not article.passages:
            return
        passage = article.passages[view.cursor]
        existing = self.userdata.bookmark(article.id, passage.n)
        where = f"¶{passage.n} of {article_title(article)}"

        def save(change: NoteChange | None) -> None:
            if change is None:
                return
            try:
                if change.remove:
                    self.userdata.remove_bookmark(article.id, passage.n)
                    self.notify("Bookmark removed.", timeout=3)
                else:
                    self.userdata.set_bookmark(
                        Bookmark(
                            article.id,
                            passage.n,
                            note=change.note,
                            title=article_title(article),
                            text=article.passage_text(passage),
                        )
                    )
                    self.notify("Bookmarked. B lists the bookmarks.", timeout=3)
            except PresseError as error:
                self.notify(str(error), title="Not saved", severity="error", markup=False)
            self._decorate()

        self.app.push_screen(NoteScreen(where, existing.note if existing else None), save)

    def action_bookmarks(self) -> None:
        from tui.dialogs.bookmarks import BookmarksScreen

        def go(bookmark: Bookmark | None) -> None:
            self._decorate()
            if bookmark is not None:
                if not self.open(bookmark.article, bookmark.passage):
                    return
                self.query_one(PassageView).focus()

        self.app.push_screen(BookmarksScreen(self.userdata, self.corpus.root.name), go)

    def action_export_notes(self) -> None:
        from tui.dialogs.notes_export import ask_and_export

        ask_and_export(self, self.userdata, self.corpus.root.name)

    # -- the rest ---------------------------------------------------------------------
    def action_cycle_sort(self) -> None:
        sorts = ["file", "date", "title"] + (["relevance"] if self.search_text else [])
        at = sorts.index(self.sort) if self.sort in sorts else -1
        self.sort = sorts[(at + 1) % len(sorts)]
        self.notify(f"Articles sorted {SORT_NAMES[self.sort]}.", timeout=2)

    # -- comparing two articles -------------------------------------------------------
    def _summary(self, article_id: str) -> ArticleSummary | None:
        return next((s for s in self.summaries if s.id == article_id), None)

    def action_compare(self) -> None:
        """Compare the article read with another: the one picked before in the list, else
        the one of the related passage under the pane's cursor, else one to choose.
        In the list, `c` picks the article for the next `c`."""
        current = self.article_id
        if current is None:
            self.notify("No article to compare.", timeout=3)
            return
        picked = self.compare_from
        if picked is not None:
            self.compare_from = None
            if picked != current:
                self.compare_with(current, base=picked)
            return
        if self.query_one(ArticleList).has_focus:
            self.compare_from = current
            return
        pane = self.query_one(RelatedPane)
        found = pane.highlighted_passage if self.show_related else None
        if found is not None and pane.result is not None and pane.result.doc == current:
            self.compare_with(found.doc, at=(pane.result.passage, found.passage))
            return
        self.action_compare_choose()

    def action_compare_choose(self) -> None:
        from tui.compare.picker import ComparePicker

        summary = self._summary(self.article_id) if self.article_id else None
        if summary is None:
            self.notify("No article to compare.", timeout=3)
            return

        def chosen(other: str | None) -> None:
            if other is not None:
                self.compare_with(other, base=summary.id)

        self.app.push_screen(ComparePicker(self.corpus, summary, self.summaries), chosen)

    def compare_with(
        self, other: str, base: str | None = None, at: tuple[int, int | None] | None = None
    ) -> None:
        """Open the comparison of `base` (the article read by default) with `other`,
        on the pair nearest `at` (passages of both, or of `base` only; by default the
        passage of `base` last read)."""
        from tui.compare.screen import ComparisonScreen

        a = base or self.article_id
        if a is None:
            return
        if other == a:
            self.notify("That is the same article: choose another one.", timeout=3)
            return
        if at is None:
            view = self.query_one(PassageView)
            read = view.article is not None and view.article.id == a
            at = (view.cursor if read else self._cursors.get(a, 0), None)
        self.app.push_screen(
            ComparisonScreen(
                self.corpus, a, other, entities=self.entities, summaries=self.summaries, at=at
            ),
            self._compared,
        )

    def _compared(self, read: ReadHere | None) -> None:
        if read is not None and self.open(read.article, read.passage):
            self.query_one(PassageView).focus()

    def watch_compare_from(self, picked: str | None) -> None:
        self.query_one(ArticleList).pinned = picked
        self._update_filter_bar()
        self.refresh_bindings()

    @work(thread=True, exclusive=True, exit_on_error=False, group="wire")
    def load_wire_counts(self) -> None:
        """Which articles share near-duplicate passages: found for the whole corpus the
        first time after a change (seconds on thousands of articles), then read back."""
        counts = call_in_worker(self.corpus, self.corpus.wire_counts)
        if counts is not None:
            self.post_message(self.WireCounted(counts))

    @on(WireCounted)
    def _wire_counted(self, message: WireCounted) -> None:
        self.wire_counts = message.counts
        self.query_one(ArticleList).wire_counts = message.counts

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        group, error = event.worker.group, event.worker.error
        message = f"{type(error).__name__}: {error}"
        if group == "related":
            self.query_one(RelatedPane).show_message(f"No related passages: {message}")
        elif group == "match":
            self._searching = False
            self.notify(message, title="The search failed", severity="error", markup=False)
        elif group == "entities":
            self.notify(message, title="Cannot list the entities", severity="error", markup=False)
        elif group == "wire":
            self.notify(message, title="Wire copy not counted", severity="warning", markup=False)
