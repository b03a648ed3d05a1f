"""Errors the engine raises; each carries a one-line message fit for a user."""

from __future__ import annotations


class PresseError(Exception):
    """Base class: `str(error)` is a complete sentence for the user."""


class CorpusError(PresseError):
    """The corpus folder is missing, not a folder, or unreadable."""


class StorageError(PresseError):
    """The index directory cannot be created, read or written."""


class IndexBusy(PresseError):
    """Another process is writing the index."""


class QueryError(PresseError):
    """A search query that cannot be parsed or run."""


class UnknownDocument(PresseError):
    """No article has this id or id prefix."""


class AmbiguousDocument(PresseError):
    """An id prefix names more than one article."""


class DecodeError(PresseError):
    """A file's bytes are not text the engine can read."""


class UnknownEntity(PresseError):
    """No entity has this name, id or alias."""


class EntityError(PresseError):
    """A correction that cannot apply (an alias the entity does not have…)."""
