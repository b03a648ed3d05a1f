"""Helpers shared by the CLI tests: the seeds' ids, running `presse` in-process or as
the installed script, and the checks every command's errors pass.

Most cases call `tui.cli.main` in-process (capsys); a few run the installed
`presse` script end to end. XDG_CACHE_HOME points into tmp for every test
(tests/conftest.py), and commands are given --index-dir wherever the test does
not check the default location.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Indexed
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


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def words(text: str) -> str:
    """Rich output with its line wrapping undone."""
    return " ".join(text.split())


def seeded(indexed: Indexed) -> list[str]:
    """Arguments naming the session's indexed seeds (already current)."""
    return [str(indexed.root), "--index-dir", str(indexed.index_dir)]


def assert_one_clean_error(code: int, out: str, err: str) -> None:
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("presse: ")
    assert len(lines[0]) > len("presse: ") + 5
    assert "Traceback" not in out + err


def entities_json(capsys: pytest.CaptureFixture[str], indexed: Indexed, *args: str) -> list[dict]:
    code, out, err = run(capsys, "entities", *seeded(indexed), "--json", *args)
    assert (code, err) == (0, ""), err
    listed = json.loads(out)
    assert isinstance(listed, list)
    return listed


def by_name(listed: list[dict], name: str) -> dict:
    (found,) = [e for e in listed if e["name"] == name or name in e["aliases"]]
    return found


def presse(*args: str | Path) -> subprocess.CompletedProcess[str]:
    assert PRESSE.exists(), PRESSE
    return subprocess.run(
        [str(PRESSE), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )
