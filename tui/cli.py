"""The `presse` command: the reader, and a non-interactive twin of each view.

    presse [CORPUS]                  open the reader (indexes in the background)
    presse index CORPUS              bring the index up to date, print a report
    presse search CORPUS QUERY       full-text search
    presse export CORPUS             every article as JSON Lines

Every command takes `--index-dir` and `--json`. Bad input gets one line on
stderr and a non-zero exit, never a traceback. Heavy modules (Textual, the
engine's parsers) are imported only by the commands that need them.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from index import Corpus, IngestReport, SearchResult

COMMANDS = ("index", "search", "export")
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in COMMANDS:
            return _run_command(args)
        return _run_reader(args)
    except KeyboardInterrupt:
        print("presse: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `presse export … | head`
        return 0


def _error(message: str, code: int = EXIT_ERROR) -> int:
    print(f"presse: {message}", file=sys.stderr)
    return code


# -- argument parsing ----------------------------------------------------------
def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("corpus", type=Path, help="the folder of articles (only read)")
    parser.add_argument(
        "--index-dir",
        type=Path,
        default=None,
        help="where the index lives (default: a per-user cache folder for this corpus)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _command_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presse", description="Read, search and compare a folder of news articles."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    index = commands.add_parser(
        "index",
        help="ingest new and changed files, drop removed ones",
        description="Bring the index of CORPUS up to date and report what changed.",
    )
    _common(index)
    search = commands.add_parser(
        "search",
        help="full-text search",
        description=(
            "Search the articles. French-aware: accents and case are ignored, plurals and"
            ' verb forms stemmed. Operators AND, OR, NOT, "phrases", wildcards (nucl*),'
            " fuzzy words (Poutine~1) and fields title:, date:, lang:."
        ),
    )
    _common(search)
    search.add_argument("query", help="the query, quoted as one argument")
    search.add_argument("--limit", type=int, default=10, help="results to show (default 10)")
    export = commands.add_parser(
        "export",
        help="every article with its passages",
        description="Print every article; with --json one JSON object per line (JSON Lines).",
    )
    _common(export)
    return parser


def _reader_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presse",
        description=(
            "Read a folder of news articles. Commands: "
            + ", ".join(COMMANDS)
            + " (presse COMMAND --help)."
        ),
    )
    parser.add_argument(
        "corpus", type=Path, nargs="?", default=Path("."), help="the folder (default: here)"
    )
    parser.add_argument("--index-dir", type=Path, default=None, help="where the index lives")
    parser.add_argument("--version", action="version", version=f"presse {_version()}")
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("presse")
    except PackageNotFoundError:
        return "unknown"


# -- the reader ------------------------------------------------------------------
def _run_reader(args: list[str]) -> int:
    options = _reader_parser().parse_args(args)
    corpus_root: Path = options.corpus
    if not corpus_root.is_dir():
        return _error(f"not a folder: {corpus_root}")
    from tui.app import run_reader

    run_reader(corpus_root, options.index_dir)
    return 0


# -- the commands ----------------------------------------------------------------
def _run_command(args: list[str]) -> int:
    options = _command_parser().parse_args(args)
    from index import PresseError

    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "index": _cmd_index,
        "search": _cmd_search,
        "export": _cmd_export,
    }
    try:
        return handlers[options.command](options)
    except PresseError as error:
        return _error(str(error))


def _open(options: argparse.Namespace) -> Corpus:
    from index import Corpus

    return Corpus(options.corpus, options.index_dir)


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _update(corpus: Corpus, quiet: bool) -> IngestReport:
    """Update the index, with a progress bar on stderr when it is a terminal."""
    console = _console(stderr=True)
    if quiet or not console.is_terminal:
        return corpus.update()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("indexing", total=None)

        def on_progress(step: Any) -> None:
            bar.update(task, completed=step.done, total=step.total)

        return corpus.update(progress=on_progress)


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")


def _cmd_index(options: argparse.Namespace) -> int:
    corpus = _open(options)
    report = _update(corpus, quiet=options.json)
    if options.json:
        _print_json(dataclasses.asdict(report))
        return 0
    _print_report(report, corpus)
    return 0


def _print_report(report: IngestReport, corpus: Corpus) -> None:
    from rich.table import Table
    from rich.text import Text

    console = _console()
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
    console.print(summary)
    if report.skipped:
        table = Table("skipped", "reason", box=None, header_style="bold yellow")
        for skipped in report.skipped:
            table.add_row(Text(skipped.path), Text(skipped.reason))
        console.print(table)


def _cmd_search(options: argparse.Namespace) -> int:
    if options.limit < 0:
        return _error("--limit must be zero or more", EXIT_USAGE)
    corpus = _open(options)
    _update(corpus, quiet=True)
    result = corpus.search(options.query, limit=options.limit)
    if options.json:
        _print_json(_search_json(result))
        return 0
    _print_search(result)
    return 0


def _search_json(result: SearchResult) -> dict[str, Any]:
    return {
        "query": result.query,
        "total": result.total,
        "suggestion": result.suggestion,
        "results": [
            {
                "id": hit.id,
                "title": hit.title,
                "date": hit.date,
                "path": hit.path,
                "score": hit.score,
                "snippet": hit.snippet.text,
                "marks": [list(mark) for mark in hit.snippet.marks],
            }
            for hit in result.results
        ],
    }


def _print_search(result: SearchResult) -> None:
    from rich.text import Text

    console = _console()
    noun = "article" if result.total == 1 else "articles"
    console.print(Text.assemble((f"{result.total} {noun}", "bold"), f" for {result.query}"))
    if result.suggestion:
        console.print(Text.assemble("did you mean ", (result.suggestion, "bold cyan"), "?"))
    for hit in result.results:
        console.print()
        heading = Text.assemble((hit.id, "cyan"), "  ", (hit.title, "bold"))
        if hit.date:
            heading.append(f"  {hit.date}", "dim")
        heading.append(f"  {hit.score:.2f}", "dim")
        console.print(heading)
        snippet = Text("  " + hit.snippet.text)
        for start, end in hit.snippet.marks:
            snippet.stylize("bold reverse", start + 2, end + 2)
        console.print(snippet)


def _cmd_export(options: argparse.Namespace) -> int:
    corpus = _open(options)
    _update(corpus, quiet=options.json)
    if options.json:
        for article in corpus.iter_articles():
            _print_json(_article_json(article))
        return 0
    from rich.text import Text

    console = _console()
    for article in corpus.iter_articles():
        heading = Text.assemble((article.id, "cyan"), "  ", (article.title, "bold"))
        heading.append(f"  {article.date or 'no date'} · {article.lang}", "dim")
        console.print(heading)
        kinds: dict[str, int] = {}
        for passage in article.passages:
            kinds[passage.kind] = kinds.get(passage.kind, 0) + 1
        detail = ", ".join(f"{count} {kind}" for kind, count in kinds.items())
        console.print(Text(f"  {article.path} · {len(article.text)} chars · {detail}", "dim"))
    return 0


def _article_json(article: Any) -> dict[str, Any]:
    return {
        "id": article.id,
        "path": article.path,
        "title": article.title,
        "date": article.date,
        "lang": article.lang,
        "source": article.source,
        "text": article.text,
        "passages": [dataclasses.asdict(p) for p in article.passages],
        "mentions": [],
    }


if __name__ == "__main__":
    sys.exit(main())
