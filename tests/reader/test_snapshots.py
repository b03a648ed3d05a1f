"""SVG snapshots of the reader's screens (pytest-textual-snapshot).

The corpus is a copy of the indexed seeds in a folder named `corpus` (the
`ready` fixture), so the screen shows no temporary path; the workers are waited
for and notifications cleared, so no timing shows. Update the baselines with
`pytest tests/reader/test_snapshots.py --snapshot-update` and look at them before
committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from tests.reader.support import (
    SIZE,
    Ready,
    settle,
)
from tui.app import PresseApp

SnapCompare = Callable[..., bool]


@pytest.fixture
def app(ready: Ready) -> PresseApp:
    return ready.app()


def after(*steps: tuple[str, ...]) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Press each group of keys in turn, letting the workers finish after each."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for keys in steps:
            await pilot.press(*keys)
            await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def test_reader(app: PresseApp, snap_compare: SnapCompare) -> None:
    """The second seed, the text pane focused, the cursor on a paragraph: names coloured,
    the related passages of the paragraph beside it."""
    keys = ("j", "tab", "j", "j", "j", "j", "right_square_bracket")
    assert snap_compare(app, terminal_size=SIZE, run_before=after(keys))


def test_reader_searching(app: PresseApp, snap_compare: SnapCompare) -> None:
    """After a search: the list filtered, the hits marked, the counter."""
    keys = ("slash", *"veto", "enter")
    assert snap_compare(app, terminal_size=SIZE, run_before=after(keys, ("n",)))


def test_search(app: PresseApp, snap_compare: SnapCompare) -> None:
    """The search over the reader: results as typed, snippets, "did you mean"."""
    assert snap_compare(app, terminal_size=SIZE, run_before=after(("slash", *"vetto russie")))


def test_entity_panel(app: PresseApp, snap_compare: SnapCompare) -> None:
    """The entity panel filtered to "kim", its list focused: the corrections' keys."""
    assert snap_compare(app, terminal_size=SIZE, run_before=after(("e", *"kim", "tab")))


def test_help(app: PresseApp, snap_compare: SnapCompare) -> None:
    """The help screen over the reader: every binding, by pane."""
    assert snap_compare(app, terminal_size=SIZE, run_before=after(("question_mark",)))


def test_small_terminal(app: PresseApp, snap_compare: SnapCompare) -> None:
    """80x24: the related pane under the text."""
    assert snap_compare(app, terminal_size=(80, 24), run_before=after(("j", "tab", "j")))


def test_comparison(app: PresseApp, snap_compare: SnapCompare) -> None:
    """The comparison of the first and fourth seeds (`C`, their wire copy first in the
    picker) on its last pair, a near-duplicate: the pair markers in both columns, the
    words that differ, the passages only one side has, the entities."""
    assert snap_compare(app, terminal_size=SIZE, run_before=after(("C",), ("enter",), ("G",)))
