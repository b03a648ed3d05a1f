"""`Bookmarking`: bookmarks and notes on passages (`b`), their list (`B`), their export."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from index import Bookmark, PresseError, UserData
from tui.display import article_title, passage_mark
from tui.reader.host import Places, Reader

if TYPE_CHECKING:  # the dialogs are imported when first opened: a faster start
    from tui.dialogs.note import NoteChange


def notes(userdata: UserData, article_id: str) -> dict[int, str]:
    """The bookmarked passages of `article_id` and their notes."""
    return {b.passage: b.note for b in userdata.bookmarks() if b.article == article_id}


class Bookmarking:
    """Opens the bookmark dialogs over `reader`; a bookmark chosen is read at `places`."""

    def __init__(self, reader: Reader, places: Places) -> None:
        self._reader = reader
        self._places = places

    def edit(self) -> None:
        """Bookmark the passage under the cursor with a note, or change or remove its note."""
        from tui.dialogs.note import NoteScreen

        reader = self._reader
        view = reader.view
        article = view.article
        if article is None or not article.passages:
            return
        passage = article.passages[view.cursor]
        existing = reader.userdata.bookmark(article.id, passage.n)
        bookmark = Bookmark(
            article.id,
            passage.n,
            title=article_title(article),
            text=article.passage_text(passage),
        )

        def save(change: NoteChange | None) -> None:
            if change is not None:
                self._save(bookmark, change)

        where = f"{passage_mark(passage.n)} of {article_title(article)}"
        reader.screen.app.push_screen(NoteScreen(where, existing.note if existing else None), save)

    def _save(self, bookmark: Bookmark, change: NoteChange) -> None:
        userdata, screen = self._reader.userdata, self._reader.screen
        try:
            if change.remove:
                userdata.remove_bookmark(bookmark.article, bookmark.passage)
                screen.notify("Bookmark removed.", timeout=3)
            else:
                userdata.set_bookmark(replace(bookmark, note=change.note))
                screen.notify("Bookmarked. B lists the bookmarks.", timeout=3)
        except PresseError as error:
            screen.notify(str(error), title="Not saved", severity="error", markup=False)
        self._places.decorate()

    def list(self) -> None:
        """The bookmarks and their notes; the one chosen is read."""
        from tui.dialogs.bookmarks import BookmarksScreen

        reader, places = self._reader, self._places

        def go(bookmark: Bookmark | None) -> None:
            places.decorate()  # (some may have been deleted)
            if bookmark is not None:
                places.read(bookmark.article, bookmark.passage)

        dialog = BookmarksScreen(reader.userdata, reader.corpus.root.name)
        reader.screen.app.push_screen(dialog, go)

    def export(self) -> None:
        """Write the notes to a Markdown file the reader names."""
        from tui.dialogs.notes_export import ask_and_export

        ask_and_export(self._reader.screen, self._reader.userdata, self._reader.corpus.root.name)
