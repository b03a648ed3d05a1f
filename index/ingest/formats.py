"""Readers for the file formats of a corpus: one file gives one or more raw documents.

Readers only decode and extract; finding the title, date and passages in plain
text is the cleaner's job, so .txt and .md text is handed over as written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from index.errors import DecodeError
from index.ingest.dates import normalise
from index.ingest.decode import clean_text, decode_bytes
from index.ingest.scan import doc_id_for

if TYPE_CHECKING:
    from index.ingest.scan import FileEntry

__all__ = ["RawDocument", "read_documents"]


@dataclass(frozen=True)
class RawDocument:
    """A document as read from disk, before cleaning.

    `text` is decoded text (str). `title`/`date`/`source`/`lang` are set when the
    format carries them (HTML metadata, JSON Lines fields); otherwise the cleaner
    finds them in the text.
    """

    id: str
    path: str
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    lang: str | None = None


Problems = list[str]


def read_documents(entry: FileEntry, data: bytes) -> tuple[list[RawDocument], Problems]:
    """The documents of one file and the problems met on the way.

    Problems are per-document ("line 7: malformed JSON") and do not stop the
    file; a file that yields nothing readable raises DecodeError instead.
    """
    suffix = _suffix(entry.rel)
    if suffix in (".txt", ".md"):
        text = decode_bytes(data)
        return [RawDocument(doc_id_for(entry.rel), entry.rel, text)], []
    if suffix in (".html", ".htm"):
        return _guarded("HTML", _read_html, entry.rel, data)
    if suffix == ".jsonl":
        return _guarded("JSON Lines", _read_jsonl, entry.rel, data)
    raise DecodeError(f"unsupported file type {suffix or '(no extension)'}")


def _guarded(
    kind: str,
    reader: Callable[[str, bytes], tuple[list[RawDocument], Problems]],
    rel: str,
    data: bytes,
) -> tuple[list[RawDocument], Problems]:
    """`reader`'s documents; a reader that cannot work here skips the file with its reason.

    The HTML reader leans on third-party libraries: one that is missing or broken
    in this installation (an upstream release that drops a module) or that fails
    on this page must cost the file, not the update.
    """
    try:
        return reader(rel, data)
    except DecodeError:
        raise
    except ImportError as error:
        raise DecodeError(f"cannot read {kind} here: {_one_line(error)}") from error
    except MemoryError:
        raise
    except Exception as error:
        name = type(error).__name__
        raise DecodeError(f"cannot read {kind}: {name}: {_one_line(error)}") from error


def _one_line(error: BaseException) -> str:
    return _shorten(" ".join(str(error).split()) or type(error).__name__, 200)


def _suffix(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


# ---------------------------------------------------------------- HTML

# Looked for in the first bytes only, as browsers do (the HTML prescan reads 1024).
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?\s*([A-Za-z]{2,3})\b""", re.I)
_PRESCAN_BYTES = 4096

# Trafilatura's output tags that stay inside a paragraph.
_INLINE_TAGS = frozenset({"lb", "hi", "ref", "del", "graphic", "span"})
# Page furniture the fallback drops before stripping tags.
_NOT_CONTENT = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "iframe", "svg", "button", "select",
)  # fmt: skip
_BLOCK_TAGS = frozenset((
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "tr", "table",
    "section", "article", "main", "blockquote", "pre", "figure", "figcaption", "ul", "ol",
    "dl", "address", "hr",
))  # fmt: skip
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# libxml2's depth limit without XML_PARSE_HUGE (which only raises it to 2048).
_LXML_MAX_DEPTH = 255
# A "title" longer than this is a page's text in the wrong field: the cleaner
# finds a title in the text instead.
MAX_TITLE_CHARS = 500


def _read_html(rel: str, data: bytes) -> tuple[list[RawDocument], Problems]:
    html = decode_bytes(data, declared_encoding=_declared_charset(data))
    if _too_deep(html):
        return _read_deep_html(rel, html)
    problems: Problems = []
    doc = _extract_main(html)
    text = _without_templates(_body_text(doc)) if doc is not None else ""
    title = _meta(doc, "title")
    if not text:
        text = _without_templates(_fallback_text(html))
        if not text:
            raise DecodeError(_NO_ARTICLE)
        problems.append("no main article found, kept the whole page text")
    raw = RawDocument(
        id=doc_id_for(rel),
        path=rel,
        text=text,
        title=title,
        date=_meta(doc, "date"),
        source=_meta(doc, "sitename"),
        lang=_html_lang(html),
    )
    return [raw], problems


_NO_ARTICLE = "no article in the page"
# A template's placeholder, left in a page that a script fills in the browser
# (`{{nrco.contentDetailController.title}}`, `${title}`, `{% block %}`, `<%= body %>`).
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\$\{[^{}\n]*\}|<%.*?%>", re.S)
# What a page with placeholders must still say for its own text to be an article
# (static words around the placeholders: `Chargement…`, a menu).
_SHELL_MIN_CHARS = 200


def _without_templates(text: str) -> str:
    """`text` without the paragraphs that are template placeholders.

    A page made of placeholders is a client-side shell: the article is fetched
    by a script and was never in the file. Its few static words are no article:
    such a page gives DecodeError("no article in the page").
    """
    if not _TEMPLATE.search(text):
        return text
    kept = [block for block in text.split("\n\n") if not _TEMPLATE.search(block)]
    remaining = "\n\n".join(kept)
    if len(remaining) < _SHELL_MIN_CHARS:
        raise DecodeError(_NO_ARTICLE)
    return remaining


def _too_deep(html: str) -> bool:
    """Whether the page nests more elements than lxml builds (255 levels).

    Past that depth libxml2 stops with a resource-limit error and keeps only the
    tree built so far: the article extractor and the fallback would both read
    part of the page and say nothing. Unclosed `<font>` or `<div>` tags, common
    in old pages, nest as deep as a hostile page does.
    """
    if html.count("<") < _LXML_MAX_DEPTH:
        return False  # too few tags to nest that deep: spare the parse
    import lxml.html  # type: ignore[import-untyped]
    from lxml import etree

    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError):
        return False  # the extractors say why on their own
    return any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log)


def _read_deep_html(rel: str, html: str) -> tuple[list[RawDocument], Problems]:
    """The text of a page too deep for a tree, read as a flat stream of tags."""
    title, text = _flat_text(html)
    text = _without_templates(text)
    if not text:
        raise DecodeError(f"HTML nested too deeply (over {_LXML_MAX_DEPTH} levels), no text found")
    raw = RawDocument(id=doc_id_for(rel), path=rel, text=text, title=title, lang=_html_lang(html))
    problem = f"HTML nested too deeply (over {_LXML_MAX_DEPTH} levels): kept the whole page text"
    return [raw], [problem]


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:_PRESCAN_BYTES])
    return match.group(1).decode("ascii") if match else None


def _html_lang(html: str) -> str | None:
    match = _HTML_LANG.search(html[:_PRESCAN_BYTES])
    return match.group(1).lower() if match else None


def _extract_main(html: str) -> Any:
    """Trafilatura's Document for the page's main content, or None."""
    # Imported here: it costs a fifth of a second and corpora of .txt never need it.
    import trafilatura
    from trafilatura.settings import set_date_params

    try:
        return trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            output_format="python",
            # Metadata and URL only: a date picked from the body text is
            # often an event's date, not the article's.
            date_extraction_params=set_date_params(extensive=False),
        )
    except Exception:  # a third-party parser on hostile input: fall back, never crash
        return None


def _meta(doc: Any, name: str) -> str | None:
    value = getattr(doc, name, None) if doc is not None else None
    return _optional_str(value, name)


def _body_text(doc: Any) -> str:
    body = getattr(doc, "body", None)
    if body is None:
        return ""
    return clean_text("\n\n".join(_blocks(body))).strip()


def _blocks(element: Any) -> Iterator[str]:
    """The paragraphs of trafilatura's XML, headings written as Markdown.

    The `#` marks let the cleaner tell a section heading from a short paragraph.
    """
    if any(child.tag not in _INLINE_TAGS for child in element):
        yield from _container_blocks(element)
        return
    text = _inline_text(element)
    if not text:
        return
    if element.tag == "head":
        text = _heading_marks(element) + " " + " ".join(text.split())
    yield text


def _container_blocks(element: Any) -> Iterator[str]:
    if element.text and element.text.strip():
        yield _squeeze(element.text)
    for child in element:
        yield from _blocks(child)
        if child.tail and child.tail.strip():
            yield _squeeze(child.tail)


def _inline_text(element: Any) -> str:
    parts: list[str] = []
    _collect_inline(element, parts)
    return _squeeze("".join(parts))


def _collect_inline(element: Any, parts: list[str]) -> None:
    if element.tag == "lb":
        parts.append("\n")
    parts.append(element.text or "")
    for child in element:
        _collect_inline(child, parts)
        parts.append(child.tail or "")


def _heading_marks(element: Any) -> str:
    rend = element.get("rend") or ""
    level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2
    return "#" * level


def _squeeze(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _fallback_text(html: str) -> str:
    """The tag-stripped text of <body>, one block per paragraph-like element."""
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return ""
    body = tree.find("body")
    if body is None:
        return ""
    etree.strip_elements(body, *_NOT_CONTENT, etree.Comment, with_tail=False)
    for element in body.iter():
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif element.tag in _BLOCK_TAGS:
            element.tail = "\n\n" + (element.tail or "")
            element.text = "\n\n" + (element.text or "")
    return _paragraphs(body.text_content())


def _paragraphs(text: str) -> str:
    """Blocks separated by blank lines, each squeezed; empty blocks dropped."""
    paragraphs = (_squeeze(block) for block in text.split("\n\n"))
    return clean_text("\n\n".join(p for p in paragraphs if p)).strip()


class _FlatText(HTMLParser):
    """The text of a page from a stream of tags, at any depth: no tree, no recursion."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._in_title = False
        self._skipping: str | None = None  # inside <script> or <style>: code, not text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skipping = tag
        elif tag == "title":
            self._in_title = True
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._skipping:
            self._skipping = None
        elif tag == "title":
            self._in_title = False
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif self._skipping is None:
            self.parts.append(data)


def _flat_text(html: str) -> tuple[str | None, str]:
    """The title and the paragraphs of a page, read without building a tree."""
    parser = _FlatText()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # the standard parser on hostile input: keep what was read
        pass
    title = _optional_str(" ".join("".join(parser.title).split()), "title")
    return title, _paragraphs("".join(parser.parts))


# ---------------------------------------------------------------- JSON Lines

_UNSAFE_ID = re.compile(r"[\s/\\]+")
# The field names scrapers write each value under, in the order they are looked for:
# presse's own and most tools' first, then news-please's, then feeds' and APIs'.
TEXT_FIELDS = ("text", "maintext", "content", "body", "article", "full_text")
JSONL_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "date": (
        "date", "date_publish", "published", "pubDate", "published_at", "publishedAt",
        "date_published", "datePublished", "publication_date",
    ),
    "source": ("source", "source_domain", "site_name", "sitename", "publisher"),
    "lang": ("lang", "language"),
}  # fmt: skip


def _read_jsonl(rel: str, data: bytes) -> tuple[list[RawDocument], Problems]:
    base = doc_id_for(rel)
    docs: list[RawDocument] = []
    problems: Problems = []
    used: set[str] = set()
    for number, line in enumerate(decode_bytes(data).split("\n"), start=1):
        if not line.strip():
            continue
        record, problem = _parse_record(line)
        if record is None:
            problems.append(f"line {number}: {problem}")
            continue
        record_id, duplicate = _record_id(record.get("id"), number, used)
        if duplicate:
            problems.append(f"line {number}: duplicate id, named {record_id} instead")
        document = _jsonl_document(f"{base}/{record_id}", rel, record)
        date_field = _first_field(record, JSONL_FIELDS["date"])
        if date_field is not None and normalise(record[date_field]) is None:
            value = _shorten(json.dumps(record[date_field], ensure_ascii=False))
            problems.append(f"line {number}: {date_field} {value} is not a date")
        docs.append(document)
    if not docs:
        raise DecodeError(f"no readable line ({len(problems)} malformed)")
    return docs, problems


def _parse_record(line: str) -> tuple[dict[str, Any] | None, str]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return None, "malformed JSON"
    except RecursionError:
        return None, "JSON nested too deeply"
    if not isinstance(record, dict):
        return None, "not a JSON object"
    if not _record_text(record):
        return None, f"no text field (looked for {', '.join(TEXT_FIELDS)})"
    return record, ""


def _record_text(record: dict[str, Any]) -> str:
    """The record's article text: the first text field that has some, a list of
    paragraphs joined by blank lines."""
    for name in TEXT_FIELDS:
        value = record.get(name)
        if isinstance(value, list):
            value = "\n\n".join(part for part in value if isinstance(part, str))
        if isinstance(value, str) and value.strip():
            return value
    return ""


def _first_field(record: dict[str, Any], names: tuple[str, ...]) -> str | None:
    """The first of `names` the record gives a value (not null, not empty)."""
    for name in names:
        value = record.get(name)
        if value is not None and value != "":
            return name
    return None


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _record_id(value: object, number: int, used: set[str]) -> tuple[str, bool]:
    """A unique id for the record's part of the document id (no slash, no space).

    Falls back on the line number; the flag says a duplicate id was replaced.
    """
    candidate = ""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        candidate = _UNSAFE_ID.sub("_", str(value)).strip("_")
    duplicate = candidate in used
    if not candidate or duplicate:
        candidate = str(number)
    while candidate in used:  # a record whose own id is another's line number
        candidate += "_"
    used.add(candidate)
    return candidate, duplicate


def _jsonl_document(doc_id: str, rel: str, record: dict[str, Any]) -> RawDocument:
    # JSON escapes can smuggle in controls and CRLFs the byte decoder never saw.
    fields: dict[str, str | None] = {}
    for name, names in JSONL_FIELDS.items():
        found = _first_field(record, names)
        value = record.get(found) if found else None
        if name == "date" and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # a year or a timestamp: read by the date finder
        fields[name] = _optional_str(value, name)
    return RawDocument(id=doc_id, path=rel, text=clean_text(_record_text(record)), **fields)


def _optional_str(value: object, name: str) -> str | None:
    """A metadata field as clean text; None when missing, empty, or an overlong title."""
    if not isinstance(value, str):
        return None
    value = clean_text(value).strip()
    if name == "title" and (len(value) > MAX_TITLE_CHARS or _TEMPLATE.search(value)):
        return None
    return value or None
