"""`index.search.scoring`: Whoosh's BM25F and segment writer with the field lengths read in bulk.

Both must give exactly what Whoosh gives: the same scores to the bit, the same
postings and block statistics in the segments written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import scoring
from whoosh.qparser import QueryParser
from whoosh.writing import SegmentWriter

from index import Corpus
from index.search import query as search_mod
from index.search.scoring import QuickBM25F, field_lengths
from index.storage import store


@pytest.mark.parametrize(
    "query", ["veto", "Corée du Nord", '"Conseil de sécurité"', "nucl*", "Kim OR Poutine"]
)
def test_quick_scoring_gives_whoosh_s_own_scores(corpus: Corpus, query: str) -> None:
    for name, field in (("articles", "content"), ("passages", "passage")):
        index = corpus._index(name)
        with (
            index.searcher(weighting=scoring.BM25F()) as slow,
            index.searcher(weighting=QuickBM25F()) as quick,
        ):
            if name == "articles":
                parsed = search_mod.make_parser(slow.schema).parse(query)
            else:  # (no positions there: no phrases)
                parsed = QueryParser(field, slow.schema).parse(query.replace('"', ""))
            expected = [(hit.docnum, hit.score) for hit in slow.search(parsed, limit=None)]
            got = [(hit.docnum, hit.score) for hit in quick.search(parsed, limit=None)]
            assert got == expected and expected, (name, query)
            for reader, _base in quick.reader().leaf_readers():
                lengths = field_lengths(reader, field)
                assert lengths is not None and len(lengths) == reader.doc_count_all()
                assert lengths == [
                    reader.doc_field_length(n, field) or 1 for n in range(reader.doc_count_all())
                ]


def _terms(directory: Path) -> list[tuple[object, ...]]:
    """Every term of the index in `directory` with its postings and block statistics."""
    from whoosh import index as whoosh_index

    with whoosh_index.open_dir(str(directory)).reader() as reader:
        found = []
        for field, text in reader.all_terms():
            info = reader.term_info(field, text)
            postings = list(reader.postings(field, text).items_as("weight"))
            stats = (info.min_length(), info.max_length(), info.max_weight())
            found.append((field, text, info.weight(), info.doc_frequency(), *stats, postings))
        return found


def test_the_quick_writer_writes_what_whoosh_writes(corpus: Corpus, tmp_path: Path) -> None:
    articles = [corpus.article(summary.id) for summary in corpus.articles()]
    written: dict[tuple[str, str], list[tuple[object, ...]]] = {}
    for name, writer_class in (("whoosh", SegmentWriter), ("quick", store._SegmentWriter)):
        for kind, schema in (("articles", store.article_schema()), ("passages", None)):
            directory = tmp_path / name / kind
            index = store.open_or_create(directory, schema or store.passage_schema())
            writer = writer_class(index)
            for article in articles:
                article_doc, passage_docs = store.documents(article)
                for document in [article_doc] if kind == "articles" else passage_docs:
                    writer.add_document(**document)
            writer.commit()
            written[(name, kind)] = _terms(directory)
    for kind in ("articles", "passages"):
        assert written[("quick", kind)] == written[("whoosh", kind)]
        assert len(written[("whoosh", kind)]) > 500
