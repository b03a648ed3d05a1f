"""What the resolver reads of a corpus and what it gives back (see `aliases.resolve`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple


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
