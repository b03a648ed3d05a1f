"""Every command the README shows runs, on a copy of the indexed seeds: a newcomer's
first try is a line copied from it."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.cli.support import run
from tests.conftest import Indexed
from tests.reader.support import SIZE, settle, shown_id
from tui.app import PresseApp
from tui.cli.parser import COMMANDS, reader_parser

README = Path(__file__).resolve().parents[2] / "README.md"
# The folders the README's examples name, all read as the seeds here.
FOLDERS = ("seeds/", "big-corpus/")


def readme_commands() -> list[list[str]]:
    """The `presse` lines of the README's code blocks (indented by four), comments cut."""
    commands = []
    for line in README.read_text(encoding="utf-8").splitlines():
        match = re.match(r" {4}presse (.*)", line)
        if match:
            commands.append(shlex.split(match.group(1), comments=True))
    return commands


def test_the_readme_shows_commands() -> None:
    commands = readme_commands()
    assert len(commands) >= 9
    assert {words[0] for words in commands} >= set(COMMANDS)


def on_seeds(words: list[str], indexed: Indexed) -> list[str]:
    return [str(indexed.root) if word in FOLDERS else word for word in words] + [
        "--index-dir",
        str(indexed.index_dir),
    ]


@pytest.mark.parametrize("words", [w for w in readme_commands() if w[0] in COMMANDS], ids=" ".join)
def test_a_readme_command_runs(words: list[str], indexed_copy: Indexed, capsys) -> None:
    code, out, err = run(capsys, *on_seeds(words, indexed_copy))
    assert code == 0, err
    assert out.strip()
    assert "Traceback" not in out + err


async def test_the_readme_reader_command_opens(indexed_copy: Indexed) -> None:
    (words,) = [w for w in readme_commands() if w[0] not in COMMANDS]
    options = reader_parser().parse_args(on_seeds(words, indexed_copy))
    app = PresseApp(options.corpus, options.index_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shown_id(pilot) is not None
