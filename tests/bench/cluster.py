"""On demand: the cluster's overhead (`python -m tests.bench --only cluster`).

The 10,000 generated articles of the scale section ingested with the entity model
twice, each in a child process of its own on the same machine: with 2 local
worker processes (`--procs 2`), and on a Dask `LocalCluster` of 2 worker
processes of one thread each, started by the child on the loopback
(`--cluster`). Both run the same per-file work; the cluster adds the scheduler,
the sending of the files' bytes and of the results, and its plugin (the model
loaded in each worker). The figure is the share of the local run's throughput
the cluster keeps. The two indexes must hold the same articles and entities.

    python -m tests.bench.cluster ingest CORPUS INDEX_DIR [--workers N]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.bench.make_corpus import make_corpus
from tests.bench.proc import emit, run_module
from tests.bench.report import Report
from tests.bench.timing import stopwatch

DEFAULT_CLUSTER_COUNT = 10_000
WORKERS = 2
HOURS = 3600.0
LOOPBACK = "127.0.0.1"


def ingest_on_cluster(root: Path, index_dir: Path, workers: int, trim: bool) -> None:
    """In a child: a LocalCluster of `workers` processes, then presse's whole ingest on it.
    Without `trim`, the workers start without Dask's MALLOC_TRIM_THRESHOLD_ (as the
    README says to start them)."""
    import dask
    from distributed import Client, LocalCluster

    from index import Corpus

    if not trim:
        dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None})

    chars = sum(len(path.read_text(encoding="utf-8")) for path in sorted(root.glob("*.txt")))
    with stopwatch() as started:
        cluster = LocalCluster(
            n_workers=workers,
            processes=True,
            threads_per_worker=1,
            host=LOOPBACK,
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": f"{LOOPBACK}:0"},
        )
    try:
        cpu = time.process_time()
        with stopwatch() as lap:
            corpus = Corpus(root, index_dir)
            report = corpus.update(cluster=cluster.scheduler_address)
        cpu = time.process_time() - cpu
        with Client(cluster, set_as_default=False) as client:
            worker_peaks = client.run(_peak_rss_mb)
            worker_cpu = client.run(time.process_time)  # (model loading included)
    finally:
        cluster.close()
    emit(
        {
            "seconds": lap.seconds,
            "cluster_start_seconds": started.seconds,
            # This process's CPU: the reading of the bytes, the commits, the entity pass,
            # Whoosh (and the client's threads): what the one writer spends, whatever
            # the number of workers.
            "client_cpu_seconds": cpu,
            "chars": chars,
            "articles": report.articles,
            "skipped": len(report.skipped),
            "entities": len(corpus.entities()),
            "worker_peak_rss_mb": sorted(worker_peaks.values()),
            "workers_cpu_seconds": sum(worker_cpu.values()),
        }
    )


def _peak_rss_mb() -> float:
    from tests.bench.proc import peak_rss_mb

    return peak_rss_mb()


def bench_cluster(report: Report, work: Path, count: int, seed: int) -> None:
    root = work / f"cluster-{count}"
    stats = make_corpus(root, count, seed=seed)
    section = f"cluster overhead ({count:,} articles, 2 local processes vs a LocalCluster of 2)"
    local = run_module("tests.bench.scale", "ingest", str(root), str(work / "cluster-local-ix"),
                       "--procs", str(WORKERS), timeout=6 * HOURS).data  # fmt: skip
    remotes = {
        label: run_module("tests.bench.cluster", "ingest", str(root), str(work / f"cluster-ix-{n}"),
                          "--workers", str(WORKERS), *flags, timeout=6 * HOURS).data
        for n, (label, flags) in enumerate(
            (("Dask's defaults", []), ("MALLOC_TRIM_THRESHOLD_ unset", ["--no-trim"]))
        )
    }  # fmt: skip
    report.add(
        section,
        "local: 2 worker processes (--procs 2)",
        local["seconds"],
        f"{local['seconds']:.0f} s, {stats.chars / local['seconds'] / 1e3:.0f} k chars/s,"
        f" peak memory {local['peak_rss_mb']:.0f} MB (main process)",
    )
    local_cpu = local["cpu_seconds"] + local["workers_cpu_seconds"]
    for label, remote in remotes.items():
        _cluster_rows(report, section, label, local, local_cpu, remote, stats.chars)
    report.details["cluster"] = {"local": local, "cluster": remotes}


def _cluster_rows(
    report: Report,
    section: str,
    label: str,
    local: dict[str, Any],
    local_cpu: float,
    remote: dict[str, Any],
    chars: int,
) -> None:
    report.add(
        section,
        f"cluster, {label}: LocalCluster, 2 workers × 1 thread (--cluster)",
        remote["seconds"],
        f"{remote['seconds']:.0f} s, {chars / remote['seconds'] / 1e3:.0f} k chars/s,"
        f" peak memory {remote['peak_rss_mb']:.0f} MB (client) and"
        f" {', '.join(f'{mb:.0f}' for mb in remote['worker_peak_rss_mb'])} MB (workers);"
        f" cluster started in {remote['cluster_start_seconds']:.1f} s (not counted)",
    )
    writer = remote["client_cpu_seconds"]
    report.add(
        section,
        f"cluster, {label}: the writer's own CPU (this process)",
        writer,
        f"{writer:.0f} s: {remote['articles'] / writer:.0f} articles/s at most, whatever"
        " the workers",
    )
    remote_cpu = writer + remote["workers_cpu_seconds"]
    report.add(
        section,
        f"cluster, {label}: CPU of all the processes, local ÷ cluster",
        local_cpu / remote_cpu,
        f"{local_cpu / remote_cpu:.0%}: {local_cpu:.0f} s vs {remote_cpu:.0f} s"
        f" (workers {local['workers_cpu_seconds']:.0f} s vs {remote['workers_cpu_seconds']:.0f} s)",
    )
    kept = local["seconds"] / remote["seconds"]
    same = (local["articles"], local["entities"]) == (remote["articles"], remote["entities"])
    report.add(
        section,
        f"cluster, {label}: throughput kept (local time ÷ cluster time)",
        kept,
        f"{kept:.0%}; the same {remote['articles']:,} articles and {remote['entities']:,}"
        f" entities: {'yes' if same else 'NO'}",
        "same index",
        same,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.cluster")
    steps = parser.add_subparsers(dest="step", required=True)
    step = steps.add_parser("ingest")
    step.add_argument("corpus", type=Path)
    step.add_argument("index_dir", type=Path)
    step.add_argument("--workers", type=int, default=WORKERS)
    step.add_argument("--no-trim", dest="trim", action="store_false")
    args = parser.parse_args(argv)
    ingest_on_cluster(args.corpus, args.index_dir, args.workers, args.trim)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
