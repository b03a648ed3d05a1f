"""Markdown exports: a comparison of two articles, readable anywhere."""

from __future__ import annotations

from collections.abc import Mapping

from index.crossref.compare import Comparison
from index.model import Article


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines() or [""])


def _marked(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """`text` with the words of `spans` in bold (the words that differ)."""
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
        f"- {len(comparison.pairs)} aligned pairs,"
        f" {sum(p.kind == 'near-duplicate' for p in comparison.pairs)} of them near-duplicates;"
        f" {len(comparison.unpaired_a)} passages only in A, {len(comparison.unpaired_b)} only in B",
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
    for pair in comparison.pairs:
        text_a = a.passage_text(a.passages[pair.a_passage])
        text_b = b.passage_text(b.passages[pair.b_passage])
        lines += [
            f"### A {pair.a_passage} ↔ B {pair.b_passage} · {pair.kind} · {pair.score:.2f}",
            "",
            _quote(_marked(text_a, pair.a_diff)),
            "",
            _quote(_marked(text_b, pair.b_diff)),
            "",
        ]
    for side, article, unpaired in (
        ("A", a, comparison.unpaired_a),
        ("B", b, comparison.unpaired_b),
    ):
        lines += [f"## Only in {side}", ""]
        for n in unpaired:
            lines += [f"**{side} {n}**", "", _quote(article.passage_text(article.passages[n])), ""]
    return "\n".join(lines).rstrip() + "\n"
