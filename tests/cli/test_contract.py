"""The JSON contract of `tui/cli/output.py` against the engine's model and the README.

`CONTRACT` must name real dataclasses of `index` and real fields of them, and
account for every field (printed, or listed in `NOT_PRINTED`): a field added to
the model is a decision, not a silent change of the JSON. README's "CLI
contract" table must say what `CONTRACT` prints.
"""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path

import pytest

import index
from index import SearchHit, Snippet
from tui.cli.output import CONTRACT, NOT_PRINTED, key_paths, to_json
from tui.cli.parser import COMMANDS

README = Path(__file__).resolve().parents[2] / "README.md"
# What each command prints with --json: the contract's type, and whether a list of it.
PRINTS = {
    "index": ("IngestReport", False),
    "search": ("SearchResult", False),
    "export": ("Article", False),  # one a line
    "entities": ("Entity", True),
    "related": ("RelatedResult", False),
    "compare": ("Comparison", False),
}
ALSO_PRINTED = {"entities": "Correction"}  # `entities … undo` and `entities … corrections`


def _model(name: str) -> type:
    cls = getattr(index, name)
    assert dataclasses.is_dataclass(cls), name
    return typing.cast(type, cls)


def _listed_dataclass(hint: object) -> str | None:
    """`Skipped` for `list[Skipped]` or `tuple[Skipped, ...]`, when it is in the contract."""
    if typing.get_origin(hint) not in (list, tuple):
        return None
    inner = typing.get_args(hint)[0]
    return inner.__name__ if getattr(inner, "__name__", None) in CONTRACT else None


def _keys(name: str) -> list[tuple[str, str | None]]:
    """The keys of `name`'s JSON, each with the contract type of its items if a list of them."""
    hints = typing.get_type_hints(_model(name))
    return [
        (key, None if "." in path else _listed_dataclass(hints[path]))
        for key, path in key_paths(name)
    ]


def _shape(name: str) -> str:
    """The contract of `name` as README writes it: `{a, b, items:[{c, d}]}`."""
    parts = [f"{key}:[{_shape(inner)}]" if inner else key for key, inner in _keys(name)]
    return "{" + ", ".join(parts) + "}"


def _nested(name: str) -> set[str]:
    """The contract types found inside `name`, at any depth."""
    found = set()
    for _key, inner in _keys(name):
        if inner:
            found |= {inner, *_nested(inner)}
    return found


def _readme_row(command: str) -> str:
    (row,) = [
        line
        for line in README.read_text("utf-8").splitlines()
        if line.startswith(f"| `presse {command} ")
    ]
    return row


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_the_contract_reads_real_fields_and_accounts_for_every_field(name: str) -> None:
    cls = _model(name)
    fields = [field.name for field in dataclasses.fields(cls)]
    keys = key_paths(name)
    assert len({key for key, _ in keys}) == len(keys), "a key twice"
    read = set()
    for _key, path in keys:
        first, *rest = path.split(".")
        assert first in fields, path
        read.add(first)
        if rest:
            inner = typing.get_type_hints(cls)[first]
            assert len(rest) == 1, path
            assert rest[0] in [field.name for field in dataclasses.fields(inner)], path
    left_out = set(NOT_PRINTED.get(name, ()))
    assert read.isdisjoint(left_out)
    assert read | left_out == set(fields)


def test_not_printed_names_contract_types() -> None:
    assert set(NOT_PRINTED) <= set(CONTRACT)


def test_every_command_and_every_contract_type_is_accounted_for() -> None:
    assert set(PRINTS) == set(COMMANDS)
    reached = set(ALSO_PRINTED.values()) | {name for name, _many in PRINTS.values()}
    for name in list(reached):
        reached |= _nested(name)
    assert reached == set(CONTRACT)


@pytest.mark.parametrize("command", sorted(PRINTS))
def test_the_readme_states_the_contract(command: str) -> None:
    name, many = PRINTS[command]
    row = _readme_row(command)
    shape = _shape(name)
    assert (f"[{shape}]" if many else shape) in row
    if command in ALSO_PRINTED:
        assert _shape(ALSO_PRINTED[command]) in row


def test_to_json_reads_through_fields_and_makes_lists() -> None:
    hit = SearchHit(
        "000", "Titre", "2024-06", "000.txt", 1.5, Snippet("un veto", ((3, 7),)), ((9, 13),)
    )
    assert to_json(hit) == {
        "id": "000",
        "title": "Titre",
        "date": "2024-06",
        "path": "000.txt",
        "score": 1.5,
        "snippet": "un veto",
        "marks": [[3, 7]],
    }
    assert to_json(None) is None
    assert to_json(({"a": 1}, "b")) == [{"a": 1}, "b"]


def test_to_json_refuses_a_dataclass_outside_the_contract() -> None:
    @dataclasses.dataclass
    class Secret:
        token: str

    with pytest.raises(KeyError):
        to_json(Secret("x"))
