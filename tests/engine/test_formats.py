"""read_documents: one file in, raw documents and per-document problems out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.errors import DecodeError
from index.ingest.formats import RawDocument, read_documents
from index.ingest.scan import FileEntry

ARTICLE_PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Poutine à Pyongyang : ce qu’il faut savoir</title>
<meta property="article:published_time" content="2024-06-18">
<meta property="og:site_name" content="Le Quotidien">
<script>var MARKER_SCRIPT_HEAD = 1;</script>
</head>
<body>
<nav><ul>
<li><a href="/">Accueil</a></li>
<li><a href="/monde">MARKER_MENU Monde</a></li>
<li><a href="/eco">Économie</a></li>
</ul></nav>
<main><article>
<h1>Poutine à Pyongyang : ce qu’il faut savoir</h1>
<p>Quelques heures avant son arrivée prévue ce mardi à Pyongyang, Vladimir Poutine
s’est félicité du « ferme soutien » apporté par la Corée du Nord à la guerre.</p>
<p>Le président russe doit effectuer une visite d’État de deux jours dans le pays.
Sa précédente et première visite en Corée du Nord remonte à près de 25 ans.</p>
<h2>Le cercle des pays autoritaires</h2>
<p>Les deux pays pourraient signer un accord de partenariat stratégique, comme le
laisse entrevoir un document publié ce mardi par le Kremlin, selon l’agence.</p>
<p>Kim Jong Un avait rencontré Vladimir Poutine en septembre dernier dans
l’Extrême-Orient russe, une rencontre suivie de près par les chancelleries.</p>
</article></main>
<script>console.log("MARKER_SCRIPT_BODY");</script>
<footer><p>MARKER_FOOTER © 2024 Le Quotidien. Tous droits réservés. Mentions légales.</p></footer>
</body>
</html>
"""

PARAGRAPHS = (
    "Quelques heures avant son arrivée prévue ce mardi à Pyongyang, Vladimir Poutine "
    "s’est félicité du « ferme soutien » apporté par la Corée du Nord à la guerre.",
    "Le président russe doit effectuer une visite d’État de deux jours dans le pays. "
    "Sa précédente et première visite en Corée du Nord remonte à près de 25 ans.",
    "Les deux pays pourraient signer un accord de partenariat stratégique, comme le "
    "laisse entrevoir un document publié ce mardi par le Kremlin, selon l’agence.",
    "Kim Jong Un avait rencontré Vladimir Poutine en septembre dernier dans "
    "l’Extrême-Orient russe, une rencontre suivie de près par les chancelleries.",
)


def _entry(rel: str, data: bytes = b"") -> FileEntry:
    return FileEntry(rel, Path("/corpus") / rel, len(data), 0)


def _read(rel: str, data: bytes) -> tuple[list[RawDocument], list[str]]:
    return read_documents(_entry(rel, data), data)


def test_txt_is_one_document_as_written() -> None:
    text = " date 2024-06 Quelques heures avant…\n\nLe président russe.\n*.*.*.\nSource\n"
    docs, problems = _read("000_34fdb793e7d525a8.txt", text.encode())
    assert docs == [RawDocument("000_34fdb793e7d525a8", "000_34fdb793e7d525a8.txt", text)]
    assert problems == []


def test_md_is_one_document_as_written() -> None:
    text = "# Titre\n\nUn **paragraphe** avec [un lien](https://example.org).\n"
    docs, problems = _read("notes/a.md", text.encode())
    assert docs == [RawDocument("notes/a", "notes/a.md", text)]
    assert problems == []


def test_txt_decode_errors_propagate() -> None:
    with pytest.raises(DecodeError, match="empty file"):
        _read("a.txt", b"  \n")


def test_html_main_text_title_date_source() -> None:
    docs, problems = _read("web/poutine.html", ARTICLE_PAGE.encode())
    assert problems == []
    (doc,) = docs
    assert doc.id == "web/poutine"
    assert doc.path == "web/poutine.html"
    assert doc.title == "Poutine à Pyongyang : ce qu’il faut savoir"
    assert doc.date == "2024-06-18"
    assert doc.source == "Le Quotidien"
    assert doc.lang == "fr"
    blocks = doc.text.split("\n\n")
    for paragraph in PARAGRAPHS:
        assert paragraph in blocks
    assert "## Le cercle des pays autoritaires" in blocks
    for marker in ("MARKER_MENU", "Accueil", "MARKER_SCRIPT", "MARKER_FOOTER", "console"):
        assert marker not in doc.text


def test_html_paragraphs_keep_reading_order() -> None:
    (doc,) = _read("a.htm", ARTICLE_PAGE.encode())[0]
    positions = [doc.text.index(paragraph) for paragraph in PARAGRAPHS]
    assert positions == sorted(positions)


def test_html_cp1252_with_meta_charset() -> None:
    page = (
        '<html><head><meta charset="windows-1252"><title>L’été à Noël</title></head>'
        "<body><article><p>L’armée a déclaré « bonjour » à tous les habitants du village, "
        "selon un communiqué publié mardi par la préfecture.</p>"
        "<p>Un deuxième paragraphe, avec des “guillemets” anglais et une ellipse…</p>"
        "</article></body></html>"
    )
    (doc,), _ = _read("cp.html", page.encode("cp1252"))
    assert doc.title == "L’été à Noël"
    assert doc.text.split("\n\n") == [
        "L’armée a déclaré « bonjour » à tous les habitants du village, "
        "selon un communiqué publié mardi par la préfecture.",
        "Un deuxième paragraphe, avec des “guillemets” anglais et une ellipse…",
    ]


def test_html_meta_charset_is_honoured_for_other_encodings() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-7">'
        "</head><body><p>Ελληνικά νέα</p></body></html>"
    )
    (doc,), _ = _read("gr.html", page.encode("iso-8859-7"))
    assert doc.text == "Ελληνικά νέα"


def test_html_without_article_falls_back_to_body_text() -> None:
    page = (
        "<html><body><nav>Menu</nav><script>var x = 1;</script>"
        "<table><tr><td>Une cellule de texte assez longue pour un article.</td></tr></table>"
        "<footer>Pied de page</footer></body></html>"
    )
    (doc,), problems = _read("table.html", page.encode())
    assert doc.text == "Une cellule de texte assez longue pour un article."
    assert len(problems) == 1


def test_html_without_text_raises() -> None:
    page = b"<html><head><title>Vide</title></head><body><script>x()</script></body></html>"
    with pytest.raises(DecodeError, match="no article in the page"):
        _read("empty.html", page)


NO_TEXT = "no text field (looked for text, maintext, content, body, article, full_text)"


def _jsonl(*lines: object) -> bytes:
    return "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines).encode()


def test_jsonl_good_bad_and_blank_lines() -> None:
    data = _jsonl(
        {"id": "dw-42", "text": "Premier article.", "title": "Un", "date": "2024-06-18"},
        {"text": "Deuxième article.", "source": "AFP", "lang": "fr"},
        "{not json",
        "",
        {"title": "sans texte"},
        {"id": "a b/c", "text": "Troisième article."},
    )
    docs, problems = _read("feeds/wire.jsonl", data)
    assert [doc.id for doc in docs] == ["feeds/wire/dw-42", "feeds/wire/2", "feeds/wire/a_b_c"]
    assert {doc.path for doc in docs} == {"feeds/wire.jsonl"}
    assert docs[0] == RawDocument(
        "feeds/wire/dw-42", "feeds/wire.jsonl", "Premier article.", title="Un", date="2024-06-18"
    )
    assert (docs[1].source, docs[1].lang, docs[1].title) == ("AFP", "fr", None)
    assert problems == ["line 3: malformed JSON", f"line 5: {NO_TEXT}"]


def test_jsonl_odd_records() -> None:
    data = _jsonl(
        [1, 2],
        {"text": "   "},
        {"text": 12},
        {"id": 7, "text": "Un", "date": 2024},
        {"id": 7, "text": "Deux"},
        {"text": "ligne\r\navec\x00contrôle"},  # JSON escapes of CRLF and NUL
    )
    docs, problems = _read("x.jsonl", data)
    assert [doc.id for doc in docs] == ["x/7", "x/5", "x/6"]
    assert docs[0].date == "2024"  # a number: a year or a timestamp, read by the date finder
    assert docs[2].text == "ligne\naveccontrôle"
    assert problems == [
        "line 1: not a JSON object",
        f"line 2: {NO_TEXT}",
        f"line 3: {NO_TEXT}",
        "line 5: duplicate id, named 5 instead",
    ]


def test_jsonl_only_bad_lines_raises() -> None:
    data = _jsonl("{broken", "", {"title": "no text"})
    with pytest.raises(DecodeError, match=r"no readable line \(2 malformed\)"):
        _read("bad.jsonl", data)


def test_unsupported_suffix_raises() -> None:
    with pytest.raises(DecodeError, match="unsupported"):
        _read("a.pdf", b"x")


def test_jsonl_reads_the_fields_scrapers_write() -> None:
    data = _jsonl(
        {  # news-please
            "maintext": "Le texte de news-please.",
            "title": "Un titre",
            "date_publish": "2024-06-18 10:32:00",
            "source_domain": "www.example.org",
            "language": "fr",
        },
        {"headline": "Un fil", "body": "Le corps.", "pubDate": "Tue, 18 Jun 2024 23:10:00 GMT"},
        {"content": ["Premier paragraphe.", "Second paragraphe."], "published": "juin 2024"},
        {"text": "", "content": "Le contenu, quand le texte est vide.", "date": None},
    )
    docs, problems = _read("scrape.jsonl", data)
    assert problems == []
    assert [(d.title, d.date, d.source, d.lang) for d in docs] == [
        ("Un titre", "2024-06-18 10:32:00", "www.example.org", "fr"),
        ("Un fil", "Tue, 18 Jun 2024 23:10:00 GMT", None, None),
        (None, "juin 2024", None, None),
        (None, None, None, None),
    ]
    assert [d.text for d in docs] == [
        "Le texte de news-please.",
        "Le corps.",
        "Premier paragraphe.\n\nSecond paragraphe.",
        "Le contenu, quand le texte est vide.",
    ]


def test_jsonl_a_bad_date_is_said_and_the_record_kept() -> None:
    data = _jsonl(
        {"text": "Un.", "date_publish": "n/a"},
        {"text": "Deux.", "date": {"$date": 1}},
        {"text": "Trois.", "published": "2024-13-45"},
    )
    docs, problems = _read("x.jsonl", data)
    assert len(docs) == 3
    assert problems == [
        'line 1: date_publish "n/a" is not a date',
        'line 2: date {"$date": 1} is not a date',
        'line 3: published "2024-13-45" is not a date',
    ]


def test_jsonl_too_deep_is_a_problem_not_a_crash() -> None:
    data = _jsonl("[" * 100_000 + "]" * 100_000, {"text": "Un article."})
    docs, problems = _read("deep.jsonl", data)
    assert [d.text for d in docs] == ["Un article."]
    assert problems == ["line 1: JSON nested too deeply"]


SHELL_PAGE = """<!DOCTYPE html>
<html lang="fr" ng-app="nrco"><head><meta charset="utf-8">
<title>{{nrco.contentDetailController.content.title}}</title></head>
<body ng-controller="contentDetailController as nrco">
<header><nav><a href="/">Accueil</a></nav></header>
<main>
<h1>{{nrco.contentDetailController.content.title}}</h1>
<p>{{nrco.contentDetailController.content.publishedDate | date:'dd/MM/yyyy'}}</p>
<div>{{nrco.contentDetailController.content.body}}</div>
<p>Chargement en cours…</p>
</main>
<noscript>Veuillez activer JavaScript pour lire cet article.</noscript>
</body></html>
"""


def test_html_client_side_shell_is_no_article() -> None:
    with pytest.raises(DecodeError, match=r"^no article in the page$"):
        _read("shell.html", SHELL_PAGE.encode())


def test_html_placeholders_around_an_article_are_dropped() -> None:
    page = ARTICLE_PAGE.replace(
        "<h1>Poutine à Pyongyang : ce qu’il faut savoir</h1>",
        "<h1>Poutine à Pyongyang : ce qu’il faut savoir</h1><p>{{ article.kicker }}</p>",
    ).replace(
        "<title>Poutine à Pyongyang : ce qu’il faut savoir</title>", "<title>${title}</title>"
    )
    (doc,), _ = _read("half.html", page.encode())
    assert "{{" not in doc.text
    assert PARAGRAPHS[0] in doc.text
    assert doc.title != "${title}"


def test_html_reader_that_cannot_load_skips_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """An installation whose HTML extractor cannot be imported (jusText without
    `lxml_html_clean`) skips the page with the reason, never raises ImportError."""
    import sys

    for name in [n for n in sys.modules if n == "trafilatura" or n.startswith("trafilatura.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # `import trafilatura` raises
    with pytest.raises(DecodeError, match=r"^cannot read HTML here: .*trafilatura"):
        _read("web/poutine.html", ARTICLE_PAGE.encode())


def test_html_reader_that_fails_skips_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    import index.ingest.formats as formats

    def broken(html: str) -> bool:
        raise RuntimeError("a library error\non two lines")

    monkeypatch.setattr(formats, "_too_deep", broken)
    with pytest.raises(DecodeError, match=r"^cannot read HTML: RuntimeError: a library error on"):
        _read("web/poutine.html", ARTICLE_PAGE.encode())
