"""`ComparePicker`: which article to compare an article with; its wire copies come first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from index import ArticleSummary, Corpus, fold
from tui.dialogs.list_dialog import ListDialog
from tui.display import article_title, summary_line
from tui.footer import KeysFooter
from tui.rows import OptionRow, RowPart

# Articles listed at most (an option list lays every row out); typing narrows to the rest.
SHOWN = 200


def pick_row(summary: ArticleSummary, shared: int) -> OptionRow:
    """An article: its title, then `⇄ 2 passages in common` for a wire copy, and details."""
    details = Text()
    if shared:
        passages = f"{shared} near-duplicate passage{'s' if shared != 1 else ''}"
        details.append(f"⇄ {passages}", style="bold")
        details.append(" · ")
    details.append(summary_line(summary), style="dim")
    return OptionRow(Text(article_title(summary), style="bold"), RowPart(details))


class ComparePicker(ListDialog[str | None]):
    """Lists the articles but `article`; dismissed with the id of the one chosen, or None.

    The articles sharing near-duplicate passages with `article` (wire copy) are
    listed first, with how many passages; typing narrows the list by title.
    """

    BINDING_GROUP_TITLE = "Compare with"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("pagedown", "move(10)", "Page down", show=False),
        Binding("pageup", "move(-10)", "Page up", show=False),
    ]

    @dataclass
    class PartnersFound(Message):
        partners: list[tuple[str, int]]

    def __init__(
        self, corpus: Corpus, article: ArticleSummary, summaries: Sequence[ArticleSummary]
    ) -> None:
        super().__init__()
        self.corpus = corpus
        self.article = article
        self.summaries = tuple(s for s in summaries if s.id != article.id)
        self.partners: dict[str, int] = {}
        self._loaded = False
        self._submit_when_listed = False  # enter was pressed before the list was ready
        self._haystacks = {s.id: fold(article_title(s)).casefold() for s in self.summaries}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="picker-box") as box:
            box.border_title = Text(f"Compare {article_title(self.article)} with…")
            yield Input(placeholder="Type to filter by title", select_on_focus=False)
            yield Static(Text("Looking for wire copy…"), id="picker-status")
            yield OptionList(markup=False, id="picker-list")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).can_focus = False
        self.find_partners(self.article.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="wire")
    def find_partners(self, article_id: str) -> None:
        worker = get_current_worker()
        try:
            partners = self.corpus.wire_copies(article_id)
        finally:
            self.corpus.close()
        if not worker.is_cancelled:
            self.post_message(self.PartnersFound(partners))

    @on(PartnersFound)
    def _partners_found(self, message: PartnersFound) -> None:
        self.partners = dict(message.partners)
        self._listed()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "wire" and event.state == WorkerState.ERROR:
            self._listed()  # list the articles anyway, without their wire copy

    def _listed(self) -> None:
        self._loaded = True
        self._list()
        if self._submit_when_listed:  # typed ahead: the title, then enter
            self._submit_when_listed = False
            self._choose_highlighted()

    @on(Input.Changed)
    def _filtered(self, event: Input.Changed) -> None:
        event.stop()
        if self._loaded:
            self._list()

    def _list(self) -> None:
        words = fold(self.query_one(Input).value).casefold().split()
        matching = [
            s for s in self.summaries if all(word in self._haystacks[s.id] for word in words)
        ]
        partners = sorted(
            (s for s in matching if s.id in self.partners), key=lambda s: -self.partners[s.id]
        )
        others = [s for s in matching if s.id not in self.partners]
        hidden = max(0, len(partners) + len(others) - SHOWN)
        others = others[: max(0, SHOWN - len(partners))]
        options: list[Option] = []
        if partners:
            heading = Text("Wire copy: passages in common", style="bold")
            options.append(Option(heading, disabled=True))
            options.extend(Option(pick_row(s, self.partners[s.id]), id=s.id) for s in partners)
        if others:
            if partners:
                options.append(Option(Text("Other articles", style="bold"), disabled=True))
            options.extend(Option(pick_row(s, 0), id=s.id) for s in others)
        choices = self.query_one(OptionList)
        choices.set_options(options)
        choices.highlighted = next((n for n, o in enumerate(options) if not o.disabled), None)
        count = len(self.partners)
        if not self.summaries:
            status = "No other article to compare with."
        elif count:
            status = (
                f"{count} article{'s share' if count != 1 else ' shares'} near-duplicate"
                " passages with this one · enter compares"
            )
        else:
            status = "No article shares near-duplicate passages with this one · enter compares"
        if words:
            status = f"{len(matching)} of {len(self.summaries)} articles · " + status
        if hidden:
            status += f" · {hidden} more not listed: type to narrow"
        self.query_one("#picker-status", Static).update(Text(status))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._loaded:
            self._choose_highlighted()
        else:
            self._submit_when_listed = True

    def _choose_highlighted(self) -> None:
        option = self.query_one(OptionList).highlighted_option
        if option is not None and option.id is not None:
            self.dismiss(option.id)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(event.option.id)
