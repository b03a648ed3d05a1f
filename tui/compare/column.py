"""`ComparisonColumn`: one article of a comparison, every passage with its pair markers."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from index import Article
from tui.compare.passage import ComparedPassage, PairLink, Span
from tui.display import article_line, article_title


class ComparisonColumn(VerticalScroll, can_focus=False, inherit_bindings=False):
    """Call `show(article, links, only)`; the screen moves the current pair with `mark`
    and scrolls with `reveal`. The keys are the screen's: both columns move together."""

    class LaidOut(Message):
        """The column's size or the height of its passages changed: where a passage
        lies is known only now (the screen scrolls to its current pair again)."""

    def __init__(self, side: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.side = side
        self.article: Article | None = None
        self.border_title = side
        self._blocks: list[ComparedPassage] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("Comparing…"), classes="column-meta -placeholder")
        # Room to scroll the last passages up level with their partners.
        yield Static(classes="column-end")

    @property
    def blocks(self) -> list[ComparedPassage]:
        """The passages shown, in order (a removal takes a moment to leave the DOM)."""
        return self._blocks

    def show_message(self, message: str) -> None:
        """Say `message` instead of an article (still comparing, or it failed)."""
        self.article = None
        self.border_title = self.side
        self._clear()
        meta = self.query_one(".column-meta", Static)
        meta.add_class("-placeholder")
        meta.update(Text(message))

    def show(
        self,
        article: Article,
        links: Mapping[int, tuple[PairLink, ...]],
        only: Collection[int] = (),
    ) -> None:
        """Show `article`, each passage with its `links` (by passage number); `only`:
        the passages that only this article tells."""
        self.article = article
        self.border_title = Text(f"{self.side} · {article_title(article)}")
        self._clear()
        meta = self.query_one(".column-meta", Static)
        meta.remove_class("-placeholder")
        meta.update(Text(article_line(article)))
        self._blocks = [
            ComparedPassage(
                passage,
                article.passage_text(passage),
                self.side,
                links.get(passage.n, ()),
                passage.n in only,
            )
            for passage in article.passages
        ]
        self.mount_all(self._blocks, before=self.query_one(".column-end"))
        self.scroll_home(animate=False, immediate=True)

    def _clear(self) -> None:
        if self._blocks:
            self.remove_children(self._blocks)
        self._blocks = []

    def mark(self, current: int | None, diffs: Mapping[int, tuple[Span, ...]]) -> None:
        """Pair `current` is the current one; `diffs`: the words to mark, by passage."""
        for block in self.blocks:
            block.mark(current, diffs.get(block.passage.n, ()))

    def block(self, passage: int) -> ComparedPassage | None:
        blocks = self.blocks
        return blocks[passage] if 0 <= passage < len(blocks) else None

    def reachable(self, passage: int, offset: int) -> int:
        """The nearest to `offset` lines below the top that `passage` can be scrolled to
        (less near the start of the article, more near its end)."""
        block = self.block(passage)
        if block is None:
            return offset
        y = block.virtual_region.y
        return y - max(0, min(y - offset, round(self.max_scroll_y)))

    def reveal(self, passage: int, offset: int) -> None:
        """Scroll so that `passage` starts `offset` lines below the top of the column."""
        block = self.block(passage)
        if block is None:
            return
        self.scroll_to(y=max(0, block.virtual_region.y - offset), animate=False, immediate=True)

    def watch_virtual_size(self) -> None:
        # Set by the layout once the passages mounted by `show` have their place, which
        # may be later than the refresh after `show`, and whenever the width changes.
        self.post_message(self.LaidOut())

    def page(self, step: int) -> None:
        lines = max(1, self.scrollable_content_region.height - 2)
        self.scroll_to(y=self.scroll_y + step * lines, animate=False, immediate=True)
