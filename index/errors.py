"""Errors the engine raises; each carries a one-line message fit for a user."""

from __future__ import annotations

import errno
from pathlib import Path


class PresseError(Exception):
    """Base class: `str(error)` is a complete sentence for the user."""


class CorpusError(PresseError):
    """The corpus folder is missing, not a folder, or unreadable."""


class StorageError(PresseError):
    """The index directory cannot be created, read or written."""


class IndexBusy(PresseError):
    """Another process is writing the index (not a fault: its work will be there when done)."""


class QueryError(PresseError):
    """A search query that cannot be parsed or run."""


class UnknownDocument(PresseError):
    """No article has this id or id prefix."""


class AmbiguousDocument(PresseError):
    """An id prefix names more than one article."""


class DecodeError(PresseError):
    """A file's bytes are not text the engine can read."""


class ClusterError(PresseError):
    """The Dask cluster of `--cluster` cannot be reached or used, or was lost in a run."""


class WorkerRefused(ClusterError):
    """A cluster's worker runs another presse, model or library than this process."""


class UnknownEntity(PresseError):
    """No entity has this name, id or alias."""


class EntityError(PresseError):
    """A correction that cannot apply (an alias the entity does not have…)."""


# errno values that mean "this directory cannot be written", whoever asks.
_NOT_WRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS}
_FULL = {errno.ENOSPC, errno.EDQUOT}


def storage_error(directory: Path, error: OSError, doing: str = "write the index") -> StorageError:
    """A StorageError that tells the user what to do about `error` in `directory`.

    A full disk and a directory without write permission are the two faults a user
    meets in practice and can fix; each gets its own sentence, the rest the system's.
    """
    if error.errno in _FULL:
        return StorageError(f"no space left in {directory}: free some space and try again")
    if error.errno in _NOT_WRITABLE:
        reason = "read-only file system" if error.errno == errno.EROFS else "permission denied"
        return StorageError(
            f"cannot {doing} in {directory}: {reason}; use --index-dir to put it elsewhere"
        )
    return StorageError(f"cannot {doing} in {directory}: {error.strerror or error}")
