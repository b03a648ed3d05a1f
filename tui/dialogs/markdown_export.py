"""Writing a Markdown export to a file the reader names (notes, a comparison).

Exports go to one documented folder, `~/Documents/presse/`, whatever folder presse
was started from (under `make run`, that was the repository): a name alone is a
file there, a path is taken as it is, and missing folders are made. A name that
cannot be written keeps the prompt open, with the reason and the name typed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.screen import Screen

from tui.dialogs.text_prompt import TextPrompt

EXPLAIN = "The file to write (a name alone goes to ~/Documents/presse/; folders are made):"


def export_folder() -> Path:
    """Where an export goes when the reader names a file but no folder."""
    return Path.home() / "Documents" / "presse"


def export_target(name: str) -> Path:
    """The file an export named `name` is written to (absolute)."""
    path = Path(name).expanduser()
    return path if path.is_absolute() else export_folder() / path


def shown_path(path: Path) -> str:
    """`path` as the prompt proposes it: under the home folder, from `~`."""
    try:
        return f"~/{path.relative_to(Path.home())}"
    except ValueError:
        return str(path)


def write_markdown(name: str, markdown: str) -> Path:
    """Write `markdown` to the file named `name`, its folders made; returns where."""
    target = export_target(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(markdown, encoding="utf-8")
    return target


def ask_and_write(
    screen: Screen[Any],
    title: str,
    default: str,
    markdown: Callable[[], str],
    written: Callable[[Path], str],
    *,
    done: str = "Exported",
) -> None:
    """Ask for a file over `screen` (`default`, a file name, proposed in the export
    folder), write `markdown()` there and notify `written(path)` under the title `done`;
    the prompt stays open with the reason when the file cannot be written."""

    def write(name: str) -> str | None:
        try:
            path = write_markdown(name, markdown())
        except OSError as error:
            return f"Cannot write {name}: {error.strerror or error}"
        screen.notify(written(path), title=done, markup=False)
        return None

    proposed = shown_path(export_folder() / default)
    screen.app.push_screen(TextPrompt(title, proposed, explain=EXPLAIN, submit=write))
