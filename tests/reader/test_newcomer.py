"""The reader as a newcomer meets it: the first index, the help and its keys, deletes that
can be taken back, what the counters say."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.color import Color as RichColor
from rich.color import ColorSystem
from textual.color import Color
from textual.pilot import Pilot
from textual.widgets import Input

from index import UserData
from index.ingest.updating import Update
from tests.reader.support import (
    IDS,
    SIZE,
    Ready,
    flat,
    hold_back,
    press,
    reader,
    screen_text,
    settle,
    shown_id,
    view,
    widget_text,
)
from tui.app import PresseApp
from tui.dialogs.bookmarks import BookmarksScreen
from tui.dialogs.help import HelpScreen
from tui.dialogs.search import SearchScreen
from tui.dialogs.text_prompt import TextPrompt
from tui.display import LABELS
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


# -- 9. long work shows progress -------------------------------------------------------------


async def test_the_list_says_while_the_wire_copy_is_found(
    ready: Ready, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.reader.wire.WIRE_BUSY_SHOWN_AFTER", 0.01)
    release = hold_back(monkeypatch, "wire_counts")
    app = ready.app()
    async with app.run_test(size=SIZE) as pilot:
        try:
            await until(pilot, lambda: "finding ⇄…" in screen_text(pilot))
        finally:
            release.set()
        await settle(pilot)
        assert "finding ⇄…" not in screen_text(pilot)
        assert "⇄1" in screen_text(pilot)


# -- 7. exports ----------------------------------------------------------------------------------


async def test_an_export_goes_to_its_folder_and_a_bad_name_keeps_the_prompt(
    ready: Ready, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    app = ready.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "tab", "b", "enter", "B", "x")
        assert "~/Documents/presse/presse-notes.md" in screen_text(pilot)
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        # A folder that cannot be: the prompt stays, with why, and the name typed.
        prompt.query_one(Input).value = str(tmp_path / "a-file" / "notes.md")
        await press(pilot, "enter")
        assert app.screen is prompt
        # (said in the prompt; the words of a long path wrap anywhere on the screen)
        said = flat(widget_text(pilot, prompt.query_one("#prompt-error")))
        assert "Cannot write" in said and "File exists" in said
        assert prompt.query_one(Input).value == str(tmp_path / "a-file" / "notes.md")
        # Folders that do not exist yet are made; a name alone goes to the export folder.
        prompt.query_one(Input).value = "projets/corée/notes.md"
        await press(pilot, "enter")
        assert isinstance(app.screen, BookmarksScreen)
        written = tmp_path / "Documents" / "presse" / "projets" / "corée" / "notes.md"
        assert written.read_text(encoding="utf-8").startswith("# Notes on corpus")
        assert f"1 bookmark written to {written}" in [n.message for n in app._notifications]


# -- 2. colours ----------------------------------------------------------------------------------


def luminance(color: Color) -> float:
    """The relative luminance of `color` (WCAG)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(a: Color, b: Color) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_each_type_of_name_has_a_colour_of_its_own(on_001: Pilot[None], theme: str) -> None:
    pilot = on_001
    pilot.app.theme = theme
    await settle(pilot)
    block = view(pilot).blocks[0]
    colours = {}
    for label in LABELS:
        style = block.get_component_rich_style(f"passage-block--{label.lower()}", partial=True)
        assert style.color is not None and style.color.triplet is not None
        colours[label] = Color(*style.color.triplet)
    background = view(pilot).styles.background
    for label, colour in colours.items():
        assert contrast(colour, background) >= 3.0, (theme, label, colour)
        # The 256-colour palette holds them as they are: no two merge there.
        assert (
            colour.hex
            == Color.from_rich_color(
                RichColor.from_rgb(*colour.rgb).downgrade(ColorSystem.EIGHT_BIT)
            ).hex
        ), label
    assert len({c.hex for c in colours.values()}) == 4
    # Nothing else in the text is drawn in them: the title, the headings, the notes.
    others = [b for b in view(pilot).blocks if b.has_class("-title") or b.has_class("-heading")]
    for other in [*others, view(pilot)]:
        assert other.styles.color.hex not in {c.hex for c in colours.values()}
    note = block.get_component_rich_style("passage-block--note", partial=True)
    assert note.color is None or Color.from_rich_color(note.color).hex not in {
        c.hex for c in colours.values()
    }


async def test_the_legend_of_the_colours_stays_in_sight(ready: Ready) -> None:
    app = ready.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "people  places  organisations  other" in screen_text(pilot)
