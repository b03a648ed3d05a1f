"""`PassageView`: an article's cleaned text, passage by passage, with a passage cursor."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from index import Article, Mention
from tui.display import LABEL_NAMES, LABELS, article_line, counted, passage_mark
from tui.reader.passage_block import Mark, PassageBlock

Span = tuple[int, int]

# Lines of the previous screenful kept in view when paging through a long passage.
PAGE_OVERLAP = 2

MOVE = Binding.Group("Passage")
MENTION = Binding.Group("Mention")


class PassageView(VerticalScroll, inherit_bindings=False):
    """Call `show(article)`; `cursor` is the passage under the cursor.

    Blocks are reused from one article to the next, so moving through the list
    updates a few widgets instead of rebuilding the pane. `j`/`k` move the
    cursor, or page through a passage taller than the pane before leaving it.
    """

    BINDING_GROUP_TITLE = "Article text"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "next_passage", "Next passage", group=MOVE),
        Binding("k", "previous_passage", "Previous passage", group=MOVE),
        Binding("down", "next_passage", "Next passage", show=False),
        Binding("up", "previous_passage", "Previous passage", show=False),
        Binding("g,home", "first_passage", "First passage", show=False),
        Binding("G,end", "last_passage", "Last passage", show=False),
        Binding("space,pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("right_square_bracket", "screen.next_mention", "Next mention", group=MENTION),
        Binding(
            "left_square_bracket", "screen.previous_mention", "Previous mention", group=MENTION
        ),
        Binding("t", "screen.next_entity", "Follow another entity", show=False),
        Binding("b", "screen.bookmark", "Bookmark"),
    ]

    # The colours of the names, for the legend in the border (the same as the blocks').
    COMPONENT_CLASSES: ClassVar[set[str]] = {f"passage-view--{label.lower()}" for label in LABELS}

    cursor: reactive[int] = reactive(0, init=False)
    """The number of the passage under the cursor."""

    @dataclass
    class CursorMoved(Message):
        """The passage cursor moved, or a new article is shown."""

        article_id: str
        passage: int

    def __init__(
        self, placeholder: str = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._article: Article | None = None
        self._blocks: list[PassageBlock] = []
        self._placeholder = placeholder
        self._starts: list[int] = []
        self._mentions: list[list[Mention]] = []
        self._hits: tuple[Span, ...] = ()
        self._current: Span | None = None
        self._target: str | None = None
        self._notes: Mapping[int, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text(self._placeholder), id="article-meta", classes="-placeholder")

    def on_mount(self) -> None:
        self.border_title = self.legend()

    def legend(self) -> Text:
        """What the colours of the names mean, short enough for the border at 80 columns."""
        legend = Text()
        for label in LABELS:
            if legend:
                legend.append("  ")
            style = self.get_component_rich_style(f"passage-view--{label.lower()}", partial=True)
            legend.append(LABEL_NAMES[label].split()[0], style=style)  # (other names: other)
        return legend

    @property
    def article(self) -> Article | None:
        return self._article

    @property
    def blocks(self) -> list[PassageBlock]:
        """The blocks that show the current article, one per passage, in order."""
        return self._blocks[: len(self._article.passages)] if self._article else []

    def show_placeholder(self, message: str) -> None:
        """Say `message` instead of an article."""
        self._placeholder = message
        if self._article is None:
            self.query_one("#article-meta", Static).update(Text(message))

    def show(
        self,
        article: Article | None,
        passage: int = 0,
        *,
        hits: tuple[Span, ...] = (),
        current: Span | None = None,
        target: str | None = None,
        notes: Mapping[int, str] | None = None,
    ) -> None:
        """Show `article` with the cursor on `passage`, marked as `decorate` says."""
        self._article = article
        self._hits, self._current, self._target = hits, current, target
        self._notes = dict(notes or {})
        meta = self.query_one("#article-meta", Static)
        meta.set_class(article is None, "-placeholder")
        if article is None:
            meta.update(Text(self._placeholder))
            for block in self._blocks:
                block.display = False
            return
        meta.update(Text(article_line(article)))
        self._starts = [passage.start for passage in article.passages]
        self._mentions = [[] for _ in article.passages]
        for mention in article.mentions:
            n = bisect.bisect_right(self._starts, mention.start) - 1
            if n >= 0:
                self._mentions[n].append(mention)
        self._fill_blocks(article)
        self.set_reactive(PassageView.cursor, self.validate_cursor(passage))
        for block in self._blocks:
            block.set_class(False, "-cursor")
        if self._blocks and article.passages:
            self._blocks[self.cursor].set_class(True, "-cursor")
        self.scroll_home(animate=False, immediate=True)
        if self.cursor:
            self.call_after_refresh(self._reveal_cursor, False)
        self.post_message(self.CursorMoved(article.id, self.cursor))

    def _fill_blocks(self, article: Article) -> None:
        passages = article.passages
        new_blocks = [PassageBlock() for _ in range(len(passages) - len(self._blocks))]
        self._blocks.extend(new_blocks)
        for block, passage in zip(self._blocks[: len(passages)], passages, strict=True):
            foreign = passage.lang and passage.lang != article.lang
            tag = passage.lang if passage.kind == "caption" or foreign else ""
            block.show(
                passage,
                article.passage_text(passage),
                lang_tag=tag,
                marks=self._marks(passage.n),
                note=self._notes.get(passage.n),
            )
            block.display = True
        for block in self._blocks[len(passages) :]:
            block.display = False
        if new_blocks:
            self.mount_all(new_blocks)

    # -- marks ------------------------------------------------------------------
    def decorate(
        self,
        *,
        hits: tuple[Span, ...] = (),
        current: Span | None = None,
        target: str | None = None,
        notes: Mapping[int, str] | None = None,
    ) -> None:
        """Mark the search `hits` (`current` more strongly), the mentions of the entity
        `target`, and the bookmarked passages with their `notes`. Offsets are into the
        article's text."""
        self._hits, self._current, self._target = hits, current, target
        self._notes = dict(notes or {})
        for block in self.blocks:
            if block.passage is not None:
                n = block.passage.n
                block.decorate(self._marks(n), self._notes.get(n))

    def _marks(self, n: int) -> tuple[Mark, ...]:
        """The marks of passage `n`, offsets made relative to the passage."""
        if self._article is None or n >= len(self._article.passages):
            return ()
        passage = self._article.passages[n]
        start, end = passage.start, passage.end
        marks: list[Mark] = []
        for mention in self._mentions[n] if n < len(self._mentions) else ():
            label = mention.label.lower() if mention.label in LABELS else "misc"
            stop = min(mention.end, end) - start
            marks.append(Mark(mention.start - start, stop, label))
            if mention.entity == self._target:
                marks.append(Mark(mention.start - start, stop, "target"))
        first = bisect.bisect_left(self._hits, (start, start))
        for hit_start, hit_end in self._hits[first:]:
            if hit_start >= end:
                break
            marks.append(Mark(hit_start - start, min(hit_end, end) - start, "hit"))
        if self._current is not None and start <= self._current[0] < end:
            marks.append(
                Mark(self._current[0] - start, min(self._current[1], end) - start, "current")
            )
        return tuple(marks)

    # -- the status line ----------------------------------------------------------
    def show_status(
        self, *, hits: int | None = None, hit: int | None = None, following: str | None = None
    ) -> None:
        """Say under the text which passage the cursor is on, among how many search `hits`
        (None: no search) which `hit` it is on, and the entity `]`/`[` are `following`."""
        article = self._article
        parts: list[str] = []
        if article is not None and article.passages:
            parts.append(f"{passage_mark(self.cursor)}/{len(article.passages)}")
        if hits is not None and article is not None:
            if hit is not None and hits:
                parts.append(f"hit {hit + 1}/{hits}")
            else:
                parts.append(counted(hits, "hit"))
        if following is not None:
            parts.append(f"]/[ {following}")
        self.border_subtitle = Text(" · ".join(parts))  # an entity's name: no markup

    def passage_at(self, offset: int) -> int:
        """The number of the passage that holds the character at `offset`."""
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def go_to(self, offset: int) -> None:
        """Put the cursor on the passage holding `offset` and bring that line into view."""
        if self._article is None or not self.blocks:
            return
        n = self.passage_at(offset)
        if n == self.cursor:
            self._reveal_cursor()
        else:
            self.cursor = n
        self.call_after_refresh(self._reveal_offset, n, offset)

    def _reveal_offset(self, n: int, offset: int) -> None:
        """Scroll the least that shows the line of `offset`, in a passage taller than the pane."""
        if self._article is None or n >= len(self.blocks):
            return
        block = self.blocks[n]
        line = block.line_of(offset - self._article.passages[n].start, self.app.console)
        y = block.virtual_region.y + line
        top, height = round(self.scroll_y), self.scrollable_content_region.height
        if top <= y < top + height:
            return
        self.scroll_to(y=max(0, y - height // 3), animate=False, immediate=True)

    # -- the cursor -------------------------------------------------------------
    def validate_cursor(self, cursor: int) -> int:
        count = len(self._article.passages) if self._article else 0
        return max(0, min(cursor, count - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self._mark_cursor(old, new)
        self._reveal_cursor(new < old)

    def _mark_cursor(self, old: int, new: int) -> None:
        """Move the `-cursor` class from block `old` to block `new`, and say so."""
        if self._article is None or not self.blocks:
            return
        self._blocks[old].set_class(False, "-cursor")
        self._blocks[new].set_class(True, "-cursor")
        self.post_message(self.CursorMoved(self._article.id, new))

    def _reveal_cursor(self, from_below: bool = False) -> None:
        """Scroll the least that shows the cursor's passage.

        A passage taller than the pane shows its top, or its end when the cursor
        arrived from below, so reading on continues where the eye is.
        """
        if self._article is None or not self._blocks:
            return
        if self.cursor == 0:
            self.scroll_home(animate=False, immediate=True)
            return
        region = self._blocks[self.cursor].virtual_region_with_margin
        top, height = round(self.scroll_y), self.scrollable_content_region.height
        if region.height > height:
            y = region.bottom - height if from_below else region.y
        elif region.y < top:
            y = region.y
        elif region.bottom > top + height:
            y = region.bottom - height
        else:
            return
        self.scroll_to(y=y, animate=False, immediate=True)

    def _cursor_block_span(self) -> tuple[int, int, int, int]:
        """Top and bottom of the cursor's block, then of the viewport, in content lines."""
        region = self._blocks[self.cursor].virtual_region
        top = round(self.scroll_y)
        return region.y, region.bottom, top, top + self.scrollable_content_region.height

    # -- actions ----------------------------------------------------------------
    def action_next_passage(self) -> None:
        if not self.blocks:
            return
        start, end, view_top, view_bottom = self._cursor_block_span()
        page = max(1, view_bottom - view_top - PAGE_OVERLAP)
        if start < view_bottom and end > view_bottom:
            self.scroll_to(
                y=min(end - (view_bottom - view_top), view_top + page),
                animate=False,
                immediate=True,
            )
        elif self.cursor < len(self.blocks) - 1:
            self.cursor += 1
        else:
            self.scroll_end(animate=False, immediate=True)

    def action_previous_passage(self) -> None:
        if not self.blocks:
            return
        start, end, view_top, view_bottom = self._cursor_block_span()
        page = max(1, view_bottom - view_top - PAGE_OVERLAP)
        if start < view_top < end:
            self.scroll_to(y=max(start, view_top - page), animate=False, immediate=True)
        elif self.cursor > 0:
            self.cursor -= 1
        else:
            self.scroll_home(animate=False, immediate=True)

    def action_first_passage(self) -> None:
        self.cursor = 0
        self.scroll_home(animate=False, immediate=True)

    def action_last_passage(self) -> None:
        if self.blocks:
            self.cursor = len(self.blocks) - 1
            self.scroll_end(animate=False, immediate=True)

    def action_page_down(self) -> None:
        self._scroll_lines(self.scrollable_content_region.height)
        self._cursor_into_view(first=True)

    def action_page_up(self) -> None:
        self._scroll_lines(-self.scrollable_content_region.height)
        self._cursor_into_view(first=False)

    def _scroll_lines(self, lines: int) -> None:
        # Immediate, not after the next refresh: the keys that follow read `scroll_y`.
        self.scroll_to(y=self.scroll_y + lines, animate=False, immediate=True)

    def _cursor_into_view(self, *, first: bool) -> None:
        """After paging, move the cursor onto a passage in view if it left the view."""
        blocks = self.blocks
        if not blocks:
            return
        top = round(self.scroll_y)
        bottom = top + self.scrollable_content_region.height

        def visible(block: PassageBlock) -> bool:
            region = block.virtual_region
            return region.y < bottom and region.bottom > top

        if visible(blocks[self.cursor]):
            return
        in_view = [n for n, block in enumerate(blocks) if visible(block)]
        if in_view:
            old = self.cursor
            # set_reactive: the view is where the reader paged to; don't scroll back.
            self.set_reactive(PassageView.cursor, in_view[0] if first else in_view[-1])
            self._mark_cursor(old, self.cursor)

    def on_click(self, event: events.Click) -> None:
        if isinstance(event.widget, PassageBlock) and event.widget in self.blocks:
            self.cursor = self.blocks.index(event.widget)
