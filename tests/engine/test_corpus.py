"""Corpus: incremental updates, id resolution, schema changes, locking, bad input.

The corpus folder is only ever read; every test that changes files works on a
fresh copy of the seeds (`corpus_copy`/`fresh`) with its own index directory.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

import index.ingest.reading
import index.storage.store
from index import (
    AmbiguousDocument,
    Corpus,
    CorpusError,
    IndexBusy,
    IngestReport,
    Progress,
    UnknownDocument,
)
from tests.conftest import Indexed

SEED_RELS = [
    "000_34fdb793e7d525a8.txt",
    "001_c5001f9aa01043f8.txt",
    "002_e36b65c31de3faa9.txt",
    "003_17a356de9bc4f7c3.txt",
    "004_516c37a8e62c70fe.txt",
]
PROJECT = Path(__file__).resolve().parents[2]


def _hits(corpus: Corpus, query: str) -> set[str]:
    return {hit.id for hit in corpus.search(query).results}


def _snapshot(root: Path) -> dict[str, tuple[bool, int, int]]:
    """Every entry under root (and root itself): is it a folder, its size, its mtime."""
    entries = {}
    for folder, dirs, files in os.walk(root):
        for name in ["", *dirs, *files]:
            path = Path(folder) / name
            st = path.lstat()
            entries[str(path.relative_to(root))] = (path.is_dir(), st.st_size, st.st_mtime_ns)
    return entries


def _bump_mtime(path: Path, seconds: int = 5) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + seconds * 1_000_000_000))


# -- first and second update ------------------------------------------------------------------


def test_first_update_adds_the_five_seeds(indexed) -> None:
    report = indexed.report
    assert report.added == SEED_RELS
    assert (report.updated, report.removed, report.skipped) == ([], [], [])
    assert report.unchanged == 0
    assert report.articles == 5
    assert report.seconds > 0
    assert indexed.corpus.is_current()


def test_articles_and_summaries(corpus: Corpus, seeds) -> None:
    summaries = corpus.articles()
    assert [s.id for s in summaries] == sorted(seeds.ids.values())
    articles = list(corpus.iter_articles())
    assert [a.id for a in articles] == [s.id for s in summaries]
    for summary, article in zip(summaries, articles, strict=True):
        assert (summary.path, summary.title, summary.date, summary.lang) == (
            article.path,
            article.title,
            article.date,
            article.lang,
        )
        assert summary.n_passages == len(article.passages)
        assert summary.n_chars == len(article.text)
        assert article.path == f"{article.id}.txt"


def test_articles_read_by_pages_and_counted(corpus: Corpus) -> None:
    every = corpus.articles()
    assert corpus.article_count() == len(every) == 5
    assert corpus.articles(limit=2) == every[:2]
    assert corpus.articles(start=every[2].id) == every[2:]
    assert corpus.articles(start=every[1].id, limit=2) == every[1:3]
    # A start that is no id begins with the next one; past the last, nothing.
    assert corpus.articles(start=every[3].id[:3], limit=1) == every[3:4]
    assert corpus.articles(start=every[-1].id + "~") == []
    assert corpus.articles(limit=0) == []


def test_a_page_by_date_is_the_articles_newest_first_the_undated_last(
    indexed_copy: Indexed,
) -> None:
    """As the reader sorts them: one date's articles by id, the undated last by id."""
    from index.storage.catalog import Catalog
    from index.storage.paths import CATALOG_NAME

    ids = [summary.id for summary in indexed_copy.corpus.articles()]
    indexed_copy.corpus.close()
    catalog = Catalog(indexed_copy.index_dir / CATALOG_NAME)
    dates = ["1881-05-27", "", "1900-01-01", "", "1881-05-27"]
    with catalog.transaction():
        for doc_id, date in zip(ids, dates, strict=True):
            catalog._db.execute("UPDATE articles SET date = ? WHERE id = ?", (date, doc_id))
    catalog.close()
    corpus = Corpus(indexed_copy.root, indexed_copy.index_dir)
    expected = [ids[2], ids[0], ids[4], ids[1], ids[3]]
    every = {summary.id: summary for summary in corpus.articles()}
    assert corpus.articles_by_date(limit=9) == [every[doc_id] for doc_id in expected]
    assert [s.id for s in corpus.articles_by_date(limit=2)] == expected[:2]
    for at, doc_id in enumerate(expected):  # from each article on, across dates
        page = corpus.articles_by_date(start=doc_id, limit=2)
        assert [s.id for s in page] == expected[at : at + 2]
    assert [s.id for s in corpus.articles_by_date(start="nope", limit=1)] == expected[:1]
    assert corpus.articles_of([ids[3], "nope", ids[0]]) == [every[ids[3]], every[ids[0]]]
    titles = corpus.article_titles()
    assert titles == [(s.id, s.path, s.title) for s in every.values()]
    corpus.close()
    # An older catalog, read only, has not the indexes: the same pages, read slower.
    catalog = Catalog(indexed_copy.index_dir / CATALOG_NAME)
    catalog._db.execute("DROP INDEX articles_by_date")
    catalog._db.execute("DROP INDEX articles_by_initial")
    catalog.close()
    older = Catalog(indexed_copy.index_dir / CATALOG_NAME, read_only=True)
    for at, doc_id in enumerate(expected):
        page = older.summaries_by_date(doc_id, 2)
        assert [s.id for s in page] == expected[at : at + 2]
    assert older.titles("a", 1) == titles
    older.close()


def test_the_list_is_read_from_its_covering_index_made_once_on_an_older_catalog(
    fresh: Corpus,
) -> None:
    """The summaries' columns come after the text in a row: without the index, listing
    the articles read every text (0.4 s of the start at 100,000 articles)."""
    from index.storage.catalog import Catalog
    from index.storage.paths import CATALOG_NAME

    every = fresh.articles()
    fresh.close()
    path = fresh.index_dir / CATALOG_NAME
    older = Catalog(path)
    older._db.execute("DROP INDEX articles_list")  # a catalog made before the indexes
    older._db.execute("DROP INDEX articles_by_date")
    older.close()
    catalog = Catalog(path)
    plan = catalog._db.execute(
        "EXPLAIN QUERY PLAN SELECT id, rel, title, date, lang, source, n_passages, n_chars,"
        " date_source FROM articles ORDER BY id"
    ).fetchall()
    assert "COVERING INDEX articles_list" in " ".join(str(step[-1]) for step in plan)
    assert catalog.summaries() == every
    plan = catalog._db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM articles ORDER BY date DESC, id LIMIT 9"
    ).fetchall()
    assert "articles_by_date" in " ".join(str(step[-1]) for step in plan)
    catalog.close()


def test_second_update_does_no_work(fresh: Corpus) -> None:
    report = fresh.update()
    assert (report.added, report.updated, report.removed, report.skipped) == ([], [], [], [])
    assert report.unchanged == 5
    assert report.articles == 5
    assert not report.changed


def test_current_index_loads_no_heavy_module(indexed) -> None:
    """Opening and updating a current index imports neither spaCy nor the parsers."""
    script = f"""
import json, sys
from index import Corpus
corpus = Corpus({str(indexed.root)!r}, {str(indexed.index_dir)!r})
current = corpus.is_current()
report = corpus.update()
total = corpus.search("veto").total
heavy = [m for m in ("spacy", "py3langid", "trafilatura") if m in sys.modules]
print(json.dumps({{"current": current, "added": report.added, "updated": report.updated,
                  "removed": report.removed, "unchanged": report.unchanged,
                  "total": total, "heavy": heavy}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result == {
        "current": True,
        "added": [],
        "updated": [],
        "removed": [],
        "unchanged": 5,
        "total": 3,
        "heavy": [],
    }


# -- incremental changes ------------------------------------------------------------------------


def test_touched_file_is_not_parsed_again(
    fresh: Corpus, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[str] = []
    read_documents = index.ingest.reading.read_documents

    def counting(entry, data):  # type: ignore[no-untyped-def]
        parsed.append(entry.rel)
        return read_documents(entry, data)

    monkeypatch.setattr(index.ingest.reading, "read_documents", counting)
    _bump_mtime(corpus_copy / SEED_RELS[1])
    assert not fresh.is_current()
    report = fresh.update()
    assert (report.added, report.updated, report.removed) == ([], [], [])
    assert report.unchanged == 5
    assert parsed == []
    assert fresh.is_current()
    # The new mtime was recorded: the next update does not even read the file.
    assert fresh.update().unchanged == 5


def test_changed_file_is_updated(fresh: Corpus, corpus_copy: Path) -> None:
    path = corpus_copy / SEED_RELS[2]
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\nLe mot zorglubien ne figure dans aucun autre article du corpus.\n")
    assert not fresh.is_current()
    report = fresh.update()
    assert report.updated == [SEED_RELS[2]]
    assert (report.added, report.removed) == ([], [])
    assert report.unchanged == 4
    assert _hits(fresh, "zorglubien") == {SEED_RELS[2].removesuffix(".txt")}
    assert "zorglubien" in fresh.article("002").text
    assert _hits(fresh, "cosmonautes") == {SEED_RELS[2].removesuffix(".txt")}


def test_deleted_file_is_removed(fresh: Corpus, corpus_copy: Path) -> None:
    (corpus_copy / SEED_RELS[3]).unlink()
    report = fresh.update()
    assert report.removed == [SEED_RELS[3]]
    assert (report.added, report.updated) == ([], [])
    assert report.articles == 4
    assert {hit[:3] for hit in _hits(fresh, "veto")} == {"000", "004"}
    assert fresh.search("veto").total == 2
    assert _hits(fresh, "title:kim") == {SEED_RELS[1].removesuffix(".txt")}
    with pytest.raises(UnknownDocument):
        fresh.article("003")
    assert [s.id[:3] for s in fresh.articles()] == ["000", "001", "002", "004"]


def test_added_file_is_added(fresh: Corpus, corpus_copy: Path) -> None:
    (corpus_copy / "005_nouveau.txt").write_text(
        "Le Kremlin annonce un sommet\n\n"
        "Le Kremlin a annoncé un sommet avec les astronautes de la station spatiale.\n",
        encoding="utf-8",
    )
    report = fresh.update()
    assert report.added == ["005_nouveau.txt"]
    assert (report.updated, report.removed) == ([], [])
    assert report.unchanged == 5
    assert report.articles == 6
    assert _hits(fresh, "astronautes") == {"005_nouveau"}
    assert fresh.article("005").title == "Le Kremlin annonce un sommet"


def test_cancelled_update_goes_on_next_time(corpus_copy: Path, tmp_path: Path) -> None:
    corpus = Corpus(corpus_copy, tmp_path / "index")
    steps: list[Progress] = []
    report = corpus.update(progress=steps.append, cancelled=lambda: True)
    assert report.added == []
    assert report.articles == 0
    assert not corpus.is_current()
    report = corpus.update(progress=steps.append)
    assert report.added == SEED_RELS
    assert [(s.done, s.total) for s in steps if s.path] == [(i, 5) for i in range(5)]
    assert [s.path for s in steps if s.path] == SEED_RELS
    assert (steps[-1].done, steps[-1].total) == (5, 5)
    corpus.close()


def test_progress_says_each_stage_with_its_own_count(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading, then the model's names committed (behind the reading), then the entities
    grouped, then the full-text index: a bar each, none stalled while another works."""
    monkeypatch.setattr("index.ingest.updating.BATCH_FILES", 2)
    corpus = Corpus(corpus_copy, tmp_path / "index")
    steps: list[Progress] = []
    corpus.update(progress=steps.append)
    corpus.close()
    stages = [s.stage for s in steps]
    names = [(s.done, s.total) for s in steps if s.stage == "names"]
    assert names == [(2, 5), (4, 5), (5, 5)]  # a batch committed at a time
    assert [(s.done, s.total) for s in steps if s.stage == "reading"][-1] == (5, 5)
    assert [(s.done, s.total) for s in steps if s.stage == "entities"] == [(0, 1), (1, 1)]
    # Names come in as batches commit, while files are still read; the entities are
    # grouped after the last names, the index written last.
    assert stages.index("names") < len(stages) - 1 - stages[::-1].index("reading")
    assert len(stages) - 1 - stages[::-1].index("names") < stages.index("entities")
    assert stages[-1] == "indexing" and (steps[-1].done, steps[-1].total) == (5, 5)


# -- ids -------------------------------------------------------------------------------------


def test_resolve_prefix(corpus: Corpus) -> None:
    full = "000_34fdb793e7d525a8"
    assert corpus.resolve("000") == full
    assert corpus.resolve("000_") == full
    assert corpus.resolve(full) == full
    assert corpus.article("000").id == full
    assert corpus.article("004_516").id == "004_516c37a8e62c70fe"


def test_ambiguous_prefix(corpus: Corpus) -> None:
    with pytest.raises(AmbiguousDocument) as caught:
        corpus.resolve("00")
    assert "000_34fdb793e7d525a8" in str(caught.value)
    with pytest.raises(AmbiguousDocument):
        corpus.article("00")


@pytest.mark.parametrize("prefix", ["zzz", "0000", "%", "_00", "000_34fdb793e7d525a8x"])
def test_unknown_id(corpus: Corpus, prefix: str) -> None:
    with pytest.raises(UnknownDocument) as caught:
        corpus.resolve(prefix)
    assert prefix in str(caught.value)
    with pytest.raises(UnknownDocument):
        corpus.article(prefix)
    with pytest.raises(UnknownDocument):
        corpus.find_hits(prefix, "veto")


# -- schema, locks ---------------------------------------------------------------------------


def test_schema_change_rebuilds(
    fresh: Corpus, corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh.close()
    monkeypatch.setattr(index.storage.store, "SCHEMA_VERSION", "test-schema-change")
    reopened = Corpus(corpus_copy, tmp_path / "index")
    assert not reopened.is_current()
    report = reopened.update()
    assert report.added == SEED_RELS
    assert (report.updated, report.removed, report.skipped) == ([], [], [])
    assert report.articles == 5
    assert reopened.search("veto").total == 3
    assert reopened.is_current()
    reopened.close()
    # Opened again with the same version: nothing to do.
    again = Corpus(corpus_copy, tmp_path / "index")
    assert again.update().unchanged == 5
    again.close()


def test_an_index_of_an_old_layout_is_rebuilt(corpus_copy: Path, tmp_path: Path) -> None:
    """A catalog from before columns the list reads (`date_source`) was made: opened,
    it is rebuilt, not refused (the covering index of the list is not made on it)."""
    import sqlite3

    from index.storage.paths import CATALOG_NAME

    index_dir = tmp_path / "index"
    index_dir.mkdir()
    old = sqlite3.connect(index_dir / CATALOG_NAME)
    old.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO meta VALUES ('schema_version', '11');"
        "CREATE TABLE articles (id TEXT PRIMARY KEY, rel TEXT NOT NULL, title TEXT NOT NULL,"
        " date TEXT NOT NULL, lang TEXT NOT NULL, source TEXT NOT NULL, text TEXT NOT NULL,"
        " passages TEXT NOT NULL, n_passages INTEGER NOT NULL, n_chars INTEGER NOT NULL);"
    )
    old.close()
    corpus = Corpus(corpus_copy, index_dir)
    assert corpus.update().added == SEED_RELS
    assert len(corpus.articles()) == 5
    corpus.close()


def test_stale_lock_file_does_not_block(corpus_copy: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    (index_dir / "update.lock").write_text("4242\n", encoding="utf-8")
    corpus = Corpus(corpus_copy, index_dir)
    assert corpus.update().added == SEED_RELS
    (index_dir / "update.lock").write_text("4242\n", encoding="utf-8")
    (corpus_copy / SEED_RELS[0]).write_text("Un article réécrit de bout en bout.\n", "utf-8")
    assert corpus.update().updated == [SEED_RELS[0]]
    corpus.close()


def test_concurrent_updater_makes_update_busy(fresh: Corpus, corpus_copy: Path) -> None:
    (corpus_copy / SEED_RELS[0]).write_text("Un article réécrit de bout en bout.\n", "utf-8")
    fd = os.open(fresh.index_dir / "update.lock", os.O_CREAT | os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(IndexBusy) as caught:
            fresh.update()
        assert str(caught.value)
        # Readers are not blocked by the updater.
        assert fresh.search("veto").total == 3
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    assert fresh.update().updated == [SEED_RELS[0]]


# -- the corpus folder is only read ----------------------------------------------------------------


def test_corpus_folder_is_never_written(corpus_copy: Path, tmp_path: Path) -> None:
    before = _snapshot(corpus_copy)
    corpus = Corpus(corpus_copy, tmp_path / "index")
    corpus.update()
    corpus.search("veto")
    corpus.find_hits("000", "veto")
    list(corpus.iter_articles())
    corpus.is_current()
    corpus.update()
    corpus.close()
    assert _snapshot(corpus_copy) == before


def test_default_index_dir_is_in_the_user_cache(corpus_copy: Path, tmp_path: Path) -> None:
    cache = Path(os.environ["XDG_CACHE_HOME"])
    before = _snapshot(corpus_copy)
    corpus = Corpus(corpus_copy)
    assert corpus.index_dir.is_relative_to(cache / "presse")
    assert corpus.update().added == SEED_RELS
    corpus.close()
    assert _snapshot(corpus_copy) == before


def test_missing_corpus_folder() -> None:
    with pytest.raises(CorpusError) as caught:
        Corpus(Path("/nonexistent/presse-corpus"))
    assert "/nonexistent/presse-corpus" in str(caught.value)


def test_corpus_that_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text("Un article.", encoding="utf-8")
    with pytest.raises(CorpusError):
        Corpus(path, tmp_path / "index")


# -- bad input ---------------------------------------------------------------------------------

CP1252_TEXT = (
    "Le président a décidé d'une réforme générale de l'économie française.\n\n"
    "Une deuxième phrase très utile, écrite par un éditeur d'un autre âge."
)
UTF16_TEXT = "Les élections européennes approchent à grands pas.\n\nLe scrutin aura lieu en juin."
ANSI_TEXT = (
    "Un texte avec [bold]du balisage[/] et des \x1b[31mcodes ANSI\x1b[0m au milieu.\n\n"
    "Et un second paragraphe pour la forme."
)


def _random_high_bytes(n: int) -> bytes:
    rng = random.Random(7)
    return bytes(rng.randrange(0x80, 0x100) for _ in range(n))


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, IngestReport, Path]:
    base = tmp_path_factory.mktemp("bad")
    root = base / "corpus"
    root.mkdir()
    for rel in (SEED_RELS[0], SEED_RELS[2]):
        (root / rel).write_bytes((PROJECT / "seeds" / rel).read_bytes())
    (root / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (root / "nuls.txt").write_bytes(bytes(range(256)) * 4)
    (root / "empty.txt").write_bytes(b"")
    with (root / "huge.txt").open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    (root / "undecodable.txt").write_bytes(_random_high_bytes(3000))
    (root / "cp1252.txt").write_bytes(CP1252_TEXT.encode("cp1252"))
    (root / "utf16.txt").write_bytes(UTF16_TEXT.encode("utf-16"))  # with its BOM
    (root / "loop").mkdir()
    os.symlink("..", root / "loop" / "back")
    os.symlink("self.txt", root / "self.txt")
    lines = [
        json.dumps({"id": "a", "title": "Un titre", "text": "Premier article du fichier."}),
        '{"id": "broken", "text": "unterminated',
        json.dumps({"id": "b", "text": "Second article du fichier, lui aussi correct."}),
    ]
    (root / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "ansi.txt").write_text(ANSI_TEXT, encoding="utf-8")
    corpus = Corpus(root, base / "index")
    report = corpus.update()
    yield corpus, report, root
    corpus.close()


GOOD_RELS = [
    SEED_RELS[0],
    SEED_RELS[2],
    "ansi.txt",
    "cp1252.txt",
    "feed.jsonl",
    "utf16.txt",
]


def test_bad_files_are_skipped_with_a_reason(bad) -> None:
    _, report, _ = bad
    reasons = {}
    for skipped in report.skipped:
        reasons.setdefault(skipped.path, []).append(skipped.reason)
    assert set(reasons) == {
        "binary.txt",
        "nuls.txt",
        "empty.txt",
        "huge.txt",
        "undecodable.txt",
        "loop/back",
        "self.txt",
        "feed.jsonl",
    }
    assert "PNG" in reasons["binary.txt"][0]
    assert "binary" in reasons["nuls.txt"][0]
    assert "empty" in reasons["empty.txt"][0]
    assert "too large" in reasons["huge.txt"][0] and "21.0 MB" in reasons["huge.txt"][0]
    assert "undecodable" in reasons["undecodable.txt"][0]
    assert "symlink loop" in reasons["loop/back"][0]
    assert "symlink loop" in reasons["self.txt"][0]
    assert reasons["feed.jsonl"] == ["line 2: malformed JSON"]
    assert all(len(r) < 120 and "\n" not in r for rs in reasons.values() for r in rs)


def test_good_files_next_to_bad_ones_are_indexed(bad) -> None:
    corpus, report, _ = bad
    assert report.added == GOOD_RELS
    assert {a.path for a in corpus.iter_articles()} == set(GOOD_RELS)
    assert report.articles == 7  # the jsonl file holds two good lines
    assert _hits(corpus, "veto") == {SEED_RELS[0].removesuffix(".txt")}
    assert _hits(corpus, "cosmonautes") == {SEED_RELS[2].removesuffix(".txt")}


def test_second_update_of_bad_corpus_does_no_work(bad) -> None:
    corpus, _, _ = bad
    report = corpus.update()
    assert (report.added, report.updated, report.removed) == ([], [], [])
    still = {s.path for s in report.skipped}
    assert {"binary.txt", "empty.txt", "huge.txt", "undecodable.txt", "self.txt"} <= still


def test_cp1252_file(bad) -> None:
    corpus, _, _ = bad
    article = corpus.article("cp1252")
    assert article.text == CP1252_TEXT
    assert "é" in article.text
    for query in ("président", "president", "réforme", "économie", "éditeur", "âge"):
        assert _hits(corpus, query) >= {"cp1252"}, query
    assert _hits(corpus, "réforme") == {"cp1252"}


def test_utf16_file(bad) -> None:
    corpus, _, _ = bad
    article = corpus.article("utf16")
    assert article.text == UTF16_TEXT
    assert "\ufeff" not in article.text
    assert _hits(corpus, "élections") == {"utf16"}


def test_jsonl_good_lines(bad) -> None:
    corpus, _, _ = bad
    assert corpus.article("feed/a").title == "Un titre"
    assert "Premier article du fichier." in corpus.article("feed/a").text
    assert "Second article du fichier" in corpus.article("feed/b").text
    assert [a.id for a in corpus.articles() if a.path == "feed.jsonl"] == ["feed/a", "feed/b"]


def test_markup_is_kept_literally(bad) -> None:
    corpus, _, _ = bad
    text = corpus.article("ansi").text
    assert "[bold]du balisage[/]" in text
    assert "\x1b" not in text
    assert _hits(corpus, "balisage") == {"ansi"}


def test_ansi_escape_codes_are_removed(bad) -> None:
    """`ESC[31m` goes as a whole: no `[31m` glued to the next word, which stays searchable."""
    corpus, _, _ = bad
    text = corpus.article("ansi").text
    assert "[31m" not in text and "[0m" not in text
    assert "des codes ANSI au milieu." in text
    assert _hits(corpus, "codes") == {"ansi"}


def test_same_name_different_extensions(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text("Un article sur la pêche en Bretagne, au large.\n", "utf-8")
    (root / "a.md").write_text("# Moulins\n\nUn article sur les moulins de Hollande.\n", "utf-8")
    corpus = Corpus(root, tmp_path / "index")
    report = corpus.update()
    assert report.added == ["a.md", "a.txt"]
    summaries = corpus.articles()
    assert len(summaries) == 2
    assert len({s.id for s in summaries}) == 2
    assert {s.path for s in summaries} == {"a.txt", "a.md"}
    by_path = {s.path: s.id for s in summaries}
    assert _hits(corpus, "moulins") == {by_path["a.md"]}
    assert _hits(corpus, "pêche") == {by_path["a.txt"]}
    assert corpus.article(by_path["a.txt"]).path == "a.txt"
    # The ids stay put on the next update.
    corpus.update()
    assert {s.path: s.id for s in corpus.articles()} == by_path
    corpus.close()


def test_worker_processes_only_when_there_are_files_enough() -> None:
    from index.ingest.updating import AUTO_PROCS_FILES, MAX_AUTO_PROCS, auto_procs

    assert auto_procs(0) == auto_procs(AUTO_PROCS_FILES - 1) == 1
    assert auto_procs(AUTO_PROCS_FILES) == max(1, min(os.cpu_count() or 1, MAX_AUTO_PROCS))
