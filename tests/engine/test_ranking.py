"""`index.search.ranking`: every match scored in arrays must be Whoosh's own ranking, to the
bit: the same documents, in the same order, with the same scores, over several segments
with deleted documents; what it does not read it says (None), and the search falls back."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

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
]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """An index of generated articles in three segments, some documents replaced."""
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
    with ix.searcher(weighting=QuickBM25F()) as whoosh_searcher:
        assert len(whoosh_searcher.leaf_searchers()) > 1
        assert any(r.has_deletions() for r, _base in whoosh_searcher.reader().leaf_readers())
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


@pytest.mark.parametrize("text", ['"guerre paix"~3', "lang:fr AND Genève"])
def test_what_it_does_not_read_it_leaves_to_whoosh(searcher, text: str) -> None:  # type: ignore[no-untyped-def]
    query = query_mod.parse(query_mod.make_parser(searcher.schema), text)
    assert ranking.ranked(searcher, query) is None


def test_search_counts_and_ranks_as_whoosh_did(corpus: Corpus) -> None:
    """Through the engine: the total and the best hits of a search are Whoosh's."""
    searcher = corpus._search._handles.searcher()
    for text in ("veto", '"Conseil de sécurité"', "Corée NOT Nord", '"guerre en Ukraine"~2'):
        query = query_mod.parse(query_mod.make_parser(searcher.schema), text)
        results = searcher.search(query, limit=None)
        found = corpus.search(text, limit=3)
        assert found.total == results.scored_length()
        assert [hit.id for hit in found.results] == [hit["id"] for hit in results[:3]]
        assert [hit.score for hit in found.results] == [round(hit.score, 4) for hit in results[:3]]
