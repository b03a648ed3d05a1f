"""Markdown exports: a comparison of two articles, readable anywhere."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from index.crossref.compare import AlignedPair, Comparison
from index.model import Article

KINDS = ("near-duplicate", "same-fact", "same-subject")


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines() or [""])


def _marked(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """`text` with the runs of words of `spans` in bold (the words that differ)."""
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out.append(text[last:start])
        out.append(f"**{text[start:end]}**")
        last = end
    out.append(text[last:])
    return "".join(out)


def comparison_markdown(
    a: Article, b: Article, comparison: Comparison, names: Mapping[str, str]
) -> str:
    """The comparison as Markdown: aligned pairs, what only one side says, the entities."""

    def title(article: Article) -> str:
        return f"{article.title} (`{article.id}`{', ' + article.date if article.date else ''})"

    def entity_list(ids: tuple[str, ...]) -> str:
        return ", ".join(names.get(i, i) for i in ids) or "none"

    lines = [
        f"# {a.title} / {b.title}",
        "",
        f"- A: {title(a)}",
        f"- B: {title(b)}",
        f"- {len(comparison.pairs)} aligned pairs ("
        + ", ".join(f"{sum(p.kind == k for p in comparison.pairs)} {k}" for k in KINDS)
        + f"); {len(comparison.unpaired_a)} passages only in A,"
        f" {len(comparison.unpaired_b)} only in B",
        "",
        "## Entities",
        "",
        f"- Both: {entity_list(comparison.shared_entities)}",
        f"- Only A: {entity_list(comparison.only_a)}",
        f"- Only B: {entity_list(comparison.only_b)}",
        "",
        "## Aligned passages",
        "",
    ]
    for group in _groups(comparison.pairs):
        lines += [_heading(group), ""]
        for article, diffs in (
            (a, [(p.a_passage, p.a_diff) for p in group]),
            (b, [(p.b_passage, p.b_diff) for p in group]),
        ):
            marked: dict[int, tuple[tuple[int, int], ...]] = {}
            for n, diff in diffs:  # (a split passage's runs: the same in each of its pairs)
                marked[n] = marked.get(n) or diff
            for n, diff in marked.items():
                lines += [_quote(_marked(article.passage_text(article.passages[n]), diff)), ""]
    for side, article, unpaired in (
        ("A", a, comparison.unpaired_a),
        ("B", b, comparison.unpaired_b),
    ):
        lines += [f"## Only in {side}", ""]
        for n in unpaired:
            lines += [f"**{side} {n}**", "", _quote(article.passage_text(article.passages[n])), ""]
    return "\n".join(lines).rstrip() + "\n"


def _groups(pairs: Sequence[AlignedPair]) -> list[list[AlignedPair]]:
    """The pairs, those of a split passage together (one passage of a side with the
    2–3 consecutive passages the other side split it into)."""
    groups: list[list[AlignedPair]] = []
    for pair in pairs:
        last = groups[-1][-1] if groups else None
        split = last is not None and (
            pair.a_passage == last.a_passage or pair.b_passage == last.b_passage
        )
        if split:
            groups[-1].append(pair)
        else:
            groups.append([pair])
    return groups


def _heading(group: Sequence[AlignedPair]) -> str:
    """`### A 7, 8 ↔ B 7 · near-duplicate · 1.00`: the passages of a group, its kinds and
    its scores."""
    a = ", ".join(str(n) for n in dict.fromkeys(p.a_passage for p in group))
    b = ", ".join(str(n) for n in dict.fromkeys(p.b_passage for p in group))
    kinds = ", ".join(dict.fromkeys(p.kind for p in group))
    scores = ", ".join(f"{p.score:.2f}" for p in group)
    return f"### A {a} ↔ B {b} · {kinds} · {scores}"
