"""The Whoosh index: one schema, article documents and passage documents.

Every article is indexed twice over: once as a whole (`kind=article`: title,
full text, date) for search, and once
per passage (`kind=passage`) for the passage-level look-ups of the
cross-reference pane. All documents of one file share its `file` term, so a
changed or removed file is deleted from the index in one call.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.writing import LockError

from index.analysis import french_analyzer
from index.errors import IndexBusy
from index.model import Article

# Bump when the schema or the analysis changes: an index of another version is rebuilt.
SCHEMA_VERSION = "4"
TITLE_BOOST = 3.0


def schema() -> Schema:
    french = french_analyzer()
    return Schema(
        id=ID(unique=True, stored=True),
        kind=ID(),
        doc=ID(stored=True),
        file=ID(),
        n=STORED(),
        title=TEXT(analyzer=french, field_boost=TITLE_BOOST, multitoken_query="phrase"),
        content=TEXT(analyzer=french, multitoken_query="phrase"),
        # Passage text: ranked look-ups of similar passages need no positions.
        passage=TEXT(analyzer=french, phrase=False),
        date=KEYWORD(lowercase=True),
        lang=ID(),
    )


def open_or_create(directory: Path) -> Any:
    directory.mkdir(parents=True, exist_ok=True)
    if whoosh_index.exists_in(str(directory)):
        return whoosh_index.open_dir(str(directory))
    return whoosh_index.create_in(str(directory), schema())


def date_terms(date: str) -> str:
    """`2024-06-18` → `2024 2024-06 2024-06-18`, so `date:2024` and `date:2024-06` both match."""
    parts = date.split("-")
    return " ".join("-".join(parts[: i + 1]) for i in range(len(parts))) if date else ""


def article_documents(article: Article) -> Iterator[dict[str, Any]]:
    """The Whoosh documents of one article: the article itself, then its passages."""
    yield {
        "id": article.id,
        "kind": "article",
        "doc": article.id,
        "file": article.path,
        "title": article.title,
        "content": article.text,
        "date": date_terms(article.date),
        "lang": article.lang,
    }
    for passage in article.passages:
        yield {
            "id": f"{article.id}#{passage.n}",
            "kind": "passage",
            "doc": article.id,
            "file": article.path,
            "n": passage.n,
            "passage": article.passage_text(passage),
            "lang": passage.lang,
        }


@contextlib.contextmanager
def writer(ix: Any, *, fresh: bool) -> Iterator[Any]:
    """A writer that commits on success and is cancelled on any error.

    `fresh` (an empty index being filled) lets Whoosh write one new segment
    without merging; incremental updates merge small segments as they go.
    Posting blocks are not zlib-compressed: it halves the time of a commit for
    an index about a third larger.
    """
    try:
        w = ix.writer(limitmb=256, timeout=2.0, codec=W3Codec(compression=0))
    except LockError as error:
        raise IndexBusy("another presse process is writing this index; try again later") from error
    try:
        yield w
    except BaseException:
        w.cancel()
        raise
    else:
        w.commit(merge=not fresh)
