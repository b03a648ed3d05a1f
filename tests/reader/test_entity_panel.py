"""Entities in the reader: colours, the entity panel, the filter, ]/[ and corrections."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from index import Corpus
from tests.reader.support import (
    IDS,
    SIZE,
    Ready,
    hold_back,
    press,
    reader,
    screen_text,
    settle,
    shown_id,
    view,
)
from tui.dialogs.entities import EntityScreen, entity_count
from tui.reader.article_list import ArticleList
from tui.reader.screen import ReaderScreen


async def test_mentions_are_marked_by_type(on_001: Pilot[None]) -> None:
    pilot = on_001
    article = view(pilot).article
    assert article is not None

    def marked(n: int) -> set[tuple[str, str]]:
        assert article is not None
        text = article.passage_text(article.passages[n])
        return {(text[m.start : m.end], m.kind) for m in view(pilot).blocks[n].marks}

    assert {("Poutine", "per"), ("Kim Jong-un", "per"), ("Poutine", "target")} <= marked(0)
    assert ("Corée du nord", "loc") in marked(1)
    assert ("Vladimir Putin", "target") in marked(2)  # the same entity, spelled in Spanish


async def test_the_entity_panel_lists_filters_and_narrows_the_articles(pilot: Pilot[None]) -> None:
    app = pilot.app
    await press(pilot, "e")
    assert isinstance(app.screen, EntityScreen)
    assert "62 entities" in screen_text(pilot)
    await press(pilot, *"kim")
    text = screen_text(pilot)
    assert "People · PER · 3" in text
    assert "Kim Jong-un  Kim Jong Un, Kim, Kim Jung-un" in text
    assert "mentions · 5 articles" in text
    await press(pilot, *" il")
    panel = app.screen
    assert isinstance(panel, EntityScreen)
    text = screen_text(pilot)
    assert "Kim Il Sung" in text
    assert "Kim Jong-un" not in text
    assert "2 of 62 entities match" in text  # Kim Il Sung, Kim Jong-il
    await press(pilot, "enter")
    screen = reader(pilot)
    assert isinstance(app.screen, ReaderScreen)
    articles = screen.query_one(ArticleList)
    entity = screen.entities[screen.entity or ""]
    assert entity.name == "Kim Il Sung"
    assert articles.ids == list(entity.articles)
    text = screen_text(pilot)
    assert "Entity Kim Il Sung (person) · 1 article" in text
    assert "1 of 5" in text
    # ] and [ follow the entity of the filter.
    assert "]/[ Kim Il Sung" in text
    await press(pilot, "escape")
    assert screen.entity is None
    assert articles.ids == IDS


async def test_brackets_follow_the_entity_under_the_cursor(on_001: Pilot[None]) -> None:
    pilot = on_001
    screen = reader(pilot)
    poutine = screen.jumps.target
    assert poutine is not None and screen.entities[poutine].name == "Vladimir Poutine"
    assert "]/[ Vladimir Poutine" in screen_text(pilot)
    article = view(pilot).article
    assert article is not None
    mentions = [m for m in article.mentions if m.entity == poutine]
    await press(pilot, "right_square_bracket")
    # The next mention after the first one of the passage, marked as the current one.
    assert screen.jumps.current == (mentions[1].start, mentions[1].end)
    assert view(pilot).cursor == view(pilot).passage_at(mentions[1].start)
    await press(pilot, "left_square_bracket")
    assert screen.jumps.current == (mentions[0].start, mentions[0].end)
    # Past the last mention of the article, ] goes on to the next article naming him.
    for _ in range(len(mentions)):
        await pilot.press("right_square_bracket")
    await settle(pilot)
    assert shown_id(pilot) == IDS[2]
    assert screen.jumps.target == poutine
    # backspace comes back.
    await press(pilot, "backspace")
    assert shown_id(pilot) == IDS[1]


async def test_t_follows_another_entity_of_the_passage(on_001: Pilot[None]) -> None:
    pilot = on_001
    screen = reader(pilot)
    assert "]/[ Vladimir Poutine" in screen_text(pilot)
    await press(pilot, "t")
    assert "]/[ Kim Jong-un" in screen_text(pilot)
    await press(pilot, "right_square_bracket")  # on to Kim's next mention
    await press(pilot, "t", "t")
    assert screen.jumps.target is not None
    assert "]/[ Kim Jong-un" not in screen_text(pilot)


async def test_rename_from_the_panel(ready: Ready) -> None:
    app = ready.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "e", *"peskov", "tab")
        await press(pilot, "r")
        await press(pilot, "ctrl+u", *"Dmitri S. Peskov", "enter")
        assert isinstance(app.screen, EntityScreen)
        assert "Dmitri S. Peskov" in screen_text(pilot)
        messages = [n.message for n in app._notifications]
        assert "Dmitri Peskov renamed Dmitri S. Peskov" in messages
        await press(pilot, "escape")
        assert "Dmitri S. Peskov" in {e.name for e in reader(pilot).entities.values()}
    corpus = Corpus(ready.root, ready.index_dir)
    assert corpus.entity("D. Peskov").name == "Dmitri S. Peskov"
    corpus.close()


async def test_hide_then_undo(pilot: Pilot[None]) -> None:
    app = pilot.app
    await press(pilot, "e", *"trump", "tab", "h")
    # A hurried h on the wrong row does nothing yet: it asks.
    assert "Hide Donald Trump? h again hides it (u undoes); esc cancels" in screen_text(pilot)
    assert not app._notifications
    await press(pilot, "h")
    assert "Donald Trump hidden" in " ".join(n.message for n in app._notifications)
    assert "0 of " in screen_text(pilot)
    await press(pilot, "u")
    assert "Undone: the hiding of Donald Trump" in [n.message for n in app._notifications]
    assert "Donald Trump" in screen_text(pilot)


async def test_keys_typed_while_the_entities_load_act_once_they_are_listed(
    pilot: Pilot[None], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = pilot.app
    release = hold_back(monkeypatch, "entities")
    await pilot.press("e", *"trump", "tab", "h")  # faster than the panel loads
    await pilot.pause()
    assert isinstance(app.screen, EntityScreen)
    assert "Loading the entities…" in screen_text(pilot)
    release.set()
    await settle(pilot)
    assert "Hide Donald Trump?" in screen_text(pilot)  # a key typed blind: asked first
    await press(pilot, "h")
    assert "Donald Trump hidden" in " ".join(n.message for n in app._notifications)


async def test_merge_two_entities(pilot: Pilot[None]) -> None:
    app = pilot.app
    await press(pilot, "e", *"kim jong", "tab")
    screen = app.screen
    assert isinstance(screen, EntityScreen)
    assert screen.highlighted is not None
    first = screen.highlighted.name
    await press(pilot, "m")
    assert f"Merging {first}" in screen_text(pilot)
    await press(pilot, "j", "m")
    messages = " ".join(n.message for n in app._notifications)
    assert f"merged into {first}" in messages
    await press(pilot, "escape")
    # Back in the reader: the entities and the articles' mentions are read again.
    assert isinstance(app.screen, ReaderScreen)
    names = {e.name for e in reader(pilot).entities.values()}
    assert first in names


async def test_split_from_the_panel(pilot: Pilot[None]) -> None:
    app = pilot.app
    await press(pilot, "e", *"peskov", "tab", "s")
    assert "The spelling to make an entity of its own" in screen_text(pilot)
    await press(pilot, "j", "enter")
    messages = " ".join(n.message for n in app._notifications)
    assert "split out of Dmitri Peskov" in messages


async def test_corrections_from_the_command_palette(pilot: Pilot[None]) -> None:
    app = pilot.app
    await press(pilot, "ctrl+p", *"Hide entity: Donald Trump")
    await press(pilot, "enter")
    assert "Donald Trump hidden" in " ".join(n.message for n in app._notifications)
    await press(pilot, "escape", "ctrl+p", *"Filter by entity: Kim Il Sung")
    await press(pilot, "enter")
    screen = reader(pilot)
    assert screen.entity is not None
    assert screen.entities[screen.entity].name == "Kim Il Sung"


async def test_hide_asks_first_and_esc_cancels(pilot: Pilot[None]) -> None:
    app = pilot.app
    await press(pilot, "e", "tab", "h")
    panel = app.screen
    assert isinstance(panel, EntityScreen) and panel.hiding is not None
    first = panel.hiding.name
    await press(pilot, "j")  # the cursor moved: h asks again, for the entity now under it
    await press(pilot, "h")
    assert panel.hiding is not None and panel.hiding.name != first
    await press(pilot, "escape")
    assert panel.hiding is None and app.screen is panel
    assert "h again" not in screen_text(pilot)
    assert not app._notifications


async def test_question_mark_in_the_panel_is_help_not_a_filter(pilot: Pilot[None]) -> None:
    await press(pilot, "e", *"kim", "question_mark")
    text = screen_text(pilot)
    assert "Keys" in text and "Undo correction" in text
    await press(pilot, "escape")
    panel = pilot.app.screen
    assert isinstance(panel, EntityScreen)
    assert panel.query_one("#entity-filter", Input).value == "kim"


async def test_the_panel_says_how_many_entities_it_lists(pilot: Pilot[None]) -> None:
    await press(pilot, "e")
    assert "62 entities" in screen_text(pilot)
    assert "listed" not in screen_text(pilot)  # all are listed
    await press(pilot, *"kim")
    assert "3 of 62 entities match" in screen_text(pilot)


def test_a_long_entity_list_says_what_it_leaves_out() -> None:
    assert entity_count(9294, 9294, 8694, filtered=False) == (
        "9294 entities · 600 listed, the most named of each type: type to narrow"
    )
    assert entity_count(1, 9294, 0, filtered=True) == "1 of 9294 entities match"
