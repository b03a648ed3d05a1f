"""What the entity panel lists: the entities matching what the reader typed, by type.

Each type under a heading with its count, at most `SHOWN_PER_LABEL` entities a type
(an option list lays out every row: typing narrows the list to the rest); an entity
on one line, its other spellings after its name and its counts on the right.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.style import Style
from rich.text import Text
from textual.widgets.option_list import Option

from index import Entity, fold
from tui.display import LABEL_NAMES, LABELS, one_line
from tui.rows import OptionRow

# Entities listed per type; typing narrows the list to the rest.
SHOWN_PER_LABEL = 150
ALIASES_SHOWN = 3


class EntityIndex:
    """The corpus's entities, most named first, ready to be filtered as the reader types."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.entities = list(entities)
        self._by_id = {entity.id: entity for entity in self.entities}
        # Names and spellings folded once (accents, case), not at every key.
        self._haystacks = [fold(" ".join((e.name, *e.aliases))).casefold() for e in self.entities]

    def get(self, entity_id: str) -> Entity | None:
        return self._by_id.get(entity_id)

    def matching(self, query: str) -> list[Entity]:
        """The entities a name or spelling of which holds every word of `query`."""
        words = fold(query).casefold().split()
        return [
            entity
            for entity, haystack in zip(self.entities, self._haystacks, strict=True)
            if all(word in haystack for word in words)
        ]


def entity_row(entity: Entity, name_style: Style) -> OptionRow:
    """An entity on one line: its name and other spellings on the left, counts on the right."""
    articles = len(entity.articles)
    counts = Text(
        f" {entity.count} mention{'s' if entity.count != 1 else ''}"
        f" · {articles} article{'s' if articles != 1 else ''}",
        style="dim",
    )
    names = Text(one_line(entity.name), style=name_style)
    others = [a for a in entity.aliases if a != entity.name]
    if others:
        shown = ", ".join(one_line(a) for a in others[:ALIASES_SHOWN])
        if len(others) > ALIASES_SHOWN:
            shown += f", +{len(others) - ALIASES_SHOWN}"
        names.append(f"  {shown}", style="dim italic")
    return OptionRow(names, right=counts)


def entity_options(
    entities: Sequence[Entity], label_style: Callable[[str], Style]
) -> tuple[list[Option], int]:
    """The options listing `entities` by type, a heading before each type (names in
    `label_style(label)`), and how many entities were left out of the list."""
    options: list[Option] = []
    hidden = 0
    for label in LABELS:
        of_label = [e for e in entities if e.label == label]
        if not of_label:
            continue
        name = LABEL_NAMES[label].capitalize()
        options.append(
            Option(Text(f"{name} · {label} · {len(of_label)}", style="bold"), disabled=True)
        )
        style = label_style(label)
        options.extend(
            Option(entity_row(entity, style), id=entity.id) for entity in of_label[:SHOWN_PER_LABEL]
        )
        hidden += max(0, len(of_label) - SHOWN_PER_LABEL)
    others = [e for e in entities if e.label not in LABELS]
    options.extend(Option(entity_row(e, Style()), id=e.id) for e in others[:SHOWN_PER_LABEL])
    return options, hidden
