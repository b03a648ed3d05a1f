"""The aligned pairs of a comparison, as the comparison screen walks them.

Plain functions of the engine's `Comparison`: the comparison seen from the other
side, the pair to start on, the pair markers of each column, the status line.
"""

from __future__ import annotations

from rich.text import Text

from index import AlignedPair, Comparison
from tui.compare.passage import PairLink
from tui.display import passage_mark
from tui.reader.related_pane import BADGES

# For each passage of a column: the pairs it is in.
Links = dict[int, tuple[PairLink, ...]]


def mirrored(comparison: Comparison) -> Comparison:
    """`comparison` seen from the other side: B on the left."""
    pairs = sorted(
        (
            AlignedPair(p.b_passage, p.a_passage, p.score, p.kind, p.b_diff, p.a_diff)
            for p in comparison.pairs
        ),
        key=lambda p: (p.a_passage, p.b_passage),
    )
    return Comparison(
        a=comparison.b,
        b=comparison.a,
        pairs=tuple(pairs),
        unpaired_a=comparison.unpaired_b,
        unpaired_b=comparison.unpaired_a,
        shared_entities=comparison.shared_entities,
        only_a=comparison.only_b,
        only_b=comparison.only_a,
    )


def start_pair(comparison: Comparison, at: tuple[int, int | None] | None) -> tuple[int, int] | None:
    """The pair to start on when the reader was at `at` (a passage of A, and of B if
    known): that very pair, else the first pair of the A passage or of one after it."""
    if at is None or not comparison.pairs:
        return None
    a_passage, b_passage = at
    pairs = [(p.a_passage, p.b_passage) for p in comparison.pairs]
    if b_passage is not None and (a_passage, b_passage) in pairs:
        return (a_passage, b_passage)
    following = [pair for pair in pairs if pair[0] >= a_passage]
    return following[0] if following else pairs[-1]


def pair_links(comparison: Comparison) -> tuple[Links, Links]:
    """The pair markers of each passage of A, then of B: pair #n, the other side's
    passage, and the kind of the pair (a split passage is in several pairs)."""
    links_a: dict[int, list[PairLink]] = {}
    links_b: dict[int, list[PairLink]] = {}
    for number, pair in enumerate(comparison.pairs, 1):
        links_a.setdefault(pair.a_passage, []).append(
            PairLink(number, "B", pair.b_passage, pair.kind)
        )
        links_b.setdefault(pair.b_passage, []).append(
            PairLink(number, "A", pair.a_passage, pair.kind)
        )
    return (
        {n: tuple(links) for n, links in links_a.items()},
        {n: tuple(links) for n, links in links_b.items()},
    )


def pair_line(comparison: Comparison, pair: int | None) -> Text:
    """The status line: the current pair (its index `pair`) and what only one side says."""
    line = Text()
    if pair is not None:
        current = comparison.pairs[pair]
        line.append(f"Pair #{pair + 1} of {len(comparison.pairs)}", style="bold")
        line.append(f" · A {passage_mark(current.a_passage)} ↔ B {passage_mark(current.b_passage)}")
        line.append(f" · {BADGES.get(current.kind, current.kind)}")
        line.append(f" · score {current.score:.2f}")
    else:
        line.append("No passages align: the two articles say different things.", style="bold")
    line.append(
        f"   {len(comparison.unpaired_a)} only in A · {len(comparison.unpaired_b)} only in B",
        style="dim",
    )
    return line
