"""Hostile article text on screen: markup, escape sequences, controls and giant lines
stay inert text in every view of the reader and in the CLI's output.

The corpus is written as bytes with real ESC characters: what a scraper can leave
in a file. The reader is driven with the keys a user presses (Pilot, 120x36).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.command import CommandPalette

from index import Corpus
from tests.conftest import Indexed
from tests.reader.support import (
    SIZE,
    flat,
    press,
    reader,
    screen_text,
    settle,
    view,
    widget_text,
)
from tui.app import PresseApp
from tui.cli import main
from tui.compare.screen import ComparisonScreen
from tui.dialogs.entities import EntityScreen
from tui.dialogs.search import SearchScreen

TITLE = "[bold]Alerte[/] à Pyongyang [link=http://x]lien[/link] [@click=app.quit]quitter[/]"
SHARED = (
    "Vladimir Poutine et Kim Jong Un ont signé un accord de partenariat stratégique global, "
    "selon l’agence [italic]KCNA[/italic]. Les deux dirigeants ont promis une aide mutuelle "
    "en cas d’agression contre l’un des deux pays, a précisé le Kremlin mercredi soir."
)
ESCAPES = (
    "Le président est arrivé à Pyongyang \x1b[31mce mardi\x1b[0m pour une visite d’État."
    "\x1b]0;piraté\x07 Il a salué la foule [@click=app.quit]ici[/] et \x1b[2Jailleurs."
)
CONTROLS = (
    "Un lien \x1b]8;;http://x\x1b\\caché\x1b]8;;\x1b\\ et un texte \u202eà l’envers\u202c, "
    "des contrôles\x07\x08\x0e et des espaces\u200binvisibles [red on blue]couleurs[/]."
)
GIANT = "anticonstitutionnellement" * 800  # a line of 20,000 characters, no space
# Markup and escape sequences as the shown text must read them, and what must not show.
LITERAL = ("[bold]Alerte[/]", "[link=http://x]", "[@click=app.quit]", "[red on blue]couleurs[/]")
NEVER_SHOWN = ("\x1b", "\x07", "\x08", "\x0e", "\u202e", "\u202c", "piraté", "[31m", "]0;")


def _write_corpus(root: Path) -> Path:
    root.mkdir()
    article = "\n\n".join((TITLE, SHARED, ESCAPES, CONTROLS, GIANT, "Fin de l’article."))
    (root / "a_hostile.txt").write_bytes(article.encode("utf-8"))
    copy = "\n\n".join(
        ("Poutine [b]signe[/b] un accord", SHARED, "Le texte se termine ici, sans plus.")
    )
    (root / "b_copy.txt").write_bytes(copy.encode("utf-8"))
    record = {
        "id": "1",
        "title": "[red]Titre[/red] \x1b]0;x\x07JSON",
        "text": "Texte [blink]clignotant[/blink] \x1b[5m ici, avec assez de mots pour un article.",
    }
    (root / "c.jsonl").write_bytes(json.dumps(record).encode("utf-8") + b"\n")
    return root


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The hostile corpus and its index, built once for the module."""
    base = tmp_path_factory.mktemp("hostile")
    root = _write_corpus(base / "corpus")
    index_dir = base / "index"
    corpus = Corpus(root, index_dir)
    report = corpus.update()
    corpus.close()
    assert report.articles == 3 and not report.skipped, report
    return root, index_dir


def assert_inert(text: str) -> None:
    for forbidden in NEVER_SHOWN:
        assert forbidden not in text, f"{forbidden!r} on screen"


async def test_the_reader_shows_hostile_text_as_text(hostile: tuple[Path, Path]) -> None:
    root, index_dir = hostile
    app = PresseApp(root, index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = screen_text(pilot)
        assert "[bold]Alerte[/]" in shown  # the list's title
        assert "[red]Titre[/red] JSON" in shown
        assert_inert(shown)

        # Open the hostile article and read it passage by passage, the giant line too.
        await press(pilot, "enter")
        article = view(pilot).article
        assert article is not None and article.title.startswith("[bold]Alerte[/]")
        assert app.focused is view(pilot)
        texts = [widget_text(pilot, view(pilot))]
        for _ in range(100):  # a page a key through the giant passages
            await pilot.press("j")
            await pilot.pause()
            texts.append(widget_text(pilot, view(pilot)))
            if view(pilot).cursor == len(article.passages) - 1:
                break
        assert view(pilot).cursor == len(article.passages) - 1
        assert_inert(screen_text(pilot))
        seen = flat("\n".join(texts))
        for literal in LITERAL:
            assert literal in seen, literal
        assert "anticonstitutionnellement" * 3 in "".join(seen.split())  # folded lines
        assert "ce mardi" in seen and "caché" in seen
        for text in texts:
            assert_inert(text)
        assert app.is_running and isinstance(app.screen, type(reader(pilot)))

        # The passage copied in the other article: related pane, then side by side.
        await press(pilot, "g")
        assert view(pilot).cursor == 0
        await press(pilot, "j")
        assert (view(pilot).article, view(pilot).cursor, app.focused) == (article, 1, view(pilot))
        shown = screen_text(pilot)
        assert "[b]signe[/b]" in shown  # the related passage's article title
        assert "[italic]KCNA[/italic]" in flat(shown)
        assert_inert(shown)
        await press(pilot, "c")
        assert isinstance(app.screen, ComparisonScreen)
        shown = screen_text(pilot)
        assert "[bold]Alerte[/]" in shown and "[b]signe[/b]" in shown  # the column titles
        assert_inert(shown)
        await press(pilot, "escape")

        # Search a word of it: the results show the title and the snippet as written.
        await press(pilot, "slash", *"pyongyang")
        assert isinstance(app.screen, SearchScreen)
        shown = screen_text(pilot)
        assert "[bold]Alerte[/]" in shown
        assert_inert(shown)
        await press(pilot, "enter")
        assert_inert(screen_text(pilot))

        # The entity panel, and the command palette, which Textual reads as markup.
        await press(pilot, "e")
        assert isinstance(app.screen, EntityScreen)
        assert_inert(screen_text(pilot))
        await press(pilot, "escape", "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await press(pilot, *"alerte")
        await pilot.pause(0.3)
        shown = screen_text(pilot)
        assert "Open: [bold]Alerte[/] à Pyongyang [link=http://x]lien[/link]" in shown
        assert_inert(shown)
        await press(pilot, "escape")
        assert app.is_running


def test_cli_prints_hostile_text_as_text(
    hostile: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, index_dir = hostile
    for command in (["search", str(root), "pyongyang"], ["export", str(root)]):
        code = main([*command, "--index-dir", str(index_dir)])
        out, err = capsys.readouterr()
        assert code == 0, err
        assert "[bold]Alerte[/]" in out and "[link=http://x]" in out, command
        for forbidden in NEVER_SHOWN:
            assert forbidden not in out + err, (command, forbidden)
    main(["export", str(root), "--json", "--index-dir", str(index_dir)])
    out, _ = capsys.readouterr()
    assert "\x1b" not in out and "\\u001b" not in out
    assert "[@click=app.quit]" in out


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("x" * 10_000, "the query is too long"),
        (" OR ".join(f"w{i}*" for i in range(20)), "too many wildcards"),
        ("(" * 40 + "veto" + ")" * 40, "nests groups too deeply"),
    ],
)
def test_cli_refuses_unbounded_queries_in_one_line(
    indexed_copy: Indexed, capsys: pytest.CaptureFixture[str], query: str, reason: str
) -> None:
    root, index_dir = indexed_copy.root, indexed_copy.index_dir
    code = main(["search", str(root), query, "--index-dir", str(index_dir)])
    out, err = capsys.readouterr()
    assert code != 0 and not out
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("presse: ") and reason in lines[0], err
    assert len(lines[0]) < 200  # the query is not echoed back whole
