"""`presse index`, and how every command opens the corpus and brings its index up to date.

`update` is for the commands that write (index, entity corrections): it waits
for another presse that holds the index. `refresh` is for the commands that
read: when the index cannot be updated now, they read it as it is and say so.
Either shows a progress bar on stderr when stderr is a terminal.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tui.cli.output import EXIT_INTERRUPTED, EXIT_USAGE, console, error, note, print_json

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from index import Corpus, IngestReport

AUTO_PROCS = 0  # `Corpus.update(procs=0)`: worker processes when there is work enough
STAGE_NAMES = {
    "reading": "reading files",
    "names": "finding names",
    "entities": "grouping entities",
    "indexing": "writing the index",
}
# Stages shown together: the model finds names while the next files are read; the
# entities are grouped, then the index is written.
PHASES = {"reading": 1, "names": 1, "entities": 2, "indexing": 2}


def open_corpus(options: argparse.Namespace) -> Corpus:
    from index import Corpus

    return Corpus(options.corpus, options.index_dir)


def open_current(options: argparse.Namespace, quiet: bool = True) -> Corpus:
    """The corpus, its index brought up to date first when it can be (`refresh`)."""
    corpus = open_corpus(options)
    refresh(corpus, quiet)
    return corpus


def update(corpus: Corpus, quiet: bool, procs: int = 1, cluster: str | None = None) -> IngestReport:
    """Update the index, waiting first for another presse that is updating it.

    Waiting is what a user expects of `presse index` started twice: the second
    says so on stderr, can be stopped with ctrl+c, and reports what is left to do.
    """

    def waiting() -> None:
        note("waiting for another presse to finish indexing…")

    return _update_now(corpus, quiet, procs, waiting, cluster)


def refresh(corpus: Corpus, quiet: bool = True) -> None:
    """Before a reading command: bring the index up to date if this process can.

    When another presse is updating it, or it cannot be written, the command reads
    the index as it is (SQLite and Whoosh let readers see the last commit, whole)
    and says so on stderr.
    """
    from index import IndexBusy

    if corpus.read_only:
        if not corpus.is_current():
            note(
                f"note: the index in {corpus.index_dir} cannot be written and is"
                " not up to date; showing it as it is"
            )
        return
    try:
        _update_now(corpus, quiet, procs=1)
    except IndexBusy:
        note("note: another presse is updating this index; showing it as it is")


def _update_now(
    corpus: Corpus,
    quiet: bool,
    procs: int,
    waiting: Callable[[], None] | None = None,
    cluster: str | None = None,
) -> IngestReport:
    """Update the index, with a progress bar on stderr when it is a terminal.

    With `waiting`, wait for another presse that is updating the index (`waiting()`
    says so once); without, raise IndexBusy at once. The bar appears with the first
    file to read: a current index shows none.
    """

    def run(progress: Callable[[Any], None] | None = None) -> IngestReport:
        if waiting is None:
            return corpus.update(progress, procs=procs, cluster=cluster)
        return corpus.update_when_free(progress, procs=procs, waiting=waiting, cluster=cluster)

    stderr = console(stderr=True)
    if quiet or not stderr.is_terminal:
        return run()
    bar = progress_bar(stderr)
    tasks: dict[str, Any] = {}  # a bar a stage, each with its count and time left

    def on_progress(step: Any) -> None:
        if not tasks:
            bar.start()
        if step.stage not in tasks:
            tasks[step.stage] = bar.add_task(STAGE_NAMES.get(step.stage, step.stage), total=None)
        phase = PHASES.get(step.stage)
        for stage, task in tasks.items():
            # (With worker processes the index is written along the way: phases alternate.)
            bar.update(task, visible=stage == step.stage or PHASES.get(stage) == phase)
        bar.update(tasks[step.stage], completed=step.done, total=step.total)

    try:
        return run(on_progress)
    finally:
        if tasks:
            bar.stop()


def progress_bar(stderr: Console) -> Progress:
    """A bar a stage on `stderr`: what, how far, how many of how many, the time left;
    gone when done."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=stderr,
        transient=True,
        redirect_stdout=False,  # (`export` writes its lines to stdout meanwhile)
        redirect_stderr=False,
    )


def cmd_index(options: argparse.Namespace) -> int:
    if options.procs is not None and options.procs < 1:
        return error("--procs must be 1 or more", EXIT_USAGE)
    if options.procs is not None and options.cluster:
        return error("--procs and --cluster: the work runs in one place, choose one", EXIT_USAGE)
    corpus = open_corpus(options)
    try:
        report = update(
            corpus, quiet=options.json, procs=options.procs or AUTO_PROCS, cluster=options.cluster
        )
    except KeyboardInterrupt:
        return error(
            "interrupted; the files indexed so far are kept, and `presse index` goes on from there",
            EXIT_INTERRUPTED,
        )
    if options.json:
        print_json(report)
    else:
        _print_report(report, corpus)
    return 0


def _print_report(report: IngestReport, corpus: Corpus) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    summary = Text.assemble(
        (f"{report.articles} articles", "bold"),
        f" in {corpus.root.name}/ · ",
        (f"{len(report.added)} added", "green"),
        " · ",
        (f"{len(report.updated)} updated", "yellow"),
        " · ",
        (f"{len(report.removed)} removed", "red"),
        f" · {report.unchanged} unchanged · {len(report.skipped)} skipped",
        f" · {report.seconds:.2f} s",
    )
    out.print(summary)
    if report.skipped:
        table = Table("skipped", "reason", box=None, header_style="bold yellow")
        for skipped in report.skipped:
            table.add_row(Text(skipped.path), Text(skipped.reason))
        out.print(table)
    for line in report.notes:
        out.print(Text(f"note: {line}", "yellow"))
