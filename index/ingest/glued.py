"""Words glued together where an OCR'd page lost its line ends, put apart again.

Digitised newspapers often come with the line breaks of the printed column
removed rather than replaced by spaces: `la Francesans responsabilité`,
`lesaffaires`, `M. EmileLaurent`, `Allemagneà la France`. A glued name is no
name for the model (or a wrong one: `Allemagneà la France` as one place).

A word the lexicon does not know, used once in the article, is cut:

- after a capitalised head the same article uses on its own, when the tail is
  one of the commonest words (`France` + `sans`, `Allemagne` + `à`,
  `Chambre` + `et`) or a known word of LONG_TAIL letters or more (`Reich` +
  `retombait`): the head seen alone in the article is the evidence that
  keeps rare names (`Blinken`, `Donbas`) whole;
- where a name runs into itself in capitals (`LondresLONDRES`, a heading and its
  dateline), and where a known capitalised word follows capitals
  (`SCENESLondres`), whatever the text around;
- where its case changes, when both parts are known words
  (`IntérêtsEconomiques`, `LordBeaconsfield`), but only in a text that shows
  at least GLUED_EVIDENCE such words unknown to the lexicon: modern news has
  its brand names (`TikTok`, `SolarWinds`), known or alone in their article,
  and is left as it is.

Otherwise a word written more than once in the article is a word of its own,
never cut.
The lexicon is a frequency ranking of words as written (`ner.Lexicon.rank`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

# Distinct glued-looking words an article needs before any word is cut.
GLUED_EVIDENCE = 3
# A tail glued to a name is one of this many commonest words (`sans`, `et`, `à`)...
COMMON_TAIL_RANK = 1000
# ...or a known word of this many letters (`Reich` + `retombait`).
LONG_TAIL = 4
_WORD = re.compile(r"[^\W\d_]+")
_CASE_CHANGE = re.compile(r"(?<=[^\W\d_])(?<![A-ZÀ-Þ])(?=[A-ZÀ-Þ])")
_MIN_CHARS = 4
# Capitals, then a capitalised word: `DEMAINLettre`, `SCENESLondres`.
_CAPITALS_THEN_WORD = re.compile(r"(?<=[A-ZÀ-Þ]{2})(?=[A-ZÀ-Þ][a-zß-ÿ]{2,}$)")

Rank = Callable[[str], "int | None"]


def unglue(text: str, rank: Rank) -> str:
    """`text` with its glued words cut apart (the text itself when none is found)."""
    counts = Counter(_WORD.findall(text))
    cache: dict[str, str] = {}

    def known(word: str) -> bool:
        return any(rank(form) is not None for form in {word, word.lower(), word.capitalize()})

    # Cuts at a change of case only in a text that shows enough of them (the
    # lexicon is asked only when the cheap count passes).
    changes = [word for word, n in counts.items() if n == 1 and _CASE_CHANGE.search(word)]
    case_cuts = len(changes) >= GLUED_EVIDENCE and (
        sum(1 for word in changes if not known(word)) >= GLUED_EVIDENCE
    )

    def cut(word: str) -> str:
        if len(word) < _MIN_CHARS:
            return word
        for change in _CASE_CHANGE.finditer(word):
            head, tail = word[: change.start()], word[change.start() :]
            if head.lower() == tail.lower():
                return f"{head} {tail}"  # a heading and its dateline: `LondresLONDRES`
        heading = _CAPITALS_THEN_WORD.search(word)
        if heading and known(word[heading.start() :]) and not known(word):
            # a heading in capitals run into the next line: `SCENESLondres`
            return f"{word[: heading.start()]} {cut(word[heading.start() :])}"
        if counts[word] > 1:
            return word
        if case_cuts and _CASE_CHANGE.search(word) and not known(word):
            for change in _CASE_CHANGE.finditer(word):
                head, tail = word[: change.start()], word[change.start() :]
                if len(head) >= 2 and len(tail) >= 2 and known(head) and known(tail):
                    return f"{cut(head)} {cut(tail)}"
        if word[0].isupper() and not word.isupper():
            for i in range(len(word) - 1, 2, -1):
                head, tail = word[:i], word[i:]
                if not counts[head] or not tail.islower() or (len(tail) < 2 and tail.isascii()):
                    continue  # (the head seen alone in the article comes first: it is cheap)
                common = rank(tail)
                if common is None or (common >= COMMON_TAIL_RANK and len(tail) < LONG_TAIL):
                    continue
                if not known(word):
                    return f"{head} {tail}"
        return word

    def replace(match: re.Match[str]) -> str:
        word = match.group()
        found = cache.get(word)
        if found is None:
            found = cache[word] = cut(word)
        return found

    return _WORD.sub(replace, text)
