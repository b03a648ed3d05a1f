"""From raw article text to a clean `Article`: title, date, passages with kinds and languages.

Real press text arrives messy (see the seeds): a `date 2024-06` prefix glued to
the first paragraph, HTML fragments and photo credits, junk lines, a numbered
table of contents that repeats the section headings, a bare `Source` footer,
hard-wrapped OCR lines with `¬` hyphenation. The cleaner works line by line:
it drops what is not text, classifies each remaining line (title, subtitle,
heading, caption, paragraph), joins wrapped lines back into paragraphs, and
lays the passages out in a new text separated by blank lines, so that every
offset the engine hands out points into that cleaned text. Words an OCR'd
text glued together where it lost its line ends are first put apart
(`Francesans`, see `glued.py`).

The typography of the article (curly apostrophes, « guillemets », non-breaking
spaces) is kept as written: the reader shows it, and the search analyzer is
the one that makes matching independent of it.
"""

from __future__ import annotations

import html
import operator
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from index.ingest.boilerplate import Rank, is_boilerplate_line, split_teasers
from index.ingest.formats import RawDocument
from index.ingest.glued import unglue
from index.model import Article, Passage, PassageKind

# ` date 2024-06 Quelques heures…` or `Date: 2024-06-18` at the very start.
_DATE_PREFIX = re.compile(
    r"^\s*date\s*:?\s*(?P<date>\d{4}-\d{2}(?:-\d{2})?)\b[\s.:,-]*", re.IGNORECASE
)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_CAPTION_TAG = re.compile(r"<(?:p|strong|figcaption|em|small)\b", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{1,6}|#x[0-9a-fA-F]{1,6});")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\s]+\)")
# A photo credit closing a caption: ` - AFP/GAVRIIL GRIGOROV`, ` - SPUTNIK/ X Y via REUTERS`.
_CREDIT = re.compile(
    r"\s[-–—]\s*[A-Z][A-Z0-9&.' ]*\s*/\s*[A-Z][A-Z0-9.' -]*?(?:\s+via\s+[A-Z][A-Za-z]+)?\s*$"
)
# An item of a numbered list: `  1. La Russie se rapproche…`.
_NUMBERED = re.compile(r"^(?P<n>\d{1,2})[.)]\s+(?P<text>\S.*)$")
# A bare footer word left from the page: `Source`, `Sources :`.
_FOOTER = re.compile(r"^(?:sources?|crédits?|credits?)\s*:?$", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_SENTENCE_END = tuple(".!?…")
_CLOSING_QUOTES = "\"'”’»)]"
_SPACES = re.compile(r"[ \t]+")
_LINE_BREAK = re.compile(r"\s*\n\s*")
# A line break written out as `\n` by an export that escaped it twice (before a
# break, a space, the end or a capital: `C:\new` keeps its letters).
_LITERAL_BREAK = re.compile(r"(?<!\\)\\n(?=\\n|\s|$|[A-ZÀ-Þ«\"])")

TITLE_MAX_CHARS = 200
SUBTITLE_MAX_CHARS = 250
HEADING_MAX_CHARS = 100
HEADING_MAX_WORDS = 16
LEAD_TITLE_CHARS = 80
# Paragraphs longer than this are cut at sentence ends into passages of about
# PASSAGE_TARGET_CHARS: a whole article on one line is no unit of reading.
PARAGRAPH_MAX_CHARS = 1200
PASSAGE_TARGET_CHARS = 700
PASSAGE_LONG_CHARS = 1500
# No passage is longer than this: a run of text with no sentence end (a line of
# megabytes, with or without spaces) is cut at a space, or anywhere if it has
# none, so that the reader never lays out, nor the model reads, a giant passage.
PASSAGE_MAX_CHARS = 4000
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”’»)]?\s+(?=[«“\"'(]?[^\W\d_])")
# A full stop an OCR'd text left with no space after it, between a word of three
# letters or more and a capitalised word (`6 Juillet.Voici le texte`). (The one-character
# look-behind first: tried at every position, it fails at once where there is no stop.)
_GLUED_BREAK = re.compile(r"(?<=[.!?])(?<=[^\W\d_]{3}[.!?])(?=[A-ZÀ-Þ](?:[a-zà-ÿ'’]|\s))")
# A line that ends with a hyphen after a word (its part before the hyphen).
_HYPHEN_END = re.compile(r"([^\W\d_]+)-$")
# ... looked for in the last characters of a text only: a longer run of letters is no
# word to mend (the index keeps no longer word either, analysis.MAX_WORD_CHARS).
_LONGEST_WORD = 64
_WORD_START = re.compile(r"[^\W\d_]+")
# A word in letter-spaced capitals (`D A N E M A R C K`), as old headings set it.
_LETTER_SPACED = re.compile(r"(?<![^\W\d_])(?:[A-ZÀ-Þ] ){3,}[A-ZÀ-Þ](?![^\W\d_])")
# Abbreviations whose full stop ends no sentence (`M. Thiers`, `MM.`, `Mme`, `Mgr`,
# `Corresp.`, `art. 5`), and initials (`J.-J. Rousseau`, `S. M.`): common words of
# the language's press, no name.
_ABBREVIATION = re.compile(
    r"(?:^|[\s(«\"'’-])(?:M|MM|Mme|Mmes|Mlle|Mlles|Mgr|Dr|Pr|Me|St|Ste|Sts|Corresp|Cie|Cf|cf"
    r"|art|Art|No|no|vol|chap|pp?|env|av|apr|J\.-C|[A-ZÀ-Þ])\.$"
)


@dataclass
class _Line:
    text: str
    block: int  # lines of one block are separated by no blank line
    caption_markup: bool = False
    heading_markup: bool = False
    kind: PassageKind | None = None


@dataclass(frozen=True)
class _Piece:
    kind: PassageKind
    text: str


def clean_article(
    raw: RawDocument,
    detect: Callable[[str, str], str] | None = None,
    rank: Callable[[str], int | None] | None = None,
) -> Article:
    """Clean `raw` into an `Article`; `detect(text, default)` names a passage's language,
    `rank(word)` how common a word is (see `glued.unglue`; the model's vocabulary,
    loaded only for a text whose words look glued, when not given)."""
    if detect is None:
        from index.ingest.lang import detect_language

        detect = detect_language

    text = unicodedata.normalize("NFC", raw.text)
    date, text = _take_date_prefix(text)
    if "\\n" in text:
        text = _LITERAL_BREAK.sub("\n", text)
    rank = rank or _model_rank
    text = unglue(text, rank)
    lines = _split_lines(text)
    lines = [line for line in lines if not _is_junk(line.text)]
    lines, contents = _drop_repeated_contents(lines)
    pieces, title = _classify(lines, known_title=raw.title, contents=contents, rank=rank)

    default_lang = raw.lang or "fr"
    langs = [detect(piece.text, default_lang) for piece in pieces]
    article_lang = raw.lang or _majority_language(pieces, langs, default_lang)
    # Short passages were given the default; they follow the article instead.
    langs = [
        article_lang if _is_short(piece.text) else lang
        for piece, lang in zip(pieces, langs, strict=True)
    ]

    parts: list[str] = []
    passages: list[Passage] = []
    offset = 0
    for n, (piece, lang) in enumerate(zip(pieces, langs, strict=True)):
        if parts:
            offset += 2
        passages.append(Passage(n, offset, offset + len(piece.text), piece.kind, lang))
        parts.append(piece.text)
        offset += len(piece.text)

    return Article(
        id=raw.id,
        path=raw.path,
        title=title or _title_from_lead(pieces),
        date=(raw.date or date or "").strip(),
        lang=article_lang,
        text="\n\n".join(parts),
        passages=tuple(passages),
        source=raw.source or "",
    )


@lru_cache(maxsize=1 << 17)
def _model_rank(word: str) -> int | None:
    from index.entities.ner import lexicon

    return lexicon().rank(word)


_MIN_DETECT_LETTERS = 30
_LETTERS = re.compile(r"[^\W\d_]+")


def _is_short(text: str) -> bool:
    """Too few letters for a language guess of its own (a heading, a name)."""
    letters = 0
    for word in _LETTERS.findall(text[: _MIN_DETECT_LETTERS * 8]):
        letters += len(word)
        if letters >= _MIN_DETECT_LETTERS:
            return False
    return True


def _take_date_prefix(text: str) -> tuple[str | None, str]:
    match = _DATE_PREFIX.match(text)
    if not match:
        return None, text
    return match.group("date"), text[match.end() :]


def _split_lines(text: str) -> list[_Line]:
    """Non-blank lines with their markup stripped, numbered by block."""
    lines: list[_Line] = []
    block = 0
    for raw_line in text.split("\n"):
        stripped = raw_line.strip()
        if not stripped:
            block += 1
            continue
        caption_markup = bool(_CAPTION_TAG.search(stripped)) and bool(_TAG.search(stripped))
        heading_markup = False
        md = _MD_HEADING.match(stripped)
        if md:
            stripped, heading_markup = md.group(2), True
        # (Each pattern only where its first character occurs: most lines have none.)
        if "<" in stripped:
            stripped = _TAG.sub("", stripped)
        if "&" in stripped:
            stripped = _ENTITY.sub(lambda m: html.unescape(m.group(0)), stripped)
        if "*" in stripped or "__" in stripped:
            stripped = _MD_EMPHASIS.sub(r"\2", stripped)
        if "](" in stripped:
            stripped = _MD_LINK.sub(r"\1", stripped)
        if "  " in stripped or "\t" in stripped:
            stripped = _SPACES.sub(" ", stripped)
        stripped = stripped.strip()
        if stripped:
            lines.append(_Line(stripped, block, caption_markup, heading_markup))
    return lines


def _is_junk(text: str) -> bool:
    """Lines with no letter at all (`*.*.*.`, `....%%%...$$$$`) and bare footers."""
    return not _LETTER.search(text) or bool(_FOOTER.match(text))


def _fold(text: str) -> str:
    """A comparison key that ignores case, accents, quotes and apostrophes."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = (c for c in decomposed if c.isalnum() or c.isspace())
    return " ".join("".join(kept).split())


def _drop_repeated_contents(lines: list[_Line]) -> tuple[list[_Line], set[str]]:
    """Drop a numbered table of contents whose items come back later as headings.

    Returns the remaining lines and the folded items of the dropped contents,
    which name the article's section headings.
    """
    result: list[_Line] = []
    contents: set[str] = set()
    i = 0
    while i < len(lines):
        run = _numbered_run(lines, i)
        if len(run) >= 2:
            later = {_fold(line.text) for line in lines[i + len(run) :]}
            repeated = sum(1 for item in run if _fold(item) in later)
            if repeated * 2 >= len(run):
                contents.update(_fold(item) for item in run)
                i += len(run)
                continue
        result.append(lines[i])
        i += 1
    return result, contents


def _numbered_run(lines: list[_Line], start: int) -> list[str]:
    """The texts of the items `1.`, `2.`, … that start at `start`, if any."""
    items: list[str] = []
    expected = 1
    for line in lines[start:]:
        match = _NUMBERED.match(line.text)
        if not match or int(match.group("n")) != expected:
            break
        items.append(match.group("text"))
        expected += 1
    return items


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSING_QUOTES).endswith(_SENTENCE_END) and not _ends_abbreviated(text)


def _ends_abbreviated(text: str) -> bool:
    """Whether `text` ends with an abbreviation's full stop (`… de M.`)."""
    return text.endswith(".") and bool(_ABBREVIATION.search(text[-12:]))


def credit_start(text: str) -> int:
    """Where a caption's photo credit begins (`- AFP/NAME`), or the end of the text."""
    match = _CREDIT.search(text)
    return match.start() if match else len(text)


def _is_caption(line: _Line) -> bool:
    return line.caption_markup or bool(_CREDIT.search(line.text))


def _is_title_like(text: str) -> bool:
    return len(text) <= TITLE_MAX_CHARS and not text.rstrip(_CLOSING_QUOTES).endswith(".")


def _is_heading_like(text: str) -> bool:
    return (
        len(text) <= HEADING_MAX_CHARS
        and len(text.split()) <= HEADING_MAX_WORDS
        and not _ends_sentence(text)
        and not text.endswith((",", ";", ":"))
    )


def _classify(
    lines: list[_Line], known_title: str | None, contents: set[str], rank: Rank | None = None
) -> tuple[list[_Piece], str | None]:
    """Kinds for every line, wrapped lines joined; returns the pieces and the title found."""
    # (A title from HTML or JSON may hold line breaks; a passage never does.)
    title = _SPACES.sub(" ", _LINE_BREAK.sub(" ", known_title)).strip() if known_title else None
    for line in lines:
        if is_boilerplate_line(line.text):
            line.kind = "boilerplate"
    pieces, title, start = _head(lines, title)
    pieces.extend(_body(lines, start, contents, rank))
    return pieces, title


def _head(lines: list[_Line], title: str | None) -> tuple[list[_Piece], str | None, int]:
    """The title (`title`, or one found) and a subtitle, as pieces; the title; and the
    line the body starts at."""
    pieces: list[_Piece] = []
    i = 0
    if title:
        # The format gave the title (HTML, JSON Lines): it heads the text, once.
        pieces.append(_Piece("title", title))
        if lines and _fold(lines[0].text) == _fold(title):
            i = 1
    elif len(lines) > 1 and not _is_caption(lines[0]) and lines[0].kind != "boilerplate":
        first = lines[0]
        if first.heading_markup or (
            _is_title_like(first.text) and not _continues(first.text, first, lines[1])
        ):
            title = _LETTER_SPACED.sub(lambda m: m.group().replace(" ", ""), first.text)
            pieces.append(_Piece("title", first.text))
            i = 1
            following = lines[1]
            if (
                len(following.text) <= SUBTITLE_MAX_CHARS
                and not following.heading_markup
                and not _is_caption(following)
                and following.kind != "boilerplate"
                and not _ends_sentence(following.text)
                and len(lines) > 2
                and not _continues(following.text, following, lines[2])
            ):
                pieces.append(_Piece("subtitle", following.text))
                i = 2
    return pieces, title, i


def _body(lines: list[_Line], i: int, contents: set[str], rank: Rank | None = None) -> list[_Piece]:
    """The pieces of `lines` from line `i` on: captions, headings, boilerplate, and
    paragraphs with their wrapped lines joined and their link teasers apart."""
    block_sizes: dict[int, int] = {}
    for line in lines:
        block_sizes[line.block] = block_sizes.get(line.block, 0) + 1
    pieces: list[_Piece] = []
    while i < len(lines):
        line = lines[i]
        if line.kind == "boilerplate":
            pieces.append(_Piece("boilerplate", line.text))
            i += 1
            # (a teaser's label alone on its line: the headline is the next line)
            if line.text.endswith(":") and i < len(lines) and _is_title_like(lines[i].text):
                pieces.append(_Piece("boilerplate", lines[i].text))
                i += 1
            continue
        if _is_caption(line):
            pieces.extend(_Piece("caption", part) for part in _hard_split(line.text))
            i += 1
            continue
        alone = block_sizes[line.block] == 1
        listed = bool(contents) and _fold(line.text) in contents
        heading_like = alone and _is_heading_like(line.text) and i + 1 < len(lines)
        if line.heading_markup or listed or heading_like:
            pieces.append(_Piece("heading", line.text))
            i += 1
            continue
        text = line.text
        i += 1
        while i < len(lines) and _continues(text, lines[i - 1], lines[i]):
            text = _join_wrapped(text, lines[i].text, rank)
            i += 1
        for teaser, part in split_teasers(text, rank):
            if teaser:
                pieces.append(_Piece("boilerplate", part))
            else:
                pieces.extend(_Piece("paragraph", piece) for piece in _split_long(part))
    return pieces


def _split_long(text: str) -> list[str]:
    """`text` cut at sentence ends into parts of about PASSAGE_TARGET_CHARS, and of no
    more than PASSAGE_LONG_CHARS unless one sentence is longer."""
    if len(text) <= PARAGRAPH_MAX_CHARS:
        return [text]
    parts: list[str] = []
    start = 0
    previous: re.Match[str] | None = None
    for match in _sentence_breaks(text):
        if match.start() - start > PASSAGE_LONG_CHARS and previous is not None:
            # (this sentence would make the part too long: the part ends before it)
            parts.append(text[start : _end_of(previous)].strip())
            start = previous.end()
        if match.start() - start >= PASSAGE_TARGET_CHARS:
            parts.append(text[start : _end_of(match)].strip())
            start = match.end()
            previous = None
        else:
            previous = match
    tail = text[start:].strip()
    if parts and len(tail) < PASSAGE_TARGET_CHARS // 3:
        parts[-1] = f"{parts[-1]} {tail}"
    elif tail:
        parts.append(tail)
    return [piece for part in parts for piece in _hard_split(part)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, cut where the cleaner cuts long
    paragraphs (a full stop and a capital, not after an abbreviation)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _sentence_breaks(text):
        end = _end_of(match)
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end()
    end = len(text.rstrip())
    if text[start:end].strip():
        spans.append((start, end))
    return spans


def _end_of(sentence_break: re.Match[str]) -> int:
    """Where the sentence before a break ends: after its closing quote, if any."""
    return sentence_break.start() + len(sentence_break.group(0).rstrip())


_START = operator.methodcaller("start")


def _sentence_breaks(text: str) -> Iterator[re.Match[str]]:
    """The breaks between the sentences of `text`, in order: a full stop and a space,
    or an OCR'd full stop with none, not after an abbreviation."""
    # (both in one list sorted by start, stable: a spaced break before a glued one at the
    # same place, as a merge of the two would give, for a fraction of a merge's cost)
    found = [*_SENTENCE_BREAK.finditer(text), *_GLUED_BREAK.finditer(text)]
    found.sort(key=_START)
    for match in found:
        if not _ends_abbreviated(
            text[max(0, match.start() - 12) : match.start()].rstrip("\"'”’»)")
        ):
            yield match


def _hard_split(text: str, limit: int = PASSAGE_MAX_CHARS) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at the last space before
    the limit (in its second half), or at the limit itself when there is none."""
    pieces: list[str] = []
    start = 0  # (an index, not slices of the rest: a line of megabytes stays linear)
    while len(text) - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit + 1)
        if cut < 0:
            cut = start + limit
        piece = text[start:cut].strip()
        if piece:
            pieces.append(piece)
        start = cut
    tail = text[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces


def _continues(text: str, previous: _Line, line: _Line) -> bool:
    """Whether `line` is the rest of a paragraph hard-wrapped before it."""
    if line.block != previous.block or _is_caption(line) or line.heading_markup:
        return False
    if text.endswith("¬") or _ends_abbreviated(text):
        return True  # (`… de M.` / `Thiers a dit`)
    hyphen = _hyphen_end(text)
    if hyphen is not None and (line.text[0].islower() or hyphen.group(1).islower()):
        return True  # (`inté-` / `rieur`, `Seine-et-` / `Marne`; not `Alcudia-` / `Alcudia`)
    first = line.text[0]
    return not _ends_sentence(text) and (first.islower() or not first.isalpha())


def _hyphen_end(text: str) -> re.Match[str] | None:
    """The word a hyphen ends `text` with (`inté-`), looked for in its last characters:
    from every start of a run of letters a search reads the run to its end, and a
    paragraph of wrapped lines of letters (an encoded attachment), joined line by line,
    took minutes for 50 kB."""
    if not text.endswith("-"):
        return None
    return _HYPHEN_END.search(text, max(0, len(text) - _LONGEST_WORD - 1))


def _join_wrapped(text: str, rest: str, rank: Rank | None = None) -> str:
    """A line and the next joined: with a space, or none after a hyphen at the end.

    A hyphen that splits a word (`inté-` / `rieur`) goes when the language knows
    the word whole (`rank`, the model's vocabulary); a real one stays (`Seine-et-`
    / `Marne`, `oubliez-` / `les`).
    """
    if text.endswith("¬"):  # OCR hyphenation mark: the word goes on on the next line
        return text[:-1] + rest
    hyphen = _hyphen_end(text)
    if hyphen is not None and rest[:1].isalpha():
        head = hyphen.group(1)
        tail = _WORD_START.match(rest)
        whole = head + (tail.group() if tail else "")
        if rest[0].islower() and rank is not None and rank(whole) is not None:
            return text[:-1] + rest
        return text + rest
    return f"{text} {rest}"


def _majority_language(pieces: list[_Piece], langs: list[str], default: str) -> str:
    weight: dict[str, int] = {}
    for piece, lang in zip(pieces, langs, strict=True):
        weight[lang] = weight.get(lang, 0) + len(piece.text)
    return max(weight, key=lambda lang: weight[lang]) if weight else default


def _title_from_lead(pieces: list[_Piece]) -> str:
    """A short title from the first sentence of the first paragraph."""
    lead = next((p.text for p in pieces if p.kind == "paragraph"), "")
    if not lead:
        lead = next((p.text for p in pieces if p.kind != "boilerplate"), "")
    if not lead:
        lead = pieces[0].text if pieces else ""
    match = next(_sentence_breaks(lead), None)
    sentence = lead[: match.start()].rstrip() if match else lead
    if len(sentence) <= LEAD_TITLE_CHARS:
        return sentence.rstrip(".")
    cut = sentence[:LEAD_TITLE_CHARS].rsplit(" ", 1)[0]
    while " " in cut and _ends_abbreviated(cut):
        cut = cut.rsplit(" ", 1)[0]  # (never `… Exposition P.…`)
    return cut.rstrip(",;:- ") + "…"
