"""`make bench`: measure presse's engine and print each figure against its target.

1. ingest throughput on the real corpus (../shared/corpus) and on a generated
   one (2,000 articles), against a bare Whoosh index of the same texts;
2. re-index of an unchanged corpus, in the same process and in a cold one;
3. search latency on the generated index;
4. index size on disk; 5. peak memory of the ingest;
6. named entities: the engine's pipeline (model + cleanup rules) against the
   bare spaCy model on a French NER set (../shared/ner), scores and speed;
   entity identity on historical articles linked to Wikidata (../shared/identity),
   against one entity per folded string (`identity`); related passages on judged
   same-fact pairs of BBC articles (../shared/xref), against tf-idf (`samefact`);
7. related passages: `Corpus.related()` latency on the generated index, with
   entities and without (`xref`);
8. comparison: `Corpus.compare()` time on pairs of 5,000-character articles;
9. related recall on the seeds' same-fact pairs, against Whoosh's more_like;
10. start-up: process start to the reader's first screen, index current,
   on the seeds and on the real corpus, spaCy not imported (`startup`);
11. many tiny files: ingest of 100,000 files of one to three sentences without
   the entity model, its peak memory, and the no-change update (`tiny`);
12. scale: 10,000 generated articles: the full ingest with entities against
   spaCy's own `nlp.pipe` (NER only, same texts, same number of processes),
   index size, adding one article with `presse index`, then search, related
   passages, start-up and the reader's peak memory on that index (`scale`).

On demand only, never in the default run (each takes an hour or more on 2 cores):

13. huge: 100,000 generated articles (`--huge-count`): ingest without the model
    against raw Whoosh, index size, the no-change update, search (and bare Whoosh's
    on the same texts), related passages, start-up and the reader's memory; the
    ingest with the model on a slice (`--huge-ner-count`), extrapolated (`huge`);
14. cluster: the 10,000 articles ingested with the model by 2 local worker processes
    and by a Dask LocalCluster of 2 workers: the throughput the cluster keeps
    (`cluster`).

`--only engine` runs 1–5, `--only ner` 6, and `identity`, `samefact`, `related`,
`compare`, `recall`, `startup`, `tiny`, `scale`, `huge`, `cluster` each run theirs
(several names may follow `--only`). The indexes the reading sections need are built once, in child
processes. Everything is
written into a temporary folder (removed at the end unless `--keep`); the
figures also go to `bench-results/latest.json` (`latest-GROUP.json` with
`--only`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from index.corpus import WHOOSH_DIR
from tests.bench import child
from tests.bench.cluster import DEFAULT_CLUSTER_COUNT, bench_cluster
from tests.bench.huge import DEFAULT_HUGE_COUNT, DEFAULT_HUGE_NER_COUNT, bench_huge
from tests.bench.inputs import Built, Inputs
from tests.bench.make_corpus import DEFAULT_COUNT
from tests.bench.ner import DEFAULT_SENTENCES, bench_ner, render_errors
from tests.bench.paths import (
    CORPUS_ENV,
    REPO_ROOT,
    RESULTS_DIR,
    corpus_files,
    shared_corpus,
    tree_bytes,
)
from tests.bench.proc import ChildFailed, ChildResult, run_module, run_python
from tests.bench.quality import bench_identity, bench_same_fact
from tests.bench.queries import QUERIES
from tests.bench.report import Report, render, render_queries
from tests.bench.scale import DEFAULT_PROCS, DEFAULT_SCALE_COUNT, bench_scale
from tests.bench.startup import bench_reader_memory, bench_startup, first_paint_rows
from tests.bench.timing import percentile, stopwatch
from tests.bench.tiny import DEFAULT_TINY_COUNT, bench_tiny
from tests.bench.xref import (
    DEFAULT_ENTITY_ARTICLES,
    bench_compare,
    bench_recall,
    bench_related,
)
from tests.bench.xref import (
    related_rows as xref_rows,
)

# Targets set by the issues; index size and peak memory are reported, with no target yet.
MIN_RAW_RATIO = 0.50
MAX_REINDEX_SECONDS = 1.0
MAX_SEARCH_P95_MS = 50.0

WARMUP_FILES = 10
# Wall time beyond this multiple of CPU time: another process was taking the cores.
BUSY_FACTOR = 1.25
MB = 1024 * 1024
SECTIONS = (
    "engine",
    "ner",
    "identity",
    "samefact",
    "related",
    "compare",
    "recall",
    "startup",
    "tiny",
    "scale",
    "huge",
    "cluster",
)
# Run only when named with --only: they take an hour or more.
ON_DEMAND = ("huge", "cluster")
# The sections that read the real corpus (the generated one is made from it).
NEED_CORPUS = ("engine", "related", "compare", "startup", "scale", "huge", "cluster")


def fmt_rate(value: float, unit: str) -> str:
    if value >= 1e6:
        return f"{value / 1e6:.2f} M{unit}"
    if value >= 1e3:
        return f"{value / 1e3:.1f} k{unit}"
    return f"{value:.1f} {unit}"


def bench_ingest(
    report: Report, name: str, label: str, root: Path, work: Path, warm: Path
) -> dict[str, Any]:
    index_dir = work / f"index-{name}"
    raw_dir = work / f"raw-{name}"
    warm_index = work / f"warm-index-{name}"
    presse = run_module(
        "tests.bench.child",
        "ingest",
        str(root),
        str(index_dir),
        "--warmup",
        str(warm),
        str(warm_index),
    ).data
    raw = run_module("tests.bench.child", "raw", str(root), str(index_dir), str(raw_dir)).data
    chars = raw["chars"]  # the cleaned texts, which both sides index
    n = presse["articles"]
    presse_cps = chars / presse["seconds"]
    raw_cps = chars / raw["seconds"]
    ratio = presse_cps / raw_cps
    articles_ratio = raw["articles_seconds"] / presse["seconds"]
    cpu_ratio = raw["cpu_seconds"] / presse["cpu_seconds"]
    section = f"ingest: {label}"
    report.add(section, "articles (cleaned chars)", n, f"{n} ({chars / 1e6:.2f} M chars)")
    report.add(
        section,
        "presse update(): wall (CPU)",
        presse["seconds"],
        f"{presse['seconds']:.2f} s ({presse['cpu_seconds']:.2f} s)",
    )
    report.add(
        section, "presse articles/s", n / presse["seconds"], fmt_rate(n / presse["seconds"], "/s")
    )
    report.add(section, "presse chars/s", presse_cps, fmt_rate(presse_cps, "char/s"))
    report.add(
        section,
        "raw Whoosh, same documents: chars/s",
        raw_cps,
        f"{fmt_rate(raw_cps, 'char/s')} ({raw['articles_seconds']:.2f} s articles"
        f" + {raw['passages_seconds']:.2f} s {raw['passages']} passages)",
    )
    report.add(
        section,
        "presse ÷ raw (same documents)",
        ratio,
        f"{ratio:.0%}",
        f"≥ {MIN_RAW_RATIO:.0%}",
        ratio >= MIN_RAW_RATIO,
    )
    report.add(
        section,
        "presse ÷ raw (article texts only)",
        articles_ratio,
        f"{articles_ratio:.0%}",
    )
    report.add(section, "presse ÷ raw, by CPU time", cpu_ratio, f"{cpu_ratio:.0%}")
    startup = presse["warmup_seconds"]
    report.add(
        section, f"start-up: 1st update(), {WARMUP_FILES} files", startup, f"{startup:.2f} s"
    )
    for who, data in (("presse", presse), ("raw", raw)):
        if data["seconds"] > BUSY_FACTOR * data["cpu_seconds"]:
            report.warnings.append(
                f"{label}, {who}: wall {data['seconds']:.1f} s vs CPU {data['cpu_seconds']:.1f} s;"
                " the machine was busy, wall-clock figures are pessimistic"
            )
    return {"presse": presse, "raw": raw, "index_dir": index_dir, "raw_dir": raw_dir}


def bench_reindex(report: Report, runs: dict[str, dict[str, Any]], roots: dict[str, Path]) -> None:
    section = "re-index (unchanged)"
    target = f"< {MAX_REINDEX_SECONDS:.0f} s"
    cold: dict[str, Any] = {}
    for name, run in runs.items():
        seconds = run["presse"]["reindex_seconds"]
        ok = seconds < MAX_REINDEX_SECONDS and not run["presse"]["reindex_changed"]
        report.add(
            section, f"{name}: 2nd update(), warm", seconds, f"{seconds * 1000:.1f} ms", target, ok
        )
        result: ChildResult = run_python(
            ["-c", child.COLD_REINDEX, str(roots[name]), str(run["index_dir"])]
        )
        data = dict(result.data, wall_seconds=result.wall_seconds)
        cold[name] = data
        seconds = data["update_seconds"]
        ok = seconds < MAX_REINDEX_SECONDS and not data["changed"]
        report.add(
            section,
            f"{name}: update(), cold process",
            seconds,
            f"{seconds * 1000:.1f} ms",
            target,
            ok,
        )
        report.add(
            section,
            f"{name}: cold process, whole run",
            result.wall_seconds,
            f"{result.wall_seconds:.2f} s (import {data['import_seconds']:.2f} s)",
        )
        heavy = data["heavy_imported"]
        report.add(
            section,
            f"{name}: heavy modules (cold)",
            heavy,
            ", ".join(heavy) or "none",
            "none",
            not heavy,
        )
    report.details["reindex_cold"] = cold


def bench_search(report: Report, root: Path, index_dir: Path, rounds: int, label: str = "") -> None:
    """Search latency; `label` names the index when it is not the generated one."""
    from index import Corpus

    corpus = Corpus(root, index_dir)
    first: dict[str, float] = {}
    results: dict[str, Any] = {}
    for _kind, query in QUERIES:  # the first run of each: searcher opening, caches
        with stopwatch() as lap:
            results[query] = corpus.search(query, limit=20)
        first[query] = lap.ms
    times: dict[str, list[float]] = {query: [] for _kind, query in QUERIES}
    for _ in range(rounds):
        for _kind, query in QUERIES:
            with stopwatch() as lap:
                corpus.search(query, limit=20)
            times[query].append(lap.ms)
    corpus.close()
    every = [ms for values in times.values() for ms in values]
    p50, p95, worst = percentile(every, 50), percentile(every, 95), max(every)
    section = f"search{label} ({len(QUERIES)} queries × {rounds}, warm)"
    report.add(section, "p50 latency", p50, f"{p50:.1f} ms")
    report.add(
        section,
        "p95 latency",
        p95,
        f"{p95:.1f} ms",
        f"≤ {MAX_SEARCH_P95_MS:.0f} ms",
        p95 <= MAX_SEARCH_P95_MS,
    )
    report.add(section, "max latency", worst, f"{worst:.1f} ms")
    cold = next(iter(first.values()))
    report.add(section, "first query (cold searcher)", cold, f"{cold:.1f} ms")
    details = []
    for kind, query in QUERIES:
        result = results[query]
        details.append(
            {
                "kind": kind,
                "query": query,
                "total": result.total,
                "suggestion": result.suggestion,
                "first_ms": first[query],
                "p50_ms": percentile(times[query], 50),
                "max_ms": max(times[query]),
            }
        )
    # A misspelling gets a suggestion and no hits; every other query gets hits and no suggestion.
    unexpected = [
        d["query"]
        for d in details
        if (d["kind"] == "misspelling" and not d["suggestion"])
        or (d["kind"] != "misspelling" and (d["total"] == 0 or d["suggestion"]))
    ]
    report.add(
        section,
        "queries answered as expected",
        unexpected,
        f"{len(details) - len(unexpected)}/{len(details)}"
        + (f" (not: {', '.join(unexpected)})" if unexpected else ""),
        f"{len(details)}/{len(details)}",
        not unexpected,
    )
    key = "search" + label.replace(" ", "_")
    report.details[key] = {"p50_ms": p50, "p95_ms": p95, "max_ms": worst, "queries": details}


def bench_size(
    report: Report, runs: dict[str, dict[str, Any]], roots: dict[str, Path], labels: dict[str, str]
) -> None:
    section = "index size on disk"
    sizes: dict[str, Any] = {}
    for name, run in runs.items():
        index_bytes = tree_bytes(run["index_dir"])
        corpus_bytes = tree_bytes(roots[name])
        whoosh_bytes = tree_bytes(run["index_dir"] / WHOOSH_DIR)
        raw_bytes = tree_bytes(run["raw_dir"])
        multiple = index_bytes / corpus_bytes
        report.add(
            section,
            f"{labels[name]}",
            multiple,
            f"{index_bytes / MB:.1f} MB = {multiple:.1f}× {corpus_bytes / MB:.1f} MB",
        )
        report.add(
            section,
            f"{name}: Whoosh / catalog / raw",
            whoosh_bytes,
            f"{whoosh_bytes / MB:.1f} / {(index_bytes - whoosh_bytes) / MB:.1f} / "
            f"{raw_bytes / MB:.1f} MB",
        )
        sizes[name] = {
            "index_bytes": index_bytes,
            "whoosh_bytes": whoosh_bytes,
            "catalog_bytes": index_bytes - whoosh_bytes,
            "corpus_bytes": corpus_bytes,
            "raw_whoosh_bytes": raw_bytes,
        }
    report.details["size"] = sizes


def bench_memory(report: Report, run: dict[str, Any], label: str) -> None:
    section = "peak memory (max RSS)"
    presse, raw = run["presse"], run["raw"]
    peak = presse["peak_rss_mb"]
    report.add(
        section,
        f"ingest {label}",
        peak,
        f"{peak:.0f} MB (before: {presse['rss_before_mb']:.0f} MB)",
    )
    report.add(
        section,
        "raw Whoosh, same documents",
        raw["peak_rss_mb"],
        f"{raw['peak_rss_mb']:.0f} MB (before: {raw['rss_before_mb']:.0f} MB)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="generated articles")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated corpus")
    parser.add_argument("--rounds", type=int, default=10, help="runs of each search query")
    parser.add_argument(
        "--only",
        choices=SECTIONS,
        nargs="+",
        help="run these groups only: engine (ingest, re-index, search, size, memory), ner,"
        " identity, samefact, related, compare, recall, startup, tiny, scale; and, never"
        " by default, huge (100,000 articles) and cluster (a Dask LocalCluster's overhead)",
    )
    parser.add_argument(
        "--huge-count",
        type=int,
        default=DEFAULT_HUGE_COUNT,
        help=f"articles of the huge section (default {DEFAULT_HUGE_COUNT:,})",
    )
    parser.add_argument(
        "--huge-ner-count",
        type=int,
        default=DEFAULT_HUGE_NER_COUNT,
        help="of which the ingest with the model reads the first N, extrapolated to all"
        f" (default {DEFAULT_HUGE_NER_COUNT:,}; 0: not measured)",
    )
    parser.add_argument(
        "--huge-from",
        type=Path,
        default=None,
        metavar="DIR",
        help="the huge section reads the corpus and index a run kept in DIR (--keep) and"
        " measures from the search on",
    )
    parser.add_argument(
        "--cluster-count",
        type=int,
        default=DEFAULT_CLUSTER_COUNT,
        help=f"articles of the cluster section (default {DEFAULT_CLUSTER_COUNT:,})",
    )
    parser.add_argument(
        "--tiny-count",
        type=int,
        default=DEFAULT_TINY_COUNT,
        help=f"files of the tiny-files section (default {DEFAULT_TINY_COUNT:,})",
    )
    parser.add_argument(
        "--scale-count",
        type=int,
        default=DEFAULT_SCALE_COUNT,
        help=f"articles of the scale section (default {DEFAULT_SCALE_COUNT:,})",
    )
    parser.add_argument(
        "--procs",
        type=int,
        default=DEFAULT_PROCS,
        help=f"processes of the scale section's ingests, presse's and spaCy's"
        f" (default {DEFAULT_PROCS})",
    )
    parser.add_argument(
        "--entity-articles",
        type=int,
        default=DEFAULT_ENTITY_ARTICLES,
        help="generated articles indexed with entities for related and compare"
        f" (default {DEFAULT_ENTITY_ARTICLES:,}; the model reads about 100 k chars/s)",
    )
    parser.add_argument(
        "--ner-sentences",
        type=int,
        default=DEFAULT_SENTENCES,
        help="NER sentences to read (0: all of them)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="results file (default bench-results/latest.json, latest-GROUP.json with --only)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a figure is off target")
    args = parser.parse_args(argv)
    only = (
        list(dict.fromkeys(args.only))
        if args.only
        else [name for name in SECTIONS if name not in ON_DEMAND]
    )
    if args.out is None:
        args.out = RESULTS_DIR / (f"latest-{'+'.join(only)}.json" if args.only else "latest.json")
    engine = "engine" in only
    ner = "ner" in only

    console = Console(width=None if sys.stdout.isatty() else 150)
    source = shared_corpus()
    files = corpus_files(source) if source.is_dir() else []
    if not files and any(name in NEED_CORPUS for name in only):
        console.print(f"[red]no .txt corpus at {source}; set {CORPUS_ENV} to its folder[/]")
        return 2

    report = Report()
    load_at_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    work = Path(tempfile.mkdtemp(prefix="presse-bench-"))
    inputs = Inputs(work, source, files, args.count, args.seed, console)
    runs: dict[str, dict[str, Any]] = {}
    ner_data: dict[str, Any] | None = None
    reading: dict[str, Callable[[], None]] = {
        "identity": lambda: bench_identity(report, work),
        "samefact": lambda: bench_same_fact(report, work),
        "related": lambda: bench_related(report, inputs, args.entity_articles, args.seed),
        "compare": lambda: bench_compare(report, inputs, args.entity_articles, args.seed),
        "recall": lambda: bench_recall(report, inputs),
        "startup": lambda: bench_startup(report, inputs),
        "tiny": lambda: bench_tiny(report, work, args.tiny_count),
        "scale": lambda: run_scale(report, work, args),
        "huge": lambda: bench_huge(
            report, work, args.huge_count, args.huge_ner_count, args.seed, args.huge_from
        ),
        "cluster": lambda: bench_cluster(report, work, args.cluster_count, args.seed),
    }
    try:
        with stopwatch() as total:
            if engine:
                runs = bench_engine(report, console, inputs, args)
            if ner:
                console.print("named entities…")
                ner_data = bench_ner(report, console, args.ner_sentences)
            for name, section in reading.items():
                if name not in only:
                    continue
                with stopwatch() as lap:
                    try:
                        section()
                    except ChildFailed as error:  # the figures of the other sections still stand
                        console.print(Text(f"{name} step failed: {error}", style="red"))
                        report.add(
                            name, "measure ran", "failed", "failed (see above)", "ran", False
                        )
                report.details.setdefault("section_seconds", {})[name] = lap.seconds
                console.print(f"{name}: {lap.seconds:.0f} s")
        report.add("run", "total benchmark time", total.seconds, f"{total.seconds:.0f} s")
    except ChildFailed as error:
        console.print(Text(f"benchmark step failed: {error}", style="red"))
        return 1
    finally:
        if args.keep:
            console.print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    report.meta = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "only": args.only,
        "sections": only,
        "load_average_at_start": load_at_start,
        "failures": [f"{row.section}: {row.figure}" for row in report.failures],
    }
    if engine:
        report.meta |= {
            "real_corpus_files": len(files),
            "generated_count": args.count,
            "seed": args.seed,
            "search_rounds": args.rounds,
        }
        report.details["ingest"] = {
            name: {key: value for key, value in run.items() if key in ("presse", "raw")}
            for name, run in runs.items()
        }
    if ner:
        report.meta["ner_sentences"] = args.ner_sentences
    if "related" in only or "compare" in only:
        report.meta |= {
            "generated_count": args.count,
            "seed": args.seed,
            "entity_articles": min(args.entity_articles, args.count),
        }
    render(report, console)
    if "search" in report.details:
        render_queries(report.details["search"]["queries"], console)
    if ner_data is not None:
        render_errors(ner_data, console)
    report.write(args.out)
    failures = report.failures
    shown = args.out.resolve()
    if shown.is_relative_to(REPO_ROOT):
        shown = shown.relative_to(REPO_ROOT)
    console.print(f"{len(failures)} figure(s) off target; figures written to {shown}")
    return 1 if failures and args.strict else 0


def run_scale(report: Report, work: Path, args: argparse.Namespace) -> None:
    """Section 12: 10,000 articles: ingest with NER against spaCy, adding one article,
    index size, and search on that index."""
    root, index_dir = bench_scale(report, work, args.scale_count, args.procs)
    label = f"{args.scale_count:,} generated"
    bench_search(report, root, index_dir, args.rounds, label=f" {args.scale_count:,}")
    built = Built(root, index_dir, {"articles": args.scale_count})
    related = run_module(
        "tests.bench.xref", "related", str(root), str(index_dir), "--seed", str(args.seed)
    ).data
    xref_rows(report, f"related passages ({args.scale_count:,} articles, with entities)",
              label, related)  # fmt: skip
    first_paint_rows(report, label, built)
    bench_reader_memory(report, label, root, index_dir)


def bench_engine(
    report: Report, console: Console, inputs: Inputs, args: argparse.Namespace
) -> dict[str, dict[str, Any]]:
    """Sections 1–5: ingest, re-index, search, index size, peak memory."""
    work = inputs.work
    real = inputs.view("real")
    warm = inputs.view(f"warm-{WARMUP_FILES}")
    generated, stats = inputs.generated()
    roots = {"real": real, "generated": generated}
    labels = {
        "real": f"real corpus ({len(inputs.files)})",
        "generated": f"generated ({stats.count:,})",
    }
    runs: dict[str, dict[str, Any]] = {}
    for name, root in roots.items():
        console.print(f"ingest: {labels[name]}…")
        runs[name] = bench_ingest(report, name, labels[name], root, work, warm)
    console.print("re-index, search…")
    bench_reindex(report, runs, roots)
    bench_search(report, roots["generated"], runs["generated"]["index_dir"], args.rounds)
    bench_size(report, runs, roots, labels)
    bench_memory(report, runs["generated"], labels["generated"])
    inputs.plain_generated_index = runs["generated"]["index_dir"]
    return runs


if __name__ == "__main__":
    raise SystemExit(main())
