"""`Session`: where the reader was, kept from one run to the next.

The article and the passage read, the search and the entity that filter the list,
the sort, whether the related pane shows: saved on the way out (`q`, or a terminal
gone), restored at start before the first paint.
"""

from __future__ import annotations

import contextlib

from index import PresseError, ReaderState
from tui.reader.host import Reader
from tui.reader.listing import Listing
from tui.reader.navigation import Navigation


class Session:
    """Saves and restores `reader`'s place; the article is opened at `navigation` and
    listed by `listing`."""

    def __init__(self, reader: Reader, navigation: Navigation, listing: Listing) -> None:
        self._reader = reader
        self._navigation = navigation
        self._listing = listing
        self._restored = False  # nothing is saved before the last place was restored

    def state(self) -> ReaderState:
        reader = self._reader
        view = reader.view
        return ReaderState(
            article=reader.article_id,
            passage=view.cursor if view.article is not None else 0,
            query=reader.search_text,
            entity=reader.entity,
            sort=reader.sort,
            related=reader.show_related,
        )

    def save(self) -> None:
        """Remember where the reader is, for the next start."""
        if not self._restored:
            return
        # On the way out: nothing useful to say if it fails, and nowhere to say it.
        with contextlib.suppress(PresseError):
            self._reader.userdata.save_state(self.state())

    def restore(self, state: ReaderState) -> None:
        """Put the reader back where `state` says, as far as the articles still allow."""
        reader = self._reader
        reader.restore_filters(state)
        ids = {summary.id for summary in reader.summaries}
        article = state.article if state.article in ids else None
        if article is not None:
            self._navigation.start_at(article, state.passage)
        self._listing.relist(keep=article)
        if article is not None and reader.article_id != article:
            reader.article_id = article
        self._restored = True
