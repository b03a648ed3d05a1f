"""One identity per person, place and organisation, across all the spellings of a corpus.

The resolver sees every distinct surface form the corpus mentions, with its
labels and counts, and groups them by general rules (no list of names):

1. the same name written differently is one key: case, accents, hyphens,
   apostrophes and dots are folded (`Kim Jong-un` = `Kim Jong Un`,
   `Etats-Unis` = `États-Unis`);
2. names of one country or international body in any language are one place
   (`Corea del Norte` = `Corée du Nord` = `RPDC`; see `worldnames.py`);
3. near spellings and transliterations of a name with the same number of
   words are one person when every word is close (`Kim Jung-un`, `Vladimir
   Putin`) and at least one is the same:
   - a word of three letters or fewer must match exactly, which keeps `Kim
     Jong-un` and his father `Kim Jong-il` apart;
   - a name of one word must be longer than five letters to differ by more
     than an OCR confusion (`Parif`/`Paris`), so `Japon` and `Jadon`, `Save`
     and `Saxe` stay apart; a surname with a letter after it is another family
     unless one article writes both (`Lauren`, `Laurens`);
   - two places that CLDR or ISO 3166 know as different (`Niger`/`Nigeria`,
     `Tunis`/`Tunisie`) never merge, nor a known place with its name and an
     ending (`Nigérians`, `Algérien`), nor a known place with a name one
     letter away unless OCR explains it (`France`/`Franco`; `ConseU`/`Conseil`
     is OCR);
   - a name with its spaces lost is the name (`NewYork`); `ville de Berne` is
     Berne; a nationality abbreviation of a results table (`Esp`, `Fr`) is the
     one country the corpus names that it begins; a name with a number
     hyphened to it is the name when that is its only number (`Covid-19`,
     `Covid`; not `TSR 1`, a channel of `TSR`); a person run into the body he
     is of is the person (`Ahmad de la Caf`);
4. initials stand for the full name they begin (`V. Poutine`, `D. Peskov`);
5. a surname alone belongs to the one full name that has it, or to the one
   that dominates the others (`Poutine` → `Vladimir Poutine`); when the
   corpus says where each form is written (`articles_of`), a surname or a
   first name alone goes to the one full name written in the same articles,
   a surname with none to the only full name of the corpus that has it,
   and otherwise stays on its own (`Joe` in a novel is not a president),
   except in the articles that write one full name with it, where it is that
   name (`Resolution.in_article`: `Laurent` is `Emile Laurent` there only);
6. a one-word mention only ever seen opening a sentence is a capitalised
   common word (`Signe`), not a name, unless it is a person named again; so
   is a one-word "place" that is no known place and that its articles also
   write in small letters (`l'État` and `un état`, `le Nord` and `au nord`);
7. an acronym the text writes in brackets after a name is that name (`Haut-
   Commissariat des Nations unies pour les réfugiés (HCR)`); otherwise an
   acronym written in capitals is the one name of the corpus whose initials it
   is (`FMI`, `Fonds monétaire international`), never a person, and an
   organisation's never a place; a name that opens with an acronym is the
   acronym of its words (`RD Congo`, `RDC`);
8. an entity's kind is the vote of its mentions, where a full name's count
   more, mended where the corpus disagrees with the model: a lone word read as
   something else in a third of its mentions is no person (`Uber`), an acronym
   with its expansion no place unless a country is among its names (`Caf`).
   Its name is the fullest of its common forms, without a title.

The user's corrections (merge, split, rename, hide) are applied on top.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from index.analysis import fold

# A surname alone goes to the most mentioned full name if it has this many
# times the mentions of all the other full names with that word.
DOMINANCE = 3
# A mention of a name of several words counts this many times in its entity's label.
FULL_NAME_VOTE = 3
_SEPARATORS = re.compile(r"[\s'’`´‐‑–—\-_.·/]+")
_VOWELS = frozenset("aeiouy")


@dataclass
class SurfaceStats:
    """What the corpus says about one surface form."""

    surface: str
    labels: Counter[str] = field(default_factory=Counter)
    count: int = 0
    initial: int = 0  # mentions opening a sentence, one word


@dataclass(frozen=True)
class Corrections:
    """The user's corrections, as keys of names (see `name_key`)."""

    merges: tuple[tuple[str, str], ...] = ()
    splits: frozenset[str] = frozenset()
    names: tuple[tuple[str, str], ...] = ()  # (key of a member, new display name)
    hidden: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ResolvedEntity:
    id: str
    name: str
    label: str
    aliases: tuple[str, ...]  # surface forms, most frequent first
    hidden: bool = False


class Resolution(NamedTuple):
    """The entities of a corpus; for each written form, its entity; and for a name
    alone that stands for one full name in one article and another elsewhere
    (`Laurent`), its entity in that article, by (article id, written form)."""

    entities: list[ResolvedEntity]
    alias_of: dict[str, str]
    in_article: dict[tuple[str, str], str]


@lru_cache(maxsize=1 << 16)
def name_key(surface: str) -> str:
    """The form in which two spellings of one name are equal."""
    words = _SEPARATORS.split(fold(surface))
    return " ".join(word for word in words if word)


# Titles and roles, which go before a person's name and are no part of who it is
# (common nouns of the language, not names: no person or place is listed here).
_ROLES = frozenset(
    """
    m mm mme mmes mlle mlles mr mrs ms dr pr me mgr mad sir lord lady dame
    monsieur messieurs madame mesdames mademoiselle mesdemoiselles
    president presidente premier premiere ministre vice secretaire general generale
    chancelier chanceliere senateur senatrice depute deputee maire gouverneur juge
    marechal colonel capitaine lieutenant commandant amiral sergent caporal
    roi reine prince princesse empereur imperatrice pape cardinal eveque abbe
    docteur professeur maitre comte comtesse duc duchesse baron baronne
    marquis marquise sultan emir cheikh imam rabbin pasteur
    """.split()
)
# Words a role may have after it (`premier ministre`, `secretaire general de l`).
_ROLE_LINKS = frozenset("de du des d l la le".split())


def _without_roles(key: str) -> str:
    """A name key without the titles and roles that open it (`president joe biden`
    -> `joe biden`); empty when it is only a role (`premier ministre`, `monsieur`)."""
    words = key.split()
    i = 0
    while i < len(words) and (
        words[i] in _ROLES or (i and words[i] in _ROLE_LINKS and words[i - 1] in _ROLES)
    ):
        i += 1
    if i == len(words):
        return ""
    # (A role alone goes; a name whose every other word is a role keeps its own.)
    return " ".join(words[i:]) if i else key


# The words for a town a town's name may follow in small letters (`ville de Berne`):
# common nouns of the language, no place is listed here. (A canton, a region or a
# province is not the town of its name: `canton de Fribourg`.)
_PLACE_KINDS = frozenset("ville cite commune village bourg".split())
_PLACE_KIND = re.compile(rf"(?:{'|'.join(sorted(_PLACE_KINDS))}) (?:de |du |d )(?=\w)")


def _without_place_kind(key: str) -> str:
    """A town's name key without the word for a town before it (`ville de berne` ->
    `berne`)."""
    match = _PLACE_KIND.match(key)
    return key[match.end() :] if match else key


def slug(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.lower())
    ascii_name = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-") or "entity"


class _Groups:
    """Union-find over name keys."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.parent = {key: key for key in keys}
        # (key, article, full names written there): a name alone that stands, in
        # that article, for the one of those full names (rule 5).
        self.in_article: list[tuple[str, str, list[str]]] = []
        # Acronyms joined to a name they stand for (rule 7).
        self.acronyms: set[str] = set()

    def find(self, key: str) -> str:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra

    def members(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for key in self.parent:
            groups[self.find(key)].append(key)
        return groups


def resolve(
    stats: Iterable[SurfaceStats],
    corrections: Corrections = Corrections(),
    territories: dict[str, str] | None = None,
    places: dict[str, str] | None = None,
    articles_of: Callable[[Iterable[str]], dict[str, set[str]]] | None = None,
    bracketed: Iterable[tuple[str, str]] = (),
    case_counts: Callable[[list[str]], tuple[int, int]] | None = None,
) -> Resolution:
    """The entities of a corpus, and for each kept surface form its entity id.

    `territories` maps names of countries to their codes, `places` names of
    countries and cities to what they name (see `worldnames`); both are read
    from CLDR and ISO 3166 when not given. `articles_of(surfaces)` says in which
    articles each surface form is written (rule 5); `bracketed` holds the (name,
    acronym) pairs the text writes as `name (ACRONYM)` (rule 7); `case_counts(surfaces)`
    how many articles write a one-word name's word in small letters, and how many
    as that name (rule 6).
    """
    by_key, labels, counts = _kept_keys(stats, corrections)
    if places is None:
        from index.entities.worldnames import place_names

        places = place_names()
    if case_counts is not None:
        _common_nouns(by_key, labels, counts, {name_key(p) for p in places}, case_counts)
    written_in = None
    if articles_of is not None:
        surfaces_of = {key: [m.surface for m in members] for key, members in by_key.items()}
        written_in = _ArticlesOf(surfaces_of, articles_of)
    expansions: dict[str, set[str]] = defaultdict(set)
    for name, acronym in bracketed:
        expansions[name_key(acronym)].add(name_key(name))
    groups = _grouped(
        by_key, labels, counts, corrections, territories, places, written_in, expansions
    )
    known_places = {name_key(name) for name in places}
    return _entities(groups, by_key, labels, counts, corrections, known_places)


def _grouped(
    by_key: dict[str, list[SurfaceStats]],
    labels: dict[str, str],
    counts: dict[str, int],
    corrections: Corrections,
    territories: dict[str, str] | None,
    places: dict[str, str],
    written_in: _ArticlesOf | None,
    bracketed: dict[str, set[str]],
) -> _Groups:
    """The keys grouped by the rules above, then as the user merged them."""
    groups = _Groups(by_key)
    free = [key for key in by_key if key not in corrections.splits]
    if territories is None:
        from index.entities.worldnames import territory_names

        territories = territory_names()
    codes = {name_key(name): code for name, code in territories.items()}
    _same_territory(groups, free, codes)
    titled = {key for key, members in by_key.items() if any(m.surface.istitle() for m in members)}
    _country_abbreviations(groups, free, labels, counts, titled, codes)
    _spaces_lost(groups, free)
    _numbered(groups, free, by_key)
    known_places = {name_key(name): place for name, place in places.items()}
    _near_spellings(groups, free, labels, known_places, written_in)
    _initials_and_surnames(groups, free, labels, counts, written_in, known_places)
    uppercase = {
        key for key, members in by_key.items() if any(m.surface.isupper() for m in members)
    }
    # (names that open with a word in capitals: `RD Congo`)
    headed = {
        key
        for key, members in by_key.items()
        if " " in key and any(m.surface.split()[0].isupper() for m in members)
    }
    _acronyms(groups, free, labels, uppercase, headed, bracketed)
    for a, b in corrections.merges:
        if a in groups.parent and b in groups.parent:
            groups.union(a, b)
    return groups


def _kept_keys(
    stats: Iterable[SurfaceStats], corrections: Corrections
) -> tuple[dict[str, list[SurfaceStats]], dict[str, str], dict[str, int]]:
    """The surface forms of each name key kept, and each key's label and mentions."""
    by_key: dict[str, list[SurfaceStats]] = defaultdict(list)
    # A name the user corrected keeps its whole key: the correction names it so.
    corrected = {
        *corrections.splits,
        *corrections.hidden,
        *(k for pair in corrections.merges for k in pair),
        *(k for k, _name in corrections.names),
    }
    for stat in stats:
        key = name_key(stat.surface)
        if key and key not in corrected:
            # `Président Biden` is Biden; `Monsieur` is nobody; `Premier League` stays.
            roleless = _without_roles(key)
            label = stat.labels.most_common(1)[0][0]
            if not roleless or label == "PER":
                key = roleless
            elif label == "LOC" and stat.surface[:1].islower():
                key = _without_place_kind(key)  # `ville de Berne` is Berne
        if key:
            by_key[key].append(stat)
    _without_bodies(by_key, corrected)

    labels: dict[str, str] = {}
    counts: dict[str, int] = {}
    for key, members in list(by_key.items()):
        total = sum(m.count for m in members)
        initial = sum(m.initial for m in members)
        label_counts: Counter[str] = Counter()
        for member in members:
            label_counts.update(member.labels)
        label = label_counts.most_common(1)[0][0]
        # Rule 6: only ever a capitalised sentence opener. A person named again
        # and again, if only at the start of sentences, is still a person.
        if initial == total and " " not in key and not (label == "PER" and total >= 2):
            del by_key[key]
            continue
        labels[key] = label
        counts[key] = total
    return by_key, labels, counts


# A place name of one word that this share or more of the articles writing its
# word write in small letters is a common noun (`l'État`, `un état`), if they are
# COMMON_LOWER articles at least.
COMMON_SHARE = 0.25
COMMON_LOWER = 3
# Words named this often or more are checked (a common noun is a frequent one).
COMMON_MENTIONS = 5


def _common_nouns(
    by_key: dict[str, list[SurfaceStats]],
    labels: dict[str, str],
    counts: dict[str, int],
    places: set[str],
    case_counts: Callable[[list[str]], tuple[int, int]],
) -> None:
    """A one-word "place" that is no country or city the world lists, and that the
    articles writing it also write in small letters, is a common noun with a
    capital (`l'État`, `le Nord`), no name (rule 6)."""
    for key in list(by_key):
        members = by_key[key]
        if (
            " " in key
            or labels[key] != "LOC"
            or key in places
            or counts[key] < COMMON_MENTIONS
            or any(m.surface.isupper() for m in members)
        ):
            continue
        lower, capital = case_counts([m.surface for m in members])
        if lower >= COMMON_LOWER and lower >= COMMON_SHARE * (lower + capital):
            del by_key[key], labels[key], counts[key]


# `Ahmad de la Caf`: a person's name, a link word, and the body he is of.
_OF_BODY = re.compile(r" (?:de la|de l|du|des|de) ")


def _without_bodies(by_key: dict[str, list[SurfaceStats]], corrected: set[str]) -> None:
    """A person's name run into the organisation he is of (`Ahmad de la Caf`, `Ahmad
    du FMI`) is the person's: the organisation is a name of its own that the corpus
    writes more often, and in capitals (an acronym) or as an organisation's."""

    def stats_of(key: str) -> tuple[Counter[str], int, bool]:
        labels: Counter[str] = Counter()
        for member in by_key[key]:
            labels.update(member.labels)
        upper = any(m.surface.isupper() for m in by_key[key])
        return labels, sum(m.count for m in by_key[key]), upper

    for key in [k for k in by_key if _OF_BODY.search(k) and k not in corrected]:
        labels, count, _upper = stats_of(key)
        if labels.most_common(1)[0][0] != "PER":
            continue
        match = _OF_BODY.search(key)
        assert match is not None
        head, body = key[: match.start()], key[match.end() :]
        if body not in by_key or head in corrected:
            continue
        body_labels, body_count, body_upper = stats_of(body)
        if body_count > count and (body_upper or body_labels.most_common(1)[0][0] == "ORG"):
            by_key[head].extend(by_key.pop(key))


def _entities(
    groups: _Groups,
    by_key: dict[str, list[SurfaceStats]],
    labels: dict[str, str],
    counts: dict[str, int],
    corrections: Corrections,
    places: set[str],
) -> Resolution:
    """One entity a group of keys (renamed and hidden as corrected), and its aliases."""
    renamed = {groups.find(k): name for k, name in corrections.names if k in groups.parent}
    hidden = {groups.find(k) for k in corrections.hidden if k in groups.parent}
    in_article = _in_article(groups, by_key, corrections)
    alone_in: dict[str, set[str]] = defaultdict(set)
    for (_article, surface), root in in_article.items():
        alone_in[root].add(surface)
    entities: list[ResolvedEntity] = []
    alias_of: dict[str, str] = {}
    id_of: dict[str, str] = {}
    used_ids: set[str] = set()
    for root, keys in sorted(groups.members().items(), key=lambda item: item[0]):
        surfaces: Counter[str] = Counter()
        group_labels: Counter[str] = Counter()
        for key in keys:
            for member in by_key[key]:
                surfaces[member.surface] += member.count
            # (The model reads a full name's kind better than a short form's:
            # `Confédération africaine de football` says what `Caf` is.)
            group_labels[labels[key]] += counts[key] * (FULL_NAME_VOTE if " " in key else 1)
        automatic = _display_name(surfaces, set(keys))
        name = renamed.get(root) or automatic
        label = _label(group_labels, keys, by_key, groups.acronyms, places)
        # The id comes from the automatic name, so a rename keeps it.
        entity_id = id_of[root] = _unique_id(slug(automatic), label, used_ids)
        aliases = tuple(surface for surface, _ in surfaces.most_common())
        # (and the names alone that stand for it in some articles only)
        aliases += tuple(sorted(alone_in[root] - surfaces.keys()))
        entities.append(ResolvedEntity(entity_id, name, label, aliases, root in hidden))
        for surface in aliases[: len(surfaces)]:
            alias_of[surface] = entity_id
    by_article = {
        (article, surface): id_of[root] for (article, surface), root in in_article.items()
    }
    return Resolution(entities, alias_of, by_article)


def _in_article(
    groups: _Groups, by_key: dict[str, list[SurfaceStats]], corrections: Corrections
) -> dict[tuple[str, str], str]:
    """(article, surface form) → the group a name alone stands for in that article
    only, where the article writes one full name that has it (rule 5); a name the
    user merged or split is left as corrected."""
    corrected = {*corrections.splits, *(k for pair in corrections.merges for k in pair)}
    found: dict[tuple[str, str], str] = {}
    for key, article, fulls in groups.in_article:
        roots = {groups.find(full) for full in fulls}
        if key in corrected or len(roots) != 1 or groups.find(key) in roots:
            continue
        root = roots.pop()
        for member in by_key[key]:
            found[(article, member.surface)] = root
    return found


# The share of its mentions read as another kind that makes a lone word no person.
NOT_A_PERSON = 1 / 3


def _label(
    votes: Counter[str],
    keys: list[str],
    by_key: dict[str, list[SurfaceStats]],
    acronyms: set[str],
    places: set[str],
) -> str:
    """The kind of an entity, by the vote of its names' mentions, mended where the
    corpus disagrees with the model:

    - a word alone, never part of a full name nor after a title, that the model
      also reads as an organisation, a place or another thing in a third of its
      mentions, is that (`Uber`);
    - an acronym with its expansion is no place, unless a country or a city is
      among its names (`Caf`, `Confédération africaine de football`; `RDC` is one).
    """
    label = votes.most_common(1)[0][0]
    if label == "PER" and all(" " not in key for key in keys):
        read: Counter[str] = Counter()
        for key in keys:
            for member in by_key[key]:
                if " " in member.surface:  # a title: `M. Uber` is a person
                    return label
                read.update(member.labels)
        others = [(n, kind) for kind, n in read.items() if kind != "PER"]
        if others and sum(n for n, _ in others) >= NOT_A_PERSON * sum(read.values()):
            return max(others)[1]
    acronym = any(key in acronyms for key in keys)
    if label == "LOC" and acronym and not any(key in places for key in keys):
        return "ORG"
    return label


def _unique_id(base: str, label: str, used: set[str]) -> str:
    candidate = base
    if candidate in used:
        candidate = f"{base}-{label.lower()}"
    n = 2
    while candidate in used:
        candidate = f"{base}-{n}"
        n += 1
    used.add(candidate)
    return candidate


def _display_name(surfaces: Counter[str], keys: set[str] | None = None) -> str:
    """The fullest form among the common ones: `Vladimir Poutine` over `Poutine`;
    one that is a name of the group's own first (not `ville de Berne`, `Ahmad de la
    Caf`, whose keys are another's)."""
    top = surfaces.most_common(1)[0][1]
    common = [s for s, n in surfaces.items() if n * 3 >= top]

    def rank(surface: str) -> tuple[bool, int, bool, int, int, str]:
        full = name_key(surface)
        key = _without_roles(full)
        own = keys is None or full in keys or key in keys
        # (`Calder` over `professeur Calder`)
        words, bare = len(key.split()), full == key
        return (own, words, bare, surfaces[surface], _accents(surface), surface)

    return max(common, key=rank)


def _accents(surface: str) -> int:
    return sum(1 for c in surface if ord(c) > 127)


def _same_territory(groups: _Groups, keys: list[str], codes: dict[str, str]) -> None:
    first_of: dict[str, str] = {}
    for key in keys:
        code = codes.get(key)
        if code is None:
            continue
        if code in first_of:
            groups.union(first_of[code], key)
        else:
            first_of[code] = key


# The longest abbreviation of a country's name (`Fr`, `Esp`, `Dan`).
MAX_ABBREVIATION = 4


def _country_abbreviations(
    groups: _Groups,
    keys: list[str],
    labels: dict[str, str],
    counts: dict[str, int],
    titled: set[str],
    codes: dict[str, str],
) -> None:
    """A short place name written with a capital and small letters (`Esp`, `Fr`), no
    name of its own, which is at most the first half of the one-word name of one
    country only among the countries the corpus names, is that country: the
    nationalities of a results table. (A longer start is a word of its own:
    `Etat` is not `Etats-Unis`, nor `Cote` `Côte d'Ivoire`.)"""
    countries = [
        (key, code)
        for key in keys
        if " " not in key and (code := codes.get(key)) is not None and len(code) == 2
    ]
    for key in keys:
        if not (
            2 <= len(key) <= MAX_ABBREVIATION
            and counts[key] >= 2  # (a table names a nationality again and again)
            and key.isalpha()
            and key in titled
            and labels[key] in ("LOC", "MISC")
            and key not in codes
        ):
            continue
        found = {
            code: name
            for name, code in countries
            if name.startswith(key) and 2 * len(key) <= len(name)
        }
        if len(found) == 1:
            groups.union(next(iter(found.values())), key)


def _spaces_lost(groups: _Groups, keys: list[str]) -> None:
    """A name of one word that is a name of several with its spaces lost at a
    line end (`NewYork`, `GrandsMoulins`) is that name."""
    spaced: dict[str, str] = {}
    for key in keys:
        if " " in key:
            spaced.setdefault(key.replace(" ", ""), key)
    for key in keys:
        full = spaced.get(key)
        if full is not None and " " not in key:
            groups.union(full, key)


def _numbered(groups: _Groups, keys: list[str], by_key: dict[str, list[SurfaceStats]]) -> None:
    """A name and the name with a number joined to it by a hyphen (`Covid`,
    `Covid-19`) are one thing, when the corpus writes the name with that number
    only (`Euro-2016` and `Euro-2020` leave `Euro` alone). A number after a space
    is a thing of its own (`TSR 1`, a channel of `TSR`; `Ligue des champions
    2003`, one season)."""
    present = set(keys)
    numbered: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        base, _, number = key.rpartition(" ")
        hyphened = any(m.surface.endswith(f"-{number}") for m in by_key[key])
        if len(base) >= 3 and base in present and number.isdigit() and hyphened:
            numbered[base].append(key)
    for base, found in numbered.items():
        if len(found) == 1:
            groups.union(found[0], base)


# Letters an OCR engine reads one for the other (the long s read as `f`: `Parif`).
_OCR_CONFUSIONS = frozenset(
    frozenset(pair) for pair in (("f", "s"), ("u", "n"), ("c", "e"), ("i", "l"), ("l", "t"))
)
# A name of one word this short or shorter differs from another by OCR confusions only.
SHORT_NAME = 5


# Pairs of letters an OCR engine reads as one (`ConseU` for `Conseil`, `rn` for `m`).
_OCR_PAIRS = re.compile(r"il|li|rn|cl|vv")
_OCR_PAIR_AS = {"il": "u", "li": "u", "rn": "m", "cl": "d", "vv": "w"}


def _ocr_variants(a: str, b: str) -> bool:
    """`a` and `b` differ only by letters an OCR engine confuses (`parif`/`paris`,
    `conseu`/`conseil`)."""
    if len(a) != len(b) and min(len(a), len(b)) >= SHORT_NAME:
        a, b = (_OCR_PAIRS.sub(lambda m: _OCR_PAIR_AS[m.group()], w) for w in (a, b))
    return len(a) == len(b) and all(
        x == y or frozenset((x, y)) in _OCR_CONFUSIONS for x, y in zip(a, b, strict=True)
    )


def _ocr_names(a: str, b: str) -> bool:
    """Two name keys of as many words that differ by OCR confusions only."""
    words_a, words_b = a.split(), b.split()
    return len(words_a) == len(words_b) and all(
        x == y or _ocr_variants(x, y) for x, y in zip(words_a, words_b, strict=True)
    )


def _close_words(a: str, b: str, shortest: int = 3) -> bool:
    """Two words of one name written two ways (`jong`/`jung`, `putin`/`poutine`);
    words of `shortest` letters or fewer differ by OCR confusions only."""
    if a == b:
        return True
    if a[0] != b[0]:
        return False
    if _ocr_variants(a, b):
        return True
    if min(len(a), len(b)) <= shortest:
        return False
    if Levenshtein.distance(a, b) <= 1:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 5 and len(long) - len(short) <= 2 and _vowels_inserted(short, long)


def _vowels_inserted(short: str, long: str) -> bool:
    """`long` is `short` with vowels added (a transliteration: `putin` → `poutine`)."""
    i = 0
    for char in long:
        if i < len(short) and char == short[i]:
            i += 1
        elif char not in _VOWELS:
            return False
    return i == len(short)


def close_names(a: list[str], b: list[str]) -> bool:
    """Two names of as many words, each close; a name of several words shares one
    word exactly (`Vladimir Putin`), a name of one word is compared strictly."""
    if len(a) != len(b):
        return False
    if len(a) == 1:
        return _close_words(a[0], b[0], SHORT_NAME)
    pairs = list(zip(a, b, strict=True))
    return any(x == y for x, y in pairs) and all(_close_words(x, y) for x, y in pairs)


_ROWS = 256


class NameBlock:
    """Names of one block (the same number of words), in order, with quick searches
    for their near spellings. A near spelling of a name of n words is at most 2n
    edits away from it (see `_close_words`): rapidfuzz finds those at once, and
    only they are compared word by word, in the block's order, as if all were."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self._words: list[list[str]] = []

    def add(self, key: str) -> None:
        self.keys.append(key)
        self._words.append(key.split())

    def close_to(self, key: str, words: list[str]) -> Iterator[int]:
        """The places of the names close to `key` (split as `words`)."""
        within = process.extract(
            key, self.keys, scorer=Levenshtein.distance, score_cutoff=2 * len(words), limit=None
        )
        for place in sorted(place for _key, _edits, place in within):
            if close_names(words, self._words[place]):
                yield place

    def close_pairs(self) -> Iterator[tuple[int, int]]:
        """The places (i, j), i < j, of the names close to each other, in order."""
        if len(self.keys) < 2:
            return
        reach = 2 * len(self._words[0])
        # A few rows of the matrix of edit distances at a time: a block of 10,000
        # names would be a matrix of 400 MB.
        for top in range(0, len(self.keys), _ROWS):
            edits = process.cdist(
                self.keys[top : top + _ROWS],
                self.keys,
                scorer=Levenshtein.distance,
                score_cutoff=reach,
            )
            for row, j in zip(*(edits <= reach).nonzero(), strict=True):
                i = top + int(row)
                if i < j and close_names(self._words[i], self._words[j]):
                    yield i, int(j)


def _near_spellings(
    groups: _Groups,
    keys: list[str],
    labels: dict[str, str],
    places: dict[str, str],
    written_in: _ArticlesOf | None = None,
) -> None:
    blocks: dict[tuple[str, int, str, str], NameBlock] = defaultdict(NameBlock)
    for key in keys:
        words = key.split()
        if any(len(word) == 1 for word in words):
            continue  # initials are rule 4
        blocks[(labels[key], len(words), words[0][0], words[-1][0])].add(key)
    for block in blocks.values():
        for i, j in block.close_pairs():
            a, b = block.keys[i], block.keys[j]
            if a in places and b in places and places[a] != places[b]:
                continue  # two places known apart, however close their names
            if (a in places) != (b in places) and not _ocr_names(a, b):
                continue  # a known place and a name one letter away (`France`, `Franco`)
            short, long = sorted((a, b), key=len)
            if (a in places or b in places) and long.startswith(short):
                continue  # a place and its people (`Nigeria`, `Nigérians`, `Algériens`)
            # A surname and the surname with a letter after it are two families
            # (`Robert`, `Roberts`; `Lauren` in a novel, `Laurens` a journalist)
            # unless one article writes both.
            family = labels[a] == "PER" and " " not in a and long[:-1] == short
            if family and written_in and not written_in[a] & written_in[b]:
                continue
            groups.union(a, b)


class _ArticlesOf:
    """The articles that write each name key, asked of the corpus once, for the
    keys rule 5 compares (a few hundred of a corpus's thousands)."""

    def __init__(
        self,
        surfaces_of: dict[str, list[str]],
        articles_of: Callable[[Iterable[str]], dict[str, set[str]]],
    ) -> None:
        self._surfaces_of = surfaces_of
        self._articles_of = articles_of
        self._known: dict[str, set[str]] = {}

    def prefetch(self, keys: Iterable[str]) -> None:
        wanted = [k for k in keys if k not in self._known]
        found = self._articles_of(s for k in wanted for s in self._surfaces_of[k])
        for key in wanted:
            self._known[key] = {a for s in self._surfaces_of[key] for a in found.get(s, ())}

    def __getitem__(self, key: str) -> set[str]:
        if key not in self._known:
            self.prefetch([key])
        return self._known[key]


def _same_article_target(
    groups: _Groups,
    key: str,
    candidates: list[str],
    counts: dict[str, int],
    written_in: _ArticlesOf,
    surname: bool,
) -> str | None:
    """The full name a name alone stands for, from the articles that write both."""
    own = written_in[key]
    together: dict[str, set[str]] = defaultdict(set)
    weight: Counter[str] = Counter()
    representative: dict[str, str] = {}
    for full in candidates:
        shared = own & written_in[full]
        if shared:
            root = groups.find(full)
            together[root] |= shared
            weight[root] += counts[full]
            representative.setdefault(root, full)
    if together:
        ranked = weight.most_common()
        root, best = ranked[0]
        others = sum(n for _, n in ranked[1:])
        # One full name there (or one that dominates a stray span, `Cyclisme
        # Olano`), written in most articles of the name alone: a `Laurent`
        # elsewhere may be another man.
        if (not others or best >= DOMINANCE * others) and len(together[root]) * 2 > len(own):
            return representative[root]
        # Otherwise the name alone stands for a full name article by article,
        # where its article writes one.
        for article in sorted(own):
            fulls = [full for full in candidates if article in written_in[full]]
            if fulls:
                groups.in_article.append((key, article, fulls))
        return None
    if not surname:
        return None  # a first name seen alone
    roots = {groups.find(full) for full in candidates}
    return candidates[0] if len(roots) == 1 else None


def _everywhere_with(
    groups: _Groups,
    key: str,
    candidates: list[str],
    counts: dict[str, int],
    written_in: _ArticlesOf,
) -> str | None:
    """The one full name written in every article that writes `key`, if any, and
    written more than once (a stray span, `Angersla Flèche`, is no person)."""
    own = written_in[key]
    roots = {
        groups.find(full): full
        for full in candidates
        if own and own <= written_in[full] and counts[full] >= 2
    }
    others = {groups.find(full) for full in candidates if own & written_in[full]}
    return next(iter(roots.values())) if len(roots) == 1 and len(others) == 1 else None


def _initials_and_surnames(
    groups: _Groups,
    keys: list[str],
    labels: dict[str, str],
    counts: dict[str, int],
    written_in: _ArticlesOf | None = None,
    places: dict[str, str] | None = None,
) -> None:
    full_names, by_word, by_surname = _full_names_by_word(keys, labels)
    for key in keys:
        words = key.split()
        if key in full_names:
            continue
        if len(words) >= 2 and any(len(w) == 1 for w in words):
            candidates = [
                full
                for full in by_word.get(max(words, key=len), [])
                if _matches_initials(words, full.split())
            ]
        elif len(words) == 1 and len(key) >= 2 and (labels[key] == "PER" or written_in):
            candidates = by_word.get(key, []) + by_surname.get(key, [])
            if written_in is not None and candidates:
                target = _alone_target(
                    groups, key, candidates, labels, counts, written_in, places or {}
                )
                if target is not None:
                    groups.union(target, key)
                continue
            if labels[key] != "PER":
                continue
        else:
            continue
        target = _dominant(groups, candidates, counts)
        if target is not None:
            groups.union(target, key)


def _full_names_by_word(
    keys: list[str], labels: dict[str, str]
) -> tuple[list[str], dict[str, list[str]], dict[str, list[str]]]:
    """The full names of persons, those under their first and last words, and
    the names with initials under their surnames."""
    full_names = [k for k in keys if labels[k] == "PER" and len(k.split()) >= 2]
    full_names = [k for k in full_names if all(len(w) > 1 for w in k.split())]
    by_word: dict[str, list[str]] = defaultdict(list)
    for key in full_names:
        words = key.split()
        by_word[words[0]].append(key)
        if words[-1] != words[0]:
            by_word[words[-1]].append(key)
    # `L. Jalabert` is a full name for the surname alone, if for nothing else.
    by_surname: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        words = key.split()
        initialled = len(words) >= 2 and any(len(w) == 1 for w in words[:-1])
        if labels[key] == "PER" and initialled and len(words[-1]) > 1:
            by_surname[words[-1]].append(key)
    return full_names, by_word, by_surname


def _alone_target(
    groups: _Groups,
    key: str,
    candidates: list[str],
    labels: dict[str, str],
    counts: dict[str, int],
    written_in: _ArticlesOf,
    places: dict[str, str],
) -> str | None:
    """The full name a name of one word stands for, from the articles that write it."""
    candidates = _plausible(candidates, labels, counts)
    written_in.prefetch([key, *candidates])
    surname = any(full.split()[-1] == key for full in candidates)
    if labels[key] == "PER":
        return _same_article_target(groups, key, candidates, counts, written_in, surname)
    if key not in places:
        # The model's other label for a person's surname (`Zulle` as a
        # place): only where every article that writes it names him.
        return _everywhere_with(groups, key, candidates, counts, written_in)
    return None


def _plausible(candidates: list[str], labels: dict[str, str], counts: dict[str, int]) -> list[str]:
    """The full names left when those that open with a place or an organisation the
    corpus names more often than them go (`Suisse Chirac`, `Otan Jens Stoltenberg`:
    two names run together), if any is left."""
    kept = [
        full
        for full in candidates
        if not (
            labels.get(head := full.split()[0]) in ("LOC", "ORG")
            and counts.get(head, 0) > counts[full]
        )
    ]
    return kept or candidates


# Words an acronym leaves out (`Organisation mondiale de la santé` -> OMS).
_ACRONYM_SKIPS = frozenset("de du des d l la le les et en pour sur a au aux of the and for".split())
MAX_ACRONYM = 6


def acronym_of(key: str) -> str:
    """The acronym a name's initials make (`fonds monetaire international` -> `fmi`)."""
    return "".join(word[0] for word in key.split() if word not in _ACRONYM_SKIPS)


def _acronyms(
    groups: _Groups,
    keys: list[str],
    labels: dict[str, str],
    uppercase: set[str],
    headed: set[str],
    bracketed: dict[str, set[str]],
) -> None:
    """An acronym the text writes in brackets after a name is that name, when the
    corpus writes it after one name only (`Haut-Commissariat des Nations unies pour
    les réfugiés (HCR)`, whatever its initials). Otherwise an acronym written in capitals
    (`FMI`) is the one name of the corpus whose initials it is (`Fonds monétaire
    international`), when there is only one; an organisation's acronym never
    joins a person or a place, nor the reverse."""
    known = set(keys)
    explained = set()
    for acronym, names in bracketed.items():
        names &= known
        if acronym in known and names and len({groups.find(name) for name in names}) == 1:
            groups.union(next(iter(names)), acronym)
            explained.add(acronym)
            groups.acronyms.add(acronym)
    _half_acronyms(groups, keys, labels, uppercase, headed)
    expansions: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        if labels[key] != "PER" and len(key.split()) >= 2:
            initials = acronym_of(key)
            if 3 <= len(initials) <= MAX_ACRONYM:
                expansions[initials].append(key)
    for key in keys:
        if key in explained or key not in uppercase or " " in key:
            continue
        if not 3 <= len(key) <= MAX_ACRONYM:
            continue
        label = labels[key]
        found = {
            groups.find(full): full
            for full in expansions.get(key, [])
            if label != "PER" and {label, labels[full]} != {"ORG", "LOC"}
        }
        if len(found) == 1:
            groups.union(next(iter(found.values())), key)
            groups.acronyms.add(key)


def _half_acronyms(
    groups: _Groups,
    keys: list[str],
    labels: dict[str, str],
    uppercase: set[str],
    headed: set[str],
) -> None:
    """A name that opens with an acronym (`RD Congo`) is the acronym its words make
    (`RDC`), written in capitals in the corpus, when both are read as the same kind
    of thing, and not a person (`US Army` is no `USA`)."""
    present = set(keys)
    for key in keys:
        head, _, rest = key.partition(" ")
        if not rest or not 2 <= len(head) <= 3 or key not in headed or labels[key] == "PER":
            continue
        whole = head + acronym_of(rest)
        if whole in present and whole in uppercase and labels[whole] == labels[key]:
            groups.union(whole, key)


def _matches_initials(short: list[str], full: list[str]) -> bool:
    """`v poutine` ~ `vladimir poutine`: initials begin the words, other words close."""
    if len(short) != len(full):
        return False
    for word, other in zip(short, full, strict=True):
        if len(word) == 1:
            if not other.startswith(word):
                return False
        elif not _close_words(word, other):
            return False
    return True


def _dominant(groups: _Groups, candidates: list[str], counts: dict[str, int]) -> str | None:
    """The candidate group that clearly dominates the others, if any."""
    weight: Counter[str] = Counter()
    representative: dict[str, str] = {}
    for key in candidates:
        root = groups.find(key)
        weight[root] += counts[key]
        representative.setdefault(root, key)
    if not weight:
        return None
    ranked = weight.most_common()
    best_root, best = ranked[0]
    others = sum(n for _, n in ranked[1:])
    if others and best < DOMINANCE * others:
        return None
    return representative[best_root]
