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

Each rule lives in a module of `identity/`, which `resolve` below runs:

- `identity/names.py`: the key of a name (rule 1), the titles and roles before
  it, and `slug`;
- `identity/surfaces.py`: the surface forms kept under their keys, a person run
  into the body he is of (rule 3), sentence openers and common nouns left out
  (rule 6);
- `identity/variants.py`: one country in any language (rule 2), a country's
  abbreviation, spaces lost and names with a number (rule 3);
- `identity/spellings.py`: near spellings and OCR confusions (rule 3:
  `close_names`, `NameBlock`);
- `identity/surnames.py`: initials and names alone (rules 4 and 5);
- `identity/acronyms.py`: acronyms (rule 7);
- `identity/labels.py`: each entity's kind, name, id and aliases (rule 8);
- `identity/groups.py`: the groups the rules join, and the articles that write
  each name; `identity/records.py`: what `resolve` reads and returns.

Every public name of those modules can be imported from here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from index.entities.identity.acronyms import MAX_ACRONYM, _acronyms, acronym_of
from index.entities.identity.groups import _ArticlesOf, _Groups
from index.entities.identity.labels import FULL_NAME_VOTE, NOT_A_PERSON, _entities
from index.entities.identity.names import name_key, slug
from index.entities.identity.records import Corrections, Resolution, ResolvedEntity, SurfaceStats
from index.entities.identity.spellings import SHORT_NAME, NameBlock, _near_spellings, close_names
from index.entities.identity.surfaces import (
    COMMON_LOWER,
    COMMON_MENTIONS,
    COMMON_SHARE,
    _common_nouns,
    _kept_keys,
)
from index.entities.identity.surnames import DOMINANCE, _initials_and_surnames
from index.entities.identity.variants import (
    MAX_ABBREVIATION,
    _country_abbreviations,
    _numbered,
    _same_territory,
    _spaces_lost,
)

__all__ = [
    "COMMON_LOWER",
    "COMMON_MENTIONS",
    "COMMON_SHARE",
    "DOMINANCE",
    "FULL_NAME_VOTE",
    "MAX_ABBREVIATION",
    "MAX_ACRONYM",
    "NOT_A_PERSON",
    "SHORT_NAME",
    "Corrections",
    "NameBlock",
    "Resolution",
    "ResolvedEntity",
    "SurfaceStats",
    "acronym_of",
    "close_names",
    "name_key",
    "resolve",
    "slug",
]


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
        from index.entities.worldnames import TEXT_LANGUAGES, place_names

        places = place_names(TEXT_LANGUAGES)
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
        from index.entities.worldnames import TEXT_LANGUAGES, territory_names

        territories = territory_names(TEXT_LANGUAGES)
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
