"""`KeysFooter`: Textual's footer with the help and quit keys first.

The footer cuts what does not fit on the right: on an 80-column terminal the
app's own keys, listed last, were the ones cut, and a newcomer saw neither how
to get help nor how to leave.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

# The actions whose keys always show, in this order.
FIRST = ("app.help", "help", "app.quit", "quit")


def _rank(widget: object) -> int:
    # (A footer key holds its `action`; Textual does not export its class.)
    action = getattr(widget, "action", None)
    return FIRST.index(action) if action in FIRST else len(FIRST)


class KeysFooter(Footer):
    """The keys of the screen, `? Help` and `q Quit` leftmost."""

    def compose(self) -> ComposeResult:
        # (presse's bindings have no groups: every key is a widget of its own.)
        yield from sorted(super().compose(), key=_rank)
