"""`RelatedLookups`: the related passages of the passage read, for the related pane.

Looked up once the cursor rests (`RELATED_DEBOUNCE`), in a thread worker of the
screen's `related` group (a newer lookup cancels the one under way), and kept for
the passages read last until the index changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.cache import LRUCache
from textual.message import Message
from textual.timer import Timer
from textual.worker import get_current_worker

from index import PresseError, RelatedResult
from tui.engine_worker import call_in_worker
from tui.reader.entities import entity_names
from tui.reader.host import Reader

# Seconds the passage cursor must rest before the related passages are looked up.
RELATED_DEBOUNCE = 0.15
RELATED_LIMIT = 10
# Related results kept, for the passages read last.
RELATED_KEPT = 256


class RelatedLookups:
    """Fills `reader`'s related pane as the passage cursor moves; its lookups post
    `Found` or `Failed` to the screen, which hands them back to `found` and `failed`."""

    @dataclass
    class Found(Message):
        result: RelatedResult

    @dataclass
    class Failed(Message):
        doc: str
        passage: int
        error: str

    def __init__(self, reader: Reader) -> None:
        self._reader = reader
        # Bounded: a reader moving through thousands of articles for an hour would keep
        # them all, and every object kept is one more for each garbage collection to walk.
        self._kept: LRUCache[tuple[str, int], RelatedResult] = LRUCache(RELATED_KEPT)
        self._timer: Timer | None = None

    def follow(self, doc: str, passage: int) -> None:
        """Show the related passages of `passage` of `doc`: at once if kept, else once the
        cursor has rested there."""
        pane = self._reader.related_pane
        if self._timer is not None:
            self._timer.stop()
        cached = self._kept.get((doc, passage))
        if cached is not None:
            screen = self._reader.screen
            screen.workers.cancel_group(screen, "related")  # for a passage the cursor left
            pane.show_result(cached, entity_names(self._reader.entities), self._source(cached))
            return
        pane.show_loading()
        self._timer = self._reader.screen.set_timer(
            RELATED_DEBOUNCE, lambda: self._look_up(doc, passage)
        )

    def _look_up(self, doc: str, passage: int) -> None:
        self._reader.screen.run_worker(
            partial(self._find, doc, passage),
            name="find_related",
            group="related",
            exclusive=True,
            thread=True,
            exit_on_error=False,
        )

    def _find(self, doc: str, passage: int) -> None:
        """The worker's body, on its thread."""
        corpus = self._reader.corpus
        try:
            result = call_in_worker(
                corpus, lambda: corpus.related(doc, passage, limit=RELATED_LIMIT)
            )
        except PresseError as error:
            if not get_current_worker().is_cancelled:
                self._reader.screen.post_message(self.Failed(doc, passage, str(error)))
            return
        if result is not None:
            self._reader.screen.post_message(self.Found(result))

    def found(self, result: RelatedResult) -> None:
        """Keep `result`, and show it if the cursor is still on its passage."""
        self._kept[(result.doc, result.passage)] = result
        view = self._reader.view
        if view.article is not None and (view.article.id, view.cursor) == (
            result.doc,
            result.passage,
        ):
            self._reader.related_pane.show_result(
                result, entity_names(self._reader.entities), self._source(result)
            )

    def _source(self, result: RelatedResult) -> str:
        """The text of the passage whose related passages `result` holds, if it is read."""
        article = self._reader.view.article
        if article is None or article.id != result.doc:
            return ""
        if not 0 <= result.passage < len(article.passages):
            return ""
        return article.passage_text(article.passages[result.passage])

    def failed(self, error: str) -> None:
        self._reader.related_pane.show_message(f"No related passages: {error}")

    def rename(self) -> None:
        """The entities were read again: show the passages shown with their new names."""
        pane = self._reader.related_pane
        if pane.result is not None:
            pane.show_result(
                pane.result, entity_names(self._reader.entities), self._source(pane.result)
            )

    def forget(self) -> None:
        """The index changed: what was kept may be out of date."""
        self._kept.clear()
