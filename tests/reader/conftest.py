"""Fixtures of the reader's Pilot tests: the seeds ready to read, the reader opened on them.

Most tests start from `pilot`: the reader on a copy of the indexed seeds (`ready`),
at `SIZE`, its workers done. Some start from a place in them (`on_001`, `on_000_12`);
`first_run` is the reader on seeds it has not indexed yet, once it has. What the
screen shows, waiting and pressing keys are helpers in `support`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.conftest import Indexed
from tests.reader.support import IDS, SIZE, Ready, make_ready, press, settle, shown_id, view
from tui.app import PresseApp


@pytest.fixture
def ready(indexed: Indexed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Ready:
    """A copy of the indexed seeds in a folder named `corpus`, the debounces shortened."""
    return make_ready(indexed, tmp_path, monkeypatch)


@pytest.fixture
async def pilot(ready: Ready) -> AsyncIterator[Pilot[None]]:
    """The reader on the `ready` seeds at `SIZE`, its workers done."""
    async with ready.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        yield pilot


@pytest.fixture
async def on_001(pilot: Pilot[None]) -> Pilot[None]:
    """The reader on the second seed, the text pane focused, the cursor on ¶0:
    "Poutine rencontre Kim Jong-un…"."""
    await press(pilot, "j", "tab")
    return pilot


@pytest.fixture
async def on_000_12(pilot: Pilot[None]) -> Pilot[None]:
    """The reader on the first seed, the text pane focused, the cursor on ¶12: a passage
    of its wire copy in the fourth seed."""
    assert shown_id(pilot) == IDS[0]
    await press(pilot, "tab")
    view(pilot).cursor = 12
    await settle(pilot)
    assert view(pilot).cursor == 12
    return pilot


@pytest.fixture
async def first_run(corpus_copy: Path, tmp_path: Path) -> AsyncIterator[Pilot[None]]:
    """The reader on a copy of the seeds it has no index of, once it has indexed them and
    the work that follows is done (the entities, the wire copy counts)."""
    async with PresseApp(corpus_copy, tmp_path / "ix").run_test(size=SIZE) as pilot:
        await settle(pilot, debounced=False)
        yield pilot
