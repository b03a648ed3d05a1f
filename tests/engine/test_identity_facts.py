"""Identity facts on unseen real news: the BBC Afrique articles of the shared corpus.

The project may not copy those articles (their licence forbids it), so this test
reads them where they lie, beside the project (`../shared/corpus`, as in CI), and is
skipped when they are not there. Each fact was read in context in the articles:
names that are one thing (an acronym and its expansion, a surname alone and the
full name, two spellings of a country), and names of different things that must
never become one entity (countries a letter or two apart, a country and its
capital, a club and its city).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index import Corpus, UnknownEntity

SHARED_CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
BBC = "masakhanews-fra-*.txt"

SAME = [
    ("OMS", "Organisation mondiale de la santé"),
    ("FMI", "Fonds monétaire international"),
    ("CPI", "Cour pénale internationale"),
    ("ONU", "Organisation des Nations unies"),
    ("URSS", "Union des républiques socialistes soviétiques"),
    ("CAF", "Confédération africaine de football"),
    ("Bout", "Viktor Bout"),
    ("Almeida", "June Almeida"),
    ("Tlaib", "Rashida Tlaib"),
    ("Poutine", "Vladimir Poutine"),
    ("Messi", "Lionel Messi"),
    ("Musk", "Elon Musk"),
    ("Gbagbo", "Laurent Gbagbo"),
    ("Mané", "Sadio Mané"),
    ("Sadio Mane", "Sadio Mané"),
    ("Trump", "Donald Trump"),
    ("Xi", "Xi Jinping"),
    ("Biden", "Joe Biden"),
    ("Macron", "Emmanuel Macron"),
    ("Zelensky", "Volodymyr Zelensky"),
    ("Carter", "Howard Carter"),
    ("Etats-Unis", "États-Unis"),
    ("USA", "États-Unis"),
    ("Nigéria", "Nigeria"),
    ("Egypte", "Égypte"),
    ("Taiwan", "Taïwan"),
    ("Libéria", "Liberia"),
    ("Benin", "Bénin"),
    ("RDC", "République démocratique du Congo"),
    ("Fédération de Russie", "Russie"),
    ("RD Congo", "RDC"),
    ("CAN", "Coupe d'Afrique des Nations"),
    ("UE", "Union européenne"),
    ("CEDEAO", "Communauté économique des États de l'Afrique de l'Ouest"),
    ("Covid", "Covid-19"),
    ("Ahmad de la Caf", "Ahmad"),
]
DIFFERENT = [
    ("Niger", "Nigeria"),
    ("Mali", "Malawi"),
    ("Guinée", "Guinée-Bissau"),
    ("Tunis", "Tunisie"),
    ("Alger", "Algérie"),
    ("Dakar", "Sénégal"),
    ("Congo-Brazzaville", "République démocratique du Congo"),
    ("Afrique", "Afrique du Sud"),
    ("Corée du Nord", "Corée du Sud"),
    ("Angleterre", "Royaume-Uni"),
    ("Autriche", "Australie"),
    ("Manchester City", "Manchester United"),
    ("Real Madrid", "Madrid"),
    ("FC Barcelone", "Barcelone"),
    ("CAN", "CAF"),
    ("Messi", "Neymar"),
    ("Ahmad de la Caf", "Caf"),
    ("Lauren", "Laurens"),
    ("Kuba", "Cuba"),  # a people of the Congo; Cuba in German and Polish
]
# The kind of a thing, where the model is often wrong about it.
KINDS = [
    ("Confédération africaine de football", "ORG"),
    ("Covid-19", "MISC"),
    ("Uber", "ORG"),
    ("Ahmad", "PER"),
    ("RDC", "LOC"),
]
# Common nouns with a capital, not names: `l'État`, `les Africains`.
NOT_NAMES = ["État", "Africains"]


@pytest.fixture(scope="module")
def bbc(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    files = sorted(SHARED_CORPUS.glob(BBC))
    if not files:
        pytest.skip(f"the shared corpus is not beside the project ({SHARED_CORPUS})")
    folder = tmp_path_factory.mktemp("bbc")
    for path in files:  # a working copy outside the project, removed with the tmp folder
        shutil.copyfile(path, folder / path.name)
    corpus = Corpus(folder, tmp_path_factory.mktemp("bbc-index"))
    corpus.update()
    return corpus


def entity_of(corpus: Corpus, name: str) -> str:
    return corpus.entity(name).id


def test_there_are_enough_facts() -> None:
    assert len(SAME) + len(DIFFERENT) + len(KINDS) + len(NOT_NAMES) >= 30


@pytest.mark.parametrize(("name", "other"), SAME)
def test_names_of_one_thing_are_one_entity(bbc: Corpus, name: str, other: str) -> None:
    assert entity_of(bbc, name) == entity_of(bbc, other)


@pytest.mark.parametrize(("name", "other"), DIFFERENT)
def test_names_of_two_things_stay_two_entities(bbc: Corpus, name: str, other: str) -> None:
    assert entity_of(bbc, name) != entity_of(bbc, other)


@pytest.mark.parametrize(("name", "kind"), KINDS)
def test_a_thing_has_its_kind(bbc: Corpus, name: str, kind: str) -> None:
    assert bbc.entity(name).label == kind


@pytest.mark.parametrize("word", NOT_NAMES)
def test_a_common_noun_with_a_capital_is_no_entity(bbc: Corpus, word: str) -> None:
    with pytest.raises(UnknownEntity):
        bbc.entity(word)
