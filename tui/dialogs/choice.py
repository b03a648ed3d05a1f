"""`ChoiceScreen`: picks one of a few strings (the alias to split off an entity)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.dialogs.list_dialog import ListDialog
from tui.display import one_line
from tui.footer import KeysFooter


class ChoiceScreen(ListDialog[str | None]):
    """Dismissed with the chosen string on enter, or None on esc."""

    BINDING_GROUP_TITLE = "Choice"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("j", "move(1)", "Next", show=False),
        Binding("k", "move(-1)", "Previous", show=False),
    ]

    def __init__(self, title: str, choices: Sequence[str], *, explain: str = "") -> None:
        super().__init__()
        self.choice_title = title
        self.choices = tuple(choices)
        self.explain = explain

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -small") as box:
            box.border_title = Text(self.choice_title)  # a name from an article: no markup
            if self.explain:
                yield Static(Text(self.explain), classes="dialog-explain")
            yield OptionList(
                *(
                    Option(Text(one_line(choice)), id=str(n))
                    for n, choice in enumerate(self.choices)
                ),
                markup=False,
                id="choices",
            )
        yield KeysFooter()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index])
