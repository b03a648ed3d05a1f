"""A SQLite connection to the catalog whose failures to write become StorageError.

A full disk, a read-only file or a failing disk say so in the user's words
(`sqlite_error`), whatever statement of a transaction they surface on.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from index.errors import StorageError, storage_error

# What SQLite says when the disk is full or the file cannot be written, by its error
# name, or by its message when the error carries no name.
_FULL = ("SQLITE_FULL", "database or disk is full")
_NOT_WRITABLE = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "readonly database", "unable to open")
_IO_ERROR = ("SQLITE_IOERR", "disk I/O error")
# Less free space than this in the index's file system, and an I/O error means it is full.
NEARLY_FULL_BYTES = 1 << 20
# Values bound to one statement, at most (SQLite allows 999 at the least).
MAX_VARIABLES = 500


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


class Connection:
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

    def rows_in(self, sql: str, values: Sequence[str]) -> Iterator[Any]:
        """The rows of `sql`, whose `IN ({})` takes `values`, asked in groups small
        enough for SQLite's limit on bound values."""
        for i in range(0, len(values), MAX_VARIABLES):
            group = values[i : i + MAX_VARIABLES]
            yield from self.execute(sql.format(",".join("?" * len(group))), tuple(group))

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
