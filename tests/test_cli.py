"""The `presse` commands: index, search and export, with --json and as Rich text.

Most cases call `tui.cli.main` in-process (capsys); a few run the installed
`presse` script end to end. XDG_CACHE_HOME points into tmp for every test
(conftest), and commands are given --index-dir wherever the test does not
check the default location.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from index import Corpus
from tui.cli import main

SEED_RELS = [
    "000_34fdb793e7d525a8.txt",
    "001_c5001f9aa01043f8.txt",
    "002_e36b65c31de3faa9.txt",
    "003_17a356de9bc4f7c3.txt",
    "004_516c37a8e62c70fe.txt",
]
SEED_IDS = [rel.removesuffix(".txt") for rel in SEED_RELS]
PRESSE = Path(sys.executable).with_name("presse")


def _run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def _words(text: str) -> str:
    """Rich output with its line wrapping undone."""
    return " ".join(text.split())


def _seeded(indexed) -> list[str]:
    """Arguments naming the session's indexed seeds (already current)."""
    return [str(indexed.root), "--index-dir", str(indexed.index_dir)]


def _assert_one_clean_error(code: int, out: str, err: str) -> None:
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("presse: ")
    assert len(lines[0]) > len("presse: ") + 5
    assert "Traceback" not in out + err


# -- index -----------------------------------------------------------------------------------


def test_index_json(capsys, corpus_copy: Path, tmp_path: Path) -> None:
    args = ["index", corpus_copy, "--json", "--index-dir", tmp_path / "ix"]
    code, out, err = _run(capsys, *args)
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["added"] == SEED_RELS
    assert (report["updated"], report["removed"], report["skipped"]) == ([], [], [])
    assert report["articles"] == 5

    code, out, _ = _run(capsys, *args)
    again = json.loads(out)
    assert code == 0
    assert (again["added"], again["updated"], again["removed"]) == ([], [], [])
    assert again["unchanged"] == 5


def test_index_json_reports_skipped_files(capsys, corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "vide.txt").write_bytes(b"")
    code, out, _ = _run(capsys, "index", corpus_copy, "--json", "--index-dir", tmp_path / "ix")
    assert code == 0
    report = json.loads(out)
    assert report["skipped"] == [{"path": "vide.txt", "reason": "empty file"}]
    assert report["added"] == SEED_RELS


def test_index_text(capsys, corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "vide.txt").write_bytes(b"")
    code, out, err = _run(capsys, "index", corpus_copy, "--index-dir", tmp_path / "ix")
    assert code == 0
    assert "Traceback" not in out + err
    out = _words(out)
    assert "5 articles" in out
    assert "5 added" in out
    assert "1 skipped" in out
    assert "vide.txt" in out and "empty file" in out


def test_index_uses_the_user_cache_by_default(capsys, corpus_copy: Path) -> None:
    cache = Path(os.environ["XDG_CACHE_HOME"])
    before = sorted(p.name for p in corpus_copy.iterdir())
    code, out, _ = _run(capsys, "index", corpus_copy, "--json")
    assert code == 0
    assert json.loads(out)["added"] == SEED_RELS
    (index_dir,) = (cache / "presse").iterdir()
    assert (index_dir / "catalog.sqlite").is_file()
    assert sorted(p.name for p in corpus_copy.iterdir()) == before


# -- search ----------------------------------------------------------------------------------


def test_search_json(capsys, indexed) -> None:
    code, out, err = _run(capsys, "search", *_seeded(indexed), "veto", "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert {"query", "total", "suggestion", "results"} <= set(result)
    assert (result["query"], result["total"], result["suggestion"]) == ("veto", 3, None)
    assert {hit["id"] for hit in result["results"]} == {SEED_IDS[0], SEED_IDS[3], SEED_IDS[4]}
    for hit in result["results"]:
        assert {"id", "title", "score", "snippet"} <= set(hit)
        assert hit["title"] == indexed.corpus.article(hit["id"]).title
        assert "veto" in hit["snippet"]
        assert isinstance(hit["score"], float) and hit["score"] > 0
    scores = [hit["score"] for hit in result["results"]]
    assert scores == sorted(scores, reverse=True)


def test_search_json_suggestion(capsys, indexed) -> None:
    code, out, _ = _run(capsys, "search", *_seeded(indexed), "vetto", "--json")
    assert code == 0
    result = json.loads(out)
    assert (result["total"], result["suggestion"], result["results"]) == (0, "veto", [])


def test_search_limit(capsys, indexed) -> None:
    code, out, _ = _run(capsys, "search", *_seeded(indexed), "coree", "--json", "--limit", "2")
    assert code == 0
    result = json.loads(out)
    assert result["total"] == 5
    assert len(result["results"]) == 2


def test_search_text(capsys, indexed) -> None:
    code, out, err = _run(capsys, "search", *_seeded(indexed), "veto")
    assert (code, err) == (0, "")
    out = _words(out)
    assert "3 articles" in out
    for doc_id in (SEED_IDS[0], SEED_IDS[3], SEED_IDS[4]):
        assert doc_id in out
    assert SEED_IDS[1] not in out and SEED_IDS[2] not in out
    assert "utilisé son veto au Conseil de sécurité" in out  # a snippet


def test_search_text_suggestion(capsys, indexed) -> None:
    code, out, _ = _run(capsys, "search", *_seeded(indexed), "vetto")
    assert code == 0
    out = _words(out)
    assert "0 articles" in out
    assert "did you mean" in out and "veto?" in out


# -- export ----------------------------------------------------------------------------------


def test_export_json_lines(capsys, indexed) -> None:
    code, out, err = _run(capsys, "export", *_seeded(indexed), "--json")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 5
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == SEED_IDS
    corpus: Corpus = indexed.corpus
    for record in records:
        assert {"id", "path", "title", "date", "lang", "text", "passages", "mentions"} <= set(
            record
        )
        article = corpus.article(record["id"])
        assert record["path"] == f"{record['id']}.txt"
        assert (record["title"], record["date"], record["lang"], record["text"]) == (
            article.title,
            article.date,
            article.lang,
            article.text,
        )
        text = record["text"]
        passages = record["passages"]
        assert [p["n"] for p in passages] == list(range(len(passages)))
        previous_end = 0
        for p in passages:
            assert {"n", "start", "end", "kind", "lang"} <= set(p)
            assert previous_end <= p["start"] < p["end"] <= len(text)
            assert text[p["start"] : p["end"]].strip() == text[p["start"] : p["end"]]
            previous_end = p["end"]
        assert isinstance(record["mentions"], list)
        for mention in record["mentions"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]
            assert mention["label"] and "entity" in mention
    dates = {r["id"][:3]: r["date"] for r in records}
    assert (dates["000"], dates["002"]) == ("2024-06", "2023-09")


def test_export_text(capsys, indexed) -> None:
    code, out, err = _run(capsys, "export", *_seeded(indexed))
    assert (code, err) == (0, "")
    out = _words(out)
    for doc_id in SEED_IDS:
        assert doc_id in out
    assert "2024-06" in out and "2023-09" in out
    assert "caption" in out and "heading" in out and "paragraph" in out


# -- help and bad input --------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["index", "search", "export"])
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
    assert "index" in out and "search" in out and "export" in out


@pytest.mark.parametrize(
    "args",
    [
        ["index", "/nonexistent/presse-corpus"],
        ["index", "/nonexistent/presse-corpus", "--json"],
        ["search", "/nonexistent/presse-corpus", "veto"],
        ["export", "/nonexistent/presse-corpus", "--json"],
    ],
)
def test_missing_folder(capsys, tmp_path: Path, args: list[str]) -> None:
    code, out, err = _run(capsys, *args, "--index-dir", tmp_path / "ix")
    _assert_one_clean_error(code, out, err)
    assert "/nonexistent/presse-corpus" in err
    assert out == ""


def test_corpus_that_is_a_file(capsys, tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text("Un article.", encoding="utf-8")
    code, out, err = _run(capsys, "index", path, "--index-dir", tmp_path / "ix")
    _assert_one_clean_error(code, out, err)


@pytest.mark.parametrize("query", ["title:(", '"neuf mois', "a)", "foo:bar", "*", ""])
def test_malformed_query(capsys, indexed, query: str) -> None:
    code, out, err = _run(capsys, "search", *_seeded(indexed), query, "--json")
    _assert_one_clean_error(code, out, err)
    assert out == ""


def test_search_without_arguments_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["search"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "usage: presse search" in err
    assert "Traceback" not in err


def test_negative_limit_is_a_usage_error(capsys, indexed) -> None:
    code, out, err = _run(capsys, "search", *_seeded(indexed), "veto", "--limit", "-1")
    assert code == 2
    _assert_one_clean_error(code, out, err)


# -- end to end, through the installed script ---------------------------------------------------


def _presse(*args: str | Path) -> subprocess.CompletedProcess[str]:
    assert PRESSE.exists(), PRESSE
    return subprocess.run(
        [str(PRESSE), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_script_search_and_export(indexed) -> None:
    done = _presse("search", *_seeded(indexed), "veto", "--json")
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout)["total"] == 3
    done = _presse("export", *_seeded(indexed), "--json")
    assert done.returncode == 0
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == SEED_IDS


def test_script_bad_input(indexed, tmp_path: Path) -> None:
    done = _presse("search", "/nonexistent/presse-corpus", "veto", "--index-dir", tmp_path / "ix")
    _assert_one_clean_error(done.returncode, done.stdout, done.stderr)
    done = _presse("search", *_seeded(indexed), "title:(")
    _assert_one_clean_error(done.returncode, done.stdout, done.stderr)
    done = _presse("search")
    assert done.returncode == 2
    assert "usage: presse search" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
