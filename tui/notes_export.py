"""Writing the bookmarks and notes to a Markdown file the reader names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.screen import Screen

from index.userdata import UserData, notes_markdown
from tui.text_prompt import TextPrompt

DEFAULT_FILE = "presse-notes.md"


def export_notes(userdata: UserData, corpus_name: str, path: Path) -> Path:
    """Write the notes to `path` (relative to the current folder); returns the absolute path."""
    target = path.expanduser()
    target = target if target.is_absolute() else Path.cwd() / target
    target.write_text(notes_markdown(userdata.bookmarks(), corpus_name), encoding="utf-8")
    return target


def ask_and_export(screen: Screen[Any], userdata: UserData, corpus_name: str) -> None:
    """Ask for a file name over `screen`, write the notes there, and say where."""

    def export(name: str | None) -> None:
        if name is None:
            return
        try:
            written = export_notes(userdata, corpus_name, Path(name))
        except OSError as error:
            screen.notify(
                f"Cannot write {name}: {error.strerror or error}",
                title="Notes not exported",
                severity="error",
                markup=False,
            )
            return
        count = len(userdata.bookmarks())
        screen.notify(
            f"{count} bookmark{'s' if count != 1 else ''} written to {written}",
            title="Notes exported",
            markup=False,
        )

    screen.app.push_screen(
        TextPrompt(
            "Export notes to Markdown",
            DEFAULT_FILE,
            explain="The file to write (relative to the folder presse was started in):",
        ),
        export,
    )
