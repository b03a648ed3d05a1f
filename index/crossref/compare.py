"""Two articles side by side: their passages aligned, what only one of them says.

Scores. A passage pairs only with a passage of the other article of its own class
(`ALIGNED_WITH`: a title with a title or a subtitle, a heading with a heading, a
paragraph with a paragraph, a caption with a caption; boilerplate with nothing, and
it is not what only one article says either). Each passage is scored with its
CANDIDATES nearest passages of the other side by the related pane's sentence
evidence (`evidence.Scorer`, idf from the passage index, the same kinds): a pair's
score is the logit of its best sentence pair seen from each side in turn, averaged
(the scorer's hub correction and length terms are not symmetric; the mean makes the
comparison of B with A the mirror of A with B), less the related pane's penalty for
articles a generation apart. Below the evidence floor a pair is not aligned. A title
meets titles only here, so the scorer's penalty for a title as a related passage is
lifted.

Alignment, in three steps, each class on its own:

1. The strong pairs (`same-fact` or `near-duplicate`) in reading order: of the
   chains of them that go forward on both sides, the one with the largest total
   score above the floor (a dynamic programme over the grid of the two sides'
   passages, Needleman–Wunsch with free gaps). A passage may take 2 to SPLIT
   consecutive passages of the other side when that side split it: each of them then
   matches another sentence of it, in the same order.
2. Strong pairs out of that order, best first, between passages still free: news
   moves paragraphs. The seeds' wire copy moves its "neuf mois après" paragraph from
   the end to the middle; over 29 pairs of BBC articles of one story in
   `../shared/corpus`, 3 of the 49 strong pairs lie out of the order of the others.
3. The `same-subject` pairs, only in reading order: the same programme over the
   passages still free, the chain of step 1 kept whole (its pairs weigh more than
   all the same-subject pairs together). Weak evidence out of order is noise.

So a passage is in one pair at most, or in the 2–3 pairs of one split. A greedy
best-first with order constraints was the other choice: there, one strong pair of
the start of A with the end of B forbids every weaker pair in order after it, and a
slightly better pair out of order beats two in order; the programme keeps the order
wherever the evidence allows and leaves the moved paragraphs to step 2.

Kinds: `near-duplicate` when runs of identical words (names left out) cover most of
the shorter passage (`evidence`'s RUN, COVER and MIN_WORDS over the whole passages,
which is what the comparison shows: one sentence copied in a long paragraph is the
same fact, not a copy), or when the two passages are the same words, however few (a
heading, a caption); otherwise `same-fact` or `same-subject`, as `evidence.kind`
says of the best sentence pair. The words that differ are marked where most of the
passages or of their best sentences are the same wording (elsewhere they would be
most of the words), as runs: one span for a stretch of differing words, the lone
common words inside it included. A split passage is diffed against its parts put
together.
"""

from __future__ import annotations

import difflib
import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from index.crossref import evidence, related
from index.model import STATING_KINDS, Article

# The class of passages each kind aligns with; boilerplate (absent) aligns with none.
ALIGNED_WITH: dict[str, str] = {
    "title": "title",
    "subtitle": "title",
    "heading": "heading",
    "paragraph": "text",
    "caption": "caption",
}
# The passages of the other side each passage is scored with: the nearest by stem
# tf-idf cosine, and as many of its own class.
CANDIDATES = 10
# The most passages one passage may have been split into by the other side.
SPLIT = 3
# The fewest identical words in a row that the word diff takes for the same wording.
SAME = 2

Span = tuple[int, int]
# Two passages by their places in the lists of passages that align, of a and of b.
Key = tuple[int, int]


@dataclass(frozen=True)
class AlignedPair:
    a_passage: int
    b_passage: int
    # The logistic of the pair's score (the mean logit of the two sides' best sentence
    # pairs, less the era penalty), 0 to 1, rounded to four places. Not the related
    # pane's score, the logistic of a passage's rank: its best pair's logit seen from
    # the source alone, plus a term of the two passages' cosine (`Evidence.rank`).
    score: float
    kind: str  # "near-duplicate", "same-fact" or "same-subject"
    # Runs of words that differ, in each passage's text (where most of the words or of
    # the best sentences are the same).
    a_diff: tuple[Span, ...] = ()
    b_diff: tuple[Span, ...] = ()


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


@dataclass(frozen=True)
class _Link:
    """Two passages whose best sentence pair clears the evidence floor."""

    score: float  # the mean logit of the two sides' best sentence pairs
    kind: str  # `evidence.kind` of the better of them
    sentence_a: int  # that pair: a sentence of the passage of a
    sentence_b: int  # ... and of b

    @property
    def strong(self) -> bool:
        """Whether it states the same thing: strong enough to align out of order."""
        return self.kind in STATING_KINDS

    @property
    def gain(self) -> float:
        return self.score - evidence.FLOOR


@dataclass(frozen=True)
class _Group:
    """One pair, or a passage and the consecutive passages the other side split it
    into: their places in the lists of one class of passages."""

    a: tuple[int, ...]
    b: tuple[int, ...]
    gain: float


@dataclass(frozen=True)
class _Side:
    """The passages of an article that align with anything."""

    id: str  # the article's
    passages: tuple[int, ...]  # their numbers
    cuts: tuple[evidence.Sentences, ...]
    classes: tuple[str, ...]

    @classmethod
    def of(cls, article: Article) -> _Side:
        kept = [n for n, p in enumerate(article.passages) if p.kind in ALIGNED_WITH]
        return cls(
            article.id,
            tuple(kept),
            tuple(_cut(article, n) for n in kept),
            tuple(ALIGNED_WITH[article.passages[n].kind] for n in kept),
        )

    def of_class(self, name: str) -> list[int]:
        return [x for x, found in enumerate(self.classes) if found == name]


def compare_indexed(a: Article, b: Article, searcher: Any) -> Comparison:
    """`compare` with the document frequencies of `searcher`, over the passage index."""
    side_a, side_b = _Side.of(a), _Side.of(b)
    cuts = [*side_a.cuts, *side_b.cuts]
    stems = {stem for c in cuts for stem in (*c.stems, *c.before, *c.after) if stem}
    named = {e for c in cuts for s in c.sentences for e in s.entities}
    return _compare(
        (a, side_a),
        (b, side_b),
        related.frequencies(searcher, "passage", stems),
        related.frequencies(searcher, "entity", named),
        searcher.reader().doc_count(),
    )


def compare(
    a: Article,
    b: Article,
    frequency: Mapping[str, int],
    entity_frequency: Mapping[str, int],
    total: int,
) -> Comparison:
    """Align the passages of `a` and `b`; `frequency` and `entity_frequency` count the
    passages with each stem and each entity among the `total` of the passage index."""
    return _compare((a, _Side.of(a)), (b, _Side.of(b)), frequency, entity_frequency, total)


def _compare(
    first: tuple[Article, _Side],
    second: tuple[Article, _Side],
    frequency: Mapping[str, int],
    entity_frequency: Mapping[str, int],
    total: int,
) -> Comparison:
    """`compare`, each article with its passages that align (`_Side.of` it)."""
    (a, side_a), (b, side_b) = first, second
    idf = {t: evidence.idf_of(df, total) for t, df in frequency.items()}
    entity_idf = {e: evidence.idf_of(df, total) for e, df in entity_frequency.items()}
    # (pages a generation apart share words, rarely facts: as in the related pane)
    era = evidence.era_penalty(a.date, b.date)
    links = _links(side_a, side_b, idf, entity_idf, frequency, era)
    pairs: list[AlignedPair] = []
    for name in dict.fromkeys(ALIGNED_WITH.values()):
        xs, ys = side_a.of_class(name), side_b.of_class(name)
        # (the class's links, by places in the class's lists)
        local = {
            (i, j): links[(x, y)]
            for (i, x), (j, y) in itertools.product(enumerate(xs), enumerate(ys))
            if (x, y) in links
        }
        for group in _align(local, len(xs), len(ys)):
            found = _Group(tuple(xs[i] for i in group.a), tuple(ys[j] for j in group.b), 0.0)
            pairs.extend(_pairs(found, links, side_a, side_b))
    pairs.sort(key=lambda p: (p.a_passage, p.b_passage))
    paired_a = {p.a_passage for p in pairs}
    paired_b = {p.b_passage for p in pairs}
    all_a = {m.entity for m in a.mentions}
    all_b = {m.entity for m in b.mentions}
    return Comparison(
        a=a.id,
        b=b.id,
        pairs=tuple(pairs),
        # (what only one article says: its own text, not its page's boilerplate)
        unpaired_a=tuple(p.n for p in a.passages if p.n not in paired_a and p.is_text),
        unpaired_b=tuple(p.n for p in b.passages if p.n not in paired_b and p.is_text),
        shared_entities=tuple(sorted(all_a & all_b)),
        only_a=tuple(sorted(all_a - all_b)),
        only_b=tuple(sorted(all_b - all_a)),
    )


def _cut(article: Article, n: int) -> evidence.Sentences:
    """Passage `n` in sentences."""
    found = evidence.cut(article, n, related.Words.of)
    if article.passages[n].kind != "title":
        return found
    # A title meets only titles here: it is no poor related passage, which is what the
    # scorer's penalty of titles is for.
    return replace(found, sentences=tuple(replace(s, title=False) for s in found.sentences))


# -- scores -------------------------------------------------------------------------------
def _links(
    a: _Side,
    b: _Side,
    idf: Mapping[str, float],
    entity_idf: Mapping[str, float],
    frequency: Mapping[str, int],
    era: float = 0.0,
) -> dict[Key, _Link]:
    """The pairs of passages of one class whose evidence clears the floor, among the
    candidates of each passage, `era` taken off their scores. Each passage is scored
    with all its candidates, of any class: the scorer's hub correction needs them, if
    only one is of its class."""
    candidates = _candidates(a, b, idf)
    forward = _best_pairs(a.cuts, b.cuts, candidates, idf, entity_idf, frequency)
    mirrored = {(y, x) for x, y in candidates}
    backward = _best_pairs(b.cuts, a.cuts, mirrored, idf, entity_idf, frequency)
    links: dict[Key, _Link] = {}
    for x, y in sorted(candidates):
        there, back = forward.get((x, y)), backward.get((y, x))
        if there is None or back is None or a.classes[x] != b.classes[y]:
            continue
        score = (there.score + back.score) / 2 - era
        if there.score >= back.score:
            sentence_a, sentence_b = there.source, there.other
        else:
            sentence_a, sentence_b = back.other, back.source
        kind, _ = evidence.kind(a.cuts[x], sentence_a, b.cuts[y], sentence_b, score)
        if kind is not None:
            links[(x, y)] = _Link(score, kind, sentence_a, sentence_b)
    return links


def _candidates(a: _Side, b: _Side, idf: Mapping[str, float]) -> set[Key]:
    """The pairs worth the sentence scorer, whose cost grows with each passage's
    candidates: for each passage of either side, the CANDIDATES passages of the other
    side nearest to it by stem tf-idf cosine, and as many of its class."""
    vectors_a = [_vector(c, idf) for c in a.cuts]
    vectors_b = [_vector(c, idf) for c in b.cuts]
    cosines = [[evidence.dot(u, v) for v in vectors_b] for u in vectors_a]
    chosen: set[Key] = set()
    for x, row in enumerate(cosines):
        chosen.update((x, y) for y in _nearest(row, b.classes, a.classes[x]))
    for y, own in enumerate(b.classes):
        column = [row[y] for row in cosines]
        chosen.update((x, y) for x in _nearest(column, a.classes, own))
    return chosen


def _nearest(cosines: Sequence[float], classes: Sequence[str], own: str) -> set[int]:
    """The places of the CANDIDATES highest `cosines`, and of as many of class `own`."""
    ranked = [k for k in sorted(range(len(cosines)), key=lambda k: -cosines[k]) if cosines[k]]
    of_class = [k for k in ranked if classes[k] == own]
    return {*ranked[:CANDIDATES], *of_class[:CANDIDATES]}


def _vector(cut: evidence.Sentences, idf: Mapping[str, float]) -> dict[str, float]:
    """A passage's stems as a unit tf-idf vector."""
    weights = evidence.weighted(Counter(stem for stem in cut.stems if stem), idf)
    norm = evidence.magnitude(weights) or 1.0
    return {t: w / norm for t, w in weights.items() if w}


def _best_pairs(
    sources: Sequence[evidence.Sentences],
    others: Sequence[evidence.Sentences],
    candidates: set[Key],
    idf: Mapping[str, float],
    entity_idf: Mapping[str, float],
    frequency: Mapping[str, int],
) -> dict[Key, evidence.Evidence]:
    """The best sentence pair of each (source, other) of `candidates`: one
    `evidence.Scorer` for each source with its candidates."""
    found: dict[Key, evidence.Evidence] = {}
    for x, source in enumerate(sources):
        ys = sorted(y for at, y in candidates if at == x)
        if not ys:
            continue
        scorer = evidence.Scorer(source, [others[y] for y in ys], idf, entity_idf, frequency)
        for k, y in enumerate(ys):
            best = scorer.best(k)
            if best is not None:
                found[(x, y)] = best
    return found


# -- alignment ----------------------------------------------------------------------------
def _align(links: Mapping[Key, _Link], count_a: int, count_b: int) -> list[_Group]:
    """The pairs and splits kept of `links`, passages of one class by their places in
    its lists (the three steps of the module's docstring)."""
    strong = {key: link for key, link in links.items() if link.strong}
    chain = _chain(_groups(strong), count_a, count_b)
    used_a = {x for group in chain for x in group.a}
    used_b = {y for group in chain for y in group.b}
    moved: list[_Group] = []
    for (x, y), link in sorted(strong.items(), key=lambda item: (-item[1].score, item[0])):
        if x not in used_a and y not in used_b:
            moved.append(_Group((x,), (y,), link.gain))
            used_a.add(x)
            used_b.add(y)
    weak = [
        _Group((x,), (y,), link.gain)
        for (x, y), link in links.items()
        if not link.strong and x not in used_a and y not in used_b
    ]
    above = 1.0 + sum(group.gain for group in weak)
    kept = [_Group(group.a, group.b, group.gain + above) for group in chain]
    return _chain([*kept, *weak], count_a, count_b) + moved


def _groups(links: Mapping[Key, _Link]) -> list[_Group]:
    """Each link as a pair, and each run of 2 to SPLIT consecutive passages of one side
    linked to one passage of the other through different sentences of it, in order."""
    groups = [_Group((x,), (y,), link.gain) for (x, y), link in links.items()]
    for x, y in links:
        for size in range(2, SPLIT + 1):
            ys = tuple(range(y, y + size))
            pieces = _pieces([links.get((x, k)) for k in ys], whole_a=True)
            if pieces:
                groups.append(_Group((x,), ys, sum(p.gain for p in pieces)))
            xs = tuple(range(x, x + size))
            pieces = _pieces([links.get((k, y)) for k in xs], whole_a=False)
            if pieces:
                groups.append(_Group(xs, (y,), sum(p.gain for p in pieces)))
    return groups


def _pieces(links: Sequence[_Link | None], whole_a: bool) -> list[_Link]:
    """`links` if they are pieces of one passage (a's if `whole_a`): each linked to it
    through a sentence of it after the previous piece's; else none."""
    found = [link for link in links if link is not None]
    sentences = [link.sentence_a if whole_a else link.sentence_b for link in found]
    in_order = all(first < second for first, second in itertools.pairwise(sentences))
    return found if len(found) == len(links) and in_order else []


def _chain(groups: Sequence[_Group], count_a: int, count_b: int) -> list[_Group]:
    """Of `groups`, the ones that follow each other on both sides with the largest
    total gain, in reading order: best[i][j] is the best total with the first i
    passages of a and the first j of b."""
    ending: dict[Key, list[int]] = {}  # the groups ending on each pair of places
    for k, group in enumerate(groups):
        ending.setdefault((group.a[-1], group.b[-1]), []).append(k)
    best = [[0.0] * (count_b + 1) for _ in range(count_a + 1)]
    # How best[i][j] is reached: passage i-1 of a left alone (-1), j-1 of b (-2), or
    # the group of that index in `groups`.
    how: dict[Key, int] = {}
    for i in range(1, count_a + 1):
        for j in range(1, count_b + 1):
            value, step = best[i - 1][j], -1
            if best[i][j - 1] > value:
                value, step = best[i][j - 1], -2
            for k in ending.get((i - 1, j - 1), ()):
                total = best[groups[k].a[0]][groups[k].b[0]] + groups[k].gain
                if total > value:
                    value, step = total, k
            best[i][j] = value
            how[(i, j)] = step
    chain: list[_Group] = []
    i, j = count_a, count_b
    while i > 0 and j > 0:
        step = how[(i, j)]
        if step == -1:
            i -= 1
        elif step == -2:
            j -= 1
        else:
            chain.append(groups[step])
            i, j = groups[step].a[0], groups[step].b[0]
    return chain[::-1]


# -- kinds and word diffs -----------------------------------------------------------------
def _pairs(group: _Group, links: Mapping[Key, _Link], a: _Side, b: _Side) -> list[AlignedPair]:
    """The aligned pairs of `group` (places in `a` and `b`), with their kinds and the
    runs of words that differ."""
    found = [(x, y, links[(x, y)]) for x in group.a for y in group.b]
    # (difflib's matches depend on which text comes first: the same for A/B and B/A)
    flip = a.id > b.id
    near = {(x, y) for x, y, _ in found if _near(a.cuts[x], b.cuts[y], flip)}
    # The words that differ, where most of the passages or of their best sentences are
    # the same wording (elsewhere, they would be most of the words).
    diffed = near | {(x, y) for x, y, link in found if link.kind == "near-duplicate"}
    diff_a: dict[int, tuple[Span, ...]] = {}
    diff_b: dict[int, tuple[Span, ...]] = {}
    if diffed:
        parts_a, parts_b = [a.cuts[x] for x in group.a], [b.cuts[y] for y in group.b]
        if flip:
            runs_b, runs_a = _runs(parts_b, parts_a)
        else:
            runs_a, runs_b = _runs(parts_a, parts_b)
        diff_a = dict(zip(group.a, runs_a, strict=True))
        diff_b = dict(zip(group.b, runs_b, strict=True))
    pairs = []
    for x, y, link in found:
        kind = "same-fact" if link.strong else "same-subject"
        pairs.append(
            AlignedPair(
                a.passages[x],
                b.passages[y],
                round(evidence.logistic(link.score), 4),
                "near-duplicate" if (x, y) in near else kind,
                diff_a.get(x, ()) if (x, y) in diffed else (),
                diff_b.get(y, ()) if (x, y) in diffed else (),
            )
        )
    return pairs


def _near(a: evidence.Sentences, b: evidence.Sentences, flip: bool) -> bool:
    """Whether two whole passages are the same words (a heading, a caption: too short
    for the rule that follows, and for a fact of their own), or runs of identical words
    (names left out) cover most of the shorter of them (`evidence.shared_wording`), b's
    words first if `flip`."""
    if a.folded and a.folded == b.folded:
        return True
    first, second = (b, a) if flip else (a, b)
    shared = evidence.shared_wording((first.folded, first.names), (second.folded, second.names))
    return shared >= evidence.COVER


def _runs(
    first: Sequence[evidence.Sentences], second: Sequence[evidence.Sentences]
) -> tuple[list[tuple[Span, ...]], list[tuple[Span, ...]]]:
    """The runs of words that differ between the passages `first` put together and the
    passages `second` put together (one passage on one side, the 1 to SPLIT parts of
    it on the other): for each passage, spans in its text."""
    words_a = [word for cut in first for word in cut.folded]
    words_b = [word for cut in second for word in cut.folded]
    matcher = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False)
    runs_a: list[list[Span]] = [[] for _ in first]
    runs_b: list[list[Span]] = [[] for _ in second]
    i = j = 0
    for block in [
        *_same(matcher.get_matching_blocks()),
        difflib.Match(len(words_a), len(words_b), 0),
    ]:
        _mark(runs_a, first, i, block.a)
        _mark(runs_b, second, j, block.b)
        i, j = block.a + block.size, block.b + block.size
    return [tuple(runs) for runs in runs_a], [tuple(runs) for runs in runs_b]


def _mark(runs: list[list[Span]], cuts: Sequence[evidence.Sentences], start: int, end: int) -> None:
    """Add to `runs` the words `start` to `end` of `cuts` put together: one run in each
    passage they cross."""
    offset = 0
    for cut, found in zip(cuts, runs, strict=True):
        first, last = max(start, offset), min(end, offset + len(cut.folded))
        if first < last:
            found.append((cut.spans[first - offset][0], cut.spans[last - 1 - offset][1]))
        offset += len(cut.folded)


def _same(blocks: Sequence[difflib.Match]) -> list[difflib.Match]:
    """The stretches of words two texts have in common (`blocks`, difflib's, the last
    one empty) that a word diff shows as such: all but those shorter than SAME words
    with words that differ on both sides of them (a lone `de` or `et` in common does
    not break a run of words that differ)."""
    kept: list[difflib.Match] = []
    a = b = 0  # where the last stretch kept ends
    for block, following in itertools.pairwise(blocks):
        before = block.a > a or block.b > b
        after = following.a > block.a + block.size or following.b > block.b + block.size
        if block.size >= SAME or not (before and after):
            kept.append(block)
            a, b = block.a + block.size, block.b + block.size
    return kept
