"""Helpers for the reader's Pilot tests: a ready index, what the screen shows, waiting.

`make_ready` copies the session's indexed seeds (files and index directory), so the
reader opens on a current index at once and no test runs the entity model again.
The folder is named `corpus`, so no temporary path shows on screen. The fixtures
built on them, and the reader opened on them, are in `conftest.py`; the system
tests use them too.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rich.style import Style
from textual.pilot import Pilot
from textual.widget import Widget

from index import Corpus
from tests.conftest import Indexed, copy_indexed
from tui.app import PresseApp
from tui.reader.passage_view import PassageView
from tui.reader.screen import ReaderScreen

SIZE = (120, 36)

IDS = [
    "000_34fdb793e7d525a8",
    "001_c5001f9aa01043f8",
    "002_e36b65c31de3faa9",
    "003_17a356de9bc4f7c3",
    "004_516c37a8e62c70fe",
]


@dataclass(frozen=True)
class Ready:
    """A corpus folder and its current index directory."""

    root: Path
    index_dir: Path

    def app(self) -> PresseApp:
        return PresseApp(self.root, self.index_dir)


# The debounces of the related pane and of the search, shortened for the tests.
QUICK = 0.01


def make_ready(indexed: Indexed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Ready:
    """A copy of `indexed` in `tmp_path`, the debounces shortened while the test runs."""
    monkeypatch.setattr("tui.reader.related.RELATED_DEBOUNCE", QUICK)
    monkeypatch.setattr("tui.dialogs.search.DEBOUNCE", QUICK)
    return Ready(*copy_indexed(indexed, tmp_path))


def screen_text(pilot: Pilot[None]) -> str:
    """What the terminal shows, as plain lines."""
    update = pilot.app.screen._compositor.render_full_update()
    return "\n".join("".join(strip.text for strip in line) for line in update.strips)


def widget_text(pilot: Pilot[None], widget: Widget) -> str:
    """What `widget` shows, cut out of the screen (the seeds are all one cell a character)."""
    lines = screen_text(pilot).split("\n")
    region = widget.content_region
    return "\n".join(line[region.x : region.right] for line in lines[region.y : region.bottom])


def flat(text: str) -> str:
    """`text` with its lines and runs of blanks joined, to find wrapped phrases."""
    return " ".join(text.split())


# How long `settle` waits for the workers before it fails the test: far longer than they
# take, even on a loaded machine.
SETTLE_SECONDS = 30.0


async def settle(pilot: Pilot[None], *, debounced: bool = True) -> None:
    """Wait for the workers (and, if `debounced`, the debounce timers that start them) to
    be done: until no worker runs once those that ran have ended and their results are
    handled (a result may start another worker). Fails after `SETTLE_SECONDS`, not
    returning early. The index update the reader starts after its first paint is one."""
    from tui.reader import related

    deadline = time.monotonic() + SETTLE_SECONDS
    while not getattr(pilot.app, "index_started", True):  # it starts after the first paint
        assert time.monotonic() < deadline, f"the index update not started in {SETTLE_SECONDS} s"
        await pilot.pause()
    while True:
        if debounced:
            # Past the debounce of the search and related panes. (A debounce timer set
            # before this pause fires before it ends, however slow the machine.)
            await pilot.pause(related.RELATED_DEBOUNCE + 0.02)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        running = [worker.name for worker in pilot.app.workers if worker.is_running]
        if not running:
            return
        assert time.monotonic() < deadline, (
            f"workers still running after {SETTLE_SECONDS} s: {', '.join(running)}"
        )


async def press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


def reader(pilot: Pilot[None]) -> ReaderScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen), screen
    return screen


def view(pilot: Pilot[None]) -> PassageView:
    return reader(pilot).query_one(PassageView)


def shown_id(pilot: Pilot[None]) -> str:
    article = view(pilot).article
    assert article is not None
    return article.id


def styled_runs(pilot: Pilot[None], widget: Widget, wanted: Callable[[Style], bool]) -> list[str]:
    """The runs of characters inside `widget` drawn in a style `wanted` accepts (the
    underlined words, say), line by line, in reading order."""
    update = pilot.app.screen._compositor.render_full_update()
    region = widget.content_region
    runs: list[str] = []
    for y, line in enumerate(update.strips):
        if not region.y <= y < region.bottom:
            continue
        x, run = 0, ""
        for segment in (segment for strip in line for segment in strip):
            style = segment.style
            for char in segment.text:
                if region.x <= x < region.right and style is not None and wanted(style):
                    run += char
                elif run:
                    runs.append(run)
                    run = ""
                x += 1
        if run:
            runs.append(run)
    return [run.strip() for run in runs if run.strip()]


def hold_back(monkeypatch: pytest.MonkeyPatch, method: str) -> threading.Event:
    """Make every call of `Corpus.<method>` wait (10 s at most) until the event returned is
    set: the reader's worker is still busy while the test types ahead of it."""
    release = threading.Event()
    original = getattr(Corpus, method)

    def held(self: Corpus, *args: Any, **kwargs: Any) -> Any:
        release.wait(10)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Corpus, method, held)
    return release
