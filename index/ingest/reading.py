"""One file in, its clean articles (or the reason there are none) out.

Imported only when files have to be read, so that opening a current index
never pays for the language model and the HTML extractor.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.errors import DecodeError
from index.ingest.clean import clean_article
from index.ingest.dates import article_date
from index.ingest.formats import RawDocument, read_documents
from index.ingest.scan import MAX_FILE_BYTES, FileEntry, too_large
from index.model import Article
from index.storage.catalog import Catalog, FileRecord


@dataclass
class Outcome:
    unchanged: bool = False
    articles: list[Article] = field(default_factory=list)
    problem: str | None = None  # why the file gave no article
    notes: list[str] = field(default_factory=list)  # lines of the file that were skipped
    record: FileRecord | None = None  # what the catalog is to keep of the file


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_bounded(path: str | Path) -> tuple[bytes | None, str]:
    """The bytes of a regular file of at most MAX_FILE_BYTES, or None and why not.

    The scan checked both, but the file may have changed since: a file grown to
    gigabytes is not read into memory, and a FIFO put in its place does not
    block the ingest (it is opened without blocking, then checked).
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        return None, f"unreadable: {(error.strerror or str(error)).lower()}"
    with open(fd, "rb") as handle:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, "not a regular file"
        if st.st_size > MAX_FILE_BYTES:
            return None, too_large(st.st_size)
        try:
            data = handle.read(MAX_FILE_BYTES + 1)  # (it may still grow while read)
        except OSError as error:
            return None, f"unreadable: {(error.strerror or str(error)).lower()}"
    if len(data) > MAX_FILE_BYTES:
        return None, too_large(len(data))
    return data, ""


def dated(article: Article, document: RawDocument) -> Article:
    """`article` with its date, from the most trusted place that tells it (see `dates`)."""
    date, source = article_date(document.date, document.path, document.text)
    return replace(article, date=date, date_source=source)


class FileIngester:
    """Reads, decodes and cleans files; `record` then writes each outcome to the catalog.

    Nothing is written while reading: the caller commits a batch of files whole,
    with the entity model's mentions, once the model is done with them.
    """

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._ids: dict[str, str] = {}  # article id -> rel of the file that holds it

    def ingest(self, entry: FileEntry, previous: FileRecord | None) -> Outcome:
        data, problem = read_bounded(entry.location)
        if data is None:
            return self._record(entry, "", Outcome(problem=problem))
        digest = content_hash(data)
        if previous is not None and previous.hash == digest and previous.problem is None:
            record = FileRecord(entry.rel, entry.size, entry.mtime_ns, digest, None)
            return Outcome(unchanged=True, record=record)
        try:
            documents, notes = read_documents(entry, data)
        except DecodeError as error:
            return self._record(entry, digest, Outcome(problem=str(error)))
        outcome = Outcome(notes=list(notes))
        for document in documents:
            article = clean_article(self._unique(document, entry.rel))
            if not article.passages:
                outcome.notes.append(f"{document.id}: no text left after cleaning")
                continue
            outcome.articles.append(dated(article, document))
        if not outcome.articles:
            outcome.problem = "; ".join(outcome.notes) or "no article text"
            outcome.notes = []
        return self._record(entry, digest, outcome)

    def _record(self, entry: FileEntry, digest: str, outcome: Outcome) -> Outcome:
        outcome.record = FileRecord(entry.rel, entry.size, entry.mtime_ns, digest, outcome.problem)
        return outcome

    def _unique(self, document: RawDocument, rel: str) -> RawDocument:
        """`document` with an id no other file holds (`a.txt` and `a.md` both want `a`)."""
        holder = self._ids.get(document.id)
        if holder is None:
            existing = self._catalog.article(document.id)
            holder = existing.path if existing is not None else rel
        if holder != rel:
            document = RawDocument(
                id=f"{document.id}{rel[rel.rfind('.') :]}" if "." in rel else f"{document.id}~",
                path=document.path,
                text=document.text,
                title=document.title,
                date=document.date,
                source=document.source,
                lang=document.lang,
            )
        self._ids[document.id] = rel
        return document


def record(catalog: Catalog, outcome: Outcome) -> None:
    """Write what `FileIngester.ingest` found into the catalog (in the caller's transaction)."""
    if outcome.record is None:
        return
    if outcome.unchanged:
        catalog.touch_file(outcome.record.rel, outcome.record.size, outcome.record.mtime_ns)
    else:
        catalog.replace_file(outcome.record, outcome.articles)
