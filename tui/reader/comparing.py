"""`Comparing`: what `c` and `C` compare the article read with, and the comparison."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.reader.host import Places, Reader

if TYPE_CHECKING:  # the screens are imported when first opened: a faster start
    from tui.compare.screen import ReadHere


class Comparing:
    """Opens the compare picker and the comparison screen over `reader`; an article
    read from the comparison is opened at `places`."""

    def __init__(self, reader: Reader, places: Places) -> None:
        self._reader = reader
        self._places = places

    def compare(self) -> None:
        """Compare the article read with another: the one picked before in the list, else
        the one of the related passage under the pane's cursor, else one to choose.
        In the list, `c` picks the article for the next `c`."""
        reader = self._reader
        current = reader.article_id
        if current is None:
            reader.screen.notify("No article to compare.", timeout=3)
            return
        picked = reader.compare_from
        if picked is not None:
            reader.compare_from = None
            if picked != current:
                self.compare_with(current, base=picked)
            return
        if reader.article_list.has_focus:
            reader.compare_from = current
            return
        pane = reader.related_pane
        found = pane.highlighted_passage if reader.show_related else None
        if found is not None and pane.result is not None and pane.result.doc == current:
            self.compare_with(found.doc, at=(pane.result.passage, found.passage))
            return
        self.choose()

    def choose(self) -> None:
        """Choose the article to compare the article read with (its wire copy first)."""
        from tui.compare.picker import ComparePicker

        reader = self._reader
        summary = reader.summary(reader.article_id) if reader.article_id else None
        if summary is None:
            reader.screen.notify("No article to compare.", timeout=3)
            return

        def chosen(other: str | None) -> None:
            if other is not None:
                self.compare_with(other, base=summary.id)

        picker = ComparePicker(reader.corpus, summary, reader.summaries)
        reader.screen.app.push_screen(picker, chosen)

    def compare_with(
        self, other: str, base: str | None = None, at: tuple[int, int | None] | None = None
    ) -> None:
        """Open the comparison of `base` (the article read by default) with `other`,
        on the pair nearest `at` (passages of both, or of `base` only; by default the
        passage of `base` last read)."""
        from tui.compare.screen import ComparisonScreen

        reader = self._reader
        a = base or reader.article_id
        if a is None:
            return
        if other == a:
            reader.screen.notify("That is the same article: choose another one.", timeout=3)
            return
        if at is None:
            at = (self._places.passage_in(a), None)
        comparison = ComparisonScreen(
            reader.corpus, a, other, entities=reader.entities, summaries=reader.summaries, at=at
        )
        reader.screen.app.push_screen(comparison, self._compared)

    def _compared(self, read: ReadHere | None) -> None:
        if read is not None:
            self._places.read(read.article, read.passage)
