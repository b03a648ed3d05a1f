"""The corpus-wide entity pass: resolve identities, tag foreign passages, count.

It runs after every ingest that changed something and after every correction,
on what the catalog holds: the model's mentions of every article (kept from
their ingest), the user's corrections, and the passages that are not French.
Those passages are never given to the French model; they are searched for the
names the corpus already knows, in all their spellings, and for the names of
countries in their language (`Vladimir Putin`, `Corea del Norte` in a Spanish
caption are Poutine and the Corée du Nord of the French text).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from index.entities.aliases import NameBlock, ResolvedEntity, SurfaceStats, name_key, resolve, slug
from index.entities.corrections import Correction, as_rules
from index.entities.mentions import RawMention, clean_spans, repeated_mentions
from index.ingest.clean import credit_start
from index.model import Article
from index.storage.catalog import FR, Catalog

MAX_NAME_WORDS = 6
Bounds = tuple[int, int]
_WORD = re.compile(r"[^\W\d_][\w]*(?:[-'’][^\W\d_][\w]*)*")


@dataclass(frozen=True)
class _Known:
    entity: str
    label: str


class KnownNames:
    """Finds the corpus's known names, and near spellings of them, in any text."""

    def __init__(self, entities: Iterable[ResolvedEntity], territories: dict[str, str]) -> None:
        self.exact: dict[str, _Known] = {}
        by_code: dict[str, _Known] = {}
        codes = {name_key(name): code for name, code in territories.items()}
        for entity in entities:
            if entity.hidden:
                continue
            known = _Known(entity.id, entity.label)
            for alias in entity.aliases:
                key = name_key(alias)
                self.exact.setdefault(key, known)
                if key in codes:
                    by_code.setdefault(codes[key], known)
        for key, code in codes.items():
            if code in by_code:
                self.exact.setdefault(key, by_code[code])
        self._blocks: dict[tuple[int, str], NameBlock] = defaultdict(NameBlock)
        for key in self.exact:
            words = key.split()
            if len(words) > 1 or len(key) >= 5:
                self._blocks[(len(words), key[0])].add(key)

    def find(self, text: str) -> list[tuple[int, int, _Known]]:
        words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        found: list[tuple[int, int, _Known]] = []
        i = 0
        while i < len(words):
            if not text[words[i][0]].isupper():
                i += 1
                continue
            match = self._exact_at(text, words, i) or self._near_at(text, words, i)
            if match is None:
                i += 1
                continue
            n, known = match
            found.append((words[i][0], words[i + n - 1][1], known))
            i += n
        return found

    def _exact_at(self, text: str, words: list[Bounds], i: int) -> tuple[int, _Known] | None:
        for n in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
            last = words[i + n - 1]
            if not text[last[0]].isupper() and n > 1:
                continue  # a name ends on a capitalised word (`Corea del Norte`)
            known = self.exact.get(name_key(text[words[i][0] : last[1]]))
            if known is not None:
                return n, known
        return None

    def _near_at(self, text: str, words: list[Bounds], i: int) -> tuple[int, _Known] | None:
        run = 0
        while i + run < len(words) and run < MAX_NAME_WORDS and text[words[i + run][0]].isupper():
            run += 1
        for n in range(run, 0, -1):
            key = name_key(text[words[i][0] : words[i + n - 1][1]])
            if not key or (n == 1 and len(key) < 5):
                continue
            parts = key.split()
            block = self._blocks.get((len(parts), key[0]))
            if block is not None:
                for place in block.close_to(key, parts):
                    return n, self.exact[block.keys[place]]
        return None


def case_counts(catalog: Catalog, surfaces: list[str]) -> tuple[int, int]:
    """How many articles write a one-word name's word in small letters (`un état`),
    and how many write it as that name (`l'État`)."""
    forms = sorted({s.lower() for s in surfaces})
    named = set().union(*catalog.articles_by_surface(surfaces).values())
    return catalog.lowercase_df(forms), len(named)


def resolve_corpus(catalog: Catalog, corrections: list[Correction]) -> None:
    """Recompute the entities, their aliases and the foreign passages' mentions."""
    from index.entities.worldnames import TEXT_LANGUAGES, place_names

    stats: dict[str, SurfaceStats] = {}
    for surface, label, count, initial in catalog.surface_stats():
        stat = stats.setdefault(surface, SurfaceStats(surface))
        stat.labels[label] += count
        stat.count += count
        stat.initial += initial
    # Countries and cities (CLDR, ISO 3166): the names of one are one place, the names
    # of two are never merged; French text's own names in French and English, the
    # foreign passages' in any language (`Moscú` is `Moscou`).
    territories = place_names(TEXT_LANGUAGES)
    entities, alias_of, in_article = resolve(
        stats.values(),
        as_rules(corrections),
        territories,
        territories,
        articles_of=catalog.articles_by_surface,
        bracketed=catalog.acronym_pairs(),
        case_counts=lambda surfaces: case_counts(catalog, surfaces),
    )

    rules = as_rules(corrections)
    catalog.delete_pattern_mentions()
    known = KnownNames(entities, place_names())
    extra: dict[str, Counter[str]] = defaultdict(Counter)
    # Aliases the user split off that only foreign passages use: entities of their own.
    split_off: dict[str, ResolvedEntity] = {}
    for article, start, text in catalog.foreign_passages():
        mentions = []
        for begin, end, name in known.find(text):
            surface = text[begin:end]
            entity, label = name.entity, name.label
            if surface not in alias_of and name_key(surface) in rules.splits:
                own = split_off.setdefault(
                    name_key(surface),
                    ResolvedEntity(slug(surface), surface, label, (surface,)),
                )
                entity = own.id
            mentions.append(RawMention(start + begin, start + end, surface, label, initial=False))
            if surface not in alias_of:
                extra[entity][surface] += 1
                alias_of[surface] = entity
        catalog.add_mentions(article, mentions, "pattern")

    rows = []
    taken = {e.id for e in entities}
    for e in [*entities, *(e for e in split_off.values() if e.id not in taken)]:
        aliases = list(dict.fromkeys([*e.aliases, *(s for s, _ in extra[e.id].most_common())]))
        rows.append((e.id, e.name, e.label, aliases, e.hidden))
    catalog.replace_entities(rows, alias_of, in_article)


def recognise_articles(articles: Iterable[Article], procs: int = 1) -> dict[str, list[RawMention]]:
    """The model's mentions in the French passages of `articles`, by article id.

    A caption's photo credit (`- AFP/NAME`) is left out: it is no part of the
    text's own names, and shouting capitals mislead the model.
    """
    from index.entities.ner import lexicon, recognise

    items = [(a, p) for a in articles for p in a.passages if p.lang == FR and p.is_text]
    texts = []
    for article, passage in items:
        text = article.passage_text(passage)
        if passage.kind == "caption":
            text = text[: credit_start(text)]
        texts.append(text)
    found: dict[str, list[RawMention]] = defaultdict(list)
    read: dict[str, list[tuple[str, int]]] = defaultdict(list)
    spans_of = recognise(texts, n_process=procs)
    common = None
    for (article, passage), text, spans in zip(items, texts, spans_of, strict=True):
        if common is None:  # (the model is loaded by now)
            common = lexicon().commoner_in_lowercase
        found[article.id].extend(clean_spans(text, spans, passage.start, common))
        read[article.id].append((text, passage.start))
    # A name recognised once in an article is that name wherever the article writes it.
    for article_id, passages in read.items():
        mentions = found[article_id]
        again = repeated_mentions(passages, mentions, common)
        if again:
            found[article_id] = sorted([*mentions, *again], key=lambda m: m.start)
    return found
