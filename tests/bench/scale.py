"""The scale section: presse on 10,000 articles generated from ../shared/corpus.

1. a full ingest with the entity model in `--procs` processes, against spaCy's
   own `nlp.pipe` over the same texts with the same number of processes (only
   the NER component loaded), measured in the same run, each in a child process;
2. the index size on disk, as a multiple of the corpus;
3. adding one article to the indexed corpus with `presse index` (a cold process,
   the model loaded with it), and the run after it, when nothing changed;
4. search latency on the 10,000-article index.

The reading figures on the same index (related passages, start-up, the reader's
memory) come from the `related` and `startup` sections, run with `--scale`.

    python -m tests.bench.scale raw-ner CORPUS --procs N
    python -m tests.bench.scale ingest CORPUS INDEX_DIR --procs N
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from tests.bench.make_corpus import make_corpus
from tests.bench.paths import tree_bytes
from tests.bench.proc import emit, run_module
from tests.bench.report import Report
from tests.bench.timing import stopwatch

DEFAULT_SCALE_COUNT = 10_000
DEFAULT_PROCS = 2
MIN_NER_RATIO = 0.80
MAX_ADD_ONE_SECONDS = 3.0
MB = 1024 * 1024


def _texts(root: Path) -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(root.glob("*.txt"))]


def raw_ner(root: Path, procs: int) -> None:
    """In a child: spaCy alone over the corpus's texts, NER only, `procs` processes."""
    import spacy

    from index.entities.ner import MODEL

    texts = _texts(root)
    nlp = spacy.load(MODEL, exclude=["tok2vec", "morphologizer", "parser", "senter",
                                     "attribute_ruler", "lemmatizer"])  # fmt: skip
    cpu = time.process_time()
    with stopwatch() as lap:
        entities = sum(len(doc.ents) for doc in nlp.pipe(texts, n_process=procs))
    emit(
        {
            "seconds": lap.seconds,
            "cpu_seconds": time.process_time() - cpu,
            "chars": sum(map(len, texts)),
            "texts": len(texts),
            "entities": entities,
            "pipes": list(nlp.pipe_names),
        }
    )


def ingest(root: Path, index_dir: Path, procs: int) -> None:
    """In a child: presse's whole ingest, entities included, into a new index."""
    from index import Corpus

    chars = sum(map(len, _texts(root)))
    cpu = time.process_time()
    with stopwatch() as lap:
        corpus = Corpus(root, index_dir)
        report = corpus.update(procs=procs)
    cpu = time.process_time() - cpu
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # (the pool's, ended with it)
    emit(
        {
            "seconds": lap.seconds,
            "cpu_seconds": cpu,
            "workers_cpu_seconds": workers.ru_utime + workers.ru_stime,
            "chars": chars,
            "articles": report.articles,
            "skipped": len(report.skipped),
            "entities": len(corpus.entities()),
        }
    )


def _cli(*args: str) -> tuple[float, str]:
    """Run `presse ARGS` in a new process; its wall time and its output."""
    import subprocess

    with stopwatch() as lap:
        done = subprocess.run(
            [sys.executable, "-c", "from tui.cli import main; raise SystemExit(main())", *args],
            capture_output=True,
            text=True,
            check=True,
        )
    return lap.seconds, done.stdout


def bench_scale(report: Report, work: Path, count: int, procs: int) -> tuple[Path, Path]:
    """Run the section; return the corpus and its index, for the reading sections."""
    root = work / f"scale-{count}"
    index_dir = work / f"scale-{count}-index"
    spare = work / f"scale-{count}-spare"
    make_corpus(root, count + 1)
    spare.mkdir()
    newest = sorted(root.glob("*.txt"))[-1]  # kept out, to be added at the end
    shutil.move(newest, spare / newest.name)
    section = f"scale ({count:,} articles, {procs} processes)"

    raw = run_module("tests.bench.scale", "raw-ner", str(root), "--procs", str(procs),
                     timeout=7200).data  # fmt: skip
    run = run_module("tests.bench.scale", "ingest", str(root), str(index_dir),
                     "--procs", str(procs), timeout=7200).data  # fmt: skip
    raw_rate = raw["chars"] / raw["seconds"]
    rate = run["chars"] / run["seconds"]
    ratio = rate / raw_rate
    report.add(
        section,
        "full ingest with NER ÷ raw nlp.pipe NER",
        ratio,
        f"{ratio:.0%}: {rate / 1000:.0f} k vs {raw_rate / 1000:.0f} k chars/s"
        f" ({run['seconds']:.0f} s vs {raw['seconds']:.0f} s)",
        f"≥ {MIN_NER_RATIO:.0%}",
        ratio >= MIN_NER_RATIO,
    )
    report.add(section, "articles indexed", run["articles"], f"{run['articles']:,}")
    report.add(section, "ingest peak memory (main process)", run["peak_rss_mb"],
               f"{run['peak_rss_mb']:.0f} MB")  # fmt: skip
    index_bytes, corpus_bytes = tree_bytes(index_dir), tree_bytes(root)
    multiple = index_bytes / corpus_bytes
    report.add(
        section,
        "index size on disk",
        multiple,
        f"{index_bytes / MB:.0f} MB = {multiple:.1f}× the corpus ({corpus_bytes / MB:.0f} MB)",
    )

    shutil.move(spare / newest.name, root / newest.name)
    added, out = _cli("index", str(root), "--index-dir", str(index_dir), "--procs", "1")
    report.add(
        section,
        "add one article (`presse index`, cold)",
        added,
        f"{added:.2f} s",
        f"< {MAX_ADD_ONE_SECONDS:.0f} s",
        added < MAX_ADD_ONE_SECONDS and "1 added" in out,
    )
    again, _ = _cli("index", str(root), "--index-dir", str(index_dir))
    report.add(section, "then nothing to do (`presse index`, cold)", again, f"{again:.2f} s")
    report.details["scale"] = {"raw": raw, "presse": run, "add_one_s": added, "again_s": again}
    return root, index_dir


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.scale")
    steps = parser.add_subparsers(dest="step", required=True)
    raw = steps.add_parser("raw-ner")
    raw.add_argument("corpus", type=Path)
    raw.add_argument("--procs", type=int, default=DEFAULT_PROCS)
    run = steps.add_parser("ingest")
    run.add_argument("corpus", type=Path)
    run.add_argument("index_dir", type=Path)
    run.add_argument("--procs", type=int, default=DEFAULT_PROCS)
    args = parser.parse_args(argv)
    if args.step == "raw-ner":
        raw_ner(args.corpus, args.procs)
    else:
        ingest(args.corpus, args.index_dir, args.procs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
