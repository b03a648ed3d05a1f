"""`Navigation`: the article the text pane shows, and how the reader gets to a place.

Shows an article with its marks (search hits, the entity followed, the notes) and
its status line; goes to a place (`open`, `read`) remembering the one left, for
`back`; keeps where the cursor was in each article read, to come back to it there.
Its `Jumps` take the reader from hit to hit and from mention to mention.
"""

from __future__ import annotations

from index import Article, PresseError
from tui.reader.bookmarking import notes
from tui.reader.entities import entity_name
from tui.reader.history import History, Place
from tui.reader.host import Reader
from tui.reader.jumps import Jumps


class Navigation:
    """Moves `reader`'s text pane (the `Places` the other parts go to)."""

    def __init__(self, reader: Reader) -> None:
        self._reader = reader
        self.jumps = Jumps(reader, self)
        # Where the passage cursor was in each article read, to come back to it.
        self._cursors: dict[str, int] = {}
        self.history = History()

    def article(self, article_id: str) -> Article | None:
        """The article, from those the corpus keeps of the last read (until the index
        changes), or None, said in a notification, when it cannot be read."""
        try:
            return self._reader.corpus.recent_article(article_id)
        except PresseError as error:
            self._reader.screen.notify(
                str(error), title="Cannot open the article", severity="error", markup=False
            )
            return None

    # -- the article shown ----------------------------------------------------------
    def show(self, article_id: str | None) -> None:
        """Show `article_id` (or nothing), its cursor where it was left."""
        view = self._reader.view
        article = self.article(article_id) if article_id is not None else None
        self.jumps.show(article.id if article is not None else None)
        if article is None:
            view.show(None)
            self.show_status()
            return
        view.show(
            article,
            self._cursors.get(article.id, 0),
            hits=self.jumps.hits,
            target=self.jumps.target,
            notes=notes(self._reader.userdata, article.id),
        )

    def leave(self, article_id: str | None) -> None:
        """Another article is to be shown: remember where the cursor was in `article_id`."""
        view = self._reader.view
        if article_id is not None and view.article is not None and view.article.id == article_id:
            self._cursors[article_id] = view.cursor

    def start_at(self, article_id: str, passage: int) -> None:
        """Show `passage` first when `article_id` is shown."""
        self._cursors[article_id] = passage

    def passage_in(self, article_id: str) -> int:
        """The passage under the cursor in `article_id`, or where it was left there."""
        view = self._reader.view
        if view.article is not None and view.article.id == article_id:
            return view.cursor
        return self._cursors.get(article_id, 0)

    def decorate(self) -> None:
        """Mark again the hits, the mentions followed and the notes of the article shown."""
        view = self._reader.view
        if view.article is None:
            return
        view.decorate(
            hits=self.jumps.hits,
            current=self.jumps.current,
            target=self.jumps.target,
            notes=notes(self._reader.userdata, view.article.id),
        )

    def show_status(self) -> None:
        """Say again under the text where the cursor is, on which hit, following whom."""
        reader = self._reader
        target = self.jumps.target
        reader.view.show_status(
            hits=len(self.jumps.hits) if reader.search_text else None,
            hit=self.jumps.hit_index,
            following=entity_name(reader.entities, target) if target is not None else None,
        )

    def moved(self, article_id: str, passage: int) -> bool:
        """The cursor moved to `passage` of `article_id`: the marks and the status follow.
        False when that is no longer the article shown."""
        reader = self._reader
        view = reader.view
        if view.article is None or view.article.id != article_id:
            return False
        passages = view.article.passages
        self.jumps.moved(passages[passage] if passages else None)
        self.jumps.retarget()
        self.decorate()
        self.show_status()
        return True

    # -- going places ---------------------------------------------------------------
    def open(self, article_id: str, passage: int | None = None, *, remember: bool = True) -> bool:
        """Show `article_id` with the cursor on `passage`; `remember` the place left, for
        `back`. False when the article cannot open."""
        reader = self._reader
        if self.article(article_id) is None:
            return False
        view = reader.view
        if remember and view.article is not None:
            self.history.remember(Place(view.article.id, view.cursor))
            reader.screen.refresh_bindings()
        if article_id != reader.article_id:
            if passage is not None:
                self._cursors[article_id] = passage
            reader.article_id = article_id
        elif passage is not None:
            view.cursor = passage
        reader.article_list.select(article_id)
        return True

    def read(self, article_id: str, passage: int | None = None) -> None:
        """Open `article_id` at `passage` and put the focus on its text."""
        if self.open(article_id, passage):
            self._reader.view.focus()

    def back(self) -> None:
        """Back to the place the last jump left."""
        place = self.history.back()
        if place is None:
            self._reader.screen.notify("Nowhere to go back to.", timeout=2)
            return
        self.open(place.article, place.passage, remember=False)
        self._reader.screen.refresh_bindings()
