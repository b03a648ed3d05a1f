"""The architecture holds: the face goes through the engine's door, nothing imports
itself round in a circle, and no room grows too big to hold in one's head.

Imports are read from the sources (`ast`), lazy ones inside functions and those
under `TYPE_CHECKING` included: a cycle through them is still a knot to untie.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
PACKAGES = ("index", "tui")
# About 400 lines a class and 50 a function (docstrings and comments included); a
# little room above so that one more comment does not break the build.
MAX_CLASS_LINES = 420
MAX_FUNCTION_LINES = 55


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((PROJECT / package).rglob("*.py")):
            parts = list(path.relative_to(PROJECT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """The modules of ours that `path` imports, anywhere in it."""
    named: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            named.add(node.module)
            named.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in named if name in MODULES}


GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(name: str) -> None:
        order[name] = low[name] = len(order)
        stack.append(name)
        for other in GRAPH[name]:
            if other not in order:
                visit(other)
                low[name] = min(low[name], low[other])
            elif other in stack:
                low[name] = min(low[name], order[other])
        if low[name] == order[name]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == name:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for name in GRAPH:
        if name not in order:
            visit(name)
    return groups


def test_no_module_imports_itself_round_a_circle() -> None:
    assert _cycles() == []


def test_the_face_uses_only_the_engines_door() -> None:
    """`tui/` imports `index` (its `__init__`), never a module inside it."""
    reaching = {
        name: sorted(other for other in imported if other.startswith("index."))
        for name, imported in GRAPH.items()
        if name.startswith("tui")
    }
    assert {name: inside for name, inside in reaching.items() if inside} == {}


def test_the_engine_never_imports_the_face() -> None:
    assert {
        name: sorted(imported)
        for name, imported in GRAPH.items()
        if name.startswith("index") and any(other.startswith("tui") for other in imported)
    } == {}


def _definitions() -> Iterator[tuple[str, ast.AST, int]]:
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                assert node.end_lineno is not None
                yield f"{name}.{node.name}", node, node.end_lineno - node.lineno + 1


def test_no_class_is_too_big_to_hold_in_ones_head() -> None:
    big = {
        name: lines
        for name, node, lines in _definitions()
        if isinstance(node, ast.ClassDef) and lines > MAX_CLASS_LINES
    }
    assert big == {}


def test_no_function_is_too_long_to_read_at_once() -> None:
    long = {
        name: lines
        for name, node, lines in _definitions()
        if not isinstance(node, ast.ClassDef) and lines > MAX_FUNCTION_LINES
    }
    assert long == {}


@pytest.mark.parametrize("package", PACKAGES)
def test_the_walk_reaches_the_subpackages(package: str) -> None:
    assert any(name.count(".") >= 2 for name in MODULES if name.startswith(package))
