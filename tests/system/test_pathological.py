"""Hostile input (issue 6): files that are huge, deep, compressed, binary or odd.

Most tests build a corpus of the five seeds plus the bad files, run a whole
`Corpus.update()`, and check three things: nothing raises, the bad file is
either indexed sensibly or reported with a reason a user understands, and the
seeds are all indexed and searchable as if the bad file were not there. The
others test the bounds on their own: passages, words, the model's pieces.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh import index as whoosh_index

from index import Corpus, IngestReport
from index.analysis import MAX_WORD_CHARS, FrenchAnalyzer, stems
from index.corpus import WHOOSH_DIR
from index.entities.ner import MAX_PIECE_CHARS, prepare, recognise, split_text
from index.ingest.clean import PASSAGE_MAX_CHARS, clean_article
from index.ingest.formats import MAX_TITLE_CHARS, RawDocument
from index.ingest.reading import read_bounded
from index.ingest.scan import MAX_FILE_BYTES
from index.storage.store import ARTICLES
from tests.conftest import SEEDS_DIR, copy_seeds

FRENCH = (
    "Le Conseil de sécurité des Nations unies s’est réuni mardi à New York. "
    "Les diplomates ont longuement débattu du veto russe et de ses conséquences.\n"
)
MB = 1024 * 1024


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the seeds, to which each test adds its bad files."""
    return copy_seeds(tmp_path / "corpus")


@pytest.fixture
def open_corpora() -> Iterator[list[Corpus]]:
    """The corpora a test opens, closed after it."""
    corpora: list[Corpus] = []
    yield corpora
    for corpus in corpora:
        corpus.close()


def _update(
    root: Path, tmp_path: Path, corpora: list[Corpus], *, entities: bool = False
) -> tuple[Corpus, IngestReport]:
    corpus = Corpus(root, tmp_path / "index", entities=entities)
    corpora.append(corpus)
    return corpus, corpus.update()


def _assert_seeds_intact(corpus: Corpus, report: IngestReport) -> None:
    """The five seeds are indexed, none reported, and searchable as usual."""
    seeds = sorted(path.stem for path in SEEDS_DIR.glob("*.txt"))
    ids = {summary.id for summary in corpus.articles()}
    assert set(seeds) <= ids
    assert not [s for s in report.skipped if s.path.startswith(tuple(seeds))]
    assert {hit.id[:3] for hit in corpus.search("veto").results} >= {"000", "004"}
    assert {hit.id[:3] for hit in corpus.search('"Kim Jong"').results}


def _reasons(report: IngestReport) -> dict[str, str]:
    return {skipped.path: skipped.reason for skipped in report.skipped}


def _longest_term(index_dir: Path) -> int:
    """The length of the longest term of the articles index (title and content)."""
    ix = whoosh_index.open_dir(str(index_dir / WHOOSH_DIR / ARTICLES))
    with ix.reader() as reader:
        return max(len(term) for field in ("title", "content") for term in reader.lexicon(field))


# ---------------------------------------------------------------- size


def test_file_of_50_mb_is_skipped_on_size_before_reading(
    root: Path, tmp_path: Path, open_corpora: list[Corpus], monkeypatch: pytest.MonkeyPatch
) -> None:
    with open(root / "huge.txt", "wb") as handle:
        handle.truncate(50 * MB)  # sparse: quick to write, no disk used
    opened: list[Path] = []
    real_read = read_bounded

    def spy(path: Path) -> tuple[bytes | None, str]:
        opened.append(Path(path))
        return real_read(path)

    monkeypatch.setattr("index.ingest.reading.read_bounded", spy)
    corpus, report = _update(root, tmp_path, open_corpora)
    assert _reasons(report)["huge.txt"] == "too large: 50.0 MB, the limit is 20 MB"
    assert root / "huge.txt" not in opened
    assert len(opened) == 5
    _assert_seeds_intact(corpus, report)


def test_a_file_grown_since_the_scan_is_not_read_whole(tmp_path: Path) -> None:
    grown = tmp_path / "grown.txt"
    with open(grown, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    assert read_bounded(grown) == (None, "too large: 20.0 MB, the limit is 20 MB")


def test_a_fifo_swapped_in_since_the_scan_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert read_bounded(fifo) == (None, "not a regular file")


# ---------------------------------------------------------------- one line of 5 MB


def _unbroken(chars: int) -> str:
    """Letters with no space, varied enough that no two 64-letter windows repeat much."""
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    return "".join(alphabet[(i * i + i // 7) % 26] for i in range(chars))


def test_a_line_of_5_mb_with_no_space_is_indexed_in_bounded_passages(
    root: Path, tmp_path: Path, open_corpora: list[Corpus]
) -> None:
    line = _unbroken(5 * MB)
    text = (
        "Une ligne sans fin\n\n"
        f"{line}\n\n"
        "Vladimir Poutine a reçu Kim Jong-un à Moscou pour parler du nucléaire.\n"
    )
    (root / "line.txt").write_text(text, encoding="utf-8")
    started = time.perf_counter()
    corpus, report = _update(root, tmp_path, open_corpora, entities=True)
    elapsed = time.perf_counter() - started
    assert "line.txt" in report.added
    assert "line.txt" not in _reasons(report)
    article = corpus.article("line")
    assert max(p.end - p.start for p in article.passages) <= PASSAGE_MAX_CHARS
    # Cut anywhere since it has no space, and not a letter lost.
    body = [article.passage_text(p) for p in article.passages if p.kind == "paragraph"]
    assert "".join(body[:-1]) == line
    # No term of megabytes: an unbroken run of letters is no word.
    assert _longest_term(tmp_path / "index") <= MAX_WORD_CHARS
    assert {hit.id for hit in corpus.search("nucléaire Moscou").results} >= {"line"}
    # The model read the text around the long line, at the right offsets.
    named = {m.text: m for m in article.mentions}
    assert "Vladimir Poutine" in named
    assert all(article.text[m.start : m.end] == m.text for m in article.mentions)
    _assert_seeds_intact(corpus, report)
    assert elapsed < 60, f"the update took {elapsed:.0f} s"


def test_a_line_of_5_mb_of_words_is_cut_between_words(
    root: Path, tmp_path: Path, open_corpora: list[Corpus]
) -> None:
    words = "la guerre en Ukraine et le veto russe au Conseil de sécurité "
    line = (words * (5 * MB // len(words))).strip()  # no sentence end at all
    (root / "words.txt").write_text(f"Sans point final\n\n{line}\n", encoding="utf-8")
    corpus, report = _update(root, tmp_path, open_corpora)
    assert "words.txt" in report.added
    article = corpus.article("words")
    paragraphs = [article.passage_text(p) for p in article.passages if p.kind == "paragraph"]
    assert len(paragraphs) > 5 * MB // PASSAGE_MAX_CHARS
    assert all(len(p) <= PASSAGE_MAX_CHARS for p in paragraphs)
    assert " ".join(paragraphs) == line  # cut at spaces only: no word broken
    assert "words" in {hit.id for hit in corpus.search('"veto russe"').results}
    _assert_seeds_intact(corpus, report)


def test_a_caption_of_megabytes_is_cut_too() -> None:
    caption = "<p>" + _unbroken(50_000) + " - AFP/JEAN DUPONT</p>"
    article = clean_article(RawDocument("a", "a.txt", f"Titre\n\n{FRENCH}\n{caption}\n"))
    assert max(p.end - p.start for p in article.passages) <= PASSAGE_MAX_CHARS
    assert {p.kind for p in article.passages} == {"title", "paragraph", "caption"}


def test_words_too_long_give_no_term() -> None:
    long_word = "x" * (MAX_WORD_CHARS + 1)
    assert stems(f"guerre {long_word} Ukraine") == ["guerr", "ukrain"]
    tokens = FrenchAnalyzer()(f"guerre {long_word} Ukraine", positions=True, removestops=False)
    assert [(t.text, t.pos) for t in tokens] == [("guerr", 0), ("ukrain", 1)]
    assert stems("x" * MAX_WORD_CHARS) == ["x" * MAX_WORD_CHARS]


@given(st.text(alphabet=st.sampled_from("ab \n"), max_size=300), st.integers(4, 40))
def test_pieces_for_the_model_cover_the_text(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    # Each piece put back at its offset: the text again, but for the blank pieces left out.
    covered = [" "] * len(text)
    for offset, piece in pieces:
        covered[offset : offset + len(piece)] = piece
    assert "".join(covered).split() == text.split()
    for offset, piece in pieces:
        assert len(piece) <= limit
        assert text[offset : offset + len(piece)] == piece
        assert not piece.isspace()


def test_the_model_reads_no_unbroken_run_but_keeps_offsets() -> None:
    text = f"Paris {'(' * 5000} Berlin"
    prepared = prepare(text)
    assert len(prepared) == len(text)
    assert prepared.split() == ["Paris", "Berlin"]
    assert prepared.index("Berlin") == text.index("Berlin")
    assert all(len(piece) <= MAX_PIECE_CHARS for _o, piece in split_text("a " * 20_000))


def test_a_long_text_is_read_in_pieces_with_its_offsets() -> None:
    filler = "Le texte continue ainsi, sans aucun nom propre. " * 300
    assert len(filler) > MAX_PIECE_CHARS
    texts = ["", filler + "Angela Merkel est arrivée à Berlin.", "  ", "Vladimir Poutine."]
    spans = list(recognise(texts))
    assert len(spans) == len(texts)
    assert spans[0] == [] and spans[2] == []
    found = {texts[1][span.start : span.end] for span in spans[1]}
    assert {"Angela Merkel", "Berlin"} <= found


def test_an_overlong_title_field_is_no_title() -> None:
    from index.ingest.formats import read_documents
    from index.ingest.scan import FileEntry

    record = f'{{"id": "a", "title": "{"Titre " * MAX_TITLE_CHARS}", "text": "{FRENCH.strip()}"}}'
    entry = FileEntry("feed.jsonl", Path("feed.jsonl"), 0, 0)
    (document,), _problems = read_documents(entry, record.encode())
    assert document.title is None
    assert clean_article(document).title.startswith("Le Conseil de sécurité")


# ---------------------------------------------------------------- deep HTML


def _nested(depth: int, tag: str = "div") -> str:
    inner = f"<p>{FRENCH}</p><p>Un paragraphe sur le nucléaire nord-coréen.</p>"
    return (
        "<html><head><title>Une page profonde</title><script>var x = '<p>code</p>';</script>"
        f"</head><body>{f'<{tag}>' * depth}{inner}{f'</{tag}>' * depth}"
        "<p>La fin de la page, après toutes les balises.</p></body></html>"
    )


@pytest.mark.parametrize(
    ("name", "html"),
    [
        pytest.param("deep5000.html", _nested(5_000), id="5000-divs"),
        pytest.param("deep100000.html", _nested(100_000), id="100000-divs"),
        # Unclosed tags of an old page nest as deep as hostile ones.
        pytest.param(
            "fonts.html",
            "<html><body>" + "<font size=2>Ligne du texte. " * 400 + FRENCH,
            id="400-unclosed-fonts",
        ),
    ],
)
def test_deeply_nested_html_is_read_whole_without_recursion(
    name: str, html: str, root: Path, tmp_path: Path, open_corpora: list[Corpus]
) -> None:
    (root / name).write_text(html, encoding="utf-8")
    started = time.perf_counter()
    corpus, report = _update(root, tmp_path, open_corpora)
    assert time.perf_counter() - started < 30
    assert name in report.added
    assert _reasons(report)[name] == (
        "HTML nested too deeply (over 255 levels): kept the whole page text"
    )
    article = corpus.article(name.removesuffix(".html"))
    assert "Le Conseil de sécurité des Nations unies" in article.text
    assert "code" not in article.text  # the script is no text
    if name.startswith("deep"):
        assert article.title == "Une page profonde"
        assert article.text.rstrip().endswith("La fin de la page, après toutes les balises.")
    hits = {hit.id for hit in corpus.search('"Conseil de sécurité" AND diplomates').results}
    assert name.removesuffix(".html") in hits
    _assert_seeds_intact(corpus, report)


def test_shallow_html_is_not_flagged(
    root: Path, tmp_path: Path, open_corpora: list[Corpus]
) -> None:
    (root / "page.html").write_text(_nested(200), encoding="utf-8")
    corpus, report = _update(root, tmp_path, open_corpora)
    assert "page.html" in report.added
    assert "page.html" not in _reasons(report)
    assert "Nations unies" in corpus.article("page").text


# ---------------------------------------------------------------- not text at all


def _zip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", data)
    return buffer.getvalue()


ARTICLE = ("Titre\n\n" + FRENCH * 20).encode()
NOT_TEXT: dict[str, tuple[bytes, str]] = {
    "gzipped.html": (gzip.compress(b"<html><body><p>" + ARTICLE + b"</p></body></html>"), "gzip"),
    "gzipped.txt": (gzip.compress(ARTICLE), "gzip"),
    "zipped.txt": (_zip(ARTICLE), "zip"),
    "bzipped.txt": (bz2.compress(ARTICLE), "bzip2"),
    "xz.md": (lzma.compress(ARTICLE), "xz"),
    "zstd.txt": (b"(\xb5/\xfd\x04\x58" + os.urandom(200), "zstd"),
    "report.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + os.urandom(200), "PDF"),
    "photo.html": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(200), "PNG"),
    "program.txt": (b"\x7fELF\x02\x01\x01\x00" + bytes(200), "executable"),
}
EXPECTED_REASONS: dict[str, str] = {
    **{name: f"compressed or binary file ({kind})" for name, (_data, kind) in NOT_TEXT.items()},
    "empty.txt": "empty file",
    "blank.md": "empty file",
    "nuls.txt": "binary file",
    # NULs on one parity, like UTF-16 without a byte-order mark, but control characters:
    "nuls-utf16.txt": "undecodable bytes (too many control or invalid characters)",
    "empty.jsonl": "empty file",
}


def test_compressed_binary_and_empty_files_are_skipped_with_a_reason(
    root: Path, tmp_path: Path, open_corpora: list[Corpus]
) -> None:
    for name, (data, _kind) in NOT_TEXT.items():
        (root / name).write_bytes(data)
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.md").write_bytes(b" \n\t\r\n   \n")
    (root / "nuls.txt").write_bytes(bytes(4096))
    (root / "utf16.txt").write_bytes(FRENCH.encode("utf-16-le"))  # no byte-order mark: read
    (root / "nuls-utf16.txt").write_bytes(bytes(range(1, 20)).replace(b"", b"\x00")[1:] * 50)
    (root / "empty.jsonl").write_bytes(b"\n\n")
    corpus, report = _update(root, tmp_path, open_corpora)
    reasons = _reasons(report)
    assert {name: reasons.get(name) for name in EXPECTED_REASONS} == EXPECTED_REASONS
    assert sorted(report.added) == sorted(
        [*(path.name for path in SEEDS_DIR.glob("*.txt")), "utf16.txt"]
    )
    _assert_seeds_intact(corpus, report)
    # Reported again, unchanged, without being read again.
    again = corpus.update()
    assert not again.changed
    assert {name: _reasons(again).get(name) for name in EXPECTED_REASONS} == EXPECTED_REASONS


def test_odd_entries_are_reported_or_walked(
    root: Path, tmp_path: Path, open_corpora: list[Corpus], monkeypatch: pytest.MonkeyPatch
) -> None:
    os.mkfifo(root / "pipe.txt")
    (root / "gone.txt").symlink_to(root / "nowhere.txt")
    (root / "x.txt").mkdir()  # a folder with an article's name is a folder
    (root / "x.txt" / "inner.txt").write_text(FRENCH, encoding="utf-8")
    locked = root / "locked.txt"
    locked.write_text(FRENCH, encoding="utf-8")
    # Root reads whatever the mode: the file becomes unreadable between the scan
    # (its first open) and the read (the second).
    real_open = os.open
    opens: list[str] = []

    def fake_open(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if Path(path) == locked:
            opens.append(str(path))
            if len(opens) > 1:
                raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", fake_open)
    corpus, report = _update(root, tmp_path, open_corpora)
    reasons = _reasons(report)
    assert reasons["pipe.txt"] == "not a regular file"
    assert reasons["gone.txt"] == "broken symlink"
    assert reasons["locked.txt"] == "unreadable: permission denied"
    assert "x.txt" not in reasons
    assert "x.txt/inner.txt" in report.added
    assert "x.txt/inner" in {hit.id for hit in corpus.search("diplomates").results}
    _assert_seeds_intact(corpus, report)


# ---------------------------------------------------------------- many tiny files


def test_thousands_of_tiny_files_are_all_indexed_then_found_unchanged(
    root: Path, tmp_path: Path, open_corpora: list[Corpus]
) -> None:
    count = 2_000
    folder = root / "dépêches"
    for n in range(count):
        sub = folder / f"{n // 500:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"d{n:05d}.txt").write_text(
            f"Dépêche {n}\n\nLe ministre numéro {n} a parlé du budget{n} à Paris.\n",
            encoding="utf-8",
        )
    corpus, report = _update(root, tmp_path, open_corpora)
    assert len(report.added) == count + 5
    assert not report.skipped
    assert report.articles == count + 5
    assert [hit.id for hit in corpus.search("budget1234").results] == ["dépêches/02/d01234"]
    started = time.perf_counter()
    again = corpus.update()
    assert time.perf_counter() - started < 2.0
    assert (again.unchanged, again.changed, again.skipped) == (count + 5, False, [])
    _assert_seeds_intact(corpus, again)
