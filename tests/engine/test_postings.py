"""`index.search.postings`: the best documents for a bag of terms, read from the postings.

They must be Whoosh's own answer to an `Or` of the terms: the same documents, in the
same order, with the same scores, across segments and deleted documents.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.query import Or, Term

from index import Corpus
from index.search.postings import top_documents
from index.search.scoring import QuickBM25F
from index.storage import store


def _whoosh(searcher, terms, limit, excluded=()):
    hits = searcher.search(Or([Term(f, t) for f, t in terms]), limit=None)
    found = [(hit.score, hit.docnum) for hit in hits if hit.docnum not in set(excluded)]
    return found[:limit]


def _assert_same(got, expected):
    assert [docnum for _, docnum in got] == [docnum for _, docnum in expected]
    assert [score for score, _ in got] == pytest.approx([score for score, _ in expected], rel=1e-12)


def _bags(searcher, count: int, seed: int) -> list[list[tuple[str, str]]]:
    """Bags of the index's own terms: rare and common words, entities."""
    reader = searcher.reader()
    words = sorted({t.decode() for t in reader.lexicon("passage")})
    entities = sorted({t.decode() for t in reader.lexicon("entity")})
    chance = random.Random(seed)
    bags = []
    for _ in range(count):
        bag = [("passage", w) for w in chance.sample(words, min(12, len(words)))]
        bag += [("entity", e) for e in chance.sample(entities, min(3, len(entities)))]
        bags.append(bag)
    return bags


@pytest.mark.parametrize("limit", [1, 10, 60])
def test_the_seeds_passages_as_whoosh_ranks_them(corpus: Corpus, limit: int) -> None:
    with corpus._index(store.PASSAGES).searcher(weighting=QuickBM25F()) as searcher:
        for bag in _bags(searcher, 20, limit):
            expected = _whoosh(searcher, bag, limit)
            assert expected, bag
            _assert_same(top_documents(searcher, bag, limit), expected)


def test_documents_left_out(corpus: Corpus) -> None:
    with corpus._index(store.PASSAGES).searcher(weighting=QuickBM25F()) as searcher:
        for bag in _bags(searcher, 10, 7):
            first = [docnum for _, docnum in _whoosh(searcher, bag, 5)]
            expected = _whoosh(searcher, bag, 10, first)
            _assert_same(top_documents(searcher, bag, 10, set(first)), expected)


def test_a_term_the_index_does_not_have(corpus: Corpus) -> None:
    with corpus._index(store.PASSAGES).searcher(weighting=QuickBM25F()) as searcher:
        assert top_documents(searcher, [("passage", "zzzqqq"), ("entity", "nobody")], 10) == []
        assert top_documents(searcher, [], 10) == []


def _segmented(directory: Path) -> whoosh_index.Index:
    """A passage index of three segments (never merged), with deleted documents."""
    index = whoosh_index.create_in(str(directory), store.passage_schema())
    chance = random.Random(3)
    vocabulary = [f"mot{i}" for i in range(40)] + ["commun"] * 10
    for segment in range(3):
        writer = index.writer()
        for i in range(150):
            words = " ".join(chance.choice(vocabulary) for _ in range(chance.randint(1, 30)))
            writer.add_document(
                id=f"a{segment}-{i}#0", passage=words, entity=f"Q{chance.randint(1, 9)}"
            )
        writer.commit(merge=False)
    writer = index.writer()
    for i in range(0, 450, 7):
        writer.delete_by_term("id", f"a{i // 150}-{i % 150}#0")
    writer.commit(merge=False)
    return index


@pytest.mark.parametrize("weighting", [QuickBM25F, scoring.BM25F, scoring.TF_IDF])
def test_segments_and_deleted_documents(tmp_path: Path, weighting) -> None:
    index = _segmented(tmp_path)
    with index.searcher(weighting=weighting()) as searcher:
        assert len(searcher.reader().leaf_readers()) > 1
        assert searcher.reader().has_deletions()
        bags = [
            [("passage", "mot1"), ("passage", "mot2"), ("entity", "Q3")],
            [("passage", "commun"), ("passage", "mot39")],
            [("passage", f"mot{i}") for i in range(0, 40, 3)],
        ]
        for bag in bags:
            for limit in (5, 60, 500):
                _assert_same(top_documents(searcher, bag, limit), _whoosh(searcher, bag, limit))
