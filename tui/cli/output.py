"""What the commands print: the JSON contract, the Rich consoles, the one-line errors.

The JSON every command prints with `--json` is written once, here: `CONTRACT`
names, for each dataclass of the engine's model, the keys of its JSON object in
order and the field each one reads (README, "CLI contract"). `to_json` walks a
value by that table, so the commands never build a dict by hand and a field the
table does not name never reaches a script. `NOT_PRINTED` lists the fields the
model has and the contract leaves out, so that a field added to the model is a
decision (tests/cli/test_contract.py checks both tables against the model).

Nothing here imports the engine or Rich at module level: `import tui.cli` stays light.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_STORAGE = 2  # the index cannot be written (permissions, a full disk): as bad input
EXIT_INTERRUPTED = 130

# A key alone reads the field of that name; (key, "field.attribute") reads through a field.
Key: TypeAlias = "str | tuple[str, str]"

# fmt: off
CONTRACT: dict[str, tuple[Key, ...]] = {
    # presse index
    "IngestReport": ("added", "updated", "removed", "unchanged", "skipped", "articles",
                     "seconds", "notes"),
    "Skipped": ("path", "reason"),
    # presse search
    "SearchResult": ("query", "total", "suggestion", "results"),
    "SearchHit": ("id", "title", "date", "path", "score",
                  ("snippet", "snippet.text"), ("marks", "snippet.marks")),
    # presse export: one object a line
    "Article": ("id", "path", "title", "date", "date_source", "lang", "source", "text", "passages",
                "mentions"),
    "Passage": ("n", "start", "end", "kind", "lang"),
    "Mention": ("start", "end", "text", "label", "entity"),
    # presse entities: a list; an action, one entity; undo, a correction or null
    "Entity": ("id", "name", "label", "aliases", "count", "articles", "hidden"),
    "Correction": ("action", "entity", "other", "at"),
    # presse related
    "RelatedResult": ("doc", "passage", "results"),
    "RelatedPassage": ("doc", "passage", "title", "score", "kind", "text", "shared_terms",
                       "shared_entities", "marks", "sentence", "source_sentence"),
    # presse compare
    "Comparison": ("a", "b", "pairs", "unpaired_a", "unpaired_b", "shared_entities", "only_a",
                   "only_b"),
    "AlignedPair": ("a_passage", "b_passage", "score", "kind", "a_diff", "b_diff"),
}
# fmt: on

NOT_PRINTED: dict[str, tuple[str, ...]] = {
    "SearchHit": ("hits",),  # the reader's jumps from hit to hit
    "RelatedPassage": ("reused",),  # what made the kind
}


def to_json(value: object) -> Any:
    """`value` as the contract prints it: model dataclasses as objects keyed by
    `CONTRACT`, tuples and lists as lists, everything else as it is."""
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        pairs = key_paths(type(value).__name__)
        return {key: to_json(_read(value, path)) for key, path in pairs}
    return value


def key_paths(name: str) -> list[tuple[str, str]]:
    """The contract of the dataclass `name`: (JSON key, the field path it reads), in order."""
    return [(key, key) if isinstance(key, str) else key for key in CONTRACT[name]]


def _read(value: object, path: str) -> object:
    for attribute in path.split("."):
        value = getattr(value, attribute)
    return value


def print_json(value: object) -> None:
    """One line of JSON on stdout: `value` through the contract."""
    sys.stdout.write(json.dumps(to_json(value), ensure_ascii=False) + "\n")


def note(message: str) -> None:
    """One line on stderr: `presse: message`."""
    print(f"presse: {message}", file=sys.stderr)


def error(message: str, code: int = EXIT_ERROR) -> int:
    """Say what went wrong in one line on stderr; the exit code to return."""
    note(message)
    return code


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def heading(doc: str, title: str) -> Text:
    """An article's id and title, as the text output starts each one."""
    from rich.text import Text

    return Text.assemble((doc, "cyan"), "  ", (title, "bold"))
