"""`IndexStatus`: the file being indexed and a progress bar, hidden when idle."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Label, ProgressBar

from index import Progress
from tui.display import one_line

# What the user is told of each stage of an update (`Progress.stage`).
STAGES = {"reading": "Reading", "indexing": "Writing the index"}


class IndexStatus(Horizontal):
    """Set `progress` to a `Progress` while indexing, to `None` when done."""

    progress: reactive[Progress | None] = reactive(None)

    def compose(self) -> ComposeResult:
        yield Label(id="index-file")
        yield ProgressBar(show_eta=True, id="index-bar")

    def watch_progress(self, progress: Progress | None) -> None:
        self.set_class(progress is None, "-idle")
        if progress is None:
            return
        stage = STAGES.get(progress.stage, progress.stage.capitalize())
        label = f"{stage} {progress.done}/{progress.total}"
        if progress.path:
            label += f" · {one_line(progress.path)}"
        self.query_one("#index-file", Label).update(Text(label))
        self.query_one("#index-bar", ProgressBar).update(
            total=max(progress.total, 1), progress=progress.done
        )
