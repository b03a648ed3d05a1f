"""Where the benchmark finds its inputs and writes its results."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = REPO_ROOT / "bench-results"
CORPUS_ENV = "PRESSE_BENCH_CORPUS"


def shared_corpus() -> Path:
    """The real French corpus (read only): `$PRESSE_BENCH_CORPUS` or `../shared/corpus`."""
    override = os.environ.get(CORPUS_ENV)
    if override:
        return Path(override).expanduser().resolve()
    return REPO_ROOT.parent / "shared" / "corpus"


def corpus_files(root: Path) -> list[Path]:
    """The article files of a source corpus: its `.txt` files, sorted by name."""
    return sorted(path for path in root.glob("*.txt") if path.is_file())


def tree_bytes(root: Path) -> int:
    """The total size of the files under `root` (what it takes on disk, roughly)."""
    return sum(path.stat().st_size for path in root.rglob("*") if path.is_file())
