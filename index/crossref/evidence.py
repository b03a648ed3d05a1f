"""Sentence evidence for related passages: which sentence of the source and which of
the other passage say the same thing, how surely, and of what kind.

A passage is scored by its best sentence pair with the source passage; that pair is
the evidence shown. A pair's score is a linear function of features computed on
the fly from the passages' text and the index's term counts (nothing more is
stored): stem tf-idf cosine of the two sentences, the same with their neighbour
sentences at weight `CONTEXT` (minus the source sentence's usual similarity to any
candidate, the "hub" correction of CSLS), the two passages' stem cosine, the
information they share (idf mass), shared rare stems, shared entities, shared
numbers, amounts and dates (`numbers.py`), the sentences' lengths, and penalties
for link teasers (`Lire aussi`) and titles.

Kinds: `near-duplicate` when runs of identical words cover a substantial part of
the shorter sentence (names and teasers never count); otherwise `same-fact` when the
score reaches SAME_FACT and the figures agree, more than a described name is shared
and both sentences state something (`kind`), else `same-subject`; below `FLOOR`, no
result. A passage is ranked by its best pair and the passages' cosine
(`Evidence.rank`), and not shown below RANK_FLOOR.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from index.crossref.numbers import number_tokens
from index.ingest.clean import sentence_spans
from index.model import Article

# The pair score's weights: a logistic regression on sentence pairs (a judged pair's
# sentences against every other candidate sentence pair, positives weighted 20:1, C=1),
# fitted on the same-fact pairs of the shared BBC development set and on a second
# judged set of ten pairs, with the project's stems; leave-one-story-out it gives
# recall@3 0.74 on the development set and 0.85 on the other. The features are those
# of `pair_features`; the fitting script is not part of the project.
WEIGHTS: dict[str, float] = {
    "stem": 2.93,
    "context": 0.43,
    "passage": 8.82,
    "context_csls": 19.24,
    "mass": 0.04,
    "entities": 1.53,
    "rare": 2.61,
    "numbers": 1.87,
    "amounts": 3.58,
    "length_source": 1.39,
    "length_other": 1.24,
    "teaser_source": -0.49,
    "teaser_other": -1.62,
    "title_other": -6.10,
}
BIAS = -11.97
# Passages are ranked by their best pair's logit plus PASSAGE_RANK times the passages'
# cosine (less PASSAGE_CENTRE, the median cosine of a candidate): a logistic regression
# on the candidate passages of the judged queries (wanted or not), with the best pair's
# logit and the cosine as features, fitted on three judged sets (65 pairs: the shared
# development set and two of ours); leave-one-story-out, recall@3 0.80 / 0.85 / 0.55 on
# the three, against 0.80 / 0.75 / 0.43 by the best pair alone. The pair says what the
# two passages state alike; the passages' cosine, that they tell the same story.
PASSAGE_RANK = 28.7
PASSAGE_CENTRE = 0.06
# Below this rank, a passage is not shown at all, whatever its kind would be: it cuts the
# results of a passage from 6.5 to 2.6 on average on the BBC files (40 passages drawn),
# and no judged pair out of the top 3 of any of the three sets.
RANK_FLOOR = -1.0
# Neighbour sentences' weight in a sentence's context vector.
CONTEXT = 0.3
# The hub: the mean of a source sentence's best HUB context similarities.
HUB = 10
# Stems in at most this many passages are rare.
RARE_PASSAGES = 20
# Pair scores (logits) from which a pair states the same fact, and below which it is
# no evidence at all (the passage is left out).
SAME_FACT = 1.0
FLOOR = -3.0
# A sentence of fewer content words (not names, not stop words) states no fact of its own
# (`'opération spéciale'...`).
STATING = 4
# Years apart from which two articles' pairs lose score (`era_penalty`): a generation.
ERA = 25
# Figures of LARGE or more that two sentences give and never share: different details.
LARGE = 100
# Words within DESCRIBED words of a name describe who it is (`l'attaquant argentin Messi`).
DESCRIBED = 2
# Near-duplicate wording: runs of at least RUN identical words, names left out, cover
# at least COVER of the shorter sentence's words, which has at least MIN_WORDS.
RUN = 3
COVER = 0.5
MIN_WORDS = 8
# A navigation cue: a link teaser's words.
TEASER = re.compile(
    r"(?i)\b(?:(?:a |à )?(?:lire|voir) (?:aussi|plus|également)"
    r"|(?:a |à )?(?:ne pas manquer|surtout lire|regarder|écouter)\s*(?:sur|:)"
    r"|articles? recommandés|autres articles|en savoir plus)"
)
# Number tokens of amounts, dates and percentages (more telling than a bare number).
_AMOUNT_PREFIXES = ("nw:", "d:", "$:", "%:")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a passage and what the pair score reads of it."""

    start: int  # offsets in the passage's text
    end: int
    first: int  # its words: `words[first:last]` of the passage's `Words`
    last: int
    stems: Counter[str]
    numbers: frozenset[str]
    entities: frozenset[str]
    teaser: bool
    title: bool


@dataclass(frozen=True)
class Sentences:
    """A passage cut in sentences, with the stems of the sentences around it."""

    text: str
    folded: tuple[str, ...]  # its words, folded
    spans: tuple[tuple[int, int], ...]  # their spans in `text`
    stems: tuple[str, ...]  # their stems ("" for a stop word)
    names: tuple[bool, ...]  # whether each word is part of a name
    named: tuple[str, ...]  # the entity each word names ("" for none)
    sentences: tuple[Sentence, ...]
    before: Counter[str]  # the stems of the sentence before the passage, in its article
    after: Counter[str]  # ... and after it


# The passages cut lately, by (article, passage): a reader moving through an article asks
# for the same candidates passage after passage (up to 25 kB each on news, some 25 MB).
_CUTS: dict[tuple[str, int], tuple[str, tuple[tuple[int, int, str], ...], Sentences]] = {}
_MAX_CUTS = 1024


def cut(article: Article, n: int, words_of: Callable[[str], Any]) -> Sentences:
    """Passage `n` of `article` in sentences; `words_of(text)` gives a text's words
    (`related.Words.of`)."""
    passage = article.passages[n]
    mentions = tuple(
        (m.start - passage.start, m.end - passage.start, m.entity)
        for m in article.mentions
        if passage.start <= m.start < passage.end
    )
    kept = _CUTS.get((article.id, n))
    if kept is not None and kept[1] == mentions and kept[0] == article.text:
        return kept[2]
    found = sentences_of(
        article.passage_text(passage),
        mentions,
        words_of,
        title=passage.kind == "title",
        before=_neighbour(article, n, -1, words_of),
        after=_neighbour(article, n, 1, words_of),
    )
    if len(_CUTS) >= _MAX_CUTS:
        _CUTS.pop(next(iter(_CUTS)), None)
    _CUTS[(article.id, n)] = (article.text, mentions, found)
    return found


def sentences_of(
    text: str,
    mentions: Sequence[tuple[int, int, str]],
    words_of: Callable[[str], Any],
    title: bool = False,
    before: Counter[str] | None = None,
    after: Counter[str] | None = None,
) -> Sentences:
    """`text` in sentences; `mentions`: (start, end, entity) of its names in it."""
    words = words_of(text)
    named = _entities_at(words.spans, mentions)
    sentences = []
    k = 0
    for start, end in sentence_spans(text):
        while k < len(words.spans) and words.spans[k][0] < start:
            k += 1
        first = k
        while k < len(words.spans) and words.spans[k][0] < end:
            k += 1
        piece = text[start:end]
        sentences.append(
            Sentence(
                start,
                end,
                first,
                k,
                Counter(stem for stem in words.stems[first:k] if stem),
                frozenset(number_tokens(piece)),
                frozenset(e for a, _, e in mentions if start <= a < end),
                bool(TEASER.search(piece)),
                title,
            )
        )
    return Sentences(
        text,
        words.folded,
        words.spans,
        words.stems,
        tuple(bool(entity) for entity in named),
        named,
        tuple(sentences),
        before or Counter(),
        after or Counter(),
    )


def _entities_at(
    spans: Sequence[tuple[int, int]], mentions: Sequence[tuple[int, int, str]]
) -> tuple[str, ...]:
    """The entity each word (by its span) names, "" outside `mentions`."""
    if not mentions:
        return ("",) * len(spans)
    at: dict[int, str] = {}
    for start, end, entity in mentions:
        for offset in range(start, end):
            at[offset] = entity
    return tuple(at.get(start, "") for start, _ in spans)


def _neighbour(article: Article, n: int, step: int, words_of: Callable[[str], Any]) -> Counter[str]:
    """The stems of the sentence next to passage `n` (`step` -1: before it, 1: after)."""
    m = n + step
    if not 0 <= m < len(article.passages) or not article.passages[m].is_text:
        return Counter()
    text = article.passage_text(article.passages[m])
    spans = sentence_spans(text)
    if not spans:
        return Counter()
    start, end = spans[-1] if step < 0 else spans[0]
    words = words_of(text)  # (the whole passage: how a word reads may depend on all of it)
    return Counter(
        stem
        for (at, _), stem in zip(words.spans, words.stems, strict=True)
        if stem and start <= at < end
    )


@dataclass(frozen=True)
class Evidence:
    """The best sentence pair of a passage with the source: its score and where it is."""

    score: float  # the pair's logit
    source: int  # the sentence of the source passage
    other: int  # the sentence of the other passage
    passage: float = 0.0  # the two passages' stem cosine

    @property
    def rank(self) -> float:
        """How related the passage is, as a logit: its best pair's, and the passages'
        cosine (`PASSAGE_RANK`)."""
        return self.score + PASSAGE_RANK * (self.passage - PASSAGE_CENTRE)


class Scorer:
    """Scores every sentence pair of the source passage with the candidates' sentences,
    all at once: each representation is a matrix of one row a sentence (numpy, imported
    on the first related query), a feature the product of two of them."""

    def __init__(
        self,
        source: Sentences,
        candidates: Sequence[Sentences],
        idf: Mapping[str, float],
        entity_idf: Mapping[str, float],
        frequency: Mapping[str, int],
    ) -> None:
        import numpy as np

        self.source = source
        cuts = [source, *candidates]
        sentences = [s for c in cuts for s in c.sentences]
        # Row ranges: the source's sentences first, then each candidate's.
        self._bounds = [0]
        for c in cuts:
            self._bounds.append(self._bounds[-1] + len(c.sentences))
        own = slice(0, self._bounds[1])
        # Each feature of every pair (source sentence x sentence): what WEIGHTS weigh.
        self.features = _pair_features(cuts, self._bounds, idf, entity_idf, frequency)
        shape = self.features["context"].shape
        score = np.full(shape, BIAS)
        for name, weight in WEIGHTS.items():
            score += weight * self.features[name]
        # Sentences without a word are no evidence.
        empty = np.array([not x.stems for x in sentences], dtype=bool)
        score[empty[own], :] = -np.inf
        score[:, empty] = -np.inf
        self._score = score

    def best(self, k: int) -> Evidence | None:
        """Candidate `k`'s best sentence pair with the source, or None if it has no words."""
        import numpy as np

        block = self._score[:, self._bounds[k + 1] : self._bounds[k + 2]]
        if block.size == 0 or not np.isfinite(block).any():
            return None
        i, j = np.unravel_index(int(np.argmax(block)), block.shape)
        passage = float(self.features["passage"][0, self._bounds[k + 1]])
        return Evidence(float(block[i, j]), int(i), int(j), passage)


def _pair_features(
    cuts: Sequence[Sentences],
    bounds: Sequence[int],
    idf: Mapping[str, float],
    entity_idf: Mapping[str, float],
    frequency: Mapping[str, int],
) -> dict[str, Any]:
    """Each feature of every pair of a sentence of the source (`cuts[0]`) with a sentence
    of any of `cuts` (whose rows `bounds` delimit), as a matrix."""
    import numpy as np

    sentences = [s for c in cuts for s in c.sentences]
    own = slice(0, bounds[1])
    stem, context, present, columns = _stem_rows(cuts, idf)
    column_idf = np.array([idf.get(t, 0.0) for t in columns] or [0.0], dtype=np.float64)
    rare = _rare_rows(sentences, present, columns, idf, frequency)
    mass = present * np.sqrt(column_idf)
    entities = _keyed_rows([x.entities for x in sentences], entity_idf)
    numbers = _keyed_rows([x.numbers for x in sentences], None)
    amounts = _keyed_rows(
        [frozenset(t for t in x.numbers if t.startswith(_AMOUNT_PREFIXES)) for x in sentences],
        None,
    )
    length = np.log1p(np.array([len(x.stems) for x in sentences], dtype=np.float64))
    teaser = np.array([x.teaser for x in sentences], dtype=np.float64)
    title = np.array([x.title for x in sentences], dtype=np.float64)
    context_pairs = context[own] @ context.T
    others = context_pairs[:, bounds[1] :]
    hub = np.zeros(len(cuts[0].sentences))
    if others.shape[1]:
        hub = -np.sort(-others, axis=1)[:, :HUB].sum(axis=1) / HUB
    passage_of = np.repeat(np.arange(len(cuts)), np.diff(bounds))
    shape = context_pairs.shape
    return {
        "stem": stem[own] @ stem.T,
        "context": context_pairs,
        "passage": np.broadcast_to(_passage_cosines(cuts, idf)[passage_of][None, :], shape),
        "context_csls": context_pairs - hub[:, None],
        "mass": np.log1p(mass[own] @ mass.T),
        "entities": entities[own] @ entities.T,
        "rare": rare[own] @ rare.T,
        "numbers": numbers[own] @ numbers.T,
        "amounts": amounts[own] @ amounts.T,
        "length_source": np.broadcast_to(length[own][:, None], shape),
        "length_other": np.broadcast_to(length[None, :], shape),
        "teaser_source": np.broadcast_to(teaser[own][:, None], shape),
        "teaser_other": np.broadcast_to(teaser[None, :], shape),
        "title_other": np.broadcast_to(title[None, :], shape),
    }


def _stem_rows(cuts: Sequence[Sentences], idf: Mapping[str, float]) -> tuple[Any, ...]:
    """Every sentence's unit tf-idf row, its context row (with its neighbours, the
    sentences around it across passages) and where it has a stem, over the columns of
    the source's stems (`cuts[0]`) and its neighbours', and those columns. The norms are
    those of the whole vectors: every feature is a product with a row of the source."""
    import numpy as np

    rows: list[tuple[dict[str, float], float]] = []
    sides: list[tuple[dict[str, float], float, dict[str, float], float]] = []
    context_norms: list[float] = []
    for c in cuts:
        bags = [weighted(c.before, idf), *(weighted(x.stems, idf) for x in c.sentences)]
        bags.append(weighted(c.after, idf))
        lengths = [magnitude(bag) for bag in bags]
        for t in range(1, len(bags) - 1):
            rows.append((bags[t], lengths[t]))
            sides.append((bags[t - 1], lengths[t - 1], bags[t + 1], lengths[t + 1]))
            context_norms.append(_context_norm(bags, lengths, t))
    source = cuts[0]
    columns: dict[str, int] = {}
    for bag in (source.before, source.after, *(x.stems for x in source.sentences)):
        for term in bag:
            columns.setdefault(term, len(columns))
    shape = (len(rows), max(1, len(columns)))
    stem, context, present = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for r, ((weights, norm), (before, before_norm, after, after_norm)) in enumerate(
        zip(rows, sides, strict=True)
    ):
        for term, weight in weights.items():
            at = columns.get(term)
            if at is not None:
                present[r, at] = 1.0
                if norm:
                    stem[r, at] = weight / norm
        for side, side_norm, share in (
            (before, before_norm, CONTEXT),
            (after, after_norm, CONTEXT),
        ):
            for term, weight in side.items() if side_norm else ():
                at = columns.get(term)
                if at is not None:
                    context[r, at] += share * weight / side_norm
    context += stem
    context /= np.where(np.array(context_norms) == 0, 1.0, context_norms)[:, None]
    return stem, context, present, columns


def _rare_rows(
    sentences: Sequence[Sentence],
    present: Any,
    columns: Mapping[str, int],
    idf: Mapping[str, float],
    frequency: Mapping[str, int],
) -> Any:
    """Each sentence's unit row of its rare stems (idf-weighted), over `columns`."""
    import numpy as np

    def rare(term: str) -> bool:
        return frequency.get(term, 0) <= RARE_PASSAGES

    column_idf = np.array([idf.get(t, 0.0) for t in columns] or [0.0], dtype=np.float64)
    is_rare = np.array([rare(t) for t in columns] or [False], dtype=np.float64)
    norms = np.array(
        [math.sqrt(sum(idf.get(t, 0.0) ** 2 for t in x.stems if rare(t))) for x in sentences]
    )
    return present * (is_rare * column_idf) / np.where(norms == 0, 1.0, norms)[:, None]


def _passage_cosines(cuts: Sequence[Sentences], idf: Mapping[str, float]) -> Any:
    """The stem tf-idf cosine of each passage with the first (the source)."""
    import numpy as np

    whole = []
    for c in cuts:
        counts: Counter[str] = Counter()
        for x in c.sentences:
            counts.update(x.stems)
        whole.append(weighted(counts, idf))
    norms = [magnitude(bag) or 1.0 for bag in whole]
    return np.array(
        [dot(whole[0], bag) / norms[0] / norm for bag, norm in zip(whole, norms, strict=True)]
    )


def idf_of(df: int, total: int) -> float:
    """The idf of a term in `df` of the `total` passages of the index (never below 0: a
    count may still hold deleted passages)."""
    return max(0.0, math.log(max(total, 1) / max(df, 1)))


def weighted(counts: Mapping[str, int], idf: Mapping[str, float]) -> dict[str, float]:
    """A bag of stems as tf-idf weights (not normalised)."""
    return {t: (1 + math.log(n)) * idf.get(t, 0.0) for t, n in counts.items() if n > 0}


def magnitude(weights: Mapping[str, float]) -> float:
    """The norm of a bag of weights."""
    return math.sqrt(sum(x * x for x in weights.values()))


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b[t] for t, x in a.items() if t in b)


def _context_norm(bags: Sequence[Mapping[str, float]], lengths: Sequence[float], t: int) -> float:
    """The norm of bag `t`'s unit vector plus CONTEXT times its neighbours' unit vectors."""
    parts = [(1.0, t), (CONTEXT, t - 1), (CONTEXT, t + 1)]
    parts = [(w, k) for w, k in parts if lengths[k] > 0]
    total = 0.0
    for x, (wa, a) in enumerate(parts):
        total += wa * wa
        for wb, b in parts[x + 1 :]:
            total += 2 * wa * wb * dot(bags[a], bags[b]) / (lengths[a] * lengths[b])
    return math.sqrt(total)


def _rows_unit(matrix: Any) -> Any:
    import numpy as np

    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def _keyed_rows(keys: Sequence[frozenset[str]], idf: Mapping[str, float] | None) -> Any:
    """One unit row a set of keys, each weighted by its `idf` (1 without)."""
    import numpy as np

    columns: dict[str, int] = {}
    for found in keys:
        for key in found:
            columns.setdefault(key, len(columns))
    matrix = np.zeros((len(keys), max(1, len(columns))))
    for row, found in enumerate(keys):
        for key in found:
            matrix[row, columns[key]] = idf.get(key, 0.0) if idf is not None else 1.0
    return _rows_unit(matrix)


def wording(a: Sentences, i: int, b: Sentences, j: int) -> float:
    """The share of the shorter sentence's words (names left out) inside runs of at least
    RUN identical words shared by sentence `i` of `a` and sentence `j` of `b`; 0 when the
    shorter has fewer than MIN_WORDS such words."""
    sa, sb = a.sentences[i], b.sentences[j]
    return shared_wording(
        (a.folded[sa.first : sa.last], a.names[sa.first : sa.last]),
        (b.folded[sb.first : sb.last], b.names[sb.first : sb.last]),
    )


def shared_wording(
    a: tuple[Sequence[str], Sequence[bool]], b: tuple[Sequence[str], Sequence[bool]]
) -> float:
    """The share of the shorter of two texts' words (names left out) inside runs of at
    least RUN identical words both have; 0 when the shorter has fewer than MIN_WORDS such
    words. Each text is given as its folded words and whether each is part of a name."""
    (words_a, names_a), (words_b, names_b) = a, b
    count_a = names_a.count(False)
    count_b = names_b.count(False)
    if min(count_a, count_b) < MIN_WORDS:
        return 0.0
    matcher = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False)
    shared_a = shared_b = 0
    for block in matcher.get_matching_blocks():
        if block.size >= RUN:
            shared_a += names_a[block.a : block.a + block.size].count(False)
            shared_b += names_b[block.b : block.b + block.size].count(False)
    return shared_a / count_a if count_a <= count_b else shared_b / count_b


def kind(a: Sentences, i: int, b: Sentences, j: int, score: float) -> tuple[str | None, float]:
    """The kind of the evidence pair (None below the floor) and its shared wording.

    A pair scored as the same fact is only the same subject when its figures disagree
    (`disagree`) or when all it shares, beyond names, is the words around those names
    (`described_only`): the same person introduced the same way is no fact."""
    if score < FLOOR:
        return None, 0.0
    sa, sb = a.sentences[i], b.sentences[j]
    shared = 0.0
    if not (sa.title or sb.title or sa.teaser or sb.teaser):
        shared = wording(a, i, b, j)
        if shared >= COVER:
            return "near-duplicate", shared
    if (
        score < SAME_FACT
        or min(_content_words(a, sa), _content_words(b, sb)) < STATING
        or disagree(sa.numbers, sb.numbers)
        or described_only(a, i, b, j)
    ):
        return "same-subject", shared
    return "same-fact", shared


def _content_words(cut: Sentences, sentence: Sentence) -> int:
    """The sentence's words that are neither stop words nor names."""
    return sum(1 for k in range(sentence.first, sentence.last) if cut.stems[k] and not cut.names[k])


def disagree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sentences' figures (`numbers.number_tokens`) say different things:
    both give a day, or a percentage, or a count of the same unit (`54 réfugiés`,
    `6,4 millions de réfugiés`), or a large number, and never the same one."""
    for prefix in ("d:", "%:"):
        days_a = {t for t in a if t.startswith(prefix)}
        days_b = {t for t in b if t.startswith(prefix)}
        if days_a and days_b and not days_a & days_b:
            return True
    counts_a, counts_b = _counts(a), _counts(b)
    if any(not counts_a[unit] & counts_b[unit] for unit in counts_a.keys() & counts_b.keys()):
        return True
    large_a, large_b = _large(a), _large(b)
    return bool(large_a and large_b and not large_a & large_b)


def _counts(numbers: frozenset[str]) -> dict[str, set[str]]:
    """The values a sentence gives each unit: `nw:54|refugie` -> {"refugie": {"54"}}."""
    counts: dict[str, set[str]] = {}
    for token in numbers:
        if token.startswith("nw:"):
            value, _, unit = token[3:].partition("|")
            counts.setdefault(unit, set()).add(value)
    return counts


def _large(numbers: frozenset[str]) -> set[str]:
    """The sentence's numbers of LARGE or more (years are `y:`, not numbers)."""
    found = set()
    for token in numbers:
        if token.startswith("n:"):
            try:
                value = float(token[2:])
            except ValueError:
                continue
            if value >= LARGE:
                found.add(token)
    return found


def described_only(a: Sentences, i: int, b: Sentences, j: int) -> bool:
    """Whether every content word the two sentences share lies within DESCRIBED words
    of a name both of them write (`L'attaquant argentin Messi, 33 ans, a marqué…` and
    `L'attaquant argentin Messi, 33 ans, a dit…`): they describe the same participant,
    and share nothing of what happens. False when they share no name."""
    sa, sb = a.sentences[i], b.sentences[j]
    both = (set(a.named[sa.first : sa.last]) & set(b.named[sb.first : sb.last])) - {""}
    if not both:
        return False
    words_a = {a.stems[k] for k in range(sa.first, sa.last) if a.stems[k] and not a.names[k]}
    words_b = {b.stems[k] for k in range(sb.first, sb.last) if b.stems[k] and not b.names[k]}
    shared = words_a & words_b
    for cut, sentence in ((a, sa), (b, sb)):
        for k in range(sentence.first, sentence.last):
            if cut.names[k] or cut.stems[k] not in shared:
                continue
            near = range(max(sentence.first, k - DESCRIBED), min(sentence.last, k + DESCRIBED + 1))
            if not any(cut.named[x] in both for x in near):
                return False
    return True


def shared_words(
    a: Sentences, i: int, b: Sentences, j: int
) -> tuple[list[str], list[tuple[int, int]]]:
    """The words of sentence `j` of `b` whose stem sentence `i` of `a` has, as written
    (lowercased; names left out, they are the shared entities), and the spans in `b`'s
    text of every shared word."""
    sa, sb = a.sentences[i], b.sentences[j]
    wanted = {stem for stem in a.stems[sa.first : sa.last] if stem}
    words: list[str] = []
    marks: list[tuple[int, int]] = []
    seen: set[str] = set()
    for k in range(sb.first, sb.last):
        stem = b.stems[k]
        if not stem or stem not in wanted:
            continue
        start, end = b.spans[k]
        marks.append((start, end))
        if not b.names[k] and stem not in seen:
            seen.add(stem)
            words.append(b.text[start:end].lower())
    return words, marks


def era_penalty(date_a: str, date_b: str) -> float:
    """What the years between two articles take off their pairs' scores: nothing within
    ERA years, then one logit each time the gap doubles (an 1804 page and a 2020 report
    share words, rarely facts). Nothing when either date is unknown. Not fitted: the
    judged pairs have no dates."""
    year_a, year_b = _year(date_a), _year(date_b)
    if year_a is None or year_b is None:
        return 0.0
    gap = abs(year_a - year_b)
    return math.log2(gap / ERA) if gap > ERA else 0.0


def _year(date: str) -> int | None:
    return int(date[:4]) if len(date) >= 4 and date[:4].isdigit() else None


def logistic(score: float) -> float:
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, score))))
