"""The `presse` command: the reader, and a non-interactive twin of each view.

    presse [CORPUS]                  open the reader (indexes in the background)
    presse index CORPUS              bring the index up to date, print a report
    presse search CORPUS QUERY       full-text search
    presse export CORPUS             every article as JSON Lines
    presse entities CORPUS [ACTION]  the people, places and organisations; corrections
    presse related CORPUS DOC N      passages of other articles related to one passage
    presse compare CORPUS DOC_A DOC_B  two articles side by side

Every command takes `--index-dir` and `--json`. Bad input gets one line on
stderr and a non-zero exit, never a traceback. Heavy modules (Textual, Rich,
the engine) are imported only by the commands that need them. `python -m tui`
runs the same (tui/__main__.py).

    tui/cli/
      __init__.py   main: the reader or a command, and the errors turned into exit codes
      parser.py     the arguments of the reader and of each command
      output.py     the JSON contract (model dataclass → JSON), consoles, error lines
      indexing.py   `index`, and the update or refresh every command starts with
      reading.py    `search` and `export`
      entities.py   `entities`: the list, one entity, corrections
      crossref.py   `related` and `compare`
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from tui.cli.crossref import cmd_compare, cmd_related
from tui.cli.entities import cmd_entities
from tui.cli.indexing import cmd_index
from tui.cli.output import EXIT_INTERRUPTED, EXIT_STORAGE, error, note
from tui.cli.parser import COMMANDS, command_parsers, reader_parser
from tui.cli.reading import cmd_export, cmd_search

HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "index": cmd_index,
    "search": cmd_search,
    "export": cmd_export,
    "entities": cmd_entities,
    "related": cmd_related,
    "compare": cmd_compare,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in COMMANDS:
            return _run_command(args)
        return _run_reader(args)
    except KeyboardInterrupt:
        note("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `presse export … | head`
        return 0


def _run_reader(args: list[str]) -> int:
    options = reader_parser().parse_args(args)
    # Said before the reader's imports, in the words of the commands (`CorpusError`).
    if not options.corpus.exists():
        return error(f"no such folder: {options.corpus}")
    if not options.corpus.is_dir():
        return error(f"not a folder: {options.corpus}")
    from tui.app import run_reader

    run_reader(options.corpus, options.index_dir)
    return 0


def _run_command(args: list[str]) -> int:
    parser, commands = command_parsers()
    if args[0] == "entities":
        # `entities CORPUS --index-dir X merge A B`: positionals on both sides of options.
        # Plain parse_args would take CORPUS, ACTION and NAMEs in one go, before the options.
        options = commands["entities"].parse_intermixed_args(args[1:])
        options.command = "entities"
    else:
        options = parser.parse_args(args)
    from index import PresseError, StorageError

    try:
        return HANDLERS[options.command](options)
    except StorageError as failure:
        return error(str(failure), EXIT_STORAGE)
    except PresseError as failure:
        return error(str(failure))
