"""The engine never pulls in the terminal: `index` imports neither Textual nor Rich."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
INDEX_SOURCES = sorted((PROJECT / "index").rglob("*.py"))
FORBIDDEN = ("textual", "rich", "tui")


def _loaded_after(statements: str) -> list[str]:
    script = f"import json, sys\n{statements}\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _forbidden(modules: list[str]) -> list[str]:
    return [m for m in modules if m.split(".")[0] in FORBIDDEN]


def test_importing_the_engine_loads_no_terminal_module() -> None:
    modules = _loaded_after(
        "import index, index.corpus, index.search.query, index.ingest.clean, index.ingest.reading"
    )
    assert "index.ingest.reading" in modules and "whoosh" in modules  # the import did happen
    assert _forbidden(modules) == []


def test_ingesting_and_searching_loads_no_terminal_module(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text("Un titre\n\nUn paragraphe sur le veto russe.\n", "utf-8")
    (root / "b.html").write_text(
        "<html lang='fr'><body><article><h1>Titre</h1><p>Un paragraphe sur le veto, "
        "assez long pour être retenu comme texte principal de la page.</p></article>"
        "</body></html>",
        "utf-8",
    )
    modules = _loaded_after(
        "from index import Corpus\n"
        f"c = Corpus({str(root)!r}, {str(tmp_path / 'ix')!r}, entities=False)\n"
        "assert len(c.update().added) == 2\n"
        "assert c.search('veto').total >= 1\n"
        "list(c.iter_articles())"
    )
    assert "index.ingest.reading" in modules
    assert _forbidden(modules) == []


def test_recognising_entities_loads_no_terminal_module_of_ours(tmp_path: Path) -> None:
    """With the entity model: spaCy brings Rich along for its own command line
    (spacy.cli → typer → rich); Textual and the reader never come."""
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text("Un titre\n\nVladimir Poutine est arrivé à Pyongyang.\n", "utf-8")
    modules = _loaded_after(
        "from index import Corpus\n"
        f"c = Corpus({str(root)!r}, {str(tmp_path / 'ix')!r})\n"
        "assert len(c.update().added) == 1\n"
        "assert c.entities()"
    )
    assert "spacy" in modules
    assert [m for m in _forbidden(modules) if not m.startswith("rich")] == []


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_there_are_engine_sources() -> None:
    """The walk reaches into the subpackages, not only the top folder."""
    names = {path.relative_to(PROJECT / "index").as_posix() for path in INDEX_SOURCES}
    assert {
        "corpus.py",
        "model.py",
        "search/query.py",
        "ingest/clean.py",
        "ingest/reading.py",
        "entities/aliases.py",
        "crossref/related.py",
        "storage/catalog.py",
    } <= names


@pytest.mark.parametrize(
    "path", INDEX_SOURCES, ids=lambda p: p.relative_to(PROJECT / "index").as_posix()
)
def test_engine_source_imports_no_terminal_module(path: Path) -> None:
    assert _imported_roots(path).isdisjoint(FORBIDDEN)
    text = path.read_text(encoding="utf-8")
    for needle in ("import textual", "import rich", "from textual", "from rich", "from tui"):
        assert needle not in text, needle


def test_cli_commands_do_not_load_textual() -> None:
    """`presse search` is a quick tool: the reader's Textual is loaded only for the reader."""
    modules = _loaded_after("import tui.cli")
    assert [m for m in modules if m.split(".")[0] in ("textual", "spacy")] == []
