"""`IndexStatus`: what the background update is doing, and a progress bar, hidden when idle."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Label, ProgressBar

from index import Progress
from tui.display import one_line

# What the user is told of each stage of an update (`Progress.stage`).
STAGES = {
    "reading": "Reading",
    "names": "Names found in",
    "entities": "Grouping the entities",
    "indexing": "Writing the search index",
}


def progress_line(progress: Progress, reading: Progress | None, names: Progress | None) -> str:
    """`Reading 120/542 · names found in 96 · file.txt`: the model runs behind the reading,
    so while files are read both counts show (`reading`, `names`: their last steps)."""
    if progress.stage not in ("reading", "names"):
        stage = STAGES.get(progress.stage, progress.stage.capitalize())
        return (
            f"{stage}…"
            if progress.stage == "entities"
            else f"{stage} {progress.done}/{progress.total}"
        )
    still_reading = reading is None or reading.done < reading.total
    parts = []
    if still_reading or names is None:
        parts.append(f"Reading {reading.done if reading else 0}/{progress.total}")
    if names is not None:
        parts.append(f"names found in {names.done}/{names.total}")
    line = " · ".join(parts)
    line = line[0].upper() + line[1:]
    if reading is not None and reading.path and still_reading:
        line += f" · {one_line(reading.path)}"
    return line


def search_note(progress: Progress) -> str:
    """What a search made while the index grows is told: its results are not all there."""
    if progress.stage in ("reading", "names"):
        return f"indexing: {progress.done} of {progress.total} files, results so far"
    return "indexing: nearly done, results so far"


class IndexStatus(Horizontal):
    """Set `progress` to a `Progress` while indexing, to `None` when done."""

    progress: reactive[Progress | None] = reactive(None)

    def __init__(self) -> None:
        super().__init__()
        self._reading: Progress | None = None
        self._names: Progress | None = None

    def compose(self) -> ComposeResult:
        yield Label(id="index-file")
        yield ProgressBar(show_eta=True, id="index-bar")

    def watch_progress(self, progress: Progress | None) -> None:
        self.set_class(progress is None, "-idle")
        if progress is None:
            self._reading = self._names = None
            return
        if progress.stage == "reading":
            self._reading = progress
        elif progress.stage == "names":
            self._names = progress
        line = progress_line(progress, self._reading, self._names)
        self.query_one("#index-file", Label).update(Text(line))
        if progress.stage == "reading" and self._names is not None:
            return  # the bar follows the names found: the articles listed
        self.query_one("#index-bar", ProgressBar).update(
            total=max(progress.total, 1), progress=progress.done
        )
