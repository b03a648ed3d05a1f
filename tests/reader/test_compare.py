"""Comparing two articles: from the related pane, the list, the picker and the palette; the
comparison screen's pairs, swap, export and way back; wire copy counted in the list (Pilot)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.style import Style
from textual.pilot import Pilot

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
    styled_runs,
    view,
    widget_text,
)
from tui.app import PresseApp
from tui.compare.column import ComparisonColumn
from tui.compare.entities import EntityComparison
from tui.compare.picker import ComparePicker
from tui.compare.screen import ComparisonScreen
from tui.dialogs.help import HelpScreen
from tui.dialogs.text_prompt import TextPrompt
from tui.reader.article_list import ROW_HEIGHT, ArticleList
from tui.reader.related_pane import BADGES, RelatedPane

TITLE_000 = "Quelques heures avant"
TITLE_003 = "Poutine – Kim Jong-un"


def underlined(style: Style) -> bool:
    return bool(style.underline)


def comparison(pilot: Pilot[None]) -> ComparisonScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ComparisonScreen), screen
    return screen


def column(pilot: Pilot[None], side: str) -> ComparisonColumn:
    return comparison(pilot).query_one(f"#column-{side.lower()}", ComparisonColumn)


async def test_the_related_pane_marks_the_shared_words_and_labels_the_kind(
    on_000_12: Pilot[None],
) -> None:
    pilot = on_000_12
    pane = reader(pilot).query_one(RelatedPane)
    assert pane.result is not None
    best = pane.result.results[0]
    assert (best.doc, best.kind) == (IDS[3], "near-duplicate")
    assert all(found.kind in BADGES for found in pane.result.results)
    text = flat(widget_text(pilot, pane))
    assert TITLE_003[:20] in text
    assert "same wording" in text  # near-duplicate
    # The sentence pair: the sentence of ¶12 read here, and the one of 003 that matches it
    # (not the rest of their passages).
    assert "here: " in text
    start, end = best.sentence
    assert flat(best.text[start:end])[:30] in text
    if end < len(best.text):
        assert flat(best.text[end:])[:30] not in text
    marked = " ".join(styled_runs(pilot, pane, underlined)).casefold()
    for word in ("voyage", "neuf", "mois"):
        assert word in marked, marked


async def test_c_compares_the_article_with_the_related_one(on_000_12: Pilot[None]) -> None:
    pilot = on_000_12
    await press(pilot, "c")
    screen = comparison(pilot)
    assert (screen.a_id, screen.b_id) == (IDS[0], IDS[3])
    text = screen_text(pilot)
    assert f"A · {TITLE_000}" in text
    assert f"B · {TITLE_003}" in text
    # It starts on the pair of the passage read and the related one: A ¶12, B ¶6.
    current = screen.current
    assert current is not None
    assert (current.a_passage, current.b_passage) == (12, 6)
    assert current.kind == "near-duplicate"
    number = f"#{(screen.pair or 0) + 1} "
    assert number in widget_text(pilot, column(pilot, "A"))
    assert number in widget_text(pilot, column(pilot, "B"))
    text = screen_text(pilot)
    assert "same wording as B ¶7" in text
    assert "same wording as A ¶13" in text
    assert "only in A" in text
    assert "only in B" in text
    # The words that differ in the near-duplicate pair are marked, on each side.
    assert "mutuellement" in " ".join(styled_runs(pilot, column(pilot, "A"), underlined))
    assert "aura" in " ".join(styled_runs(pilot, column(pilot, "B"), underlined))
    panel = flat(widget_text(pilot, screen.query_one(EntityComparison)))
    both = panel.split("Named in both")[1].split("Only in A")[0]
    assert "Vladimir Poutine" in both
    assert "Only in B" in panel


async def test_a_split_paragraph_is_in_two_pairs_and_its_differing_words_are_runs(
    on_000_12: Pilot[None],
) -> None:
    """003 ¶8 says in one paragraph what 000 says in ¶8 and ¶9: one marker line for both
    pairs, and its first sentence, which 000 has not, underlined as one run."""
    pilot = on_000_12
    await press(pilot, "c")
    screen = comparison(pilot)
    assert screen.comparison is not None
    pairs = [(p.a_passage, p.b_passage) for p in screen.comparison.pairs]
    await press(pilot, *["k"] * ((screen.pair or 0) - pairs.index((7, 7))))
    current = screen.current
    assert current is not None
    assert (current.a_passage, current.b_passage) == (7, 7)
    # (the bar of the current pair taken out of the wrapped lines)
    text_b = flat(widget_text(pilot, column(pilot, "B")).replace("█", ""))
    number = (screen.pair or 0) + 1
    assert f"#{number} #{number + 1} same wording as A ¶8, ¶9" in text_b
    runs = styled_runs(pilot, column(pilot, "B"), underlined)
    assert any(run.startswith("Selon les Occidentaux, Pyongyang a") for run in runs), runs
    assert "la Corée du Sud" in " ".join(styled_runs(pilot, column(pilot, "A"), underlined))
    assert "same wording" in screen_text(pilot).split("\n")[-2]  # the status line
    # The first pair: the same fact told in other words, its kind said.
    await press(pilot, "g")
    assert "· same fact ·" in screen_text(pilot)
    assert "same fact as B ¶2" in flat(widget_text(pilot, column(pilot, "A")))


async def test_the_current_pair_stays_in_view_when_the_terminal_is_resized(
    on_000_12: Pilot[None],
) -> None:
    pilot = on_000_12
    await press(pilot, "c")
    screen = comparison(pilot)
    number = f"#{(screen.pair or 0) + 1} "
    for size in ((100, 30), (80, 24), SIZE):
        # The passages wrap anew, so each lies elsewhere: both columns follow.
        await pilot.resize_terminal(*size)
        await settle(pilot)
        for side in "AB":
            assert number in widget_text(pilot, column(pilot, side)), (size, side)


async def test_j_and_k_move_pair_by_pair_and_both_columns_follow(on_000_12: Pilot[None]) -> None:
    pilot = on_000_12
    await press(pilot, "c")
    screen = comparison(pilot)
    assert screen.comparison is not None
    pairs = screen.comparison.pairs
    await press(pilot, "g")
    seen = []
    for step in range(len(pairs)):
        pair = pairs[step]
        assert screen.pair == step
        block_a = column(pilot, "A").block(pair.a_passage)
        block_b = column(pilot, "B").block(pair.b_passage)
        assert block_a is not None and block_b is not None
        assert block_a.has_class("-current") and block_b.has_class("-current")
        # Both passages are in view, from their line of markers on, level.
        tops = []
        for side, block in (("A", block_a), ("B", block_b)):
            scroll = column(pilot, side)
            top = block.virtual_region.y - round(scroll.scroll_y)
            assert 0 <= top < scroll.scrollable_content_region.height
            tops.append(top)
            shown = flat(widget_text(pilot, scroll))
            assert f"#{step + 1} " in shown
            assert f"¶{block.passage.n + 1} " in shown
        # (Unless one is the first passage and the column cannot scroll further up.)
        assert tops[0] == tops[1] or 0 in (
            column(pilot, "A").scroll_y,
            column(pilot, "B").scroll_y,
        )
        seen.append((pair.a_passage, pair.b_passage))
        await press(pilot, "j")
    assert screen.pair == len(pairs) - 1  # stays on the last pair
    await press(pilot, "k")
    assert screen.pair == len(pairs) - 2
    others = [b for b in column(pilot, "B").blocks if b.has_class("-current")]
    assert [b.passage.n for b in others] == [pairs[-2].b_passage]
    assert f"Pair #{len(pairs) - 1} of {len(pairs)}" in screen_text(pilot)
    assert seen == sorted(seen)


async def test_s_swaps_the_sides_and_keeps_the_pair(on_000_12: Pilot[None]) -> None:
    pilot = on_000_12
    await press(pilot, "c")
    await press(pilot, "s")
    screen = comparison(pilot)
    assert (screen.a_id, screen.b_id) == (IDS[3], IDS[0])
    text = screen_text(pilot)
    assert f"A · {TITLE_003}" in text
    assert f"B · {TITLE_000}" in text
    current = screen.current
    assert current is not None
    assert (current.a_passage, current.b_passage) == (6, 12)
    assert "same wording as B ¶13" in text
    assert "mutuellement" in " ".join(styled_runs(pilot, column(pilot, "B"), underlined))
    await press(pilot, "s")
    assert (screen.a_id, screen.b_id) == (IDS[0], IDS[3])


async def test_the_comparison_exports_to_markdown(
    on_000_12: Pilot[None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pilot = on_000_12
    app = pilot.app
    monkeypatch.setenv("HOME", str(tmp_path))
    out = tmp_path / "Documents" / "presse"  # the export folder, made when first needed
    await press(pilot, "c")
    await press(pilot, "x")
    assert isinstance(app.screen, TextPrompt)
    await press(pilot, "enter")
    assert isinstance(app.screen, ComparisonScreen)
    written = out / f"presse-compare-{IDS[0]}-{IDS[3]}.md"
    markdown = written.read_text(encoding="utf-8")
    assert markdown.startswith("# ")
    assert "## Aligned passages" in markdown
    assert "Vladimir Poutine" in markdown
    notified = [n.message for n in app._notifications]
    assert any(str(written) in message for message in notified)
    # ctrl+s too, after a swap: B's article first.
    await press(pilot, "s", "ctrl+s")
    await press(pilot, "enter")
    swapped = out / f"presse-compare-{IDS[3]}-{IDS[0]}.md"
    assert swapped.read_text(encoding="utf-8").startswith(f"# {TITLE_003}")


async def test_esc_comes_back_to_the_reader_where_it_was(on_000_12: Pilot[None]) -> None:
    pilot = on_000_12
    app = pilot.app
    await press(pilot, "c")
    await press(pilot, "j", "k", "k", "s")
    await press(pilot, "escape")
    assert reader(pilot) is app.screen
    assert shown_id(pilot) == IDS[0]
    assert view(pilot).cursor == 12
    assert app.focused is view(pilot)


async def test_a_and_b_read_one_side_at_the_pair(on_000_12: Pilot[None]) -> None:
    pilot = on_000_12
    await press(pilot, "c")
    await press(pilot, "b")
    assert shown_id(pilot) == IDS[3]
    assert view(pilot).cursor == 6
    await press(pilot, "backspace")
    assert (shown_id(pilot), view(pilot).cursor) == (IDS[0], 12)


async def test_the_comparison_shows_it_is_loading(
    on_000_12: Pilot[None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The comparison runs in a worker: the screen is there at once, saying so."""
    pilot = on_000_12
    release = hold_back(monkeypatch, "compare")
    await pilot.press("c")
    await pilot.pause()
    screen = comparison(pilot)
    assert screen.query_one("#compare-body").loading
    assert "Comparing the two articles…" in screen_text(pilot)
    release.set()
    await settle(pilot)
    assert not screen.query_one("#compare-body").loading
    assert screen.current is not None


async def test_the_list_shows_wire_copy_counts(pilot: Pilot[None]) -> None:
    articles = reader(pilot).query_one(ArticleList)
    assert articles.wire_counts == {IDS[0]: 1, IDS[3]: 1}
    lines = widget_text(pilot, articles).split("\n")
    rows = [" ".join(lines[n * ROW_HEIGHT : (n + 1) * ROW_HEIGHT]) for n in range(5)]
    assert "⇄1" in rows[0]
    assert "⇄1" in rows[3]
    assert all("⇄" not in rows[n] for n in (1, 2, 4))


async def test_the_picker_lists_wire_copy_first(pilot: Pilot[None]) -> None:
    app = pilot.app
    await press(pilot, "C")
    picker = app.screen
    assert isinstance(picker, ComparePicker)
    text = screen_text(pilot)
    assert "Wire copy" in text
    assert "⇄ 2 near-duplicate passages" in text
    assert text.index(TITLE_003[:20]) < text.index("Other articles")
    await press(pilot, "enter")
    screen = comparison(pilot)
    assert (screen.a_id, screen.b_id) == (IDS[0], IDS[3])
    await press(pilot, "escape", "C", *"federation", "enter")
    screen = comparison(pilot)
    assert (screen.a_id, screen.b_id) == (IDS[0], IDS[4])


async def test_a_title_and_enter_typed_while_the_picker_loads_compare_once_it_lists(
    pilot: Pilot[None], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = pilot.app
    release = hold_back(monkeypatch, "wire_copies")
    await pilot.press("C", *"federation", "enter")  # faster than the picker lists
    await pilot.pause()
    assert isinstance(app.screen, ComparePicker)
    assert "Looking for wire copy…" in screen_text(pilot)
    release.set()
    await settle(pilot)
    screen = comparison(pilot)
    assert (screen.a_id, screen.b_id) == (IDS[0], IDS[4])


async def test_c_without_related_passages_asks_which_article(pilot: Pilot[None]) -> None:
    app = pilot.app
    await press(pilot, "tab", "r")  # the related pane hidden: nothing selected there
    await press(pilot, "c")
    assert isinstance(app.screen, ComparePicker)
    await press(pilot, "escape")
    assert reader(pilot) is app.screen


async def test_c_in_the_list_picks_an_article_to_compare_with_the_next(pilot: Pilot[None]) -> None:
    app = pilot.app
    articles = reader(pilot).query_one(ArticleList)
    assert app.focused is articles
    await press(pilot, "c")
    assert articles.pinned == IDS[0]
    assert "Picked to compare (c on another article compares, esc cancels): Quelques" in (
        screen_text(pilot)
    )
    await press(pilot, "j", "j", "j")
    assert shown_id(pilot) == IDS[3]  # the list still shows what it points at
    await press(pilot, "c")
    screen = comparison(pilot)
    assert (screen.a_id, screen.b_id) == (IDS[0], IDS[3])
    await press(pilot, "escape")
    assert articles.pinned is None
    # esc cancels a pick.
    await press(pilot, "c", "escape")
    assert articles.pinned is None
    assert reader(pilot) is app.screen


async def test_the_palette_compares_with_an_article(pilot: Pilot[None]) -> None:
    await press(pilot, "ctrl+p", *"Compare with: Poutine – Kim Jong-un : la Russie")
    await press(pilot, "enter")
    screen = comparison(pilot)
    assert (screen.a_id, screen.b_id) == (IDS[0], IDS[3])


async def test_the_help_lists_the_comparison_keys(on_000_12: Pilot[None]) -> None:
    pilot = on_000_12
    app = pilot.app
    await press(pilot, "c", "question_mark")
    assert isinstance(app.screen, HelpScreen)
    text = screen_text(pilot)
    await press(pilot, "G")
    text += screen_text(pilot)
    for line in (
        "Comparison",
        "Next pair",
        "Previous pair",
        "Swap sides",
        "Export",
        "Back",
        "Marks in the columns",
        "Quit",
    ):
        assert line in text
    assert "Next passage" not in text  # the reader's keys are not this screen's
    await press(pilot, "escape")
    assert isinstance(app.screen, ComparisonScreen)


async def test_the_small_terminal_puts_the_entities_under_the_columns(ready: Ready) -> None:
    app: PresseApp = ready.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "C", "enter")
        screen = comparison(pilot)
        panel = screen.query_one(EntityComparison)
        assert not panel.display
        assert f"A · {TITLE_000[:10]}" in screen_text(pilot)
        assert f"B · {TITLE_003[:10]}" in screen_text(pilot)
        await press(pilot, "e")
        assert panel.display
        assert panel.region.y > column(pilot, "A").region.bottom - 1
        assert "Named in both" in screen_text(pilot)
        await press(pilot, "e")
        assert not panel.display
