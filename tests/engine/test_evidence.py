"""Related passages' evidence: numbers as tokens, the matching sentence pair, honest kinds."""

from __future__ import annotations

import math
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
        ("plus d'un million de civils", {"n:1e6", "nw:1e6|civil"}),
        ("un milliard de dollars", {"n:1000e6", "$:1000e6", "nw:1000e6|dollar"}),
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
    assert kind == "same-subject"  # (nor the same fact: they share nothing but the name)


def test_a_link_teaser_is_never_a_near_duplicate() -> None:
    teaser = "A lire aussi : le barrage de la vallée a cédé mardi soir et inondé trois villages"
    a, b = _sentences(teaser), _sentences(teaser)
    assert a.sentences[0].teaser
    assert evidence.kind(a, 0, b, 0, evidence.SAME_FACT - 0.5)[0] == "same-subject"


@pytest.mark.parametrize(
    ("a", "b", "differ"),
    [
        # a count of the same thing, never the same value
        ("Le HCR a transféré mardi 54 réfugiés vers l'Italie.",
         "Plus de 6,4 millions de réfugiés ont fui vers l'Europe.", True),
        # large numbers, whatever their unit
        ("Au moins 12 millions de personnes ont fui leur foyer.",
         "Plus d'un million de civils ont fui le pays.", True),
        # two days
        ("Le scrutin a eu lieu le 5 septembre.", "Le scrutin a eu lieu le 9 octobre.", True),
        # two percentages
        ("Le vaccin est efficace à 70 %.", "Le vaccin est efficace à 95 %.", True),
        # one value in common is agreement
        ("Une clause de 700 millions d'euros, soit 459 milliards de FCFA.",
         "Sa clause libératoire de 700 millions d'euros.", False),
        # a figure on one side only is no disagreement
        ("Le colonel a renversé le président le 5 septembre.",
         "Le colonel a renversé le président.", False),
        # small numbers are not compared (a score, a few people)
        ("Une victoire 4-0 sur Aston Villa.", "Une victoire 2-1 sur Chelsea.", False),
    ],
)  # fmt: skip
def test_figures_that_disagree_are_different_details(a: str, b: str, differ: bool) -> None:
    assert evidence.disagree(frozenset(number_tokens(a)), frozenset(number_tokens(b))) is differ


def test_a_pair_whose_figures_disagree_is_the_same_subject_only() -> None:
    a = _sentences("Selon l'ONU, au moins 12 millions de personnes ont fui leur foyer en Ukraine.")
    b = _sentences("Plus d'un million de civils ont déjà fui l'Ukraine, d'après l'ONU.")
    assert evidence.kind(a, 0, b, 0, evidence.SAME_FACT + 5)[0] == "same-subject"


def test_a_person_described_the_same_way_is_no_same_fact() -> None:
    names = ["Messi", "Barça"]
    a = _sentences(
        "L'attaquant argentin Messi, 33 ans, a marqué le troisième but du Barça samedi soir.",
        names,
    )
    b = _sentences(
        "L'attaquant argentin Messi, 33 ans, a dit au Barça qu'il voulait partir cet été.",
        names,
    )
    assert evidence.described_only(a, 0, b, 0)
    assert evidence.kind(a, 0, b, 0, evidence.SAME_FACT + 5)[0] == "same-subject"


def test_what_happens_to_the_same_people_is_the_same_fact() -> None:
    names = ["Mamady Doumbouya", "Alpha Condé", "Guinée"]
    a = _sentences(
        "Le colonel Mamady Doumbouya a conduit le coup d'Etat qui a renversé le président "
        "Alpha Condé dimanche 5 septembre.",
        names,
    )
    b = _sentences(
        "Puis, en Guinée, en septembre, le colonel Mamady Doumbouya a renversé le président "
        "Alpha Condé, de plus en plus autocratique.",
        names,
    )
    assert not evidence.described_only(a, 0, b, 0)
    assert evidence.kind(a, 0, b, 0, evidence.SAME_FACT + 5)[0] == "same-fact"


def test_a_sentence_of_a_few_words_states_no_fact_of_its_own() -> None:
    a = _sentences("Une 'opération spéciale'...")
    b = _sentences("C'est son opération militaire spéciale, a-t-il dit à la télévision.")
    assert evidence.kind(a, 0, b, 0, evidence.SAME_FACT + 5)[0] == "same-subject"


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


def test_every_result_s_kind_agrees_with_its_evidence_and_comes_by_its_score(
    corpus: Corpus,
) -> None:
    kinds = set()
    for doc, n in (("000", 8), ("003", 7), ("004", 5), ("000", 1)):
        results = corpus.related(doc, n).results
        assert results
        for r in results:
            kinds.add(r.kind)
            # Shared wording makes a near-duplicate, and nothing else does.
            assert (r.reused >= evidence.COVER) == (r.kind == "near-duplicate")
            if r.kind == "same-fact":  # more than names in common
                assert r.shared_terms
            assert r.score >= round(evidence.logistic(evidence.RANK_FLOOR), 4)
        scores = [r.score for r in results]
        assert scores == sorted(scores, reverse=True)
    assert kinds == {"near-duplicate", "same-fact", "same-subject"}


def test_a_passage_is_ranked_by_its_best_pair_and_the_passages_cosine() -> None:
    pair = evidence.Evidence(score=0.5, source=0, other=1, passage=evidence.PASSAGE_CENTRE)
    assert pair.rank == pytest.approx(0.5)  # a usual cosine adds nothing
    closer = evidence.Evidence(0.5, 0, 1, passage=evidence.PASSAGE_CENTRE + 0.1)
    assert closer.rank == pytest.approx(0.5 + 0.1 * evidence.PASSAGE_RANK)


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


@pytest.mark.parametrize(
    ("a", "b", "penalty"),
    [
        ("2020-05-01", "1804-07-17", math.log2(216 / evidence.ERA)),
        ("2020-05-01", "2001", 0.0),  # within a generation
        ("2020-05-01", "", 0.0),  # a date unknown
        ("", "", 0.0),
    ],
)
def test_pairs_of_articles_generations_apart_lose_score(a: str, b: str, penalty: float) -> None:
    assert evidence.era_penalty(a, b) == pytest.approx(penalty)


# Old print read by OCR: the long s (never at a word's end) read as an f.
OLD_PRINT = (
    "Le fyndicat s'eft occupé le 4 de quelques différens exiftans entre les deux Rhodes, "
    "ainfi que des réclamations élevées fur la route du Rhin par cinq cantons."
)
OLD_RESTATED = (
    "Cinq cantons ont porté leurs réclamations fur la route du Rhin devant le fyndicat, "
    "qui s'eft auffi occupé des différens entre les deux Rhodes."
)
OLD_OTHER = (
    "La diète eft convoquée fur le champ ; elle fe réunira auffi pour entendre la "
    "déclaration des miniftres de Bohême, qui fera lue fans retard."
)


@pytest.mark.parametrize(
    ("text", "stopped", "kept"),
    [
        (OLD_PRINT, {"eft", "fur", "ainfi"}, {"fyndicat", "exiftans", "route"}),
        # (of today: `fois`, `font` and `fera` are words, among the stop words with their s)
        (
            "Pour la troisième fois cette année, les clubs font appel : la ligue est saisie et "
            "se prononcera sur le fond, mais ses dirigeants disent qu'elle fera tout pour que "
            "la saison se termine sur la route.",
            set(),
            {"fois", "font", "fera", "route"},
        ),
    ],
)
def test_stop_words_misread_from_old_print_are_stop_words(
    text: str, stopped: set[str], kept: set[str]
) -> None:
    words = Words.of(text)
    stems = dict(zip(words.folded, words.stems, strict=True))
    assert all(stems[word] == "" for word in stopped)
    assert all(stems[word] for word in kept)


def test_old_pages_are_not_related_by_their_misread_stop_words(tmp_path: Path) -> None:
    (root := tmp_path / "corpus").mkdir()
    for name, text in (("a", OLD_PRINT), ("b", OLD_RESTATED), ("c", OLD_OTHER)):
        (root / f"{name}.txt").write_text(f"GAZETTE {name}\n\n{text}\n", "utf-8")
    for k, line in enumerate(FILLER):
        (root / f"f{k}.txt").write_text(f"Nouvelles {k}\n\n{line}\n", "utf-8")
    corpus = Corpus(root, tmp_path / "index", entities=False)
    try:
        corpus.update()
        ids = {s.path[0]: s.id for s in corpus.articles()}
        found = corpus.related(ids["a"], 1).results
        assert found and (found[0].doc, found[0].passage) == (ids["b"], 1)
        assert {"fyndicat", "route", "cantons"} <= set(found[0].shared_terms)
        assert not {"eft", "fur", "auffi", "ainfi"} & set(found[0].shared_terms)
        assert all(r.doc != ids["c"] or r.kind == "same-subject" for r in found)
        assert not any(r.doc == ids["a"] for r in corpus.related(ids["c"], 1).results)
    finally:
        corpus.close()
