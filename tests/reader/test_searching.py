"""The reader's search, driven with the keys a user presses (Pilot, 120x36)."""

from __future__ import annotations

from textual.pilot import Pilot

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
from tui.dialogs.search import SearchScreen
from tui.reader.article_list import ArticleList
from tui.reader.screen import ReaderScreen


async def test_results_come_as_you_type_and_enter_opens_the_first_hit(pilot: Pilot[None]) -> None:
    app = pilot.app
    await press(pilot, "slash")
    assert isinstance(app.screen, SearchScreen)
    await press(pilot, *"veto")
    text = screen_text(pilot)
    assert "3 articles match" in text
    # Each result: its title, its date and file, a snippet around the hit.
    assert "003_17a356de9bc4f7c3.txt" in text
    assert "veto" in text
    await press(pilot, "enter")
    screen = reader(pilot)
    assert isinstance(app.screen, ReaderScreen)
    # The list shows the 3 matches, best first; the filter says so.
    articles = screen.query_one(ArticleList)
    assert len(articles.ids) == 3
    text = screen_text(pilot)
    assert "Search veto · 3 articles" in text
    assert "3 of 5 · best match first" in text
    # The article opens at its first hit, marked, with a counter.
    assert shown_id(pilot) == articles.ids[0]
    assert screen.jumps.hit_index == 0
    assert "hit 1/" in text
    hit = screen.jumps.hits[0]
    article = view(pilot).article
    assert article is not None
    assert article.text[hit[0] : hit[1]].casefold() == "veto"
    block = view(pilot).blocks[view(pilot).cursor]
    assert any(mark.kind == "current" for mark in block.marks)
    assert app.focused is view(pilot)


async def test_n_and_N_go_through_the_hits_and_on_to_the_next_article(pilot: Pilot[None]) -> None:
    await press(pilot, "slash", *"russie", "enter")
    screen = reader(pilot)
    first_article = shown_id(pilot)
    count = len(screen.jumps.hits)
    assert count > 1
    await press(pilot, "n")
    assert screen.jumps.hit_index == 1
    assert f"hit 2/{count}" in screen_text(pilot)
    await press(pilot, "N")
    assert screen.jumps.hit_index == 0
    # Past the last hit, n goes on to the next listed article, at its first hit.
    for _ in range(count):
        await pilot.press("n")
    await settle(pilot)
    assert shown_id(pilot) != first_article
    assert screen.jumps.hit_index == 0
    assert shown_id(pilot) == screen.query_one(ArticleList).ids[1]
    # And back.
    await press(pilot, "N")
    assert shown_id(pilot) == first_article
    assert screen.jumps.hit_index == count - 1


async def test_esc_clears_the_search_filter(pilot: Pilot[None]) -> None:
    await press(pilot, "slash", *"veto", "enter")
    await press(pilot, "escape")
    screen = reader(pilot)
    assert screen.search_text == ""
    assert screen.query_one(ArticleList).ids == IDS
    assert "Search veto" not in screen_text(pilot)
    assert "5 · by file" in screen_text(pilot)
    assert screen.jumps.hits == ()


async def test_a_malformed_query_says_why_inline(pilot: Pilot[None]) -> None:
    app = pilot.app
    await press(pilot, "slash", *'"veto russe')
    text = screen_text(pilot)
    assert "a phrase is not closed" in text
    await press(pilot, "enter")
    assert isinstance(app.screen, SearchScreen)  # nothing to open, nothing broken
    await press(pilot, '"')
    assert "a phrase is not closed" not in screen_text(pilot)
    await press(pilot, *" AND (")
    assert "'(' is not closed" in screen_text(pilot)
    await press(pilot, "escape")
    assert isinstance(app.screen, ReaderScreen)
    assert reader(pilot).search_text == ""


async def test_did_you_mean_applies_with_one_key(pilot: Pilot[None]) -> None:
    await press(pilot, "slash", *"vetto")
    text = screen_text(pilot)
    assert "0 articles match" in text
    assert "did you mean veto?" in text
    assert "Use suggestion" in text  # in the footer
    await press(pilot, "ctrl+y")
    assert "3 articles match" in screen_text(pilot)
    await press(pilot, "enter")
    assert reader(pilot).search_text == "veto"


async def test_history_recalls_earlier_queries_across_runs(ready: Ready) -> None:
    app = ready.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"veto", "enter")
        await press(pilot, "slash", "ctrl+u", *"munitions", "enter")
    again = ready.app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "slash", "ctrl+u")
        search = again.screen
        assert isinstance(search, SearchScreen)
        await press(pilot, "up")
        assert search.query_one("#search-input").value == "munitions"  # type: ignore[attr-defined]
        await press(pilot, "up")
        assert search.query_one("#search-input").value == "veto"  # type: ignore[attr-defined]
        await press(pilot, "down", "down")
        assert search.query_one("#search-input").value == ""  # type: ignore[attr-defined]


async def test_results_can_be_chosen_from_the_list(pilot: Pilot[None]) -> None:
    app = pilot.app
    await press(pilot, "slash", *"veto")
    search = app.screen
    assert isinstance(search, SearchScreen)
    assert search.result is not None
    second = search.result.results[1].id
    await press(pilot, "tab", "down", "enter")
    assert shown_id(pilot) == second
    assert reader(pilot).jumps.hit_index == 0


async def test_search_within_the_entity_filter(pilot: Pilot[None]) -> None:
    screen = reader(pilot)
    kim_il = next(e for e in screen.entities.values() if e.name == "Kim Il Sung")
    screen.filter_by_entity(kim_il.id)
    await settle(pilot)
    assert len(screen.query_one(ArticleList).ids) == 1
    await press(pilot, "slash", *"Poutine")
    text = screen_text(pilot)
    assert "1 article matches" in text
    assert "among the articles naming Kim Il Sung" in text
    await press(pilot, "enter")
    assert "Search Poutine" in screen_text(pilot)
    assert "Entity Kim Il Sung" in screen_text(pilot)
    assert len(screen.query_one(ArticleList).ids) == 1


async def test_the_search_screen_shows_snippets_with_hits(pilot: Pilot[None]) -> None:
    app = pilot.app
    await press(pilot, "slash", *"surveillance")
    search = app.screen
    assert isinstance(search, SearchScreen)
    text = flat(widget_text(pilot, search.query_one("#search-results")))
    assert "surveillance" in text
