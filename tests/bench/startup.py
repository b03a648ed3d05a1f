"""The start-up section of `make bench`: time to the reader's first screen, index current.

A child process builds `tui.app.PresseApp(corpus, index_dir)` and runs it
headless with Textual's test harness (`App.run_test`, size 120×36), polling
after each `await pilot.pause()` until a screen of the app's own is up and its
article list (`#article-list`, else an `OptionList`, `ListView` or
`DataTable`) lists every article, then pausing once more for the refresh. The clock
starts in the parent just before it starts the child, so the figure counts the
interpreter's start and every import; the child also reports its own split
(`import tui.app`, then app start to first screen), and imports nothing of the
benchmark but `child` and `proc` (to report) before that. The headless driver
lays out and renders the widgets but writes nothing to a terminal: a real one
adds that write. Then the child waits for the app's workers (the background
check of the index) and reports whether the heavy modules (spaCy…) were ever
imported. An app that fails is reported with its error, as a failed figure.

Also timed: `python -c "import tui.app"` alone. And, by `reader_memory`, the reader's
peak resident memory over a minute of typical use (`USE_ROUND`, driven by Pilot).

    python -m tests.bench.startup CORPUS INDEX_DIR [--articles N] [--timeout S]
    python -m tests.bench.startup CORPUS INDEX_DIR --use SECONDS
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.bench.child import HEAVY_MODULES
from tests.bench.proc import emit, peak_rss_mb

if TYPE_CHECKING:  # the parent's side: kept out of the measured child's imports
    from tests.bench.inputs import Built, Inputs
    from tests.bench.report import Report

RUNS = 3
SIZE = (120, 36)
MAX_STARTUP_SECONDS = 1.0
# The reader's memory: this long of typical use, and the target for its peak.
USE_SECONDS = 60.0
MAX_READER_MB = 500.0

IMPORT_ONLY = f"""
import json, sys, time
t0 = time.perf_counter()
import tui.app
t1 = time.perf_counter()
heavy = [m for m in {HEAVY_MODULES!r} if m in sys.modules]
print("BENCH-JSON " + json.dumps({{"import_seconds": t1 - t0, "heavy_imported": heavy}}))
"""


# --- the child's side --------------------------------------------------------------------


def _listed(screen: Any) -> int:
    """Rows in the screen's article list: the `#article-list` widget if there is one, else
    the longest `OptionList`, `ListView` or `DataTable` (the reader's structure may change)."""
    widgets = list(screen.query("#article-list")) or list(
        screen.query("OptionList, ListView, DataTable")
    )
    most = 0
    for widget in widgets:
        count = getattr(widget, "option_count", None)
        if not isinstance(count, int):
            count = getattr(widget, "row_count", None)
        if not isinstance(count, int):
            summaries = getattr(widget, "summaries", None)
            if isinstance(summaries, (tuple, list)):
                count = len(summaries)
            elif widget.children:
                count = len(widget.children)
            else:  # a virtual list: at least a line of content a row
                count = widget.virtual_size.height
        most = max(most, count)
    return most


def _heavy() -> list[str]:
    return [m for m in HEAVY_MODULES if m in sys.modules]


async def _probe(root: Path, index_dir: Path, articles: int, timeout: float) -> dict[str, Any]:
    before_import = time.perf_counter()
    from tui.app import PresseApp

    imported = time.perf_counter()
    app = PresseApp(root, index_dir)
    found: dict[str, Any] = {"import_seconds": imported - before_import, "items": 0}
    async with app.run_test(size=SIZE) as pilot:
        default = app.screen_stack[0] if app.screen_stack else None
        polls = 0
        while time.perf_counter() - imported < timeout:
            await pilot.pause()
            polls += 1
            screen = app.screen
            found["items"] = _listed(screen) if screen is not default else 0
            if found["items"] >= articles:
                await pilot.pause()  # the refresh that draws them
                break
        found |= {
            "app_to_paint_seconds": time.perf_counter() - imported,
            "painted_epoch": time.time(),
            # CPU of the whole process (every thread) since it started: less sensitive to
            # other processes on the machine than the wall clock.
            "cpu_to_paint_seconds": time.process_time(),
            "polls": polls,
            "screen": type(app.screen).__name__,
            "heavy_at_paint": _heavy(),
        }
        checked = time.perf_counter()
        await app.workers.wait_for_complete()
        await pilot.pause()
        found["index_check_seconds"] = time.perf_counter() - checked
    return found | {
        "heavy_after_check": _heavy(),
        "ingest_loaded": "index.ingest.reading" in sys.modules,
        "error": getattr(app, "error", None),
    }


async def _settle(pilot: Any, app: Any, timeout: float = 10.0) -> None:
    """Until the reader's workers (search, related, entities) are done, or `timeout`."""
    waited = time.perf_counter()
    await pilot.pause()
    while time.perf_counter() - waited < timeout:
        busy = [w for w in app.workers if not w.is_finished and w.group != "index"]
        if not busy:
            break
        await asyncio.sleep(0.02)
    await pilot.pause()


# One round of typical use, as keys: the list, the text, the related pane, a search with
# its hits, the entity panel, a comparison; each step's keys, then its engine calls settle.
USE_ROUND: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("list", ("j",) * 12),
    ("text", ("enter", *("j",) * 8)),
    ("related", ("tab", "j", "j", "enter", "backspace", "shift+tab")),
    ("search", ("slash", *"guerre", "enter", "n", "n", "N")),
    ("entities", ("e", *"pou", "escape", "escape")),
    ("compare", ("tab", "c", "j", "j", "j", "escape", "shift+tab")),
    ("list again", ("shift+tab", "G", *("k",) * 10, "g")),
)


async def _use(
    root: Path, index_dir: Path, seconds: float, size: tuple[int, int]
) -> dict[str, Any]:
    from tui.app import PresseApp

    app = PresseApp(root, index_dir)
    steps: dict[str, list[float]] = {}
    rounds = 0
    async with app.run_test(size=size) as pilot:
        started = time.perf_counter()
        while time.perf_counter() - started < 60 and not (
            app.reader is not None and app.reader.summaries and app.reader.entities
        ):
            await pilot.pause()
            await asyncio.sleep(0.05)
        await app.workers.wait_for_complete()  # the index check too
        ready_rss = peak_rss_mb()
        began = time.perf_counter()
        while time.perf_counter() - began < seconds:
            for name, keys in USE_ROUND:
                with_step = time.perf_counter()
                for key in keys:
                    await pilot.press(key)
                await _settle(pilot, app)
                steps.setdefault(name, []).append(time.perf_counter() - with_step)
                while app.screen is not app.reader and len(app.screen_stack) > 2:
                    await pilot.press("escape")  # a dialog left open by a step: close it
            rounds += 1
        used = time.perf_counter() - began
    return {
        "seconds": used,
        "rounds": rounds,
        "articles": len(app.reader.summaries) if app.reader is not None else 0,
        "peak_rss_at_ready_mb": ready_rss,
        "step_median_seconds": {name: statistics.median(t) for name, t in steps.items()},
        "error": getattr(app, "error", None),
    }


def use(root: Path, index_dir: Path, seconds: float) -> None:
    """Emit the reader's peak memory over `seconds` of typical use (`USE_ROUND` over and
    over), headless at 160×45; `peak_rss_mb` is the figure."""
    try:
        found = asyncio.run(_use(root, index_dir, seconds, (160, 45)))
    except Exception as error:
        found = {"error": f"{type(error).__name__}: {error}".splitlines()[0][:200]}
    emit(found)


def probe(root: Path, index_dir: Path, articles: int, timeout: float) -> None:
    """Emit the figures; a failing app is a figure too (its error), not a crash of the bench."""
    try:
        found = asyncio.run(asyncio.wait_for(_probe(root, index_dir, articles, timeout), timeout))
    except Exception as error:
        found = {"error": f"{type(error).__name__}: {error}".splitlines()[0][:200]}
    emit(found)


# --- the parent's side -------------------------------------------------------------------


def _time_startup(built: Built) -> dict[str, Any]:
    """`RUNS` cold start-ups; stops at the first that fails (the app's error is the figure).

    First a cold `update()` in a process of its own: the index must be current when the
    clock starts (an engine edit between the build and now, a new schema, would make the
    reader rebuild it, and the figure would measure that).
    """
    from tests.bench.child import COLD_REINDEX
    from tests.bench.proc import run_module, run_python

    check = run_python(["-c", COLD_REINDEX, str(built.root), str(built.index_dir)]).data
    runs: list[dict[str, Any]] = []
    articles = str(built.data.get("articles", 1))
    for _ in range(RUNS):
        launched = time.time()
        data = run_module(
            "tests.bench.startup", str(built.root), str(built.index_dir), "--articles", articles
        ).data
        runs.append(data)
        if data.get("error") or "painted_epoch" not in data:
            return {"error": data.get("error") or "no first screen", "runs": runs}
        data["seconds"] = data["painted_epoch"] - launched
    return {
        "median_seconds": statistics.median(r["seconds"] for r in runs),
        "runs": runs,
        "stale_before": check["changed"],
    }


def reader_memory(root: Path, index_dir: Path, seconds: float = USE_SECONDS) -> dict[str, Any]:
    """The reader's peak resident memory (MB, `peak_rss_mb`) over `seconds` of typical use,
    in a child process of its own, on a current index; with the rounds of use done and the
    median time of each step (keys pressed until the engine calls are done)."""
    from tests.bench.proc import run_module

    return run_module(
        "tests.bench.startup",
        str(root),
        str(index_dir),
        "--use",
        str(seconds),
        timeout=seconds + 300,
    ).data


def bench_reader_memory(report: Report, label: str, root: Path, index_dir: Path) -> None:
    """A row of the report: the reader's peak memory on `root`, against `MAX_READER_MB`."""
    section = f"reader memory ({USE_SECONDS:.0f} s of typical use, headless 160×45)"
    data = reader_memory(root, index_dir)
    target = f"< {MAX_READER_MB:.0f} MB"
    if data.get("error"):
        report.add(section, f"{label}: the reader failed", "failed", data["error"], target, False)
        return
    peak = float(data["peak_rss_mb"])
    report.add(
        section,
        f"{label}: peak resident memory, {data['articles']} articles",
        peak,
        f"{peak:.0f} MB ({data['peak_rss_at_ready_mb']:.0f} MB once ready;"
        f" {data['rounds']} rounds of use)",
        target,
        peak < MAX_READER_MB,
    )
    report.details.setdefault("reader_memory", {})[label] = data


def startup_section() -> str:
    return f"start-up (index current, headless {SIZE[0]}×{SIZE[1]}, median of {RUNS})"


def startup_rows(report: Report, section: str, label: str, built: Built) -> dict[str, Any]:
    """Time the reader's start on `built` and add its rows; return the timings."""
    target = f"< {MAX_STARTUP_SECONDS:.0f} s"
    timed = _time_startup(built)
    runs = timed["runs"]
    if "error" in timed:
        report.add(section, f"{label}: the reader failed", "failed", timed["error"], target, False)
        return timed
    if timed["stale_before"]:
        report.warnings.append(
            f"start-up, {label}: the index was not current after its build (brought up to"
            " date before the clock started); was the engine edited meanwhile?"
        )
    seconds = timed["median_seconds"]
    run = sorted(runs, key=lambda r: float(r["seconds"]))[len(runs) // 2]  # the median run
    expected = built.data.get("articles", 0)
    listed = all(r["items"] >= expected for r in runs)
    report.add(
        section,
        f"{label}: process start → first screen, {run['items']} articles listed",
        seconds,
        f"{seconds:.2f} s (CPU {run['cpu_to_paint_seconds']:.2f} s; import"
        f" {run['import_seconds']:.2f} s + app {run['app_to_paint_seconds']:.2f} s)",
        target,
        seconds < MAX_STARTUP_SECONDS and listed,
    )
    check = statistics.median(r["index_check_seconds"] for r in runs)
    ingest = any(r["ingest_loaded"] for r in runs)
    report.add(
        section,
        f"{label}: then the index check (background)",
        check,
        f"{check * 1000:.0f} ms" + (" (it ingested: the index was not current)" if ingest else ""),
    )
    return timed


def first_paint_rows(report: Report, label: str, built: Built) -> None:
    """Start-up on a large index: the first painted screen of the reader as users run
    it (`tui.startup_probe`: a headless `app.run()`, timed from the process's start to
    the paint that starts the index check), and, as information, the time until the
    app is idle (this module's probe: the check, the entities, the first related
    passages and the wire-copy counts done)."""
    from tui.startup_probe import measure

    section = startup_section()
    expected = int(built.data.get("articles", 0))
    runs = measure(built.root, built.index_dir, RUNS)
    seconds = statistics.median(float(str(r["seconds"])) for r in runs)
    listed = min(int(str(r["articles"])) for r in runs)
    report.add(
        section,
        f"{label}: process start → first painted screen, {listed} articles listed",
        seconds,
        f"{seconds:.2f} s (tui.startup_probe, median of {len(runs)})",
        f"< {MAX_STARTUP_SECONDS:.0f} s",
        seconds < MAX_STARTUP_SECONDS and listed >= expected,
    )
    timed = _time_startup(built)
    if "error" not in timed:
        idle = timed["median_seconds"]
        report.add(section, f"{label}: until the app is idle (info)", idle, f"{idle:.2f} s")
    report.details.setdefault("startup", {})[label] = {"first_paint": runs, "idle": timed}


def bench_startup(report: Report, inputs: Inputs) -> None:
    from tests.bench.proc import run_python

    section = startup_section()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    if load > 0.75 * (os.cpu_count() or 1):
        report.warnings.append(
            f"start-up: load average {load:.1f} on {os.cpu_count()} CPUs when it began; other"
            " processes were running, the wall-clock start-up figures are pessimistic"
        )
    imports = [run_python(["-c", IMPORT_ONLY]) for _ in range(RUNS)]
    wall = statistics.median(r.wall_seconds for r in imports)
    inner = statistics.median(r.data["import_seconds"] for r in imports)
    report.add(
        section,
        'python -c "import tui.app": wall',
        wall,
        f"{wall:.2f} s (the import itself {inner:.2f} s)",
    )
    details: dict[str, Any] = {"import_only": [r.data | {"wall": r.wall_seconds} for r in imports]}
    heavy: dict[str, set[str]] = {}
    for name, label, built in (
        ("seeds", "seeds", inputs.seeds()),
        ("real", f"shared corpus ({len(inputs.files)})", inputs.real()),
    ):
        inputs.console.print(f"start-up: {label}…")
        details[name] = timed = startup_rows(report, section, label, built)
        heavy[label] = {
            m
            for r in timed["runs"]
            for m in r.get("heavy_at_paint", []) + r.get("heavy_after_check", [])
        }
    shown = "; ".join(
        f"{label}: {', '.join(sorted(mods)) or 'none'}" for label, mods in heavy.items()
    )
    everything = sorted({m for mods in heavy.values() for m in mods})
    report.add(
        section,
        "heavy modules imported (spaCy…), through the index check",
        everything,
        shown,
        "none",
        not everything,
    )
    report.details["startup"] = details


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.startup")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("index_dir", type=Path)
    parser.add_argument(
        "--articles", type=int, default=1, help="articles the list shows once the screen is up"
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="give up after S seconds")
    parser.add_argument(
        "--use",
        type=float,
        metavar="S",
        default=None,
        help="instead: S seconds of typical use, then the peak memory",
    )
    args = parser.parse_args(argv)
    if args.use is not None:
        use(args.corpus, args.index_dir, args.use)
    else:
        probe(args.corpus, args.index_dir, args.articles, args.timeout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
