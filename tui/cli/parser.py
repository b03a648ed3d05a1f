"""The command line's grammar: one argparse parser for the reader, one for the commands.

`command_parsers` returns the sub-parsers by name beside the main parser, so
that `entities`, whose positionals stand on both sides of its options, can be
parsed by its own sub-parser without reading argparse's private attributes.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("corpus", type=Path, help="the folder of articles (only read)")
    parser.add_argument(
        "--index-dir",
        type=Path,
        default=None,
        help="where the index lives (default: a per-user cache folder for this corpus)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


NEGATIVE_LIMIT = "--limit must be zero or more"  # argparse takes any int; the commands check


def _limit(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=int, default=10, help="results to show (default 10)")


def _index_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--procs",
        type=int,
        default=None,
        metavar="N",
        help=(
            "read the files and run the entity model in N worker processes; each holds a"
            " copy of the model (400 MB). Default: one per core, up to 4, when there are"
            " 200 files or more to read, else 1"
        ),
    )
    parser.add_argument(
        "--cluster",
        default=None,
        metavar="ADDRESS",
        help=(
            "do that work on the workers of the Dask cluster whose scheduler is at ADDRESS"
            " (tcp://HOST:8786); this machine reads the files and writes the index. Needs"
            " the `cluster` extra: pip install 'presse[cluster]'"
        ),
    )


def _search_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", help="the query, quoted as one argument")
    _limit(parser)


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    """Export takes the common arguments only."""


def _entities_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action",
        nargs="?",
        metavar="ACTION",
        help="one of " + ", ".join(ENTITY_ACTIONS) + " (default: list the entities)",
    )
    parser.add_argument(
        "names", nargs="*", default=[], metavar="NAME", help="the action's arguments"
    )
    parser.add_argument(
        "--label",
        type=str.upper,
        choices=ENTITY_LABELS,
        default=None,
        help="list only persons (PER), places (LOC), organisations (ORG) or others (MISC)",
    )
    parser.add_argument(
        "--limit", type=int, default=None, metavar="N", help="list at most N entities"
    )
    parser.add_argument(
        "--hidden", action="store_true", help="list the hidden entities too (marked hidden)"
    )


def _related_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("doc", help="the article: its id or a unique prefix (000)")
    parser.add_argument("n", type=int, help="the passage number, from 0")
    _limit(parser)


def _compare_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("doc_a", help="the first article (id or unique prefix)")
    parser.add_argument("doc_b", help="the second article")
    parser.add_argument("--markdown", action="store_true", help="print the comparison as Markdown")


def _entity_actions_help() -> str:
    return "\n".join(
        f"  {' '.join((name, *arity)):<22} {about}"
        for name, (arity, about) in ENTITY_ACTIONS.items()
    )


# command → (what `add_parser` is told, the command's own arguments), in --help's order.
SUBCOMMANDS: dict[str, tuple[dict[str, Any], Callable[[argparse.ArgumentParser], None]]] = {
    "index": (
        {
            "help": "ingest new and changed files, drop removed ones",
            "description": "Bring the index of CORPUS up to date and report what changed.",
        },
        _index_arguments,
    ),
    "search": (
        {
            "help": "full-text search",
            "description": (
                "Search the articles. French-aware: accents and case are ignored, plurals and"
                ' verb forms stemmed. Operators AND, OR, NOT, "phrases", wildcards (nucl*),'
                " fuzzy words (Poutine~1) and fields title:, date:, lang:, entity:"
                ' (entity:"Kim Jong Un" finds every article naming him, under any spelling).'
            ),
        },
        _search_arguments,
    ),
    "export": (
        {
            "help": "every article with its passages",
            "description": (
                "Print every article; with --json one JSON object per line (JSON Lines)."
            ),
        },
        _export_arguments,
    ),
    "entities": (
        {
            "help": "the people, places and organisations; correct them",
            "formatter_class": argparse.RawDescriptionHelpFormatter,
            "description": (
                "Without ACTION, list the entities of CORPUS, most mentioned first.\n"
                "With an ACTION, correct them or look one up:\n\n"
                f"{_entity_actions_help()}\n\n"
                "An entity is named by its name, any of its aliases or its id. Corrections are\n"
                "kept beside the index (corrections.json) and applied again on every re-index;\n"
                "the corpus folder is never written. With --json, an action prints the\n"
                "resulting entity as one object (split: the new entity; undo: the correction\n"
                "taken back, or null)."
            ),
            "epilog": (
                'example: presse entities seeds/ merge "Kim Jong-il" "Kim Il Sung"'
                " && presse entities seeds/ undo"
            ),
        },
        _entities_arguments,
    ),
    "related": (
        {
            "help": "passages of other articles related to one passage",
            "description": (
                "The passages of other articles that report the same fact or reuse the same"
                " wording as passage N of DOC, best first, each with why: near-duplicate"
                " (reused wording), same-fact (the same event and detail) or same-subject,"
                " the sentences that match, the words and the entities they share."
            ),
        },
        _related_arguments,
    ),
    "compare": (
        {
            "help": "two articles side by side",
            "description": (
                "Align the passages of DOC_A and DOC_B pair by pair, and list what only one"
                " of them says and the entities both or only one name."
            ),
        },
        _compare_arguments,
    ),
}
COMMANDS = tuple(SUBCOMMANDS)


def command_parsers() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The parser of `presse COMMAND …`, and each command's own parser by name."""
    parser = argparse.ArgumentParser(
        prog="presse", description="Read, search and compare a folder of news articles."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    subparsers = {}
    for name, (about, add_arguments) in SUBCOMMANDS.items():
        subparsers[name] = commands.add_parser(name, **about)
        _common(subparsers[name])
        add_arguments(subparsers[name])
    return parser, subparsers


def reader_parser() -> argparse.ArgumentParser:
    """The parser of `presse [CORPUS]`, the reader."""
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
