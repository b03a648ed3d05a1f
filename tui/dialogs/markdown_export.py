"""Writing a Markdown export to a file the reader names (notes, a comparison)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.screen import Screen

from tui.dialogs.text_prompt import TextPrompt

EXPLAIN = "The file to write (relative to the folder presse was started in):"


def write_markdown(path: Path, markdown: str) -> Path:
    """Write `markdown` to `path` (relative to the current folder); returns the absolute path."""
    target = path.expanduser()
    target = target if target.is_absolute() else Path.cwd() / target
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
    """Ask for a file name over `screen` (`default` proposed), write `markdown()` there,
    and notify `written(path)` under the title `done`, or why nothing was written."""

    def write(name: str | None) -> None:
        if name is None:
            return
        try:
            path = write_markdown(Path(name), markdown())
        except OSError as error:
            screen.notify(
                f"Cannot write {name}: {error.strerror or error}",
                title="Nothing written",
                severity="error",
                markup=False,
            )
            return
        screen.notify(written(path), title=done, markup=False)

    screen.app.push_screen(TextPrompt(title, default, explain=EXPLAIN), write)
