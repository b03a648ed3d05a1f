"""`SearchScreen`: results as the reader types, with snippets; enter opens one."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from index import Corpus, PresseError, SearchHit, SearchResult
from tui.dialogs.list_dialog import ListDialog
from tui.display import one_line, visible
from tui.footer import KeysFooter
from tui.rows import OptionRow, RowPart

# Seconds of quiet typing before the search runs.
DEBOUNCE = 0.15
# Results listed; the count says how many there are in all.
SHOWN = 50
SNIPPET_LINES = 3
HELP = 'Words, "a phrase", AND OR NOT, nucl*, title: date: lang: entity:"Name"'


@dataclass(frozen=True)
class SearchChoice:
    """The search the reader ran and the article chosen among its results."""

    query: str
    article: str


def search_row(hit: SearchHit) -> OptionRow:
    """A result: the title, a dim line (date · file), the snippet with the hits marked."""
    title = Text(one_line(hit.title) or one_line(hit.path), style="bold")
    details = " · ".join(part for part in (one_line(hit.date), one_line(hit.path)) if part)
    snippet = Text(" ".join(visible(hit.snippet.text).split("\n")))
    for start, end in hit.snippet.marks:
        snippet.stylize("bold reverse", start, end)
    return OptionRow(
        title, RowPart(Text(details, style="dim"), middle=True), RowPart(snippet, SNIPPET_LINES)
    )


class SearchScreen(ListDialog[SearchChoice | None]):
    """Searches `corpus` (only the articles `within`, when given) as the reader types."""

    BINDING_GROUP_TITLE = "Search"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("up", "history(-1)", "Earlier query"),
        Binding("down", "history(1)", "Later query", show=False),
        Binding("ctrl+y", "use_suggestion", "Use suggestion"),
        Binding("tab", "focus_results", "Results"),
        Binding("shift+tab", "focus_query", "Edit query", show=False),
    ]

    @dataclass
    class Searched(Message):
        query: str
        result: SearchResult

    @dataclass
    class Failed(Message):
        query: str
        error: str

    def __init__(
        self,
        corpus: Corpus,
        history: Sequence[str] = (),
        *,
        query: str = "",
        within: Collection[str] | None = None,
        within_label: str = "",
        indexing: str | None = None,
    ) -> None:
        super().__init__()
        self.corpus = corpus
        self.history = list(history)
        self._history_at = len(self.history)
        self._draft = ""
        self.initial = query
        self.within = tuple(within) if within is not None else None
        self.within_label = within_label
        self.result: SearchResult | None = None
        self.searched = ""
        self.error: str | None = None
        self._timer: Timer | None = None
        self._open_when_done = False
        self.indexing: str | None = indexing
        """While the index is being brought up to date, how far it is."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -wide", id="search-box") as box:
            box.border_title = "Search"
            if self.within_label:
                box.border_subtitle = Text(f"among the articles naming {self.within_label}")
            yield Input(
                self.initial,
                placeholder=HELP,
                select_on_focus=False,
                id="search-input",
            )
            yield Static(Text(HELP), id="search-status")
            yield OptionList(markup=False, id="search-results")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#search-results", OptionList).can_focus = False
        if self.initial:
            self._search_now()

    # -- the index changing under the search ----------------------------------------
    def index_progressed(self, note: str) -> None:
        """The index is being updated (`note` says how far): the results are those of the
        articles indexed so far."""
        self.indexing = note
        if self.result is not None and self.error is None:
            self.query_one("#search-status", Static).update(self._count_line(self.result))

    def index_updated(self) -> None:
        """The index is up to date: search again, for the results of every article."""
        self.indexing = None
        if self.searched:
            self.run_search(self.searched)
        else:
            self._show()

    # -- searching ------------------------------------------------------------------
    @on(Input.Changed, "#search-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self._search_now)

    def _search_now(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        query = self.query_one("#search-input", Input).value
        if not query.strip():
            self.workers.cancel_group(self, "search")
            self.searched, self.result, self.error = "", None, None
            self._show()
            return
        self.run_search(query)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def run_search(self, query: str) -> None:
        worker = get_current_worker()
        try:
            result = self.corpus.search(query, limit=SHOWN, within=self.within)
        except PresseError as error:
            if not worker.is_cancelled:
                self.post_message(self.Failed(query, str(error)))
            return
        finally:
            self.corpus.close()  # this thread's connections
        if not worker.is_cancelled:
            self.post_message(self.Searched(query, result))

    @on(Searched)
    def _searched(self, message: Searched) -> None:
        if message.query != self.query_one("#search-input", Input).value:
            return  # the reader typed on meanwhile
        self.searched, self.result, self.error = message.query, message.result, None
        self._show()
        if self._open_when_done:
            self._open_when_done = False
            self._open()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        if message.query != self.query_one("#search-input", Input).value:
            return
        self.searched, self.result, self.error = message.query, None, message.error
        self._open_when_done = False
        self._show()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "search" and event.state == WorkerState.ERROR:
            error = event.worker.error
            self.post_message(self.Failed(self.searched, f"the search failed: {error}"))

    def _show(self) -> None:
        status = self.query_one("#search-status", Static)
        results = self.query_one("#search-results", OptionList)
        status.set_class(self.error is not None, "-error")
        self.refresh_bindings()
        if self.error is not None:
            status.update(Text(f"⚠ {one_line(self.error)}"))
            results.clear_options()  # the results of another query would read as this one's
            return
        result = self.result
        if result is None:
            status.update(Text(HELP))
            results.clear_options()
            return
        status.update(self._count_line(result))
        results.set_options(Option(search_row(hit), id=hit.id) for hit in result.results)
        if result.results:
            results.highlighted = 0

    def _count_line(self, result: SearchResult) -> Text:
        """How many articles match, the suggestion, whether the index is still growing."""
        count = f"{result.total} article{'s' if result.total != 1 else ''}"
        line = Text(f"{count} match" + ("" if result.total != 1 else "es"))
        if result.total > len(result.results):
            line.append(f" · the best {len(result.results)} listed", style="dim")
        if result.suggestion:
            line.append(" · did you mean ")
            line.append(one_line(result.suggestion), style="bold")
            line.append("?  ctrl+y", style="dim")
        if self.indexing is not None:
            line.append(f" · {self.indexing}", style="bold")
        return line

    # -- keys ---------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "use_suggestion":
            return bool(self.result and self.result.suggestion and not self.error)
        if action == "focus_results":
            results = self.query_one("#search-results", OptionList)
            return bool(results.option_count) and not results.has_focus
        return True

    def action_use_suggestion(self) -> None:
        if self.result is not None and self.result.suggestion:
            search_input = self.query_one("#search-input", Input)
            search_input.value = self.result.suggestion
            search_input.cursor_position = len(search_input.value)
            self._search_now()

    def action_history(self, step: int) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.has_focus:
            self.action_move(step)
            return
        if not self.history:
            return
        search_input = self.query_one("#search-input", Input)
        if self._history_at == len(self.history):
            self._draft = search_input.value
        at = max(0, min(len(self.history), self._history_at + step))
        if at == self._history_at:
            return
        self._history_at = at
        search_input.value = self.history[at] if at < len(self.history) else self._draft
        search_input.cursor_position = len(search_input.value)

    def action_focus_results(self) -> None:
        if self.query_one("#search-results", OptionList).option_count:
            self.focus_list()

    def action_focus_query(self) -> None:
        self.focus_input()

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip() and event.value != self.searched:
            self._open_when_done = True
            self._search_now()
            return
        self._open()

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open()

    def _open(self) -> None:
        results = self.query_one("#search-results", OptionList)
        option = results.highlighted_option
        if self.error is not None or option is None or option.id is None:
            self.app.bell()
            return
        self.dismiss(SearchChoice(self.searched, option.id))
