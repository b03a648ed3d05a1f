"""Index runs stopped at any point (`kill -9`, ctrl+c, the reader closing): the next
run ends with a complete, correct index (no stale lock, no half-written article, no
document twice).

The kill tests really kill a process with SIGKILL. Some kills land at chosen
moments of the run (a child process wraps one function of the engine to kill
itself just before or after it), the others at random times of a `presse index`
run. ctrl+c is a real SIGINT to `presse index`. After each stop, an update in
this process must finish the work, and the index must equal one built in a
single uninterrupted run.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest

from index import Corpus, Progress
from index.corpus import CATALOG_NAME, LOCK_NAME
from index.storage.catalog import Catalog
from index.storage.lock import exclusive
from tests.conftest import PROJECT, SEEDS_DIR

VARIANTS = 7  # copies of each seed, each a little different: 40 files in all


def _make_corpus(root: Path) -> Path:
    """The seeds and variants of them (another first line, a changed number)."""
    root.mkdir()
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        (root / path.name).write_text(text, encoding="utf-8")
        for n in range(1, VARIANTS + 1):
            variant = f"Dépêche {n} : {text.splitlines()[0]}\n{text}\nMise à jour {n}.\n"
            (root / f"{path.stem}_v{n}.txt").write_text(variant, encoding="utf-8")
    return root


def _state(root: Path, index_dir: Path) -> dict[str, object]:
    """All that a reader can see of an index, and its consistency checks."""
    corpus = Corpus(root, index_dir)
    catalog = Catalog(index_dir / CATALOG_NAME)
    try:
        articles = {a.id: (a.title, a.text, a.passages) for a in corpus.iter_articles()}
        with corpus._index("articles").searcher() as searcher:
            whoosh_ids = Counter(fields["id"] for fields in searcher.all_stored_fields())
        with corpus._index("passages").searcher() as searcher:
            passage_ids = Counter(fields["id"] for fields in searcher.all_stored_fields())
        return {
            "articles": articles,
            "whoosh": whoosh_ids,
            "passages": passage_ids,
            "veto": sorted(hit.id for hit in corpus.search("veto", limit=100).results),
            "entities": sorted((e.name, e.label, e.articles) for e in corpus.entities()),
            "mentions": sorted(
                (a.id, m.start, m.end, m.entity) for a in corpus.iter_articles() for m in a.mentions
            ),
            "unsynced": catalog.unsynced(),
            "vocabulary": catalog.vocabulary(),
        }
    finally:
        catalog.close()
        corpus.close()


def _assert_complete(root: Path, index_dir: Path, reference: dict[str, object]) -> None:
    corpus = Corpus(root, index_dir)
    with exclusive(index_dir / LOCK_NAME):  # no stale lock: taken at once
        pass
    corpus.update()
    corpus.close()
    state = _state(root, index_dir)
    whoosh = state["whoosh"]
    passages = state["passages"]
    assert isinstance(whoosh, Counter) and isinstance(passages, Counter)
    assert max(whoosh.values()) == 1, "an article is twice in the index"
    assert max(passages.values()) == 1, "a passage is twice in the index"
    assert state == reference


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The index of the test corpus built by one run that nothing interrupted."""
    root = _make_corpus(tmp_path_factory.mktemp("reference") / "corpus")
    index_dir = root.parent / "index"
    Corpus(root, index_dir).update()
    state = _state(root, index_dir)
    articles = state["articles"]
    assert isinstance(articles, dict) and len(articles) == 5 * (VARIANTS + 1)
    return state


@pytest.fixture
def work(tmp_path: Path) -> tuple[Path, Path]:
    return _make_corpus(tmp_path / "corpus"), tmp_path / "index"


# A child process that indexes with small batches (many commits), and kills itself
# with SIGKILL at the N-th call of one engine function, before or after it runs.
_CHILD = textwrap.dedent(
    """
    import os, signal, sys
    import index.ingest.updating
    from index import Corpus, Progress

    root, index_dir, target, when, nth, procs = sys.argv[1:7]
    index.ingest.updating.BATCH_FILES = 4
    index.ingest.updating.SYNC_ARTICLES = 12
    module_name, _, path = target.partition(":")
    owner = __import__(module_name, fromlist=["_"])
    *parents, attribute = path.split(".")
    for name in parents:
        owner = getattr(owner, name)
    real = getattr(owner, attribute)
    calls = 0

    def wrapped(*args, **kwargs):
        global calls
        calls += 1
        if calls == int(nth) and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = real(*args, **kwargs)
        if calls == int(nth) and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(owner, attribute, wrapped)
    Corpus(root, index_dir).update(procs=int(procs))
    sys.exit(3)  # not killed: the test's kill point was never reached
    """
)


def _run_killed(root: Path, index_dir: Path, target: str, when: str, nth: int, procs: int) -> None:
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            _CHILD,
            str(root),
            str(index_dir),
            target,
            when,
            str(nth),
            str(procs),
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]


# (function, before/after its call, which call): the moments of a run worth a kill.
KILL_POINTS = [
    # between two batch commits of the catalog, and in the middle of one
    ("index.storage.catalog:Catalog.commit", "after", 3),
    ("index.storage.catalog:Catalog.add_fingerprints", "after", 9),
    # while Whoosh documents are being written, before Whoosh commits
    ("index.storage.store:documents", "after", 7),
    # between the two Whoosh commits (passages, then articles)
    ("whoosh.writing:SegmentWriter.commit", "after", 1),
    # after Whoosh committed, before the catalog says so
    ("whoosh.writing:SegmentWriter.commit", "after", 2),
    # in the middle of the entity pass over the corpus
    ("index.entities.entity_pass:KnownNames.__init__", "after", 1),
]


@pytest.mark.parametrize(("target", "when", "nth"), KILL_POINTS)
def test_a_run_killed_at_a_chosen_moment_is_finished_by_the_next(
    work: tuple[Path, Path], reference: dict[str, object], target: str, when: str, nth: int
) -> None:
    root, index_dir = work
    _run_killed(root, index_dir, target, when, nth, procs=1)
    _assert_complete(root, index_dir, reference)


def _processes_marked(mark: str) -> list[int]:
    """The processes whose environment holds `mark` (a child and all it started)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if mark.encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_a_run_with_worker_processes_killed_midway_is_finished_by_the_next(
    work: tuple[Path, Path], reference: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, index_dir = work
    mark = f"presse-test-{os.getpid()}-{time.time_ns()}"
    monkeypatch.setenv("PRESSE_TEST_MARK", mark)
    _run_killed(root, index_dir, "index.storage.catalog:Catalog.commit", "after", 5, procs=2)
    # The model's workers see their parent gone and end too: no orphan keeps a model.
    deadline = time.monotonic() + 20
    while _processes_marked(mark) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_marked(mark) == []
    _assert_complete(root, index_dir, reference)


def test_runs_killed_at_random_moments_end_in_a_complete_index(
    work: tuple[Path, Path], reference: dict[str, object]
) -> None:
    """`presse index` killed again and again at random times, then run to the end."""
    root, index_dir = work
    rng = random.Random(6)
    command = [sys.executable, "-c", "from tui.cli import main; raise SystemExit(main())"]
    command += ["index", str(root), "--index-dir", str(index_dir)]
    for _ in range(4):
        process = subprocess.Popen(
            command, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.5, 6.0))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    _assert_complete(root, index_dir, reference)


def test_a_cancelled_update_keeps_the_batches_done_and_the_next_goes_on(
    work: tuple[Path, Path], reference: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the reader does when it closes in the middle of an update."""
    import index.ingest.updating

    root, index_dir = work
    monkeypatch.setattr(index.ingest.updating, "BATCH_FILES", 4)
    read: list[str] = []

    def progressed(step: Progress) -> None:
        if step.path:
            read.append(step.path)

    corpus = Corpus(root, index_dir)
    report = corpus.update(progress=progressed, cancelled=lambda: len(read) >= 8)
    assert len(report.added) == 8
    assert report.notes == ["interrupted after 8 of 40 files; the next update goes on"]
    assert not corpus.is_current()
    read.clear()
    report = corpus.update(progress=progressed)
    assert len(report.added) == 32
    assert len(read) == 32  # the first eight are not read again
    corpus.close()
    _assert_complete(root, index_dir, reference)


def test_ctrl_c_stops_presse_index_which_goes_on_next_time(
    work: tuple[Path, Path], reference: dict[str, object]
) -> None:
    root, index_dir = work
    command = [sys.executable, "-c", "from tui.cli import main; raise SystemExit(main())"]
    command += ["index", str(root), "--index-dir", str(index_dir), "--json"]
    process = subprocess.Popen(
        command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    catalog = index_dir / CATALOG_NAME
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not _committed_some(catalog):
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted" in err and "goes on" in err
    assert "Traceback" not in err
    done = Corpus(root, index_dir).update()
    assert len(done.added) < 40  # what the stopped run committed is not read again
    _assert_complete(root, index_dir, reference)


def _committed_some(catalog: Path) -> bool:
    """Whether a batch of files is in the catalog already."""
    if not catalog.exists():
        return False
    try:
        with closing(sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)) as db:
            return bool(db.execute("SELECT count(*) FROM files").fetchone()[0])
    except sqlite3.Error:
        return False
