"""`index.search.ranking`: every match scored in arrays must be Whoosh's own ranking, to the
bit: the same documents, in the same order, with the same scores, over several segments
with deleted documents; what it does not read it says (None), and the search falls back."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.query import Term
from whoosh.query.compound import PreloadedOr

from index import Corpus
from index.search import query as query_mod
from index.search import ranking
from index.search.scoring import QuickBM25F
from index.storage import store

WORDS = (
    "guerre paix traité Ukraine Russie conseil sécurité Genève Lausanne président "
    "gouvernement élection vote Nations unies accord frontière armée ville canton"
).split()

QUERIES = [
    "guerre",
    "Genève",
    "guerre Ukraine",
    "guerre OR paix",
    "guerre AND NOT paix",
    "(Genève OR Lausanne) AND conseil",
    "conseil NOT (guerre OR paix) NOT vote",
    "conseil NOT (guerre OR paix OR vote)^0",  # (a NOT excludes every match, scored 0 too)
    "NOT (guerre OR (paix AND vote)^0)",
    "NOT (guerre AND NOT paix)",
    'conseil NOT ("Nations unies"^0 OR vote OR gu*^0)',
    "title:guerre OR content:paix OR title:traité OR vote",
    '"Nations unies"',
    '"conseil de sécurité"',
    '"guerre guerre"',
    '"Nations unies" AND NOT Genève',
    "Genève^2 OR Lausanne",
    "gu*",
    "absentword OR Genève",
    "Genève AND absentword",
    "NOT guerre",
    "lang:fr AND Genève",  # (an unscored field: Whoosh scores its weight)
]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """An index of generated articles in four segments, one of them large, some documents
    replaced or deleted."""
    directory: Path = tmp_path_factory.mktemp("ranking")
    ix = whoosh_index.create_in(str(directory), store.article_schema())
    rng = random.Random(7)

    def text(count: int) -> str:
        return " ".join(rng.choice([*WORDS, "de", "la", "et"]) for _ in range(count))

    for batch in range(3):
        with ix.writer() as writer:
            for n in range(batch * 120, (batch + 1) * 120):
                writer.add_document(
                    id=f"a{n}", title=text(4), content=text(rng.randint(5, 80)), lang="fr"
                )
        with ix.writer() as writer:  # (a replaced article: a deleted document and a new one)
            for n in rng.sample(range((batch + 1) * 120), 15):
                writer.update_document(id=f"a{n}", title=text(3), content=text(30))
    # A segment of more than 5,000 documents, where Whoosh's OR of 3 or more is a weighted
    # tree of unions, not an array: short articles (quick to index), some deleted.
    writer = ix.writer()
    for n in range(5200):
        writer.add_document(id=f"b{n}", title=text(2), content=text(rng.randint(1, 6)), lang="fr")
    writer.commit(merge=False)
    writer = ix.writer()
    for n in rng.sample(range(5200), 40):
        writer.delete_by_term("id", f"b{n}")
    writer.commit(merge=False)
    with ix.searcher(weighting=QuickBM25F()) as whoosh_searcher:
        readers = [reader for reader, _base in whoosh_searcher.reader().leaf_readers()]
        assert len(readers) > 1 and any(reader.doc_count_all() > 5000 for reader in readers)
        assert any(reader.has_deletions() for reader in readers)
        yield whoosh_searcher


@pytest.mark.parametrize("text", QUERIES)
def test_ranking_is_whoosh_s_own(searcher, text: str) -> None:  # type: ignore[no-untyped-def]
    query = query_mod.parse(query_mod.make_parser(searcher.schema), text)
    query, _terms = query_mod.expand(query, searcher.reader())
    expected = [(hit.docnum, hit.score) for hit in searcher.search(query, limit=None)]
    found = ranking.ranked(searcher, query)
    assert found is not None, text
    docnums, scores = found
    assert list(zip(docnums.tolist(), scores.tolist(), strict=True)) == expected
    for limit in (0, 1, 7):  # (the best only: the same first ones, ties by number)
        best = ranking.ranked(searcher, query, limit)
        assert best is not None
        assert list(zip(best[0].tolist(), best[1].tolist(), strict=True)) == expected[:limit]


# (an OR of 3 or more, read as an array in a small segment, with a part scored 0: Whoosh
# keeps a few of its matches scored 0 and not others, as the array's parts fall)
@pytest.mark.parametrize(
    "text", ['"guerre paix"~3', "title:[guerre TO paix]", "(guerre OR paix OR vote)^0 OR conseil"]
)
def test_what_it_does_not_read_it_leaves_to_whoosh(searcher, text: str) -> None:  # type: ignore[no-untyped-def]
    query = query_mod.parse(query_mod.make_parser(searcher.schema), text)
    assert ranking.ranked(searcher, query) is None


def test_search_counts_and_ranks_as_whoosh_did(corpus: Corpus) -> None:
    """Through the engine: the total and the best hits of a search are Whoosh's."""
    searcher = corpus._search._handles.searcher()
    # (`veto NOT Séoul`: 2 of the 3 seeds with `veto`, a NOT that excludes and keeps some)
    for text in ("veto", '"Conseil de sécurité"', "veto NOT Séoul", '"guerre en Ukraine"~2'):
        query = query_mod.parse(query_mod.make_parser(searcher.schema), text)
        results = searcher.search(query, limit=None)
        found = corpus.search(text, limit=3)
        assert found.total == results.scored_length() > 0, text
        assert [hit.id for hit in found.results] == [hit["id"] for hit in results[:3]]
        assert [hit.score for hit in found.results] == [round(hit.score, 4) for hit in results[:3]]


# -- the related passages' candidates: a PreloadedOr of key terms, the best only -----------
def _passage_bags(searcher, count: int, seed: int) -> list[PreloadedOr]:  # type: ignore[no-untyped-def]
    """Or-queries of the passage index's own terms: rare and common words, entities
    (an unscored field)."""
    reader = searcher.reader()
    words = sorted({t.decode() for t in reader.lexicon("passage")})
    entities = sorted({t.decode() for t in reader.lexicon("entity")})
    chance = random.Random(seed)
    return [
        PreloadedOr(
            [Term("passage", w) for w in chance.sample(words, 12)]
            + [Term("entity", e) for e in chance.sample(entities, min(3, len(entities)))]
        )
        for _ in range(count)
    ]


@pytest.mark.parametrize("limit", [1, 10, 60])
def test_the_candidates_of_related_passages_as_whoosh_ranks_them(
    corpus: Corpus, limit: int
) -> None:
    with corpus._index(store.PASSAGES).searcher(weighting=QuickBM25F()) as searcher:
        for query in _passage_bags(searcher, 20, limit):
            expected = [(hit.docnum, hit.score) for hit in searcher.search(query, limit=limit)]
            found = ranking.ranked(searcher, query, limit)
            assert expected and found is not None
            assert list(zip(found[0].tolist(), found[1].tolist(), strict=True)) == expected


def test_a_preloaded_or_over_segments_and_deleted_documents(tmp_path: Path) -> None:
    index = whoosh_index.create_in(str(tmp_path), store.passage_schema())
    chance = random.Random(3)
    vocabulary = [f"mot{i}" for i in range(40)] + ["commun"] * 10
    for segment in range(3):
        with index.writer() as writer:
            for i in range(150):
                words = " ".join(chance.choice(vocabulary) for _ in range(chance.randint(1, 30)))
                entity = f"Q{chance.randint(1, 9)}"
                writer.add_document(id=f"a{segment}-{i}#0", passage=words, entity=entity)
    with index.writer() as writer:
        for i in range(0, 450, 7):
            writer.delete_by_term("id", f"a{i // 150}-{i % 150}#0")
    with index.searcher(weighting=QuickBM25F()) as searcher:
        assert len(searcher.leaf_searchers()) > 1 and searcher.reader().has_deletions()
        for terms in (
            [Term("passage", "mot1"), Term("passage", "mot2"), Term("entity", "Q3")],
            [Term("passage", "commun"), Term("passage", "mot39")],
            [Term("passage", f"mot{i}") for i in range(0, 40, 3)],
        ):
            _compare(searcher, PreloadedOr(terms), (5, 60, 500))
        for boost in (0.0, 2.0):  # (one subquery: Whoosh reads it alone, without the boost)
            _compare(searcher, PreloadedOr([Term("passage", "commun")], boost=boost), (5, 500))


def _compare(searcher, query: PreloadedOr, limits: tuple[int, ...]) -> None:  # type: ignore[no-untyped-def]
    for limit in limits:
        expected = [(hit.docnum, hit.score) for hit in searcher.search(query, limit=limit)]
        found = ranking.ranked(searcher, query, limit)
        assert found is not None
        assert list(zip(found[0].tolist(), found[1].tolist(), strict=True)) == expected


def test_an_index_with_nothing_in_it_yet(tmp_path: Path) -> None:
    """Before the first commit of a first index (a search while it is being built)."""
    from index.corpus import Corpus as CorpusClass

    (tmp_path / "whoosh").mkdir()
    index = whoosh_index.create_in(str(tmp_path / "whoosh"), store.passage_schema())
    with index.searcher(weighting=QuickBM25F()) as searcher:
        found = ranking.ranked(searcher, PreloadedOr([Term("passage", "mot")]), 10)
        assert found is not None and len(found[0]) == 0
    (tmp_path / "corpus").mkdir()
    empty = CorpusClass(tmp_path / "corpus", tmp_path / "index")
    result = empty.search("maison")
    assert result.total == 0 and not result.results
    assert empty.search_ids("maison OR guerre") == []
    empty.close()
