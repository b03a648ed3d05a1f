"""`EntityComparison`: the entities two compared articles both name, and those only one names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from index import Comparison, Entity, fold
from tui.display import LABEL_NAMES, LABELS, one_line


class EntityComparison(VerticalScroll, inherit_bindings=False):
    """Call `show(comparison, entities)`: three lists of names, coloured by type.

    Entities the corpus no longer lists (hidden by a correction) are left out.
    """

    BINDING_GROUP_TITLE = "Entities panel"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "scroll_down", "Scroll the entities", show=False),
        Binding("up", "scroll_up", "Scroll the entities", show=False),
        Binding("pagedown", "page_down", "Page down the entities", show=False),
        Binding("pageup", "page_up", "Page up the entities", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "entity-comparison--heading",
        *(f"entity-comparison--{label.lower()}" for label in LABELS),
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Entities"

    def compose(self) -> ComposeResult:
        yield Static(Text("…"), id="entity-comparison-text")

    def show_message(self, message: str) -> None:
        self.query_one("#entity-comparison-text", Static).update(Text(message, style="italic"))

    def show(self, comparison: Comparison, entities: Mapping[str, Entity]) -> None:
        heading = self.get_component_rich_style("entity-comparison--heading", partial=True)
        text = Text()
        counts: list[int] = []
        for title, ids in (
            ("Named in both", comparison.shared_entities),
            ("Only in A", comparison.only_a),
            ("Only in B", comparison.only_b),
        ):
            known = sorted(
                (entities[i] for i in ids if i in entities), key=lambda e: fold(e.name).casefold()
            )
            counts.append(len(known))
            if text:
                text.append("\n\n")
            text.append(f"{title} · {len(known)}", style=heading)
            text.append("\n")
            if not known:
                text.append("none", style="dim italic")
            for n, entity in enumerate(known):
                if n:
                    text.append(", ")
                label = entity.label if entity.label in LABELS else "MISC"
                style = self.get_component_rich_style(
                    f"entity-comparison--{label.lower()}", partial=True
                )
                text.append(one_line(entity.name), style=style)
        text.append("\n\n")
        for label in LABELS:
            style = self.get_component_rich_style(
                f"entity-comparison--{label.lower()}", partial=True
            )
            text.append(f"■ {LABEL_NAMES[label]}  ", style=style)
        text.rstrip()
        self.query_one("#entity-comparison-text", Static).update(text)
        both, only_a, only_b = counts
        self.border_subtitle = f"{both} both · {only_a} A · {only_b} B"
