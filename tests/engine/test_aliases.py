"""The alias rules one by one, on surface forms made up for each (no corpus, no model)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from index import Corpus
from index.entities.aliases import Resolution, SurfaceStats, resolve
from index.entities.mentions import RawMention, bracketed_acronyms

TERRITORIES = {
    "France": "FR",
    "Espagne": "ES",
    "Belgique": "BE",
    "Bénin": "BJ",
    "États-Unis": "US",
    "Paris": "Europe/Paris",
}


def stat(surface: str, label: str, count: int = 1) -> SurfaceStats:
    return SurfaceStats(surface, Counter({label: count}), count)


def resolved(stats: list[SurfaceStats], written: dict[str, set[str]] | None = None) -> Resolution:
    def articles_of(surfaces: Iterable[str]) -> dict[str, set[str]]:
        return {s: (written or {}).get(s, set()) for s in surfaces}

    return resolve(stats, territories=TERRITORIES, places=TERRITORIES, articles_of=articles_of)


def test_a_short_abbreviation_of_one_named_country_is_that_country() -> None:
    result = resolved(
        [
            stat("France", "LOC", 5),
            stat("Fr", "LOC", 3),
            stat("Espagne", "LOC"),
            stat("Esp", "LOC", 2),
            stat("Belgique", "LOC"),
            stat("Bénin", "LOC"),
            stat("Be", "LOC"),
        ]
    )
    assert result.alias_of["Fr"] == result.alias_of["France"]
    assert result.alias_of["Esp"] == result.alias_of["Espagne"]
    # `Be` begins two countries the corpus names: it stays on its own
    assert result.alias_of["Be"] not in {result.alias_of["Belgique"], result.alias_of["Bénin"]}


def test_a_word_that_begins_a_country_name_is_no_abbreviation() -> None:
    result = resolved(
        [
            stat("États-Unis", "LOC", 5),
            stat("Etat", "LOC", 3),
            stat("ESP", "LOC"),
            stat("Espagne", "LOC"),
            stat("Pa", "LOC"),
            stat("Paris", "LOC"),
        ]
    )
    assert result.alias_of["Etat"] != result.alias_of["États-Unis"]  # more than half the word
    assert result.alias_of["ESP"] != result.alias_of["Espagne"]  # capitals: an acronym
    assert result.alias_of["Pa"] != result.alias_of["Paris"]  # a city, not a country


def test_a_name_with_its_spaces_lost_is_the_name() -> None:
    result = resolved([stat("New York", "LOC", 4), stat("NewYork", "LOC")])
    assert result.alias_of["NewYork"] == result.alias_of["New York"]


def test_a_surname_alone_stands_for_the_full_name_its_own_article_writes() -> None:
    written = {"Laurent": {"a1", "a2"}, "Emile Laurent": {"a1"}, "Laurent Fignon": {"a3"}}
    result = resolved(
        [stat("Laurent", "PER", 3), stat("Emile Laurent", "PER", 2), stat("Laurent Fignon", "PER")],
        written,
    )
    emile = result.alias_of["Emile Laurent"]
    # written in a1 with Emile Laurent and in a2 alone: Laurent is Emile Laurent in a1 only
    assert result.alias_of["Laurent"] != emile
    assert result.in_article == {("a1", "Laurent"): emile}
    entity = next(e for e in result.entities if e.id == emile)
    assert "Laurent" in entity.aliases


def test_a_surname_written_where_two_full_names_have_it_stays_alone() -> None:
    written = {"Laurent": {"a1", "a2"}, "Emile Laurent": {"a1"}, "Jean Laurent": {"a1"}}
    result = resolved(
        [stat("Laurent", "PER", 3), stat("Emile Laurent", "PER"), stat("Jean Laurent", "PER")],
        written,
    )
    assert result.in_article == {}


def test_the_reader_shows_a_surname_as_its_articles_full_name(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "maire.txt").write_text(
        "Le maire Émile Laurent a présenté hier le budget de la ville de Lyon.\n\n"
        "Selon Laurent, les travaux du pont commenceront en mars.\n",
        encoding="utf-8",
    )
    (folder / "course.txt").write_text(
        "Le coureur Laurent a gagné l'étape de Grenoble devant le peloton.\n\n"
        "Laurent a remercié son équipe après l'arrivée.\n",
        encoding="utf-8",
    )
    corpus = Corpus(folder, tmp_path / "index")
    corpus.update()
    maire, course = (corpus.resolve(name) for name in ("maire", "course"))
    in_maire = {m.text: m.entity for m in corpus.article(maire).mentions}
    in_course = {m.text: m.entity for m in corpus.article(course).mentions}
    assert in_maire["Laurent"] == in_maire["Émile Laurent"]
    assert in_course["Laurent"] != in_maire["Émile Laurent"]
    emile = corpus.entity("Émile Laurent")
    assert emile.articles == (maire,)
    assert corpus.search_ids('entity:"Émile Laurent"') == [maire]


def test_an_acronym_in_brackets_is_the_name_before_it_whatever_its_initials() -> None:
    text = "Le Haut-Commissariat des Nations unies pour les réfugiés (HCR) et São Paulo (SPSP)."
    mentions = [
        mention_in(text, "Haut-Commissariat des Nations unies pour les réfugiés"),
        mention_in(text, "São Paulo"),
    ]
    # (`SPSP` has more letters than `São Paulo` has words: the name is cut short)
    pairs = bracketed_acronyms(text, mentions)
    assert pairs == [("Haut-Commissariat des Nations unies pour les réfugiés", "HCR")]
    # a word in brackets is an acronym only if it is the name's initials
    assert (
        bracketed_acronyms("Conseil de sécurité (Chine)", [stat_mention("Conseil de sécurité")])
        == []
    )
    assert bracketed_acronyms(
        "Confédération africaine de football (Caf)",
        [stat_mention("Confédération africaine de football")],
    ) == [("Confédération africaine de football", "Caf")]

    result = resolve(
        [
            stat("Haut-Commissariat des Nations unies pour les réfugiés", "ORG", 2),
            stat("HCR", "ORG", 4),
        ],
        territories=TERRITORIES,
        places=TERRITORIES,
        bracketed=pairs,
    )
    assert (
        result.alias_of["HCR"]
        == result.alias_of["Haut-Commissariat des Nations unies pour les réfugiés"]
    )


def test_an_acronym_written_after_two_different_names_stays_alone() -> None:
    result = resolve(
        [stat("Parti socialiste", "ORG"), stat("Police scientifique", "ORG"), stat("PS", "ORG", 3)],
        territories=TERRITORIES,
        places=TERRITORIES,
        bracketed=[("Parti socialiste", "PS"), ("Police scientifique", "PS")],
    )
    assert result.alias_of["PS"] not in {
        result.alias_of["Parti socialiste"],
        result.alias_of["Police scientifique"],
    }


def stat_mention(name: str) -> RawMention:
    return RawMention(0, len(name), name, "ORG")


def mention_in(text: str, name: str) -> RawMention:
    return RawMention(text.index(name), text.index(name) + len(name), name, "ORG")


def test_a_name_that_opens_with_an_acronym_is_the_acronym_of_its_words() -> None:
    result = resolved(
        [
            stat("RD Congo", "LOC", 3),
            stat("RDC", "LOC", 4),
            stat("US Army", "ORG", 2),
            stat("USA", "LOC", 5),
        ]
    )
    assert result.alias_of["RD Congo"] == result.alias_of["RDC"]
    assert result.alias_of["US Army"] != result.alias_of["USA"]


def test_a_name_with_a_number_hyphened_to_it_is_the_name() -> None:
    result = resolved(
        [
            stat("Covid-19", "MISC", 7),
            stat("Covid", "PER", 3),
            stat("TSR 1", "ORG"),
            stat("TSR", "ORG", 2),
            stat("Euro-2016", "MISC"),
            stat("Euro-2020", "MISC"),
            stat("Euro", "MISC", 2),
        ]
    )
    assert result.alias_of["Covid"] == result.alias_of["Covid-19"]
    covid = next(e for e in result.entities if e.id == result.alias_of["Covid"])
    assert covid.label == "MISC"
    # a number after a space is a thing of its own; two numbers leave the name alone
    assert result.alias_of["TSR 1"] != result.alias_of["TSR"]
    assert result.alias_of["Euro"] not in {
        result.alias_of["Euro-2016"],
        result.alias_of["Euro-2020"],
    }


def test_a_person_run_into_the_body_he_is_of_is_the_person() -> None:
    result = resolved(
        [
            stat("Ahmad de la Caf", "PER", 3),
            stat("Ahmad", "PER", 5),
            stat("CAF", "ORG", 6),
            stat("Charles de Gaulle", "PER", 4),
            stat("Gaulle", "PER", 1),
        ]
    )
    ahmad = next(e for e in result.entities if e.id == result.alias_of["Ahmad de la Caf"])
    assert ahmad.name == "Ahmad" and result.alias_of["Ahmad"] == ahmad.id
    assert result.alias_of["CAF"] != ahmad.id
    assert result.alias_of["Charles de Gaulle"] == result.alias_of["Gaulle"]


def test_the_kind_of_an_entity_is_mended_where_the_corpus_disagrees_with_the_model() -> None:
    uber = SurfaceStats("Uber", Counter({"PER": 9, "ORG": 3, "LOC": 1, "MISC": 1}), 14)
    messi = SurfaceStats("Messi", Counter({"PER": 8, "ORG": 1}), 9)
    result = resolved(
        [
            uber,
            messi,
            stat("Caf", "LOC", 40),
            stat("CAF", "ORG", 8),
            stat("Confédération africaine de football", "LOC", 4),
        ]
    )
    kind = {e.id: e.label for e in result.entities}
    assert kind[result.alias_of["Uber"]] == "ORG"  # a third of its mentions say it is no person
    assert kind[result.alias_of["Messi"]] == "PER"
    # an acronym with its expansion is no place (unless a country is among them)
    assert kind[result.alias_of["Confédération africaine de football"]] == "ORG"


def test_a_name_shows_without_its_title() -> None:
    result = resolved([stat("professeur Calder", "PER", 5), stat("Calder", "PER", 3)])
    assert [e.name for e in result.entities] == ["Calder"]


def test_a_place_its_articles_also_write_in_small_letters_is_a_common_noun() -> None:
    written_lowercase = {"état": 20, "nord": 19, "bière": 2}

    def case_counts(surfaces: list[str]) -> tuple[int, int]:
        return sum(written_lowercase.get(s.lower(), 0) for s in surfaces), 30

    result = resolve(
        [
            stat("État", "LOC", 60),
            stat("Nord", "LOC", 8),
            stat("Bière", "LOC", 5),  # a town: two articles write the drink
            stat("Paris", "LOC", 40),
            stat("Chambre", "ORG", 9),  # a body, not a place
        ],
        territories=TERRITORIES,
        places=TERRITORIES,
        case_counts=case_counts,
    )
    assert set(result.alias_of) == {"Bière", "Paris", "Chambre"}


def test_the_catalog_counts_the_articles_that_write_a_word_in_small_letters(
    tmp_path: Path,
) -> None:
    from index.search.spelling import counts
    from index.storage.catalog import Catalog

    catalog = Catalog(tmp_path / "catalog.sqlite")
    articles = [["L'État a parlé."], ["Un état de crise, l'État."], ["Un état."], ["Paris."]]
    catalog.update_vocabulary(counts(articles))
    assert catalog.vocabulary() == {"état": 3, "parlé": 1, "crise": 1, "paris": 1}
    assert catalog.lowercase_df(["état"]) == 2
    assert catalog.lowercase_df(["paris"]) == 0
    # an article removed takes its counts with it
    catalog.update_vocabulary({word: -n for word, n in counts(articles[2:]).items()})
    assert catalog.lowercase_df(["état"]) == 1
    catalog.close()


def test_a_surname_and_the_surname_with_a_letter_after_it_are_two_families() -> None:
    stats = [stat("Lauren", "PER", 5), stat("Laurens", "PER", 3), stat("Julien Laurens", "PER")]
    apart = {"Lauren": {"novel"}, "Laurens": {"football"}, "Julien Laurens": {"football"}}
    result = resolved(stats, apart)
    assert result.alias_of["Lauren"] != result.alias_of["Laurens"]
    together = {"Lauren": {"football"}, "Laurens": {"football"}, "Julien Laurens": {"football"}}
    result = resolved(stats, together)
    assert result.alias_of["Lauren"] == result.alias_of["Laurens"]


def test_a_title_and_a_name_that_is_a_bodys_acronym_is_not_the_body() -> None:
    result = resolved(
        [
            stat("CAF", "ORG", 8),
            stat("Confédération africaine de football", "ORG", 3),
            stat("comte de Câf", "PER"),
            stat("DUPONT", "PER", 2),
            stat("M. Dupont", "PER", 3),
        ]
    )
    assert result.alias_of["comte de Câf"] != result.alias_of["CAF"]
    assert result.alias_of["M. Dupont"] == result.alias_of["DUPONT"]
