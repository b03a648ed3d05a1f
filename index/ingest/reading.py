"""One file in, its clean articles (or the reason there are none) out.

An update reads a file's bytes in its own process (`FileIngester.load`: the
bytes, their hash, whether the content changed at all) and hands the bytes of a
batch of files to `read_batch`, which decodes, cleans, dates and gives each
passage its language (`read_file`, one file), then runs the entity model over
the batch's articles. `read_batch` is a plain function of plain values: the
same one runs in this process, in local worker processes and on the workers of
a Dask cluster (`index.ingest.workers`, `index.ingest.cluster`), so a result
does not depend on where it was made. Its results come back to
`FileIngester.settle`, which checks them (`index.ingest.checks`), gives each
article an id no other file holds, and makes the `Outcome` the update commits.

Imported only when files have to be read, so that opening a current index
never pays for the language model and the HTML extractor.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.entities.mentions import RawMention
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
    # The model's mentions of each article (by id), when it ran.
    mentions: dict[str, list[RawMention]] = field(default_factory=dict)


@dataclass(frozen=True)
class FileWork:
    """What the per-file work needs of a file: its path in the corpus and its bytes
    (the workers never see the corpus's folder)."""

    rel: str
    data: bytes
    digest: str = ""  # the hash of `data`, kept for the catalog (the work does not need it)


@dataclass(frozen=True)
class FileResult:
    """What the per-file work makes of a file: its articles, each with the model's
    mentions (`mentions[i]` those of `articles[i]`, none when the model did not run),
    the lines skipped, or the reason there is no article."""

    rel: str
    articles: tuple[Article, ...] = ()
    mentions: tuple[tuple[RawMention, ...], ...] = ()
    notes: tuple[str, ...] = ()
    problem: str | None = None


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


def read_file(work: FileWork) -> FileResult:
    """The articles of one file's bytes: decoded, cleaned, dated, each passage with its
    language; or the reason there are none."""
    entry = FileEntry(work.rel, work.rel, len(work.data), 0)  # (only its `rel` is read)
    try:
        documents, problems = read_documents(entry, work.data)
    except DecodeError as error:
        return FileResult(work.rel, problem=str(error))
    notes = list(problems)
    articles = []
    for document in documents:
        article = clean_article(document)
        if not article.passages:
            notes.append(f"{document.id}: no text left after cleaning")
            continue
        articles.append(dated(article, document))
    if not articles:
        return FileResult(work.rel, problem="; ".join(notes) or "no article text")
    return FileResult(work.rel, tuple(articles), notes=tuple(notes))


def read_batch(works: Sequence[FileWork], entities: bool) -> list[FileResult]:
    """`read_file` of each of `works`, then, with `entities`, the model's mentions of
    all their articles, read together (the model reads a batch quicker than its files
    one by one). The one function every place the work runs calls.

    In this process the model starts loading, in a thread, at the first file that
    brings articles, and loads while the rest of the batch is read (in a worker it is
    loaded already)."""
    results = []
    for work in works:
        result = read_file(work)
        if entities and result.articles:
            from index.entities.ner import preload

            preload()
        results.append(result)
    if not entities:
        return results
    return _with_mentions(results)


def _with_mentions(results: list[FileResult]) -> list[FileResult]:
    """`results` with the model's mentions of their articles.

    The model's answer is keyed by article id, and two files of a batch may hold the
    same id (`a.txt` and `a.md`: `FileIngester.settle` tells them apart later): such
    a batch is read one file at a time."""
    from index.entities import entity_pass

    ids = [article.id for result in results for article in result.articles]
    groups = [results] if len(set(ids)) == len(ids) else [[result] for result in results]
    done: list[FileResult] = []
    for group in groups:
        found = entity_pass.recognise_articles(a for result in group for a in result.articles)
        done.extend(
            replace(result, mentions=tuple(tuple(found.get(a.id, ())) for a in result.articles))
            for result in group
        )
    return done


class FileIngester:
    """Reads files and makes the outcome of each from the work done on its bytes.

    Nothing is written here: the caller commits a batch of files whole, with the
    entity model's mentions, once the work on them is done (`record`).
    """

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._ids: dict[str, str] = {}  # article id -> rel of the file that holds it

    def load(self, entry: FileEntry, previous: FileRecord | None) -> Outcome | FileWork:
        """The file's outcome when there is no work to do on it (unreadable, or touched
        but not changed), else the work."""
        data, problem = read_bounded(entry.location)
        if data is None:
            return self._record(entry, "", Outcome(problem=problem))
        digest = content_hash(data)
        if previous is not None and previous.hash == digest and previous.problem is None:
            record = FileRecord(entry.rel, entry.size, entry.mtime_ns, digest, None)
            return Outcome(unchanged=True, record=record)
        return FileWork(entry.rel, data, digest)

    def settle(self, entry: FileEntry, work: FileWork, result: FileResult) -> Outcome:
        """The outcome of `result`, the work done on `work`: each article with an id no
        other file holds, and its mentions by that id. Call in the order of the files."""
        outcome = Outcome(notes=list(result.notes), problem=result.problem)
        for article, mentions in zip(
            result.articles, result.mentions or [()] * len(result.articles), strict=True
        ):
            article = self._unique(article, entry.rel)
            outcome.articles.append(article)
            outcome.mentions[article.id] = list(mentions)
        return self._record(entry, work.digest, outcome)

    def _record(self, entry: FileEntry, digest: str, outcome: Outcome) -> Outcome:
        outcome.record = FileRecord(entry.rel, entry.size, entry.mtime_ns, digest, outcome.problem)
        return outcome

    def _unique(self, article: Article, rel: str) -> Article:
        """`article` with an id no other file holds (`a.txt` and `a.md` both want `a`)."""
        holder = self._ids.get(article.id)
        if holder is None:
            existing = self._catalog.article(article.id)
            holder = existing.path if existing is not None else rel
        if holder != rel:
            suffix = rel[rel.rfind(".") :] if "." in rel else "~"
            article = replace(article, id=f"{article.id}{suffix}")
        self._ids[article.id] = rel
        return article


def record(catalog: Catalog, outcome: Outcome) -> None:
    """Write what `FileIngester` found into the catalog (in the caller's transaction)."""
    if outcome.record is None:
        return
    if outcome.unchanged:
        catalog.touch_file(outcome.record.rel, outcome.record.size, outcome.record.mtime_ns)
    else:
        catalog.replace_file(outcome.record, outcome.articles)
