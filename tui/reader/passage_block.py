"""`PassageBlock`: one passage of an article, styled by its kind, its words marked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from index import Passage
from tui.display import one_line, printable, visible

KIND_CLASSES = ("-title", "-subtitle", "-heading", "-paragraph", "-caption", "-boilerplate")

# What a mark can be, each a component class of the block (`passage-block--per`).
# Later kinds are drawn over earlier ones: a hit inside a name shows as a hit.
MARK_KINDS = ("per", "loc", "org", "misc", "target", "hit", "current")


@dataclass(frozen=True)
class Mark:
    """A span of the passage's text to draw as `kind` (offsets into the passage)."""

    start: int
    end: int
    kind: str


class PassageBlock(Widget):
    """Shows one passage; its kind is a CSS class (`-caption`, `-heading`, …).

    The language tag (`es`) is drawn before the text when the view asks for it,
    and a note after it. The text itself is never read as markup.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "passage-block--lang",
        "passage-block--note",
        *(f"passage-block--{kind}" for kind in MARK_KINDS),
    }

    def __init__(self) -> None:
        super().__init__(classes="passage")
        self.passage: Passage | None = None
        self._text = ""
        self._lang_tag = ""
        self._marks: tuple[Mark, ...] = ()
        self._note: str | None = None
        self._styles: dict[str, Style] | None = None

    def show(
        self,
        passage: Passage,
        text: str,
        *,
        lang_tag: str = "",
        marks: tuple[Mark, ...] = (),
        note: str | None = None,
    ) -> None:
        """Show `passage`, whose text is `text`, with `lang_tag` before it if not empty."""
        self.passage = passage
        self._text = text
        self._lang_tag = lang_tag
        self._marks = marks
        self._note = note
        # Classes change only when they must: each change restyles the block.
        kind = f"-{passage.kind}"
        stale = [name for name in KIND_CLASSES if name != kind and self.has_class(name)]
        if stale:
            self.remove_class(*stale, update=False)
        self.set_class(note is not None, "-bookmarked", update=False)
        if not self.has_class(kind) or stale:
            self.add_class(kind)
        self.refresh(layout=True)

    def decorate(self, marks: tuple[Mark, ...], note: str | None) -> None:
        """Mark other words, or change the note, without changing the passage."""
        if marks == self._marks and note == self._note:
            return
        height_changes = (note is None) != (self._note is None) or (
            note is not None and note != self._note
        )
        self._marks = marks
        self._note = note
        self.set_class(note is not None, "-bookmarked")
        self.refresh(layout=height_changes)

    @property
    def marks(self) -> tuple[Mark, ...]:
        return self._marks

    def _prefix_length(self) -> int:
        return len(one_line(self._lang_tag)) + 3 if self._lang_tag else 0

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def _style(self, name: str) -> Style:
        """The style of a component class (`hit`), read from the CSS once per restyle."""
        if self._styles is None:
            self._styles = {}
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_rich_style(f"passage-block--{name}", partial=True)
            self._styles[name] = style
        return style

    def render(self) -> Text:
        return styled_passage(
            self._text, self._marks, self._style, lang_tag=self._lang_tag, note=self._note
        )

    def line_of(self, offset: int, console: Console) -> int:
        """The line of the block (from 0) on which the character at `offset` is drawn."""
        width = self.content_region.width or self.size.width
        if width <= 0:
            return 0
        rendered = self.render()
        plain = rendered.plain
        position = offset + self._prefix_length()
        seen = 0
        lines = rendered.wrap(console, width)
        for number, line in enumerate(lines):
            seen += len(line.plain)
            if plain[seen : seen + 1] == "\n":
                seen += 1
            if position < seen:
                return number
        return max(0, len(lines) - 1)


def styled_passage(
    text: str,
    marks: tuple[Mark, ...],
    style_of: Callable[[str], Style],
    *,
    lang_tag: str = "",
    note: str | None = None,
) -> Text:
    """The `Text` of a passage: `text` as plain characters, each mark drawn in the style
    `style_of(kind)` gives, a language tag before it and a bookmark note after it.

    A pure function of its arguments, so that hostile text and marks can be tried on it
    without a running app. Marks are clamped into the text: a stale offset shows less,
    never styles the wrong end of the passage (Rich reads a negative offset from the end).
    """
    shown = Text(visible(text), end="")
    length = len(shown)
    for kind in MARK_KINDS:
        for mark in marks:
            if mark.kind == kind:
                start = min(max(mark.start, 0), length)
                end = min(max(mark.end, start), length)
                if start < end:
                    shown.stylize(style_of(kind), start, end)
    if lang_tag:
        tag = one_line(lang_tag)
        shown = Text.assemble((f" {tag} ", style_of("lang")), " ", shown, end="")
    if note is not None:
        written = printable(note).strip()
        shown.append("\n")
        shown.append(f"✎ {written}" if written else "✎ bookmarked", style=style_of("note"))
    return shown
