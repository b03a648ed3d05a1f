"""Names of countries and international bodies in several languages, from well-kept data.

Unicode CLDR (through Babel) gives the common name of every territory in
French, Spanish, English, German, Italian and Portuguese (`Corée du Nord`,
`Corea del Norte`, `North Korea`; `Nations Unies`, `Naciones Unidas`);
ISO 3166 (through pycountry and its translations) gives the formal names
(`République populaire démocratique de Corée`) and, from them, their usual
acronyms (`RPDC`). All names of one territory share its code, so the alias
resolver can treat them as one place.

CLDR also names the cities of its time zones, in the same languages (`Alger`,
`Tunis`, `Londres`): `place_names` adds them, each under its zone, so that the
resolver knows `Tunis` and `Tunisie`, `Niger` and `Nigeria`, as different places.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable
from functools import lru_cache

LANGUAGES = ("fr", "es", "en", "de", "it", "pt")
# The languages whose names French text writes (`Corée du Nord`, and English ones the
# press keeps): the names of the model's mentions are compared with these only, since
# a name of another language is often another thing in French (`Kuba`, Cuba in German
# and Polish, is a people of the Congo).
TEXT_LANGUAGES = ("fr", "en")
# Words left out of an acronym: `République populaire démocratique de Corée` → RPDC.
_LINKING = frozenset(
    "de du des la le les l d et of the and y del los las da do dos e di della von der und".split()
)
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=4)
def territory_names(languages: tuple[str, ...] = LANGUAGES) -> dict[str, str]:
    """Every known name (as written) in `languages` → its territory code (`KP`, `US`,
    `UN`…); ISO 3166's names are in English, French and Spanish (those of `languages`)."""
    names: dict[str, str] = {}
    _add_cldr(names, languages)
    _add_iso(names, languages)
    return names


def _add_cldr(names: dict[str, str], languages: tuple[str, ...]) -> None:
    from babel import Locale

    for language in languages:
        for code, name in Locale(language).territories.items():
            # Regions (`001`, `150`) and unknown codes are not places of the news.
            if len(code) == 2 and code.isalpha() and code not in ("ZZ", "QO", "EZ"):
                names.setdefault(name, code)


def _add_iso(names: dict[str, str], languages: tuple[str, ...]) -> None:
    import pycountry

    translators: list[Callable[[str], str]] = [str]
    for language in [x for x in ("fr", "es") if x in languages]:
        try:
            translation = gettext.translation(
                "iso3166-1", pycountry.LOCALES_DIR, languages=[language]
            )
        except OSError:
            continue
        translators.append(translation.gettext)
    for country in pycountry.countries:
        code = country.alpha_2
        for translate in translators:
            for english in {country.name, getattr(country, "official_name", country.name)}:
                for name in _forms(translate(english)):
                    names.setdefault(name, code)


def _forms(name: str) -> list[str]:
    """A name, its inverted ISO form put right, and its acronym if it has one."""
    forms = [name]
    if ", " in name:  # `Corée, République populaire démocratique de` → natural order
        head, _, rest = name.partition(", ")
        forms.append(f"{rest} {head}".strip())
    for form in list(forms):
        if ", " in form:
            continue
        words = [w for w in _WORD.findall(form) if len(w) > 1 and w.lower() not in _LINKING]
        if len(words) >= 3:
            forms.append("".join(w[0].upper() for w in words))
    return forms


@lru_cache(maxsize=4)
def place_names(languages: tuple[str, ...] = LANGUAGES) -> dict[str, str]:
    """Every known name of a territory or a city (as written) in `languages` → what it
    names.

    A territory's names map to its code (`TN`); a city's, to its time zone
    (`Africa/Tunis`), unless the name is a territory's too (`Luxembourg`, `Monaco`).
    """
    names = dict(territory_names(languages))
    _add_cities(names, languages)
    return names


def _add_cities(names: dict[str, str], languages: tuple[str, ...]) -> None:
    from babel import Locale
    from babel.core import get_global

    zones = get_global("zone_territories")
    for language in languages:
        local = Locale(language).time_zones
        for zone in zones:
            city = local[zone].get("city") if zone in local else None
            names.setdefault(city or zone.rsplit("/", 1)[-1].replace("_", " "), zone)
