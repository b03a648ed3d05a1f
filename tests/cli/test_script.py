"""End to end: the installed `presse` script, and `python -m tui`, in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.cli.support import SEED_IDS, SEED_RELS, assert_one_clean_error, presse, seeded


def test_script_search_and_export(indexed) -> None:
    done = presse("search", *seeded(indexed), "veto", "--json")
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout)["total"] == 3
    done = presse("export", *seeded(indexed), "--json")
    assert done.returncode == 0
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == SEED_IDS


def test_script_entities(indexed_copy) -> None:
    args = seeded(indexed_copy)
    done = presse("entities", *args, "merge", "Kim Jong-il", "Kim Il Sung", "--json")
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    merged = json.loads(done.stdout)
    assert {"Kim Jong-il", "Kim Jong Il", "Kim Il Sung"} <= set(merged["aliases"])
    done = presse("entities", *args)
    assert done.returncode == 0
    assert "Vladimir Poutine" in done.stdout
    assert "Kim Il Sung" not in [line.split("  ")[0] for line in done.stdout.splitlines()]
    done = presse("entities", *args, "undo", "--json")
    assert json.loads(done.stdout)["action"] == "merge"
    done = presse("entities", *args, "hide", "Zorglub")
    assert_one_clean_error(done.returncode, done.stdout, done.stderr)


def test_script_bad_input(indexed, tmp_path: Path) -> None:
    done = presse("search", "/nonexistent/presse-corpus", "veto", "--index-dir", tmp_path / "ix")
    assert_one_clean_error(done.returncode, done.stdout, done.stderr)
    done = presse("search", *seeded(indexed), "title:(")
    assert_one_clean_error(done.returncode, done.stdout, done.stderr)
    done = presse("search")
    assert done.returncode == 2
    assert "usage: presse search" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_python_m_tui_indexes(corpus_copy: Path, tmp_path: Path) -> None:
    """`python -m tui` is `presse` without the installed script (tui/__main__.py), from
    any folder."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "index",
            corpus_copy,
            "--index-dir",
            tmp_path / "ix",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    report = json.loads(done.stdout)
    assert report["added"] == SEED_RELS
    assert (report["updated"], report["removed"], report["skipped"]) == ([], [], [])
    assert report["articles"] == 5
