"""Dates: read from the format's metadata, the file's name, or a dateline, in that order.

The last tests measure it on the shared corpus of real articles (skipped where it
is absent), read from a temporary copy: the corpus is never written.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from index import Corpus
from index.ingest.dates import article_date, date_in_path, date_in_text, normalise

SHARED_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("2024-06-18", "2024-06-18"),
        ("2024-06-18T23:30:00-05:00", "2024-06-18"),  # the newsroom's day, not UTC's
        ("2024-06-18 10:32:00", "2024-06-18"),
        ("2024-06", "2024-06"),
        ("2024", "2024"),
        (2024, "2024"),
        ("Tue, 18 Jun 2024 23:10:00 GMT", "2024-06-18"),
        ("18 juin 2024", "2024-06-18"),
        ("1er mai 1881", "1881-05-01"),
        ("juin 2024", "2024-06"),
        ("18/06/2024", "2024-06-18"),
        ("06/05/2024", "2024-05-06"),  # day first, as French writes it
        ("1718700000", "2024-06-18"),  # a timestamp
        ("", None),
        ("n/a", None),
        ("hier", None),  # relative to today: no article's date
        ("17 Août", None),  # no year
        ("2024-13-45", None),
        ("0001-01-01", None),
        ("9999-01-01", None),
        (True, None),
        (None, None),
        ({"$date": 1}, None),
        ("x" * 1000, None),
    ],
)
def test_normalise(value: object, date: str | None) -> None:
    assert normalise(value) == date


@pytest.mark.parametrize(
    ("rel", "date"),
    [
        ("letemps-fr-dev-GDL-1881-05-27-4.txt", "1881-05-27"),
        ("archive/2024/06/18/poutine.html", "2024-06-18"),
        ("news_20240618.txt", "2024-06-18"),
        ("2024-06-18T1030-depeche.txt", "2024-06-18"),
        ("feeds/2024-06.jsonl", "2024-06"),
        ("1881/journal.txt", "1881"),
        ("2024/06/18/old-2023-01-02.txt", "2023-01-02"),  # the name before its folders
        ("2024-06/article-20240618.txt", "2024-06-18"),  # the day before the month
        ("masakhanews-fra-dev-63182609.txt", None),  # an id, not a day
        ("000_34fdb793e7d525a8.txt", None),
        ("x-120240618.txt", None),
        ("a/2024-13-45.txt", None),
        ("dev_fr_12.txt", None),
        ("2024.txt", None),  # a year alone in a name may be anything
    ],
)
def test_date_in_path(rel: str, date: str | None) -> None:
    assert date_in_path(rel) == date


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Titre\n\nPublié le 18 juin 2024 à 10h32\n\nLe texte.", "2024-06-18"),
        ("Titre\nMis à jour le 3 août 2023\nLe texte.", "2023-08-03"),
        ("Paris, 25 mai 1881. Le conseil s'est réuni.", "1881-05-25"),
        ("GENÈVE, le 1er décembre 1921.— Hier soir", "1921-12-01"),
        ("GRANDE-BRETAGNE LONDRES, 17 Aout 1804. (Par l'Allemagne.)", "1804-08-17"),
        (" date 2024-06 Quelques heures avant", "2024-06"),
        ("Date : 18/06/2024\nTexte", "2024-06-18"),
        ("Mardi 18 juin 2024\nTexte", "2024-06-18"),
        ("Published June 18, 2024\nText", "2024-06-18"),
        ("Paris, mai 1881.", "1881-05"),
        # Not datelines: no year, or a date inside a sentence (an event's).
        ("GRANDE-BRETAGNE LONDRES, 17 Août. (Par l'Allemagne.)", None),
        ("Le traité du 30 septembre 1825 est signé.", None),
        ("Ils se rencontrent à Pyongyang, en Corée du Nord, le 19 juin 2024.", None),
        ("Le livre paru le 3 mai 2020 se vend bien.", None),
        ("Hier, à Paris.\n" * 4 + "Paris, 25 mai 1881.", None),  # past the first lines
        ("", None),
    ],
)
def test_date_in_text(text: str, date: str | None) -> None:
    assert date_in_text(text) == date


def test_order_of_trust() -> None:
    dateline = "Paris, 25 mai 1881.\n\nLe texte."
    assert article_date("2024-06-18", "x-1881-05-27.txt", dateline) == ("2024-06-18", "metadata")
    assert article_date("n/a", "x-1881-05-27.txt", dateline) == ("1881-05-27", "path")
    assert article_date(None, "x.txt", dateline) == ("1881-05-25", "text")
    assert article_date(None, "x.txt", "Le texte.") == ("", "")


def test_dates_reach_the_index_search_and_export(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "2024" / "06").mkdir(parents=True)
    body = "Le Conseil de sécurité s'est réuni pour examiner la situation dans la région."
    (root / "gdl-1881-05-27-4.txt").write_text(f"SUISSE. {body}", encoding="utf-8")
    (root / "2024" / "06" / "depeche.txt").write_text(f"Titre\n\n{body}", encoding="utf-8")
    (root / "ligne.txt").write_text(f"Titre\n\nParis, 3 mars 1990.\n\n{body}", encoding="utf-8")
    (root / "sans.txt").write_text(f"Titre\n\n{body}", encoding="utf-8")
    record = {"text": body, "title": "Un fil", "date": "2023-01-02 08:00:00"}
    (root / "fil-2020-01-01.jsonl").write_text(json.dumps(record), encoding="utf-8")
    corpus = Corpus(root, tmp_path / "index", entities=False)
    try:
        report = corpus.update()
        assert not report.skipped
        found = {a.id: (a.date, a.date_source) for a in corpus.articles()}
        assert found == {
            "gdl-1881-05-27-4": ("1881-05-27", "path"),
            "2024/06/depeche": ("2024-06", "path"),
            "ligne": ("1990-03-03", "text"),
            "sans": ("", ""),
            "fil-2020-01-01/1": ("2023-01-02", "metadata"),
        }
        assert corpus.article("ligne").date_source == "text"
        assert {hit.id for hit in corpus.search("date:1881").results} == {"gdl-1881-05-27-4"}
        assert {hit.id for hit in corpus.search("date:2024-06").results} == {"2024/06/depeche"}
        assert {hit.id for hit in corpus.search("date:1990-03-03").results} == {"ligne"}
    finally:
        corpus.close()


# -- the shared corpus of real articles ----------------------------------------------------

# Le Temps files name their paper's day: `letemps-fr-dev-GDL-1881-05-27-4.txt`.
_NAMED_DAY = re.compile(r"-(\d{4}-\d{2}-\d{2})-\d+$")


@pytest.fixture(scope="module")
def real_corpus(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, tuple[str, str]], Path]:
    if not (SHARED_CORPUS / "MANIFEST.tsv").is_file():
        pytest.skip("the shared corpus is not here")
    base = tmp_path_factory.mktemp("real-dates")
    root = base / "corpus"
    root.mkdir()
    for path in SHARED_CORPUS.glob("*.txt"):
        shutil.copyfile(path, root / path.name)
    corpus = Corpus(root, base / "index", entities=False)
    try:
        corpus.update()
        dates = {a.id: (a.date, a.date_source) for a in corpus.articles()}
    finally:
        corpus.close()
    return dates, root


@pytest.mark.slow
def test_every_article_whose_name_carries_a_date_gets_it(
    real_corpus: tuple[dict[str, tuple[str, str]], Path],
) -> None:
    dates, _root = real_corpus
    named = {doc_id: m.group(1) for doc_id in dates if (m := _NAMED_DAY.search(doc_id))}
    assert len(named) >= 50  # the Le Temps articles
    wrong = {doc_id: dates[doc_id] for doc_id, day in named.items() if dates[doc_id][0] != day}
    assert wrong == {}
    assert {dates[doc_id][1] for doc_id in named} == {"path"}


@pytest.mark.slow
def test_no_date_contradicts_the_manifest(
    real_corpus: tuple[dict[str, tuple[str, str]], Path],
) -> None:
    """Where the manifest knows the day, a date found agrees with it (a partial one is
    its prefix); where it knows none, none is made up from the text."""
    dates, _root = real_corpus
    with (SHARED_CORPUS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        manifest = {row["id"]: row["date"] for row in csv.DictReader(handle, delimiter="\t")}
    known = {doc_id: manifest[doc_id] for doc_id in dates if manifest.get(doc_id)}
    assert known, "the manifest knows some dates"
    disagree = {
        doc_id: (dates[doc_id], day)
        for doc_id, day in known.items()
        if dates[doc_id][0] and not day.startswith(dates[doc_id][0])
    }
    assert disagree == {}
    made_up = {
        doc_id: date
        for doc_id, date in dates.items()
        if doc_id in manifest and not manifest[doc_id] and date[0]
    }
    assert made_up == {}
