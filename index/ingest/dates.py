"""An article's date, and where it came from.

Three places may tell it, in this order of trust:

1. the format's own metadata: an HTML page's meta tags and JSON-LD (read by
   trafilatura through htmldate), a JSON Lines record's date field;
2. the file's name or its folders (`2024-06-18`, `20240618`, `2024/06/18`,
   `…-GDL-1881-05-27-4.txt`), as archives and scrapers name their files;
3. a dateline or publication line in the first lines of the text
   (`Publié le 18 juin 2024`, `Paris, 25 mai 1881`, `date 2024-06`).

A date is written `YYYY-MM-DD`, or partial as `YYYY-MM` or `YYYY` when that is
all the source says: `date:2024-06` finds it, and nothing is made up. Values
are read by dateparser (any language's month names, RFC 822 feeds, ISO 8601,
timestamps); relative dates (`hier`) and dates without a year (`LONDRES, 17
Août.`, an old paper's dateline) are refused, since they would be dated from
today.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from functools import lru_cache
from typing import Any, Literal

__all__ = [
    "DateSource",
    "article_date",
    "date_in_path",
    "date_in_text",
    "normalise",
]

DateSource = Literal["metadata", "path", "text", ""]

# Older than printed news, or later than next year: a number that is no date.
_FIRST_YEAR = 1500
# Readers of dates: the article's language first; English for feeds and scrapers.
_LANGUAGES = ["fr", "en", "de", "it", "es"]


def article_date(metadata: str | None, path: str, text: str) -> tuple[str, DateSource]:
    """The article's date and its source ("" and "" when none of them tells it)."""
    found = normalise(metadata) if metadata else None
    if found:
        return found, "metadata"
    found = date_in_path(path)
    if found:
        return found, "path"
    found = date_in_text(text)
    if found:
        return found, "text"
    return "", ""


# ---------------------------------------------------------------- values

_ISO = re.compile(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][\d:.,]+(?:Z|[+-][\d:]+)?)?\s*")


def normalise(value: object) -> str | None:
    """A date field's value as `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; None when it is no date.

    ISO forms are read as written, so a time with its offset keeps the day its
    newsroom gave it; anything else goes to dateparser.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = str(value).strip()
    if not text or len(text) > 100:
        return None
    iso = _ISO.fullmatch(text)
    if iso:
        return _checked(*(int(part) if part else None for part in iso.groups()))
    return _parsed(text)


def _parsed(text: str) -> str | None:
    try:
        data = _parser().get_date_data(text)
    except Exception:  # a third-party parser on odd input: no date, never a crash
        return None
    when = data.date_obj
    if when is None:
        return None
    period = data.period or "day"
    if period == "year":
        return _checked(when.year, None, None)
    if period == "month":
        return _checked(when.year, when.month, None)
    return _checked(when.year, when.month, when.day)


@lru_cache(maxsize=1)
def _parser() -> Any:
    # Imported here: it costs a tenth of a second and most files carry no date to read.
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=_LANGUAGES,
        settings={
            "REQUIRE_PARTS": ["year"],
            "PARSERS": ["timestamp", "custom-formats", "absolute-time"],  # no `hier`
            "PREFER_DAY_OF_MONTH": "first",
            "DATE_ORDER": "DMY",  # 06/05/2024 is the 6th of May in French
            "RETURN_TIME_AS_PERIOD": False,
        },
    )


def _checked(year: int | None, month: int | None, day: int | None) -> str | None:
    """The date written out, or None when it is not a real day of a plausible year."""
    if year is None or not _FIRST_YEAR <= year <= datetime.date.today().year + 1:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        datetime.date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


# ---------------------------------------------------------------- file names

# Digits that are part of a longer number (an id, a hash) are no date.
_PATH_DAY = re.compile(
    r"(?<![0-9])(?P<y>\d{4})(?P<sep>[-_./])(?P<m>\d{2})(?P=sep)(?P<d>\d{2})(?![0-9])"
)
_PATH_COMPACT = re.compile(r"(?<![0-9A-Za-z])(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?![0-9])")
_PATH_MONTH = re.compile(r"(?<![0-9])(?P<y>\d{4})[-_/](?P<m>\d{2})(?![0-9])")
_PATH_YEAR_FOLDER = re.compile(r"(?:^|/)(?P<y>\d{4})/")


def date_in_path(rel: str) -> str | None:
    """The date a file's name or folders carry; the most precise, nearest the name.

    `rel` is the path inside the corpus: the corpus's own folder says nothing
    of one article.
    """
    stem = rel.rsplit(".", 1)[0] if "." in rel.rsplit("/", 1)[-1] else rel
    for pattern in (_PATH_DAY, _PATH_COMPACT, _PATH_MONTH, _PATH_YEAR_FOLDER):
        for match in reversed(list(pattern.finditer(stem))):
            parts = match.groupdict()
            found = _checked(*(int(parts[k]) if parts.get(k) else None for k in "ymd"))
            if found:
                return found
    return None


# ---------------------------------------------------------------- datelines

# Only the start of an article is read: a date further on is an event's, not the paper's.
_TEXT_LINES = 4
_TEXT_CHARS = 300


def date_in_text(text: str) -> str | None:
    """The date of a dateline or publication line in the first lines of `text`.

    Only a date in the place a dateline takes counts: at the start of a line
    (after a weekday or a `Date:` label), after a place and a comma (`Paris, 25
    mai 1881`), or after a publication word (`Publié le`, `Updated`). A date in
    the middle of a sentence is the date of what the sentence tells.
    """
    lines = [line.strip() for line in text[: _TEXT_LINES * _TEXT_CHARS * 4].split("\n")]
    head = [line[:_TEXT_CHARS] for line in lines if line][:_TEXT_LINES]
    for line in head:
        for match in _dateline().finditer(_unaccented(line)):
            found = _parsed(match.group("date"))
            if found:
                return found
    return None


def _unaccented(text: str) -> str:
    """`text` without accents (OCR drops them: `Aout`); its case is kept for place names."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _dateline() -> re.Pattern[str]:
    """Where a dateline's date stands, in unaccented text; month and day names from CLDR."""
    from babel.dates import get_day_names, get_month_names

    months: set[str] = set()
    days: set[str] = set()
    for language in _LANGUAGES:
        for width in ("wide", "abbreviated"):
            names = get_month_names(width, locale=language).values()
            months.update(_unaccented(str(name)).lower().rstrip(".") for name in names)
        names = get_day_names("wide", locale=language).values()
        days.update(_unaccented(str(name)).lower() for name in names)
    month = "|".join(sorted((re.escape(m) for m in months if len(m) >= 3), key=len, reverse=True))
    day = "|".join(sorted((re.escape(d) for d in days), key=len, reverse=True))
    date = (
        rf"(?:(?:\d{{1,2}}|1er)\.?\s+(?:{month})\.?,?\s+\d{{4}}"  # 25 mai 1881, 1er juin 2024
        rf"|(?:{month})\.?\s+\d{{1,2}},?\s+\d{{4}}"  # June 18, 2024
        rf"|(?:{month})\.?\s+\d{{4}}"  # mai 1881
        r"|\d{1,2}[/.]\d{1,2}[/.]\d{4}"  # 18/06/2024
        r"|\d{4}-\d{2}(?:-\d{2})?)"  # 2024-06-18, 2024-06
    )
    publication = (
        r"(?:date|dated|publie|publiee|publication|paru|parue|mis a jour|mise a jour"
        r"|modifie|modifiee|published|updated|posted|ecrit)"
    )
    # Where a line, a sentence or a heading ends: a dateline starts there, not
    # inside a sentence (`… en Corée du Nord, le 19 juin 2024`, a caption's event).
    start = r"(?:^|(?<=[.!?:;—–»\]])|(?<=[.!?:;—–»\]]\s))"
    word = r"(?-i:[A-Z])[\w'’.-]*"
    caps = r"(?-i:[A-Z][A-Z'’.-]+)"
    lead = (
        rf"{start}(?:{publication})\b\s*:?\s*(?:le\s+|on\s+)?"  # Publié le …
        r"|^"  # a line that starts with its date
        rf"|^(?:{day}),?\s+(?:le\s+)?"  # Mardi 18 juin 2024
        rf"|{start}{word}(?:\s{word}){{0,3}},\s*(?:le\s+)?"  # Paris, New York,
        rf"|\b{caps}(?:\s{caps}){{0,2}},\s*(?:le\s+)?"  # an old paper's LONDRES, anywhere
    )
    return re.compile(rf"(?:{lead})(?:(?:{day}),?\s+)?(?P<date>{date})(?![\w-])", re.IGNORECASE)
