"""Readers for the file formats of a corpus: one file gives one or more raw documents.

Readers only decode and extract; finding the title, date and passages in plain
text is the cleaner's job, so .txt and .md text is handed over as written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from index.errors import DecodeError
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
        return _read_html(entry.rel, data)
    if suffix == ".jsonl":
        return _read_jsonl(entry.rel, data)
    raise DecodeError(f"unsupported file type {suffix or '(no extension)'}")


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
    text = _body_text(doc) if doc is not None else ""
    title = _meta(doc, "title")
    if not text:
        text = _fallback_text(html)
        if not text:
            raise DecodeError("no article text in the page")
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
_OPTIONAL_FIELDS = ("title", "date", "source", "lang")


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
        docs.append(_jsonl_document(f"{base}/{record_id}", rel, record))
    if not docs:
        raise DecodeError(f"no readable line ({len(problems)} malformed)")
    return docs, problems


def _parse_record(line: str) -> tuple[dict[str, Any] | None, str]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return None, "malformed JSON"
    if not isinstance(record, dict):
        return None, "not a JSON object"
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return None, "no text field"
    return record, ""


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
    fields = {name: _optional_str(record.get(name), name) for name in _OPTIONAL_FIELDS}
    return RawDocument(id=doc_id, path=rel, text=clean_text(record["text"]), **fields)


def _optional_str(value: object, name: str) -> str | None:
    """A metadata field as clean text; None when missing, empty, or an overlong title."""
    if not isinstance(value, str):
        return None
    value = clean_text(value).strip()
    if name == "title" and len(value) > MAX_TITLE_CHARS:
        return None
    return value or None
