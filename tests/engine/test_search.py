"""Corpus.search and Corpus.find_hits on the indexed seeds (and one small tmp corpus).

Expected sets are read from the seed files themselves where they can be, so a
test says "the articles that write X" rather than a list copied from the output.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from index import Corpus, QueryError, SearchResult
from index.analysis import MAX_WORD_CHARS
from index.search.spelling import vocabulary_of


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _ids(result: SearchResult) -> set[str]:
    return {hit.id[:3] for hit in result.results}


def _search(corpus: Corpus, query: str, **kwargs) -> set[str]:
    result = corpus.search(query, **kwargs)
    assert result.total == len(result.results), "all hits fit in the default limit here"
    return _ids(result)


# -- words ---------------------------------------------------------------------------------


def test_veto(corpus: Corpus, seeds) -> None:
    result = corpus.search("veto")
    assert result.total == 3
    assert _ids(result) == {"000", "003", "004"}
    assert _ids(result) == seeds.containing(r"\bveto\b")
    assert result.query == "veto"


def test_etats_unis_without_accent(corpus: Corpus, seeds) -> None:
    expected = seeds.containing(r"[ÉE]tats-Unis")
    assert expected == {"000", "001", "002", "004"}  # the seeds as they are
    assert _search(corpus, "etats-unis") == expected
    assert _search(corpus, "États-Unis") == expected


def test_cosmonautes(corpus: Corpus) -> None:
    assert _search(corpus, "cosmonautes") == {"002"}
    assert _search(corpus, "cosmonaute") == {"002"}


def test_case_and_accents_are_ignored(corpus: Corpus) -> None:
    upper = corpus.search("CORÉE")
    plain = corpus.search("coree")
    assert upper.total == plain.total == 5
    assert [(h.id, h.score) for h in upper.results] == [(h.id, h.score) for h in plain.results]
    everywhere = {"000", "001", "002", "003", "004"}
    assert _search(corpus, "Pyongyang") == _search(corpus, "PYONGYANG") == everywhere
    assert _search(corpus, "oeil") == _search(corpus, "œil") == {"001"}


def test_plural_finds_singular_and_plural(corpus: Corpus, seeds) -> None:
    expected = seeds.containing(r"\bmunitions?\b")
    assert len(expected) >= 3
    assert _search(corpus, "munition") == expected
    assert _search(corpus, "munitions") == expected


def test_verb_forms(corpus: Corpus, seeds) -> None:
    expected = seeds.containing(r"\baccus\w*")
    assert {"000", "003", "004"} <= expected
    assert "accusent" in seeds.text("000") and "accusé" in seeds.text("004")
    assert _search(corpus, "accuse") == expected
    assert _search(corpus, "accusent") == expected
    assert _search(corpus, "accusé") == expected
    words_000 = {corpus.article("000").text[s:e] for s, e in corpus.find_hits("000", "accuse")}
    assert "accusent" in words_000
    words_004 = {corpus.article("004").text[s:e] for s, e in corpus.find_hits("004", "accuse")}
    assert "accusé" in words_004


# -- phrases and operators ----------------------------------------------------------------------


def test_phrase(corpus: Corpus, seeds) -> None:
    assert seeds.containing(r"neuf mois") == {"000", "003"}
    assert _search(corpus, '"neuf mois"') == {"000", "003"}
    assert _search(corpus, '"Vladimir Poutine"') == seeds.containing(r"Vladimir Poutine")


@pytest.mark.parametrize(
    "phrase",
    [
        '"mois neuf"',  # both words, wrong order
        '"neuf Poutine"',  # same sentence ("neuf mois après que Vladimir Poutine"), not adjacent
        '"veto cosmonautes"',  # never in one article
    ],
)
def test_phrase_needs_adjacent_words(corpus: Corpus, phrase: str) -> None:
    result = corpus.search(phrase)
    assert result.total == 0
    assert result.results == ()


def test_and_or_not(corpus: Corpus) -> None:
    assert _search(corpus, "veto AND cosmonautes") == set()
    assert _search(corpus, "veto OR cosmonautes") == {"000", "002", "003", "004"}
    assert _search(corpus, "NOT veto") == {"001", "002"}
    assert _search(corpus, "title:kim AND veto") == {"003"}
    washington = _search(corpus, "washington")
    veto = _search(corpus, "veto")
    assert washington and veto and washington != veto
    assert _search(corpus, "veto AND washington") == veto & washington
    assert _search(corpus, "veto washington") == veto & washington  # AND is the default
    assert _search(corpus, "veto OR washington") == veto | washington
    assert _search(corpus, "veto NOT washington") == veto - washington
    assert _search(corpus, "(veto OR cosmonautes) AND NOT title:kim") == {"000", "002", "004"}


def test_wildcard(corpus: Corpus, seeds) -> None:
    expected = seeds.containing(r"\bnucl", fold=True)
    assert expected == {"001", "002", "003", "004"}
    assert _search(corpus, "nucl*") == expected
    assert _search(corpus, "cosmona*") == {"002"}


def test_title_field(corpus: Corpus) -> None:
    assert _search(corpus, "title:kim") == {"001", "003"}
    assert _search(corpus, "title:armements") == {"001"}
    assert _search(corpus, "title:veto") == set()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date:2024", {"000"}),
        ("date:2024-06", {"000"}),
        ("date:2023-09", {"002"}),
        ("date:2023", {"002"}),
        ("date:2022", set()),
        ("veto AND date:2024", {"000"}),
    ],
)
def test_date_field(corpus: Corpus, query: str, expected: set[str]) -> None:
    assert _search(corpus, query) == expected


# -- ranking -----------------------------------------------------------------------------------


def test_results_are_sorted_by_score(corpus: Corpus) -> None:
    result = corpus.search("Poutine Pyongyang")
    scores = [hit.score for hit in result.results]
    assert len(scores) >= 3
    assert scores == sorted(scores, reverse=True)
    assert all(score > 0 for score in scores)


def test_limit_keeps_the_total(corpus: Corpus) -> None:
    full = corpus.search("coree")
    limited = corpus.search("coree", limit=2)
    assert limited.total == full.total == 5
    assert [hit.id for hit in limited.results] == [hit.id for hit in full.results[:2]]


def test_a_title_word_ranks_above_a_body_word(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    filler = (
        "Le programme prévoit plusieurs lancements depuis le pas de tir, selon l'agence, "
        "et la coopération internationale reste au cœur des discussions de cette année."
    )
    (root / "a.txt").write_text(
        f"Les cosmonautes de Baïkonour\n\n{filler}\n\nUn second paragraphe sans surprise.\n",
        encoding="utf-8",
    )
    (root / "b.txt").write_text(
        "Un programme spatial ambitieux\n\n"
        f"{filler} Les cosmonautes s'entraînent, et les cosmonautes attendent.\n\n"
        "Un second paragraphe sans surprise.\n",
        encoding="utf-8",
    )
    for name in ("c", "d", "e"):
        (root / f"{name}.txt").write_text(
            f"Un article {name} sur la pêche\n\n{filler}\n\nRien sur l'espace ici.\n",
            encoding="utf-8",
        )
    corpus = Corpus(root, tmp_path / "index")
    try:
        corpus.update()
        assert corpus.article("a").title == "Les cosmonautes de Baïkonour"
        result = corpus.search("cosmonautes")
        assert [hit.id for hit in result.results] == ["a", "b"]
        assert result.results[0].score > result.results[1].score
    finally:
        corpus.close()


# -- hits, snippets and offsets -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "word"),
    [("veto", r"veto"), ("munition", r"munitions?"), ("etats-unis", r"etats|unis")],
)
def test_snippets_mark_the_matched_words(corpus: Corpus, query: str, word: str) -> None:
    result = corpus.search(query)
    assert result.results
    for hit in result.results:
        article = corpus.article(hit.id)
        assert (hit.title, hit.date, hit.path) == (article.title, article.date, article.path)
        snippet = hit.snippet
        assert snippet.text and snippet.text in article.text
        assert len(snippet.text) <= 300
        assert snippet.marks, hit.id
        for start, end in snippet.marks:
            assert 0 <= start < end <= len(snippet.text)
            assert re.fullmatch(word, _fold(snippet.text[start:end])), snippet.text[start:end]
        assert list(snippet.marks) == sorted(snippet.marks)


def test_find_hits_offsets(corpus: Corpus) -> None:
    text = corpus.article("000").text
    spans = corpus.find_hits("000", "veto")
    assert [text[s:e] for s, e in spans] == ["veto"] * len(re.findall(r"\bveto\b", text))
    assert len(spans) == 1

    text = corpus.article("001").text
    spans = corpus.find_hits("001", "etats-unis")
    words = [text[s:e] for s, e in spans]
    occurrences = re.findall(r"([ÉE]tats)-(Unis)", text)
    assert len(occurrences) == 3
    assert words == [word for pair in occurrences for word in pair]
    assert spans == sorted(spans)


def test_find_hits_of_wildcard_and_title(corpus: Corpus) -> None:
    text = corpus.article("004").text
    words = {_fold(text[s:e]) for s, e in corpus.find_hits("004", "nucl*")}
    assert words and all(word.startswith("nucl") for word in words)
    title = corpus.article("001").title
    spans = corpus.find_hits("001", "title:armements")
    assert spans and corpus.article("001").text[spans[0][0] : spans[0][1]] == "armements"
    assert spans[0][1] <= len(title)


def test_find_hits_accepts_a_prefix_and_finds_nothing_absent(corpus: Corpus) -> None:
    assert corpus.find_hits("002", "veto") == []
    assert corpus.find_hits("002", "cosmonautes") == corpus.find_hits(
        corpus.resolve("002"), "cosmonautes"
    )


# -- did you mean ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [
        ("vetto", "veto"),
        ("Vetto", "Veto"),
        ("pyongang", "pyongyang"),
        ("vetto russie", "veto russie"),
        ("veto", None),
        ("cosmonautes", None),
        ("Poutine", None),
        ("munitions AND veto", None),
        ("presidnet", "président"),  # suggested as the corpus writes it, accents included
        ("title:kimm", "title:kim"),  # the field's value is corrected, not its name
        ("date:2024 vetto", "date:2024 veto"),
        ("pyong*", None),  # a wildcard's stem is no misspelling
        ("Pyongyan~1", None),
    ],
)
def test_did_you_mean(corpus: Corpus, query: str, suggestion: str | None) -> None:
    assert corpus.search(query).suggestion == suggestion


def test_misspelling_finds_nothing_but_suggests(corpus: Corpus) -> None:
    result = corpus.search("vetto")
    assert result.total == 0
    assert corpus.search(result.suggestion or "").total == 3


def test_the_words_to_suggest_are_whole_runs_of_letters_the_index_takes() -> None:
    longest = "y" * MAX_WORD_CHARS
    text = f"Le Président a dit {'x' * (MAX_WORD_CHARS + 1)} et {longest}, «abc2def» l’armée."
    assert vocabulary_of([text]) == {"président", "dit", longest, "abc", "def", "armée"}


# -- malformed queries -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("title:(", "'('"),
        ('"neuf mois', "phrase"),
        ("a)", "')'"),
        ("foo:bar", "foo"),
        ("*", "everything"),
        ("", "empty"),
        ("   ", "empty"),
        ("()", "nothing to search"),
        ("OR OR", "nothing to search"),
        ("les", "common words"),
    ],
)
def test_malformed_query_raises(corpus: Corpus, query: str, says: str) -> None:
    with pytest.raises(QueryError) as caught:
        corpus.search(query)
    message = str(caught.value)
    assert says in message
    assert "\n" not in message and len(message) < 200


def test_a_lone_not_finds_the_articles_without_the_word(corpus: Corpus) -> None:
    found = {hit.id[:3] for hit in corpus.search("NOT veto").results}
    assert found == {"001", "002"}


# -- within --------------------------------------------------------------------------------------


def test_within_restricts(corpus: Corpus, seeds) -> None:
    ids = seeds.ids
    assert _search(corpus, "veto", within=[ids["000"]]) == {"000"}
    assert _search(corpus, "veto", within=[ids["000"], ids["001"], ids["004"]]) == {"000", "004"}
    assert _search(corpus, "veto", within=[ids["001"], ids["002"]]) == set()
    assert _search(corpus, "cosmonautes OR veto", within=(ids["002"], ids["003"])) == {"002", "003"}


@pytest.mark.parametrize("within", [[], ["no-such-article"]], ids=["empty", "unknown-id"])
def test_within_nothing_finds_nothing(corpus: Corpus, within: list[str]) -> None:
    """A selection of no indexed article (an entity filter that keeps none) finds nothing."""
    result = corpus.search("veto", within=within)
    assert result.results == ()
    assert result.total == 0


def test_a_pattern_found_too_often_is_refused_before_the_search(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`a*` on 10,000 articles walks 300,000 postings (4 s): refused at once instead.
    Here the bound is lowered to the seeds' size."""
    import index.search.query

    frequent = corpus.search("pr*").total
    assert frequent > 0
    monkeypatch.setattr(index.search.query, "MAX_PATTERN_POSTINGS", 10)
    with pytest.raises(QueryError, match="match too many words in too many articles"):
        corpus.search("pr*")
    with pytest.raises(QueryError, match="too many"):
        corpus.search_ids("pr*")
    assert corpus.search("guerre").total > 0  # plain words are not patterns
