"""`ArticleList`: the articles of the corpus, one title and one dim line each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from index import ArticleSummary
from tui.display import article_title, shorten_middle, summary_line

MOVE = Binding.Group("Article")

# Title lines shown in a row; a longer title ends with an ellipsis.
TITLE_LINES = 3


class ArticleRow:
    """A row of the list: the title on at most `TITLE_LINES` lines, then one line of details.

    Rows of the same height or nearly are easier to scan than titles of any length.
    """

    def __init__(self, title: Text, details: Text) -> None:
        self.title = title
        self.details = details

    def __str__(self) -> str:
        return f"{self.title.plain}\n{self.details.plain}"

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        lines = self.title.wrap(console, width)
        if len(lines) > TITLE_LINES:
            last = lines[TITLE_LINES - 1]
            last.rstrip()
            last.append("…")
            last.truncate(width, overflow="ellipsis")
        for line in lines[:TITLE_LINES]:
            line.end = "\n"
            yield line
        yield Text(shorten_middle(self.details.plain, width), style=self.details.style)


class ArticleList(OptionList, inherit_bindings=False):
    """Set `summaries` to show them; it posts `Highlighted` as the cursor moves."""

    BINDING_GROUP_TITLE = "Article list"

    # OptionList's own bindings are restated rather than inherited, so that the
    # footer shows `j k` and the help lists the keys in this order.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Next article", group=MOVE),
        Binding("k", "cursor_up", "Previous article", group=MOVE),
        Binding("down", "cursor_down", "Next article", show=False),
        Binding("up", "cursor_up", "Previous article", show=False),
        Binding("g,home", "first", "First article", show=False),
        Binding("G,end", "last", "Last article", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("enter", "select", "Read article"),
    ]

    summaries: reactive[tuple[ArticleSummary, ...]] = reactive(())
    """The articles to list, in order."""

    placeholder: reactive[str] = reactive("No articles.")
    """What the list says while it is empty."""

    @dataclass
    class Highlighted(Message):
        """The cursor is on another article."""

        article_id: str

    @dataclass
    class Chosen(Message):
        """The reader pressed enter on an article."""

        article_id: str

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)

    @property
    def highlighted_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    def watch_summaries(self, summaries: tuple[ArticleSummary, ...]) -> None:
        kept = self.highlighted_id
        self.set_class(not summaries, "-empty")
        if not summaries:
            self.set_options([Option(Text(self.placeholder, style="italic"), disabled=True)])
            return
        self.set_options(Option(self._prompt(summary), id=summary.id) for summary in summaries)
        ids = [summary.id for summary in summaries]
        self.highlighted = ids.index(kept) if kept in ids else 0

    def watch_placeholder(self) -> None:
        if not self.summaries:
            self.watch_summaries(())

    @staticmethod
    def _prompt(summary: ArticleSummary) -> ArticleRow:
        return ArticleRow(
            Text(article_title(summary), style="bold"),
            Text(summary_line(summary), style="dim"),
        )

    @on(OptionList.OptionHighlighted)
    def _post_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.Highlighted(event.option_id))

    @on(OptionList.OptionSelected)
    def _post_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(self.Chosen(event.option_id))
