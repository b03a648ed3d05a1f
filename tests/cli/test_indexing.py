"""`presse index`: the report as JSON and as text, the default index folder, --procs,
--cluster (its errors; the runs on a real cluster are in tests/engine/test_cluster.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import index.corpus
from tests.cli.support import SEED_RELS, assert_one_clean_error, by_name, run, words
from tui.cli import main


def test_index_json(capsys, corpus_copy: Path, tmp_path: Path) -> None:
    args = ["index", corpus_copy, "--json", "--index-dir", tmp_path / "ix"]
    code, out, err = run(capsys, *args)
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["added"] == SEED_RELS
    assert (report["updated"], report["removed"], report["skipped"]) == ([], [], [])
    assert report["articles"] == 5

    code, out, _ = run(capsys, *args)
    again = json.loads(out)
    assert code == 0
    assert (again["added"], again["updated"], again["removed"]) == ([], [], [])
    assert again["unchanged"] == 5


def test_index_json_reports_skipped_files(capsys, corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "vide.txt").write_bytes(b"")
    code, out, _ = run(capsys, "index", corpus_copy, "--json", "--index-dir", tmp_path / "ix")
    assert code == 0
    report = json.loads(out)
    assert report["skipped"] == [{"path": "vide.txt", "reason": "empty file"}]
    assert report["added"] == SEED_RELS


def test_index_text(capsys, corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "vide.txt").write_bytes(b"")
    code, out, err = run(capsys, "index", corpus_copy, "--index-dir", tmp_path / "ix")
    assert code == 0
    assert "Traceback" not in out + err
    out = words(out)
    assert "5 articles" in out
    assert "5 added" in out
    assert "1 skipped" in out
    assert "vide.txt" in out and "empty file" in out


def test_index_uses_the_user_cache_by_default(capsys, corpus_copy: Path) -> None:
    cache = Path(os.environ["XDG_CACHE_HOME"])
    before = sorted(p.name for p in corpus_copy.iterdir())
    code, out, _ = run(capsys, "index", corpus_copy, "--json")
    assert code == 0
    assert json.loads(out)["added"] == SEED_RELS
    (index_dir,) = (cache / "presse").iterdir()
    assert (index_dir / "catalog.sqlite").is_file()
    assert sorted(p.name for p in corpus_copy.iterdir()) == before


def test_index_procs_is_passed_to_update(
    capsys, corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    real = index.corpus.Corpus.update

    def update(self, progress=None, cancelled=None, procs=1, cluster=None):  # type: ignore[no-untyped-def]
        seen.append(procs)
        return real(self, progress=progress, cancelled=cancelled, procs=1)

    monkeypatch.setattr(index.corpus.Corpus, "update", update)
    args = ["index", corpus_copy, "--json", "--index-dir", tmp_path / "ix", "--procs", "3"]
    code, out, _ = run(capsys, *args)
    assert code == 0
    assert json.loads(out)["added"] == SEED_RELS
    assert seen == [3]
    assert run(capsys, "index", corpus_copy, "--index-dir", tmp_path / "ix")[0] == 0
    assert seen == [3, 0]  # by default, the engine decides from the files it has to read


def test_index_procs_really_runs_processes(capsys, tmp_path: Path) -> None:
    corpus = tmp_path / "petit"
    corpus.mkdir()
    for n, name in enumerate(["Angela Merkel", "Emmanuel Macron", "Olaf Scholz"]):
        (corpus / f"{n}.txt").write_text(
            f"Une rencontre à Berlin\n\nLe dirigeant {name} a rencontré Vladimir Poutine"
            " à Moscou, selon le Kremlin.\n",
            encoding="utf-8",
        )
    code, out, err = run(
        capsys, "index", corpus, "--json", "--procs", "2", "--index-dir", tmp_path / "ix"
    )
    assert (code, err) == (0, "")
    assert json.loads(out)["added"] == ["0.txt", "1.txt", "2.txt"]
    listed = json.loads(
        run(capsys, "entities", corpus, "--json", "--index-dir", tmp_path / "ix")[1]
    )
    poutine = by_name(listed, "Vladimir Poutine")
    assert poutine["articles"] == ["0", "1", "2"]


@pytest.mark.parametrize("procs", ["0", "-2"])
def test_index_procs_must_be_positive(capsys, corpus_copy: Path, tmp_path: Path, procs) -> None:
    code, out, err = run(capsys, "index", corpus_copy, "--procs", procs, "--index-dir", tmp_path)
    assert code == 2
    assert_one_clean_error(code, out, err)


def test_index_help_documents_procs(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["index", "--help"])
    out = words(capsys.readouterr().out)
    assert "--procs N" in out and "processes" in out


def _nothing_listens() -> str:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{probe.getsockname()[1]}"


@pytest.mark.parametrize("address", ["nothing listens", "nonsense://x", "tcp://127.0.0.1:abc"])
def test_index_without_a_cluster_at_the_address_is_one_line(
    capsys, corpus_copy: Path, tmp_path: Path, address: str
) -> None:
    address = _nothing_listens() if address == "nothing listens" else address
    args = ["index", corpus_copy, "--cluster", address, "--index-dir", tmp_path / "ix"]
    code, out, err = run(capsys, *args)
    assert_one_clean_error(code, out, err)
    assert address in err and "Dask scheduler" in err
    assert code == 1


def test_index_procs_and_cluster_are_one_or_the_other(
    capsys, corpus_copy: Path, tmp_path: Path
) -> None:
    args = ["index", corpus_copy, "--procs", "2", "--cluster", "tcp://127.0.0.1:8786"]
    code, out, err = run(capsys, *args, "--index-dir", tmp_path)
    assert code == 2
    assert_one_clean_error(code, out, err)
    assert "choose one" in err


def test_index_help_documents_cluster(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["index", "--help"])
    out = words(capsys.readouterr().out)
    assert "--cluster ADDRESS" in out and "Dask" in out and "presse[cluster]" in out


def test_index_shows_a_bar_a_stage_on_a_terminal(
    capsys, corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal, the names the model finds have their own bar, count and time left,
    beside the files read: the reading bar no longer stalls at its last file."""
    from rich.console import Console
    from rich.progress import Progress

    from tui.cli import indexing

    bars: list[Progress] = []

    def progress_bar(stderr: Console) -> Progress:
        bars.append(indexing_bar(stderr))
        return bars[-1]

    indexing_bar = indexing.progress_bar
    monkeypatch.setattr("index.ingest.updating.BATCH_FILES", 2)
    monkeypatch.setattr(indexing, "progress_bar", progress_bar)
    monkeypatch.setattr(
        indexing, "console", lambda stderr=False: Console(stderr=stderr, force_terminal=True)
    )
    code, _, _ = run(capsys, "index", corpus_copy, "--index-dir", tmp_path / "ix")
    assert code == 0
    (bar,) = bars
    shown = {task.description: (task.completed, task.total) for task in bar.tasks}
    assert shown == {
        "reading files": (5, 5),
        "finding names": (5, 5),
        "grouping entities": (1, 1),
        "writing the index": (5, 5),
    }
    assert [c.__class__.__name__ for c in bar.columns][-1] == "TimeRemainingColumn"
