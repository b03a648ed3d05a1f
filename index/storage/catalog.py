"""The catalog: what was ingested from which file, and the cleaned articles themselves.

A small SQLite database next to the Whoosh index. It answers the questions
that must be fast and need no full-text search: which files changed since the
last run (sizes, mtimes and content hashes), the article list for the reader,
and an article's cleaned text and passages. SQLite gives atomic commits, so a
run killed at any moment leaves the previous state intact.
"""

from __future__ import annotations

import contextlib
import errno
import json
import shutil
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.entities.mentions import RawMention
from index.errors import StorageError, storage_error
from index.model import Article, ArticleSummary, Passage

FR = "fr"  # the language the NER model reads; passages in others are matched by name
_MAX_VARIABLES = 500  # values bound to one statement (SQLite allows 999 at the least)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    rel TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL,
    problem TEXT            -- why the file gave no article, or NULL
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    rel TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT NOT NULL,
    lang TEXT NOT NULL,
    source TEXT NOT NULL,
    text TEXT NOT NULL,
    passages TEXT NOT NULL, -- JSON: [[n, start, end, kind, lang], ...]
    n_passages INTEGER NOT NULL,
    n_chars INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_rel ON articles (rel);
-- Names found in the articles: by the model (source 'ner', kept with the article:
-- the model runs once per content), or by matching known names in passages that
-- are not French (source 'pattern', redone whenever the entities change).
CREATE TABLE IF NOT EXISTS mentions (
    article TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    initial INTEGER NOT NULL,
    source TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions (article);
CREATE INDEX IF NOT EXISTS mentions_text ON mentions (text);
-- The few pattern mentions, found without reading the model's half million.
CREATE INDEX IF NOT EXISTS mentions_pattern ON mentions (article) WHERE source = 'pattern';
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    label TEXT NOT NULL,
    aliases TEXT NOT NULL,  -- JSON list of surface forms
    hidden INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS aliases (
    surface TEXT PRIMARY KEY,
    entity TEXT NOT NULL
) WITHOUT ROWID;
-- Passages in another language than French: tagged by matching known names.
CREATE TABLE IF NOT EXISTS foreign_passages (
    article TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    lang TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS foreign_article ON foreign_passages (article);
-- Sampled shingle fingerprints of each article's passages (wirecopy.pack), and the
-- wire-copy pairs they reveal, found on demand for the whole corpus.
CREATE TABLE IF NOT EXISTS fingerprints (
    article TEXT PRIMARY KEY,
    prints BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS wire_pairs (
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    passages INTEGER NOT NULL  -- near-duplicate passage pairs between a and b
);
CREATE INDEX IF NOT EXISTS wire_pairs_a ON wire_pairs (a);
CREATE INDEX IF NOT EXISTS wire_pairs_b ON wire_pairs (b);
-- Articles whose Whoosh documents are to be written again or dropped: marked in the
-- transaction that changes the article, cleared once a Whoosh commit covers them.
CREATE TABLE IF NOT EXISTS unsynced (
    id TEXT PRIMARY KEY
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS vocabulary (
    word TEXT PRIMARY KEY,
    df INTEGER NOT NULL     -- how many articles use the word
) WITHOUT ROWID;
"""


# How often the model wrote each surface form with each label, and how often as a
# sentence's first word: what the entity pass reads, kept by triggers as mentions
# come and go (a GROUP BY over the half million mentions of 10,000 articles takes
# most of a second, which each added article would pay).
_SURFACES = """
CREATE TABLE surfaces (
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    count INTEGER NOT NULL,
    initial INTEGER NOT NULL,
    PRIMARY KEY (text, label)
) WITHOUT ROWID;

INSERT INTO surfaces
    SELECT text, label, count(*), sum(initial) FROM mentions
    WHERE source = 'ner' GROUP BY text, label;

CREATE TRIGGER surfaces_add AFTER INSERT ON mentions WHEN new.source = 'ner'
BEGIN
    INSERT INTO surfaces VALUES (new.text, new.label, 1, new.initial)
    ON CONFLICT (text, label) DO UPDATE SET
        count = count + 1, initial = initial + excluded.initial;
END;

CREATE TRIGGER surfaces_remove AFTER DELETE ON mentions WHEN old.source = 'ner'
BEGIN
    UPDATE surfaces SET count = count - 1, initial = initial - old.initial
    WHERE text = old.text AND label = old.label;
    DELETE FROM surfaces WHERE text = old.text AND label = old.label AND count <= 0;
END
"""


@dataclass(frozen=True)
class FileRecord:
    rel: str
    size: int
    mtime_ns: int
    hash: str
    problem: str | None


# What SQLite says when the disk is full or the file cannot be written, by its error
# name, or by its message when the error carries no name.
_FULL = ("SQLITE_FULL", "database or disk is full")
_NOT_WRITABLE = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "readonly database", "unable to open")
_IO_ERROR = ("SQLITE_IOERR", "disk I/O error")
# Less free space than this in the index's file system, and an I/O error means it is full.
NEARLY_FULL_BYTES = 1 << 20


def _nearly_full(directory: Path) -> bool:
    try:
        return shutil.disk_usage(directory).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def sqlite_error(directory: Path, error: sqlite3.Error) -> StorageError:
    """The user's sentence for a SQLite error that says the index cannot be written."""
    said = f"{getattr(error, 'sqlite_errorname', '')} {error}"
    if any(sign in said for sign in _FULL) or (
        # A write to the WAL or its index that fails for want of room is an I/O error
        # to SQLite: the free space tells it apart from a failing disk.
        any(sign in said for sign in _IO_ERROR) and _nearly_full(directory)
    ):
        return storage_error(directory, OSError(errno.ENOSPC, "no space left"))
    if any(sign in said for sign in _NOT_WRITABLE):
        return storage_error(directory, OSError(errno.EACCES, "permission denied"))
    return StorageError(f"the catalog in {directory} cannot be used: {error}")


class _Connection:
    """A SQLite connection whose failures to write become StorageError.

    A full disk or a read-only file can surface on any statement of a transaction
    (SQLite spills pages when its cache fills), not only on COMMIT, so every
    statement goes through here. The transaction is then rolled back by the
    caller, and the catalog on disk is the one of the last commit.
    """

    def __init__(self, path: Path, read_only: bool) -> None:
        self.directory = path.parent
        try:
            if read_only:
                # Read-only: no WAL files can be made beside it, so no other connection
                # is expected to write it (`immutable`, when even `mode=ro` fails).
                uri = path.resolve().as_uri()
                try:
                    self._db = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
                    self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()
                except sqlite3.Error:
                    self._db = sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)
            else:
                self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
        except sqlite3.Error as error:
            raise sqlite_error(self.directory, error) from error

    @property
    def in_transaction(self) -> bool:
        return self._db.in_transaction

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, parameters)
        except sqlite3.OperationalError as error:
            raise sqlite_error(self.directory, error) from error

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        try:
            return self._db.executemany(sql, rows)
        except sqlite3.OperationalError as error:
            raise sqlite_error(self.directory, error) from error

    def executescript(self, script: str) -> None:
        try:
            self._db.executescript(script)
        except sqlite3.OperationalError as error:
            raise sqlite_error(self.directory, error) from error

    def close(self) -> None:
        self._db.close()


class Catalog:
    """One connection to the catalog; use one per thread.

    `read_only` opens an existing catalog without writing anything (an index in a
    directory this user may not write); `transaction` then refuses with StorageError.
    """

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._db = _Connection(path, read_only)
        if read_only:
            return
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._add_surfaces()

    def _add_surfaces(self) -> None:
        """The `surfaces` table and the triggers that keep it, filled from the mentions
        when a catalog made before it is first opened (once, under a write lock)."""
        if self._has_table("surfaces"):
            return
        with self.transaction():
            if not self._has_table("surfaces"):
                for statement in _SURFACES.split(";\n\n"):
                    self._db.execute(statement)

    def _has_table(self, name: str) -> bool:
        found = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        return found is not None

    def close(self) -> None:
        self._db.close()

    # -- meta ---------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- files --------------------------------------------------------------
    def files(self) -> dict[str, FileRecord]:
        rows = self._db.execute("SELECT rel, size, mtime_ns, hash, problem FROM files")
        return {row[0]: FileRecord(*row) for row in rows}

    # -- articles -----------------------------------------------------------
    def summaries(self) -> list[ArticleSummary]:
        rows = self._db.execute(
            "SELECT id, rel, title, date, lang, source, n_passages, n_chars"
            " FROM articles ORDER BY id"
        )
        return [ArticleSummary(*row) for row in rows]

    def article(self, doc_id: str) -> Article | None:
        row = self._db.execute(
            "SELECT id, rel, title, date, lang, text, passages, source FROM articles WHERE id = ?",
            (doc_id,),
        ).fetchone()
        return None if row is None else _article(row)

    def articles_with_ids(self, ids: Sequence[str]) -> dict[str, Article]:
        """The articles of `ids` that exist, by id: one query for many."""
        rows = self._rows_in(
            "SELECT id, rel, title, date, lang, text, passages, source FROM articles"
            " WHERE id IN ({})",
            ids,
        )
        return {row[0]: _article(row) for row in rows}

    def articles(self) -> Iterator[Article]:
        ids = [row[0] for row in self._db.execute("SELECT id FROM articles ORDER BY id")]
        for doc_id in ids:
            article = self.article(doc_id)
            if article is not None:
                yield article

    def ids(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT id FROM articles ORDER BY id")]

    def ids_with_prefix(self, prefix: str, limit: int = 50) -> list[str]:
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._db.execute(
            "SELECT id FROM articles WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?",
            (escaped + "%", limit),
        )
        return [row[0] for row in rows]

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    # -- writing ------------------------------------------------------------
    def replace_file(self, record: FileRecord, articles: Iterable[Article]) -> None:
        """Record `record` and make `articles` the articles of that file."""
        articles = list(articles)
        self._forget_articles_of(record.rel)
        self._db.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
            (record.rel, record.size, record.mtime_ns, record.hash, record.problem),
        )
        self._db.executemany(
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    a.id,
                    a.path,
                    a.title,
                    a.date,
                    a.lang,
                    a.source,
                    a.text,
                    json.dumps([[p.n, p.start, p.end, p.kind, p.lang] for p in a.passages]),
                    len(a.passages),
                    len(a.text),
                )
                for a in articles
            ],
        )
        self._db.executemany(
            "INSERT INTO foreign_passages VALUES (?, ?, ?, ?)",
            [(a.id, p.start, p.end, p.lang) for a in articles for p in a.passages if p.lang != FR],
        )

    def foreign_passages(self) -> Iterator[tuple[str, int, str]]:
        """(article id, start, text) of every passage that is not French."""
        rows = self._db.execute(
            "SELECT f.article, f.start, substr(a.text, f.start + 1, f.end - f.start)"
            " FROM foreign_passages f JOIN articles a ON a.id = f.article"
            " ORDER BY f.article, f.start"
        )
        for row in rows.fetchall():
            yield row[0], row[1], row[2]

    def touch_file(self, rel: str, size: int, mtime_ns: int) -> None:
        """The file's stat changed but not its content."""
        self._db.execute(
            "UPDATE files SET size = ?, mtime_ns = ? WHERE rel = ?", (size, mtime_ns, rel)
        )

    def _forget_articles_of(self, rel: str) -> None:
        ids = [(doc_id,) for doc_id in self.article_ids_of(rel)]
        self._db.executemany("DELETE FROM mentions WHERE article = ?", ids)
        self._db.executemany("DELETE FROM foreign_passages WHERE article = ?", ids)
        self._db.executemany("DELETE FROM fingerprints WHERE article = ?", ids)
        self._db.executemany("DELETE FROM wire_pairs WHERE a = ?", ids)
        self._db.executemany("DELETE FROM wire_pairs WHERE b = ?", ids)
        self._db.execute("DELETE FROM articles WHERE rel = ?", (rel,))

    def remove_file(self, rel: str) -> None:
        self._forget_articles_of(rel)
        self._db.execute("DELETE FROM files WHERE rel = ?", (rel,))

    def article_ids_of(self, rel: str) -> list[str]:
        rows = self._db.execute("SELECT id FROM articles WHERE rel = ?", (rel,))
        return [row[0] for row in rows]

    def articles_of(self, rel: str) -> list[Article]:
        found = (self.article(doc_id) for doc_id in self.article_ids_of(rel))
        return [article for article in found if article is not None]

    # -- Whoosh documents to write -----------------------------------------
    def mark_unsynced(self, ids: Iterable[str]) -> None:
        self._db.executemany("INSERT OR IGNORE INTO unsynced VALUES (?)", [(i,) for i in ids])

    def unsynced(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT id FROM unsynced ORDER BY id")]

    def count_unsynced(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM unsynced").fetchone()[0])

    def clear_unsynced(self, ids: Iterable[str]) -> None:
        self._db.executemany("DELETE FROM unsynced WHERE id = ?", [(i,) for i in ids])

    # -- mentions and entities ---------------------------------------------
    def add_mentions(self, article: str, mentions: Iterable[RawMention], source: str) -> None:
        self._db.executemany(
            "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(article, m.start, m.end, m.text, m.label, int(m.initial), source) for m in mentions],
        )

    def delete_pattern_mentions(self) -> None:
        self._db.execute("DELETE FROM mentions WHERE source = 'pattern'")

    def surface_stats(self) -> list[tuple[str, str, int, int]]:
        """(surface, label, mentions, of which opening a sentence) over the model's mentions."""
        rows = self._db.execute(
            "SELECT text, label, count, initial FROM surfaces ORDER BY text, label"
        )
        return [(row[0], row[1], int(row[2]), int(row[3])) for row in rows]

    def raw_mentions(self, article: str) -> list[tuple[int, int, str, str]]:
        rows = self._db.execute(
            "SELECT start, end, text, label FROM mentions WHERE article = ? ORDER BY start",
            (article,),
        )
        return [(row[0], row[1], row[2], row[3]) for row in rows]

    def raw_mentions_of(self, ids: Sequence[str]) -> dict[str, list[tuple[int, int, str, str]]]:
        """`raw_mentions` of many articles, by article id (those with none left out)."""
        found: dict[str, list[tuple[int, int, str, str]]] = {}
        rows = self._rows_in(
            "SELECT article, start, end, text, label FROM mentions"
            " WHERE article IN ({}) ORDER BY article, start",
            ids,
        )
        for row in rows:
            found.setdefault(row[0], []).append((row[1], row[2], row[3], row[4]))
        return found

    def replace_entities(
        self, entities: Iterable[tuple[str, str, str, list[str], bool]], aliases: Mapping[str, str]
    ) -> None:
        self._db.execute("DELETE FROM entities")
        self._db.executemany(
            "INSERT INTO entities VALUES (?, ?, ?, ?, ?)",
            [(i, n, lb, json.dumps(a, ensure_ascii=False), int(h)) for i, n, lb, a, h in entities],
        )
        self._db.execute("DELETE FROM aliases")
        self._db.executemany("INSERT INTO aliases VALUES (?, ?)", list(aliases.items()))

    def hidden_entities(self) -> set[str]:
        return {row[0] for row in self._db.execute("SELECT id FROM entities WHERE hidden = 1")}

    def entity_rows(self) -> list[tuple[str, str, str, list[str], bool]]:
        rows = self._db.execute("SELECT id, name, label, aliases, hidden FROM entities")
        return [(r[0], r[1], r[2], json.loads(r[3]), bool(r[4])) for r in rows]

    def alias_map(self) -> dict[str, str]:
        return {row[0]: row[1] for row in self._db.execute("SELECT surface, entity FROM aliases")}

    def entity_mentions(self) -> Iterator[tuple[str, str, int]]:
        """(entity id, article id, mentions) for each article that names an entity, one
        row at a time: a list of every mention (a million on 10,000 articles) took over
        100 MB of the reader's memory."""
        rows = self._db.execute(
            "SELECT a.entity, m.article, count(*) FROM mentions m"
            " JOIN aliases a ON a.surface = m.text GROUP BY a.entity, m.article"
        )
        return ((row[0], row[1], int(row[2])) for row in rows)

    def articles_naming(self, surfaces: Iterable[str]) -> set[str]:
        """The articles with a mention written as one of `surfaces`."""
        rows = self._rows_in(
            "SELECT DISTINCT article FROM mentions WHERE text IN ({})", sorted(set(surfaces))
        )
        return {row[0] for row in rows}

    def _rows_in(self, sql: str, values: Sequence[str]) -> Iterator[Any]:
        """The rows of `sql`, whose `IN ({})` takes `values`, asked in groups small
        enough for SQLite's limit on bound values."""
        for i in range(0, len(values), _MAX_VARIABLES):
            group = values[i : i + _MAX_VARIABLES]
            yield from self._db.execute(sql.format(",".join("?" * len(group))), tuple(group))

    def pattern_mentions(self) -> set[tuple[str, int, int, str]]:
        """(article, start, end, surface) of the names found in passages not in French."""
        rows = self._db.execute(
            "SELECT article, start, end, text FROM mentions WHERE source = 'pattern'"
        )
        return {(row[0], row[1], row[2], row[3]) for row in rows}

    # -- wire copy ----------------------------------------------------------
    def add_fingerprints(self, article: str, packed: bytes) -> None:
        self._db.execute("INSERT OR REPLACE INTO fingerprints VALUES (?, ?)", (article, packed))

    def fingerprints(self) -> Iterator[tuple[str, bytes]]:
        """Every article's packed fingerprints."""
        yield from self._db.execute("SELECT article, prints FROM fingerprints")

    def clear_wire_pairs(self) -> None:
        self._db.execute("DELETE FROM wire_pairs")

    def add_wire_pairs(self, article: str, partners: Mapping[str, int]) -> None:
        """Record the articles sharing near-duplicate passages with `article`, both ways."""
        rows = [(article, other, n) for other, n in partners.items()]
        rows += [(other, article, n) for other, n in partners.items()]
        self._db.executemany("INSERT INTO wire_pairs VALUES (?, ?, ?)", rows)

    def wire_counts(self) -> dict[str, int]:
        """For each article, how many other articles share near-duplicate passages with it."""
        rows = self._db.execute("SELECT a, count(DISTINCT b) FROM wire_pairs GROUP BY a")
        return {row[0]: int(row[1]) for row in rows}

    def wire_partners(self, article: str) -> list[tuple[str, int]]:
        rows = self._db.execute(
            "SELECT b, passages FROM wire_pairs WHERE a = ? ORDER BY passages DESC, b",
            (article,),
        )
        return [(row[0], int(row[1])) for row in rows]

    # -- vocabulary ---------------------------------------------------------
    def vocabulary(self) -> dict[str, int]:
        return {row[0]: row[1] for row in self._db.execute("SELECT word, df FROM vocabulary")}

    def update_vocabulary(self, delta: Mapping[str, int]) -> None:
        """Add `delta` to the document frequencies; words no article uses any more go."""
        self._db.executemany(
            "INSERT INTO vocabulary VALUES (?, ?)"
            " ON CONFLICT(word) DO UPDATE SET df = df + excluded.df",
            [(word, n) for word, n in delta.items() if n],
        )
        self._db.execute("DELETE FROM vocabulary WHERE df <= 0")

    # -- transactions -------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """The block's writes as one transaction: committed when it ends, rolled back
        when anything escapes it (an error, ctrl+c), so the catalog on disk stays the
        one of the last commit. A read-only catalog refuses with StorageError."""
        self.begin()
        try:
            yield
            self.commit()
        except BaseException:
            self.rollback()
            raise

    def begin(self) -> None:
        """Take the write lock at once (BEGIN IMMEDIATE): `transaction` begins here."""
        if self.read_only:
            raise storage_error(self.path.parent, OSError(errno.EACCES, "permission denied"))
        self._db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self._db.execute("COMMIT")

    def rollback(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")


def _article(row: Sequence[Any]) -> Article:
    """An article from its row: id, rel, title, date, lang, text, passages, source."""
    passages = tuple(Passage(*p) for p in json.loads(row[6]))
    return Article(row[0], row[1], row[2], row[3], row[4], row[5], passages, row[7])
