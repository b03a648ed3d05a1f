"""Two articles side by side: their passages aligned, what only one of them says.

Every passage of one article is scored against every passage of the other on
the signals of `related.py` (shared wording, shared rare words, shared
entities). Each passage is paired with its best partner when the score
clears a threshold, from either side, so one passage may align with several
(a long paragraph rewritten as two). Passages left without a partner are what
only one article says. For a near-duplicate pair, a word-level diff marks the
words that differ.
"""

from __future__ import annotations

import difflib
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from index.analysis import stems as stems_of
from index.crossref import related
from index.model import Article

ALIGN_THRESHOLD = 0.22


@dataclass(frozen=True)
class AlignedPair:
    a_passage: int
    b_passage: int
    score: float
    kind: str  # "near-duplicate" or "related"
    # Spans of the words that differ, in each passage's text (near-duplicates only).
    a_diff: tuple[tuple[int, int], ...] = ()
    b_diff: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Comparison:
    a: str
    b: str
    pairs: tuple[AlignedPair, ...]
    unpaired_a: tuple[int, ...]  # passages of a that b does not report
    unpaired_b: tuple[int, ...]
    shared_entities: tuple[str, ...]
    only_a: tuple[str, ...]  # entities only a names
    only_b: tuple[str, ...]


# (passage of a, passage of b) -> the pair's score, and the wording they share
_Scores = dict[tuple[int, int], tuple[float, related.Reuse]]


def compare_indexed(a: Article, b: Article, reader: Any) -> Comparison:
    """`compare` with the document frequencies of `reader`, over the passage index."""
    stems = {stem for article in (a, b) for stem in stems_of(article.text)}
    frequencies = {stem: reader.doc_frequency("passage", stem) for stem in stems}
    return compare(a, b, frequencies, reader.doc_count())


def compare(a: Article, b: Article, frequencies: dict[str, int], total: int) -> Comparison:
    """Align the passages of `a` and `b`; `frequencies` are passage document frequencies."""
    words_a = [related.Words.of(a.passage_text(p) if p.is_text else "") for p in a.passages]
    words_b = [related.Words.of(b.passage_text(p) if p.is_text else "") for p in b.passages]
    scores = _scores(a, words_a, b, words_b, frequencies, total)
    chosen = _chosen(scores, len(words_a), len(words_b))
    pairs = []
    for i, j in sorted(chosen):
        score, found = scores[(i, j)]
        near = related.is_near_duplicate(found)
        a_diff, b_diff = _word_diff(words_a[i], words_b[j]) if near else ((), ())
        pairs.append(
            AlignedPair(
                a.passages[i].n,
                b.passages[j].n,
                round(score, 4),
                "near-duplicate" if near else "related",
                a_diff,
                b_diff,
            )
        )
    paired_a = {i for i, _ in chosen}
    paired_b = {j for _, j in chosen}
    all_a = {m.entity for m in a.mentions}
    all_b = {m.entity for m in b.mentions}
    return Comparison(
        a=a.id,
        b=b.id,
        pairs=tuple(pairs),
        # (what only one article says: its own text, not its page's boilerplate)
        unpaired_a=tuple(p.n for k, p in enumerate(a.passages) if k not in paired_a and p.is_text),
        unpaired_b=tuple(p.n for k, p in enumerate(b.passages) if k not in paired_b and p.is_text),
        shared_entities=tuple(sorted(all_a & all_b)),
        only_a=tuple(sorted(all_a - all_b)),
        only_b=tuple(sorted(all_b - all_a)),
    )


def _scores(
    a: Article,
    words_a: list[related.Words],
    b: Article,
    words_b: list[related.Words],
    frequencies: dict[str, int],
    total: int,
) -> _Scores:
    """Every pair of passages that share a weighted word or an entity, scored."""
    entities_a = [related.entities_within(a, p.start, p.end) for p in a.passages]
    entities_b = [related.entities_within(b, p.start, p.end) for p in b.passages]
    vectors_a = [_vector(w, frequencies, total) for w in words_a]
    vectors_b = [_vector(w, frequencies, total) for w in words_b]
    scores: _Scores = {}
    for i, wa in enumerate(words_a):
        for j, wb in enumerate(words_b):
            subject = _cosine(vectors_a[i], vectors_b[j])
            if subject == 0.0 and not (entities_a[i] & entities_b[j]):
                continue
            found = related.reuse(wa, wb)
            score = related.combined_score(
                subject, found, related.jaccard(entities_a[i], entities_b[j])
            )
            scores[(i, j)] = (score, found)
    return scores


def _chosen(scores: _Scores, count_a: int, count_b: int) -> set[tuple[int, int]]:
    """Each passage's best partner, from either side, when it clears ALIGN_THRESHOLD."""
    rows = (_best(scores, [(i, j) for j in range(count_b)]) for i in range(count_a))
    columns = (_best(scores, [(i, j) for i in range(count_a)]) for j in range(count_b))
    return {pair for pair in (*rows, *columns) if pair is not None}


def _best(scores: _Scores, pairs: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The best scored of `pairs` (the last one of a tie), if it clears ALIGN_THRESHOLD."""
    best = max(((scores[pair][0], pair) for pair in pairs if pair in scores), default=None)
    return best[1] if best and best[0] >= ALIGN_THRESHOLD else None


def _vector(words: related.Words, frequencies: dict[str, int], total: int) -> dict[str, float]:
    counts = Counter(stem for stem in words.stems if stem)
    return {
        stem: n * math.log(1 + total / (1 + frequencies.get(stem, 0))) for stem, n in counts.items()
    }


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(weight * b[stem] for stem, weight in a.items() if stem in b)
    if not dot:
        return 0.0
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm


def _word_diff(
    a: related.Words, b: related.Words
) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
    """Spans of the words of `a` and of `b` that the other does not have at that place."""
    matcher = difflib.SequenceMatcher(None, a.folded, b.folded, autojunk=False)
    only_a: list[tuple[int, int]] = []
    only_b: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        only_a.extend(a.spans[i1:i2])
        only_b.extend(b.spans[j1:j2])
    return tuple(only_a), tuple(only_b)
