"""`NoteScreen`: bookmarks the passage under the cursor, with a note if the reader writes one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.footer import KeysFooter


@dataclass(frozen=True)
class NoteChange:
    """What the reader asked: keep the bookmark with `note`, or remove it."""

    note: str
    remove: bool = False


class NoteScreen(ModalScreen[NoteChange | None]):
    """Enter saves the bookmark with the note typed (it may be empty); esc changes nothing."""

    BINDING_GROUP_TITLE = "Bookmark"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+r", "remove", "Remove bookmark"),
    ]

    def __init__(self, where: str, note: str | None) -> None:
        """`where` names the passage; `note` is the bookmark's note, None when not bookmarked."""
        super().__init__()
        self.where = where
        self.existing = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -small") as box:
            box.border_title = "Edit bookmark" if self.existing is not None else "Bookmark"
            yield Static(Text(self.where), classes="dialog-explain")
            yield Input(
                self.existing or "",
                placeholder="A note (optional); enter saves",
                select_on_focus=False,
                id="note-input",
            )
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove":
            return self.existing is not None
        return True

    def action_remove(self) -> None:
        self.dismiss(NoteChange("", remove=True))

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(NoteChange(event.value.strip()))
