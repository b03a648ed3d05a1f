"""The page's words that are not the article's: link teasers, bylines, share lines.

A saved news page carries, among the article's paragraphs, words of the site:
`Lire aussi : <another article's headline>`, `Regarder :`, `Vous pourriez aussi
aimer :`, `A ne pas manquer sur <site> :`, a byline (`Par Jeanne Martin`, `Un
reportage de …`), a credit (`© AFP`, `Crédit photo : …`), a share or subscription
line (`Partager sur Facebook`, `Abonnez-vous`), a review line (`Cet article a été
revu le … par …`). The cleaner makes them passages of their own kind,
`boilerplate`: the reader shows them dimmed, and they are never a title, never
searched, never given to the entity model, never related to other passages.

The rules are made of the common words such lines are written with (verbs of
reading and watching, the nouns of a credit), not of the phrases of one site:

- a *teaser* opens a line or a sentence with a label ending in a colon, built on
  a verb of reading, watching, listening or discovering (`Lire aussi`, `À voir
  également`, `Regarder`, `A ne pas manquer sur BBC Afrique`, `Vous pourriez
  aussi aimer`, `Sur le même sujet`, `En savoir plus`), and goes on with the
  headline it links to. In text whose lines were run together (one paragraph
  for a whole page), the headline ends at its sentence end, or before the
  first capitalised word that the language writes more often in small letters
  (`… au Cameroun Connaissez-vous la femme …`: `Connaissez` opens the article's
  next sentence, `Cameroun` is a name). What runs to a full stop, or on for
  `TEASER_MAX_WORDS` words, is no headline but the article's next sentence (the
  page's link was lost): then only the label is boilerplate;
- a *byline, credit or share line* is a short line of its own that opens with
  such words (`Par` and a name, `Un reportage de`, `Crédit photo`, `©`,
  `Partager`, `Abonnez-vous`, `Suivez-nous`, `Publicité`, `Cet article a été
  revu`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

Rank = Callable[[str], "int | None"]

# The label of a link teaser, up to its colon.
_LABEL = re.compile(
    r"""
    (?<![\w'’-])
    (?:
        (?:[AÀ]\s+)?(?:lire|voir|regarder|écouter|découvrir|revoir|relire)
        (?:\s+(?:aussi|également|encore|plus|absolument))*
      | [AÀ]\s+ne\s+pas\s+(?:surtout\s+)?(?:manquer|rater)
      | vous\s+(?:pourriez|pouvez|aimerez|aimeriez)\s+(?:aussi\s+|également\s+)?
        (?:aimer|lire|voir|regarder|être\s+intéressée?s?)
      | sur\s+le\s+même\s+sujet | en\s+savoir\s+plus | pour\s+aller\s+plus\s+loin
      | plus\s+d['’]informations?
    )
    (?:\s+(?:sur|dans|chez|par)\s+[^:.!?\n]{1,40}?)?  # `sur BBC Afrique`
    \s*:\s*
    """,
    re.IGNORECASE | re.VERBOSE,
)
# A line that is a byline, a credit, a share or subscription line, a review line.
# (Small letters or capitals alike in the words; a name after them has its capital.)
_LINE = re.compile(
    r"""
    ^[\W_]*(?:
        (?i:par)\s+[A-ZÀ-Þ][\w'’.-]*(?:\s+(?:[A-ZÀ-Þ][\w'’.-]*|de|d['’]\w+|et|avec))*\s*$
      | (?i:(?:un\s+|une\s+)?(?:reportage|article|texte|vidéo|photos?|illustrations?|infographie)
        \s+(?:de|d['’]|par))\s*[A-ZÀ-Þ]
      | (?i:
            propos\s+recueillis\s+par
          | (?:crédits?|credits?)\s+(?:photos?|images?)
          | ©|copyright\b
          | partager\b|partagez\b|abonnez-vous|inscrivez-vous|suivez-nous|s['’]abonner
          | newsletter\b|publicité\s*$
          | cet\s+article\s+a\s+été\s+(?:revu|mis\s+à\s+jour|modifié|publié)\b
        )
    )
    """,
    re.VERBOSE,
)
LINE_MAX_WORDS = 16
TEASER_MAX_WORDS = 30
HEADLINE_MAX_WORDS = 16
_WORD = re.compile(r"\S+")
_LETTERS = re.compile(r"[^\W\d_]+")


def is_boilerplate_line(line: str) -> bool:
    """Whether a line of its own is a byline, a credit, a share line or a teaser
    label alone (`Lire aussi :`)."""
    if len(line.split()) > LINE_MAX_WORDS:
        return False
    label = _LABEL.match(line)
    return bool(_LINE.match(line)) or (label is not None and label.end() == len(line))


def split_teasers(text: str, rank: Rank | None = None) -> list[tuple[bool, str]]:
    """`text` cut into (boilerplate, part): each link teaser (its label, written
    with a capital, and the headline after it) apart from the article's own words
    around it. `rank(word)` ranks words by frequency (see `ner.Lexicon.rank`)."""
    parts: list[tuple[bool, str]] = []
    start = 0
    at = 0
    while (label := _LABEL.search(text, at)) is not None:
        at = label.end()
        if not text[label.start()].isupper():
            continue  # `… à lire aussi : …` inside a sentence of the article
        end = _headline_end(text, label.end(), rank)
        if text[start : label.start()].strip():
            parts.append((False, text[start : label.start()].strip()))
        parts.append((True, text[label.start() : end].strip()))
        start = at = end
    if not parts:
        return [(False, text)]
    if text[start:].strip():
        parts.append((False, text[start:].strip()))
    return parts


def _headline_end(text: str, start: int, rank: Rank | None) -> int:
    """Where the headline that a teaser's label introduces at `start` ends: at `start`
    itself when what follows is a sentence of the article (the page's link was
    lost, and the label runs into the text: `Lire aussi : Cinq autres entreprises
    ont été citées.`)."""
    previous = ""
    for count, word in enumerate(_WORD.finditer(text, start)):
        token = word.group()
        if count >= TEASER_MAX_WORDS:
            return start  # too long for a headline
        if count and _LABEL.match(text, word.start()):
            return word.start()
        after_link = previous.lower() in _LINKS or previous.endswith(("'", "’"))
        if count >= 2 and rank and not after_link and _opens_sentence(token, rank):
            return word.start()
        closed = token.rstrip('»"”’)')
        if closed.endswith("?") and count < HEADLINE_MAX_WORDS:
            return word.end()  # a headline may ask
        if closed.endswith((".", "!", "…", "?")):
            return start  # a headline has no full stop: this is a sentence
        previous = token
    return len(text)


# Words after which no sentence begins: a capital there is a name's (`du Sud`).
_LINKS = frozenset("de du des la le les et à au aux en sur pour par avec contre".split())


def _opens_sentence(token: str, rank: Rank) -> bool:
    """A capitalised word the language writes more often in small letters: a
    sentence's first word (`Connaissez-vous`, `Cette`), not a name (`Cameroun`)."""
    letters = _LETTERS.search(token)
    if letters is None or letters.start() != 0 or not token[0].isupper():
        return False
    word = letters.group()
    if word.isupper() and len(word) > 1:
        return False  # an acronym
    lower = rank(word.lower())
    if lower is None:
        return False
    written = rank(word)
    return written is None or lower < written
