"""The alias rules one by one, on surface forms made up for each (no corpus, no model)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from index import Corpus
from index.entities.aliases import Resolution, SurfaceStats, resolve

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
