"""From the model's raw spans to mentions a reader can trust.

The French model, run on real news, makes the same few mistakes again and
again. Each rule here mends or drops one of them, and works on any text (no
list of names):

- a span that stops inside a hyphenated word is extended to its end
  (`Kim Jung` + `-un`);
- leading elided words and clitics go (`qu’`, `n’`, `s’`, `c’`, `l’`, `d’`),
  and so does a leading article (`la Chine` → `Chine`, `le Pentagone`), while
  an article inside a name stays (`Corée du Nord`);
- a title (`M.`, `Mme`, `Dr`) goes and makes the mention a person
  (`M.Poutine`);
- quotes and punctuation around a span go; spans that are only punctuation,
  carry markup, start in lowercase, are too long, are only a title or an
  initial (`M.`, `J.`), or are an acronym taken for a person (`NDLR`) are
  dropped;
- a one-word mention that opens a sentence is marked `initial`: a capitalised
  common word (`Signe`, `Surveiller`) looks exactly like that, and the corpus
  decides later (`aliases.py`) whether the word is ever a name elsewhere. Given
  a lexicon, only words more often written in lowercase are (`Signe`, not
  `Aarau` at the head of a dispatch); a title or an initial before the word
  (`M. Rouher`, `L. Jalabert`) makes it a person's name, never a sentence opener.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from index.analysis import FRENCH_STOP_WORDS, fold
from index.entities.aliases import acronym_of, name_key
from index.entities.ner import Span, normalise

MAX_CHARS = 60
MAX_WORDS = 8

# (Used with `pattern.match(text, pos)`, which anchors at `pos`: no `^`.)
_CLITIC = re.compile(r"(?:qu|lorsqu|puisqu|jusqu|presqu|quoiqu|n|s|c|l|d|j|m|t)'", re.IGNORECASE)
_ARTICLE_LOWER = re.compile(r"(?:(?:le|la|les|du|des|de|au|aux)\s+|l')(?=\w)")
_ARTICLE_UPPER = re.compile(r"(?:(?:Le|La|Les)\s+|L')(?=[^\W\d_])")
_TITLE = re.compile(r"(?:M\.|MM\.|Mme\.?|Mmes\.?|Mlle\.?|Dr\.?|Pr\.?|Me\.?|Mgr\.?)\s*(?=[A-ZÀ-Þ])")
# What names nobody: a title or an initial alone (`M.` before a lowercase `le président`).
_NO_NAME = re.compile(r"(?:M|MM|Mr|Mrs|Mme|Mmes|Mlle|Mlles|Dr|Pr|Me|Mgr)\.?|[^\W\d_]\.")
# A title or an initial just before a span (`M. Rouher`, `L. Jalabert`): its dot ends
# no sentence, and what follows is a person's name.
_TITLE_BEFORE = re.compile(r"(?:^|[\s(«\"'])(?:(?:M|MM|Mr|Mme|Mmes|Mlle|Dr|Pr|Mgr)\.?|[A-Z]\.)\s*$")
_HYPHEN_CLITIC = re.compile(r"-[a-z]'")
# A word in small letters too long to end a name (`Jong-un`, `Jong-hee` do) after a
# dash that lost its spaces: `Chirac-profite`.
_HYPHEN_WORD = re.compile(r"-[a-zà-ÿ]{5,}(?![^\W\d_])")
_TRIM = "\"'«»“”‘’()[]{}<>,;:·•*–—- \t\n\u00a0"
_MARKUP = re.compile(r"[<>{}\[\]|=_\\/@#$%^*+~`]")
_ACRONYM = re.compile(r"[A-Z]{2,5}")
# A spaced dash separates two things (`Ukraine - AFP`, `Poutine – Kim Jong-un`).
_SEPARATOR = re.compile(r"\s-\s")
_CARDINAL = re.compile(
    r" (?:du|de l') ?(?:nord|sud|est|ouest|Nord|Sud|Est|Ouest)(?:-(?:est|ouest|Est|Ouest))?\b"
)
# What ends a sentence: `.!?…:;`, possibly followed by closing quotes.
_SENTENCE_END = re.compile(r"[.!?…:;][»\"”’)]*$")
_OPENING = " \t\n\u00a0«“\"'‘("


@dataclass(frozen=True)
class RawMention:
    """A mention in an article: offsets into its text, the surface, a label."""

    start: int
    end: int
    text: str
    label: str
    initial: bool = False  # one word opening a sentence: maybe a capitalised common word


def clean_spans(
    text: str,
    spans: Iterable[Span],
    offset: int = 0,
    common: Callable[[str], bool] | None = None,
) -> list[RawMention]:
    """Mentions from the raw `spans` of `text`; offsets are shifted by `offset`.

    `common(word)` says whether a capitalised word is more often a common word
    (`ner.Lexicon.commoner_in_lowercase`): only those are marked `initial` when
    they open a sentence. Without it, every one-word sentence opener is.
    """
    norm = normalise(text)
    mentions: list[RawMention] = []
    for span in spans:
        for start, end in _parts(norm, span.start, span.end):
            mention = _clean(norm, start, end, span.label, common)
            if mention is not None:
                start, end, label, initial = mention
                mentions.append(
                    RawMention(start + offset, end + offset, text[start:end], label, initial)
                )
    return _without_overlaps(mentions)


def _parts(norm: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span cut at its spaced dashes: `Poutine – Kim Jong-un` names two people."""
    parts = []
    for separator in _SEPARATOR.finditer(norm, start, end):
        parts.append((start, separator.start()))
        start = separator.end()
    parts.append((start, end))
    return parts


def _clean(
    norm: str, start: int, end: int, label: str, common: Callable[[str], bool] | None = None
) -> tuple[int, int, str, bool] | None:
    # Extend a span cut inside a word: `Kim Jung` + `-un`, `Pyongyan` + `g`.
    while end < len(norm) and (
        norm[end].isalnum()
        or (norm[end] == "-" and end + 1 < len(norm) and norm[end + 1].isalpha())
    ):
        if norm[end] == "-" and (_HYPHEN_CLITIC.match(norm, end) or _HYPHEN_WORD.match(norm, end)):
            break  # `Chirac-n'a`, `Chirac-profite`: a dash lost its spaces
        end += 1
    glued = _HYPHEN_WORD.search(norm, start, end)
    if glued and glued.end() == end:
        end = glued.start()  # (the model's own span ran over it)
    if label == "LOC":  # `Corée` + ` du nord`: a cardinal point completes a place
        point = _CARDINAL.match(norm, end)
        if point:
            end = point.end()
    start, end = _trim(norm, start, end)
    for _ in range(3):  # `qu'à la Chine`: clitic, then article
        before = start
        match = _CLITIC.match(norm, start, end)
        if match:
            start = match.end()
        match = _ARTICLE_LOWER.match(norm, start, end)
        if match:
            start = match.end()
        elif label != "MISC" and _at_sentence_start(norm, start):
            # (A work's title keeps its article: `La Reine des neiges`.)
            upper = _ARTICLE_UPPER.match(norm, start, end)
            if upper and len(norm[upper.end() : end].split()) >= 1:
                start = upper.end()
        match = _TITLE.match(norm, start, end)
        if match:
            start = match.end()
            label = "PER"
        start, end = _trim(norm, start, end)
        if start == before:
            break
    if label == "PER":  # `Hitler estnée`, `Aebersold m. t. 86`: a name ends capitalised
        end = _without_lowercase_tail(norm, start, end)
    surface = norm[start:end]
    titled = bool(_TITLE_BEFORE.search(norm, max(0, start - 8), start))
    if titled and not _ACRONYM.fullmatch(surface):
        label = "PER"
    if not _acceptable(surface, label):
        return None
    initial = (
        not titled
        and " " not in surface
        and "-" not in surface
        and _at_sentence_start(norm, start)
        and (common is None or common(surface))
    )
    return start, end, label, initial


def _without_lowercase_tail(norm: str, start: int, end: int) -> int:
    """The end of a person's name without the lowercase words or numbers after it."""
    while True:
        space = norm.rfind(" ", start, end)
        # (`Pline l'Ancien`, `Marie-Antoinette d'Autriche`, `terHorst` end a name.)
        if space < 0 or any(c.isupper() for c in norm[space + 1 : end]):
            return end
        end = _trim(norm, start, space)[1]


def _trim(norm: str, start: int, end: int) -> tuple[int, int]:
    while start < end and norm[start] in _TRIM:
        start += 1
    while end > start and norm[end - 1] in _TRIM:
        end -= 1
    # A closing parenthesis or quote inside is fine; an unbalanced one is not part of the name.
    return start, end


def _acceptable(surface: str, label: str) -> bool:
    if not surface or not any(c.isalpha() for c in surface):
        return False
    # A lowercase head is kept when the name ends capitalised (`mer Noire`, `guerre
    # de Sept Ans`); otherwise it is a phrase the model ran on (`ministre japonaise
    # des Affaires étrangères fraîchement`).
    lowercase_head = not (surface[0].isupper() or surface[0].isdigit())
    if lowercase_head and not surface.split()[-1][:1].isupper():
        return False
    if len(surface) > MAX_CHARS or len(surface.split()) > MAX_WORDS:
        return False
    if _MARKUP.search(surface):
        return False
    if label == "PER" and _ACRONYM.fullmatch(surface):
        return False
    if _NO_NAME.fullmatch(surface):
        return False
    return fold(surface) not in FRENCH_STOP_WORDS


def _at_sentence_start(norm: str, start: int) -> bool:
    """Whether `start` opens a sentence (an opening quote may come between)."""
    before = norm[max(0, start - 12) : start].rstrip(_OPENING)
    if not before:
        return not norm[:start].rstrip(_OPENING)
    return bool(_SENTENCE_END.search(before))


def _without_overlaps(mentions: list[RawMention]) -> list[RawMention]:
    """Mentions in order, none overlapping (the longer of two that overlap wins)."""
    result: list[RawMention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if result and mention.start < result[-1].end:
            continue
        result.append(mention)
    return result


def repeated_mentions(
    passages: list[tuple[str, int]],
    mentions: list[RawMention],
    common: Callable[[str], bool] | None = None,
) -> list[RawMention]:
    """The other occurrences, in an article's `passages` (text, offset), of the names
    its `mentions` recognised: the model often misses a name it found once.

    Only names that are no doubtful sentence opener are sought, each with its
    commonest label there, as a whole word that no mention covers yet; what is
    found goes through the same cleanup as the model's spans.
    """
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for mention in mentions:
        if not mention.initial and len(mention.text) >= 3 and mention.text[0].isupper():
            labels[normalise(mention.text)][mention.label] += 1
    if not labels:
        return []
    names = sorted(labels, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w]|-\w)"
    )
    taken = sorted((m.start, m.end) for m in mentions)
    starts = [start for start, _end in taken]
    found: list[RawMention] = []
    for text, offset in passages:
        spans = []
        for match in pattern.finditer(normalise(text)):
            start, end = match.start() + offset, match.end() + offset
            i = bisect.bisect_right(starts, end) - 1
            if i >= 0 and taken[i][1] > start:
                continue  # within or across a mention already there
            label = labels[match.group()].most_common(1)[0][0]
            spans.append(Span(match.start(), match.end(), label))
        if spans:
            found.extend(clean_spans(text, spans, offset, common))
    return found


# An acronym in brackets just after a name: `Organisation mondiale de la santé (OMS)`.
_BRACKETED_ACRONYM = re.compile(r"\s?\(([A-Z][A-Za-z]{1,9})\)")


def bracketed_acronyms(text: str, mentions: Iterable[RawMention]) -> list[tuple[str, str]]:
    """(name, acronym) for each name of several words, not a person's, that the text
    follows with an acronym in brackets (`Haut-Commissariat des Nations unies pour
    les réfugiés (HCR)`): the text's own word that the two are one.

    An acronym in capitals begins with the initial of the name's first word that
    counts, and has at most a letter more than the name has words (`São Paulo
    (SPSP)`: the name the model found is cut short); one in small letters after its
    capital (`Caf`) is the name's initials, or it would be a word (`Conseil de
    sécurité (Chine)`, `Nations unies (Monusco)`).
    """
    pairs = []
    for mention in mentions:
        key = name_key(mention.text)
        if mention.label == "PER" or " " not in key:
            continue
        match = _BRACKETED_ACRONYM.match(text, mention.end)
        if match is None:
            continue
        acronym = match.group(1)
        if len(acronym) > len(key.split()) + 1:
            continue  # the name is cut short: `(Société de pédiatrie de) São Paulo (SPSP)`
        initials = acronym_of(key)
        if acronym.isupper():
            if initials[:1] == fold(acronym[0]):
                pairs.append((mention.text, acronym))
        elif fold(acronym) == initials:
            pairs.append((mention.text, acronym))
    return pairs
