"""`presse search` and `presse export`: the articles that match a query, every article."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from tui.cli.indexing import open_current, progress_bar
from tui.cli.output import EXIT_USAGE, console, error, heading, print_json
from tui.cli.parser import NEGATIVE_LIMIT
from tui.display import counted

if TYPE_CHECKING:
    from index import Corpus, SearchResult


def cmd_search(options: argparse.Namespace) -> int:
    if options.limit < 0:
        return error(NEGATIVE_LIMIT, EXIT_USAGE)
    corpus = open_current(options)
    result = corpus.search(options.query, limit=options.limit)
    if options.json:
        print_json(result)
    else:
        _print_search(result)
    return 0


def _print_search(result: SearchResult) -> None:
    from rich.text import Text

    out = console()
    out.print(Text.assemble((counted(result.total, "article"), "bold"), f" for {result.query}"))
    if result.suggestion:
        out.print(Text.assemble("did you mean ", (result.suggestion, "bold cyan"), "?"))
    for hit in result.results:
        out.print()
        line = heading(hit.id, hit.title)
        if hit.date:
            line.append(f"  {hit.date}", "dim")
        line.append(f"  {hit.score:.2f}", "dim")
        out.print(line)
        snippet = Text("  " + hit.snippet.text)
        for start, end in hit.snippet.marks:
            snippet.stylize("bold reverse", start + 2, end + 2)
        out.print(snippet)


def cmd_export(options: argparse.Namespace) -> int:
    corpus = open_current(options, quiet=options.json)
    if options.json:
        summaries = corpus.articles()
        with export_progress(len(summaries)) as advance:
            for summary in summaries:
                # (`article()`, not `iter_articles()`: only the former carries the mentions.)
                print_json(corpus.article(summary.id))
                advance()
    else:
        _print_export(corpus)
    return 0


@contextmanager
def export_progress(total: int) -> Iterator[Callable[[], None]]:
    """A bar on stderr while `total` articles are exported to a file or a pipe (stdout
    not a terminal, stderr one); yields the call that counts one more."""
    stderr = console(stderr=True)
    if sys.stdout.isatty() or not stderr.is_terminal:
        yield lambda: None
        return
    bar = progress_bar(stderr)
    task = bar.add_task("exporting articles", total=total)
    with bar:
        yield lambda: bar.advance(task)


def _print_export(corpus: Corpus) -> None:
    from rich.text import Text

    from tui.display import dated

    out = console()
    for article in corpus.iter_articles():
        line = heading(article.id, article.title)
        when = dated(article.date, article.date_source) or "no date"
        line.append(f"  {when} · {article.lang}", "dim")
        out.print(line)
        kinds: dict[str, int] = {}
        for passage in article.passages:
            kinds[passage.kind] = kinds.get(passage.kind, 0) + 1
        detail = ", ".join(counted(count, kind) for kind, count in kinds.items())
        out.print(Text(f"  {article.path} · {len(article.text)} chars · {detail}", "dim"))
