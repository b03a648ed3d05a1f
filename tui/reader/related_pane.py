"""`RelatedPane`: passages of other articles related to the passage under the cursor."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from index import RelatedPassage, RelatedResult
from tui.display import counted, one_line, passage_mark, visible
from tui.rows import OptionRow, RowPart

MOVE = Binding.Group("Related")

# Lines of a related passage's matching sentence shown, and of the sentence of the
# passage read that it matches; the rest is cut with an ellipsis.
TEXT_LINES = 4
SOURCE_LINES = 2
# Shared words and entities listed in a row's "why" line.
WHY_TERMS = 6
WHY_LINES = 2


# The lines before the passages that only share the subject of the passage read.
STATED_NOWHERE = "No other article states this. Nearest on the same subject:"
SUBJECT_ONLY = "On the same subject:"

BADGES = {
    "near-duplicate": "same wording",
    "same-fact": "same fact",
    "same-subject": "same subject",
}


def related_row(
    found: RelatedPassage, names: Mapping[str, str], source_text: str = ""
) -> OptionRow:
    """How a related passage reads in the pane: the other article's title, why it is
    related, the sentence of the passage read that it matches (from `source_text`, the
    passage's text, if given) and its own matching sentence, shared words marked;
    `names` gives entity ids their names."""
    title = Text(one_line(found.title) or found.doc, style="bold")
    strong = found.kind in ("near-duplicate", "same-fact")
    why = Text()
    why.append(f" {BADGES.get(found.kind, found.kind)} ", style="reverse" if strong else "bold")
    why.append(f" {passage_mark(found.passage)}", style="dim")
    reasons: list[str] = []
    if found.shared_entities:
        reasons.append(", ".join(names.get(e, e) for e in found.shared_entities[:WHY_TERMS]))
    if found.shared_terms:
        reasons.append(", ".join(found.shared_terms[:WHY_TERMS]))
    if reasons:
        why.append(" · " + " · ".join(one_line(reason) for reason in reasons), style="italic")
    parts = [RowPart(why, WHY_LINES)]
    start, end = found.sentence
    if end <= start:  # (no sentence: the whole passage)
        start, end = 0, len(found.text)
    mine_start, mine_end = found.source_sentence
    if source_text and mine_start < mine_end <= len(source_text):
        mine = Text("here: ", style="dim italic")
        mine.append(one_line(visible(source_text[mine_start:mine_end])), style="dim")
        parts.append(RowPart(mine, SOURCE_LINES))
    sentence = found.text[start:end]
    text = Text(" ".join(visible(sentence).split("\n")), style="dim")
    for mark_start, mark_end in found.marks:
        if start <= mark_start and mark_end <= end:
            text.stylize("not dim bold underline", mark_start - start, mark_end - start)
    parts.append(RowPart(text, TEXT_LINES))
    return OptionRow(title, *parts)


class RelatedPane(OptionList, inherit_bindings=False):
    """Call `show_result` with the passages the engine found; it posts `Chosen` on enter."""

    BINDING_GROUP_TITLE = "Related passages"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Next related", group=MOVE),
        Binding("k", "cursor_up", "Previous related", group=MOVE),
        Binding("down", "cursor_down", "Next related", show=False),
        Binding("up", "cursor_up", "Previous related", show=False),
        Binding("g,home", "first", "First related", show=False),
        Binding("G,end", "last", "Last related", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("enter", "select", "Jump there"),
    ]

    @dataclass
    class Chosen(Message):
        """The reader wants to read this passage of another article."""

        doc: str
        passage: int

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.result: RelatedResult | None = None
        # What each option shows: a related passage, or None for a line between them.
        self._rows: list[RelatedPassage | None] = []
        self.looking = False
        """Whether the passages shown are those of a passage the cursor has left."""
        self.border_title = "Related"

    def on_mount(self) -> None:
        self.show_message("Related passages of other articles show here.")

    def show_message(self, message: str) -> None:
        """Say `message` instead of a list (nothing found, no passage, an error)."""
        self.result = None
        self._rows = []
        self.looking = False
        self.border_subtitle = ""
        self.set_options([Option(Text(message, style="italic"), disabled=True)])
        self.add_class("-empty")

    def show_loading(self) -> None:
        """The passage changed; its related passages are on their way.

        Said in the border only: a CSS class set here and taken off with the result
        restyled the pane twice a key, and each restyle of a widget with component
        classes leaves dozens of objects in reference cycles for the garbage collector.
        """
        self.looking = True
        self.border_subtitle = "looking…"

    def show_result(
        self, result: RelatedResult, names: Mapping[str, str], source_text: str = ""
    ) -> None:
        """Show `result`; `source_text` is the text of its passage (to quote its sentences).

        The passages that state what this one does come first; those that only share
        its subject follow under a line that says so, or, when no other article states
        it, under a line saying that."""
        self.looking = False
        if not result.results:
            self.show_message("Nothing related in the other articles.")
            self.result = result
            self.border_subtitle = passage_mark(result.passage)
            return
        self.remove_class("-empty")
        same = self.result is not None and (self.result.doc, self.result.passage) == (
            result.doc,
            result.passage,
        )
        kept = self.highlighted if same else None
        self.result = result
        stating = [found for found in result.results if found.states_it]
        subject = [found for found in result.results if not found.states_it]
        rows: list[RelatedPassage | None] = list(stating)
        options = [Option(related_row(found, names, source_text)) for found in stating]
        if subject:
            rows.append(None)
            options.append(
                Option(
                    Text(SUBJECT_ONLY if stating else STATED_NOWHERE, style="italic"),
                    disabled=True,
                )
            )
            rows.extend(subject)
            options.extend(Option(related_row(found, names, source_text)) for found in subject)
        self._rows = rows
        self.set_options(options)
        first = next(index for index, found in enumerate(rows) if found is not None)
        # (the same row again, unless the results changed under it to a dividing line)
        keep = kept is not None and kept < len(rows) and rows[kept] is not None
        self.highlighted = kept if keep else first
        count = len(result.results)
        self.border_subtitle = f"{passage_mark(result.passage)} · {counted(count, 'passage')}"

    @property
    def highlighted_passage(self) -> RelatedPassage | None:
        if self.result is None or self.highlighted is None:
            return None
        if 0 <= self.highlighted < len(self._rows):
            return self._rows[self.highlighted]
        return None

    @on(OptionList.OptionHighlighted)
    def _stop_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()

    @on(OptionList.OptionSelected)
    def _post_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        found = self.highlighted_passage
        if found is not None:
            self.post_message(self.Chosen(found.doc, found.passage))
