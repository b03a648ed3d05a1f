"""The `presse` command: the reader, and a non-interactive twin of each view.

    presse [CORPUS]                  open the reader (indexes in the background)
    presse index CORPUS              bring the index up to date, print a report
    presse search CORPUS QUERY       full-text search
    presse export CORPUS             every article as JSON Lines
    presse entities CORPUS [ACTION]  the people, places and organisations; corrections

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
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from index import Corpus, Correction, Entity, IngestReport, SearchResult

COMMANDS = ("index", "search", "export", "entities", "related", "compare")
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_STORAGE = 2  # the index cannot be written (permissions, a full disk): as bad input
EXIT_INTERRUPTED = 130
AUTO_PROCS = 0  # `Corpus.update(procs=0)`: worker processes when there is work enough
STAGE_NAMES = {"reading": "reading files", "indexing": "writing the index"}


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
    index.add_argument(
        "--procs",
        type=int,
        default=None,
        metavar="N",
        help=(
            "run the entity model in N worker processes; each holds a copy of the model"
            " (400 MB). Default: one per core, up to 4, when there are 200 files or more"
            " to read, else 1"
        ),
    )
    search = commands.add_parser(
        "search",
        help="full-text search",
        description=(
            "Search the articles. French-aware: accents and case are ignored, plurals and"
            ' verb forms stemmed. Operators AND, OR, NOT, "phrases", wildcards (nucl*),'
            " fuzzy words (Poutine~1) and fields title:, date:, lang:, entity:"
            ' (entity:"Kim Jong Un" finds every article naming him, under any spelling).'
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
    _entities_parser(commands)
    related = commands.add_parser(
        "related",
        help="passages of other articles related to one passage",
        description=(
            "The passages of other articles that report the same fact or reuse the same"
            " wording as passage N of DOC, best first, each with why: near-duplicate"
            " (reused wording) or related, the words and the entities they share."
        ),
    )
    _common(related)
    related.add_argument("doc", help="the article: its id or a unique prefix (000)")
    related.add_argument("n", type=int, help="the passage number, from 0")
    related.add_argument("--limit", type=int, default=10, help="results to show (default 10)")
    compare = commands.add_parser(
        "compare",
        help="two articles side by side",
        description=(
            "Align the passages of DOC_A and DOC_B pair by pair, and list what only one"
            " of them says and the entities both or only one name."
        ),
    )
    _common(compare)
    compare.add_argument("doc_a", help="the first article (id or unique prefix)")
    compare.add_argument("doc_b", help="the second article")
    compare.add_argument("--markdown", action="store_true", help="print the comparison as Markdown")
    return parser


ENTITY_LABELS = ("PER", "LOC", "ORG", "MISC")
# action → (its arguments, what it does), for --help and for checking the arguments.
ENTITY_ACTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "show": (("ENTITY",), "one entity: its aliases and the articles that name it"),
    "merge": (("A", "B"), "make A and B one entity (two spellings the machine kept apart)"),
    "split": (("ENTITY", "ALIAS"), "take ALIAS out of ENTITY: it becomes an entity of its own"),
    "rename": (("ENTITY", "NAME"), "show ENTITY as NAME (its aliases stay)"),
    "hide": (("ENTITY",), "a false entity: no longer listed, highlighted or searchable"),
    "undo": ((), "take back the last correction"),
    "corrections": ((), "list the corrections, oldest first"),
}


def _entities_parser(commands: Any) -> None:
    actions = "\n".join(
        f"  {' '.join((name, *arity)):<22} {about}"
        for name, (arity, about) in ENTITY_ACTIONS.items()
    )
    entities = commands.add_parser(
        "entities",
        help="the people, places and organisations; correct them",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Without ACTION, list the entities of CORPUS, most mentioned first.\n"
            "With an ACTION, correct them or look one up:\n\n"
            f"{actions}\n\n"
            "An entity is named by its name, any of its aliases or its id. Corrections are\n"
            "kept beside the index (corrections.json) and applied again on every re-index;\n"
            "the corpus folder is never written. With --json, an action prints the\n"
            "resulting entity as one object (split: the new entity; undo: the correction\n"
            "taken back, or null)."
        ),
        epilog=(
            'example: presse entities seeds/ merge "Kim Jong-il" "Kim Il Sung"'
            " && presse entities seeds/ undo"
        ),
    )
    _common(entities)
    entities.add_argument(
        "action",
        nargs="?",
        metavar="ACTION",
        help="one of " + ", ".join(ENTITY_ACTIONS) + " (default: list the entities)",
    )
    entities.add_argument(
        "names", nargs="*", default=[], metavar="NAME", help="the action's arguments"
    )
    entities.add_argument(
        "--label",
        type=str.upper,
        choices=ENTITY_LABELS,
        default=None,
        help="list only persons (PER), places (LOC), organisations (ORG) or others (MISC)",
    )
    entities.add_argument(
        "--limit", type=int, default=None, metavar="N", help="list at most N entities"
    )
    entities.add_argument(
        "--hidden", action="store_true", help="list the hidden entities too (marked hidden)"
    )


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found: argparse.ArgumentParser = action.choices[name]
            return found
    raise LookupError(name)


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
    parser = _command_parser()
    if args[0] == "entities":
        # `entities CORPUS --index-dir X merge A B`: positionals on both sides of options.
        # Plain parse_args would take CORPUS, ACTION and NAMEs in one go, before the options.
        options = _subparser(parser, "entities").parse_intermixed_args(args[1:])
        options.command = "entities"
    else:
        options = parser.parse_args(args)
    from index import PresseError, StorageError

    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "index": _cmd_index,
        "search": _cmd_search,
        "export": _cmd_export,
        "entities": _cmd_entities,
        "related": _cmd_related,
        "compare": _cmd_compare,
    }
    try:
        return handlers[options.command](options)
    except StorageError as error:
        return _error(str(error), EXIT_STORAGE)
    except PresseError as error:
        return _error(str(error))


def _open(options: argparse.Namespace) -> Corpus:
    from index import Corpus

    return Corpus(options.corpus, options.index_dir)


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _update(corpus: Corpus, quiet: bool, procs: int = 1) -> IngestReport:
    """Update the index, waiting first for another presse that is updating it.

    Waiting is what a user expects of `presse index` started twice: the second
    says so on stderr, can be stopped with ctrl+c, and reports what is left to do.
    """

    def waiting() -> None:
        print("presse: waiting for another presse to finish indexing…", file=sys.stderr)

    return _update_now(corpus, quiet, procs, waiting)


def _refresh(corpus: Corpus, quiet: bool = True) -> None:
    """Before a reading command: bring the index up to date if this process can.

    When another presse is updating it, or it cannot be written, the command reads
    the index as it is (SQLite and Whoosh let readers see the last commit, whole)
    and says so on stderr.
    """
    from index import IndexBusy

    if corpus.read_only:
        if not corpus.is_current():
            print(
                f"presse: note: the index in {corpus.index_dir} cannot be written and is"
                " not up to date; showing it as it is",
                file=sys.stderr,
            )
        return
    try:
        _update_now(corpus, quiet, procs=1)
    except IndexBusy:
        print(
            "presse: note: another presse is updating this index; showing it as it is",
            file=sys.stderr,
        )


def _update_now(
    corpus: Corpus, quiet: bool, procs: int, waiting: Callable[[], None] | None = None
) -> IngestReport:
    """Update the index, with a progress bar on stderr when it is a terminal.

    The bar appears with the first file to read: a current index shows none. With
    `waiting`, an update of another presse is waited for (`waiting()` says so once);
    without it, that update is an IndexBusy.
    """
    if waiting is None:
        update: Callable[..., IngestReport] = corpus.update
    else:
        update = partial(corpus.update_when_free, waiting=waiting)
    console = _console(stderr=True)
    if quiet or not console.is_terminal:
        return update(procs=procs)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )
    tasks: dict[str, Any] = {}  # a bar a stage: reading the files, then writing the index

    def on_progress(step: Any) -> None:
        if not tasks:
            bar.start()
        if step.stage not in tasks:
            for task in tasks.values():
                bar.update(task, visible=False)
            tasks[step.stage] = bar.add_task(STAGE_NAMES.get(step.stage, step.stage), total=None)
        bar.update(tasks[step.stage], completed=step.done, total=step.total)

    try:
        return update(progress=on_progress, procs=procs)
    finally:
        if tasks:
            bar.stop()


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")


def _cmd_index(options: argparse.Namespace) -> int:
    if options.procs is not None and options.procs < 1:
        return _error("--procs must be 1 or more", EXIT_USAGE)
    corpus = _open(options)
    try:
        report = _update(corpus, quiet=options.json, procs=options.procs or AUTO_PROCS)
    except KeyboardInterrupt:
        return _error(
            "interrupted; the files indexed so far are kept, and `presse index` goes on from there",
            EXIT_INTERRUPTED,
        )
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
    for note in report.notes:
        console.print(Text(f"note: {note}", "yellow"))


def _cmd_search(options: argparse.Namespace) -> int:
    if options.limit < 0:
        return _error("--limit must be zero or more", EXIT_USAGE)
    corpus = _open(options)
    _refresh(corpus)
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
    _refresh(corpus, quiet=options.json)
    if options.json:
        for summary in corpus.articles():
            # (`article()`, not `iter_articles()`: only the former carries the mentions.)
            _print_json(_article_json(corpus.article(summary.id)))
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
        "mentions": [dataclasses.asdict(m) for m in article.mentions],
    }


# -- entities ------------------------------------------------------------------------
LABEL_STYLES = {
    "PER": "bold magenta",
    "LOC": "bold green",
    "ORG": "bold cyan",
    "MISC": "bold yellow",
}
ALIASES_SHOWN = 3


def _cmd_entities(options: argparse.Namespace) -> int:
    action: str | None = options.action
    names: list[str] = options.names
    if action is None:
        if options.limit is not None and options.limit < 0:
            return _error("--limit must be zero or more", EXIT_USAGE)
    else:
        if action not in ENTITY_ACTIONS:
            known = ", ".join(ENTITY_ACTIONS)
            return _error(f"unknown action {action!r} (one of: {known})", EXIT_USAGE)
        arity, _about = ENTITY_ACTIONS[action]
        if len(names) != len(arity):
            usage = " ".join((action, *arity))
            return _error(f"usage: presse entities CORPUS {usage}", EXIT_USAGE)
        if options.label or options.limit is not None or options.hidden:
            return _error("--label, --limit and --hidden only apply to the list", EXIT_USAGE)
    corpus = _open(options)
    if action in (None, "show", "corrections"):
        _refresh(corpus, quiet=options.json)
    else:  # a correction writes: like `presse index`, it waits for another writer
        _update(corpus, quiet=options.json)
    if action is None:
        return _list_entities(corpus, options)
    if action == "undo":
        return _undo(corpus, options.json)
    if action == "corrections":
        return _list_corrections(corpus, options.json)
    return _correct(corpus, action, names, options.json)


def _entity_json(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "label": entity.label,
        "aliases": list(entity.aliases),
        "count": entity.count,
        "articles": list(entity.articles),
        "hidden": entity.hidden,
    }


def _list_entities(corpus: Corpus, options: argparse.Namespace) -> int:
    entities = corpus.entities(label=options.label, hidden=options.hidden)
    total = len(entities)
    if options.limit is not None:
        entities = entities[: options.limit]
    if options.json:
        _print_json([_entity_json(entity) for entity in entities])
        return 0
    from rich.table import Table
    from rich.text import Text

    console = _console()
    noun = "entity" if total == 1 else "entities"
    summary = Text.assemble((f"{total} {noun}", "bold"), f" in {corpus.root.name}/")
    if options.label:
        summary.append(f" · {options.label} only")
    if len(entities) < total:
        summary.append(f" · the first {len(entities)} shown")
    console.print(summary)
    if not entities:
        return 0
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("name", overflow="fold")
    table.add_column("label")
    table.add_column("mentions", justify="right")
    table.add_column("articles", justify="right")
    table.add_column("aliases", overflow="fold")
    for entity in entities:
        name = Text(entity.name, "bold")
        if entity.hidden:
            name.append(" (hidden)", "dim")
        table.add_row(
            name,
            _label_text(entity.label),
            str(entity.count),
            str(len(entity.articles)),
            Text(_short_aliases(entity), "dim"),
        )
    console.print(table)
    return 0


def _label_text(label: str) -> Any:
    from rich.text import Text

    return Text(label, LABEL_STYLES.get(label, "bold"))


def _short_aliases(entity: Entity) -> str:
    """The other spellings, the most frequent first: `Poutine, V. Poutine, … (+2)`."""
    others = [alias for alias in entity.aliases if alias != entity.name]
    shown = ", ".join(others[:ALIASES_SHOWN])
    if len(others) > ALIASES_SHOWN:
        shown += f", … (+{len(others) - ALIASES_SHOWN})"
    return shown


def _correct(corpus: Corpus, action: str, names: list[str], as_json: bool) -> int:
    if action == "show":
        entity = corpus.entity(names[0])
        if as_json:
            _print_json(_entity_json(entity))
        else:
            _print_entity(entity, "")
        return 0
    before = corpus.entity(names[0])
    if action == "merge":
        other = corpus.entity(names[1])
        entity = corpus.merge_entities(names[0], names[1])
        done = f"merged {before.name} and {other.name} into"
    elif action == "split":
        entity = corpus.split_alias(names[0], names[1])
        done = f"split {names[1]} out of {before.name}: now"
    elif action == "rename":
        entity = corpus.rename_entity(names[0], names[1])
        done = f"renamed {before.name} to"
    else:
        entity = corpus.hide_entity(names[0])
        done = "hid"
    if as_json:
        _print_json(_entity_json(entity))
        return 0
    _print_entity(entity, done)
    from rich.text import Text

    console = _console()
    if action == "hide":
        console.print(Text("  no longer listed, highlighted or searchable", "dim"))
    if action == "split":
        kept = [alias for alias in before.aliases if alias not in entity.aliases]
        if kept:
            remaining = corpus.entity(kept[0])
            console.print(Text(f"  {remaining.name} keeps {', '.join(remaining.aliases)}", "dim"))
    return 0


def _print_entity(entity: Entity, done: str) -> None:
    from rich.text import Text

    console = _console()
    line = Text(f"{done} " if done else "")
    line.append(entity.name, "bold")
    line.append(" ")
    line.append_text(_label_text(entity.label))
    line.append(f"  {entity.id}", "dim")
    if entity.hidden:
        line.append("  hidden", "dim")
    console.print(line)
    mentions = "mention" if entity.count == 1 else "mentions"
    articles = "article" if len(entity.articles) == 1 else "articles"
    console.print(
        Text(
            f"  {entity.count} {mentions} in {len(entity.articles)} {articles}"
            f" · aliases: {', '.join(entity.aliases)}"
        )
    )
    if not done and entity.articles:
        console.print(Text("  " + " ".join(entity.articles), "cyan"))


def _correction_json(correction: Correction) -> dict[str, Any]:
    return dataclasses.asdict(correction)


def _describe(correction: Correction) -> str:
    if correction.action == "merge":
        return f"merge {correction.entity} + {correction.other}"
    if correction.action == "split":
        return f"split {correction.other} out of {correction.entity}"
    if correction.action == "rename":
        return f"rename {correction.entity} → {correction.other}"
    return f"hide {correction.entity}"


def _undo(corpus: Corpus, as_json: bool) -> int:
    undone = corpus.undo_correction()
    if as_json:
        _print_json(None if undone is None else _correction_json(undone))
        return 0
    from rich.text import Text

    if undone is None:
        _console().print("nothing to undo: there are no corrections")
    else:
        _console().print(Text.assemble("undid ", (_describe(undone), "bold")))
    return 0


def _list_corrections(corpus: Corpus, as_json: bool) -> int:
    corrections = corpus.corrections()
    if as_json:
        _print_json([_correction_json(c) for c in corrections])
        return 0
    from rich.text import Text

    console = _console()
    noun = "correction" if len(corrections) == 1 else "corrections"
    console.print(Text(f"{len(corrections)} {noun}", "bold"))
    for n, correction in enumerate(corrections, 1):
        console.print(
            Text.assemble(f"{n:>3}. ", _describe(correction), (f"  {correction.at}", "dim"))
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())


def _cmd_related(options: argparse.Namespace) -> int:
    if options.limit < 0:
        return _error("--limit must be zero or more", EXIT_USAGE)
    corpus = _open(options)
    _refresh(corpus)
    result = corpus.related(options.doc, options.n, limit=options.limit)
    if options.json:
        _print_json(
            {
                "doc": result.doc,
                "passage": result.passage,
                "results": [
                    {
                        "doc": r.doc,
                        "passage": r.passage,
                        "title": r.title,
                        "score": r.score,
                        "kind": r.kind,
                        "text": r.text,
                        "shared_terms": list(r.shared_terms),
                        "shared_entities": list(r.shared_entities),
                        "marks": [list(mark) for mark in r.marks],
                    }
                    for r in result.results
                ],
            }
        )
        return 0
    from rich.text import Text

    console = _console()
    source = corpus.article(result.doc)
    console.print(
        Text.assemble((f"{source.id} #{result.passage}", "cyan"), "  ", (source.title, "bold"))
    )
    console.print(Text("  " + source.passage_text(source.passages[result.passage]), "dim"))
    if not result.results:
        console.print("no related passage in the other articles")
    for r in result.results:
        console.print()
        kind_style = "bold magenta" if r.kind == "near-duplicate" else "bold blue"
        console.print(
            Text.assemble(
                (f"{r.doc} #{r.passage}", "cyan"),
                "  ",
                (r.kind, kind_style),
                f"  {r.score:.2f}  ",
                (r.title, "bold"),
            )
        )
        body = Text("  " + r.text)
        for start, end in r.marks:
            body.stylize("bold underline", start + 2, end + 2)
        console.print(body)
        if r.shared_entities:
            console.print(Text("  entities: " + ", ".join(r.shared_entities), "dim"))
    return 0


def _cmd_compare(options: argparse.Namespace) -> int:
    corpus = _open(options)
    _refresh(corpus)
    a, b = corpus.article(options.doc_a), corpus.article(options.doc_b)
    comparison = corpus.compare(a.id, b.id)
    if options.json:
        _print_json(
            {
                "a": comparison.a,
                "b": comparison.b,
                "pairs": [
                    {
                        "a_passage": p.a_passage,
                        "b_passage": p.b_passage,
                        "score": p.score,
                        "kind": p.kind,
                        "a_diff": [list(s) for s in p.a_diff],
                        "b_diff": [list(s) for s in p.b_diff],
                    }
                    for p in comparison.pairs
                ],
                "unpaired_a": list(comparison.unpaired_a),
                "unpaired_b": list(comparison.unpaired_b),
                "shared_entities": list(comparison.shared_entities),
                "only_a": list(comparison.only_a),
                "only_b": list(comparison.only_b),
            }
        )
        return 0
    names = {e.id: e.name for e in corpus.entities(hidden=True)}
    if options.markdown:
        from index import comparison_markdown

        sys.stdout.write(comparison_markdown(a, b, comparison, names))
        return 0
    from rich.table import Table
    from rich.text import Text

    console = _console()
    console.print(Text.assemble(("A ", "bold"), (a.id, "cyan"), "  ", (a.title, "bold")))
    console.print(Text.assemble(("B ", "bold"), (b.id, "cyan"), "  ", (b.title, "bold")))
    table = Table("A", "B", "kind", "score", box=None, header_style="bold")
    for pair in comparison.pairs:
        table.add_row(
            Text(_excerpt(a.passage_text(a.passages[pair.a_passage]))),
            Text(_excerpt(b.passage_text(b.passages[pair.b_passage]))),
            Text(pair.kind, "magenta" if pair.kind == "near-duplicate" else "blue"),
            f"{pair.score:.2f}",
        )
    console.print(table)
    for side, unpaired in (("A", comparison.unpaired_a), ("B", comparison.unpaired_b)):
        shown = ", ".join(f"#{n}" for n in unpaired) or "-"
        console.print(Text(f"only in {side}: {shown}", "dim"))
    for label, ids in (
        ("both name", comparison.shared_entities),
        ("only A names", comparison.only_a),
        ("only B names", comparison.only_b),
    ):
        console.print(Text(f"{label}: " + (", ".join(names.get(i, i) for i in ids) or "-")))
    return 0


def _excerpt(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
