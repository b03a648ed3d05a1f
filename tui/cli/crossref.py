"""`presse related` and `presse compare`: what other articles say of a passage, two
articles side by side."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tui.cli.indexing import open_current
from tui.cli.output import EXIT_USAGE, console, error, heading, print_json
from tui.cli.parser import NEGATIVE_LIMIT

if TYPE_CHECKING:
    from index import Article, Comparison, Corpus, RelatedResult


def _kind_style(kind: str) -> str:
    return "magenta" if kind == "near-duplicate" else "blue"


def cmd_related(options: argparse.Namespace) -> int:
    if options.limit < 0:
        return error(NEGATIVE_LIMIT, EXIT_USAGE)
    corpus = open_current(options)
    result = corpus.related(options.doc, options.n, limit=options.limit)
    if options.json:
        print_json(result)
    else:
        _print_related(corpus, result)
    return 0


def _print_related(corpus: Corpus, result: RelatedResult) -> None:
    from rich.text import Text

    out = console()
    names = {e.id: e.name for e in corpus.entities(hidden=True)}
    source = corpus.article(result.doc)
    out.print(heading(f"{source.id} #{result.passage}", source.title))
    source_text = source.passage_text(source.passages[result.passage])
    out.print(Text("  " + source_text, "dim"))
    if not result.results:
        out.print("no related passage in the other articles")
    elif not result.stated_elsewhere:
        out.print()
        out.print(Text("no other article states this; nearest on the same subject:", "italic"))
    for r in result.results:
        out.print()
        out.print(
            Text.assemble(
                (f"{r.doc} #{r.passage}", "cyan"),
                "  ",
                (r.kind, "bold " + _kind_style(r.kind)),
                f"  {r.score:.2f}  ",
                (r.title, "bold"),
            )
        )
        # The evidence: the source's sentence, and the one of this passage that matches it.
        mine_start, mine_end = r.source_sentence
        out.print(Text("  here: " + source_text[mine_start:mine_end], "dim italic"))
        start, end = r.sentence if r.sentence[1] > r.sentence[0] else (0, len(r.text))
        body = Text("  " + r.text[start:end])
        for mark_start, mark_end in r.marks:
            if start <= mark_start and mark_end <= end:
                body.stylize("bold underline", mark_start - start + 2, mark_end - start + 2)
        out.print(body)
        if r.shared_entities:
            shared = ", ".join(names.get(e, e) for e in r.shared_entities)
            out.print(Text(f"  both name: {shared}", "dim"))


def cmd_compare(options: argparse.Namespace) -> int:
    corpus = open_current(options)
    a, b = corpus.article(options.doc_a), corpus.article(options.doc_b)
    if a.id == b.id:
        return error(f"{a.id} is the same article twice: compare two articles", EXIT_USAGE)
    comparison = corpus.compare(a.id, b.id)
    if options.json:
        print_json(comparison)
        return 0
    names = {e.id: e.name for e in corpus.entities(hidden=True)}
    if options.markdown:
        from index import comparison_markdown

        sys.stdout.write(comparison_markdown(a, b, comparison, names))
    else:
        _print_comparison(a, b, comparison, names)
    return 0


def _print_comparison(
    a: Article, b: Article, comparison: Comparison, names: dict[str, str]
) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    out.print(Text.assemble(("A ", "bold"), heading(a.id, a.title)))
    out.print(Text.assemble(("B ", "bold"), heading(b.id, b.title)))
    table = Table("A", "B", "kind", "score", box=None, header_style="bold")
    for pair in comparison.pairs:
        table.add_row(
            Text(f"#{pair.a_passage} {_excerpt(a.passage_text(a.passages[pair.a_passage]))}"),
            Text(f"#{pair.b_passage} {_excerpt(b.passage_text(b.passages[pair.b_passage]))}"),
            Text(pair.kind, _kind_style(pair.kind)),
            f"{pair.score:.2f}",
        )
    out.print(table)
    for side, unpaired in (("A", comparison.unpaired_a), ("B", comparison.unpaired_b)):
        shown = ", ".join(f"#{n}" for n in unpaired) or "-"
        out.print(Text(f"only in {side}: {shown}", "dim"))
    for label, ids in (
        ("both name", comparison.shared_entities),
        ("only A names", comparison.only_a),
        ("only B names", comparison.only_b),
    ):
        out.print(Text(f"{label}: " + (", ".join(names.get(i, i) for i in ids) or "-")))


def _excerpt(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
