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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.entities.mentions import RawMention
from index.errors import storage_error
from index.model import Article, Passage
from index.storage.connection import Connection
from index.storage.listing import (
    _DATE_INDEX,
    _DATE_ORDER,
    _INITIAL,
    _INITIAL_INDEX,
    _LIST_INDEX,
    _SUMMARY_COLUMNS,
    ArticleList,
)
from index.storage.schema import SCHEMA, SURFACES
from index.storage.tables import VocabularyTables, WireCopyTables

FR = "fr"  # the language the NER model reads; passages in others are matched by name
_ARTICLE_COLUMNS = "id, rel, title, date, lang, text, passages, source, date_source"


@dataclass(frozen=True)
class FileRecord:
    rel: str
    size: int
    mtime_ns: int
    hash: str
    problem: str | None


class Catalog(ArticleList, WireCopyTables, VocabularyTables):
    """One connection to the catalog; use one per thread.

    `read_only` opens an existing catalog without writing anything (an index in a
    directory this user may not write); `transaction` then refuses with StorageError.
    """

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._db = Connection(path, read_only)
        if read_only:
            return
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        self._add_surfaces()
        self._add_list_index()

    def _add_surfaces(self) -> None:
        """The `surfaces` table and the triggers that keep it, filled from the mentions
        when a catalog made before it is first opened (once, under a write lock)."""
        if self._has_table("surfaces"):
            return
        with self.transaction():
            if not self._has_table("surfaces"):
                for statement in SURFACES.split(";\n\n"):
                    self._db.execute(statement)

    def _add_list_index(self) -> None:
        """The covering index the article list is read from (`summaries`), built when a
        catalog made before it is first opened (once, under a write lock: a second or
        so at 100,000 articles). Without it the list reads every row of `articles`,
        and the text of each to reach the columns stored after it."""
        indexes = (_LIST_INDEX, _DATE_INDEX, _INITIAL_INDEX)
        if all(self._has_table(name, "index") for name in indexes):
            return
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(articles)")}
        if not set(_SUMMARY_COLUMNS.split(", ")) <= columns:
            return  # (a catalog of an older schema: `Handles.ensure_schema` rebuilds it)
        with self.transaction():
            self._db.execute(
                f"CREATE INDEX IF NOT EXISTS {_LIST_INDEX} ON articles ({_SUMMARY_COLUMNS})"
            )
            # The first page of the list by date, read without sorting every article.
            self._db.execute(
                f"CREATE INDEX IF NOT EXISTS {_DATE_INDEX} ON articles ({_DATE_ORDER})"
            )
            # ... and by title (`titles`), sorted without reading every title.
            self._db.execute(
                f"CREATE INDEX IF NOT EXISTS {_INITIAL_INDEX}"
                f" ON articles (({_INITIAL}), id, rel, title)"
            )

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
    def article(self, doc_id: str) -> Article | None:
        row = self._db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?",
            (doc_id,),
        ).fetchone()
        return None if row is None else _article(row)

    def articles_with_ids(self, ids: Sequence[str]) -> dict[str, Article]:
        """The articles of `ids` that exist, by id: one query for many."""
        rows = self._db.rows_in(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN ({{}})",
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
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    a.date_source,
                )
                for a in articles
            ],
        )
        self._db.executemany(
            "INSERT INTO foreign_passages VALUES (?, ?, ?, ?)",
            [
                (a.id, p.start, p.end, p.lang)
                for a in articles
                for p in a.passages
                if p.lang != FR and p.is_text
            ],
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
        self._db.executemany("DELETE FROM acronyms WHERE article = ?", ids)
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

    def add_acronyms(self, article: str, pairs: Iterable[tuple[str, str]]) -> None:
        self._db.executemany(
            "INSERT INTO acronyms VALUES (?, ?, ?)", [(article, n, a) for n, a in pairs]
        )

    def acronym_pairs(self) -> list[tuple[str, str]]:
        """(name, acronym) of every name the corpus follows with an acronym in brackets."""
        rows = self._db.execute("SELECT DISTINCT name, acronym FROM acronyms ORDER BY 1, 2")
        return [(row[0], row[1]) for row in rows]

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

    def raw_mentions_within(
        self, spans: Sequence[tuple[str, int, int]]
    ) -> dict[str, list[tuple[int, int, str, str]]]:
        """`raw_mentions` that start within each (article, start, end) of `spans`, by
        article id (in order of start; those with none left out): a passage's names,
        without resolving the hundreds of its article's (SQLite still reads the article's
        rows, by its index on the article, to keep those in the span)."""
        found: dict[str, list[tuple[int, int, str, str]]] = {}
        for article, start, end in spans:
            rows = self._db.execute(
                "SELECT start, end, text, label FROM mentions"
                " WHERE article = ? AND start >= ? AND start < ? ORDER BY start",
                (article, start, end),
            )
            found.setdefault(article, []).extend((r[0], r[1], r[2], r[3]) for r in rows)
        for article, mentions in list(found.items()):
            if not mentions:
                del found[article]
            else:
                mentions.sort()
        return found

    def replace_entities(
        self,
        entities: Iterable[tuple[str, str, str, list[str], bool]],
        aliases: Mapping[str, str],
        in_article: Mapping[tuple[str, str], str] | None = None,
    ) -> None:
        self._db.execute("DELETE FROM entities")
        self._db.executemany(
            "INSERT INTO entities VALUES (?, ?, ?, ?, ?)",
            [(i, n, lb, json.dumps(a, ensure_ascii=False), int(h)) for i, n, lb, a, h in entities],
        )
        self._db.execute("DELETE FROM aliases")
        self._db.executemany("INSERT INTO aliases VALUES (?, ?)", list(aliases.items()))
        self._db.execute("DELETE FROM article_aliases")
        self._db.executemany(
            "INSERT INTO article_aliases VALUES (?, ?, ?)",
            [
                (article, surface, entity)
                for (article, surface), entity in (in_article or {}).items()
            ],
        )

    def hidden_entities(self) -> set[str]:
        return {row[0] for row in self._db.execute("SELECT id FROM entities WHERE hidden = 1")}

    def entity_rows(self) -> list[tuple[str, str, str, list[str], bool]]:
        rows = self._db.execute("SELECT id, name, label, aliases, hidden FROM entities")
        return [(r[0], r[1], r[2], json.loads(r[3]), bool(r[4])) for r in rows]

    def alias_map(self) -> dict[str, str]:
        return {row[0]: row[1] for row in self._db.execute("SELECT surface, entity FROM aliases")}

    def article_aliases(self) -> dict[str, dict[str, str]]:
        """For each article where a name alone stands for another entity than its
        alias (see `aliases.Resolution`): surface → entity."""
        found: dict[str, dict[str, str]] = {}
        for row in self._db.execute("SELECT article, surface, entity FROM article_aliases"):
            found.setdefault(row[0], {})[row[1]] = row[2]
        return found

    def article_aliases_of(self, ids: Sequence[str]) -> dict[str, dict[str, str]]:
        """The `article_aliases` of the articles `ids`: surface → entity, by article."""
        found: dict[str, dict[str, str]] = {}
        rows = self._db.rows_in(
            "SELECT article, surface, entity FROM article_aliases WHERE article IN ({})", ids
        )
        for row in rows:
            found.setdefault(row[0], {})[row[1]] = row[2]
        return found

    def entity_mentions(self) -> Iterator[tuple[str, str, int]]:
        """(entity id, article id, mentions) for each article that names an entity, one
        row at a time: a list of every mention (a million on 10,000 articles) took over
        100 MB of the reader's memory."""
        rows = self._db.execute(
            "SELECT coalesce(o.entity, a.entity) AS named, m.article, count(*)"
            " FROM mentions m JOIN aliases a ON a.surface = m.text"
            " LEFT JOIN article_aliases o ON o.article = m.article AND o.surface = m.text"
            " GROUP BY named, m.article"
        )
        return ((row[0], row[1], int(row[2])) for row in rows)

    def articles_naming(self, surfaces: Iterable[str]) -> set[str]:
        """The articles with a mention written as one of `surfaces`."""
        rows = self._db.rows_in(
            "SELECT DISTINCT article FROM mentions WHERE text IN ({})", sorted(set(surfaces))
        )
        return {row[0] for row in rows}

    def texts_of(self, ids: Sequence[str]) -> list[str]:
        """The texts of the articles `ids` (those that exist)."""
        return [
            row[0] for row in self._db.rows_in("SELECT text FROM articles WHERE id IN ({})", ids)
        ]

    def articles_by_surface(self, surfaces: Iterable[str]) -> dict[str, set[str]]:
        """For each of `surfaces` the model wrote, the articles where it did."""
        found: dict[str, set[str]] = {}
        rows = self._db.rows_in(
            "SELECT DISTINCT text, article FROM mentions WHERE source = 'ner' AND text IN ({})",
            sorted(set(surfaces)),
        )
        for row in rows:
            found.setdefault(row[0], set()).add(row[1])
        return found

    def pattern_mentions(self) -> set[tuple[str, int, int, str]]:
        """(article, start, end, surface) of the names found in passages not in French."""
        rows = self._db.execute(
            "SELECT article, start, end, text FROM mentions WHERE source = 'pattern'"
        )
        return {(row[0], row[1], row[2], row[3]) for row in rows}

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
    """An article from its row: `_ARTICLE_COLUMNS`."""
    passages = tuple(Passage(*p) for p in json.loads(row[6]))
    return Article(
        row[0], row[1], row[2], row[3], row[4], row[5], passages, row[7], date_source=row[8]
    )
