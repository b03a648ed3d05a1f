"""`HelpScreen`: every key of the screen below it, read from the bindings themselves."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.display import LABEL_NAMES, LABELS
from tui.footer import KeysFooter


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
    # `_bindings` is the node's effective map: inherited bindings with the
    # subclass's keys taking precedence, and any user keymap applied.
    return binding_keys(node._bindings, app)


def class_keys(node_class: type[DOMNode], app: App[Any]) -> tuple[KeyHelp, ...]:
    """The described bindings of a screen not open yet (a dialog), from its class."""
    return binding_keys(node_class._merged_bindings or BindingsMap(), app)


def binding_keys(bindings: BindingsMap, app: App[Any]) -> tuple[KeyHelp, ...]:
    """The described `bindings`, one entry per action, keys in binding order."""
    by_action: dict[str, tuple[list[str], str]] = {}
    for _key, binding in bindings:
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


def node_title(node: DOMNode | type[DOMNode]) -> str:
    name = node.__name__ if isinstance(node, type) else type(node).__name__
    return node.BINDING_GROUP_TITLE or name


def key_sections(screen: Screen[Any]) -> list[KeySection]:
    """The keys of `screen`: its focusable panes first, then the screen, then the app,
    then those of the dialogs it opens (its `help_dialogs()`)."""
    nodes: Iterable[DOMNode] = [*screen.focus_chain, screen, screen.app]
    sections = [KeySection(node_title(node), node_keys(node, screen.app)) for node in nodes]
    help_dialogs = getattr(screen, "help_dialogs", None)
    dialogs: Iterable[type[Screen[Any]]] = help_dialogs() if help_dialogs is not None else ()
    sections.extend(
        KeySection(f"{node_title(dialog)} (its dialog)", class_keys(dialog, screen.app))
        for dialog in dialogs
    )
    return [section for section in sections if section.keys]


TARGET_RULE = (
    "The entity the list is filtered by; else the one you last followed (with ], [ or t) "
    "while the passage under the cursor names it; else the first one the passage names. "
    "t follows the next entity of the passage. The line under the text says which entity "
    "it is; past its last mention in the article, ] goes on to the next listed article "
    "that names it."
)

COMPARE_RULE = (
    "c compares the article read with another: the one picked in the list (c on an "
    "article of the list picks it), else the article of the related passage under the "
    "related pane's cursor, else one you choose; C always asks. In the list, ⇄3 says that "
    "three other articles share near-duplicate passages with the article (wire copy): "
    "they come first when you choose."
)


class HelpScreen(ModalScreen[None]):
    """Lists `sections`; `esc` or `?` closes it."""

    BINDING_GROUP_TITLE = "Help"

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"help-screen--{label.lower()}" for label in LABELS}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark", "dismiss", "Close help"),
        Binding("j", "scroll(1)", "Scroll down", show=False),
        Binding("k", "scroll(-1)", "Scroll up", show=False),
        Binding("G,end", "scroll_end", "Scroll to the end", show=False),
        Binding("g,home", "scroll_home", "Scroll to the top", show=False),
    ]

    def __init__(
        self, sections: Sequence[KeySection], notes: Sequence[tuple[str, str]] | None = None
    ) -> None:
        """`notes`: (title, text) paragraphs to show under the keys; by default the
        reader's (the colours of the names, the entity `]` and `[` follow)."""
        super().__init__()
        self.sections = tuple(sections)
        self.notes = None if notes is None else tuple(notes)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            for section in self.sections:
                yield Static(Text(section.title), classes="help-section")
                yield Static(self._table(section), classes="help-keys")
            if self.notes is not None:
                for title, text in self.notes:
                    yield Static(Text(title), classes="help-section")
                    yield Static(Text(text), classes="help-keys help-note")
            else:
                yield Static(Text("Names in the text"), classes="help-section")
                yield Static(id="help-legend", classes="help-keys")
                yield Static(Text("The entity ] and [ follow"), classes="help-section")
                yield Static(Text(TARGET_RULE), classes="help-keys help-note")
                yield Static(Text("Comparing two articles"), classes="help-section")
                yield Static(Text(COMPARE_RULE), classes="help-keys help-note")
        yield KeysFooter()

    def on_mount(self) -> None:
        if self.notes is not None:
            return
        legend = Text()
        for label in LABELS:
            style = self.get_component_rich_style(f"help-screen--{label.lower()}", partial=True)
            legend.append(f"{label} {LABEL_NAMES[label]}", style=style)
            legend.append("   ")
        legend.append("underlined: the entity ] [ follow", style="underline")
        self.query_one("#help-legend", Static).update(legend)

    def action_scroll_end(self) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_end(animate=False, immediate=True)

    def action_scroll_home(self) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_home(animate=False, immediate=True)

    def action_scroll(self, lines: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=lines, animate=False)

    @staticmethod
    def _table(section: KeySection) -> Table:
        """The keys in two columns, down the first then the second: half as tall."""
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column(min_width=10, style="bold")
        table.add_column(ratio=1)
        table.add_column(min_width=10, style="bold")
        table.add_column(ratio=1)
        half = (len(section.keys) + 1) // 2
        left, right = section.keys[:half], section.keys[half:]
        for n, entry in enumerate(left):
            cells = [Text(entry.keys), Text(entry.description)]
            if n < len(right):
                cells += [Text(right[n].keys), Text(right[n].description)]
            table.add_row(*cells)
        return table
