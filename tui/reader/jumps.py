"""`Jumps`: where `n`/`N` (search hits) and `]`/`[` (mentions) take the reader.

Within the article shown first, then on to the next (or previous) listed article
that has one. Holds the search hits of the article shown (kept for the articles
read last), the hit or mention jumped to, and the entity `]`/`[` follow.
"""

from __future__ import annotations

import bisect

from textual.cache import LRUCache

from index import Mention, Passage, PresseError
from tui.display import article_title
from tui.reader.entities import entity_name
from tui.reader.host import Places, Reader
from tui.reader.passage_view import Span

# Search-hit spans kept, for the articles read last.
HITS_KEPT = 256


def onward(ids: list[str], current: str, step: int) -> list[str]:
    """The `ids` after `current` (`step` 1) or before it (-1), nearest first."""
    at = ids.index(current)
    return ids[at + 1 :] if step > 0 else list(reversed(ids[:at]))


class Jumps:
    """The jumps of `reader`'s text pane, to articles opened at `places` (which calls
    `show` for each article shown and `moved` as the passage cursor moves)."""

    def __init__(self, reader: Reader, places: Places) -> None:
        self._reader = reader
        self._places = places
        self.target: str | None = None
        """The entity `]`/`[` go to the mentions of (an id)."""
        self._kept: LRUCache[tuple[str, str], tuple[Span, ...]] = LRUCache(HITS_KEPT)
        self.hits: tuple[Span, ...] = ()
        """The search hits in the article shown, in order."""
        self.hit_index: int | None = None
        """The hit jumped to (`n`, `N`), an index into `hits`."""
        self.current: Span | None = None
        """The hit or mention jumped to, marked more strongly than the others."""
        self._mention_at: int | None = None  # where the mention jumped to starts
        self._sticky: str | None = None  # the entity followed last (`t`, `]`, `[`)

    # -- the article shown ----------------------------------------------------------
    def show(self, article_id: str | None) -> None:
        """Another article is shown (or none): its hits, nothing jumped to yet."""
        self.current, self._mention_at, self.hit_index = None, None, None
        self.hits = self.hits_in(article_id) if article_id is not None else ()

    def search_changed(self) -> None:
        """The search is another: the hits of the article shown are others."""
        self.hit_index, self.current = None, None
        article_id = self._reader.article_id
        self.hits = self.hits_in(article_id) if article_id else ()

    def hits_in(self, article_id: str) -> tuple[Span, ...]:
        """Where the search is found in `article_id`: spans of its text, in order."""
        search = self._reader.search_text
        if not search:
            return ()
        key = (article_id, search)
        hits = self._kept.get(key)
        if hits is None:
            try:
                hits = tuple(self._reader.corpus.find_hits(article_id, search))
            except PresseError:
                hits = ()
            self._kept[key] = hits
        return hits

    def forget(self) -> None:
        """The index changed: the hits kept may be out of date."""
        self._kept.clear()

    def moved(self, passage: Passage | None) -> None:
        """The cursor is on `passage`: what was jumped to is forgotten once left."""
        if self.current is not None and (
            passage is None or not passage.start <= self.current[0] < passage.end
        ):
            self.current = None
            self._mention_at = None

    # -- the entity followed --------------------------------------------------------
    def _passage_mentions(self) -> list[Mention]:
        view = self._reader.view
        article = view.article
        if article is None or not article.passages:
            return []
        passage = article.passages[view.cursor]
        return [m for m in article.mentions if passage.start <= m.start < passage.end]

    def retarget(self) -> None:
        """Choose again which entity `]`/`[` follow, and mark it if it changed.

        The entity the list is filtered by; else the entity last jumped to (with
        `]`, `[` or `t`) while the passage under the cursor names it; else the
        first entity named in that passage; else the last one followed.
        """
        target = self._reader.entity
        if target is None:
            named = [m.entity for m in self._passage_mentions()]
            if self._sticky is not None and self._sticky in named:
                target = self._sticky
            else:
                target = named[0] if named else self._sticky
        if target != self.target:
            self.target = target
            self._places.decorate()
            self._places.show_status()

    def follow(self, entity_id: str) -> None:
        """Follow `entity_id` (the list is filtered by it, say) while passages name it."""
        self._sticky = entity_id

    def next_entity(self) -> None:
        """Follow the next entity named in the passage under the cursor (`t`)."""
        named = list(dict.fromkeys(m.entity for m in self._passage_mentions()))
        if not named:
            self._reader.screen.notify("No entity is named in this passage.", timeout=3)
            return
        at = named.index(self.target) + 1 if self.target in named else 0
        self._sticky = named[at % len(named)]
        self._mention_at = None
        if self._reader.entity is not None and self._sticky != self._reader.entity:
            self._reader.screen.notify(
                "The list is filtered by an entity: ] and [ follow it. esc clears the filter.",
                timeout=4,
            )
            return
        self.retarget()

    # -- mentions -------------------------------------------------------------------
    def mention(self, step: int) -> None:
        """To the next mention (`step` 1) or the previous one (-1) of the entity followed."""
        view = self._reader.view
        article = view.article
        target = self.target
        if article is None or target is None:
            self._reader.screen.notify(
                "No entity under the cursor: move to a passage that names one.", timeout=3
            )
            return
        spans = [(m.start, m.end) for m in article.mentions if m.entity == target]
        passage = article.passages[view.cursor]
        here = self._mention_at
        if here is None or not passage.start <= here < passage.end:
            in_passage = [s for s in spans if passage.start <= s[0] < passage.end]
            here = in_passage[0][0] if in_passage else passage.start - (1 if step > 0 else 0)
        if step > 0:
            following = [s for s in spans if s[0] > here]
            found = following[0] if following else None
        else:
            preceding = [s for s in spans if s[0] < here]
            found = preceding[-1] if preceding else None
        self._sticky = target
        if found is not None:
            self._land_on_mention(found)
            return
        self._mention_in_other_article(target, step)

    def _land_on_mention(self, span: Span) -> None:
        self._mention_at = span[0]
        self.current = span
        self._reader.view.go_to(span[0])
        self._places.decorate()
        self._places.show_status()

    def _mention_in_other_article(self, target: str, step: int) -> None:
        reader = self._reader
        entity = reader.entities.get(target)
        name = entity_name(reader.entities, target)
        if entity is None:
            reader.screen.notify(f"No other mention of {name} found.", timeout=3, markup=False)
            return
        naming = set(entity.articles)
        listed = [s.id for s in self._reader.listed()]
        current = reader.article_id
        order = listed if current in listed else [s.id for s in reader.summaries]
        if current is not None and current in order:
            candidates = onward(order, current, step)
        else:
            candidates = order if step > 0 else []
        for doc_id in candidates:
            if doc_id not in naming:
                continue
            article = self._places.article(doc_id)
            if article is None:
                continue
            spans = [(m.start, m.end) for m in article.mentions if m.entity == target]
            if not spans:
                continue
            self._places.open(doc_id)
            self._land_on_mention(spans[0] if step > 0 else spans[-1])
            reader.screen.notify(f"{name}: on to {article_title(article)}", timeout=3, markup=False)
            return
        where = "next" if step > 0 else "previous"
        reader.screen.notify(
            f"No {where} mention of {name} in the listed articles.", timeout=3, markup=False
        )

    # -- search hits ----------------------------------------------------------------
    def hit(self, step: int) -> None:
        """To the next search hit (`step` 1) or the previous one (-1)."""
        view = self._reader.view
        article = view.article
        if not self._reader.search_text or article is None:
            return
        hits = self.hits
        index: int | None = None
        if hits:
            passage = article.passages[view.cursor]
            current = self.hit_index
            if current is not None and passage.start <= hits[current][0] < passage.end:
                index = current + step
            elif step > 0:
                index = bisect.bisect_left(hits, (passage.start, passage.start))
            else:
                index = bisect.bisect_left(hits, (passage.start, passage.start)) - 1
            if not 0 <= index < len(hits):
                index = None
        if index is not None:
            self.land_on_hit(index)
            return
        self._hit_in_other_article(step)

    def land_on_hit(self, index: int) -> None:
        """Put the cursor on hit `index` of the article shown, marked as the current one."""
        self.hit_index = index
        self.current = self.hits[index]
        self._mention_at = None
        self._reader.view.go_to(self.current[0])
        self._places.decorate()
        self._places.show_status()

    def _hit_in_other_article(self, step: int) -> None:
        listed = [s.id for s in self._reader.listed()]
        current = self._reader.article_id
        if current is not None and current in listed:
            candidates = onward(listed, current, step)
        else:
            candidates = listed if step > 0 else list(reversed(listed))
        for doc_id in candidates:
            if not self.hits_in(doc_id):
                continue
            if self._places.open(doc_id):
                self.land_on_hit(0 if step > 0 else len(self.hits) - 1)
                return
        where = "after" if step > 0 else "before"
        self._reader.screen.notify(f"No hit {where} this one in the listed articles.", timeout=3)
