"""Section `tiny`: a corpus of many tiny files (issue 6: 100,000 files of 1–3 sentences).

What it shows is the cost per file rather than per character: the scan, one
catalog row and one Whoosh document per file. Three figures: the first ingest
without the entity model (wall and CPU time, files per second), its peak
memory, and the update of the unchanged corpus, in the same process and in a
cold one (it only stats the files, so it must stay well under a few seconds).

    python -m tests.bench.tiny OUT_DIR --count 100000    # only writes the files
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from pathlib import Path

from tests.bench import child
from tests.bench.proc import run_module, run_python
from tests.bench.report import Report

DEFAULT_TINY_COUNT = 100_000
FILES_PER_FOLDER = 1_000
# The no-change update of 100,000 files: a scan and one catalog read.
MAX_TINY_REINDEX_SECONDS = 3.0

_SUBJECTS = (
    "Le ministre de l'Économie",
    "La présidente de la région",
    "Le porte-parole du gouvernement",
    "Une délégation de l'ONU",
    "Le maire de Lyon",
    "La Banque centrale européenne",
)
_VERBS = ("a annoncé", "a démenti", "a confirmé", "a évoqué", "a présenté")
_OBJECTS = (
    "un plan d'investissement de {n} millions d'euros",
    "la fermeture de {n} écoles rurales",
    "un accord sur le prix de l'énergie pour {n} foyers",
    "la réouverture de la ligne ferroviaire numéro {n}",
    "une hausse de {n} % du budget de la culture",
)


def make_tiny_corpus(folder: Path, count: int, seed: int = 0) -> Path:
    """Write `count` articles of one to three sentences, FILES_PER_FOLDER a folder.

    Each has a number of its own (`dépêche 123`), so that every file is distinct.
    """
    rng = random.Random(seed)
    for n in range(count):
        sub = folder / f"{n // FILES_PER_FOLDER:04d}"
        if n % FILES_PER_FOLDER == 0:
            sub.mkdir(parents=True, exist_ok=True)
        sentences = [
            f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} "
            f"{rng.choice(_OBJECTS).format(n=rng.randint(2, 900))}."
            for _ in range(rng.randint(1, 3))
        ]
        (sub / f"depeche-{n:06d}.txt").write_text(
            f"Dépêche {n}\n\n{' '.join(sentences)}\n", encoding="utf-8"
        )
    return folder


def bench_tiny(report: Report, work: Path, count: int) -> None:
    """Ingest `count` tiny files (no entity model) in a child; then re-index, warm and cold."""
    root = make_tiny_corpus(work / "tiny", count)
    index_dir = work / "index-tiny"
    data = run_module("tests.bench.child", "ingest", str(root), str(index_dir)).data
    section = f"tiny files ({count:,})"
    seconds = data["seconds"]
    report.add(
        section,
        "update(), no entities: wall (CPU)",
        seconds,
        f"{seconds:.1f} s ({data['cpu_seconds']:.1f} s)",
    )
    report.add(section, "files/s", count / seconds, f"{count / seconds:,.0f}/s")
    report.add(
        section,
        "articles indexed",
        data["articles"],
        f"{data['articles']:,}",
        f"{count:,}",
        data["articles"] == count and not data["skipped"],
    )
    report.add(
        section, "peak memory (max RSS)", data["peak_rss_mb"], f"{data['peak_rss_mb']:.0f} MB"
    )
    target = f"< {MAX_TINY_REINDEX_SECONDS:.0f} s"
    warm = data["reindex_seconds"]
    report.add(
        section,
        "2nd update(), warm",
        warm,
        f"{warm:.2f} s",
        target,
        warm < MAX_TINY_REINDEX_SECONDS and not data["reindex_changed"],
    )
    cold = run_python(["-c", child.COLD_REINDEX, str(root), str(index_dir)])
    seconds = cold.data["update_seconds"]
    report.add(
        section,
        "update(), cold process",
        seconds,
        f"{seconds:.2f} s (whole run {cold.wall_seconds:.1f} s)",
        target,
        seconds < MAX_TINY_REINDEX_SECONDS and not cold.data["changed"],
    )
    report.details["tiny"] = {"count": count, "ingest": data, "cold_reindex": cold.data}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.tiny")
    parser.add_argument("out", type=Path, help="folder to write the files into")
    parser.add_argument("--count", type=int, default=DEFAULT_TINY_COUNT)
    args = parser.parse_args(argv)
    make_tiny_corpus(args.out, args.count)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
