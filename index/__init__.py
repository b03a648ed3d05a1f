"""presse's engine: ingest a folder of articles, index it, search it.

It returns plain dataclasses (`index.model`) and never imports Textual or Rich;
the CLI and the reader in `tui/` are its two clients.
"""

from __future__ import annotations

from index.corpus import Corpus
from index.errors import (
    AmbiguousDocument,
    CorpusError,
    DecodeError,
    IndexBusy,
    PresseError,
    QueryError,
    StorageError,
    UnknownDocument,
)
from index.model import (
    Article,
    ArticleSummary,
    IngestReport,
    Passage,
    Progress,
    SearchHit,
    SearchResult,
    Skipped,
    Snippet,
)

__all__ = [
    "AmbiguousDocument",
    "Article",
    "ArticleSummary",
    "Corpus",
    "CorpusError",
    "DecodeError",
    "IndexBusy",
    "IngestReport",
    "Passage",
    "PresseError",
    "Progress",
    "QueryError",
    "SearchHit",
    "SearchResult",
    "Skipped",
    "Snippet",
    "StorageError",
    "UnknownDocument",
]
