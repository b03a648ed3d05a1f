"""The reader driven with the keys a user presses, on copies of the seeds (Pilot, 120x36).

`first_run` (conftest) is the reader once it has indexed a fresh copy of the seeds in a
folder named `corpus` (`corpus_copy`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.reader.support import SIZE, reader, screen_text, settle, widget_text
from tui.app import PresseApp, describe_report
from tui.dialogs.help import HelpScreen
from tui.display import one_line, printable, shorten_middle, visible
from tui.reader.article_list import ArticleList
from tui.reader.index_status import IndexStatus
from tui.reader.passage_view import PassageView
from tui.reader.screen import ReaderScreen

TITLES = [
    "Quelques heures avant son arrivée prévue ce mardi…",
    "Poutine rencontre Kim Jong-un à la recherche de nouveaux…",
    "C’est la première rencontre des deux dirigeants depuis u…",
    "Poutine – Kim Jong-un : la Russie et la Corée du Nord…",
    "Vladimir Poutine, Président de la Fédération de Russie, …",
]
FULL_TITLES = [
    "Quelques heures avant son arrivée prévue ce mardi (18.06) à Pyongyang,",
    "Poutine rencontre Kim Jong-un à la recherche de nouveaux armements",
    "C’est la première rencontre des deux dirigeants depuis un précédent voyage de",
    "Poutine – Kim Jong-un : la Russie et la Corée du Nord vont signer des",
    "Vladimir Poutine, Président de la Fédération de Russie, a exprimé sa gratitude",
]


def flat(text: str) -> str:
    """`text` with its lines and runs of blanks joined, to find wrapped phrases; the
    list's scroll bar and the pick mark in its margin read as blanks."""
    return " ".join(text.replace("█", " ").replace("▌", " ").split())


def shown_title(pilot: Pilot[None]) -> str:
    article = reader(pilot).query_one(PassageView).article
    assert article is not None
    return article.title


async def test_lists_the_seeds_after_indexing(first_run: Pilot[None]) -> None:
    pilot = first_run
    app = pilot.app
    articles = reader(pilot).query_one(ArticleList)
    assert articles.ids == [
        "000_34fdb793e7d525a8",
        "001_c5001f9aa01043f8",
        "002_e36b65c31de3faa9",
        "003_17a356de9bc4f7c3",
        "004_516c37a8e62c70fe",
    ]
    assert "presse · corpus — 5 articles · index up to date" in screen_text(pilot)
    text = flat(widget_text(pilot, articles))
    # Two lines of title at most, then an ellipsis.
    for title in TITLES:
        assert title in text
    assert "fr · 001_c5001f9aa01043f8.txt" in text
    # Too long for the pane: cut in the middle, keeping the date and the file's end
    # (and, at the right, the count of articles sharing its wording: wire copy).
    assert "2024-06 · fr…3e7d525a8.txt ⇄1" in text
    assert "5 · by file" in screen_text(pilot)
    assert reader(pilot).query_one(IndexStatus).has_class("-idle")
    assert app.focused is articles


async def test_indexing_notifies_what_it_did(first_run: Pilot[None]) -> None:
    pilot = first_run
    app = pilot.app
    messages = [notification.message for notification in app._notifications]
    assert messages == ["Indexed 5 articles: 5 added"]


async def test_a_current_index_opens_quietly(corpus_copy: Path, tmp_path: Path) -> None:
    for _ in range(2):
        app = PresseApp(corpus_copy, tmp_path / "ix")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, debounced=False)
            assert len(reader(pilot).query_one(ArticleList).ids) == 5
    assert list(app._notifications) == []


async def test_j_moves_in_the_list_and_the_text_follows(first_run: Pilot[None]) -> None:
    pilot = first_run
    assert shown_title(pilot).startswith("Quelques heures")
    await pilot.press("j")
    assert shown_title(pilot) == FULL_TITLES[1]
    blocks = reader(pilot).query_one(PassageView).blocks
    assert blocks[0].has_class("-title") and blocks[0].has_class("-cursor")
    view_text = widget_text(pilot, reader(pilot).query_one(PassageView))
    assert "Poutine rencontre Kim Jong-un à la recherche de nouveaux armements" in flat(view_text)
    await pilot.press("down", "down")
    assert shown_title(pilot).startswith("Poutine – Kim Jong-un")
    await pilot.press("k")
    assert shown_title(pilot).startswith("C’est la première rencontre")
    await pilot.press("G")
    assert shown_title(pilot).startswith("Vladimir Poutine, Président")
    await pilot.press("g")
    assert shown_title(pilot).startswith("Quelques heures")


async def test_passage_cursor_moves_in_the_text_pane(first_run: Pilot[None]) -> None:
    pilot = first_run
    app = pilot.app
    await pilot.press("j", "tab")
    view = reader(pilot).query_one(PassageView)
    assert app.focused is view
    assert view.cursor == 0
    await pilot.press("j", "j")
    assert view.cursor == 2
    cursor_blocks = [n for n, block in enumerate(view.blocks) if block.has_class("-cursor")]
    assert cursor_blocks == [2]
    assert view.blocks[2].has_class("-caption")
    # The list did not move: j went to the text pane.
    assert shown_title(pilot) == FULL_TITLES[1]
    await pilot.press("k")
    assert view.cursor == 1
    await pilot.press("G")
    assert view.cursor == len(view.blocks) - 1
    assert view.blocks[-1].region.bottom <= view.region.bottom
    assert view.scroll_y > 0
    await pilot.press("g")
    assert view.cursor == 0 and view.scroll_y == 0
    await pilot.press("shift+tab")
    assert isinstance(app.focused, ArticleList)


async def test_passage_cursor_keeps_in_view(first_run: Pilot[None]) -> None:
    pilot = first_run
    app = pilot.app
    await pilot.press("j", "enter")
    view = reader(pilot).query_one(PassageView)
    assert app.focused is view
    for _ in range(40):
        await pilot.press("j")
        block = view.blocks[view.cursor]
        visible = view.scrollable_content_region
        assert block.region.y < visible.bottom and block.region.bottom > visible.y
    assert view.cursor == len(view.blocks) - 1


async def test_text_pane_shows_captions_with_their_language(first_run: Pilot[None]) -> None:
    pilot = first_run
    await pilot.press("j")
    text = flat(widget_text(pilot, reader(pilot).query_one(PassageView)))
    assert "es El presidente de Rusia, Vladimir Putin" in text
    assert "fr Le président russe Vladimir Poutine" in text
    assert "C'est la première fois en 24 ans que le dirigeant russe" in text


async def test_the_cursor_is_remembered_per_article(first_run: Pilot[None]) -> None:
    pilot = first_run
    await pilot.press("j", "tab", "j", "j", "j", "shift+tab", "j")
    view = reader(pilot).query_one(PassageView)
    assert view.cursor == 0
    await pilot.press("k")
    assert shown_title(pilot) == FULL_TITLES[1]
    assert view.cursor == 3


async def test_help_lists_the_bindings(first_run: Pilot[None]) -> None:
    pilot = first_run
    app = pilot.app
    await pilot.resize_terminal(120, 100)  # the whole help on one screen
    await pilot.press("question_mark")
    assert isinstance(app.screen, HelpScreen)
    text = screen_text(pilot)
    for line in (
        "Article list",
        "j ↓",
        "Next article",
        "Article text",
        "Next passage",
        "tab",
        "Next pane",
        "q ^q",
        "Quit",
        "Help",
    ):
        assert line in text
    await pilot.press("escape")
    assert isinstance(app.screen, ReaderScreen)
    await pilot.press("question_mark", "question_mark")
    assert isinstance(app.screen, ReaderScreen)


async def test_help_follows_the_bindings(first_run: Pilot[None]) -> None:
    """A binding added to the app shows in the help without editing the help."""
    pilot = first_run
    app = pilot.app
    app.bind("x", "bell", description="Xylophone")
    await pilot.resize_terminal(120, 100)  # the whole help on one screen
    await pilot.press("question_mark")
    assert "Xylophone" in screen_text(pilot)


async def test_q_quits(corpus_copy: Path, tmp_path: Path) -> None:
    app = PresseApp(corpus_copy, tmp_path / "ix")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, debounced=False)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_markup_and_escapes_in_articles_are_shown_as_text(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "crochets.txt").write_text(
        "Le [bold]gras[/bold] et [/] des crochets\n\n"
        "Un paragraphe avec [red]de la couleur[/red], une séquence \x1b[31mANSI\x1b[0m "
        "et [link=https://example.org]un lien[/link] qui restent du texte.\n",
        encoding="utf-8",
    )
    app = PresseApp(root, tmp_path / "ix")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, debounced=False)
        text = flat(widget_text(pilot, reader(pilot).query_one(PassageView)))
        assert "Le [bold]gras[/bold] et [/] des crochets" in text
        assert "[red]de la couleur[/red]" in text
        assert "[link=https://example.org]un lien[/link]" in text
        assert "\x1b" not in text
        await pilot.press("tab", "j", "j", "k")
        assert app.is_running


async def test_a_file_named_like_markup_is_shown_as_text(tmp_path: Path) -> None:
    root = tmp_path / "[b]corpus"
    root.mkdir()
    (root / "[red]a.txt").write_text("Titre\n\nUn paragraphe.\n", encoding="utf-8")
    app = PresseApp(root, tmp_path / "ix")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, debounced=False)
        text = screen_text(pilot)
        assert "presse · [b]corpus" in text
        assert "[red]a.txt" in text


async def test_a_missing_folder_exits_with_a_message(tmp_path: Path) -> None:
    app = PresseApp(tmp_path / "nowhere", tmp_path / "ix")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert app.return_code == 2
    assert app.error is not None and app.error.startswith("no such folder: ")


def test_run_reader_exits_nonzero_on_a_missing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.app import run_reader

    with pytest.raises(SystemExit) as exit_info:
        run_reader(tmp_path / "nowhere", tmp_path / "ix")
    assert exit_info.value.code == 2
    assert "presse: no such folder" in capsys.readouterr().err


async def test_an_empty_folder_says_so(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    root.mkdir()
    app = PresseApp(root, tmp_path / "ix")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, debounced=False)
        assert "No articles." in screen_text(pilot)
        assert "0 articles" in screen_text(pilot)
        await pilot.press("j", "tab", "j", "g", "G", "question_mark", "escape")
        assert app.is_running


async def test_a_busy_index_is_a_notification(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (Another process really holding the lock: tests/system/test_concurrency.py.)
    from typing import Any

    from index import Corpus, IndexBusy, IngestReport

    real_update = Corpus.update
    calls: list[int] = []

    def busy_once(self: Corpus, *args: Any, **kwargs: Any) -> IngestReport:
        calls.append(1)
        if len(calls) == 1:
            raise IndexBusy("another presse process is updating this index")
        return real_update(self, *args, **kwargs)

    monkeypatch.setattr(Corpus, "update", busy_once)
    app = PresseApp(corpus_copy, tmp_path / "ix")
    notes: list[tuple[str, dict[str, Any]]] = []
    notify = app.notify

    def recorded(message: str, **options: Any) -> None:
        notes.append((message, options))  # (the notice may expire before the end)
        notify(message, **options)

    monkeypatch.setattr(app, "notify", recorded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, debounced=False)
        assert app.is_running
        (busy,) = [(m, o) for m, o in notes if o.get("title") == "Index busy"]
        # A calm notice, not an error.
        assert busy[1].get("severity", "information") == "information"
        assert "Another presse is updating this index" in busy[0]
        assert len(calls) == 2  # it waited, then updated on its own
        assert "index up to date" in screen_text(pilot)


async def test_skipped_files_are_a_warning(corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "vide.txt").write_bytes(b"\xff\xfe\x00\x00" * 3)
    (corpus_copy / "binaire.txt").write_bytes(bytes(range(256)) * 4)
    app = PresseApp(corpus_copy, tmp_path / "ix")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, debounced=False)
        warnings = [n for n in app._notifications if n.severity == "warning"]
        assert warnings and "binaire.txt" in warnings[0].message


async def test_progress_is_shown_while_indexing(first_run: Pilot[None]) -> None:
    pilot = first_run
    app = pilot.app
    from index import Progress

    app.post_message(PresseApp.IndexProgressed(Progress(3, 5, "003_17a356de9bc4f7c3.txt")))
    await pilot.pause()
    status = reader(pilot).query_one(IndexStatus)
    assert not status.has_class("-idle")
    text = screen_text(pilot)
    assert "reading 3/5…" in text
    assert "Reading 3/5 · 003_17a356de9bc4f7c3.txt" in text
    app.post_message(PresseApp.IndexProgressed(Progress(200, 500, "", "indexing")))
    await pilot.pause()
    text = screen_text(pilot)
    assert "writing the search index 200/500…" in text
    assert "Writing the search index 200/500" in text


def test_describe_report() -> None:
    from index import IngestReport

    report = IngestReport(added=["a.txt"], updated=["b.txt", "c.txt"], articles=7)
    assert describe_report(report) == "Indexed 7 articles: 1 added, 2 updated"


async def test_clicking_a_passage_puts_the_cursor_there(first_run: Pilot[None]) -> None:
    pilot = first_run
    app = pilot.app
    await pilot.press("j")
    view = reader(pilot).query_one(PassageView)
    await pilot.click(view.blocks[2])
    assert view.cursor == 2
    assert app.focused is view


def test_printable_drops_control_characters() -> None:
    text = "a\x1b[31mb\x07c\u202ed\te\r\nf\x85g"
    assert printable(text) == "a[31mbcd    e\nfg"
    assert one_line(" un\n  titre \n") == "un titre"


def test_visible_shows_controls_and_keeps_offsets() -> None:
    text = "a\x1b[31mb\x07c\u202ed\te\x7f"
    shown = visible(text)
    assert shown == "a␛[31mb␇c\ufffdd e␡"
    assert len(shown) == len(text)


def test_shorten_middle_keeps_both_ends() -> None:
    line = "fr · masakhanews-fra-dev-63182609.txt"
    assert shorten_middle(line, 80) == line
    assert shorten_middle(line, 26) == "fr · masakha…-63182609.txt"
    assert shorten_middle(line, 1) == "…"


async def test_paging_takes_the_cursor_along(tmp_path: Path) -> None:
    root = tmp_path / "long"
    root.mkdir()
    paragraphs = [f"Paragraphe {n}. " + "Du texte pour remplir la page. " * 12 for n in range(30)]
    (root / "long.txt").write_text(
        "Un long article\n\n" + "\n\n".join(paragraphs), encoding="utf-8"
    )
    app = PresseApp(root, tmp_path / "ix")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, debounced=False)
        await pilot.press("enter", "pagedown", "pagedown")
        view = reader(pilot).query_one(PassageView)
        assert view.scroll_y > 0
        block = view.blocks[view.cursor]
        visible = view.scrollable_content_region
        assert block.region.y < visible.bottom and block.region.bottom > visible.y
        cursor = view.cursor
        await pilot.press("pageup", "pageup")
        assert view.cursor < cursor
        block = view.blocks[view.cursor]
        assert block.region.y < visible.bottom and block.region.bottom > visible.y
