"""Groups of the catalog's tables that stand apart from the articles: the wire copy's
fingerprints and pairs, and the vocabulary of the spelling suggestions. `Catalog` is
made of them; each reads and writes through the catalog's one connection."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from index.search.spelling import LOWERCASE_MARK
from index.storage.connection import Connection

# Words of the vocabulary sort from here on; the marked ones (`LOWERCASE_MARK`) before.
_UNMARKED = chr(ord(LOWERCASE_MARK) + 1)


class WireCopyTables:
    """Each article's sampled fingerprints, and the articles sharing near-duplicate
    passages (`index.crossref.wirecopy`)."""

    _db: Connection

    def add_fingerprints(self, article: str, packed: bytes) -> None:
        self._db.execute("INSERT OR REPLACE INTO fingerprints VALUES (?, ?)", (article, packed))

    def fingerprints(self) -> Iterator[tuple[str, bytes]]:
        """Every article's packed fingerprints, in the order of the article ids."""
        yield from self._db.execute("SELECT article, prints FROM fingerprints ORDER BY article")

    def fingerprint_count(self) -> int:
        """How many fingerprints the articles have in all (pairs of 32-bit integers)."""
        row = self._db.execute("SELECT sum(length(prints)) FROM fingerprints").fetchone()
        return int(row[0] or 0) // 8

    def clear_wire_pairs(self) -> None:
        self._db.execute("DELETE FROM wire_pairs")

    def add_wire_pairs(self, pairs: Iterable[tuple[str, str, int]]) -> None:
        """Record each (article, other, passage pairs), both ways: the articles sharing
        near-duplicate passages."""
        rows = ((a, b, n) for one, other, n in pairs for a, b in ((one, other), (other, one)))
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


class VocabularyTables:
    """How many articles use each word, small letters apart (`index.search.spelling`)."""

    _db: Connection

    def vocabulary(self) -> dict[str, int]:
        rows = self._db.execute("SELECT word, df FROM vocabulary WHERE word >= ?", (_UNMARKED,))
        return {row[0]: row[1] for row in rows}

    def lowercase_df(self, words: Sequence[str]) -> int:
        """How many articles write any of `words` in small letters (counted once per
        word: an article that writes two of them counts twice)."""
        rows = self._db.execute(
            f"SELECT sum(df) FROM vocabulary WHERE word IN ({','.join('?' * len(words))})",
            tuple(LOWERCASE_MARK + word for word in words),
        )
        return int(rows.fetchone()[0] or 0)

    def update_vocabulary(self, delta: Mapping[str, int]) -> None:
        """Add `delta` to the document frequencies; words no article uses any more go."""
        self._db.executemany(
            "INSERT INTO vocabulary VALUES (?, ?)"
            " ON CONFLICT(word) DO UPDATE SET df = df + excluded.df",
            [(word, n) for word, n in delta.items() if n],
        )
        self._db.execute("DELETE FROM vocabulary WHERE df <= 0")
