"""Related passages' evidence: numbers as tokens, the matching sentence pair, honest kinds."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import Corpus
from index.crossref import evidence
from index.crossref.numbers import number_tokens
from index.crossref.related import Words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("douze soldats tués", {"n:12", "nw:12|soldat"}),
        ("12 soldats tués", {"n:12", "nw:12|soldat"}),
        ("3,5 milliards de dollars", {"n:3500e6", "$:3500e6", "nw:3500e6|dollar"}),
        ("12 000 personnes", {"n:12000", "nw:12000|personne"}),
        ("vingt-cinq morts", {"n:25", "nw:25|mort"}),
        ("quatre-vingt-dix", {"n:90"}),
        ("le 5 septembre", {"d:09-05"}),
        ("dimanche 5 septembre 2021", {"d:09-05", "m:2021-09", "y:2021"}),
        ("en septembre 2021", {"m:2021-09", "y:2021"}),
        ("en 2020", {"y:2020"}),
        ("30 % des votes", {"%:30"}),
        ("30 pour cent des votes", {"%:30"}),
        ("un homme et une femme", set()),
    ],
)
def test_numbers_amounts_and_dates_are_canonical_tokens(text: str, expected: set[str]) -> None:
    assert number_tokens(text) == expected


def _sentences(text: str, names: list[str] = ()) -> evidence.Sentences:  # type: ignore[assignment]
    """`text` cut in sentences, each of `names` a name wherever it is written."""
    mentions = []
    for name in names:
        start = text.find(name)
        while start >= 0:
            mentions.append((start, start + len(name), name.lower()))
            start = text.find(name, start + 1)
    return evidence.sentences_of(text, mentions, Words.of)


def test_a_passage_is_cut_at_its_sentence_ends_not_after_an_abbreviation() -> None:
    cut = _sentences("M. Dupont est arrivé mardi. Il repart le 5 mai. Fin")
    texts = [cut.text[s.start : s.end] for s in cut.sentences]
    assert texts == ["M. Dupont est arrivé mardi.", "Il repart le 5 mai.", "Fin"]
    assert cut.sentences[1].numbers == {"d:05-05"}
    words = cut.folded[cut.sentences[1].first : cut.sentences[1].last]
    assert words == ("il", "repart", "le", "5", "mai")


REWRITTEN = (
    "Le barrage de la vallée a cédé mardi soir et les eaux ont inondé trois villages du canton.",
    "Selon la police, le barrage de la vallée a cédé mardi soir et les eaux ont inondé "
    "trois villages.",
)


def test_shared_wording_of_most_of_the_shorter_sentence_is_a_near_duplicate() -> None:
    a, b = _sentences(REWRITTEN[0]), _sentences(REWRITTEN[1])
    assert evidence.wording(a, 0, b, 0) >= evidence.COVER
    assert evidence.kind(a, 0, b, 0, evidence.FLOOR)[0] == "near-duplicate"
    # ... but not below the floor, whatever the wording
    assert evidence.kind(a, 0, b, 0, evidence.FLOOR - 0.1)[0] is None


def test_names_never_make_a_near_duplicate() -> None:
    name = "Commission nationale des droits de la personne du Nord"
    a = _sentences(f"La {name} a publié lundi un rapport très sévère sur les prisons.", [name])
    b = _sentences(f"Hier, la {name} a refusé de répondre aux questions des journalistes.", [name])
    assert evidence.wording(a, 0, b, 0) < evidence.COVER
    kind, _ = evidence.kind(a, 0, b, 0, evidence.SAME_FACT + 1)
    assert kind == "same-fact"  # (by its score, not by its wording)


def test_a_link_teaser_is_never_a_near_duplicate() -> None:
    teaser = "A lire aussi : le barrage de la vallée a cédé mardi soir et inondé trois villages"
    a, b = _sentences(teaser), _sentences(teaser)
    assert a.sentences[0].teaser
    assert evidence.kind(a, 0, b, 0, evidence.SAME_FACT - 0.5)[0] == "same-subject"


def test_short_sentences_are_not_near_duplicates_by_wording() -> None:
    a, b = _sentences("Le barrage a cédé."), _sentences("Le barrage a cédé.")
    assert evidence.wording(a, 0, b, 0) == 0.0


def test_shared_words_are_the_words_as_written_and_marked_in_the_sentence() -> None:
    a = _sentences("Les écoles sont fermées. Le barrage a cédé mardi, inondant trois villages.")
    b = _sentences("Rien à signaler. Trois villages ont été inondés quand le barrage a cédé.")
    words, marks = evidence.shared_words(a, 1, b, 1)
    assert {"villages", "inondés", "barrage", "cédé"} <= set(words)
    assert "écoles" not in words
    sentence = b.sentences[1]
    for start, end in marks:
        assert sentence.start <= start < end <= sentence.end
        assert b.text[start:end].isalpha()


def test_the_evidence_is_the_sentence_pair_that_matches(corpus: Corpus) -> None:
    result = corpus.related("000", 12)
    best = result.results[0]
    assert (best.doc[:3], best.passage) == ("003", 6)
    start, end = best.sentence
    assert 0 <= start < end <= len(best.text)
    assert "neuf mois" in best.text[start:end]
    source = corpus.article("000")
    source_text = source.passage_text(source.passages[12])
    mine_start, mine_end = best.source_sentence
    assert 0 <= mine_start < mine_end <= len(source_text)
    assert "neuf mois" in source_text[mine_start:mine_end]
    assert best.marks
    for mark_start, mark_end in best.marks:  # the shared words are those of the sentence
        assert start <= mark_start < mark_end <= end
    assert all(term == term.lower() for term in best.shared_terms)


def test_every_result_is_above_the_floor_with_an_honest_kind(corpus: Corpus) -> None:
    for doc, n in (("000", 8), ("003", 7), ("004", 5), ("000", 1)):
        for r in corpus.related(doc, n).results:
            assert r.kind in ("near-duplicate", "same-fact", "same-subject")
            assert r.score >= evidence.logistic(evidence.FLOOR) - 1e-4
            if r.kind == "same-subject":
                assert r.score < evidence.logistic(evidence.SAME_FACT) + 1e-4


FACT = (
    "Le barrage de la vallée de Ferrand a cédé mardi soir, inondant douze villages et "
    "forçant 3 400 habitants à quitter leurs maisons."
)
RESTATED = (
    "Mardi soir, la rupture du barrage de Ferrand a noyé 12 villages : 3 400 habitants "
    "ont dû partir."
)
LONELY = "Les abeilles sauvages butinent surtout les fleurs bleues au printemps."
FILLER = (
    "Le conseil municipal a voté le budget de la piscine.",
    "La saison de ski commence plus tôt cette année dans les Alpes.",
    "Les prix du pain augmentent encore dans les boulangeries.",
    "Un nouveau musée ouvre ses portes au centre de la ville.",
)


def test_a_lonely_sentence_gets_nothing_and_a_restated_fact_is_found(tmp_path: Path) -> None:
    (root := tmp_path / "corpus").mkdir()
    (root / "a.txt").write_text(f"Inondations\n\n{FACT}\n\n{LONELY}\n", "utf-8")
    (root / "b.txt").write_text(f"Le barrage rompu\n\n{RESTATED}\n", "utf-8")
    for k, line in enumerate(FILLER):
        (root / f"f{k}.txt").write_text(f"Nouvelles {k}\n\n{line}\n", "utf-8")
    corpus = Corpus(root, tmp_path / "index", entities=False)
    try:
        corpus.update()
        a = next(s.id for s in corpus.articles() if s.path == "a.txt")
        b = next(s.id for s in corpus.articles() if s.path == "b.txt")
        found = corpus.related(a, 1).results
        assert found and (found[0].doc, found[0].passage) == (b, 1)
        assert found[0].kind == "same-fact"
        assert corpus.related(a, 2).results == ()
    finally:
        corpus.close()
