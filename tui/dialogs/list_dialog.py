"""`ListDialog`: a modal dialog around one option list, moved through with `move(n)`.

The list takes the focus only when asked (tab): the keys go to the text typed to
filter it meanwhile, and `move(n)` moves its cursor from there.
"""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen
from textual.widgets import Input, OptionList

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

    def focus_list(self) -> None:
        """Give the list the focus; the bindings that act on it show."""
        options = self.query_one(OptionList)
        options.can_focus = True
        options.focus()
        self.refresh_bindings()

    def focus_input(self) -> None:
        """Give the focus back to the text typed; the list leaves the focus chain."""
        self.query_one(Input).focus()
        self.query_one(OptionList).can_focus = False
        self.refresh_bindings()
