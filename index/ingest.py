"""One file in, its clean articles (or the reason there are none) out.

Imported only when files have to be read, so that opening a current index
never pays for the language model and the HTML extractor.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from index.catalog import Catalog, FileRecord
from index.clean import clean_article
from index.errors import DecodeError
from index.formats import RawDocument, read_documents
from index.model import Article
from index.scan import FileEntry


@dataclass
class Outcome:
    unchanged: bool = False
    articles: list[Article] = field(default_factory=list)
    problem: str | None = None  # why the file gave no article
    notes: list[str] = field(default_factory=list)  # lines of the file that were skipped


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class FileIngester:
    """Reads, decodes and cleans files, and records them in the catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._ids: dict[str, str] = {}  # article id -> rel of the file that holds it

    def ingest(self, entry: FileEntry, previous: FileRecord | None) -> Outcome:
        try:
            with open(entry.path, "rb") as handle:
                data = handle.read()
        except OSError as error:
            return self._record(entry, "", Outcome(problem=f"unreadable: {error.strerror}"))
        digest = content_hash(data)
        if previous is not None and previous.hash == digest and previous.problem is None:
            self._catalog.touch_file(entry.rel, entry.size, entry.mtime_ns)
            return Outcome(unchanged=True)
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
            outcome.articles.append(article)
        if not outcome.articles:
            outcome.problem = "; ".join(outcome.notes) or "no article text"
            outcome.notes = []
        return self._record(entry, digest, outcome)

    def _record(self, entry: FileEntry, digest: str, outcome: Outcome) -> Outcome:
        record = FileRecord(entry.rel, entry.size, entry.mtime_ns, digest, outcome.problem)
        self._catalog.replace_file(record, outcome.articles)
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
