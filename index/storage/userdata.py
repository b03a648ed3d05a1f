"""What the reader keeps for a corpus between runs: bookmarks and notes, search history,
and where the reader was.

Plain JSON files in the corpus's index directory, each written whole and atomically
(a temporary file, fsync, `os.replace`, fsync of the directory), so a crash leaves
the old file or the new one, never half of one. Two readers open on one corpus
share the files: a change re-reads the file under a short lock and applies itself
to what is there, so neither reader loses the other's bookmarks. A file that cannot
be read (missing, damaged, from a newer version) counts as empty: losing a history
is better than refusing to start.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from index.errors import storage_error
from index.storage.lock import queued

BOOKMARKS_FILE = "bookmarks.json"
HISTORY_FILE = "history.json"
STATE_FILE = "reader-state.json"
FORMAT_VERSION = 1
HISTORY_LIMIT = 100
SORTS = ("file", "date", "title", "relevance")
TEMPORARY_SUFFIX = ".tmp"
# A temporary file untouched for this long belongs to a writer that died.
LEFTOVER_AGE = 60.0


def now() -> str:
    """The current time, to the second, in UTC, ISO 8601 (`2024-06-18T09:30:00Z`)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Bookmark:
    """A passage the reader marked, with an optional note.

    `title` and `text` are copies of the article's title and the passage's text at
    the time, so the notes read on their own once exported.
    """

    article: str
    passage: int
    note: str = ""
    created: str = ""
    title: str = ""
    text: str = ""

    @property
    def key(self) -> tuple[str, int]:
        return (self.article, self.passage)


@dataclass(frozen=True)
class ReaderState:
    """Where the reader was: the article and passage, the filters, the sort."""

    article: str | None = None
    passage: int = 0
    query: str = ""  # the search that filters the article list ("" for none)
    entity: str | None = None  # the id of the entity that filters the list
    sort: str = "file"  # one of SORTS
    related: bool = True  # whether the related pane is shown


def write_text(path: Path, text: str) -> None:
    """Replace `path` with `text` so that a crash at any moment leaves the old file or the
    new one, whole; StorageError when it cannot be written.

    The text goes to a temporary file in the same directory (a rename is atomic only
    within one file system), is flushed to the disk, then renamed over `path`; the
    directory is flushed too, so the rename itself survives a power cut. A temporary
    file that a killed writer left behind is never read, and is removed by the next
    write once it is clearly abandoned.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _fsync_directory(path.parent)
    except OSError as error:
        raise storage_error(path.parent, error, f"write {path.name}") from error
    _remove_leftovers(path)


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove_leftovers(path: Path) -> None:
    """Delete the temporary files of `path` that killed writers left (old enough that no
    live writer can still be filling them)."""
    limit = time.time() - LEFTOVER_AGE
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*{TEMPORARY_SUFFIX}"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < limit:
                leftover.unlink()


def write_json(path: Path, data: Any) -> None:
    """Write `data` as JSON to `path` atomically; StorageError when it cannot be written."""
    write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Hold the user-data lock of `directory`: two readers open on one corpus then read,
    change and write a file one after the other, and neither loses the other's change."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise storage_error(directory, error, "write the reader's files") from error
    # The directory itself is the lock: no lock file beside the user's files.
    with queued(directory):
        yield


def read_json(path: Path) -> Any:
    """The JSON in `path`, or None when the file is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _items(data: Any, key: str) -> list[Any]:
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
        return []
    items = data.get(key)
    return items if isinstance(items, list) else []


def _bookmark(item: Any) -> Bookmark | None:
    if not isinstance(item, dict):
        return None
    article, passage = item.get("article"), item.get("passage")
    if not isinstance(article, str) or not isinstance(passage, int) or passage < 0:
        return None
    text_fields = {
        name: value
        for name in ("note", "created", "title", "text")
        if isinstance(value := item.get(name), str)
    }
    return Bookmark(article, passage, **text_fields)


def _state(data: Any) -> ReaderState:
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
        return ReaderState()
    found = data.get("state")
    if not isinstance(found, dict):
        return ReaderState()
    state = ReaderState()
    article = found.get("article")
    if isinstance(article, str) and article:
        state = replace(state, article=article)
    passage = found.get("passage")
    if isinstance(passage, int) and passage >= 0:
        state = replace(state, passage=passage)
    query = found.get("query")
    if isinstance(query, str):
        state = replace(state, query=query)
    entity = found.get("entity")
    if isinstance(entity, str) and entity:
        state = replace(state, entity=entity)
    sort = found.get("sort")
    if sort in SORTS:
        state = replace(state, sort=sort)
    related = found.get("related")
    if isinstance(related, bool):
        state = replace(state, related=related)
    return state


@dataclass
class UserData:
    """The reader's files in `directory` (the corpus's index directory).

    Each file is read once, on first use, and written whole on every change.
    Methods that write raise StorageError when the directory is not writable.
    """

    directory: Path
    _bookmarks: list[Bookmark] | None = field(default=None, init=False, repr=False)
    _history: list[str] | None = field(default=None, init=False, repr=False)

    # -- bookmarks and notes ------------------------------------------------------
    def bookmarks(self) -> list[Bookmark]:
        """Every bookmark, in the order they were made."""
        if self._bookmarks is None:
            found = (
                _bookmark(item)
                for item in _items(read_json(self._path(BOOKMARKS_FILE)), "bookmarks")
            )
            unique: dict[tuple[str, int], Bookmark] = {}
            for bookmark in found:
                if bookmark is not None:
                    unique[bookmark.key] = bookmark
            self._bookmarks = list(unique.values())
        return list(self._bookmarks)

    def bookmark(self, article: str, passage: int) -> Bookmark | None:
        return next((b for b in self.bookmarks() if b.key == (article, passage)), None)

    def set_bookmark(self, bookmark: Bookmark) -> Bookmark:
        """Add `bookmark`, or replace the one on the same passage (keeping when it was made)."""
        with locked(self.directory):
            bookmarks = self._fresh_bookmarks()
            old = next((b for b in bookmarks if b.key == bookmark.key), None)
            if not bookmark.created:
                bookmark = replace(bookmark, created=old.created if old else now())
            if old is not None:
                bookmarks[bookmarks.index(old)] = bookmark
            else:
                bookmarks.append(bookmark)
            self._save_bookmarks(bookmarks)
        return bookmark

    def remove_bookmark(self, article: str, passage: int) -> Bookmark | None:
        """Remove the bookmark on that passage; returns it (None when there was none)."""
        with locked(self.directory):
            bookmarks = self._fresh_bookmarks()
            old = next((b for b in bookmarks if b.key == (article, passage)), None)
            if old is not None:
                bookmarks.remove(old)
                self._save_bookmarks(bookmarks)
        return old

    def _fresh_bookmarks(self) -> list[Bookmark]:
        """The bookmarks as the file has them now (another reader may have changed them)."""
        self._bookmarks = None
        return self.bookmarks()

    def _save_bookmarks(self, bookmarks: list[Bookmark]) -> None:
        data = {"version": FORMAT_VERSION, "bookmarks": [asdict(b) for b in bookmarks]}
        write_json(self._path(BOOKMARKS_FILE), data)
        self._bookmarks = bookmarks

    # -- search history -----------------------------------------------------------
    def history(self) -> list[str]:
        """Earlier queries, the oldest first, at most HISTORY_LIMIT, each once."""
        if self._history is None:
            items = _items(read_json(self._path(HISTORY_FILE)), "queries")
            self._history = _dedupe(q for q in items if isinstance(q, str) and q.strip())[
                -HISTORY_LIMIT:
            ]
        return list(self._history)

    def add_query(self, query: str) -> None:
        """Remember `query` as the latest (an earlier identical one moves up)."""
        query = query.strip()
        if not query:
            return
        with locked(self.directory):
            self._history = None  # what another reader may have added meanwhile
            history = [q for q in self.history() if q != query]
            history.append(query)
            history = history[-HISTORY_LIMIT:]
            write_json(self._path(HISTORY_FILE), {"version": FORMAT_VERSION, "queries": history})
            self._history = history

    # -- where the reader was -----------------------------------------------------
    def state(self) -> ReaderState:
        return _state(read_json(self._path(STATE_FILE)))

    def save_state(self, state: ReaderState) -> None:
        """Where this reader was; of two readers on one corpus, the last to save wins."""
        write_json(self._path(STATE_FILE), {"version": FORMAT_VERSION, "state": asdict(state)})

    def _path(self, name: str) -> Path:
        return self.directory / name


def _dedupe(queries: Iterable[str]) -> list[str]:
    """Each query once, at the place of its last use."""
    kept: dict[str, None] = {}
    for query in queries:
        kept.pop(query, None)
        kept[query] = None
    return list(kept)


def notes_markdown(bookmarks: Iterable[Bookmark], corpus: str) -> str:
    """The bookmarks and their notes as a Markdown document, grouped by article.

    Articles come in the order of their first bookmark, passages in reading order.
    """
    by_article: dict[str, list[Bookmark]] = {}
    for bookmark in bookmarks:
        by_article.setdefault(bookmark.article, []).append(bookmark)
    lines = [f"# Notes on {_inline(corpus) or 'the corpus'}", ""]
    if not by_article:
        lines += ["No bookmarks yet.", ""]
    for article, marks in by_article.items():
        title = next((b.title for b in marks if b.title), "") or article
        lines += [f"## {_inline(title)}", "", f"`{article}`", ""]
        for bookmark in sorted(marks, key=lambda b: b.passage):
            lines.append(f"### ¶{bookmark.passage + 1}")  # (numbered as the reader shows it)
            lines.append("")
            if bookmark.text.strip():
                lines += [
                    f"> {line}" if line.strip() else ">"
                    for line in bookmark.text.strip().splitlines()
                ]
                lines.append("")
            if bookmark.note.strip():
                lines += [bookmark.note.strip(), ""]
            if bookmark.created:
                lines += [f"*Bookmarked {bookmark.created}*", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _inline(text: str) -> str:
    """`text` on one line, for a heading."""
    return " ".join(text.split())
