"""`HelpScreen`: every key of the screen below it, read from the bindings themselves."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static


@dataclass(frozen=True)
class KeyHelp:
    """One action and the keys that run it."""

    keys: str
    description: str


@dataclass(frozen=True)
class KeySection:
    """The keys of one part of the screen (a pane, the screen, the app)."""

    title: str
    keys: tuple[KeyHelp, ...]


def node_keys(node: DOMNode, app: App[Any]) -> tuple[KeyHelp, ...]:
    """The described bindings of `node`, one entry per action, keys in binding order."""
    by_action: dict[str, tuple[list[str], str]] = {}
    # `_bindings` is the node's effective map: inherited bindings with the
    # subclass's keys taking precedence, and any user keymap applied.
    for _key, binding in node._bindings:
        if not binding.description or binding.system:
            continue
        keys, _ = by_action.setdefault(binding.action, ([], binding.description))
        display = app.get_key_display(binding)
        if display not in keys:
            keys.append(display)
    return tuple(
        KeyHelp(" ".join(sorted(keys, key=_letters_first)), description)
        for keys, description in by_action.values()
    )


def _letters_first(display: str) -> bool:
    """Sort key: a one-letter key (`j`, `?`) before named keys and chords (`↓`, `^q`)."""
    return not (len(display) == 1 and display.isascii())


def node_title(node: DOMNode) -> str:
    return node.BINDING_GROUP_TITLE or type(node).__name__


def key_sections(screen: Screen[Any]) -> list[KeySection]:
    """The keys of `screen`: its focusable panes first, then the screen, then the app."""
    nodes: Iterable[DOMNode] = [*screen.focus_chain, screen, screen.app]
    sections = [KeySection(node_title(node), node_keys(node, screen.app)) for node in nodes]
    return [section for section in sections if section.keys]


class HelpScreen(ModalScreen[None]):
    """Lists `sections`; `esc` or `?` closes it."""

    BINDING_GROUP_TITLE = "Help"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark", "dismiss", "Close help"),
        Binding("j", "scroll(1)", "Scroll down", show=False),
        Binding("k", "scroll(-1)", "Scroll up", show=False),
    ]

    def __init__(self, sections: Sequence[KeySection]) -> None:
        super().__init__()
        self.sections = tuple(sections)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            for section in self.sections:
                yield Static(Text(section.title), classes="help-section")
                yield Static(self._table(section), classes="help-keys")
        yield Footer()

    def action_scroll(self, lines: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=lines, animate=False)

    @staticmethod
    def _table(section: KeySection) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(min_width=14, style="bold")
        table.add_column()
        for entry in section.keys:
            table.add_row(Text(entry.keys), Text(entry.description))
        return table
