"""Cleaning measured on unseen real articles: the shared corpus beside the project.

BBC Afrique pages run together on one line, with link teasers (`Lire aussi :`);
Swiss and French newspapers of 1804-1981 in OCR, whose full stops often lost their
space and whose passages break after `M.`. The project may not copy them: this
test reads them where they lie (`../shared/corpus`, as in CI), only reads them,
and is skipped when they are not there.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from index import Article
from index.ingest.clean import clean_article
from index.ingest.decode import decode_bytes
from index.ingest.formats import RawDocument

SHARED_CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
# A passage or a title that ends with one of these abbreviations was cut in a sentence.
ABBREVIATED_END = re.compile(r"(?:^|[\s(«\"'’-])(?:M|MM|Mme|Mgr|Dr|St|Corresp|[A-Z])\.?…?$")
LONG_PASSAGE = 1500
TEASER = re.compile(r"(?:Lire aussi|Lire plus|A lire|À lire|A regarder|Regarder)\s*:")


@pytest.fixture(scope="module")
def real() -> dict[str, Article]:
    files = sorted(SHARED_CORPUS.glob("*.txt"))
    if not files:
        pytest.skip(f"the shared corpus is not beside the project ({SHARED_CORPUS})")
    return {
        path.stem: clean_article(RawDocument(path.stem, path.name, decode_bytes(path.read_bytes())))
        for path in files
    }


@pytest.fixture(scope="module")
def manifest() -> dict[str, dict[str, str]]:
    with (SHARED_CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as rows:
        return {row["id"]: row for row in csv.DictReader(rows, delimiter="\t")}


def test_no_title_ends_at_an_abbreviation_or_is_junk(real: dict[str, Article]) -> None:
    for article in real.values():
        assert not ABBREVIATED_END.search(article.title), (article.id, article.title)
        assert len(re.sub(r"\W", "", article.title)) >= 3, (article.id, article.title)


def test_bbc_titles_are_the_pages_titles(
    real: dict[str, Article], manifest: dict[str, dict[str, str]]
) -> None:
    bbc = [a for a in real.values() if a.id.startswith("masakhanews")]
    assert bbc
    same = sum(a.title == manifest[a.id]["title"].strip() for a in bbc)
    assert same >= 0.98 * len(bbc)


def test_no_long_passage_of_several_sentences(real: dict[str, Article]) -> None:
    long = []
    for article in real.values():
        for passage in article.passages:
            text = article.passage_text(passage)
            sentences = len(re.findall(r"[^\W\d_]{3}[.!?](?=\s+[A-Z]|[A-Z])", text))
            if len(text) > LONG_PASSAGE and sentences > 1:
                long.append((article.id, passage.n, text[:80]))
    # (a radio programme, a stock table: listings, not sentences)
    assert len(long) <= 2, long


def test_no_passage_break_after_an_abbreviation(real: dict[str, Article]) -> None:
    breaks = [
        (article.id, passage.n)
        for article in real.values()
        for passage in article.passages[:-1]
        if passage.kind == "paragraph" and ABBREVIATED_END.search(article.passage_text(passage))
    ]
    # (an OCR'd capital letter alone before a full stop is sometimes a sentence's end)
    assert len(breaks) <= 2, breaks


def test_link_teasers_are_boilerplate_never_text(real: dict[str, Article]) -> None:
    found = 0
    for article in real.values():
        for passage in article.passages:
            text = article.passage_text(passage)
            if passage.kind == "boilerplate":
                found += 1
            else:
                assert not TEASER.search(text), (article.id, passage.n, text[:120])
    assert found >= 150  # (188 in the 211 BBC pages)
