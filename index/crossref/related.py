"""Passages of other articles related to a passage: the same fact, the same wire copy.

Candidates come from the Whoosh passage index: a BM25 search for the
passage's key terms (its rarest words, weighted by frequency), plus the
passages that name the same entities. Each candidate's best sentence pair with
the passage (`evidence.py`: a linear model fitted on judged pairs) is the
evidence shown; the candidate is ranked by that pair's score and the two
passages' cosine (`Evidence.rank`), and left out below the rank's floor or the
pair's. Its kind: `near-duplicate` when the two sentences share most of their
wording, else `same-fact` when the pair's score and its figures, names and
length say so (`evidence.kind`), else `same-subject`.
"""

from __future__ import annotations

import math
import re
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from whoosh.query import Prefix, Term
from whoosh.query.compound import PreloadedOr

from index.analysis import (
    LONG_S_STOP_WORDS,
    MAX_WORD_CHARS,
    fold,
    french_analyzer,
    reads_long_s,
)
from index.crossref import evidence
from index.errors import UnknownDocument
from index.model import Article, RelatedPassage, RelatedResult
from index.storage import store

KEY_TERMS = 16
CANDIDATES = 60
# Terms more common than this share of the passages are not searched for candidates.
COMMON_SHARE = 0.01
COMMON_FLOOR = 100
# ... unless fewer terms are left than this: then the rarest ones are.
KEEP_RAREST = 4
_WORD = re.compile(r"\w+")
K = TypeVar("K")
# Each word as written -> its folded form and its stem: news repeats its words (some
# 10 MB for 100,000 words; long junk "words" are not kept).
_FORMS: dict[str, tuple[str, str]] = {}
_MAX_FORMS = 100_000
# Each searcher's document frequencies, as asked for: one look-up in each segment's
# term table a term, and a passage's words come back in passage after passage.
_FREQUENCIES: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], int]] = (
    weakref.WeakKeyDictionary()
)
_MAX_FREQUENCIES = 200_000
_frequencies_lock = threading.Lock()


@dataclass(frozen=True)
class Words:
    """A passage as folded words with their spans, and their stems.

    In a text read from old print (`analysis.reads_long_s`), the stop words OCR misread
    (`eft`, `fur`) are stop words too: shared by any two such pages, they are no evidence.
    """

    folded: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    stems: tuple[str, ...]  # "" for a stop word

    @classmethod
    def of(cls, text: str) -> Words:
        known = _FORMS
        folded, spans, stems = [], [], []
        for match in _WORD.finditer(text):
            word = match.group()
            forms = known.get(word)
            if forms is None:
                forms = (fold(word), french_analyzer().term(word))
                if len(known) < _MAX_FORMS and len(word) <= MAX_WORD_CHARS:
                    known[word] = forms
            folded.append(forms[0])
            spans.append(match.span())
            stems.append(forms[1])
        if reads_long_s(folded):
            misread = LONG_S_STOP_WORDS
            stems = ["" if f in misread else t for f, t in zip(folded, stems, strict=True)]
        return cls(tuple(folded), tuple(spans), tuple(stems))


def key_terms(stems: Iterable[str], document_frequency: dict[str, int], total: int) -> list[str]:
    """The passage's most telling terms: frequent in it, rare in the corpus."""
    counts = Counter(stem for stem in stems if stem)
    weighted = {
        stem: n * math.log(1 + total / (1 + document_frequency.get(stem, 0)))
        for stem, n in counts.items()
        if len(stem) > 1 and not stem.isdigit()
    }
    return sorted(weighted, key=lambda stem: (-weighted[stem], stem))[:KEY_TERMS]


def rare_enough(frequencies: dict[K, int], total: int) -> list[K]:
    """The terms worth a search for candidates: those in at most `COMMON_SHARE` of the
    `total` passages (`COMMON_FLOOR` on a small corpus), else the `KEEP_RAREST` rarest.

    A word or an entity in thousands of passages (`France`, `gouvernement`) cost most of
    a search for its postings and ranks little; the candidates' scores still count it.
    """
    most = max(COMMON_FLOOR, int(COMMON_SHARE * total))
    kept = [term for term, frequency in frequencies.items() if frequency <= most]
    if len(kept) < KEEP_RAREST:
        kept = sorted(frequencies, key=frequencies.__getitem__)[:KEEP_RAREST]
    return kept


def entities_within(article: Article, start: int, end: int) -> set[str]:
    """The entities `article` names between offsets `start` and `end`."""
    return {m.entity for m in article.mentions if start <= m.start < end}


def frequencies(searcher: Any, field: str, terms: Iterable[str]) -> dict[str, int]:
    """How many documents of `searcher` have each of `terms` in `field`."""
    with _frequencies_lock:
        known = _FREQUENCIES.setdefault(searcher, {})
    reader = searcher.reader()
    found = {}
    for term in terms:
        frequency = known.get((field, term))
        if frequency is None:
            frequency = reader.doc_frequency(field, term)
            if len(known) < _MAX_FREQUENCIES:
                known[(field, term)] = frequency
        found[term] = frequency
    return found


@dataclass(frozen=True)
class _Source:
    """The passage whose related passages are looked for, and the index's counts."""

    words: Words
    named: set[str]
    frequencies: dict[str, int]  # of its stems, in the passages
    total: int  # passages in the index


def related_passages(
    article: Article,
    n: int,
    searcher: Any,
    articles: Callable[[Sequence[tuple[str, int]]], dict[str, Article]],
    limit: int = 10,
) -> RelatedResult:
    """Passages of other articles related to passage `n` of `article`, best first:
    candidates from `searcher` (over the passage index), their articles from
    `articles(pairs)` (by id, with the mentions of the (id, passage) pairs asked at
    least), each scored by its best sentence pair with the passage
    (`evidence.py`); those below its floor are left out."""
    if not 0 <= n < len(article.passages):
        raise UnknownDocument(
            f"{article.id} has passages 0 to {len(article.passages) - 1}, not {n}"
        )
    passage = article.passages[n]
    if not passage.is_text:
        return RelatedResult(article.id, n, ())  # (boilerplate: a teaser, a byline)
    source_cut = evidence.cut(article, n, Words.of)
    words = Words.of(source_cut.text)
    named = entities_within(article, passage.start, passage.end)
    stems = frequencies(searcher, "passage", {stem for stem in words.stems if stem})
    total = searcher.reader().doc_count()
    source = _Source(words, named, stems, total)
    clauses = _search_terms(searcher, source)
    if not clauses:
        return RelatedResult(article.id, n, ())
    kept = _candidates(searcher, clauses, article)
    others = articles(kept)
    found_in: list[tuple[Article, int]] = []
    for other_id, m in kept:
        other = others.get(other_id)
        if other is not None and m < len(other.passages) and other.passages[m].is_text:
            found_in.append((other, m))
    cuts = [evidence.cut(other, m, Words.of) for other, m in found_in]
    every_stem = {stem for c in (source_cut, *cuts) for stem in c.stems if stem}
    every_stem |= {stem for c in (source_cut, *cuts) for stem in (*c.before, *c.after)}
    frequency = frequencies(searcher, "passage", every_stem)
    idf = {stem: evidence.idf_of(df, total) for stem, df in frequency.items()}
    every_entity = {e for c in (source_cut, *cuts) for s in c.sentences for e in s.entities}
    entity_idf = {
        e: evidence.idf_of(df, total)
        for e, df in frequencies(searcher, "entity", every_entity).items()
    }
    scorer = evidence.Scorer(source_cut, cuts, idf, entity_idf, frequency)
    scored = (
        _scored(scorer, k, source_cut, cuts[k], *found_in[k], named, article.date)
        for k in range(len(found_in))
    )
    # By the rank, not the shown score: rounded, that is 1.0 far above the floor.
    found = [x for x in scored if x is not None]
    found.sort(key=lambda x: (-x[0], x[1].doc, x[1].passage))
    return RelatedResult(article.id, n, tuple(r for _, r in found[:limit]))


def _search_terms(searcher: Any, source: _Source) -> list[Term]:
    """The source's key terms and entities, those rare enough to search for."""
    searched = {
        ("passage", term): source.frequencies[term]
        for term in key_terms(source.words.stems, source.frequencies, source.total)
    }
    entities = frequencies(searcher, "entity", source.named)
    searched |= {("entity", e): entities[e] for e in sorted(source.named)}
    return [Term(*term) for term in rare_enough(searched, source.total)]


def _candidates(searcher: Any, clauses: list[Term], article: Article) -> list[tuple[str, int]]:
    """The best passages of other articles for `clauses`: (article id, passage), best
    first, as Whoosh ranks them for a `PreloadedOr` of the clauses (each term's scores
    summed in one array), scored in numpy by `search.ranking` (numpy, imported on the
    first related query)."""
    from index.search import ranking

    # The article's own passages are dropped from the best, by their number when it has
    # more than the candidates (else the search's ids are read and they are left out).
    own = len(article.passages)
    excluded: set[int] = set()
    if own > CANDIDATES:
        excluded = set(searcher.docs_for_query(Prefix("id", store.passage_id(article.id, 0)[:-1])))
    query = PreloadedOr(clauses)
    found = ranking.ranked(searcher, query, CANDIDATES + own)
    if found is None:  # pragma: no cover - (ranking reads every query of this shape)
        docnums = [hit.docnum for hit in searcher.search(query, limit=CANDIDATES + own)]
    else:
        docnums = found[0].tolist()
    candidates: list[tuple[str, int]] = []
    for docnum in docnums:
        if docnum in excluded:
            continue
        other_id, m = store.split_passage_id(searcher.stored_fields(docnum)["id"])
        if other_id != article.id:
            candidates.append((other_id, m))
            if len(candidates) == CANDIDATES:
                break
    return candidates


def _scored(
    scorer: evidence.Scorer,
    k: int,
    source: evidence.Sentences,
    other_cut: evidence.Sentences,
    other: Article,
    m: int,
    named: set[str],
    date: str = "",
) -> tuple[float, RelatedPassage] | None:
    """Passage `m` of `other` (the scorer's candidate `k`) as a result with its rank (a
    logit), or None if no sentence pair of it reaches the floor; `date` is the source
    article's."""
    best = scorer.best(k)
    if best is None:
        return None
    era = evidence.era_penalty(date, other.date)
    rank = best.rank - era
    if rank < evidence.RANK_FLOOR:
        return None
    kind, shared_wording = evidence.kind(
        source, best.source, other_cut, best.other, best.score - era
    )
    if kind is None:
        return None
    terms, marks = evidence.shared_words(source, best.source, other_cut, best.other)
    mine, theirs = source.sentences[best.source], other_cut.sentences[best.other]
    other_passage = other.passages[m]
    other_named = entities_within(other, other_passage.start, other_passage.end)
    return rank, RelatedPassage(
        doc=other.id,
        passage=m,
        title=other.title,
        score=round(evidence.logistic(rank), 4),
        kind=kind,
        text=other_cut.text,
        shared_terms=tuple(terms),
        shared_entities=tuple(sorted(named & other_named)),
        marks=tuple(marks),
        sentence=(theirs.start, theirs.end),
        source_sentence=(mine.start, mine.end),
        reused=round(shared_wording, 4),
    )
