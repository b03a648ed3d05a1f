"""Help, and bad input: a missing folder, a malformed query, a bad option: one line on
stderr and an exit code, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.support import assert_one_clean_error, run, seeded
from tui.cli import main


@pytest.mark.parametrize("command", ["index", "search", "export", "entities"])
def test_help(capsys, command: str) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: presse {command}")
    assert "--json" in out and "--index-dir" in out


def test_top_level_help(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "index" in out and "search" in out and "export" in out and "entities" in out


@pytest.mark.parametrize(
    "args",
    [
        ["index", "/nonexistent/presse-corpus"],
        ["index", "/nonexistent/presse-corpus", "--json"],
        ["search", "/nonexistent/presse-corpus", "veto"],
        ["export", "/nonexistent/presse-corpus", "--json"],
        ["/nonexistent/presse-corpus"],
    ],
)
def test_missing_folder(capsys, tmp_path: Path, args: list[str]) -> None:
    """The reader and every command say it in the same words."""
    code, out, err = run(capsys, *args, "--index-dir", tmp_path / "ix")
    assert_one_clean_error(code, out, err)
    assert "presse: no such folder: /nonexistent/presse-corpus" in err
    assert out == ""


def test_corpus_that_is_a_file(capsys, tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text("Un article.", encoding="utf-8")
    for args in (["index", path], [path]):
        code, out, err = run(capsys, *args, "--index-dir", tmp_path / "ix")
        assert_one_clean_error(code, out, err)
        assert "presse: not a folder: " in err


@pytest.mark.parametrize("query", ["title:(", '"neuf mois', "a)", "foo:bar", "*", ""])
def test_malformed_query(capsys, indexed, query: str) -> None:
    code, out, err = run(capsys, "search", *seeded(indexed), query, "--json")
    assert_one_clean_error(code, out, err)
    assert out == ""


def test_search_without_arguments_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["search"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "usage: presse search" in err
    assert "Traceback" not in err


def test_negative_limit_is_a_usage_error(capsys, indexed) -> None:
    code, out, err = run(capsys, "search", *seeded(indexed), "veto", "--limit", "-1")
    assert code == 2
    assert_one_clean_error(code, out, err)
