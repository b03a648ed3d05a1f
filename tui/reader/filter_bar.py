"""`FilterBar`: the line above the panes that says what filters the article list."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from index import Entity
from tui.display import LABEL_NAME, one_line


def _articles(count: int) -> str:
    return f"{count} article{'s' if count != 1 else ''}"


class FilterBar(Static):
    """Call `show_filters` with the filters, or `show_pick` with the article picked to
    compare; hidden (`-empty`) while nothing filters the list."""

    def show_filters(
        self,
        *,
        search: str,
        searching: bool,
        matches: int | None,
        entity: str | None,
        entity_found: Entity | None,
        shown: int | None,
        total: int,
    ) -> None:
        """The `search` and its count of `matches` (`searching` while they are sought), the
        `entity` filter by its name (`entity_found`, once the entities are read), and how
        many articles of all are `shown` (None: the filters wait for the whole list)."""
        parts: list[Text] = []
        if search:
            part = Text.assemble(("Search ", "dim"), (one_line(search), "bold"))
            if searching:
                part.append(" (searching…)", style="dim")
            elif matches is not None:
                part.append(f" · {_articles(matches)}", style="dim")
            parts.append(part)
        if entity is not None:
            name = one_line(entity_found.name) if entity_found else entity
            part = Text.assemble(("Entity ", "dim"), (name, "bold"))
            if entity_found is not None:
                label = LABEL_NAME.get(entity_found.label, entity_found.label)
                part.append(f" ({label}) · {_articles(len(entity_found.articles))}", "dim")
            parts.append(part)
        self.set_class(not parts, "-empty")
        if parts:
            line = Text(" + ").join(parts)
            if shown is None:
                line.append("  →  listed once every article is read", style="dim")
            else:
                line.append(f"  →  {shown} of {total} listed", style="dim")
            line.append("   esc clears", style="dim italic")
            self.update(line)

    def show_pick(self, title: str) -> None:
        """The article picked (`c` in the list) to compare with the next one `c` is pressed on."""
        self.set_class(False, "-empty")
        self.update(
            Text.assemble(
                ("Picked to compare ", "dim"),
                ("(c on another article compares, esc cancels)", "dim italic"),
                (": ", "dim"),
                (title, "bold"),
            )
        )
