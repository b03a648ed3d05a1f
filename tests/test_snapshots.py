"""SVG snapshots of the reader's screens (pytest-textual-snapshot).

The corpus is a copy of the seeds in a folder named `corpus` (conftest's
`corpus_copy`), so the screen shows no temporary path; notifications are
cleared so no toast timing shows. Update the baselines with
`pytest tests/test_snapshots.py --snapshot-update` and look at them before
committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tui.app import PresseApp

SIZE = (120, 36)

SnapCompare = Callable[..., bool]


@pytest.fixture
def app(corpus_copy: Path, tmp_path: Path) -> PresseApp:
    return PresseApp(corpus_copy, tmp_path / "ix")


def after_indexing(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


def test_reader(app: PresseApp, snap_compare: SnapCompare) -> None:
    """The second seed, the text pane focused, the cursor on a Spanish caption."""
    assert snap_compare(app, terminal_size=SIZE, run_before=after_indexing("j", "tab", "j", "j"))


def test_help(app: PresseApp, snap_compare: SnapCompare) -> None:
    """The help screen over the reader: every binding, by pane."""
    assert snap_compare(app, terminal_size=SIZE, run_before=after_indexing("question_mark"))
