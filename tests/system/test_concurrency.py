"""Two presse processes on one corpus: one writes the index, the other reads it and waits.

The other process is real: a subprocess that runs `Corpus.update` and pauses in the
middle of it (inside the lock and the catalog's write transaction) until the test
lets it go, or one that only holds the lock. Against it run the CLI (as a
subprocess) and the reader (Pilot).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from index.corpus import LOCK_NAME
from index.storage.userdata import Bookmark, UserData
from tests.conftest import PROJECT, Indexed
from tests.reader.support import SIZE, Ready, reader

PRESSE = Path(sys.executable).parent / "presse"
NEW_FILE = "005_nouveau.txt"
NEW_WORD = "zygomatique"
NEW_TEXT = (
    "Un article nouveau\n\n"
    f"Le débat {NEW_WORD} reprend au Conseil de sécurité, où la Russie a opposé son veto.\n"
)

# A real update of the index, paused at its first file until a line comes on stdin.
PAUSED_UPDATE = """
import sys
from index import Corpus

corpus = Corpus(sys.argv[1], sys.argv[2], entities=False)
paused = []

def progress(step):
    if not paused:
        paused.append(step)
        print("updating", flush=True)
        sys.stdin.readline()

report = corpus.update(progress=progress)
print("done", len(report.added), flush=True)
"""

TIMEOUT = 60.0


class OtherPresse:
    """The other process: started paused in the middle of its update."""

    def __init__(self, root: Path, index_dir: Path) -> None:
        self.errors = index_dir.parent / "other-presse.err"
        with self.errors.open("w") as errors:
            self.process = subprocess.Popen(
                [sys.executable, "-c", PAUSED_UPDATE, str(root), str(index_dir)],
                cwd=PROJECT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
            )
        assert _line(self.process.stdout) == "updating", self.errors.read_text()

    def finish(self) -> None:
        """Let the update go on to its commit, and wait for it."""
        assert self.process.stdin is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        assert _line(self.process.stdout) == "done 1", self.errors.read_text()
        assert self.process.wait(TIMEOUT) == 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(TIMEOUT)


def _line(stream: object, timeout: float = TIMEOUT) -> str:
    """The next line of a subprocess's pipe, failing the test rather than hanging it."""
    found: list[str] = []
    reading = threading.Thread(target=lambda: found.append(stream.readline()), daemon=True)  # type: ignore[attr-defined]
    reading.start()
    reading.join(timeout)
    assert found, "the subprocess said nothing in time"
    return found[0].strip()


@pytest.fixture
def other(indexed_copy: Indexed) -> Iterator[OtherPresse]:
    """A new file in the corpus, and another process in the middle of indexing it."""
    indexed_copy.corpus.close()
    (indexed_copy.root / NEW_FILE).write_text(NEW_TEXT, encoding="utf-8")
    started = OtherPresse(indexed_copy.root, indexed_copy.index_dir)
    yield started
    started.stop()


def _presse(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PRESSE), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_reading_commands_work_while_another_presse_writes(
    indexed_copy: Indexed, other: OtherPresse
) -> None:
    where = (indexed_copy.root, "--index-dir", indexed_copy.index_dir)
    done = _presse("search", *where, "veto", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == 3  # the index as it was: no new article yet
    assert "another presse is updating this index" in done.stderr
    assert "Traceback" not in done.stderr
    exported = _presse("export", *where, "--json")
    assert exported.returncode == 0
    assert len(exported.stdout.splitlines()) == 5
    entities = _presse("entities", *where, "--json")
    assert entities.returncode == 0 and json.loads(entities.stdout)
    related = _presse("related", *where, "000", "1", "--json")
    assert related.returncode == 0, related.stderr
    other.finish()
    after = _presse("search", *where, NEW_WORD, "--json")
    assert (after.returncode, after.stderr) == (0, "")
    assert [hit["id"] for hit in json.loads(after.stdout)["results"]] == ["005_nouveau"]


def test_presse_index_waits_for_the_other_writer(indexed_copy: Indexed, other: OtherPresse) -> None:
    waiting = subprocess.Popen(
        [str(PRESSE), "index", indexed_copy.root, "--index-dir", indexed_copy.index_dir, "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _line(waiting.stderr) == "presse: waiting for another presse to finish indexing…"
        with pytest.raises(subprocess.TimeoutExpired):
            waiting.wait(0.5)  # still waiting, not failed
        other.finish()
        out, err = waiting.communicate(timeout=TIMEOUT)
    finally:
        if waiting.poll() is None:
            waiting.kill()
    assert (waiting.returncode, err) == (0, "")
    report = json.loads(out)
    # The other process indexed the new file; this one found everything current.
    assert (report["added"], report["articles"], report["unchanged"]) == ([], 6, 6)


def test_waiting_presse_index_stops_on_ctrl_c(indexed_copy: Indexed, other: OtherPresse) -> None:
    waiting = subprocess.Popen(
        [str(PRESSE), "index", indexed_copy.root, "--index-dir", indexed_copy.index_dir],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert "waiting for another presse" in _line(waiting.stderr)
        waiting.send_signal(signal.SIGINT)
        _out, err = waiting.communicate(timeout=TIMEOUT)
    finally:
        if waiting.poll() is None:
            waiting.kill()
    assert waiting.returncode == 130
    assert err.splitlines()[-1].startswith("presse: interrupted")
    assert "Traceback" not in err


async def _until_waiting(app: Any, pilot: Any) -> None:
    """Let the reader run until it says it waits for the other writer (10 s at most)."""
    for _ in range(200):
        await pilot.pause(0.05)
        if "another presse is updating" in app.sub_title:
            return


async def test_the_reader_shows_the_index_and_waits_for_the_other_writer(
    ready: Ready, tmp_path: Path
) -> None:
    (ready.root / NEW_FILE).write_text(NEW_TEXT, encoding="utf-8")
    other = OtherPresse(ready.root, ready.index_dir)
    try:
        app = ready.app()
        async with app.run_test(size=SIZE) as pilot:
            await _until_waiting(app, pilot)
            assert app.sub_title == "5 articles · another presse is updating the index…"
            notes = list(app._notifications)
            assert [n.title for n in notes] == ["Index busy"]
            assert notes[0].severity == "information"
            assert len(reader(pilot).summaries) == 5  # usable at once, on the index as it is
            await pilot.press("j", "j")
            assert app.is_running
            other.finish()
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            # It picked up what the other process did, without writing anything itself.
            assert app.sub_title == "6 articles · index up to date"
            assert "005_nouveau" in {summary.id for summary in reader(pilot).summaries}
            assert not [n for n in app._notifications if n.severity == "error"]
    finally:
        other.stop()


def test_the_other_process_holds_the_lock_while_paused(
    indexed_copy: Indexed, other: OtherPresse
) -> None:
    from index import IndexBusy
    from index.storage.lock import is_held

    assert is_held(indexed_copy.index_dir / LOCK_NAME)
    with pytest.raises(IndexBusy):
        indexed_copy.corpus.update()
    other.finish()
    assert not is_held(indexed_copy.index_dir / LOCK_NAME)


BOOKMARKER = """
import sys
from pathlib import Path
from index.storage.userdata import Bookmark, UserData

data = UserData(Path(sys.argv[1]))
print("ready", flush=True)
sys.stdin.readline()  # both start together
for n in range(int(sys.argv[3])):
    data.set_bookmark(Bookmark(sys.argv[2], n, note=f"note {n}"))
"""


def test_two_readers_bookmarking_at_once_lose_nothing(tmp_path: Path) -> None:
    UserData(tmp_path).set_bookmark(Bookmark("before", 0))
    count = 300
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", BOOKMARKER, str(tmp_path), name, str(count)],
            cwd=PROJECT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    assert [_line(writer.stdout) for writer in writers] == ["ready", "ready"]
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("\n")
        writer.stdin.flush()
    assert [writer.wait(TIMEOUT) for writer in writers] == [0, 0]
    keys = {bookmark.key for bookmark in UserData(tmp_path).bookmarks()}
    expected = {("before", 0)} | {(name, n) for name in ("first", "second") for n in range(count)}
    assert keys == expected


async def test_quitting_while_waiting_for_the_other_writer(ready: Ready) -> None:
    (ready.root / NEW_FILE).write_text(NEW_TEXT, encoding="utf-8")
    other = OtherPresse(ready.root, ready.index_dir)
    try:
        app = ready.app()
        async with app.run_test(size=SIZE) as pilot:
            await _until_waiting(app, pilot)
            assert "another presse is updating" in app.sub_title
            await pilot.press("q")
            await pilot.pause()
            # The waiting worker sees it is cancelled and ends, the lock still held.
            await asyncio.wait_for(pilot.app.workers.wait_for_complete(), timeout=5)
        assert not app.is_running
        assert other.process.poll() is None  # the other presse goes on, undisturbed
        other.finish()
    finally:
        other.stop()
