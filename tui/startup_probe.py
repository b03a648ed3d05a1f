"""Time from a cold `python` to the reader's first painted screen, on a current index.

    python -m tui.startup_probe CORPUS [--index-dir DIR] [--runs N] [--json]

Each run is a fresh process that starts the reader headless and exits as soon as
the first screen with the article list is painted; the probe reports the wall
time of each run, from the process's start, the CPU time of the process by then (every
thread's, the imports included), and whether spaCy was imported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

MARK = "presse-startup-probe:"


def _child(corpus: Path, index_dir: Path | None) -> None:
    """Run the reader headless; print the time to the first paint and exit."""
    from textual.app import App

    from tui.app import PresseApp
    from tui.reader.article_list import ArticleList
    from tui.reader.screen import ReaderScreen

    started = float(os.environ["PRESSE_PROBE_STARTED"])

    class Probe(PresseApp):
        CSS_PATH = str(Path(__file__).with_name("presse.tcss"))

        def update_index(self) -> None:  # type: ignore[override]
            """The probe measures the start, not the check for changed files: in its place
            (the app calls it once the reader's screen is up), wait for that screen's paint.

            Not an `on_mount` of its own: Textual calls the handler of every class of the
            app, so one calling `super().on_mount()` too would start the reader twice.
            """
            self.call_after_refresh(self._painted)

        def _painted(self) -> None:
            screen = self.screen
            articles = screen.query_one(ArticleList) if isinstance(screen, ReaderScreen) else None
            listed = len(articles.summaries) if articles is not None else 0
            total = articles.total if articles is not None else 0
            result = {
                "seconds": time.time() - started,
                "cpu_seconds": time.process_time(),
                "articles": listed,  # on the first screen: a first page of `total`
                "total": total,
                "spacy_imported": "spacy" in sys.modules,
                # One: a reader started twice would make the figure pessimistic.
                "readers": sum(isinstance(s, ReaderScreen) for s in self.screen_stack),
            }
            print(MARK + json.dumps(result), flush=True)
            self.exit()

    app: App[None] = Probe(corpus, index_dir)
    app.run(headless=True, size=(120, 36))


def measure(corpus: Path, index_dir: Path | None, runs: int) -> list[dict[str, object]]:
    results = []
    for _ in range(runs):
        env = dict(os.environ, PRESSE_PROBE_STARTED=repr(time.time()))
        command = [sys.executable, "-m", "tui.startup_probe", str(corpus), "--child"]
        if index_dir is not None:
            command += ["--index-dir", str(index_dir)]
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        line = next((ln for ln in done.stdout.splitlines() if ln.startswith(MARK)), None)
        if line is None:
            raise SystemExit(f"startup probe failed:\n{done.stderr[-2000:]}")
        results.append(json.loads(line[len(MARK) :]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tui.startup_probe")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--index-dir", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        _child(options.corpus, options.index_dir)
        return
    from index import Corpus, PresseError

    try:
        corpus = Corpus(options.corpus, options.index_dir)
        current = corpus.is_current() and bool(corpus.articles())
        corpus.close()
    except PresseError as error:
        raise SystemExit(f"startup probe: {error}") from None
    if not current:
        raise SystemExit("startup probe: index the corpus first (`presse index CORPUS`)")
    results = measure(options.corpus, options.index_dir, max(1, options.runs))
    seconds = [float(str(r["seconds"])) for r in results]
    cpu = [float(str(r["cpu_seconds"])) for r in results]
    summary = {
        "corpus": str(options.corpus),
        "runs": len(results),
        "median_seconds": round(statistics.median(seconds), 3),
        "max_seconds": round(max(seconds), 3),
        "median_cpu_seconds": round(statistics.median(cpu), 3),
        "articles": results[0]["articles"],
        "total": results[0].get("total", results[0]["articles"]),
        "spacy_imported": any(r["spacy_imported"] for r in results),
    }
    if options.json:
        print(json.dumps(summary))
    else:
        print(
            f"first paint in {summary['median_seconds']} s (median of {len(results)}, "
            f"max {summary['max_seconds']} s; CPU {summary['median_cpu_seconds']} s), "
            f"{summary['articles']} of {summary['total']} articles listed, "
            f"spaCy imported: {summary['spacy_imported']}"
        )


if __name__ == "__main__":
    main()
