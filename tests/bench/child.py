"""The benchmark steps that run in a child process of their own.

    python -m tests.bench.child ingest CORPUS INDEX_DIR [--warmup CORPUS WARM_INDEX_DIR]
    python -m tests.bench.child raw CORPUS PRESSE_INDEX_DIR RAW_INDEX_DIR
    python -m tests.bench.child build CORPUS INDEX_DIR [--no-entities]
    python -m tests.bench.child wire CORPUS INDEX_DIR

Each prints one `BENCH-JSON {...}` line (see `tests.bench.proc`) with its
timings and its peak memory. A fresh process per step keeps the figures apart:
no warm caches, no memory left over from the step before.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.bench.proc import current_rss_mb, emit
from tests.bench.timing import stopwatch

HEAVY_MODULES = ("spacy", "py3langid", "trafilatura")

# Run as `python -c COLD_REINDEX CORPUS INDEX_DIR`: a cold process that only
# opens a current index and updates it, as `presse CORPUS` does at start-up.
COLD_REINDEX = f"""
import json, sys, time
t0 = time.perf_counter()
from index import Corpus
t1 = time.perf_counter()
corpus = Corpus(sys.argv[1], sys.argv[2])
t2 = time.perf_counter()
report = corpus.update()
t3 = time.perf_counter()
heavy = [m for m in {HEAVY_MODULES!r} if m in sys.modules]
print("BENCH-JSON " + json.dumps({{
    "import_seconds": t1 - t0, "open_seconds": t2 - t1, "update_seconds": t3 - t2,
    "changed": report.changed, "articles": report.articles, "heavy_imported": heavy,
    "ingest_module_loaded": "index.ingest.reading" in sys.modules,
}}))
"""


def ingest(root: Path, index_dir: Path, warmup: Sequence[Path] | None) -> None:
    """A full `Corpus.update()` into a fresh index, then a second one (nothing to do).

    Without the entity model: this measures ingest itself (the NER section measures
    the model and the entity pipeline on their own).
    """
    from index import Corpus

    rss_start = current_rss_mb()
    warmup_seconds = 0.0
    if warmup:  # load the parsing modules and the language model before the clock starts
        with stopwatch() as lap:
            Corpus(warmup[0], warmup[1], entities=False).update()
        warmup_seconds = lap.seconds
    gc.collect()
    rss_before = current_rss_mb()
    with stopwatch() as open_lap:
        corpus = Corpus(root, index_dir, entities=False)
    cpu = time.process_time()
    with stopwatch() as lap:
        report = corpus.update()
    cpu = time.process_time() - cpu
    with stopwatch() as again:
        second = corpus.update()
    summaries = corpus.articles()
    chars = sum(len(corpus.article(s.id).text) for s in summaries)
    emit(
        {
            "rss_start_mb": rss_start,
            "rss_before_mb": rss_before,
            "warmup_seconds": warmup_seconds,
            "open_seconds": open_lap.seconds,
            "seconds": lap.seconds,
            "cpu_seconds": cpu,
            "articles": len(summaries),
            "added": len(report.added),
            "skipped": [f"{s.path}: {s.reason}" for s in report.skipped],
            "chars": chars,
            "reindex_seconds": again.seconds,
            "reindex_changed": second.changed,
            "heavy_imported": [m for m in HEAVY_MODULES if m in sys.modules],
        }
    )


def raw(root: Path, presse_index: Path, raw_index: Path) -> None:
    """The same texts indexed by bare Whoosh: one writer, one commit per index.

    Two timings: the article texts alone (one document per article, positions
    for phrases), and the same documents presse writes (those articles, plus
    one document per passage without positions, in a second index). Each
    index has a single text field and presse's analyzer; no id, no catalog,
    no decoding or cleaning: what Whoosh itself costs for the same job.
    """
    from whoosh import index as whoosh_index
    from whoosh.fields import TEXT, Schema

    from index import Corpus
    from index.analysis import french_analyzer

    corpus = Corpus(root, presse_index, entities=False)
    articles = [corpus.article(s.id) for s in corpus.articles()]
    corpus.close()
    texts = [article.text for article in articles]
    passages = [a.passage_text(p) for a in articles for p in a.passages]
    list(french_analyzer()("chargement du stemmer"))  # import the stemmer outside the clock
    gc.collect()
    rss_before = current_rss_mb()

    def index_texts(folder: Path, field: Any, values: list[str]) -> float:
        folder.mkdir(parents=True, exist_ok=True)
        whoosh_index.create_in(str(folder), Schema(text=field))
        # Reopened as presse reopens its index: the analyzer comes back unpickled,
        # with a cold word cache.
        ix = whoosh_index.open_dir(str(folder))
        with stopwatch() as lap:
            writer = ix.writer()
            for value in values:
                writer.add_document(text=value)
            writer.commit()
        return lap.seconds

    cpu = time.process_time()
    articles_seconds = index_texts(raw_index / "articles", TEXT(analyzer=french_analyzer()), texts)
    passages_seconds = index_texts(
        raw_index / "passages", TEXT(analyzer=french_analyzer(), phrase=False), passages
    )
    cpu = time.process_time() - cpu
    emit(
        {
            "rss_before_mb": rss_before,
            "seconds": articles_seconds + passages_seconds,
            "articles_seconds": articles_seconds,
            "passages_seconds": passages_seconds,
            "cpu_seconds": cpu,
            "articles": len(texts),
            "passages": len(passages),
            "chars": sum(len(text) for text in texts),
        }
    )


def build(root: Path, index_dir: Path, entities: bool) -> None:
    """An index for the reading sections (related, compare, start-up): not a measure
    of its own, but its time and size are reported beside them."""
    from index import Corpus

    corpus = Corpus(root, index_dir, entities=entities)
    cpu = time.process_time()
    with stopwatch() as lap:
        report = corpus.update()
    cpu = time.process_time() - cpu
    summaries = corpus.articles()
    articles = [corpus.article(s.id) for s in summaries]
    emit(
        {
            "seconds": lap.seconds,
            "cpu_seconds": cpu,
            "articles": len(articles),
            "passages": sum(len(a.passages) for a in articles),
            "chars": sum(len(a.text) for a in articles),
            "entities": len(corpus.entities()) if entities else 0,
            "mentions": sum(len(a.mentions) for a in articles),
            "skipped": [f"{s.path}: {s.reason}" for s in report.skipped],
            "current": corpus.is_current(),
        }
    )


def wire(root: Path, index_dir: Path) -> None:
    """The wire copy found again, as on the reader's first start after an ingest: the
    pairs marked stale, then `wire_counts()` in this process (its time, its peak)."""
    from index import Corpus
    from index.crossref.wirecopy import WIRE_STALE
    from index.storage.catalog import Catalog

    catalog = Catalog(index_dir / "catalog.sqlite")
    with catalog.transaction():
        catalog.set_meta(WIRE_STALE, "1")
    entries = catalog.fingerprint_count()
    corpus = Corpus(root, index_dir, entities=False)
    opened_mb = current_rss_mb()
    cpu = time.process_time()
    with stopwatch() as lap:
        counts = corpus.wire_counts()
    emit(
        {
            "seconds": lap.seconds,
            "cpu_seconds": time.process_time() - cpu,
            "fingerprints": entries,
            "articles_with_copy": len(counts),
            "pairs": sum(counts.values()) // 2,
            "opened_rss_mb": opened_mb,
        }
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.child")
    steps = parser.add_subparsers(dest="step", required=True)
    p_ingest = steps.add_parser("ingest")
    p_ingest.add_argument("corpus", type=Path)
    p_ingest.add_argument("index_dir", type=Path)
    p_ingest.add_argument("--warmup", type=Path, nargs=2, metavar=("CORPUS", "INDEX_DIR"))
    p_raw = steps.add_parser("raw")
    p_raw.add_argument("corpus", type=Path)
    p_raw.add_argument("presse_index", type=Path)
    p_raw.add_argument("raw_index", type=Path)
    p_build = steps.add_parser("build")
    p_build.add_argument("corpus", type=Path)
    p_build.add_argument("index_dir", type=Path)
    p_build.add_argument("--no-entities", dest="entities", action="store_false")
    p_wire = steps.add_parser("wire")
    p_wire.add_argument("corpus", type=Path)
    p_wire.add_argument("index_dir", type=Path)
    args = parser.parse_args(argv)
    if args.step == "ingest":
        ingest(args.corpus, args.index_dir, args.warmup)
    elif args.step == "build":
        build(args.corpus, args.index_dir, args.entities)
    elif args.step == "wire":
        wire(args.corpus, args.index_dir)
    else:
        raw(args.corpus, args.presse_index, args.raw_index)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
