"""`EntityScreen`: the corpus's entities by type, filtered as the reader types; the
corrections (merge, split, rename, hide, undo) are keys of its list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.worker import Worker, WorkerState

from index import Corpus, Correction, Entity, EntityError, PresseError
from tui.dialogs.choice import ChoiceScreen
from tui.dialogs.entity_list import EntityIndex, entity_options
from tui.dialogs.list_dialog import ListDialog
from tui.dialogs.text_prompt import TextPrompt
from tui.display import LABELS, counted, one_line
from tui.engine_worker import EntitiesLoaded, post_entities
from tui.footer import KeysFooter

# A correction to run off the UI thread: returns the entity to show and what was done.
CorrectionCall = Callable[[], "tuple[Entity | None, str]"]


@dataclass(frozen=True)
class EntityChoice:
    """How the panel closed: the entity to filter the articles by (or None), and
    whether the reader corrected entities meanwhile."""

    entity: str | None
    corrected: bool


def describe(correction: Correction) -> str:
    """A correction in the reader's words."""
    if correction.action == "merge":
        return f"merge of {correction.entity} and {correction.other}"
    if correction.action == "split":
        return f"split of {correction.other} out of {correction.entity}"
    if correction.action == "rename":
        return f"renaming of {correction.entity} to {correction.other}"
    return f"hiding of {correction.entity}"


def entity_count(matching: int, total: int, hidden: int, filtered: bool) -> str:
    """The panel's status: how many entities match, and how many of those are listed."""
    count = (
        f"{matching} of {counted(total, 'entity')} match" if filtered else counted(total, "entity")
    )
    if hidden:
        count += f" · {matching - hidden} listed, the most named of each type: type to narrow"
    return count


class EntityFilter(Input):
    """The text that filters the entities; `?` in it is the help, as anywhere else (no
    name holds a `?`, and Textual keeps a text field's printable keys from bindings)."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "question_mark":
            event.stop()
            event.prevent_default()
            await self.run_action("app.help")
            return
        await super()._on_key(event)


class EntityScreen(ListDialog[EntityChoice]):
    """Lists the entities of `corpus`; enter returns the highlighted one."""

    BINDING_GROUP_TITLE = "Entities"

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"entity-screen--{label.lower()}" for label in LABELS}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("down", "move(1)", "Next", show=False),
        Binding("pageup", "move(-10)", "Page up", show=False),
        Binding("pagedown", "move(10)", "Page down", show=False),
        Binding("tab", "focus_list", "Corrections"),
        Binding("shift+tab,slash", "focus_filter", "Filter", show=False),
        Binding("j", "move(1)", "Next", show=False),
        Binding("k", "move(-1)", "Previous", show=False),
        Binding("m", "merge", "Merge"),
        Binding("s", "split", "Split"),
        Binding("r", "rename", "Rename"),
        Binding("h", "hide", "Hide"),
        Binding("u", "undo", "Undo correction"),
    ]

    @dataclass
    class Corrected(Message):
        done: str
        entity: str | None  # the id of the entity to put the cursor on

    @dataclass
    class Failed(Message):
        error: str

    def __init__(
        self, corpus: Corpus, *, entity: str | None = None, then: str | None = None
    ) -> None:
        """`entity`: the id of the entity to put the cursor on at first; `then`: a
        correction to start on it once listed (merge, split, rename, hide, undo)."""
        super().__init__()
        self._then = then
        # A hide asked for by name (the command palette) needs no second `h`.
        self._hide_named = then == "hide" and entity is not None
        self.corpus = corpus
        self._index = EntityIndex([])
        self.corrected = False
        self.merging: Entity | None = None
        self.hiding: Entity | None = None
        """The entity `h` was pressed on once: a second `h` hides it."""
        self._wanted = entity
        self._busy = False
        self._listed = False  # the entities have been listed once

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -wide", id="entity-box") as box:
            box.border_title = "Entities"
            yield EntityFilter(
                placeholder="Type to filter: a name or part of one (? for help)",
                select_on_focus=False,
                id="entity-filter",
            )
            yield Static(Text("Loading the entities…"), id="entity-status")
            yield OptionList(markup=False, id="entity-list")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#entity-list", OptionList).can_focus = False
        self.load_entities()

    # -- loading and listing --------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="entities")
    def load_entities(self) -> None:
        post_entities(self.corpus, self)

    @on(EntitiesLoaded)
    def _loaded(self, message: EntitiesLoaded) -> None:
        self._index = EntityIndex(message.entities)
        self._listed = True
        self._list()
        then, self._then = self._then, None
        if then == "choose":
            self._choose()
        elif then is not None and then in ("merge", "split", "rename", "hide", "undo"):
            self.action_focus_list()
            if then == "hide" and self._hide_named:
                self.hiding = self.highlighted
            if then == "undo" or self.highlighted is not None:
                getattr(self, f"action_{then}")()

    @on(Input.Changed, "#entity-filter")
    def _filtered(self, event: Input.Changed) -> None:
        event.stop()
        if not self._listed:  # (listed with the filter as typed once loaded)
            return
        self._wanted = self.highlighted.id if self.highlighted else None
        self._list()

    @property
    def highlighted(self) -> Entity | None:
        entities = self.query_one("#entity-list", OptionList)
        option = entities.highlighted_option
        if option is None or option.id is None:
            return None
        return self._index.get(option.id)

    def _label_style(self, label: str) -> Style:
        return self.get_component_rich_style(f"entity-screen--{label.lower()}", partial=True)

    def _list(self) -> None:
        query = self.query_one("#entity-filter", Input).value
        matching = self._index.matching(query)
        options, hidden = entity_options(matching, self._label_style)
        entities = self.query_one("#entity-list", OptionList)
        entities.set_options(options)
        ids = [option.id for option in options]
        if self._wanted is not None and self._wanted in ids:
            entities.highlighted = ids.index(self._wanted)
        else:
            entities.highlighted = next(
                (n for n, option in enumerate(options) if not option.disabled), None
            )
        self._status(entity_count(len(matching), len(self._index.entities), hidden, bool(query)))

    def _status(self, text: str) -> None:
        if self.hiding is not None:
            text = f"Hide {one_line(self.hiding.name)}? h again hides it (u undoes); esc cancels"
        elif self.merging is not None:
            text = (
                f"Merging {one_line(self.merging.name)}: put the cursor on the other entity "
                "and press m; esc cancels"
            )
        self.query_one("#entity-status", Static).update(Text(text))
        self.refresh_bindings()

    # -- keys -----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        in_list = self.query_one("#entity-list", OptionList).has_focus
        if action in ("merge", "split", "rename", "hide", "undo", "focus_filter"):
            return in_list and not self._busy
        if action in ("focus_list",):
            return not in_list
        return True

    def action_close(self) -> None:
        if self.merging is not None or self.hiding is not None:
            self.merging = self.hiding = None
            self._list()
            return
        self.dismiss(EntityChoice(None, self.corrected))

    def action_focus_list(self) -> None:
        self.focus_list()

    def action_focus_filter(self) -> None:
        self.focus_input()

    @on(Input.Submitted, "#entity-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose()

    @on(OptionList.OptionSelected, "#entity-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose()

    def _typed_ahead(self, action: str) -> bool:
        """Whether the entities are still loading: `action` (a key typed ahead of the
        list, after a filter perhaps) is then started once they are listed."""
        if self._listed:
            return False
        self._then = action
        return True

    def _corrected_entity(self, action: str) -> Entity | None:
        """The entity to start the correction `action` on: the one highlighted, or None
        (none is, or the entities are still loading: `action` waits for them)."""
        return None if self._typed_ahead(action) else self.highlighted

    def _choose(self) -> None:
        if self._typed_ahead("choose"):
            return
        entity = self.highlighted
        if entity is None:
            self.app.bell()
            return
        if self.merging is not None:
            self.action_merge()
            return
        self.dismiss(EntityChoice(entity.id, self.corrected))

    # -- corrections ----------------------------------------------------------------
    def action_merge(self) -> None:
        entity = self._corrected_entity("merge")
        if entity is None:
            return
        if self.merging is None:
            self.merging = entity
            self._status("")
            return
        first, self.merging = self.merging, None
        if first.id == entity.id:
            self._list()
            return
        self._correct(
            lambda: (
                self.corpus.merge_entities(first.id, entity.id),
                f"{one_line(entity.name)} merged into {one_line(first.name)}",
            )
        )

    def action_split(self) -> None:
        entity = self._corrected_entity("split")
        if entity is None:
            return
        if len(entity.aliases) < 2:
            self.notify(
                f"{one_line(entity.name)} has one spelling only: nothing to split.",
                severity="warning",
                markup=False,
            )
            return

        def split(alias: str | None) -> None:
            if alias is not None:
                self._correct(
                    lambda: (
                        self.corpus.split_alias(entity.id, alias),
                        f"{one_line(alias)} split out of {one_line(entity.name)}",
                    )
                )

        self.app.push_screen(
            ChoiceScreen(
                f"Split {one_line(entity.name)}",
                entity.aliases,
                explain="The spelling to make an entity of its own:",
            ),
            split,
        )

    def action_rename(self) -> None:
        entity = self._corrected_entity("rename")
        if entity is None:
            return

        def rename(name: str | None) -> None:
            if name is not None and name != entity.name:
                self._correct(
                    lambda: (
                        self.corpus.rename_entity(entity.id, name),
                        f"{one_line(entity.name)} renamed {one_line(name)}",
                    )
                )

        self.app.push_screen(
            TextPrompt(f"Rename {one_line(entity.name)}", entity.name, explain="The new name:"),
            rename,
        )

    def action_hide(self) -> None:
        """Ask first (the cursor may not be where a hurried key thinks), hide at a second `h`."""
        entity = self._corrected_entity("hide")
        if entity is None:
            return
        if self.hiding is None or self.hiding.id != entity.id:
            self.hiding = entity
            self._status("")
            return
        self.hiding = None
        self._correct(
            lambda: (
                None,
                f"{one_line(self.corpus.hide_entity(entity.id).name)} hidden: "
                "no longer marked or searchable (u undoes)",
            )
        )

    def action_undo(self) -> None:
        def undo() -> tuple[Entity | None, str]:
            undone = self.corpus.undo_correction()
            if undone is None:
                raise EntityError("there is no correction to undo")
            return None, f"Undone: the {describe(undone)}"

        self._correct(undo)

    def _correct(self, change: CorrectionCall) -> None:
        self._busy = True
        self._status("Correcting… (the index is updated)")
        self.run_correction(change)

    @work(thread=True, exclusive=True, exit_on_error=False, group="correct")
    def run_correction(self, change: CorrectionCall) -> None:
        try:
            entity, done = change()
            entities = self.corpus.entities()
        except PresseError as error:
            self.post_message(self.Failed(str(error)))
            return
        finally:
            self.corpus.close()
        self.post_message(EntitiesLoaded(entities))
        self.post_message(self.Corrected(done, entity.id if entity else None))

    @on(Corrected)
    def _corrected(self, message: Corrected) -> None:
        self._busy = False
        self.corrected = True
        if message.entity is not None:
            self._wanted = message.entity
        self._list()
        self.notify(message.done, title="Entities corrected", markup=False)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._busy = False
        self._list()
        self.notify(message.error, title="No correction", severity="warning", markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.group in ("correct", "entities"):
            self.post_message(
                self.Failed(f"{type(event.worker.error).__name__}: {event.worker.error}")
            )
