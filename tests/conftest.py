"""Shared fixtures: the seed articles, a session-wide indexed copy of them, fresh copies.

The seeds in the project's `seeds/` are never written: every test that
indexes them works on a copy under pytest's tmp dirs, with its index there too.
No test may reach the user's real cache: `XDG_CACHE_HOME` points into tmp for
every test.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from index import Article, Corpus, IngestReport, SearchResult
from index.ingest.clean import clean_article
from index.ingest.decode import decode_bytes
from index.ingest.formats import RawDocument
from index.ingest.reading import dated

PROJECT = Path(__file__).resolve().parents[1]
SEEDS_DIR = PROJECT / "seeds"


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Seeds:
    """The five seed articles as files: their ids, raw texts, and greps over them."""

    dir: Path

    @property
    def files(self) -> list[Path]:
        return sorted(self.dir.glob("*.txt"))

    @property
    def ids(self) -> dict[str, str]:
        """Short id (`000`) → full document id (`000_34fdb793e7d525a8`)."""
        return {path.stem[:3]: path.stem for path in self.files}

    def path(self, short: str) -> Path:
        return self.dir / f"{self.ids[short]}.txt"

    def text(self, short: str) -> str:
        """The seed's text exactly as on disk (UTF-8), before any cleaning."""
        return self.path(short).read_text(encoding="utf-8")

    def containing(self, pattern: str, *, fold: bool = False) -> set[str]:
        """Short ids of the seeds whose raw text matches the regex `pattern`."""
        found = set()
        for short in self.ids:
            text = _fold(self.text(short)) if fold else self.text(short)
            if re.search(pattern, text):
                found.add(short)
        return found

    @staticmethod
    def short(ids: Iterable[str] | SearchResult) -> set[str]:
        if isinstance(ids, SearchResult):
            ids = [hit.id for hit in ids.results]
        return {doc_id[:3] for doc_id in ids}


@dataclass
class Indexed:
    corpus: Corpus
    root: Path
    index_dir: Path
    report: IngestReport


@pytest.fixture(scope="session", autouse=True)
def _private_session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The same for the session's fixtures (the indexed seeds), which are made before
    any test's own fixtures."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-session-cache")))
        yield


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Whatever a test does, the user's real cache directory stays untouched."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))


@pytest.fixture(scope="session")
def seeds() -> Seeds:
    assert len(list(SEEDS_DIR.glob("*.txt"))) == 5, "the project's seeds/ must hold 5 articles"
    return Seeds(SEEDS_DIR)


def copy_seeds(destination: Path) -> Path:
    shutil.copytree(SEEDS_DIR, destination)
    return destination


def copy_index(source: Path, destination: Path) -> Path:
    """A copy of an index directory that this process may have open: the catalog through
    SQLite's backup, the rest (Whoosh, the user's files) as files, the lock file left.

    Copying the catalog's files would open and close them in this process, and a close
    drops every POSIX lock the process holds on the file, SQLite's included: another
    process then took the session's live log for an abandoned one and reset it (a "disk
    I/O error" in a later test of the session's index)."""
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns("*.lock", "catalog.sqlite*"))
    catalog = source / "catalog.sqlite"
    with (
        contextlib.closing(sqlite3.connect(catalog)) as live,
        contextlib.closing(sqlite3.connect(destination / catalog.name)) as copy,
    ):
        live.backup(copy)
    return destination


def copy_indexed(indexed: Indexed, destination: Path) -> tuple[Path, Path]:
    """A copy of an indexed corpus under `destination`: its folder (with the mtimes the
    catalog recorded) and its index, current at once."""
    root = destination / "corpus"
    shutil.copytree(indexed.root, root)  # copy2: the mtimes the catalog recorded
    return root, copy_index(indexed.index_dir, destination / "index")


@pytest.fixture(scope="session")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Indexed]:
    """A copy of the seeds indexed once for the whole session; tests only read it."""
    base = tmp_path_factory.mktemp("seeded")
    root = copy_seeds(base / "corpus")
    index_dir = base / "index"
    corpus = Corpus(root, index_dir)
    report = corpus.update()
    yield Indexed(corpus, root, index_dir, report)
    corpus.close()


@pytest.fixture(scope="session")
def corpus(indexed: Indexed) -> Corpus:
    return indexed.corpus


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A fresh copy of the seeds a test may change."""
    return copy_seeds(tmp_path / "corpus")


@pytest.fixture
def fresh(corpus_copy: Path, tmp_path: Path) -> Iterator[Corpus]:
    """An indexed fresh copy of the seeds, with its own index directory."""
    fresh_corpus = Corpus(corpus_copy, tmp_path / "index")
    fresh_corpus.update()
    yield fresh_corpus
    fresh_corpus.close()


@pytest.fixture
def indexed_copy(indexed: Indexed, tmp_path: Path) -> Iterator[Indexed]:
    """A copy of the session's indexed seeds, index directory included, that a test may
    change (entity corrections, edited files). Current at once: no model run."""
    root, index_dir = copy_indexed(indexed, tmp_path)
    copy = Corpus(root, index_dir)
    report = copy.update()
    assert (report.unchanged, report.changed) == (5, False), "the copied index is current"
    yield Indexed(copy, root, index_dir, report)
    copy.close()


@pytest.fixture(scope="session")
def cleaned(seeds: Seeds) -> dict[str, Article]:
    """Each seed through `clean_article` and dated as the ingest dates it, keyed by short id."""
    result = {}
    for short, doc_id in seeds.ids.items():
        path = seeds.path(short)
        raw = RawDocument(doc_id, path.name, decode_bytes(path.read_bytes()))
        result[short] = dated(clean_article(raw), raw)
    return result
