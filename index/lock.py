"""An exclusive lock on the index directory for the duration of an update.

It is an advisory `flock` on a file: the kernel releases it when the holding
process dies, however it dies, so a killed run never leaves a stale lock
behind; a lock file left on disk holds nothing.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from index.errors import IndexBusy, StorageError


@contextlib.contextmanager
def exclusive(path: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the lock on `path`; if another holds it, retry for up to `wait` seconds
    (short jobs such as a correction), then raise IndexBusy."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    except OSError as error:
        raise StorageError(f"cannot create the lock file {path}: {error.strerror}") from error
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        "the index is being updated; try again when it is done"
                    ) from error
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
