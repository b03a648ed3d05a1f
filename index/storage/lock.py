"""An exclusive lock on the index directory for the duration of an update.

It is an advisory `flock` on a file: the kernel releases it when the holding
process dies, however it dies, so a killed run never leaves a stale lock
behind; a lock file left on disk holds nothing.

Readers never take it: SQLite (WAL) and Whoosh (immutable segments, a TOC
renamed into place) let them read while another process writes. A second
writer either gives up at once (IndexBusy), retries for a while (`wait`), or
waits in the background until the first is done (`wait_until_free`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from index.errors import IndexBusy, StorageError, storage_error

# How often a waiting process looks whether the lock is free again.
POLL_SECONDS = 0.1
_HELD = (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK)


def _open(path: Path) -> int:
    """A descriptor on the lock file, created if need be (or on the directory `path`).

    In a directory this process may not write (a read-only index that someone
    else keeps), an existing lock file is opened for reading: `flock` works on it
    all the same, so this process still waits for that index's writer. With no
    lock file there, the directory stands for it: this process writes nothing
    there, so there is nothing to exclude.
    """
    try:
        if path.is_dir():  # a directory is its own lock: no file to create
            return os.open(path, os.O_RDONLY)
        return os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    except OSError as error:
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            for fallback in (path, path.parent):
                with contextlib.suppress(OSError):
                    return os.open(fallback, os.O_RDONLY)
        raise storage_error(path.parent, error, "create the lock file") from error


def _try_lock(fd: int) -> bool:
    """Take the lock if it is free; False when another holds it."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno not in _HELD:
            raise StorageError(f"cannot lock the index: {error.strerror}") from error
        return False
    return True


@contextlib.contextmanager
def _held(path: Path, take: Callable[[int], None]) -> Iterator[None]:
    """The lock on `path`, taken by `take(descriptor)`, held for the block, then let go."""
    fd = _open(path)
    try:
        take(fd)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def exclusive(path: Path, wait: float = 0.0) -> contextlib.AbstractContextManager[None]:
    """Hold the lock on `path`; if another holds it, retry for up to `wait` seconds
    (short jobs such as a correction), then raise IndexBusy."""

    def take(fd: int) -> None:
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise IndexBusy("another presse is updating this index; try again when it is done")
            time.sleep(POLL_SECONDS / 2)

    return _held(path, take)


def queued(path: Path) -> contextlib.AbstractContextManager[None]:
    """Hold the lock on `path`, waiting in the kernel's queue for as long as it takes.

    For critical sections of milliseconds (a small file read and written): a blocking
    `flock` is served as soon as the holder lets go, where retrying as `exclusive`
    does can be overtaken again and again by a holder that locks in a loop.
    """

    def take(fd: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as error:
            raise StorageError(f"cannot lock {path}: {error.strerror}") from error

    return _held(path, take)


def is_held(path: Path) -> bool:
    """Whether another process (or another descriptor of this one) holds the lock now."""
    try:
        fd = _open(path)
    except StorageError:
        return False  # no lock file and none can be made: nobody can be writing here
    try:
        if _try_lock(fd):
            fcntl.flock(fd, fcntl.LOCK_UN)
            return False
        return True
    finally:
        os.close(fd)


def wait_until_free(path: Path, cancelled: Callable[[], bool] | None = None) -> bool:
    """Block until nobody holds the lock on `path`; False if `cancelled()` turned true first.

    The lock is not kept: the caller then runs its own update, which takes it (and,
    should a third process have been quicker, finds it busy again).
    """
    while is_held(path):
        if cancelled is not None and cancelled():
            return False
        time.sleep(POLL_SECONDS)
    return True
