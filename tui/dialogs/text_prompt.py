"""`TextPrompt`: asks for one line of text (a new name, a file to write)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.footer import KeysFooter


class TextPrompt(ModalScreen[str | None]):
    """Dismissed with the text typed (stripped) on enter, or None on esc or when empty."""

    BINDING_GROUP_TITLE = "Prompt"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
    ]

    def __init__(
        self,
        title: str,
        value: str = "",
        *,
        explain: str = "",
        submit: Callable[[str], str | None] | None = None,
    ) -> None:
        """`submit`: run on the text entered; the reason it returns, if any, is shown
        and the prompt stays open with the text typed (a file that cannot be written)."""
        super().__init__()
        self.prompt_title = title
        self.value = value
        self.explain = explain
        self.submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -small") as box:
            box.border_title = Text(self.prompt_title)  # a name from an article: no markup
            if self.explain:
                yield Static(Text(self.explain), classes="dialog-explain")
            yield Input(self.value, select_on_focus=False, id="prompt-input")
            yield Static(id="prompt-error", classes="-error")
        yield KeysFooter()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if value and self.submit is not None:
            reason = self.submit(value)
            if reason is not None:
                error = self.query_one("#prompt-error", Static)
                error.update(Text(reason))
                error.add_class("-shown")
                return
        self.dismiss(value or None)
