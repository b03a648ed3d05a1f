"""Faults: a writer killed at any moment, read-only folders, a full disk.

Read-only folders are real: the folders lose their write permission, and as
root (who writes anywhere) the CLI runs in a subprocess that first gives up
root's power to override permissions. A full disk is real where a small tmpfs can be mounted, and
simulated otherwise at the lowest layers (SQLite's own page limit, Whoosh's
file writes), so the engine's real code paths meet the error either way.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import random
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from whoosh.filedb.structfile import StructFile

from index import Corpus, StorageError
from index.entities.corrections import CorrectionLog
from index.storage.catalog import Catalog
from index.storage.userdata import BOOKMARKS_FILE, TEMPORARY_SUFFIX, Bookmark, UserData, write_json
from tests.conftest import PROJECT, Indexed, copy_index, copy_indexed
from tests.reader.support import SIZE, Ready, reader, settle

PRESSE = Path(sys.executable).parent / "presse"
ROOT = os.geteuid() == 0
PR_CAPBSET_DROP = 24  # prctl(2)
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2  # capabilities(7)
TIMEOUT = 120.0
NEW_WORD = "zygomatique"
# Free space left on the full tmpfs: enough to open the index, too little to update it.
ROOM_LEFT = 64 * 1024


def _new_article(n: int) -> str:
    return (
        f"Article nouveau {n}\n\n"
        f"Le débat {NEW_WORD} numéro {n} reprend au Conseil de sécurité, où la Russie a"
        " opposé son veto à une résolution sur la Corée du Nord.\n"
    )


# -- a writer killed at any moment ----------------------------------------------------------

# Writes bookmarks and corrections as fast as it can, each version one item longer.
WRITER = """
import sys
from pathlib import Path
from typing import Any
from index.entities.corrections import Correction, CorrectionLog
from index.storage.userdata import Bookmark, UserData

directory = Path(sys.argv[1])
data = UserData(directory)
log = CorrectionLog(directory / "corrections.json")
note = "une note assez longue pour que l'écriture prenne du temps. " * 40
b, c = len(data.bookmarks()), len(log.load())
print("writing", flush=True)
while True:
    data.set_bookmark(Bookmark("000_a", b, note=note))
    b += 1
    log.append(Correction("rename", f"entité {c}", f"nom {c}" * 50))
    c += 1
"""


def _check_whole(directory: Path) -> tuple[int, int]:
    """The files parse, and hold a version the writer wrote: items 0…k, none missing."""
    bookmarks = json.loads((directory / BOOKMARKS_FILE).read_text(encoding="utf-8"))
    passages = [item["passage"] for item in bookmarks["bookmarks"]]
    assert passages == list(range(len(passages)))
    corrections = CorrectionLog(directory / "corrections.json").load()  # raises if damaged
    assert [c.entity for c in corrections] == [f"entité {n}" for n in range(len(corrections))]
    return len(passages), len(corrections)


def test_a_writer_killed_at_any_moment_leaves_whole_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    randomly = random.Random(6)
    seen = (0, 0)
    for _ in range(30):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path)],
            cwd=PROJECT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
        time.sleep(randomly.uniform(0.0, 0.08))
        writer.kill()  # SIGKILL: no clean-up of any kind
        writer.wait(TIMEOUT)
        if not (tmp_path / BOOKMARKS_FILE).exists():
            continue  # killed before its first write was renamed into place
        counts = _check_whole(tmp_path)
        assert counts >= seen  # never older than what was already there
        seen = counts
    assert seen[0] > 0, "the writer never got to write"
    # Temporary files of killed writers are left; they are never read, and the next
    # write removes those old enough to be abandoned.
    monkeypatch.setattr("index.storage.userdata.LEFTOVER_AGE", 0.0)
    UserData(tmp_path).set_bookmark(Bookmark("001_b", 0))
    CorrectionLog(tmp_path / "corrections.json").undo()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(TEMPORARY_SUFFIX)]


def test_a_leftover_temporary_file_is_ignored_then_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_json(tmp_path / "history.json", {"version": 1, "queries": ["veto"]})
    leftover = tmp_path / f".history.json.x1y2z3{TEMPORARY_SUFFIX}"
    leftover.write_text('{"version": 1, "queries": ["half', encoding="utf-8")
    data = UserData(tmp_path)
    assert data.history() == ["veto"]
    data.add_query("Poutine")
    assert leftover.exists()  # young: it could be another writer's, still being filled
    old = time.time() - 3600
    os.utime(leftover, (old, old))
    data.add_query("munitions")
    assert not leftover.exists()
    assert UserData(tmp_path).history() == ["veto", "Poutine", "munitions"]


def test_writes_flush_the_file_and_its_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        mode = os.fstat(descriptor).st_mode
        synced.append("directory" if stat.S_ISDIR(mode) else "file")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    UserData(tmp_path).add_query("veto")
    assert synced == ["file", "directory"]
    synced.clear()
    from index.entities.corrections import Correction

    CorrectionLog(tmp_path / "corrections.json").append(Correction("hide", "Signe"))
    assert synced == ["file", "directory"]


# -- read-only folders ------------------------------------------------------------------------


def _read_only(path: Path) -> None:
    """`path` and all in it: readable by all, writable by none (but root)."""
    for folder, dirs, files in os.walk(path, topdown=False):
        for name in files:
            (Path(folder) / name).chmod(0o444)
        for name in dirs:
            (Path(folder) / name).chmod(0o555)
    path.chmod(0o555)


def _without_root_powers() -> None:
    """In the child, before it runs presse: drop the capabilities that let root write
    anywhere (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) from the bounding set, so that the
    program it runs meets permissions as any user would (root keeps its own uid, so the
    interpreter, under root's private home, stays reachable)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def _can_drop_root_powers() -> bool:
    if not ROOT:
        return True  # permissions apply already
    probe = subprocess.run(
        ["true"], preexec_fn=_without_root_powers, check=False, capture_output=True
    )
    return probe.returncode == 0


needs_permissions = pytest.mark.skipif(
    not _can_drop_root_powers(), reason="root here cannot give up its power to write anywhere"
)


def _presse_as_other(*args: str | Path, home: Path) -> subprocess.CompletedProcess[str]:
    """The CLI as a process that may not write what was made read-only."""
    return subprocess.run(
        [str(PRESSE), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        cwd=home,
        env={
            **os.environ,
            "HOME": str(home),
            "XDG_CACHE_HOME": str(home / "cache"),
            "COLUMNS": "200",
        },
        preexec_fn=_without_root_powers if ROOT else None,
    )


@pytest.fixture
def setting(indexed: Indexed, tmp_path: Path) -> Iterator[tuple[Path, Path, Path]]:
    """A copy of the seeds, a copy of their current index, and a home folder."""
    root, index_dir = copy_indexed(indexed, tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    yield root, index_dir, home
    for folder, _dirs, _files in os.walk(tmp_path):
        Path(folder).chmod(0o755)  # so that pytest can clean up


def _snapshot(path: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(path)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(path.rglob("*"))
    }


@needs_permissions
def test_a_read_only_corpus_folder_is_only_read(setting: tuple[Path, Path, Path]) -> None:
    root, index_dir, home = setting
    first = sorted(root.glob("*.txt"))[0]
    first.write_text(_new_article(0), encoding="utf-8")  # one file for the model to read
    _read_only(root)
    before = _snapshot(root)
    where = (root, "--index-dir", index_dir)
    done = _presse_as_other("index", *where, "--json", home=home)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    report = json.loads(done.stdout)
    assert (report["updated"], report["articles"]) == ([first.name], 5)
    found = _presse_as_other("search", *where, NEW_WORD, "--json", home=home)
    assert (found.returncode, found.stderr) == (0, "")
    assert json.loads(found.stdout)["total"] == 1
    exported = _presse_as_other("export", *where, "--json", home=home)
    assert exported.returncode == 0 and len(exported.stdout.splitlines()) == 5
    assert _snapshot(root) == before


@needs_permissions
def test_an_index_folder_that_cannot_be_written_is_one_clear_line(
    setting: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    root, _index_dir, home = setting
    locked = tmp_path / "locked"
    locked.mkdir()
    _read_only(locked)
    for index_dir in (locked, locked / "sub" / "index"):  # not writable; not creatable
        expected = (
            f"presse: cannot write the index in {index_dir}: permission denied;"
            " use --index-dir to put it elsewhere\n"
        )
        for args in (("index", root), ("search", root, "veto"), (root,)):  # (root,): the reader
            done = _presse_as_other(*args, "--index-dir", index_dir, home=home)
            assert (done.returncode, done.stdout, done.stderr) == (2, "", expected), args


@needs_permissions
def test_a_current_index_in_a_read_only_folder_is_read(setting: tuple[Path, Path, Path]) -> None:
    root, index_dir, home = setting
    (index_dir / "update.lock").unlink(missing_ok=True)
    _read_only(index_dir)
    before = _snapshot(index_dir)
    where = (root, "--index-dir", index_dir)
    found = _presse_as_other("search", *where, "veto", "--json", home=home)
    assert (found.returncode, found.stderr) == (0, "")
    assert json.loads(found.stdout)["total"] == 3
    indexed = _presse_as_other("index", *where, "--json", home=home)
    assert (indexed.returncode, indexed.stderr) == (0, "")
    assert json.loads(indexed.stdout)["unchanged"] == 5
    related = _presse_as_other("related", *where, "000", "1", "--json", home=home)
    assert related.returncode == 0 and json.loads(related.stdout)["results"]
    # A new file: the index cannot take it; reading still works, on the index as it is.
    root.chmod(0o755)
    (root / "005_nouveau.txt").write_text(_new_article(5), encoding="utf-8")
    refused = _presse_as_other("index", *where, home=home)
    assert refused.returncode == 2
    assert refused.stderr == (
        f"presse: cannot write the index in {index_dir}: permission denied;"
        " use --index-dir to put it elsewhere\n"
    )
    found = _presse_as_other("search", *where, "veto", "--json", home=home)
    assert found.returncode == 0 and json.loads(found.stdout)["total"] == 3
    assert "cannot be written and is not up to date" in found.stderr
    assert _snapshot(index_dir) == before


# -- a full disk ------------------------------------------------------------------------------


def _add_articles(root: Path, count: int) -> None:
    for n in range(count):
        (root / f"1{n:02d}_nouveau.txt").write_text(_new_article(n), encoding="utf-8")


def _assert_usable(corpus: Corpus) -> None:
    """The index as the last commits left it, whole: the seeds and whatever batches of new
    files were committed before the disk filled, every article readable, every hit an
    article of the catalog."""
    ids = {summary.id for summary in corpus.articles()}
    assert len(ids) >= 5
    assert all(corpus.article(doc_id).passages for doc_id in ids)
    assert corpus.search("veto").total >= 3
    for query in ("veto", NEW_WORD):
        assert {hit.id for hit in corpus.search(query, limit=100).results} <= ids


def test_sqlite_full_rolls_back_and_says_so(
    indexed_copy: Indexed, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_articles(indexed_copy.root, 3)
    begin = Catalog.begin

    def begin_with_no_room(catalog: Catalog) -> None:
        # SQLite's own limit: the database may not grow by a page (SQLITE_FULL).
        pages = catalog._db.execute("PRAGMA page_count").fetchone()[0]
        catalog._db.execute(f"PRAGMA max_page_count = {pages}")
        begin(catalog)

    monkeypatch.setattr(Catalog, "begin", begin_with_no_room)
    corpus = Corpus(indexed_copy.root, indexed_copy.index_dir, entities=False)
    with pytest.raises(StorageError) as caught:
        corpus.update()
    assert str(caught.value).startswith(f"no space left in {indexed_copy.index_dir}")
    corpus.close()
    monkeypatch.undo()
    again = Corpus(indexed_copy.root, indexed_copy.index_dir, entities=False)
    _assert_usable(again)
    assert len(again.articles()) == 5  # the batch was rolled back whole
    assert again.update().added == [f"1{n:02d}_nouveau.txt" for n in range(3)]
    assert again.search(NEW_WORD).total == 3
    again.close()


def _whoosh_disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    def write(self: StructFile, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(StructFile, "write", write)


def test_whoosh_full_cancels_its_writer(
    indexed_copy: Indexed, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_articles(indexed_copy.root, 2)
    corpus = Corpus(indexed_copy.root, indexed_copy.index_dir, entities=False)
    _whoosh_disk_full(monkeypatch)
    with pytest.raises(StorageError, match=r"^no space left in "):
        corpus.update()
    monkeypatch.undo()
    _assert_usable(corpus)
    # Whoosh's own lock was released: the same process updates once there is room.
    corpus.update()
    assert len(corpus.articles()) == 7
    assert corpus.search(NEW_WORD).total == 2
    corpus.close()


async def test_the_reader_says_the_disk_is_full_and_goes_on(
    ready: Ready, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_articles(ready.root, 2)
    _whoosh_disk_full(monkeypatch)
    app = ready.app()
    async with app.run_test(size=SIZE) as pilot:
        # (One worker fails: no settle, which would raise its error.)
        deadline = time.monotonic() + TIMEOUT
        while not app.index_started or any(worker.is_running for worker in app.workers):
            assert time.monotonic() < deadline, "the reader's workers never ended"
            await pilot.pause(0.05)
        await pilot.pause()
        errors = [n for n in app._notifications if n.severity == "error"]
        assert [n.title for n in errors] == ["The index was not updated"]
        assert errors[0].message.startswith("no space left in ")
        # The new articles were committed to the catalog before the search index failed:
        # listed as their batch came in, readable, searchable after the next update.
        assert app.sub_title == "7 articles · index not updated"
        await pilot.press("j", "tab", "j")
        await pilot.pause(0.2)
        assert app.is_running and len(reader(pilot).summaries) == 7


@contextlib.contextmanager
def _tmpfs(path: Path, size: str) -> Iterator[Path]:
    path.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here: the simulated full disk tests stand in")
    try:
        yield path
    finally:
        # Lazily: a file still open (a failed test's corpus) must not keep it mounted.
        subprocess.run(["umount", "--lazy", str(path)], check=False)


@pytest.mark.skipif(not ROOT or not shutil.which("mount"), reason="mounting needs root")
def test_a_really_full_disk(indexed: Indexed, tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(indexed.root, root)
    count = 100
    with _tmpfs(tmp_path / "disk", "4m") as disk:
        index_dir = disk / "index"
        copy_index(indexed.index_dir, index_dir)
        Corpus(root, index_dir, entities=False).close()
        _add_articles(root, count)
        filler = disk / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as out:
            while True:
                out.write(b"\0" * 4096)
                out.flush()
        # Room for a reader's shared-memory file (SQLite's WAL index), not for the update.
        os.truncate(filler, filler.stat().st_size - ROOM_LEFT)
        done = subprocess.run(
            [str(PRESSE), "index", root, "--index-dir", index_dir],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith(f"presse: no space left in {index_dir}")
        assert "Traceback" not in done.stderr
        corpus = Corpus(root, index_dir, entities=False)
        try:
            _assert_usable(corpus)
            filler.unlink()
            corpus.update()
            assert len(corpus.articles()) == 5 + count
            assert corpus.search(NEW_WORD, limit=0).total == count  # each once: none half-done
        finally:
            corpus.close()


async def test_the_reader_reads_an_index_it_cannot_write(
    ready: Ready, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (The CLI tests above meet real permissions; here only the answer to "may I write
    # there?" is forced, for the reader in this process. The catalog and Whoosh are
    # then opened read-only for real.)
    access = os.access

    def no_write_in_the_index(path: Any, mode: int) -> bool:
        if Path(path) == ready.index_dir and mode & os.W_OK:
            return False
        return access(path, mode)

    monkeypatch.setattr(os, "access", no_write_in_the_index)
    _add_articles(ready.root, 1)
    before = _snapshot(ready.index_dir)
    app = ready.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        (notice,) = app._notifications
        assert (notice.title, notice.severity) == ("Read-only index", "warning")
        assert app.sub_title == "5 articles · read-only index"
        await pilot.press("j", "tab", "j")
        await settle(pilot)
        assert app.is_running and len(reader(pilot).summaries) == 5

    def data(snapshot: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
        # (Not SQLite's shared-memory file, nor an empty write-ahead log: the directory is
        # writable in truth here, and reading a WAL database may create both, empty.)
        return {
            name: value
            for name, value in snapshot.items()
            if not name.endswith("-shm") and not (name.endswith("-wal") and value[0] == 0)
        }

    assert data(_snapshot(ready.index_dir)) == data(before)
