"""The corpus's entities as the catalog holds them: listed, found by any of their names,
corrected by the user, and shown as the mentions of each article.

A correction is written under the index's lock, then the entities are resolved
again and the Whoosh documents that changed are written (`sync`, the update's
second step).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from index.entities.aliases import name_key
from index.entities.corrections import FILE_NAME as CORRECTIONS_FILE
from index.entities.corrections import Correction, CorrectionLog
from index.errors import EntityError, QueryError, UnknownEntity
from index.model import Article, Entity, Mention
from index.storage.handles import Handles
from index.storage.lock import exclusive

# A correction waits this long for a short job of another thread (wire copy) to end.
CORRECTION_WAIT = 15.0
_ENTITY_FIELD = re.compile(r'\bentity:("[^"]*"|[^\s()]+)')

RawMentions = Iterable[tuple[int, int, str, str]]


class EntityRegistry:
    """The entities of the index `handles` opens; `sync()` brings the index in line
    with the corrections (the corpus's `Update.sync`)."""

    def __init__(self, handles: Handles, sync: Callable[[], None]) -> None:
        self._handles = handles
        self._sync = sync
        self._log = CorrectionLog(handles.index_dir / CORRECTIONS_FILE)
        self._aliases: tuple[dict[str, str], dict[str, str]] | None = None

    def changed(self) -> None:
        """After a commit: the aliases are read again."""
        self._aliases = None

    # -- listing and look-up ----------------------------------------------------
    def entities(self, label: str | None = None, hidden: bool = False) -> list[Entity]:
        """Most mentioned first (hidden ones only if asked)."""
        catalog = self._handles.catalog()
        mentions: Counter[str] = Counter()
        articles: dict[str, list[str]] = {}
        ids: dict[str, str] = {}  # one string per article id, not one per row
        for entity_id, article_id, count in catalog.entity_mentions():
            mentions[entity_id] += count
            articles.setdefault(entity_id, []).append(ids.setdefault(article_id, article_id))
        found = [
            Entity(
                id=entity_id,
                name=name,
                label=entity_label,
                aliases=tuple(aliases),
                count=mentions[entity_id],
                articles=tuple(sorted(articles.get(entity_id, ()))),
                hidden=is_hidden,
            )
            for entity_id, name, entity_label, aliases, is_hidden in catalog.entity_rows()
            if (hidden or not is_hidden) and (label is None or entity_label == label)
        ]
        return sorted(found, key=lambda e: (-e.count, -len(e.articles), e.name))

    def entity(self, name: str) -> Entity:
        """By its id, its name or any of its aliases (UnknownEntity otherwise)."""
        entities = self.entities(hidden=True)
        for entity in entities:
            if entity.id == name:
                return entity
        key = name_key(name)
        for entity in entities:
            if name_key(entity.name) == key:
                return entity
        for entity in entities:
            if any(name_key(alias) == key for alias in entity.aliases):
                return entity
        message = f"no entity is named {name!r}"
        near = _named_with(entities, key.split())
        if near:
            message += "; did you mean " + " or ".join(repr(entity.name) for entity in near) + "?"
        raise UnknownEntity(message)

    def ids_in(self, text: str) -> str:
        """`entity:"Kim Jong Un"` (any alias) becomes `entity:kim-jong-un` (the entity's id)."""

        def to_id(match: re.Match[str]) -> str:
            name = match.group(1).strip('"')
            try:
                return f"entity:{self.entity(name).id}"
            except UnknownEntity as error:
                raise QueryError(str(error)) from error

        return _ENTITY_FIELD.sub(to_id, text)

    # -- corrections ----------------------------------------------------------------
    def corrections(self) -> list[Correction]:
        return self._log.load()

    def merge(self, entity: str, other: str) -> Entity:
        first, second = self.entity(entity), self.entity(other)
        if first.id == second.id:
            raise EntityError(f"{first.name!r} and {second.name!r} are already one entity")
        self._correct(Correction("merge", first.aliases[0], second.aliases[0]))
        return self.entity(first.aliases[0])

    def split(self, entity: str, alias: str) -> Entity:
        found = self.entity(entity)
        key = name_key(alias)
        owned = [a for a in found.aliases if name_key(a) == key]
        if not owned:
            raise EntityError(f"{alias!r} is not an alias of {found.name!r}")
        if len(found.aliases) == len(owned):
            raise EntityError(f"{found.name!r} has no other alias to keep")
        keep = next(a for a in found.aliases if name_key(a) != key)
        self._correct(Correction("split", keep, owned[0]))
        return self.entity(owned[0])

    def rename(self, entity: str, name: str) -> Entity:
        found = self.entity(entity)
        if not name.strip():
            raise EntityError("a name cannot be empty")
        self._correct(Correction("rename", found.aliases[0], name.strip()))
        return self.entity(found.aliases[0])

    def hide(self, entity: str) -> Entity:
        found = self.entity(entity)
        self._correct(Correction("hide", found.aliases[0]))
        return self.entity(found.aliases[0])

    def undo(self) -> Correction | None:
        with exclusive(self._handles.lock, wait=CORRECTION_WAIT):
            undone = self._log.undo()
            if undone is not None:
                self._sync()
        return undone

    def _correct(self, correction: Correction) -> None:
        with exclusive(self._handles.lock, wait=CORRECTION_WAIT):
            self._log.append(correction)
            self._sync()

    # -- the mentions an article shows ----------------------------------------------
    def with_mentions(
        self, article: Article, raw: RawMentions, local: Mapping[str, str] | None = None
    ) -> Article:
        """`article` with the mentions of `raw` (start, end, text, label) whose written
        form stands for a visible entity; `local` maps the forms that stand for
        another entity in this article (a name alone: `Laurent` for `Emile Laurent`)."""
        aliases, labels = self._alias_state()
        if local:
            aliases = {**aliases, **local}
        mentions = tuple(
            # The entity's label, not the model's guess for this one mention: one
            # entity, one colour (`Washington` is not a person here and a place there).
            Mention(start, end, text, labels[aliases[text]], aliases[text])
            for start, end, text, _label in raw
            if text in aliases and aliases[text] in labels
        )
        return replace(article, mentions=mentions)

    def passages_with_mentions(self, wanted: Sequence[tuple[str, int]]) -> dict[str, Article]:
        """The articles of the (article id, passage) pairs `wanted` that exist, by id, with
        the mentions of the wanted passages only (what the related passages read of a
        candidate: its passage and its names, not the article's hundreds of names)."""
        catalog = self._handles.catalog()
        ids = list(dict.fromkeys(doc_id for doc_id, _n in wanted))
        bare = catalog.articles_with_ids(ids)
        spans = []
        for doc_id, n in dict.fromkeys(wanted):
            article = bare.get(doc_id)
            if article is not None and 0 <= n < len(article.passages):
                spans.append((doc_id, article.passages[n].start, article.passages[n].end))
        mentions = catalog.raw_mentions_within(spans)
        local = catalog.article_aliases_of(list(mentions))
        return {
            doc_id: self.with_mentions(article, mentions.get(doc_id, ()), local.get(doc_id))
            for doc_id, article in bare.items()
        }

    def _alias_state(self) -> tuple[dict[str, str], dict[str, str]]:
        """Surface → entity id, and visible entity id → label (cached until the next commit)."""
        state = self._aliases
        if state is None:
            catalog = self._handles.catalog()
            labels = {row[0]: row[2] for row in catalog.entity_rows() if not row[4]}
            state = self._aliases = (catalog.alias_map(), labels)
        return state


# Entities a name not found is offered, at most.
NAMES_OFFERED = 3


def _named_with(entities: list[Entity], words: list[str]) -> list[Entity]:
    """The entities (most named first) a spelling of which holds all of `words`: what a
    user meant by a part of a name (`Putin` for `Vladimir Putin`)."""
    if not words:
        return []
    found = [
        entity
        for entity in entities
        if any(
            all(word in name_key(spelling).split() for word in words)
            for spelling in (entity.name, *entity.aliases)
        )
    ]
    return found[:NAMES_OFFERED]
