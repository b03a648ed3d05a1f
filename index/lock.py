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
from collections.abc import Iterator
from pathlib import Path

from index.errors import IndexBusy, StorageError


@contextlib.contextmanager
def exclusive(path: Path) -> Iterator[None]:
    try:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    except OSError as error:
        raise StorageError(f"cannot create the lock file {path}: {error.strerror}") from error
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise IndexBusy(
                    "another presse process is updating this index; try again when it is done"
                ) from error
            raise
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
