"""`ComparedPassage`: one passage in a column of the comparison, with its pair markers."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from index import Passage
from tui.display import passage_mark, visible
from tui.reader.related_pane import BADGES

KIND_CLASSES = ("-title", "-subtitle", "-heading", "-paragraph", "-caption", "-boilerplate")

Span = tuple[int, int]


@dataclass(frozen=True)
class PairLink:
    """An aligned pair a passage belongs to, seen from its side."""

    number: int
    """The pair's marker, the same in both columns (from 1)."""
    other_side: str
    """The letter of the other column: "A" or "B"."""
    other_passage: int
    kind: str
    """The pair's kind: "near-duplicate", "same-fact" or "same-subject"."""


class ComparedPassage(Widget):
    """A passage: a line of markers (`#3 same wording as B ¶7`, `#4 same fact as B ¶2`,
    or `only in A`), then its text with the runs of words that differ from its pair
    marked.

    Its state is CSS classes: `-paired`, `-only` (what only its article says; the
    page's boilerplate is neither), `-current` while one of its pairs is the current
    pair, and its kind (`-heading`, `-caption`, …).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "compared-passage--meta",
        "compared-passage--badge",
        "compared-passage--badge-near",
        "compared-passage--badge-current",
        "compared-passage--only",
        "compared-passage--diff",
    }

    def __init__(
        self, passage: Passage, text: str, side: str, links: tuple[PairLink, ...], only: bool
    ) -> None:
        super().__init__(classes="-paired" if links else "-only" if only else "")
        self.passage = passage
        self.only = only and not links
        self.side = side
        self.links = links
        self._text = visible(text)
        self._diff: tuple[Span, ...] = ()
        self._current: int | None = None
        self.add_class(f"-{passage.kind}" if f"-{passage.kind}" in KIND_CLASSES else "-paragraph")

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(link.number for link in self.links)

    def mark(self, current: int | None, diff: tuple[Span, ...]) -> None:
        """Show pair `current` as the current one (if it is one of this passage's), and
        mark the words of `diff` (offsets into the passage's text)."""
        current = current if current in self.numbers else None
        if current == self._current and diff == self._diff:
            return
        self._current = current
        self._diff = diff
        self.set_class(current is not None, "-current")
        self.refresh()

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"compared-passage--{name}", partial=True)

    def render(self) -> Text:
        meta_style = self._style("meta")
        line = Text(passage_mark(self.passage.n), style=meta_style, end="")
        if self.only:
            line.append("  only in ", style=self._style("only"))
            line.append(self.side, style=self._style("only"))
        # (a split passage's pairs of one kind: `#4 #5 same wording as A ¶8, ¶9`)
        for kind, links in itertools.groupby(self.links, key=lambda link: link.kind):
            same = list(links)
            line.append(" ")
            for link in same:
                badge = self._style("badge-near" if kind == "near-duplicate" else "badge")
                if link.number == self._current:
                    badge += self._style("badge-current")
                line.append(" ")
                line.append(f" #{link.number} ", style=badge)
            others = ", ".join(passage_mark(link.other_passage) for link in same)
            relation = BADGES.get(kind, kind)
            line.append(f" {relation} as {same[0].other_side} {others}", style=meta_style)
        text = Text(self._text, end="")
        diff_style = self._style("diff")
        for start, end in self._diff:
            text.stylize(diff_style, start, end)
        line.append("\n")
        line.append_text(text)
        return line
