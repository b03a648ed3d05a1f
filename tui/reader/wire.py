"""`WireCopy`: how many other articles share near-duplicate passages with each one.

Shown in the article list (`⇄2`). Counted for the whole corpus the first time after
a change (seconds on thousands of articles), then read back, in a thread worker of
the screen's `wire` group; the app asks for it once the index is up to date.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.timer import Timer

from tui.engine_worker import call_in_worker
from tui.reader.host import Reader

# The list says the wire copy is being found when it takes longer than this (seconds).
WIRE_BUSY_SHOWN_AFTER = 0.3


class WireCopy:
    """Counts the wire copy of `reader`'s corpus for its article list; the worker posts
    `Counted` to the screen, handed back to `counted`."""

    @dataclass
    class Counted(Message):
        """For each article with wire copy, how many other articles share its wording."""

        counts: dict[str, int]

    def __init__(self, reader: Reader) -> None:
        self._reader = reader
        self.counts: dict[str, int] = {}
        self._busy: Timer | None = None  # shows that the wire copy is being found
        """Wire copy: how many other articles share near-duplicate passages with each one."""

    def load(self) -> None:
        """Count in a worker; when that takes a while (the first pass after a change),
        the list says so until the counts are in."""
        if self._busy is not None:
            self._busy.stop()
        self._busy = self._reader.screen.set_timer(WIRE_BUSY_SHOWN_AFTER, self._show_busy)
        self._reader.screen.run_worker(
            self._count,
            name="load_wire_counts",
            group="wire",
            exclusive=True,
            thread=True,
            exit_on_error=False,
        )

    def _count(self) -> None:
        """The worker's body, on its thread."""
        corpus = self._reader.corpus
        counts = call_in_worker(corpus, corpus.wire_counts)
        if counts is not None:
            self._reader.screen.post_message(self.Counted(counts))

    def _show_busy(self) -> None:
        self._reader.article_list.wire_busy = True

    def done(self) -> None:
        """The counting is over, counted or failed: the list no longer says it is busy."""
        if self._busy is not None:
            self._busy.stop()
            self._busy = None
        self._reader.article_list.wire_busy = False

    def counted(self, message: Counted) -> None:
        self.done()
        self.counts = message.counts
        self._reader.article_list.wire_counts = message.counts
