"""`BookmarksScreen`: the bookmarked passages and their notes; enter goes to one."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from index import Bookmark, PresseError, UserData
from tui.dialogs.list_dialog import ListDialog
from tui.dialogs.notes_export import ask_and_export
from tui.display import counted, one_line, passage_mark
from tui.footer import KeysFooter
from tui.rows import OptionRow, RowPart

TEXT_LINES = 2


def bookmark_row(mark: Bookmark) -> OptionRow:
    """A bookmark: the article's title and passage, the note, the start of the passage."""
    title = Text(one_line(mark.title) or mark.article, style="bold")
    title.append(f"  {passage_mark(mark.passage)}", style="dim")
    note = [RowPart(Text(f"✎ {one_line(mark.note)}", style="italic"), None)]
    text = RowPart(Text(one_line(mark.text), style="dim"), TEXT_LINES)
    return OptionRow(title, *(note if mark.note.strip() else []), text)


def describe(mark: Bookmark) -> str:
    """`The bookmark on ¶3 of Title`."""
    return f"The bookmark on {passage_mark(mark.passage)} of {one_line(mark.title) or mark.article}"


class BookmarksScreen(ListDialog[Bookmark | None]):
    """Lists the bookmarks of `userdata`; dismissed with the one to go to. `d` deletes one,
    note and all, and says so; `u` brings back the last deleted (the reader re-reads the
    bookmarks when the list closes)."""

    BINDING_GROUP_TITLE = "Bookmarks"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("j", "move(1)", "Next", show=False),
        Binding("k", "move(-1)", "Previous", show=False),
        Binding("d,delete", "delete", "Delete"),
        Binding("u", "undelete", "Undo delete"),
        Binding("x", "export", "Export to Markdown"),
    ]

    def __init__(self, userdata: UserData, corpus_name: str) -> None:
        super().__init__()
        self.userdata = userdata
        self.corpus_name = corpus_name
        self.bookmarks = userdata.bookmarks()
        self.deleted: list[Bookmark] = []
        """The bookmarks deleted while the list is open, the last one last."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -wide", id="bookmarks-box") as box:
            box.border_title = "Bookmarks and notes"
            yield Static(id="bookmarks-status")
            yield OptionList(markup=False, id="bookmarks-list")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._list()

    def _list(self) -> None:
        marks = self.query_one("#bookmarks-list", OptionList)
        kept = marks.highlighted or 0
        marks.set_options(
            Option(bookmark_row(mark), id=str(n)) for n, mark in enumerate(self.bookmarks)
        )
        count = len(self.bookmarks)
        status = (
            f"{counted(count, 'bookmark')} · enter goes there · d deletes"
            if count
            else "No bookmarks yet: b on a passage bookmarks it, with a note if you like."
        )
        if self.deleted:
            status += f" · u brings back {counted(len(self.deleted), 'deleted bookmark')}"
        self.query_one("#bookmarks-status", Static).update(Text(status))
        if self.bookmarks:
            marks.highlighted = min(kept, count - 1)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete":
            return bool(self.bookmarks)
        if action == "undelete":
            return bool(self.deleted)
        return True

    def action_delete(self) -> None:
        marks = self.query_one("#bookmarks-list", OptionList)
        if marks.highlighted is None or not self.bookmarks:
            return
        mark = self.bookmarks[marks.highlighted]
        try:
            self.userdata.remove_bookmark(mark.article, mark.passage)
        except PresseError as error:
            self.notify(str(error), title="Not deleted", severity="error", markup=False)
            return
        self.bookmarks.remove(mark)
        self.deleted.append(mark)
        self._list()
        self.notify(
            f"{describe(mark)} deleted{' with its note' if mark.note.strip() else ''};"
            " u brings it back.",
            title="Bookmark deleted",
            markup=False,
        )

    def action_undelete(self) -> None:
        if not self.deleted:
            return
        mark = self.deleted[-1]
        try:
            mark = self.userdata.set_bookmark(mark)
        except PresseError as error:
            self.notify(str(error), title="Not brought back", severity="error", markup=False)
            return
        self.deleted.pop()
        self.bookmarks = self.userdata.bookmarks()
        self._list()
        marks = self.query_one("#bookmarks-list", OptionList)
        marks.highlighted = next(
            (n for n, kept in enumerate(self.bookmarks) if kept.key == mark.key), None
        )
        self.notify(f"{describe(mark)} brought back.", title="Bookmark restored", markup=False)

    def action_export(self) -> None:
        ask_and_export(self, self.userdata, self.corpus_name)

    @on(OptionList.OptionSelected, "#bookmarks-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.bookmarks[event.option_index])
