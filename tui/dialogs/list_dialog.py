"""`ListDialog`: a modal dialog around one option list, moved through with `move(n)`."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen
from textual.widgets import OptionList

ResultType = TypeVar("ResultType")


class ListDialog(ModalScreen[ResultType]):
    """A dialog whose keys move the cursor of its option list while the focus stays
    elsewhere (in the text typed to filter it, say): bind them to `move(n)`."""

    def action_move(self, step: int) -> None:
        """Move the list's cursor `step` options down (up when negative), past headings."""
        options = self.query_one(OptionList)
        move = options.action_cursor_down if step > 0 else options.action_cursor_up
        for _ in range(abs(step)):
            move()
