"""Numbers, amounts and dates of French text as canonical tokens, so that two
wordings of one figure meet: `douze soldats` and `12 soldats` both give `n:12`.

- `3,5 milliards de dollars` -> `n:3500e6`, `$:3500e6` (an amount) and
  `nw:3500e6|dollar` (the number with the word after it);
- `12 000` and `12.000` -> `n:12000`; `vingt-cinq` -> `n:25`;
- `le 5 septembre` -> `d:09-05`; `septembre 2021` -> `m:2021-09` and `y:2021`;
  a year alone, `y:2021`;
- `30 %`, `30 pour cent` -> `%:30`.

`un`/`une` are articles here, not numbers, but before a scale (`un million` -> `n:1e6`);
ordinals are not numbers.
"""

from __future__ import annotations

import re

from index.analysis import fold

UNITS = {
    "zéro": 0, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50,
    "soixante": 60, "cent": 100, "cents": 100, "mille": 1000,
}  # fmt: skip
SCALES = {
    "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "mille": 1e3,
    "billion": 1e12, "billions": 1e12, "mln": 1e6, "mds": 1e9, "md": 1e9,
}  # fmt: skip
_MONTH_NAMES = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
)
MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES.split())}
MONTHS |= {"fevrier": 2, "aout": 8, "decembre": 12}
_CURRENCY = re.compile(
    r"^\s*(?:de\s+)?(dollars?|\$|euros?|€|francs?|livres?|nairas?|shillings?|cedis?|rands?"
    r"|dinars?|dirhams?)",
    re.IGNORECASE,
)
# A number in digits: 12 / 12 000 / 12.000 / 3,5 / 1.5
_DIGITS = r"\d{1,3}(?:[  \u202f.]\d{3})+(?:,\d+)?|\d+(?:[,.]\d+)?"
_UNIT_WORDS = "|".join(sorted(UNITS, key=len, reverse=True))
_WORD_NUMBER = rf"(?:{_UNIT_WORDS})(?:[- ](?:et[- ])?(?:{_UNIT_WORDS}|un|une))*"
# `un million`, `un milliard`: `un` is a number before a scale only.
_ONE = r"(?:un|une)(?=\s+(?:millions?|milliards?|billions?)\b)"
_NUMBER = re.compile(
    rf"(?<![\w,.])(?P<n>{_DIGITS}|{_WORD_NUMBER}|{_ONE})(?!\w)"
    r"(?:\s*(?P<scale>millions?|milliards?|billions?|mille|mln|mds?)\b)?"
    r"(?:\s*(?P<pct>%|pour\s?cent|pourcent)(?!\w))?",
    re.IGNORECASE,
)
_MONTH = "|".join(MONTHS)
_DATE = re.compile(
    rf"(?<!\w)(?P<day>\d{{1,2}}|1er|premier)\s+(?P<month>{_MONTH})(?:\s+(?P<year>\d{{4}}))?(?!\w)",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(
    rf"(?<!\w)(?P<month>{_MONTH})\s+(?P<year>1[89]\d\d|20\d\d)(?!\w)", re.IGNORECASE
)
_NEXT_WORD = re.compile(r"\s*(?:de\s+|d['’]\s*)?([^\W\d_]+)", re.IGNORECASE)
_NOT_UNIT = {"et", "ou", "les", "des", "aux", "par", "sur", "dans", "pour", "avec", "qui", "que"}
_NOT_UNIT |= {"ans"}


def _words_value(words: str) -> float | None:
    total, current = 0, 0
    for word in re.split(r"[- ]", words.lower()):
        if word in ("et", ""):
            continue
        if word in ("un", "une"):
            current += 1
            continue
        value = UNITS.get(word)
        if value is None:
            return None
        if value == 100:
            current = max(1, current) * 100
        elif value == 1000:
            total += max(1, current) * 1000
            current = 0
        elif word == "vingt" and current == 4:  # quatre-vingt(s)
            current *= 20
        else:
            current += value
    return float(total + current)


def _digits_value(digits: str) -> float | None:
    digits = digits.replace("\u202f", " ").replace("\xa0", " ")
    if re.fullmatch(r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?", digits):
        digits = digits.replace(" ", "").replace(".", "").replace(",", ".")
    else:
        digits = digits.replace(",", ".")
    try:
        return float(digits)
    except ValueError:
        return None


def _canonical(value: float) -> str:
    if value >= 1e6 and value % 1e5 == 0:
        return f"{value / 1e6:g}e6"
    return f"{value:g}"


def _unit(word: str) -> str:
    word = fold(word)
    return word[:-1] if len(word) > 4 and word[-1] in "sx" else word


def number_tokens(text: str) -> set[str]:
    """The canonical tokens of the numbers, amounts and dates `text` writes."""
    found: set[str] = set()
    dated: list[tuple[int, int]] = []
    for match in _DATE.finditer(text):
        day_text = match.group("day").lower()
        day = 1 if day_text in ("1er", "premier") else int(day_text)
        if 1 <= day <= 31:
            month = MONTHS[match.group("month").lower()]
            found.add(f"d:{month:02d}-{day:02d}")
            if match.group("year"):
                found.add(f"y:{match.group('year')}")
                found.add(f"m:{match.group('year')}-{month:02d}")
            dated.append(match.span())
    for match in _MONTH_YEAR.finditer(text):
        found.add(f"m:{match.group('year')}-{MONTHS[match.group('month').lower()]:02d}")
        found.add(f"y:{match.group('year')}")
        dated.append(match.span())
    for match in _NUMBER.finditer(text):
        if any(start <= match.start() < end for start, end in dated):
            continue
        raw = match.group("n")
        value = _digits_value(raw) if raw[0].isdigit() else _words_value(raw)
        if value is None:
            continue
        scale = match.group("scale")
        if raw.isdigit() and len(raw) == 4 and 1800 <= value <= 2100 and not scale:
            found.add(f"y:{raw}")
            continue
        if scale:
            value *= SCALES[scale.lower()]
        if match.group("pct"):
            found.add(f"%:{value:g}")
            continue
        number = _canonical(value)
        found.add(f"n:{number}")
        if _CURRENCY.match(text[match.end() : match.end() + 14]):
            found.add(f"$:{number}")
        after = _NEXT_WORD.match(text, match.end())
        if after and len(after.group(1)) > 2 and after.group(1).lower() not in _NOT_UNIT:
            found.add(f"nw:{number}|{_unit(after.group(1))}")
    return found
