"""`OptionRow`: the one shape of a row in the reader's option lists.

Search results, bookmarks, related passages, the articles of the compare picker and
the entities are all drawn the same way: a title line cut to the width (with, for an
entity, a part on its right that is never cut: the counts), then the parts under it,
each on at most so many lines. The rows are Rich renderables given to an `OptionList`
as prompts; they are never read as markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from tui.display import clamped_lines, cut_line, shorten_middle


@dataclass(frozen=True)
class RowPart:
    """A part of a row under its title line: `text` on at most `lines` lines (`None`: all
    of it), the last cut with `…`. On one line it is cut at its end, or in its `middle`
    (a file name keeps its end: that is where names differ)."""

    text: Text
    lines: int | None = 1
    middle: bool = False

    def render(self, console: Console, width: int) -> list[Text]:
        if self.middle:
            return [Text(shorten_middle(self.text.plain, width), style=self.text.style, end="\n")]
        if self.lines == 1:
            return [cut_line(self.text, width)]
        return clamped_lines(self.text, console, width, self.lines)


class OptionRow:
    """A row: `title` on one line (with `right` kept whole at its end), then `parts`."""

    def __init__(self, title: Text, *parts: RowPart, right: Text | None = None) -> None:
        self.title = title
        self.parts = parts
        self.right = right

    def __str__(self) -> str:
        title = self.title.plain + (self.right.plain if self.right is not None else "")
        return "\n".join((title, *(part.text.plain for part in self.parts)))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        yield self._title_line(width)
        for part in self.parts:
            yield from part.render(console, width)

    def _title_line(self, width: int) -> Text:
        if self.right is None:
            return cut_line(self.title, width)
        left = self.title.copy()
        left.truncate(max(1, width - self.right.cell_len), overflow="ellipsis", pad=True)
        return Text.assemble(left, self.right, no_wrap=True, overflow="ellipsis")
