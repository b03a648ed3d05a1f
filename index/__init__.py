"""presse's engine: ingest a folder of articles, index it, search it.

It returns plain dataclasses (`index.model`) and never imports Textual or Rich;
the CLI and the reader in `tui/` are its two clients.
"""

from __future__ import annotations

from index.compare import AlignedPair, Comparison
from index.corpus import Corpus
from index.errors import (
    AmbiguousDocument,
    CorpusError,
    DecodeError,
    EntityError,
    IndexBusy,
    PresseError,
    QueryError,
    StorageError,
    UnknownDocument,
    UnknownEntity,
)
from index.model import (
    Article,
    ArticleSummary,
    Entity,
    IngestReport,
    Mention,
    Passage,
    Progress,
    RelatedPassage,
    RelatedResult,
    SearchHit,
    SearchResult,
    Skipped,
    Snippet,
)

__all__ = [
    "AlignedPair",
    "AmbiguousDocument",
    "Article",
    "ArticleSummary",
    "Comparison",
    "Corpus",
    "CorpusError",
    "DecodeError",
    "Entity",
    "EntityError",
    "IndexBusy",
    "IngestReport",
    "Mention",
    "Passage",
    "PresseError",
    "Progress",
    "QueryError",
    "RelatedPassage",
    "RelatedResult",
    "SearchHit",
    "SearchResult",
    "Skipped",
    "Snippet",
    "StorageError",
    "UnknownDocument",
    "UnknownEntity",
]
