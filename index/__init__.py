"""presse's engine: ingest a folder of articles, index it, search it.

This module is the engine's one door: the CLI and the reader in `tui/` import
what it exports and nothing from its subpackages. It returns plain dataclasses
(`index.model`) and never imports Textual or Rich.

    index/
      corpus.py      Corpus, the facade every client calls: it hands each call on
      model.py       the dataclasses handed out; errors.py, the error family
      analysis.py    the French analyzer (folding, stop words, stems), shared by all
      ingest/        files to clean articles: scan, decode, formats, clean, lang, update
      entities/      the model, its spans mended, one identity per thing, corrections,
                     the registry that lists, finds and corrects them
      search/        queries, scoring, snippets, "did you mean", the searches themselves
      crossref/      related passages, comparison, wire copy, Markdown export
      storage/       the catalog (SQLite), the Whoosh indexes, each thread's handles on
                     them, the articles read last, the lock, the user's files
"""

from __future__ import annotations

from index.analysis import fold
from index.corpus import Corpus
from index.crossref.compare import AlignedPair, Comparison
from index.crossref.markdown import comparison_markdown
from index.entities.corrections import Correction
from index.errors import (
    AmbiguousDocument,
    ClusterError,
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
from index.storage.userdata import Bookmark, ReaderState, UserData, notes_markdown

__all__ = [
    "AlignedPair",
    "AmbiguousDocument",
    "Article",
    "ArticleSummary",
    "Bookmark",
    "ClusterError",
    "Comparison",
    "Corpus",
    "CorpusError",
    "Correction",
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
    "ReaderState",
    "RelatedPassage",
    "RelatedResult",
    "SearchHit",
    "SearchResult",
    "Skipped",
    "Snippet",
    "StorageError",
    "UnknownDocument",
    "UnknownEntity",
    "UserData",
    "comparison_markdown",
    "fold",
    "notes_markdown",
]
