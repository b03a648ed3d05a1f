"""Writing the bookmarks and notes to a Markdown file the reader names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.screen import Screen

from index import UserData, notes_markdown
from tui.dialogs.markdown_export import ask_and_write

DEFAULT_FILE = "presse-notes.md"


def ask_and_export(screen: Screen[Any], userdata: UserData, corpus_name: str) -> None:
    """Ask for a file name over `screen`, write the notes there, and say where."""

    def written(path: Path) -> str:
        count = len(userdata.bookmarks())
        return f"{count} bookmark{'s' if count != 1 else ''} written to {path}"

    ask_and_write(
        screen,
        "Export notes to Markdown",
        DEFAULT_FILE,
        lambda: notes_markdown(userdata.bookmarks(), corpus_name),
        written,
        done="Notes exported",
    )
