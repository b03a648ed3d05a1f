"""Full-text search over the article documents: parsing, ranking, snippets, suggestions.

The query language is Whoosh's: `AND`, `OR`, `NOT`, `"phrases"`, wildcards
(`nucl*`), fields (`title:`, `date:`, `lang:`), ranges and groups. Words are
analysed like the text (French stemming, accents and case folded), ranking is
BM25F with titles weighing more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from whoosh import qparser
from whoosh.query import And, Every, Not, NullQuery, Query

from index.analysis import FRENCH_STOP_WORDS, fold, stem_spans, stems
from index.errors import QueryError
from index.model import Article, Snippet
from index.spelling import Vocabulary

SEARCH_FIELDS = ("title", "content")
SNIPPET_CHARS = 220
# Wildcards and fuzzy terms expand to every matching word of the index; beyond
# this many the query is refused rather than left to run for seconds.
MAX_EXPANSION = 2_000
_WORD = re.compile(r"\w+")
_FIELD = re.compile(r"(?<![\w:])([A-Za-z_]\w*):(?=\S)")
# Fields a user may name in a query; the others are the engine's own.
QUERY_FIELDS = ("title", "content", "date", "lang", "entity")
_HIDDEN_FIELDS = {"id", "file"}
_OPERATORS = {"and", "or", "not", "to", "andnot", "andmaybe"}


def make_parser(schema: Any) -> Any:
    parser = qparser.MultifieldParser(list(SEARCH_FIELDS), schema)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    return parser


def parse(parser: Any, text: str) -> Query:
    """The Whoosh query for `text`, or QueryError with a readable reason."""
    if not text.strip():
        raise QueryError("empty query")
    _check_balanced(text)
    for match in _FIELD.finditer(text):
        if match.group(1) not in parser.schema.names() or match.group(1) in _HIDDEN_FIELDS:
            known = ", ".join(f"{name}:" for name in QUERY_FIELDS)
            raise QueryError(f"unknown field {match.group(1)!r}; the fields are {known}")
    try:
        query = parser.parse(text)
    except Exception as error:  # Whoosh raises assorted errors on odd input
        raise QueryError(f"cannot read the query {text!r}: {error}") from error
    if query is NullQuery:
        raise QueryError("nothing to search for: the query has only common words or operators")
    leaves = list(query.leaves())
    if leaves and all(isinstance(leaf, Every) for leaf in leaves):
        raise QueryError("the query matches everything; add a word")
    if isinstance(query, Not):
        # `NOT veto` alone: every article without the word, not nothing at all.
        query = And([Every(), query])
    return query


def _check_balanced(text: str) -> None:
    """Whoosh reads an unclosed group or phrase silently as something else: say so instead."""
    depth = 0
    in_phrase = False
    for char in text:
        if char == '"':
            in_phrase = not in_phrase
        elif in_phrase:
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise QueryError("a ')' closes no '(' in the query")
    if in_phrase:
        raise QueryError("a phrase is not closed: add the closing '\"'")
    if depth > 0:
        raise QueryError("a '(' is not closed in the query")


def expanded_terms(query: Query, reader: Any) -> set[tuple[str, str]]:
    """The index terms the query can match, wildcards and fuzzy terms expanded.

    (Whoosh's own `Query.existing_terms` loses every field after the first: its
    loop variable shadows its `fieldname` argument.)
    """
    terms: set[tuple[str, str]] = set()
    try:
        for leaf in query.leaves():
            for field, text in leaf.expanded_terms(reader, phrases=True):
                if field in SEARCH_FIELDS and (field, text) in reader:
                    terms.add((field, text))
                    if len(terms) > MAX_EXPANSION:
                        raise QueryError("the query matches too many words; make wildcards longer")
    except QueryError:
        raise
    except Exception as error:
        raise QueryError(f"the query cannot run: {error}") from error
    return terms


def highlight_stems(terms: Iterable[tuple[str, Any]]) -> frozenset[str]:
    """The stems, among `terms`, whose words are marked in the text."""
    stems: set[str] = set()
    for field, text in terms:
        if field in SEARCH_FIELDS:
            stems.add(text.decode("utf-8") if isinstance(text, bytes) else str(text))
    return frozenset(stems)


def find_hits(text: str, stems: frozenset[str]) -> list[tuple[int, int]]:
    """Spans of the words of `text` whose stem is one of `stems`."""
    if not stems:
        return []
    return [(start, end) for stem, start, end in stem_spans(text) if stem in stems]


def make_snippet(article: Article, stems: frozenset[str]) -> Snippet:
    """A short excerpt around the first hit of the best passage, hits marked."""
    best: tuple[int, list[tuple[int, int]], int] | None = None
    prefixes = tuple({stem[:4] for stem in stems})
    for passage in article.passages:
        text = article.passage_text(passage)
        # A cheap test before analysing the passage: a stem begins the folded word.
        if prefixes and not any(p in fold(text) for p in prefixes):
            continue
        hits = find_hits(text, stems)
        if hits and (best is None or len(set(hits)) > len(set(best[1]))):
            best = (passage.start, hits, passage.end)
            if len(hits) >= 3:
                break
    if best is None:
        lead = article.passages[0] if article.passages else None
        text = article.passage_text(lead) if lead else article.text
        return Snippet(_shorten(text, 0)[0])
    start, hits, end = best
    text = article.text[start:end]
    window, offset = _shorten(text, hits[0][0])
    marks = tuple(
        (s - offset, e - offset) for s, e in hits if s >= offset and e <= offset + len(window)
    )
    return Snippet(window, marks)


def _shorten(text: str, around: int) -> tuple[str, int]:
    """About SNIPPET_CHARS of `text` around offset `around`, cut at spaces."""
    if len(text) <= SNIPPET_CHARS:
        return text, 0
    start = max(0, around - SNIPPET_CHARS // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < around else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > around else end
    return text[start:end], start


def suggest(text: str, searcher: Any, vocabulary: Vocabulary) -> str | None:
    """The query with its unknown words replaced by the closest known ones, if any."""
    reader = searcher.reader()
    changed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group(0)
        folded = fold(word)
        before = text[match.start() - 1 : match.start()]
        after = text[match.end() : match.end() + 1]
        if (
            after in ("*", "?", "~", ":")  # a wildcard, a fuzzy term, a field name
            or before in ("*", "?")
            or folded in _OPERATORS
            or folded in FRENCH_STOP_WORDS
            or len(folded) < 3
            or not folded.isalpha()
            or folded in vocabulary
            or any(reader.doc_frequency("content", stem) > 0 for stem in stems(word))
        ):
            return word
        candidate = vocabulary.closest(folded)
        if candidate is None:
            return word
        changed = True
        return _same_case(candidate, word)

    suggestion = re.sub(r"\w+", replace, text)
    return suggestion if changed else None


def _same_case(word: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if model[:1].isupper() else word
