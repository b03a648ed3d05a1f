"""Related passages and comparisons on the seeds: the same facts reported by several outlets."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from index import Corpus, UnknownDocument
from index.crossref import evidence
from index.storage import store

# Passages of the seeds that report the same fact (article prefix, passage number).
SAME_FACT = {
    "the March veto at the UN Security Council": [("000", 8), ("003", 7), ("004", 8)],
    "nine months after the visit to the Russian Far East": [("000", 12), ("003", 6)],
    "munitions against technological and food aid": [("000", 6), ("003", 2), ("004", 5)],
    "in exchange, satellites and food shortages": [("000", 7), ("003", 7)],
    "the previous visit, to Kim's father": [("000", 1), ("003", 11), ("001", 4)],
}
PAIRS = [
    (source, target)
    for group in SAME_FACT.values()
    for source, target in itertools.permutations(group, 2)
]
TOP = 3


def _recall(found: dict[tuple[str, int], list[tuple[str, int]]]) -> float:
    hits = sum(1 for source, target in PAIRS if target in found[source])
    return hits / len(PAIRS)


def _presse_top(corpus: Corpus) -> dict[tuple[str, int], list[tuple[str, int]]]:
    sources = {source for source, _ in PAIRS}
    return {
        (doc, n): [(r.doc[:3], r.passage) for r in corpus.related(doc, n, limit=TOP).results]
        for doc, n in sources
    }


def _more_like_top(corpus: Corpus) -> dict[tuple[str, int], list[tuple[str, int]]]:
    """Whoosh's own `more_like` on the passage index: the baseline to beat."""
    searcher = corpus._searcher(store.PASSAGES)
    found = {}
    for doc, n in {source for source, _ in PAIRS}:
        article = corpus.article(doc)
        number = searcher.document_number(id=store.passage_id(article.id, n))
        hits = searcher.more_like(
            number, "passage", text=article.passage_text(article.passages[n]), top=30
        )
        others = [store.split_passage_id(h["id"]) for h in hits]
        found[(doc, n)] = [(d[:3], m) for d, m in others if d != article.id][:TOP]
    return found


def test_the_pair_set_has_at_least_twelve_pairs_in_both_directions() -> None:
    assert len(PAIRS) >= 12
    assert all((target, source) in PAIRS for source, target in PAIRS)


def test_related_finds_the_same_facts_in_its_top_three(corpus: Corpus) -> None:
    assert _recall(_presse_top(corpus)) >= 0.7


def test_related_beats_whoosh_more_like_clearly(corpus: Corpus) -> None:
    ours, baseline = _recall(_presse_top(corpus)), _recall(_more_like_top(corpus))
    assert ours >= baseline + 0.15, (ours, baseline)


def test_rewritten_wire_copy_is_a_near_duplicate_with_its_shared_words(corpus: Corpus) -> None:
    result = corpus.related("000", 12)
    best = result.results[0]
    assert (best.doc[:3], best.passage, best.kind) == ("003", 6, "near-duplicate")
    assert {"neuf", "mois", "voyage"} <= set(best.shared_terms)
    assert "kim-jong-un" in best.shared_entities
    for start, end in best.marks:  # the marks point at words of the result's text
        assert best.text[start:end].strip() and best.text[start:end].isalnum()


def test_results_come_from_other_articles_best_first(corpus: Corpus) -> None:
    result = corpus.related("003", 7, limit=10)
    assert result.doc.startswith("003") and result.passage == 7
    assert result.results
    assert all(not r.doc.startswith("003") for r in result.results)
    scores = [r.score for r in result.results]
    assert scores == sorted(scores, reverse=True)
    for r in result.results:
        article = corpus.article(r.doc)
        assert article.passage_text(article.passages[r.passage]) == r.text
        assert r.kind in ("near-duplicate", "same-fact", "same-subject")


def test_results_tied_in_score_keep_their_rank_order(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shown score is the rank's logistic, rounded: passages ranked far above the floor
    all show 1.0, and are still listed by their rank, not by their ids."""
    ranked = [(r.doc, r.passage) for r in corpus.related("003", 7, limit=10).results]
    assert len(ranked) >= 3 and ranked != sorted(ranked)
    monkeypatch.setattr(evidence, "logistic", lambda _rank: 1.0)
    tied = corpus.related("003", 7, limit=10).results
    assert {r.score for r in tied} == {1.0}
    assert [(r.doc, r.passage) for r in tied] == ranked


@pytest.mark.parametrize("own_passages", [5, 80])
def test_an_article_s_own_passages_are_never_related_to_it(
    tmp_path: Path, own_passages: int
) -> None:
    """However many passages the article has (dropped from the hits, or masked out)."""
    fact = "Le barrage de la vallée a cédé mardi soir, inondant trois villages du canton."
    root = tmp_path / "corpus"
    root.mkdir()
    paragraphs = [f"{fact} Bilan provisoire numéro {n}." for n in range(own_passages)]
    (root / "long.txt").write_text("Le barrage\n\n" + "\n\n".join(paragraphs), "utf-8")
    for n in range(3):
        (root / f"other{n}.txt").write_text(f"Autre titre {n}\n\n{fact}\n", "utf-8")
    corpus = Corpus(root, tmp_path / "index", entities=False)
    try:
        corpus.update()
        long = next(s.id for s in corpus.articles() if s.path == "long.txt")
        result = corpus.related(long, 1, limit=10)
        assert {r.doc for r in result.results} == {s.id for s in corpus.articles() if s.id != long}
    finally:
        corpus.close()


def test_a_passage_number_out_of_range_is_an_error(corpus: Corpus) -> None:
    with pytest.raises(UnknownDocument, match="passages 0 to"):
        corpus.related("000", 999)


def test_comparison_aligns_the_same_facts(corpus: Corpus) -> None:
    comparison = corpus.compare("000", "003")
    pairs = {(p.a_passage, p.b_passage): p for p in comparison.pairs}
    assert pairs[(12, 6)].kind == "near-duplicate"
    assert (8, 7) in pairs and (6, 2) in pairs
    # The word diff of a near-duplicate marks words that differ, on both sides.
    a, b = corpus.article("000"), corpus.article("003")
    near = pairs[(12, 6)]
    a_words = {a.passage_text(a.passages[12])[s:e] for s, e in near.a_diff}
    b_words = {b.passage_text(b.passages[6])[s:e] for s, e in near.b_diff}
    assert "a" in a_words and "aura" in b_words  # « a lieu » / « aura lieu »
    # Passages of neither side are lost: paired or one-sided.
    paired_a = {p.a_passage for p in comparison.pairs}
    assert paired_a | set(comparison.unpaired_a) == {p.n for p in a.passages}
    assert not paired_a & set(comparison.unpaired_a)


def test_comparison_lists_shared_and_one_sided_entities(corpus: Corpus) -> None:
    comparison = corpus.compare("000", "003")
    assert "vladimir-poutine" in comparison.shared_entities
    assert "kim-jong-un" in comparison.shared_entities
    assert set(comparison.only_a).isdisjoint(comparison.only_b)
    assert set(comparison.shared_entities).isdisjoint(comparison.only_a)
    a_entities = {m.entity for m in corpus.article("000").mentions}
    assert set(comparison.shared_entities) | set(comparison.only_a) == a_entities


def test_wire_copy_counts_the_articles_sharing_near_duplicate_passages(corpus: Corpus) -> None:
    counts = {doc[:3]: n for doc, n in corpus.wire_counts().items()}
    # 000 and 003 share rewritten wire copy (nine months after…, the veto and the aid);
    # 004 tells the veto in its own words.
    assert counts == {"000": 1, "003": 1}
    partners = corpus.wire_copies("000")
    assert [(doc[:3], n) for doc, n in partners] == [("003", 2)]


def test_wire_copy_follows_the_corpus(fresh: Corpus) -> None:
    (fresh.root / "003_17a356de9bc4f7c3.txt").unlink()
    fresh.update()
    assert fresh.wire_counts() == {}


def test_candidates_are_read_with_their_passage_s_names(corpus: Corpus) -> None:
    """The related passages read a candidate's passage and its names only: the same
    mentions there as the whole article's, none elsewhere."""
    wanted = []
    for summary in corpus.articles():
        article = corpus.article(summary.id)
        wanted += [(article.id, n) for n in range(0, len(article.passages), 2)]
    read = corpus._entities.passages_with_mentions([*wanted, ("no-such-article", 0)])
    assert "no-such-article" not in read and len(read) == len(corpus.articles())
    named = 0
    for doc_id, article in read.items():
        whole = corpus.article(doc_id)
        assert article.text == whole.text and article.passages == whole.passages
        spans = [whole.passages[n] for d, n in wanted if d == doc_id]
        expected = [m for m in whole.mentions if any(p.start <= m.start < p.end for p in spans)]
        assert list(article.mentions) == expected
        named += len(expected)
    assert named > 20  # (the seeds name people and places in these passages)
