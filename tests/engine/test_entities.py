"""Entities: one identity per name across spellings and languages, clean mentions,
`entity:` search, counts, the user's corrections, and incremental re-resolution.

Read-only checks run on the session's indexed seeds (`corpus`); every test that
corrects entities or edits a file works on `indexed_copy`, a copy of the seeds
and of their index made in tmp (no model run). Expected values are computed
from the seeds' text and the article mentions wherever they can be.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

import index.entities.entity_pass
from index import (
    Article,
    Corpus,
    Entity,
    EntityError,
    Mention,
    PresseError,
    QueryError,
    UnknownEntity,
)
from index.entities.corrections import Correction
from index.entities.mentions import clean_spans
from index.entities.ner import Span

PROJECT = Path(__file__).resolve().parents[2]
LABELS = {"PER", "LOC", "ORG", "MISC"}
ALL = {"000", "001", "002", "003", "004"}
# A photo credit closing a caption: `- AFP/GAVRIIL GRIGOROV`, `- SPUTNIK/ … via REUTERS`.
CREDIT = re.compile(r"\s[-–]\s*[A-Z][A-Z]+\s*/")


# -- helpers --------------------------------------------------------------------------------


def _articles(corpus: Corpus) -> list[Article]:
    return [corpus.article(summary.id) for summary in corpus.articles()]


def _mentions(corpus: Corpus) -> list[tuple[Article, Mention]]:
    return [(article, m) for article in _articles(corpus) for m in article.mentions]


def _hits(corpus: Corpus, query: str) -> set[str]:
    """Short ids of the articles `query` finds; each article found once, all of them listed."""
    result = corpus.search(query, limit=50)
    ids = [hit.id[:3] for hit in result.results]
    assert len(ids) == len(set(ids)), f"{query!r} found an article twice: {ids}"
    assert result.total == len(ids)
    return set(ids)


def _reopened_hits(indexed, query: str) -> set[str]:
    """What another process (the CLI) finds: a new Corpus on the same index."""
    other = Corpus(indexed.root, indexed.index_dir)
    try:
        return _hits(other, query)
    finally:
        other.close()


def _named(corpus: Corpus, entity: Entity) -> set[str]:
    """Short ids of the articles with a mention of `entity`, from the mentions themselves."""
    return {a.id[:3] for a, m in _mentions(corpus) if m.entity == entity.id}


def _covering(article: Article, start: int, end: int) -> Mention | None:
    for mention in article.mentions:
        if mention.start <= start and end <= mention.end:
            return mention
    return None


def _occurrences(article: Article, pattern: str, lang: str | None = None) -> list[re.Match[str]]:
    """Matches of `pattern` in the article's text, in passages of `lang` if given."""
    found = []
    for match in re.finditer(pattern, article.text):
        passage = next(p for p in article.passages if p.start <= match.start() < p.end)
        if lang is None or passage.lang == lang:
            found.append(match)
    return found


def _state(corpus: Corpus) -> tuple[list[Entity], list[tuple[str, tuple[Mention, ...]]]]:
    """Everything a correction can change: the entities and every article's mentions."""
    return corpus.entities(hidden=True), [(a.id, a.mentions) for a in _articles(corpus)]


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path.relative_to(root)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in [root, *sorted(root.rglob("*"))]
    }


def _alias_set(entities: Iterable[Entity]) -> set[str]:
    return {alias for entity in entities for alias in (entity.name, *entity.aliases)}


# -- alias groups --------------------------------------------------------------------------------


def test_poutine_is_one_entity_in_every_spelling(corpus: Corpus) -> None:
    poutine = corpus.entity("Poutine")
    assert (poutine.name, poutine.label) == ("Vladimir Poutine", "PER")
    spellings = {"Vladimir Poutine", "Poutine", "V. Poutine", "Vladimir Putin"}
    assert spellings <= set(poutine.aliases)
    for spelling in spellings:
        assert corpus.entity(spelling).id == poutine.id
    assert corpus.entity(poutine.id) == poutine
    assert _named(corpus, poutine) == ALL


def test_m_dot_poutine_is_a_mention_of_poutine(corpus: Corpus) -> None:
    article = corpus.article("002")
    (title,) = _occurrences(article, r"M\.Poutine")
    start = title.start() + len("M.")
    mention = _covering(article, start, title.end())
    assert mention is not None, "the Poutine of M.Poutine is a mention"
    assert (mention.start, mention.end, mention.text) == (start, title.end(), "Poutine")
    assert (mention.label, mention.entity) == ("PER", corpus.entity("Poutine").id)


def test_every_poutine_is_a_mention_of_him(corpus: Corpus) -> None:
    poutine = corpus.entity("Poutine").id
    found = 0
    for article in _articles(corpus):
        for match in _occurrences(article, r"\bPoutine\b"):
            mention = _covering(article, match.start(), match.end())
            assert mention is not None and mention.entity == poutine, (article.id, match)
            found += 1
    assert found > 35


def test_vladimir_putin_of_the_spanish_captions_is_poutine(corpus: Corpus) -> None:
    article = corpus.article("001")
    putins = _occurrences(article, r"Vladimir Putin\b", lang="es")
    assert len(putins) == 4  # one in each Spanish caption but the last (Donald Trump)
    poutine = corpus.entity("Vladimir Poutine").id
    for match in putins:
        mention = _covering(article, match.start(), match.end())
        assert mention is not None and mention.entity == poutine, match


def test_kim_jong_un_spellings_are_one_entity(corpus: Corpus) -> None:
    kim = corpus.entity("Kim Jong Un")
    assert kim.label == "PER"
    assert {"Kim Jong-un", "Kim Jong Un", "Kim Jung-un"} <= set(kim.aliases)
    for spelling in ("Kim Jong-un", "Kim Jung-un", "kim jong un", "KIM JONG-UN"):
        assert corpus.entity(spelling).id == kim.id
    assert "Kim Jung-un" in corpus.article("003").text


def test_every_kim_jong_un_is_a_mention(corpus: Corpus) -> None:
    kim = corpus.entity("Kim Jong Un")
    for article in _articles(corpus):
        for match in _occurrences(article, r"Kim J[ou]ng[- ][Uu]n\b"):
            mention = _covering(article, match.start(), match.end())
            assert mention is not None and mention.entity == kim.id, (article.id, match)


def test_kim_jong_il_is_another_person(corpus: Corpus) -> None:
    father = corpus.entity("Kim Jong-il")
    son = corpus.entity("Kim Jong-un")
    assert father.id != son.id
    assert father.label == "PER"
    assert {"Kim Jong-il", "Kim Jong Il"} <= set(father.aliases)
    assert corpus.entity("Kim Jong Il").id == father.id
    assert not {"Kim Jong-il", "Kim Jong Il"} & set(son.aliases)
    found = 0
    for article in _articles(corpus):
        for match in _occurrences(article, r"Kim Jong[- ][Ii]l\b"):
            mention = _covering(article, match.start(), match.end())
            assert mention is not None and mention.entity == father.id, (article.id, match)
            found += 1
    assert found == 3
    assert _named(corpus, father) == {"000", "001", "003"}


def test_peskov_with_an_initial_is_peskov(corpus: Corpus) -> None:
    peskov = corpus.entity("Dmitri Peskov")
    assert corpus.entity("D. Peskov").id == peskov.id
    assert {"D. Peskov", "Dmitri Peskov"} <= set(peskov.aliases)
    assert (peskov.name, peskov.label, peskov.count) == ("Dmitri Peskov", "PER", 2)


def test_etats_unis_with_or_without_accent(corpus: Corpus) -> None:
    usa = corpus.entity("États-Unis")
    assert corpus.entity("Etats-Unis").id == usa.id
    assert {"États-Unis", "Etats-Unis"} <= set(usa.aliases)
    assert usa.label == "LOC"


def test_north_korea_in_every_name_and_language(corpus: Corpus) -> None:
    north = corpus.entity("Corée du Nord")
    assert (north.name, north.label) == ("Corée du Nord", "LOC")
    for name in ("RPDC", "Corea del Norte", "Corée du nord"):
        assert name in north.aliases
        assert corpus.entity(name).id == north.id
    assert corpus.entity("Corée du Sud").id != north.id
    assert corpus.entity("Corea del Sur").id == corpus.entity("Corée du Sud").id


@pytest.mark.parametrize(
    ("spanish", "french"), [("Rusia", "Russie"), ("Moscú", "Moscou"), ("Ucrania", "Ukraine")]
)
def test_spanish_place_names_are_the_french_places(
    corpus: Corpus, spanish: str, french: str
) -> None:
    entity = corpus.entity(spanish)
    assert entity.id == corpus.entity(french).id
    assert entity.name == french
    assert spanish in entity.aliases


# -- cleanup -----------------------------------------------------------------------------------


def test_no_mention_starts_with_an_elided_word_or_an_article(corpus: Corpus) -> None:
    bad = re.compile(r"(?:qu|n|s|c|l|d)['’]|(?:la|le|les)\s", re.IGNORECASE)
    found = [(a.id[:3], m.text) for a, m in _mentions(corpus) if bad.match(m.text)]
    assert found == []
    # (None of the seeds' names begins with an article, so no alias may either.)
    assert [alias for alias in _alias_set(corpus.entities()) if bad.match(alias)] == []


def test_capitalised_sentence_openers_are_not_entities(corpus: Corpus, seeds) -> None:
    assert seeds.containing(r"\bSigne du\b") == {"002"}
    assert seeds.containing(r"\bSurveiller de près\b") == {"003"}
    aliases = {alias.casefold() for alias in _alias_set(corpus.entities(hidden=True))}
    for word in ("Signe", "Surveiller"):
        assert word.casefold() not in aliases
        with pytest.raises(UnknownEntity):
            corpus.entity(word)
    texts = {m.text for _a, m in _mentions(corpus)}
    assert not {"Signe", "Surveiller"} & texts


@pytest.mark.parametrize("name", ["Pentagone", "Chine"])
def test_names_after_an_article_are_entities(corpus: Corpus, name: str) -> None:
    entity = corpus.entity(name)
    assert (entity.name, entity.label) == (name, "LOC")
    assert entity.aliases == (name,)
    for article in _articles(corpus):
        for match in _occurrences(article, rf"\b(?:le|la) {name}\b"):
            mention = _covering(article, match.end() - len(name), match.end())
            assert mention is not None, (article.id, match)
            assert (mention.text, mention.entity) == (name, entity.id)


def test_the_cleanup_never_cuts_coree_du_nord(corpus: Corpus) -> None:
    """`du` inside a name is no leading article: the mentions of the entity that write
    `Corée` write all of `Corée du Nord`."""
    north = corpus.entity("Corée du Nord")
    texts = Counter(m.text for _a, m in _mentions(corpus) if m.entity == north.id)
    assert {text for text in texts if text.startswith("Corée")} == {
        "Corée du Nord",
        "Corée du nord",
    }
    assert not any(alias.casefold() in {"nord", "du nord"} for alias in north.aliases)


def test_every_coree_du_nord_is_one_whole_mention(corpus: Corpus) -> None:
    north = corpus.entity("Corée du Nord").id
    for article in _articles(corpus):
        for match in _occurrences(article, r"Corée du [Nn]ord\b", lang="fr"):
            mention = _covering(article, match.start(), match.end())
            assert mention is not None, (article.id, match.start(), match.group())
            assert (mention.start, mention.end, mention.entity) == (
                match.start(),
                match.end(),
                north,
            )


def test_mentions_are_exact_clean_and_in_order(corpus: Corpus) -> None:
    entity_ids = {e.id for e in corpus.entities()}
    total = 0
    for article in _articles(corpus):
        previous_end = 0
        for m in article.mentions:
            total += 1
            assert article.text[m.start : m.end] == m.text, m
            assert previous_end <= m.start < m.end, m  # sorted, never overlapping
            previous_end = m.end
            assert m.text[0].isalnum() and m.text[-1].isalnum(), m  # no punctuation around
            assert m.text == " ".join(m.text.split()), m
            assert m.label in LABELS, m
            assert m.entity in entity_ids, m
            passage = next(p for p in article.passages if p.start <= m.start < p.end)
            assert m.end <= passage.end, m  # inside one passage
    assert total > 300


def test_iter_articles_carries_the_mentions(corpus: Corpus) -> None:
    assert [(a.id, a.mentions) for a in corpus.iter_articles()] == [
        (a.id, a.mentions) for a in _articles(corpus)
    ]


def test_no_mention_is_punctuation_only(corpus: Corpus) -> None:
    assert [m for _a, m in _mentions(corpus) if not any(c.isalpha() for c in m.text)] == []


def test_a_title_or_an_initial_alone_names_nobody() -> None:
    text = "M. le président a reçu M. Dupont, J. et Mme Curie. MM. les députés, Dr."

    def spans(*surfaces: str) -> list[Span]:
        found, at = [], 0
        for surface in surfaces:
            at = text.index(surface, at)
            found.append(Span(at, at + len(surface), "PER"))
            at += len(surface)
        return found

    mentions = clean_spans(text, spans("M.", "M. Dupont", "J.", "Mme Curie", "MM.", "Dr."))
    assert [(m.text, m.label) for m in mentions] == [("Dupont", "PER"), ("Curie", "PER")]


def test_entity_labels(corpus: Corpus) -> None:
    entities = corpus.entities()
    assert {e.label for e in entities} <= LABELS
    assert {"PER", "LOC", "ORG"} <= {e.label for e in entities}
    for label in LABELS:
        assert corpus.entities(label=label) == [e for e in entities if e.label == label]


def test_no_mention_inside_a_photo_credit(corpus: Corpus) -> None:
    credits = 0
    for article in _articles(corpus):
        for passage in article.passages:
            if passage.kind != "caption":
                continue
            match = CREDIT.search(article.passage_text(passage))
            if match is None:
                continue
            credits += 1
            start = passage.start + match.start()
            inside = [m for m in article.mentions if start <= m.start < passage.end]
            assert inside == [], article.passage_text(passage)[match.start() :]
    assert credits == 10  # the ten captions of 001, Spanish and French


# -- the Spanish captions -------------------------------------------------------------------------


def test_spanish_captions_are_tagged_with_the_french_entities(corpus: Corpus) -> None:
    article = corpus.article("001")
    spanish = [p for p in article.passages if p.lang == "es"]
    assert len(spanish) == 5
    assert all(p.kind == "caption" for p in spanish)
    in_french = {
        m.entity
        for a in _articles(corpus)
        for m in a.mentions
        for p in a.passages
        if p.lang == "fr" and p.start <= m.start < p.end
    }
    for passage in spanish:
        mentions = [m for m in article.mentions if passage.start <= m.start < passage.end]
        assert mentions, article.passage_text(passage)
        for m in mentions:
            assert m.entity in in_french, m
    first = spanish[0]
    in_first = {(m.text, m.entity) for m in article.mentions if first.start <= m.start < first.end}
    assert in_first == {
        ("Rusia", corpus.entity("Russie").id),
        ("Vladimir Putin", corpus.entity("Poutine").id),
        ("Corea del Norte", corpus.entity("Corée du Nord").id),
        ("Kim Jong Un", corpus.entity("Kim Jong-un").id),
        ("Pyongyang", corpus.entity("Pyongyang").id),
    }


# -- search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kim Jong Un", ALL),
        ("Poutine", ALL),
        ("Kim Jong-il", {"000", "001", "003"}),
        ("Dmitri Peskov", {"002"}),
        ("Pentagone", {"001", "003"}),
    ],
)
def test_entity_search_finds_every_article_naming_it(
    corpus: Corpus, name: str, expected: set[str]
) -> None:
    entity = corpus.entity(name)
    assert _named(corpus, entity) == {a[:3] for a in entity.articles} == expected
    for spelling in {name, entity.name, entity.id, *entity.aliases}:
        assert _hits(corpus, f'entity:"{spelling}"') == expected, spelling
    if " " not in name:
        assert _hits(corpus, f"entity:{name}") == expected


def test_entity_search_combines_with_words(corpus: Corpus) -> None:
    expected = _hits(corpus, "entity:Pentagone") & _hits(corpus, "veto")
    assert expected == {"003"}
    assert _hits(corpus, "entity:Pentagone AND veto") == expected
    assert _hits(corpus, 'entity:"Kim Jong-il" OR entity:"Dmitri Peskov"') == {
        "000",
        "001",
        "002",
        "003",
    }


def test_entity_search_of_an_unknown_name_is_a_query_error(corpus: Corpus) -> None:
    with pytest.raises(QueryError, match="Zorglub"):
        corpus.search("entity:Zorglub")
    with pytest.raises(QueryError):
        corpus.search('veto AND entity:"Jean Personne"')


# -- counts ---------------------------------------------------------------------------------------


def test_counts_are_the_mentions(corpus: Corpus) -> None:
    counts: Counter[str] = Counter()
    articles: dict[str, set[str]] = defaultdict(set)
    for article, m in _mentions(corpus):
        counts[m.entity] += 1
        articles[m.entity].add(article.id)
    entities = corpus.entities()
    assert {e.id for e in entities} == set(counts)
    for entity in entities:
        assert entity.count == counts[entity.id], entity
        assert entity.articles == tuple(sorted(articles[entity.id])), entity
    assert len({e.id for e in entities}) == len(entities)
    ranked = [(-e.count, -len(e.articles)) for e in entities]
    assert ranked == sorted(ranked)  # most mentioned first


def test_entity_lookup(corpus: Corpus) -> None:
    """By id, name or alias, case, accents and punctuation aside; never by a guess."""
    poutine = corpus.entity("Poutine")
    for name in (poutine.id, "vladimir poutine", "VLADIMIR POUTINE", "v poutine"):
        assert corpus.entity(name) == poutine
    assert corpus.entity("etats unis").id == corpus.entity("États-Unis").id
    for name in ("Putin", "Zorglub"):
        with pytest.raises(UnknownEntity) as raised:
            corpus.entity(name)
        assert isinstance(raised.value, PresseError)
        assert name in str(raised.value)


# -- corrections ---------------------------------------------------------------------------------


def test_merge(indexed_copy) -> None:
    corpus = indexed_copy.corpus
    onu, nations = corpus.entity("ONU"), corpus.entity("Nations unies")
    onu_hits, nations_hits = _hits(corpus, "entity:ONU"), _hits(corpus, 'entity:"Nations unies"')
    assert onu_hits != nations_hits
    before = len(corpus.entities())

    merged = corpus.merge_entities("ONU", "Nations unies")

    assert set(merged.aliases) == set(onu.aliases) | set(nations.aliases)
    assert merged.count == onu.count + nations.count
    assert set(merged.articles) == set(onu.articles) | set(nations.articles)
    assert corpus.entity("ONU") == corpus.entity("Nations Unies") == merged
    assert len(corpus.entities()) == before - 1
    assert merged in corpus.entities()
    mentions = [m for _a, m in _mentions(corpus) if m.text in merged.aliases]
    assert len(mentions) == merged.count
    assert {m.entity for m in mentions} == {merged.id}
    union = onu_hits | nations_hits
    assert _reopened_hits(indexed_copy, "entity:ONU") == union
    assert _reopened_hits(indexed_copy, 'entity:"Nations unies"') == union


def test_split(indexed_copy) -> None:
    corpus = indexed_copy.corpus
    poutine = corpus.entity("Poutine")

    split = corpus.split_alias("Poutine", "V. Poutine")

    assert split.aliases == ("V. Poutine",)
    assert split.id != poutine.id
    assert (split.label, split.count, split.articles) == ("PER", 3, (corpus.resolve("002"),))
    assert corpus.entity("V. Poutine") == split
    rest = corpus.entity("Poutine")
    assert "V. Poutine" not in rest.aliases
    assert set(rest.aliases) == set(poutine.aliases) - {"V. Poutine"}
    assert rest.count == poutine.count - split.count
    article = corpus.article("002")
    assert {m.entity for m in article.mentions if m.text == "V. Poutine"} == {split.id}
    assert {m.entity for m in article.mentions if m.text == "Poutine"} == {rest.id}
    assert _reopened_hits(indexed_copy, 'entity:"V. Poutine"') == {"002"}
    assert _reopened_hits(indexed_copy, "entity:Poutine") == ALL


def test_split_an_alias_of_the_spanish_captions(indexed_copy) -> None:
    corpus = indexed_copy.corpus
    split = corpus.split_alias("Poutine", "Vladimir Putin")
    assert split.aliases == ("Vladimir Putin",)
    assert "Vladimir Putin" not in corpus.entity("Vladimir Poutine").aliases


def test_rename(indexed_copy) -> None:
    corpus = indexed_copy.corpus
    poutine = corpus.entity("Poutine")

    renamed = corpus.rename_entity("Poutine", "Vladimir Vladimirovitch Poutine")

    assert renamed.name == "Vladimir Vladimirovitch Poutine"
    assert corpus.entity("Vladimir Vladimirovitch Poutine") == renamed
    assert corpus.entity("Poutine") == renamed
    assert renamed.aliases == poutine.aliases
    assert (renamed.label, renamed.count, renamed.articles) == (
        poutine.label,
        poutine.count,
        poutine.articles,
    )
    assert renamed in corpus.entities()
    assert {m.entity for _a, m in _mentions(corpus) if m.text in poutine.aliases} == {renamed.id}
    assert _reopened_hits(indexed_copy, 'entity:"Vladimir Vladimirovitch Poutine"') == ALL


def test_hide(indexed_copy) -> None:
    corpus = indexed_copy.corpus
    etat = corpus.entity("Etat")  # `visite d'Etat`, `médias d'État`: no place
    assert _hits(corpus, "entity:Etat") == {"000", "002", "004"}

    hidden = corpus.hide_entity("Etat")

    assert hidden.hidden
    assert (hidden.id, hidden.aliases) == (etat.id, etat.aliases)
    assert etat.id not in {e.id for e in corpus.entities()}
    assert hidden in corpus.entities(hidden=True)
    assert corpus.entity("État") == hidden  # still known, to be shown or taken back
    assert [m for _a, m in _mentions(corpus) if m.entity == etat.id] == []
    assert [m for _a, m in _mentions(corpus) if m.text in etat.aliases] == []
    # A hidden entity is no longer searchable: `entity:` with its name finds nothing.
    assert _reopened_hits(indexed_copy, "entity:Etat") == set()
    assert _reopened_hits(indexed_copy, "entity:Pyongyang") == ALL


def test_undo_restores_the_previous_state(indexed_copy) -> None:
    corpus = indexed_copy.corpus
    assert corpus.undo_correction() is None
    original = _state(corpus)
    corpus.merge_entities("ONU", "Nations unies")
    after_merge = _state(corpus)
    corpus.split_alias("Poutine", "V. Poutine")
    corpus.rename_entity("Kim Jong-un", "Kim Jong-un (dirigeant)")
    corpus.hide_entity("Etat")
    assert [c.action for c in corpus.corrections()] == ["merge", "split", "rename", "hide"]

    undone = [corpus.undo_correction() for _ in range(3)]
    assert [c.action for c in undone if c is not None] == ["hide", "rename", "split"]
    assert _state(corpus) == after_merge
    undone_merge = corpus.undo_correction()
    assert isinstance(undone_merge, Correction) and undone_merge.action == "merge"
    assert _state(corpus) == original
    assert corpus.undo_correction() is None
    assert corpus.corrections() == []
    assert _reopened_hits(indexed_copy, "entity:Etat") == {"000", "002", "004"}
    assert _reopened_hits(indexed_copy, 'entity:"V. Poutine"') == ALL


def test_corrections_file_is_readable_json(indexed_copy) -> None:
    corpus = indexed_copy.corpus
    path = indexed_copy.index_dir / "corrections.json"
    assert not path.exists()
    corpus.merge_entities("ONU", "Nations unies")
    corpus.hide_entity("Etat")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    listed = data["corrections"]
    assert [(c["action"], c["entity"], c["other"]) for c in listed] == [
        ("merge", "ONU", "Nations Unies"),
        ("hide", "Etat", ""),
    ]
    assert all(re.match(r"\d{4}-\d\d-\d\dT", c["at"]) for c in listed)
    assert [c.action for c in corpus.corrections()] == ["merge", "hide"]
    corpus.undo_correction()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [c["action"] for c in data["corrections"]] == ["merge"]


def test_failed_corrections_change_nothing(indexed_copy) -> None:
    corpus = indexed_copy.corpus
    before = _state(corpus)
    with pytest.raises(EntityError):
        corpus.merge_entities("Poutine", "Vladimir Putin")  # already one
    with pytest.raises(EntityError):
        corpus.split_alias("Poutine", "Kim Jong-un")  # not an alias of his
    with pytest.raises(EntityError):
        corpus.split_alias("Pentagone", "Pentagone")  # its only alias
    with pytest.raises(EntityError):
        corpus.rename_entity("Poutine", "   ")
    with pytest.raises(UnknownEntity):
        corpus.hide_entity("Zorglub")
    with pytest.raises(UnknownEntity):
        corpus.merge_entities("Poutine", "Zorglub")
    assert issubclass(EntityError, PresseError) and issubclass(UnknownEntity, PresseError)
    assert corpus.corrections() == []
    assert not (indexed_copy.index_dir / "corrections.json").exists()
    assert _state(corpus) == before


def test_corrections_survive_a_changed_file(indexed_copy) -> None:
    corpus = indexed_copy.corpus
    merged = corpus.merge_entities("ONU", "Nations unies")
    corpus.hide_entity("Etat")
    path = next(indexed_copy.root.glob("002_*.txt"))
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\nLes Nations unies et l'ONU ont protesté auprès de Moscou.\n")
    report = corpus.update()
    assert report.updated == [path.name]
    again = corpus.entity("Nations unies")
    assert corpus.entity("ONU") == again
    assert again.count > merged.count
    assert corpus.entity("Etat").hidden
    assert "etat" not in {e.id for e in corpus.entities()}
    assert [c.action for c in corpus.corrections()] == ["merge", "hide"]


def test_corrections_survive_a_rebuild(indexed_copy) -> None:
    """Catalog and Whoosh deleted: the next update reads everything again, and the
    corrections (kept beside them) still apply."""
    corpus = indexed_copy.corpus
    original = _state(corpus)
    corpus.merge_entities("ONU", "Nations unies")
    corpus.split_alias("Poutine", "V. Poutine")
    corpus.rename_entity("Kim Jong-un", "Kim Jong-un (dirigeant)")
    corpus.hide_entity("Etat")
    corrected = _state(corpus)
    assert corrected != original
    corpus.close()
    for path in indexed_copy.index_dir.iterdir():
        if path.name != "corrections.json":
            shutil.rmtree(path) if path.is_dir() else path.unlink()

    rebuilt = Corpus(indexed_copy.root, indexed_copy.index_dir)
    try:
        report = rebuilt.update()
        assert len(report.added) == 5
        assert _state(rebuilt) == corrected
        assert _hits(rebuilt, "entity:ONU") == _hits(rebuilt, 'entity:"Nations unies"')
        assert _hits(rebuilt, 'entity:"V. Poutine"') == {"002"}
        assert _hits(rebuilt, 'entity:"Kim Jong-un (dirigeant)"') == ALL
        assert _hits(rebuilt, "entity:Etat") == set()
    finally:
        rebuilt.close()


def test_corrections_never_write_the_corpus(indexed_copy) -> None:
    before = _snapshot(indexed_copy.root)
    corpus = indexed_copy.corpus
    corpus.merge_entities("ONU", "Nations unies")
    corpus.split_alias("Poutine", "V. Poutine")
    corpus.rename_entity("Pentagone", "Département de la Défense")
    corpus.hide_entity("Etat")
    corpus.undo_correction()
    corpus.update()
    assert _snapshot(indexed_copy.root) == before


def test_search_sees_a_correction_at_once(indexed_copy) -> None:
    corpus = indexed_copy.corpus
    assert _hits(corpus, "entity:Etat") == {"000", "002", "004"}
    corpus.hide_entity("Etat")
    assert _hits(corpus, "veto") == {"000", "003", "004"}
    assert _hits(corpus, "entity:Etat") == set()


def test_search_sees_an_update_at_once(indexed_copy) -> None:
    corpus = indexed_copy.corpus
    assert _hits(corpus, "veto") == {"000", "003", "004"}
    path = next(indexed_copy.root.glob("003_*.txt"))
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\nUn paragraphe de plus, sans rien de neuf.\n")
    assert corpus.update().updated == [path.name]
    assert _hits(corpus, "veto") == {"000", "003", "004"}


# -- incremental work ------------------------------------------------------------------------------


def test_current_index_answers_entities_without_spacy(indexed) -> None:
    script = f"""
import json, sys
from index import Corpus
corpus = Corpus({str(indexed.root)!r}, {str(indexed.index_dir)!r})
report = corpus.update()
entities = corpus.entities()
poutine = corpus.entity("Poutine")
mentions = len(corpus.article("001").mentions)
hits = corpus.search('entity:"Kim Jong Un"').total
print(json.dumps({{"unchanged": report.unchanged, "changed": report.changed,
                  "entities": len(entities), "poutine": poutine.name,
                  "mentions": mentions, "hits": hits,
                  "spacy": [m for m in sys.modules if m.split(".")[0] in ("spacy", "thinc")]}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    corpus: Corpus = indexed.corpus
    assert result == {
        "unchanged": 5,
        "changed": False,
        "entities": len(corpus.entities()),
        "poutine": "Vladimir Poutine",
        "mentions": len(corpus.article("001").mentions),
        "hits": 5,
        "spacy": [],
    }


def test_changed_file_runs_the_model_on_it_alone(
    indexed_copy, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = indexed_copy.corpus
    recognised: list[str] = []
    real = index.entities.entity_pass.recognise_articles

    def counting(articles, procs=1):  # type: ignore[no-untyped-def]
        articles = list(articles)
        recognised.extend(article.id for article in articles)
        return real(articles, procs=procs)

    monkeypatch.setattr(index.entities.entity_pass, "recognise_articles", counting)
    others = {a.id: a.mentions for a in _articles(corpus) if not a.id.startswith("004")}
    kim = corpus.entity("Kim Jong-un")
    path = next(indexed_copy.root.glob("004_*.txt"))
    with path.open("a", encoding="utf-8") as handle:
        handle.write(
            "\nÀ Paris, le ministre Jean-Baptiste Delamarre a reçu Kim Jong-un"
            " et le président de la Mongolie.\n"
        )

    assert corpus.update().updated == [path.name]

    assert recognised == [path.stem]
    assert corpus.update().changed is False
    assert recognised == [path.stem]  # nothing more: the index is current
    new = corpus.entity("Jean-Baptiste Delamarre")
    assert (new.label, new.articles) == ("PER", (path.stem,))
    assert corpus.entity("Kim Jong-un").count == kim.count + 1
    assert {a.id: a.mentions for a in _articles(corpus) if not a.id.startswith("004")} == others
    assert _reopened_hits(indexed_copy, 'entity:"Jean-Baptiste Delamarre"') == {"004"}


def test_removed_file_takes_its_names_along(indexed_copy) -> None:
    corpus = indexed_copy.corpus
    kim = corpus.entity("Kim Jong-un")
    assert corpus.entity("Dmitri Peskov").articles == (corpus.resolve("002"),)
    path = next(indexed_copy.root.glob("002_*.txt"))
    path.unlink()
    assert corpus.update().removed == [path.name]
    with pytest.raises(UnknownEntity):
        corpus.entity("Dmitri Peskov")
    with pytest.raises(UnknownEntity):
        corpus.entity("D. Peskov")
    assert corpus.entity("Kim Jong-un").articles == tuple(
        a for a in kim.articles if not a.startswith("002")
    )
    with pytest.raises(QueryError):
        corpus.search('entity:"Dmitri Peskov"')


def _surfaces(index_dir: Path) -> tuple[list[Any], list[Any]]:
    """The catalog's kept surface counts, and the same counted from its mentions."""
    import sqlite3

    db = sqlite3.connect(index_dir / "catalog.sqlite")
    try:
        kept = db.execute("SELECT * FROM surfaces ORDER BY text, label").fetchall()
        counted = db.execute(
            "SELECT text, label, count(*), sum(initial) FROM mentions"
            " WHERE source = 'ner' GROUP BY text, label ORDER BY text, label"
        ).fetchall()
    finally:
        db.close()
    return kept, counted


def test_surface_counts_follow_the_mentions(indexed_copy) -> None:
    corpus = indexed_copy.corpus
    kept, counted = _surfaces(indexed_copy.index_dir)
    assert kept == counted and len(kept) > 50
    edited = next(indexed_copy.root.glob("004_*.txt"))
    with edited.open("a", encoding="utf-8") as handle:
        handle.write("\nLe ministre Jean-Baptiste Delamarre a reçu Kim Jong-un à Oulan-Bator.\n")
    next(indexed_copy.root.glob("002_*.txt")).unlink()
    report = corpus.update()
    assert (len(report.updated), len(report.removed)) == (1, 1)

    kept, counted = _surfaces(indexed_copy.index_dir)
    assert kept == counted
    assert ("Jean-Baptiste Delamarre", "PER", 1, 0) in kept
    assert not any(text == "Dmitri Peskov" for text, *_ in kept)


def test_an_older_catalog_gets_its_surface_counts(indexed_copy) -> None:
    import sqlite3

    poutine = indexed_copy.corpus.entity("Vladimir Poutine").count
    indexed_copy.corpus.close()
    path = indexed_copy.index_dir / "catalog.sqlite"
    db = sqlite3.connect(path)
    db.executescript(
        "DROP TRIGGER surfaces_add; DROP TRIGGER surfaces_remove; DROP TABLE surfaces;"
    )
    db.close()

    reopened = Corpus(indexed_copy.root, indexed_copy.index_dir)
    try:
        kept, counted = _surfaces(indexed_copy.index_dir)
        assert kept == counted and len(kept) > 50
        assert reopened.entity("Vladimir Poutine").count == poutine
    finally:
        reopened.close()
