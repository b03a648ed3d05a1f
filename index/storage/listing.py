"""The article list's reads of the catalog: the summaries (no text) in id order, by date
and by title a page at a time, from indexes made for them (`Catalog._add_list_index`
builds them on a catalog made before them)."""

from __future__ import annotations

from collections.abc import Sequence

from index.model import ArticleSummary
from index.storage.connection import Connection

# What the article list reads (`ArticleSummary`'s fields), all in one covering index.
_SUMMARY_COLUMNS = "id, rel, title, date, lang, source, n_passages, n_chars, date_source"
_LIST_INDEX = "articles_list"
# The article list by date: newest first, then by id; the undated ('') last, by id.
_DATE_INDEX = "articles_by_date"
_DATE_ORDER = "date DESC, id"
# By title, an article's initial: the first character of its title lower-cased, when it
# is printable ASCII (no blank, no control); NULL otherwise. A title that begins with
# such a character is shown and sorted from it, whatever the rest is.
_INITIAL = "CASE WHEN unicode(title) BETWEEN 33 AND 126 THEN lower(substr(title, 1, 1)) END"
_INITIAL_INDEX = "articles_by_initial"


class ArticleList:
    """A part of `Catalog`: what the article list reads, through its one connection."""

    _db: Connection

    def _has_table(self, name: str, kind: str = "table") -> bool:
        found = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?", (kind, name)
        ).fetchone()
        return found is not None

    def summaries(self, start: str | None = None, limit: int | None = None) -> list[ArticleSummary]:
        """The articles in id order, without their text (from the covering index); with
        `start`, from that id on; with `limit`, at most that many."""
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM articles"
        parameters: list[object] = []
        if start is not None:
            sql += " WHERE id >= ?"
            parameters.append(start)
        sql += " ORDER BY id"
        if limit is not None:
            sql += " LIMIT ?"
            parameters.append(max(0, limit))
        return [ArticleSummary(*row) for row in self._db.execute(sql, parameters)]

    def summaries_by_date(self, start: str | None, limit: int) -> list[ArticleSummary]:
        """At most `limit` articles by date, newest first, those of one date by id, the
        undated last (by id): from the article `start` on, or from the first when it is
        None or not found."""
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM articles"
        if self._has_table(_DATE_INDEX, "index"):  # (not in an older catalog read only)
            sql += f" INDEXED BY {_DATE_INDEX}"
        limit = max(0, limit)
        found = None
        if start is not None:
            found = self._db.execute("SELECT date FROM articles WHERE id = ?", (start,)).fetchone()
        if found is None:
            rows = self._db.execute(f"{sql} ORDER BY {_DATE_ORDER} LIMIT ?", (limit,))
            return [ArticleSummary(*row) for row in rows]
        date = found[0]
        page = [
            ArticleSummary(*row)
            for row in self._db.execute(
                f"{sql} WHERE date = ? AND id >= ? ORDER BY {_DATE_ORDER} LIMIT ?",
                (date, start, limit),
            )
        ]
        if len(page) < limit:
            rows = self._db.execute(
                f"{sql} WHERE date < ? ORDER BY {_DATE_ORDER} LIMIT ?", (date, limit - len(page))
            )
            page.extend(ArticleSummary(*row) for row in rows)
        return page

    def titles(
        self, initial: str | None = None, limit: int | None = None
    ) -> list[tuple[str, str, str]]:
        """(id, path, title) of the articles, in id order, from the covering index; with
        `limit`, only those that may be among the first `limit` sorted by title case
        folded from a title whose first character is `initial` (None: from the first):
        those whose title does not begin with printable ASCII, and those whose initial
        lower-cased (`_INITIAL`) is from `initial` on, up to that of the `limit`-th of them
        after `initial`. (Of the others, at least `limit` titles come between.)"""
        if limit is None or not self._has_table(_INITIAL_INDEX, "index"):
            # (Every title: also from an older catalog read only, without the index.)
            sql = "SELECT id, rel, title FROM articles ORDER BY id"
            rows: list[tuple[str, str, str]] = self._db.execute(sql).fetchall()
            return rows
        index = f"articles INDEXED BY {_INITIAL_INDEX}"
        after = f"({_INITIAL}) > ?" if initial is not None else f"({_INITIAL}) IS NOT NULL"
        found = self._db.execute(
            f"SELECT {_INITIAL} FROM {index} WHERE {after} ORDER BY 1 LIMIT 1 OFFSET ?",
            ([initial] if initial is not None else []) + [max(0, limit - 1)],
        ).fetchone()
        bounds, parameters = [], []
        if initial is not None:
            bounds.append(f"({_INITIAL}) >= ?")
            parameters.append(initial)
        if found is not None:
            bounds.append(f"({_INITIAL}) <= ?")
            parameters.append(found[0])
        known = " AND ".join(bounds) or "1"
        rows = self._db.execute(
            f"SELECT id, rel, title FROM {index} WHERE ({_INITIAL}) IS NULL OR ({known})",
            parameters,
        ).fetchall()
        rows.sort()
        return rows

    def summaries_of(self, ids: Sequence[str]) -> list[ArticleSummary]:
        """The summaries of the articles `ids` (those found), in the order of `ids`."""
        rows = self._db.rows_in(f"SELECT {_SUMMARY_COLUMNS} FROM articles WHERE id IN ({{}})", ids)
        found = {row[0]: ArticleSummary(*row) for row in rows}
        return [found[doc_id] for doc_id in ids if doc_id in found]

    def article_count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])
