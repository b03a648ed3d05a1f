"""Engine strings made safe and short for the terminal.

Article text is data: it reaches the screen as `rich.text.Text`, never as
markup, and without the control characters that would move the terminal's
cursor, change its colours or reverse the reading direction.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from index import Article, ArticleSummary

# C0 and C1 controls but tab and newline, DEL, and the bidirectional embeddings,
# overrides and isolates that can make a line read backwards.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"\s*\n\s*")
_SHOWN_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\t]")

# The entity labels the engine gives, in the order the reader lists them, and their names.
LABELS = ("PER", "LOC", "ORG", "MISC")
LABEL_NAMES = {"PER": "people", "LOC": "places", "ORG": "organisations", "MISC": "other names"}
LABEL_NAME = {"PER": "person", "LOC": "place", "ORG": "organisation", "MISC": "other name"}


# Plurals that are not the word and an `s`.
_PLURALS = {"match": "matches", "entity": "entities"}


def counted(count: int, word: str) -> str:
    """`1 mention`, `12 mentions`, `2 matches`: a count and its word, plural when it is."""
    return f"{count} {word if count == 1 else _PLURALS.get(word, word + 's')}"


def passage_mark(n: int) -> str:
    """How the reader names passage `n` (numbered from 0, as the CLI does): `¶1` for the
    first, so that the counter `¶1/14` and every label agree with a count from one."""
    return f"¶{n + 1}"


def printable(text: str) -> str:
    """`text` without control characters; tabs become spaces."""
    return _CONTROLS.sub("", text.replace("\t", "    ").replace("\r\n", "\n"))


def _control_picture(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char == "\t":
        return " "
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␇ for BEL…
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def visible(text: str) -> str:
    """`text` with each control character shown as one visible character (`␛[31m`).

    Unlike `printable`, the result has exactly the length of `text`, so the
    engine's character offsets (mentions, hits) still point at the same words.
    """
    return _SHOWN_CONTROLS.sub(_control_picture, text)


def one_line(text: str) -> str:
    """`printable(text)` folded onto one line, for titles and labels."""
    return _LINE_BREAKS.sub(" ", printable(text)).strip()


def article_title(summary: ArticleSummary | Article) -> str:
    """The title to show, or the file when the article has none."""
    return one_line(summary.title) or one_line(summary.path)


def summary_line(summary: ArticleSummary) -> str:
    """The dim line under a title in the list: date · language · source or file.

    The source or file comes last because it is the part cut when the line is too long.
    """
    parts = (summary.date, summary.lang, summary.source or summary.path)
    return " · ".join(one_line(part) for part in parts if part)


# Where an article's date was found (`Article.date_source`), as the reader says it.
DATE_SOURCES = {"metadata": "metadata", "path": "file name", "text": "dateline"}


def dated(date: str, date_source: str) -> str:
    """`1881-05-27 (file name)`: the date and where it was found, or "" for no date."""
    if not date:
        return ""
    where = DATE_SOURCES.get(date_source)
    return f"{date} ({where})" if where else date


def article_line(article: Article) -> str:
    """The line above an article's text: date · source · file · language · passages."""
    count = len(article.passages)
    parts = (
        dated(article.date, article.date_source),
        article.source,
        article.path,
        article.lang,
        counted(count, "passage"),
    )
    return " · ".join(one_line(part) for part in parts if part)


def shorten_middle(text: str, width: int) -> str:
    """`text` cut to `width` cells by an ellipsis in the middle, which keeps both ends.

    File names differ at their end (`…-dev-63182609.txt`), and the date and language
    come first in the line under a title: the middle is what can go.
    """
    if cell_len(text) <= width:
        return text
    if width < 2:
        return "…"[:width]
    head_cells = (width - 1) // 2
    head = ""
    for char in text:
        if cell_len(head + char) > head_cells:
            break
        head += char
    tail = ""
    for char in reversed(text):
        if cell_len(head) + 1 + cell_len(char + tail) > width:
            break
        tail = char + tail
    return f"{head}…{tail}"


def cut_line(text: Text, width: int) -> Text:
    """A copy of `text` on one line of `width` cells, cut with `…`, ending with a newline:
    the title line of a row, ready to yield from `__rich_console__`."""
    line = text.copy()
    line.truncate(width, overflow="ellipsis")
    line.end = "\n"
    return line


def clamped_lines(text: Text, console: Console, width: int, most: int | None = None) -> list[Text]:
    """`text` wrapped to `width`, at most `most` lines, the last ending in `…` if cut;
    each line ends with a newline, ready to yield from `__rich_console__`."""
    lines = list(text.wrap(console, width))
    if most is not None and len(lines) > most:
        lines = lines[:most]
        last = lines[-1]
        last.rstrip()
        last.append("…")
        last.truncate(width, overflow="ellipsis")
    for line in lines:
        line.end = "\n"
    return lines
