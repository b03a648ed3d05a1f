"""Two articles compared: a one-to-one alignment in reading order (a split paragraph
pairs with its parts, a moved one is found where it went), captions and boilerplate
with their own kind only, honest kinds, and the words that differ marked as runs;
on the seeds and on small articles written here."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index import Corpus
from index.crossref import evidence
from index.crossref.compare import ALIGNED_WITH, SPLIT, Comparison, _align, _Link, compare
from index.crossref.markdown import comparison_markdown
from index.crossref.related import Words
from index.model import Article, Passage

KINDS = {"near-duplicate", "same-fact", "same-subject"}

# Five paragraphs of one story, and the same five rewritten a little by another outlet.
STORY = (
    "Le conseil municipal de Lausanne a voté lundi soir un crédit de douze millions de "
    "francs pour rénover la piscine de Bellerive, fermée depuis deux ans.",
    "Les travaux commenceront au printemps prochain et devraient durer dix-huit mois, "
    "selon le syndic, qui promet une réouverture avant l'été suivant.",
    "L'opposition a dénoncé un projet trop coûteux et réclame un référendum, estimant que "
    "les écoles du quartier ont des besoins plus urgents.",
    "Le bassin olympique sera chauffé par une pompe à chaleur reliée au lac, une première "
    "dans le canton pour un équipement de cette taille.",
    "Les clubs de natation, privés d'entraînement depuis la fermeture, se réjouissent de la "
    "décision et espèrent accueillir des compétitions nationales.",
)
REWRITTEN = (
    "Le conseil municipal de Lausanne a voté mardi un crédit de douze millions de francs "
    "pour rénover la piscine de Bellerive, fermée depuis deux ans déjà.",
    "Les travaux commenceront au printemps et devraient durer dix-huit mois, selon le "
    "syndic, qui promet une réouverture avant l'été suivant.",
    "L'opposition de gauche a dénoncé un projet trop coûteux et réclame un référendum, "
    "estimant que les écoles du quartier ont des besoins urgents.",
    "Le bassin olympique sera chauffé par une pompe à chaleur reliée au lac, une première "
    "en Suisse romande pour un équipement de cette taille.",
    "Les clubs de natation, privés d'entraînement depuis la fermeture, se réjouissent de la "
    "décision et espèrent bientôt accueillir des compétitions.",
)
ELSEWHERE = (
    "La récolte de pommes a été exceptionnelle cette année dans les vergers valaisans, "
    "grâce à un printemps doux et à des pluies régulières en été."
)
CAPTION = (
    "Le syndic de Lausanne devant la piscine de Bellerive, fermée depuis deux ans, "
    "photographié lundi soir par notre journaliste."
)
TEASER = "Lire aussi : La piscine de Bellerive rouvrira ses portes en juin prochain"


def _article(doc_id: str, pieces: Sequence[str | tuple[str, str]]) -> Article:
    """An article of `pieces`: texts of paragraphs, or (kind, text)."""
    text, passages = "", []
    for n, piece in enumerate(pieces):
        kind, words = piece if isinstance(piece, tuple) else ("paragraph", piece)
        text += "\n\n" if text else ""
        passages.append(Passage(n, len(text), len(text) + len(words), kind, "fr"))  # type: ignore[arg-type]
        text += words
    return Article(doc_id, f"{doc_id}.txt", doc_id, "", "fr", text, tuple(passages))


def _compared(a: Article, b: Article) -> Comparison:
    """`compare` with passage counts of the two articles in a corpus of 200 passages."""
    counts: Counter[str] = Counter()
    for article in (a, b):
        for p in article.passages:
            counts.update({s for s in Words.of(article.passage_text(p)).stems if s})
    return compare(a, b, {s: n + 1 for s, n in counts.items()}, {}, 200)


def _pairs(comparison: Comparison) -> list[tuple[int, int]]:
    return [(p.a_passage, p.b_passage) for p in comparison.pairs]


def _assert_one_to_one_or_split(comparison: Comparison, a: Article, b: Article) -> None:
    """Each passage is in one pair, or in 2 to SPLIT pairs with passages of the other
    side that follow each other among the passages of their class, each of which is in
    that pair only."""
    for mine, theirs, other in (("a_passage", "b_passage", b), ("b_passage", "a_passage", a)):
        partners: dict[int, list[int]] = {}
        for pair in comparison.pairs:
            partners.setdefault(getattr(pair, mine), []).append(getattr(pair, theirs))
        count = Counter(getattr(p, theirs) for p in comparison.pairs)
        for others in partners.values():
            assert len(others) <= SPLIT
            if len(others) > 1:
                assert all(count[n] == 1 for n in others)
                names = {ALIGNED_WITH[other.passages[n].kind] for n in others}
                assert len(names) == 1, others
                (name,) = names
                of_class = [p.n for p in other.passages if ALIGNED_WITH.get(p.kind) == name]
                start = of_class.index(min(others))
                assert sorted(others) == of_class[start : start + len(others)], others


# -- small articles ------------------------------------------------------------------------
def test_paragraphs_pair_one_to_one_in_reading_order() -> None:
    a = _article("order-a", STORY)
    b = _article("order-b", [REWRITTEN[0], REWRITTEN[1], ELSEWHERE, REWRITTEN[3], REWRITTEN[4]])
    comparison = _compared(a, b)
    assert _pairs(comparison) == [(0, 0), (1, 1), (3, 3), (4, 4)]
    assert {p.kind for p in comparison.pairs} == {"near-duplicate"}
    # What each says alone: the opposition, the apples.
    assert (comparison.unpaired_a, comparison.unpaired_b) == ((2,), (2,))


def test_a_moved_paragraph_is_found_where_it_went() -> None:
    a = _article("moved-a", STORY)
    b = _article("moved-b", [REWRITTEN[0], REWRITTEN[4], *REWRITTEN[1:4]])
    comparison = _compared(a, b)
    assert _pairs(comparison) == [(0, 0), (1, 2), (2, 3), (3, 4), (4, 1)]


def test_a_paragraph_split_in_two_pairs_with_both_parts() -> None:
    a = _article("split-a", [STORY[0], f"{STORY[1]} {STORY[2]}", STORY[3]])
    b = _article("split-b", REWRITTEN[:4])
    comparison = _compared(a, b)
    assert _pairs(comparison) == [(0, 0), (1, 1), (1, 2), (2, 3)]
    _assert_one_to_one_or_split(comparison, a, b)
    # The long paragraph's words are diffed against its parts put together: it has
    # nothing the two parts lack but the words they changed.
    whole = a.passage_text(a.passages[1])
    runs = {whole[s:e] for s, e in comparison.pairs[1].a_diff}
    assert runs == {"prochain", "plus"}
    assert comparison.pairs[1].a_diff == comparison.pairs[2].a_diff


def test_a_passage_is_not_split_into_parts_matching_one_sentence_of_it() -> None:
    """The parts of a split each match another sentence of the whole, in order."""
    links = {(0, 0): _Link(5.0, "same-fact", 0, 0), (0, 1): _Link(4.0, "same-fact", 0, 0)}
    assert [(g.a, g.b) for g in _align(links, 1, 2)] == [((0,), (0,))]
    links[(0, 1)] = _Link(4.0, "same-fact", 1, 0)
    assert [(g.a, g.b) for g in _align(links, 1, 2)] == [((0,), (0, 1))]


def test_a_split_has_at_most_split_parts() -> None:
    links = {(0, y): _Link(5.0, "near-duplicate", y, 0) for y in range(SPLIT + 1)}
    groups = _align(links, 1, SPLIT + 1)
    assert max(len(g.b) for g in groups) == SPLIT
    assert sum(len(g.b) for g in groups) == SPLIT  # (one-to-one: the rest is left alone)


def test_weak_pairs_keep_the_reading_order_strong_ones_may_cross_it() -> None:
    # A strong chain (0, 0), (2, 2); a strong pair out of order (3, 1) is kept, a
    # same-subject one out of order (1, 3) is not, a same-subject one in order is.
    links = {
        (0, 0): _Link(6.0, "same-fact", 0, 0),
        (2, 2): _Link(6.0, "same-fact", 0, 0),
        (3, 1): _Link(3.0, "same-fact", 0, 0),
        (1, 3): _Link(0.5, "same-subject", 0, 0),
        (4, 4): _Link(0.2, "same-subject", 0, 0),
    }
    kept = sorted((g.a, g.b) for g in _align(links, 5, 5))
    assert kept == [((0,), (0,)), ((2,), (2,)), ((3,), (1,)), ((4,), (4,))]


def test_the_reading_order_is_preferred_when_the_evidence_allows() -> None:
    # A0 matches B1 a little better than B0, but A1 matches B1 too: in order, both pair.
    links = {
        (0, 1): _Link(6.0, "same-fact", 0, 0),
        (0, 0): _Link(5.0, "same-fact", 0, 0),
        (1, 1): _Link(5.0, "same-fact", 0, 0),
    }
    assert sorted((g.a, g.b) for g in _align(links, 2, 2)) == [((0,), (0,)), ((1,), (1,))]


def test_a_caption_never_pairs_with_a_paragraph() -> None:
    a = _article("caption-a", [("caption", CAPTION), STORY[0]])
    b = _article("caption-b", [CAPTION, REWRITTEN[0], ("caption", CAPTION)])
    comparison = _compared(a, b)
    # The same words as a paragraph of B, but a caption: it pairs with B's caption.
    assert _pairs(comparison) == [(0, 2), (1, 1)]
    assert comparison.unpaired_b == (0,)


def test_boilerplate_is_neither_paired_nor_what_one_side_says() -> None:
    a = _article("teaser-a", [STORY[0], ("boilerplate", TEASER), STORY[1]])
    b = _article("teaser-b", [REWRITTEN[0], ("boilerplate", TEASER), REWRITTEN[1]])
    comparison = _compared(a, b)
    assert _pairs(comparison) == [(0, 0), (2, 2)]
    assert comparison.unpaired_a == comparison.unpaired_b == ()


def test_passages_with_nothing_in_common_do_not_align() -> None:
    comparison = _compared(_article("none-a", [STORY[0]]), _article("none-b", [ELSEWHERE]))
    assert comparison.pairs == ()
    assert (comparison.unpaired_a, comparison.unpaired_b) == ((0,), (0,))


def test_the_words_that_differ_are_marked_as_runs() -> None:
    before = "Le ministre des finances a annoncé {} de dix pour cent des impôts fonciers "
    before += "dans tout le pays, une mesure très attendue."
    a = _article("runs-a", [before.format("mardi une hausse")])
    b = _article("runs-b", [before.format("hier soir une baisse")])
    comparison = _compared(a, b)
    (pair,) = comparison.pairs
    assert pair.kind == "near-duplicate"
    # One run a side, the spaces and the `une` they share inside it.
    assert [a.text[s:e] for s, e in pair.a_diff] == ["mardi une hausse"]
    assert [b.text[s:e] for s, e in pair.b_diff] == ["hier soir une baisse"]
    markdown = comparison_markdown(a, b, comparison, {})
    assert "annoncé **mardi une hausse** de dix" in markdown
    assert "annoncé **hier soir une baisse** de dix" in markdown


def test_word_for_word_identical_short_passages_are_near_duplicates() -> None:
    """A heading or a caption too short for the wording rule (MIN_WORDS) and for a fact
    of its own, written word for word alike on both sides, is the same wording."""
    a = _article("same-a", [("heading", "Les travaux"), STORY[1], ("caption", "Le bassin.")])
    b = _article("same-b", [("heading", "Les travaux"), REWRITTEN[1], ("caption", "Le  bassin")])
    comparison = _compared(a, b)
    kinds = {(p.a_passage, p.b_passage): p for p in comparison.pairs}
    assert kinds[(0, 0)].kind == kinds[(2, 2)].kind == "near-duplicate"
    assert kinds[(0, 0)].a_diff == kinds[(0, 0)].b_diff == ()
    # One word more: no longer the same words, and too few for the wording rule.
    c = _article("same-c", [("heading", "Les grands travaux"), REWRITTEN[1]])
    assert [p.kind for p in _compared(a, c).pairs if p.a_passage == 0] == ["same-subject"]


def test_articles_far_apart_in_time_take_the_related_panes_penalty(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = []

    def penalty(date_a: str, date_b: str) -> float:
        asked.append((date_a, date_b))
        return 100.0

    monkeypatch.setattr(evidence, "era_penalty", penalty)
    a = replace(_article("era-a", STORY[:2]), date="1804-07-17")
    b = replace(_article("era-b", REWRITTEN[:2]), date="2020-05-01")
    assert _compared(a, b).pairs == ()
    assert asked == [("1804-07-17", "2020-05-01")]


# -- the seeds -----------------------------------------------------------------------------
def test_the_seeds_wire_copy_aligns_pair_by_pair(corpus: Corpus) -> None:
    comparison = corpus.compare("000", "003")
    pairs = {(p.a_passage, p.b_passage): p for p in comparison.pairs}
    # 003 ¶7 says in one paragraph what 000 says in two (¶7 the aid, ¶8 the veto).
    assert pairs[(7, 7)].kind == pairs[(8, 7)].kind == "near-duplicate"
    # "Neuf mois après": the paragraph 000 ends with, in the middle of 003.
    assert pairs[(12, 6)].kind == "near-duplicate"
    # The same facts told in other words.
    assert pairs[(6, 2)].kind == "same-fact"  # munitions for technology and food
    assert pairs[(2, 1)].kind == "same-fact"  # a strategic partnership to be signed
    _assert_one_to_one_or_split(comparison, corpus.article("000"), corpus.article("003"))
    # The section heading "Livraisons d'armes et de munitions à la Russie" shares words
    # with 003 ¶8 ("livraisons d'armes à la Russie"), but a heading is no paragraph.
    assert 4 in comparison.unpaired_a


def test_the_split_paragraph_marks_only_what_its_parts_lack(corpus: Corpus) -> None:
    comparison = corpus.compare("000", "003")
    b = corpus.article("003")
    text = b.passage_text(b.passages[7])
    pair = next(p for p in comparison.pairs if (p.a_passage, p.b_passage) == (7, 7))
    runs = [text[s:e] for s, e in pair.b_diff]
    # Its first sentence, which 000 does not have, is one run; `Séoul` for "la Corée du
    # Sud"; the veto of 000 ¶8 is not marked.
    assert runs[0].startswith("Selon les Occidentaux, Pyongyang a puisé")
    assert runs[0].endswith("missiles balistiques nord-coréens en Ukraine")
    assert "Séoul" in runs
    assert not any("veto" in run for run in runs)


def test_every_pair_of_seeds_compares_within_the_rules(corpus: Corpus) -> None:
    articles = {s.id: corpus.article(s.id) for s in corpus.articles()}
    for first, second in itertools.combinations(sorted(articles), 2):
        a, b = articles[first], articles[second]
        comparison = corpus.compare(first, second)
        _assert_one_to_one_or_split(comparison, a, b)
        for pair in comparison.pairs:
            assert pair.kind in KINDS
            kind_a, kind_b = a.passages[pair.a_passage].kind, b.passages[pair.b_passage].kind
            assert ALIGNED_WITH[kind_a] == ALIGNED_WITH[kind_b], (first, second, pair)
            assert 0 < pair.score <= 1
            # Runs, not words: no two runs of a side with only spaces between them.
            for article, n, diff in (
                (a, pair.a_passage, pair.a_diff),
                (b, pair.b_passage, pair.b_diff),
            ):
                text = article.passage_text(article.passages[n])
                for (_, end), (start, _) in itertools.pairwise(diff):
                    assert text[end:start].strip(), (first, second, pair)
        paired_a = {p.a_passage for p in comparison.pairs}
        assert paired_a | set(comparison.unpaired_a) == {p.n for p in a.passages if p.is_text}
        assert not paired_a & set(comparison.unpaired_a)


@pytest.mark.parametrize(("first", "second"), [("000", "003"), ("001", "002"), ("000", "004")])
def test_comparing_b_with_a_is_the_mirror_of_a_with_b(
    corpus: Corpus, first: str, second: str
) -> None:
    there, back = corpus.compare(first, second), corpus.compare(second, first)
    mirrored = sorted(
        (p.b_passage, p.a_passage, p.score, p.kind, p.b_diff, p.a_diff) for p in back.pairs
    )
    assert mirrored == [
        (p.a_passage, p.b_passage, p.score, p.kind, p.a_diff, p.b_diff) for p in there.pairs
    ]


def test_a_near_duplicate_shares_most_of_the_shorter_passage(corpus: Corpus) -> None:
    """`near-duplicate` only where runs of shared words cover most of the shorter passage
    (000 ¶6 and 003 ¶2 share one sentence of two: the same fact, its wording marked)."""
    comparison = corpus.compare("000", "003")
    pair = next(p for p in comparison.pairs if (p.a_passage, p.b_passage) == (6, 2))
    assert pair.kind == "same-fact"
    a = corpus.article("000")
    text = a.passage_text(a.passages[6])
    marked = "".join(text[s:e] for s, e in pair.a_diff)
    assert "livrer des munitions" not in marked  # (the shared sentence's wording)
    assert "John Kirby" in marked


# -- any two articles ----------------------------------------------------------------------
_piece = st.tuples(
    st.sampled_from(["paragraph", "paragraph", "caption", "title", "heading", "boilerplate"]),
    st.one_of(
        st.sampled_from([*STORY, *REWRITTEN, ELSEWHERE, CAPTION, TEASER]),
        st.sampled_from(["x", ".", "…", "12", "— 12 —", "le la de"]),
        st.builds(" ".join, st.lists(st.sampled_from(STORY[0].split()), min_size=1, max_size=40)),
    ),
)
_count = itertools.count()


@settings(
    max_examples=60, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(_piece, max_size=7), st.lists(_piece, max_size=7))
def test_any_two_articles_compare_within_the_rules(
    first: list[tuple[str, str]], second: list[tuple[str, str]]
) -> None:
    n = next(_count)
    a, b = _article(f"any-a{n}", first), _article(f"any-b{n}", second)
    comparison = _compared(a, b)
    _assert_one_to_one_or_split(comparison, a, b)
    for pair in comparison.pairs:
        assert pair.kind in KINDS
        kind_a, kind_b = a.passages[pair.a_passage].kind, b.passages[pair.b_passage].kind
        assert ALIGNED_WITH[kind_a] == ALIGNED_WITH[kind_b]
    assert not {p.a_passage for p in comparison.pairs} & set(comparison.unpaired_a)
    assert all(a.passages[n].is_text for n in comparison.unpaired_a)
    back = _compared(b, a)
    assert sorted((p.b_passage, p.a_passage, p.kind, p.b_diff, p.a_diff) for p in back.pairs) == [
        (p.a_passage, p.b_passage, p.kind, p.a_diff, p.b_diff) for p in comparison.pairs
    ]
