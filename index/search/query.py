"""Full-text search over the article documents: parsing, ranking, snippets, suggestions.

The query language is Whoosh's: `AND`, `OR`, `NOT`, `"phrases"`, wildcards
(`nucl*`), fields (`title:`, `date:`, `lang:`), ranges and groups. Words are
analysed like the text (French stemming, accents and case folded), ranking is
BM25F with titles weighing more.
"""

from __future__ import annotations

import bisect
import fnmatch
import functools
import re
import weakref
from collections.abc import Iterable, Iterator
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from whoosh import qparser
from whoosh.query import (
    And,
    Every,
    FuzzyTerm,
    MultiTerm,
    Not,
    NullQuery,
    Or,
    Prefix,
    Query,
    Term,
    Wildcard,
)

from index.analysis import FRENCH_STOP_WORDS, fold, stem_spans, stems
from index.errors import QueryError
from index.model import Article, Snippet
from index.search.spelling import Vocabulary

SEARCH_FIELDS = ("title", "content")
SNIPPET_CHARS = 220
# Wildcards and fuzzy terms expand to every matching word of the index; beyond
# this many the query is refused rather than left to run for seconds.
MAX_EXPANSION = 2_000
# ... and the words they match may be found this many times in all (article and passage
# counts of each word): the search walks each, some 12 µs apiece, so about half a
# second at most. `a*` on 10,000 articles is 300,000 of them.
MAX_PATTERN_POSTINGS = 40_000
# Bounds on what a query may ask, so that a pasted page or a runaway pattern is
# refused in milliseconds instead of holding the reader: the parser, the pattern
# expansion and the spelling suggestions all grow with these.
MAX_QUERY_CHARS = 1_000
MAX_QUERY_TERMS = 200
MAX_NESTING = 32
# Each extra edit multiplies the words a fuzzy word matches; beyond two it
# matches most short words of the index.
MAX_FUZZY_EDITS = 2
# Each wildcard or fuzzy word is a walk over the whole vocabulary of the index.
MAX_PATTERNS = 10
# `word~99` (Whoosh itself reads one digit: `word~9` and a word `9`), not `"a phrase"~9`.
_FUZZINESS = re.compile(r"(?<=\w)~(\d+)")
_LITERAL_PREFIX = re.compile(r"[^*?\[]*")
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
    """The Whoosh query for `text`, or QueryError with a readable reason.

    Fuzzy words ask for at most MAX_FUZZY_EDITS edits (`veto~9` reads as `veto~2`).
    """
    if not text.strip():
        raise QueryError("empty query")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is too long ({len(text):,} characters; at most {MAX_QUERY_CHARS:,})"
        )
    _check_balanced(text)
    text = _FUZZINESS.sub(_bounded_fuzziness, text)
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
    if len(leaves) > MAX_QUERY_TERMS * len(SEARCH_FIELDS):
        raise QueryError(f"the query has too many words (at most {MAX_QUERY_TERMS})")
    # (`pou*` is one pattern a field: counted once, whatever the fields it looks in.)
    patterns = {
        (type(leaf), str(leaf).partition(":")[2]) for leaf in leaves if isinstance(leaf, MultiTerm)
    }
    if len(patterns) > MAX_PATTERNS:
        raise QueryError(
            f"the query has too many wildcards or fuzzy words (at most {MAX_PATTERNS})"
        )
    if leaves and all(isinstance(leaf, Every) for leaf in leaves):
        raise QueryError("the query matches everything; add a word")
    if isinstance(query, Not):
        # `NOT veto` alone: every article without the word, not nothing at all.
        query = And([Every(), query])
    return query


def _bounded_fuzziness(match: re.Match[str]) -> str:
    return f"~{min(int(match.group(1)), MAX_FUZZY_EDITS)}"


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
            if depth > MAX_NESTING:
                raise QueryError(f"the query nests groups too deeply (at most {MAX_NESTING})")
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise QueryError("a ')' closes no '(' in the query")
    if in_phrase:
        raise QueryError("a phrase is not closed: add the closing '\"'")
    if depth > 0:
        raise QueryError("a '(' is not closed in the query")


def expand(query: Query, reader: Any) -> tuple[Query, set[tuple[str, str]]]:
    """`query` with its wildcards, fuzzy words and ranges over the text replaced by the
    words of the index they match, and every index term the result can match.

    Whoosh would expand such a pattern over the whole lexicon again for the search,
    again for the count of results, and without limit; here it is expanded once, and
    a query matching more than MAX_EXPANSION words is refused with a QueryError.
    (Whoosh's own `Query.existing_terms` loses every field after the first: its loop
    variable shadows its `fieldname` argument.)
    """
    expansion = _Expansion(reader)
    try:
        expanded = query.accept(expansion.replace)
        for leaf in query.leaves():
            if isinstance(leaf, MultiTerm):
                continue  # expanded above, or in a field that is not text
            for field, text in leaf.expanded_terms(reader, phrases=True):
                if field in SEARCH_FIELDS and (field, text) in reader:
                    expansion.add(field, text.decode("utf-8") if isinstance(text, bytes) else text)
    except QueryError:
        raise
    except Exception as error:
        raise QueryError(f"the query cannot run: {error}") from error
    return expanded, expansion.terms


class _Expansion:
    """The index terms a query can match, gathered as its patterns are replaced."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.terms: set[tuple[str, str]] = set()
        self.postings = 0  # of the words the patterns match: what the search will walk

    def add(self, field: str, text: str) -> None:
        self.terms.add((field, text))
        if len(self.terms) > MAX_EXPANSION:
            raise QueryError("the query matches too many words; make wildcards longer")

    def replace(self, node: Query) -> Query:
        """`node`, if a pattern over the text, as the words of the index it matches."""
        if not isinstance(node, MultiTerm) or node.field() not in SEARCH_FIELDS:
            return node
        field = node.field()
        words: list[str] = []
        for text in _matching_words(node, self.reader):
            self.add(field, text)
            words.append(text)
            self.postings += self.reader.doc_frequency(field, text)
            if self.postings > MAX_PATTERN_POSTINGS:
                raise QueryError(
                    "the wildcards or fuzzy words match too many words in too many"
                    " articles; make them longer"
                )
        if not words:
            return NullQuery
        if len(words) == 1:
            return Term(field, words[0], boost=node.boost)
        return Or([Term(field, word, boost=node.boost) for word in sorted(words)])


def _matching_words(node: MultiTerm, reader: Any) -> Iterator[str]:
    """The words of the index that the pattern, fuzzy word or range `node` matches."""
    field = node.field()
    if isinstance(node, FuzzyTerm):
        # Whoosh walks a Levenshtein automaton over the lexicon in pure Python (a
        # third of a second a fuzzy word on a few hundred articles); rapidfuzz
        # compares the whole lexicon in C++ in a few milliseconds.
        prefix = node.text[: node.prefixlength]
        matches = process.extract_iter(
            node.text,
            _lexicon(reader, field),
            scorer=Levenshtein.distance,
            score_cutoff=int(node.maxdist),
        )
        for word, _distance, _index in matches:
            if word.startswith(prefix):
                yield word
        return
    if isinstance(node, (Prefix, Wildcard)):
        # The same walk over a cached, sorted lexicon: Whoosh reads every term from
        # the index files again for each pattern.
        lexicon = _lexicon(reader, field)
        literal = _LITERAL_PREFIX.match(node.text)
        head = literal.group(0) if literal else ""
        first = bisect.bisect_left(lexicon, head)
        last = bisect.bisect_left(lexicon, head + "\U0010ffff")
        if isinstance(node, Prefix):
            yield from lexicon[first:last]
            return
        pattern = re.compile(fnmatch.translate(node.text), re.DOTALL)
        yield from (word for word in lexicon[first:last] if pattern.match(word))
        return
    for _field, text in node.expanded_terms(reader):
        yield text.decode("utf-8") if isinstance(text, bytes) else str(text)


_LEXICONS: weakref.WeakKeyDictionary[Any, dict[str, list[str]]] = weakref.WeakKeyDictionary()


def _lexicon(reader: Any, field: str) -> list[str]:
    """Every word of `field` in the index, sorted, kept as long as `reader` lives."""
    by_field = _LEXICONS.setdefault(reader, {})
    words = by_field.get(field)
    if words is None:
        words = by_field[field] = [btext.decode("utf-8") for btext in reader.lexicon(field)]
    return words


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


@functools.lru_cache(maxsize=512)
def _passage_spans(text: str) -> tuple[tuple[str, int, int], ...]:
    """`stem_spans` of a passage, remembered: a live search analyses the passages of
    the same best articles again at every key typed. (Passages are a few hundred
    characters, so the cache stays within a few megabytes.)"""
    return tuple(stem_spans(text))


def make_snippet(article: Article, stems: frozenset[str]) -> Snippet:
    """A short excerpt around the first hit of the best passage, hits marked."""
    best: tuple[int, list[tuple[int, int]], int] | None = None
    prefixes = tuple({stem[:4] for stem in stems})
    for passage in article.passages:
        if not passage.is_text:
            continue
        text = article.passage_text(passage)
        # A cheap test before analysing the passage: a stem begins the folded word.
        if prefixes:
            folded = fold(text)
            if not any(p in folded for p in prefixes):
                continue
        hits = [(start, end) for stem, start, end in _passage_spans(text) if stem in stems]
        if hits and (best is None or len(set(hits)) > len(set(best[1]))):
            best = (passage.start, hits, passage.end)
            if len(hits) >= 3:
                break
    if best is None:
        lead = next((p for p in article.passages if p.is_text), None)
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
