"""`CorpusEntities`: the corpus's entities for the reader, and the entity panel.

Read in a thread worker of the screen's `entities` group, after the first paint and
again whenever the index or a correction changed them: only the last reading asked
for is shown. The entity panel (`e`) chooses the entity that filters the list, and
corrects entities; the corrections make the reader read its entities again.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING

from index import Entity
from tui.display import one_line
from tui.engine_worker import EntitiesLoaded, post_entities
from tui.reader.host import Reader

if TYPE_CHECKING:  # the dialog is imported when first opened: a faster start
    from tui.dialogs.entities import EntityChoice


def entity_name(entities: Mapping[str, Entity], entity_id: str) -> str:
    """The name of `entity_id` on one line, or the id while the entities are not read."""
    entity = entities.get(entity_id)
    return one_line(entity.name) if entity else entity_id


def entity_names(entities: Mapping[str, Entity]) -> dict[str, str]:
    """Entity id → name, for the related passages' rows."""
    return {entity_id: entity.name for entity_id, entity in entities.items()}


class CorpusEntities:
    """Reads `reader.entities`; the worker posts `EntitiesLoaded`, handed to `loaded`."""

    def __init__(self, reader: Reader) -> None:
        self._reader = reader
        self.asked = 0
        """How many readings were asked for: the last one is the one to show."""

    def load(self) -> None:
        """Read the entities again; only the last reading asked for is shown."""
        self.asked += 1
        screen = self._reader.screen
        # Not exclusive: a reading still under way when another is asked (the first, after
        # an update that came quickly) is left to finish and its result dropped, not cancelled.
        screen.run_worker(
            partial(post_entities, self._reader.corpus, screen, self.asked),
            name="read_entities",
            group="entities",
            thread=True,
            exit_on_error=False,
        )

    def loaded(self, message: EntitiesLoaded) -> bool:
        """Take the entities read, unless another reading was asked since; whether taken."""
        if message.asked != self.asked:
            return False
        self._reader.entities = {entity.id: entity for entity in message.entities}
        return True

    def panel(self, entity_id: str | None = None, *, then: str | None = None) -> None:
        """The entity panel, on `entity_id`, then the correction `then` (merge, split,
        rename, hide, undo); the entity chosen there filters the list."""
        from tui.dialogs.entities import EntityScreen

        panel = EntityScreen(self._reader.corpus, entity=entity_id, then=then)
        self._reader.screen.app.push_screen(panel, self._chosen)

    def _chosen(self, choice: EntityChoice | None) -> None:
        if choice is None:
            return
        if choice.corrected:
            self._reader.corrections_made()
        if choice.entity is not None:
            self._reader.filter_by_entity(choice.entity)
