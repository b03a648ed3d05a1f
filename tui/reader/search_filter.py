"""`SearchFilter`: the search that filters the article list, asked and matched.

The search dialog sets it, and the list is then sorted best match first until the
search is cleared. The articles it matches are found in a thread worker of the
screen's `match` group, ids only (a snippet for each of hundreds of hits took most
of a second).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message
from textual.worker import get_current_worker

from index import PresseError
from tui.engine_worker import call_in_worker
from tui.reader.entities import entity_name
from tui.reader.host import Reader
from tui.reader.index_status import search_note
from tui.reader.navigation import Navigation

if TYPE_CHECKING:  # the dialog is imported when first opened: a faster start
    from tui.dialogs.search import SearchChoice


class SearchFilter:
    """Sets and matches `reader`'s search, opening the article chosen at `navigation`;
    the worker posts `Matched` or `Failed` to the screen, handed back to this part."""

    @dataclass
    class Matched(Message):
        """The articles a search filter matches, best first."""

        query: str
        ids: tuple[str, ...]

    @dataclass
    class Failed(Message):
        query: str
        error: str

    def __init__(self, reader: Reader, navigation: Navigation) -> None:
        self._reader = reader
        self._navigation = navigation
        self._sort_before = "file"  # the sort to come back to when the search is cleared
        self.matches: tuple[str, ...] | None = None
        """The articles the search matches, best first; None without a search, or
        until they are found."""
        self.searching = False
        """Whether the matches are being sought."""

    # -- asking -----------------------------------------------------------------------
    def ask(self) -> None:
        """Open the search dialog (on the articles of the entity filter, if one is set);
        the search chosen there filters the list."""
        from tui.dialogs.search import SearchScreen

        reader = self._reader
        within: Collection[str] | None = None
        label = ""
        if reader.entity is not None and reader.entity in reader.entities:
            within = reader.entities[reader.entity].articles
            label = entity_name(reader.entities, reader.entity)
        dialog = SearchScreen(
            reader.corpus,
            reader.userdata.history(),
            query=reader.search_text,
            within=within,
            within_label=label,
            indexing=search_note(reader.progress) if reader.progress is not None else None,
        )
        reader.screen.app.push_screen(dialog, self._chosen)

    def _chosen(self, choice: SearchChoice | None) -> None:
        if choice is None:
            return
        try:
            self._reader.userdata.add_query(choice.query)
        except PresseError as error:
            self._reader.screen.notify(
                str(error), title="History not saved", severity="warning", markup=False
            )
        self.apply(choice.query, choice.article)

    def apply(self, query: str, article: str | None = None) -> None:
        """Filter the list by `query` (best match first) and open `article` at its first hit."""
        reader = self._reader
        if query != reader.search_text:
            if reader.sort != "relevance":
                self._sort_before = reader.sort
            reader.sort_quietly("relevance")
            reader.search_text = query
        if article is not None and self._navigation.open(article):
            jumps = self._navigation.jumps
            if jumps.hits:
                jumps.land_on_hit(0)
            reader.view.focus()

    def clear(self) -> None:
        """No search filters the list any more; the sort is the one before it."""
        if self._reader.search_text:
            self._reader.sort_quietly(self._sort_before)
            self._reader.search_text = ""

    # -- matching ---------------------------------------------------------------------
    def start(self, query: str) -> None:
        """The search is now `query` (`""`: none): forget the matches, seek the new ones."""
        self.matches = None
        if query:
            self.run(query)
        else:
            self.searching = False
            screen = self._reader.screen
            screen.workers.cancel_group(screen, "match")

    def run(self, query: str) -> None:
        """Seek the articles `query` matches (again, after the index changed)."""
        self.searching = True
        self._reader.screen.run_worker(
            partial(self._match, query),
            name="match_articles",
            group="match",
            exclusive=True,
            thread=True,
            exit_on_error=False,
        )

    def _match(self, query: str) -> None:
        """The worker's body, on its thread."""
        corpus = self._reader.corpus
        try:
            ids = call_in_worker(corpus, lambda: corpus.search_ids(query))
        except PresseError as error:
            if not get_current_worker().is_cancelled:
                self._reader.screen.post_message(self.Failed(query, str(error)))
            return
        if ids is not None:
            self._reader.screen.post_message(self.Matched(query, tuple(ids)))

    def matched(self, message: Matched) -> bool:
        """Take the matches found, unless the search changed meanwhile; whether taken."""
        if message.query != self._reader.search_text:
            return False
        self.searching = False
        self.matches = message.ids
        return True

    def broke(self, error: str) -> None:
        """The worker failed (not the query: the engine)."""
        self.searching = False
        self._reader.screen.notify(error, title="The search failed", severity="error", markup=False)

    def failed(self, message: Failed) -> None:
        """The search cannot run (a query the engine refuses): say why, and clear it."""
        if message.query == self._reader.search_text:
            self._reader.screen.notify(
                message.error, title="The search cannot run", severity="error", markup=False
            )
            self._reader.search_text = ""
