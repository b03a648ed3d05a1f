"""The reader as a newcomer meets it: the first index, the help and its keys, deletes that
can be taken back, what the counters say."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from index import UserData
from index.ingest.updating import Update
from tests.reader.support import (
    IDS,
    SIZE,
    Ready,
    press,
    reader,
    screen_text,
    settle,
    shown_id,
    view,
)
from tui.app import PresseApp
from tui.dialogs.bookmarks import BookmarksScreen
from tui.dialogs.help import HelpScreen
from tui.dialogs.search import SearchScreen
from tui.reader.screen import ReaderScreen

WAIT_SECONDS = 30.0


async def until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    """Pause until `condition()` holds (the test fails after WAIT_SECONDS)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, "the reader never got there"
        await pilot.pause(0.05)


# -- 1. the first index --------------------------------------------------------------------


async def test_a_first_index_lists_articles_as_they_come_and_search_says_so(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("index.ingest.updating.BATCH_FILES", 2)
    monkeypatch.setattr("tui.reader.screen.LIST_GROWS_SECONDS", 0.0)
    monkeypatch.setattr("tui.dialogs.search.DEBOUNCE", 0.01)
    listed: list[int] = []
    reload = ReaderScreen.reload

    def reload_and_count(screen: ReaderScreen, *args: Any, **kwargs: Any) -> None:
        reload(screen, *args, **kwargs)
        listed.append(len(screen.summaries))

    monkeypatch.setattr(ReaderScreen, "reload", reload_and_count)
    # The search index is written after every file is read: hold it back there.
    release = threading.Event()
    sync = Update.sync

    def held_sync(update: Update) -> None:
        release.wait(WAIT_SECONDS)
        sync(update)

    monkeypatch.setattr(Update, "sync", held_sync)
    app = PresseApp(corpus_copy, tmp_path / "ix")
    async with app.run_test(size=SIZE) as pilot:
        try:
            await until(pilot, lambda: len(reader(pilot).summaries) == 5)
            # Batch by batch, before the update is done: something to read at once.
            assert 0 < listed[1] < 5 or 0 < listed[2] < 5, listed
            assert "Names found in 5/5" in screen_text(pilot)
            await until(pilot, lambda: view(pilot).article is not None)
            await pilot.press("slash", *"veto")
            await until(pilot, lambda: "indexing: 5 of 5 files" in screen_text(pilot))
            assert "0 articles match · indexing: 5 of 5 files, results so far" in screen_text(pilot)
        finally:
            release.set()
        await until(pilot, lambda: "3 articles match" in screen_text(pilot))
        assert "indexing" not in screen_text(pilot)
        await press(pilot, "enter")  # the search of the whole index opens its best hit
        assert isinstance(app.screen, ReaderScreen)
        assert reader(pilot).search_text == "veto"
        assert shown_id(pilot) in {IDS[0], IDS[3], IDS[4]}


# -- 3. bookmarks deleted, and brought back ---------------------------------------------------


async def test_a_deleted_bookmark_is_said_and_comes_back_with_u(ready: Ready) -> None:
    app = ready.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "j", "tab", "j", "j", "b", *"Une note", "enter")
        await press(pilot, "B")
        assert isinstance(app.screen, BookmarksScreen)
        await press(pilot, "d")
        said = " ".join(n.message for n in app._notifications)
        assert "The bookmark on ¶3 of" in said
        assert "deleted with its note; u brings it back" in said
        assert "No bookmarks yet" in screen_text(pilot)
        assert UserData(ready.index_dir).bookmarks() == []
        await press(pilot, "u")
        assert "1 bookmark ·" in screen_text(pilot)
        assert "✎ Une note" in screen_text(pilot)
        (mark,) = UserData(ready.index_dir).bookmarks()
        assert (mark.article, mark.passage, mark.note) == (IDS[1], 2, "Une note")


# -- 4. the help, and the keys that always show ---------------------------------------------


async def test_the_help_lists_the_keys_of_the_dialogs_too(pilot: Pilot[None]) -> None:
    await pilot.resize_terminal(120, 100)  # the whole help on one screen
    await press(pilot, "question_mark")
    assert isinstance(pilot.app.screen, HelpScreen)
    text = screen_text(pilot)
    for title, keys in (
        ("Search (its dialog)", ("^y", "Use suggestion", "↑", "Earlier query")),
        ("Entities (its dialog)", ("Corrections", "Merge", "Split", "Rename", "Hide")),
        ("Bookmarks (its dialog)", ("Delete", "Undo delete", "Export to Markdown")),
    ):
        assert title in text
        for key in keys:
            assert key in text.split(title, 1)[1], (title, key)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_help_and_quit_always_show_in_the_footer(ready: Ready, size: tuple[int, int]) -> None:
    app = ready.app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        # The reader's panes, and the comparison.
        for keys in ((), ("tab",), ("tab",), ("C", "enter")):
            await press(pilot, *keys)
            footer = screen_text(pilot).split("\n")[-1]
            assert footer.lstrip().startswith("? Help  q Quit"), footer


# -- 8. small things ----------------------------------------------------------------------------


async def test_the_passage_counter_counts_from_one(on_001: Pilot[None]) -> None:
    pilot = on_001
    article = view(pilot).article
    assert article is not None
    count = len(article.passages)
    assert f"¶1/{count}" in screen_text(pilot)
    await press(pilot, "G")
    assert f"¶{count}/{count}" in screen_text(pilot)


async def test_a_malformed_query_lists_no_results_under_its_error(pilot: Pilot[None]) -> None:
    await press(pilot, "slash", *"veto")
    assert "3 articles match" in screen_text(pilot)
    await press(pilot, *" AND (")
    text = screen_text(pilot)
    assert "'(' is not closed" in text
    dialog = pilot.app.screen
    assert isinstance(dialog, SearchScreen)
    assert dialog.query_one("#search-results").option_count == 0
