"""The Whoosh indexes: articles for search, passages for the passage look-ups.

Two indexes in two folders, each with the fields it needs and no more. The
article index holds one document per article (title, full text with
positions for phrases, date, language) and answers searches. The passage
index holds one lean document per passage (its id `ARTICLE#N` and its words,
no positions) for the cross-reference look-ups. Keeping them apart makes every
passage document cheap to write and every search free of a kind filter.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.query import Prefix
from whoosh.util.filelock import try_for
from whoosh.writing import SegmentWriter

from index.analysis import french_analyzer, stems
from index.errors import IndexBusy, StorageError, storage_error
from index.model import Article
from index.search.scoring import LengthsInLists

# Bump when a schema or the analysis changes: an index of another version is rebuilt.
SCHEMA_VERSION = "18"
TITLE_BOOST = 3.0
ARTICLES = "articles"
PASSAGES = "passages"


def article_schema() -> Schema:
    french = french_analyzer()
    return Schema(
        id=ID(unique=True, stored=True),
        file=ID(),
        title=TEXT(analyzer=french, field_boost=TITLE_BOOST, multitoken_query="phrase"),
        content=TEXT(analyzer=french, multitoken_query="phrase"),
        date=KEYWORD(lowercase=True),
        lang=ID(),
        entity=KEYWORD(),  # canonical entity ids
    )


def passage_schema() -> Schema:
    # Ranked look-ups of similar passages need no positions.
    return Schema(
        id=ID(unique=True, stored=True),
        passage=TEXT(analyzer=french_analyzer(), phrase=False),
        entity=KEYWORD(),
    )


def passage_id(article_id: str, n: int) -> str:
    return f"{article_id}#{n}"


def split_passage_id(value: str) -> tuple[str, int]:
    article_id, _, n = value.rpartition("#")
    return article_id, int(n)


def open_or_create(directory: Path, schema: Schema, read_only: bool = False) -> Any:
    """The index in `directory`, created empty when there is none (unless `read_only`).

    Read through the file, not memory-mapped: Whoosh copies each part of a mapped
    segment into memory when a searcher opens (40 MB a searcher on 10,000 articles,
    in every thread that searches, and 0.1 s to open one).
    """
    storage = FileStorage(str(directory), supports_mmap=False, readonly=read_only)
    try:
        if whoosh_index.exists_in(str(directory)):
            return storage.open_index()
        if read_only:
            raise StorageError(f"no index in {directory}, and it cannot be made there")
        directory.mkdir(parents=True, exist_ok=True)
        return storage.create_index(schema)
    except OSError as error:
        raise storage_error(directory, error) from error


def date_terms(date: str) -> str:
    """`2024-06-18` → `2024 2024-06 2024-06-18`, so `date:2024` and `date:2024-06` both match."""
    parts = date.split("-")
    return " ".join("-".join(parts[: i + 1]) for i in range(len(parts))) if date else ""


def documents(
    article: Article, entities: Mapping[int, Collection[str]] | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The Whoosh documents of an article and of its passages.

    Each passage is analysed once; the article's text is the passages joined by
    blank lines, so its terms are theirs end to end (see `analysis.stems`).
    `entities` gives the entity ids named in each passage, by passage number.
    """
    entities = entities or {}
    # (Boilerplate is kept in the text, not in the words searched.)
    passage_terms = [
        stems(article.passage_text(passage)) if passage.is_text else []
        for passage in article.passages
    ]
    named = sorted({entity for ids in entities.values() for entity in ids})
    article_doc = {
        "id": article.id,
        "file": article.path,
        "title": article.title,
        "content": [term for terms in passage_terms for term in terms],
        "date": date_terms(article.date),
        "lang": article.lang,
        "entity": " ".join(named),
    }
    passage_docs = [
        {
            "id": passage_id(article.id, passage.n),
            "passage": terms,
            "entity": " ".join(sorted(entities.get(passage.n, ()))),
        }
        for passage, terms in zip(article.passages, passage_terms, strict=True)
    ]
    return article_doc, passage_docs


def delete_passages(writer: Any, article_id: str) -> None:
    """Remove every passage of an article, however many it had."""
    writer.delete_by_query(Prefix("id", passage_id(article_id, 0)[:-1]))


@contextlib.contextmanager
def writer(ix: Any, *, fresh: bool) -> Iterator[Any]:
    """A writer that commits on success and is cancelled on any error.

    `fresh` (an empty index being filled) lets Whoosh write one new segment
    without merging; incremental updates merge small segments as they go.
    A full disk or a directory that cannot be written is a StorageError. Whoosh
    writes a commit's segment files first and its table of contents last, renamed
    into place, so a commit that fails leaves the index of the previous one; the
    writer is cancelled either way, which releases Whoosh's own lock.
    """
    directory = Path(ix.storage.folder)
    # Whoosh's lock is taken here rather than by the writer: a writer whose set-up
    # fails (its first segment files cannot be written) would keep it, and the index
    # would look busy to this process until it ends.
    lock = ix.lock("WRITELOCK")
    if not try_for(lock.acquire, timeout=2.0, delay=0.1):
        raise IndexBusy("another presse process is writing this index; try again later")
    try:
        w = _SegmentWriter(ix, _lk=False, limitmb=128)
    except BaseException as error:
        lock.release()
        if isinstance(error, OSError):
            raise storage_error(directory, error) from error
        raise
    w.writelock = lock  # released when the writer commits or is cancelled
    try:
        yield w
        w.commit(merge=not fresh)
    except BaseException as error:
        _abandon(w)
        if isinstance(error, OSError):
            raise storage_error(directory, error) from error
        raise


class _SegmentWriter(SegmentWriter):  # type: ignore[misc]
    """Whoosh's segment writer, writing its postings with the field lengths in lists."""

    def per_document_reader(self) -> Any:
        return LengthsInLists(super().per_document_reader())


def _abandon(w: Any) -> None:
    """Cancel `w` after a failure, and release Whoosh's lock even if cancelling fails too
    (a full disk can make closing the segment files fail): a later writer of this
    process must not find the index locked."""
    if w.is_closed:
        return
    try:
        w.cancel()
    except Exception:
        with contextlib.suppress(Exception):
            if w.writelock:
                w.writelock.release()
        w.is_closed = True
