"""The related pane, jumps and back, bookmarks and notes, the sort, the palette, the last
position, the small terminal: the reader driven with its keys (Pilot)."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import pytest
from textual.pilot import Pilot

from index.storage.userdata import UserData
from tests.reader.support import (
    IDS,
    SIZE,
    Ready,
    flat,
    press,
    reader,
    screen_text,
    settle,
    shown_id,
    view,
    widget_text,
)
from tui.dialogs.bookmarks import BookmarksScreen
from tui.dialogs.note import NoteScreen
from tui.display import counted
from tui.reader.article_list import ArticleList
from tui.reader.related_pane import BADGES, STATED_NOWHERE, SUBJECT_ONLY, RelatedPane


async def test_the_related_pane_follows_the_cursor(pilot: Pilot[None]) -> None:
    await press(pilot, "j", "tab", "j", "j", "j", "j")  # 001, ¶4
    pane = reader(pilot).query_one(RelatedPane)
    assert pane.result is not None
    assert (pane.result.doc, pane.result.passage) == (IDS[1], 4)
    assert pane.result.results, "the seeds repeat each other"
    scores = [found.score for found in pane.result.results]
    assert scores == sorted(scores, reverse=True)
    assert all(found.doc != IDS[1] for found in pane.result.results)
    text = flat(widget_text(pilot, pane))
    best = pane.result.results[0]
    assert best.title[:20] in text
    assert BADGES[best.kind] in text
    assert f"¶5 · {counted(len(pane.result.results), 'passage')}" in screen_text(pilot)
    await press(pilot, "j")
    assert pane.result.passage == 5


async def _on_passage(pilot: Pilot[None], n: int) -> RelatedPane:
    """The cursor of the first seed's text on passage `n`; its related pane."""
    await press(pilot, "tab")
    view(pilot).cursor = n
    await settle(pilot)
    pane = reader(pilot).query_one(RelatedPane)
    assert pane.result is not None
    assert (pane.result.doc, pane.result.passage) == (IDS[0], n)
    return pane


async def test_a_passage_no_other_article_states_says_so_above_its_nearest(
    pilot: Pilot[None],
) -> None:
    pane = await _on_passage(pilot, 13)
    assert pane.result is not None and pane.result.results
    assert not pane.result.stated_elsewhere
    text = flat(widget_text(pilot, pane))
    assert text.index(STATED_NOWHERE) < text.index(BADGES["same-subject"])
    assert "same fact" not in text and "same wording" not in text
    # The cursor is on the first passage, not on the line above it.
    assert pane.highlighted_passage == pane.result.results[0]


async def test_passages_stating_the_same_come_before_those_on_the_subject(
    pilot: Pilot[None],
) -> None:
    pane = await _on_passage(pilot, 6)
    assert pane.result is not None
    kinds = [found.kind for found in pane.result.results]
    assert "near-duplicate" in kinds and "same-subject" in kinds
    text = flat(widget_text(pilot, pane))
    assert STATED_NOWHERE not in text
    assert text.index(BADGES["near-duplicate"]) < text.index(SUBJECT_ONLY)
    assert text.index(SUBJECT_ONLY) < text.index(BADGES["same-subject"])
    await press(pilot, "tab", "j")  # past the line between them, to the next passage
    found = pane.highlighted_passage
    assert found is not None and found.kind == "same-subject"


async def test_results_that_change_under_the_cursor_never_leave_it_on_a_line(
    pilot: Pilot[None],
) -> None:
    """The same passage shown again with other results (an update): a cursor whose row
    is now the line between the kinds goes to the first passage."""
    pane = await _on_passage(pilot, 6)
    result = pane.result
    assert result is not None
    stating = [found for found in result.results if found.states_it]
    subject = [found for found in result.results if not found.states_it]
    assert len(stating) == 1 and len(subject) >= 2
    pane.highlighted = 2  # the first on the subject, below the line
    assert pane.highlighted_passage == subject[0]
    # It states the same now: one more row above the line, which comes to row 2.
    restated = dataclasses.replace(subject[0], kind="same-fact")
    pane.show_result(dataclasses.replace(result, results=(*stating, restated, *subject[1:])), {})
    await settle(pilot)
    assert pane.highlighted_passage == stating[0]


async def test_enter_jumps_to_a_related_passage_and_backspace_comes_back(
    pilot: Pilot[None],
) -> None:
    app = pilot.app
    await press(pilot, "j", "tab", "j", "j", "j", "j", "tab")
    pane = reader(pilot).query_one(RelatedPane)
    assert app.focused is pane
    await press(pilot, "j")
    target = pane.highlighted_passage
    assert target is not None
    await press(pilot, "enter")
    assert shown_id(pilot) == target.doc
    assert view(pilot).cursor == target.passage
    # The list follows to the article jumped to.
    assert reader(pilot).query_one(ArticleList).highlighted_id == target.doc
    await press(pilot, "backspace")
    assert shown_id(pilot) == IDS[1]
    assert view(pilot).cursor == 4
    assert "Back" not in screen_text(pilot).split("\n")[-1]  # nothing more to go back to
    await press(pilot, "backspace")
    assert shown_id(pilot) == IDS[1]


async def test_r_hides_and_shows_the_related_pane(pilot: Pilot[None]) -> None:
    pane = reader(pilot).query_one(RelatedPane)
    before = view(pilot).region.width
    await press(pilot, "r")
    assert not pane.display
    assert view(pilot).region.width > before
    await press(pilot, "r")
    assert pane.display


async def test_tab_cycles_the_three_panes(pilot: Pilot[None]) -> None:
    app = pilot.app
    screen = reader(pilot)
    assert app.focused is screen.query_one(ArticleList)
    await press(pilot, "tab")
    assert app.focused is view(pilot)
    await press(pilot, "tab")
    assert app.focused is screen.query_one(RelatedPane)
    await press(pilot, "tab")
    assert app.focused is screen.query_one(ArticleList)
    await press(pilot, "shift+tab")
    assert app.focused is screen.query_one(RelatedPane)


async def test_footer_shows_the_keys_of_the_focused_pane(pilot: Pilot[None]) -> None:
    footer = screen_text(pilot).split("\n")[-1]
    assert "Read article" in footer and "Sort" in footer and "Bookmark" not in footer
    await press(pilot, "tab")
    footer = screen_text(pilot).split("\n")[-1]
    assert "Mention" in footer and "Bookmark" in footer and "Sort" not in footer
    await press(pilot, "tab")
    footer = screen_text(pilot).split("\n")[-1]
    assert "Jump there" in footer


async def test_bookmarks_and_notes(ready: Ready, tmp_path: Path) -> None:
    app = ready.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "j", "tab", "j", "j", "j", "j", "b")
        assert isinstance(app.screen, NoteScreen)
        await press(pilot, *"Même phrase que l'AFP", "enter")
        block = view(pilot).blocks[4]
        assert block.has_class("-bookmarked")
        assert "✎ Même phrase que l'AFP" in flat(widget_text(pilot, view(pilot)))
        await press(pilot, "shift+tab", "j", "tab", "b", "enter")  # 002, ¶0, no note
        await press(pilot, "B")
        assert isinstance(app.screen, BookmarksScreen)
        text = screen_text(pilot)
        assert "2 bookmarks" in text
        assert "✎ Même phrase que l'AFP" in text
        await press(pilot, "enter")  # the first one made: 001, ¶4
        assert shown_id(pilot) == IDS[1]
        assert view(pilot).cursor == 4
        # Edit the note, then remove the bookmark.
        await press(pilot, "b")
        assert "Edit bookmark" in screen_text(pilot)
        await press(pilot, "ctrl+r")
        assert not view(pilot).blocks[4].has_class("-bookmarked")
    assert [b.key for b in UserData(ready.index_dir).bookmarks()] == [(IDS[2], 0)]


async def test_bookmarks_export_to_markdown(
    ready: Ready, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    app = ready.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "j", "tab", "j", "j", "j", "j", "b", *"à vérifier", "enter")
        await press(pilot, "B", "x")
        assert "~/Documents/presse/presse-notes.md" in screen_text(pilot)
        await press(pilot, "enter")
        written = tmp_path / "Documents" / "presse" / "presse-notes.md"
        messages = [n.message for n in app._notifications]
        assert f"1 bookmark written to {written}" in messages
        # The list stays open; d deletes the highlighted bookmark.
        assert isinstance(app.screen, BookmarksScreen)
        await press(pilot, "d")
        assert "No bookmarks yet" in screen_text(pilot)
    markdown = written.read_text(encoding="utf-8")
    assert markdown.startswith("# Notes on corpus\n")
    assert "## Poutine rencontre Kim Jong-un à la recherche de nouveaux armements" in markdown
    assert "### ¶5" in markdown
    assert "> Vladimir Poutine a atterri" in markdown
    assert "à vérifier" in markdown


async def test_sort_by_date_and_title(pilot: Pilot[None]) -> None:
    articles = reader(pilot).query_one(ArticleList)
    await press(pilot, "s")
    dates = [s.date for s in articles.summaries]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)
    assert dates[: len(dated)] == dated  # the undated last
    assert "by date, newest first" in screen_text(pilot)
    await press(pilot, "s")
    titles = [s.title.casefold() for s in articles.summaries]
    assert titles == sorted(titles)
    await press(pilot, "s")
    assert articles.ids == IDS


async def test_the_palette_opens_articles_and_runs_actions(pilot: Pilot[None]) -> None:
    app = pilot.app
    await press(pilot, "ctrl+p", *"Open: Poutine rencontre")
    await press(pilot, "enter")
    assert shown_id(pilot) == IDS[1]
    assert app.focused is view(pilot)
    await press(pilot, "ctrl+p", *"Show or hide the related")
    await press(pilot, "enter")
    assert not reader(pilot).query_one(RelatedPane).display


async def test_the_last_position_is_restored(ready: Ready) -> None:
    app = ready.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"veto", "enter")
        await press(pilot, "j", "j", "s")
        article, passage = shown_id(pilot), view(pilot).cursor
        sort = reader(pilot).sort
        await press(pilot, "q")
    again = ready.app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(pilot)
        assert shown_id(pilot) == article
        assert view(pilot).cursor == passage
        assert screen.search_text == "veto"
        assert screen.sort == sort
        assert len(screen.query_one(ArticleList).ids) == 3
        assert "Search veto · 3 articles" in screen_text(pilot)


async def test_a_small_terminal_shows_the_three_panes(ready: Ready) -> None:
    app = ready.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "j", "tab", "j")
        screen = reader(pilot)
        assert screen.has_class("-narrow")
        pane = screen.query_one(RelatedPane)
        text_pane = view(pilot)
        articles = screen.query_one(ArticleList)
        for widget in (articles, text_pane, pane):
            assert widget.region.width >= 20 and widget.region.height >= 6
        # The related pane goes under the text.
        assert pane.region.y > text_pane.region.y
        assert "Poutine rencontre" in screen_text(pilot)


def test_startup_probe_paints_without_spacy(ready: Ready) -> None:
    """The start-up probe on a current index: a first paint, spaCy never imported."""
    from tui.startup_probe import measure

    (result,) = measure(ready.root, ready.index_dir, runs=1)
    assert result["articles"] == 5
    assert result["spacy_imported"] is False
    assert result["readers"] == 1
    limit = 10.0 if os.environ.get("CI") else 5.0  # a loaded machine; the bench measures
    assert float(str(result["seconds"])) < limit, sys.executable
