"""`ArticleList`: the articles of the corpus, two lines of title and one dim line each.

Every row has the same height, so the list draws only the rows in view: ten
thousand articles list as fast as ten (a list of widgets or of wrapped options
would lay every row out first).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from index import ArticleSummary
from tui.display import article_title, clamped_lines, shorten_middle, summary_line

MOVE = Binding.Group("Article")

# Title lines shown in a row; a longer title ends with an ellipsis.
TITLE_LINES = 2
ROW_HEIGHT = TITLE_LINES + 1


class ArticleList(ScrollView, can_focus=True, inherit_bindings=False):
    """Call `show(summaries, keep)`; it posts `Highlighted` as the cursor moves and
    `Chosen` on enter."""

    BINDING_GROUP_TITLE = "Article list"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Next article", group=MOVE),
        Binding("k", "cursor_up", "Previous article", group=MOVE),
        Binding("down", "cursor_down", "Next article", show=False),
        Binding("up", "cursor_up", "Previous article", show=False),
        Binding("g,home", "first", "First article", show=False),
        Binding("G,end", "last", "Last article", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("enter", "select", "Read article"),
        Binding("s", "screen.cycle_sort", "Sort"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--title",
        "article-list--details",
        "article-list--cursor",
        "article-list--placeholder",
        "article-list--wire",
        "article-list--pinned",
    }

    summaries: reactive[tuple[ArticleSummary, ...]] = reactive((), init=False)
    """The articles to list, in order."""

    highlighted: reactive[int | None] = reactive(None, init=False)
    """The index of the row under the cursor."""

    placeholder: reactive[str] = reactive("No articles.", init=False)
    """What the list says while it is empty."""

    total: reactive[int] = reactive(0)
    """How many articles the corpus has (the list may show fewer: a filter)."""

    order: reactive[str] = reactive("")
    """How the list is sorted, in words (`by date`), for its border."""

    wire_counts: reactive[Mapping[str, int]] = reactive(dict, init=False, always_update=True)
    """For each article with wire copy, how many other articles share its wording."""

    reading: reactive[bool] = reactive(False, init=False)
    """Whether the rest of the articles is being read (the list shows a first page)."""

    wire_busy: reactive[bool] = reactive(False, init=False)
    """Whether the wire copy is being found (the first time, seconds on a large corpus)."""

    pinned: reactive[str | None] = reactive(None, init=False)
    """The article picked to be compared with another, marked in the margin."""

    @dataclass
    class Highlighted(Message):
        """The cursor is on another article."""

        article_id: str

    @dataclass
    class Chosen(Message):
        """The reader pressed enter on an article."""

        article_id: str

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Articles"
        self._keep: str | None = None
        self._cursor_row: int | None = None  # where the cursor is kept in view (`show`)
        self._rows: LRUCache[tuple[int, int, bool], list[Strip]] = LRUCache(1024)
        self.add_class("-empty")

    # -- what is listed ---------------------------------------------------------------
    @property
    def ids(self) -> list[str]:
        return [summary.id for summary in self.summaries]

    @property
    def highlighted_id(self) -> str | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.summaries):
            return None
        return self.summaries[index].id

    def show(
        self, summaries: tuple[ArticleSummary, ...], keep: str | None, *, same_row: bool = False
    ) -> None:
        """List `summaries` with the cursor on `keep` if listed (on the first one if not);
        with `same_row`, the cursor where it is in view (a first page that grows)."""
        if summaries == self.summaries:
            if keep is not None and keep in self.ids:
                self.select(keep)
            return
        self._keep = keep
        if same_row and self.highlighted is not None:
            row = self.highlighted * ROW_HEIGHT - round(self.scroll_y)
            self._cursor_row = max(0, min(row, self.scrollable_content_region.height - ROW_HEIGHT))
        try:
            self.summaries = summaries
        finally:
            self._keep = None
            self._cursor_row = None

    def select(self, article_id: str | None) -> None:
        """Put the cursor on `article_id`, or on nothing when it is not listed."""
        ids = self.ids
        self.highlighted = ids.index(article_id) if article_id in ids else None

    def watch_summaries(self, summaries: tuple[ArticleSummary, ...]) -> None:
        kept = self._keep or self.highlighted_id
        self._rows.clear()
        self._update_border()
        self.set_class(not summaries, "-empty")
        self.virtual_size = Size(self.scrollable_content_region.width, len(summaries) * ROW_HEIGHT)
        ids = [summary.id for summary in summaries]
        index = ids.index(kept) if kept in ids else (0 if summaries else None)
        if index == self.highlighted and index is not None:
            self._post_highlighted()  # another article under the same row
        self.highlighted = index
        # Again once laid out: a list that grew (the rest after a first page) gains its
        # scrollbar then, and the scroll made now to its cursor is lost. (Only then: a list
        # read again while an update commits would pull the view back to the cursor.)
        if self._cursor_row is not None:
            self.call_after_refresh(self._scroll_to_cursor, self._cursor_row)
        self.refresh()

    def validate_highlighted(self, index: int | None) -> int | None:
        if index is None or not self.summaries:
            return None
        return max(0, min(index, len(self.summaries) - 1))

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        # The rows stay cached: whether a row has the cursor is part of its key, and
        # drawing every row in view again at each key press made thousands of objects.
        self.refresh()
        if new is not None:
            self._scroll_to_cursor()
            self._post_highlighted()

    def _scroll_to_cursor(self, row: int | None = None) -> None:
        """Scroll the cursor into view, or to `row` lines from the top of the view."""
        if self.highlighted is not None and row is not None:
            y = max(0, self.highlighted * ROW_HEIGHT - row)
            self.scroll_to(y=y, animate=False, immediate=True)
        elif self.highlighted is not None:
            self.scroll_to_region(
                Region(0, self.highlighted * ROW_HEIGHT, 1, ROW_HEIGHT),
                animate=False,
                immediate=True,
            )

    def _post_highlighted(self) -> None:
        article_id = self.highlighted_id
        if article_id is not None:
            self.post_message(self.Highlighted(article_id))

    def watch_placeholder(self) -> None:
        self.refresh()

    def watch_wire_counts(self) -> None:
        self._rows.clear()
        self.refresh()

    def watch_pinned(self) -> None:
        self._rows.clear()
        self.refresh()

    def _update_border(self) -> None:
        shown, total = len(self.summaries), self.total
        count = f"{shown} of {total}" if shown != total else f"{total}"
        parts = [count, self.order] if self.order else [count]
        if self.reading:
            parts.append("listing…")
        if self.wire_busy:
            parts.append("finding ⇄…")  # (the wire copy: short, the border is narrow)
        self.border_subtitle = " · ".join(parts)

    def watch_wire_busy(self) -> None:
        self._update_border()

    def watch_reading(self) -> None:
        self._update_border()

    def watch_total(self) -> None:
        self._update_border()

    def watch_order(self) -> None:
        self._update_border()

    # -- drawing ----------------------------------------------------------------------
    def on_resize(self) -> None:
        self._rows.clear()
        self.virtual_size = Size(
            self.scrollable_content_region.width, len(self.summaries) * ROW_HEIGHT
        )

    def on_focus(self) -> None:
        self._rows.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._rows.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._rows.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not self.summaries:
            if y != 0:
                return Strip.blank(width, base)
            style = base + self.get_component_rich_style("article-list--placeholder")
            return self._strip(Text(self.placeholder, style=style), width, base)
        line = round(self.scroll_offset.y) + y
        row, offset = divmod(line, ROW_HEIGHT)
        if row >= len(self.summaries):
            return Strip.blank(width, base)
        return self._row(row, width)[offset]

    def _row(self, row: int, width: int) -> list[Strip]:
        cursor = row == self.highlighted
        key = (row, width, cursor)
        strips = self._rows.get(key)
        if strips is None:
            strips = self._render_row(self.summaries[row], width, cursor)
            self._rows[key] = strips
        return strips

    def _render_row(self, summary: ArticleSummary, width: int, cursor: bool) -> list[Strip]:
        base = self.rich_style
        if cursor:
            base = base + self.get_component_rich_style("article-list--cursor")
        title_style = base + self.get_component_rich_style("article-list--title")
        details_style = base + self.get_component_rich_style("article-list--details")
        inner = max(1, width - 2)  # one cell of padding each side
        title = Text(article_title(summary), style=title_style)
        shown = clamped_lines(title, self.app.console, inner, TITLE_LINES)
        while len(shown) < TITLE_LINES:
            shown.append(Text(""))
        wire = self.wire_counts.get(summary.id, 0)
        badge = f"⇄{wire}" if wire else ""
        room = inner - len(badge) - 1 if badge else inner
        details = Text(shorten_middle(summary_line(summary), max(1, room)), style=details_style)
        if badge:
            details.pad_right(max(1, inner - details.cell_len - len(badge)))
            details.append(badge, style=details_style + self._wire_style())
        lead = Segment(" ", base)
        if summary.id == self.pinned:
            lead = Segment("▌", base + self.get_component_rich_style("article-list--pinned"))
        return [self._strip(line, width, base, lead) for line in (*shown, details)]

    def _wire_style(self) -> Style:
        return self.get_component_rich_style("article-list--wire", partial=True)

    def _strip(self, text: Text, width: int, style: Style, lead: Segment | None = None) -> Strip:
        segments = [
            lead or Segment(" ", style),
            *text.render(self.app.console),
            Segment(" ", style),
        ]
        return Strip(segments).adjust_cell_length(width, style).simplify()

    # -- keys and mouse ---------------------------------------------------------------
    def action_cursor_down(self) -> None:
        if self.summaries:
            self.highlighted = 0 if self.highlighted is None else self.highlighted + 1

    def action_cursor_up(self) -> None:
        if self.summaries:
            self.highlighted = 0 if self.highlighted is None else self.highlighted - 1

    def action_first(self) -> None:
        if self.summaries:
            self.highlighted = 0

    def action_last(self) -> None:
        if self.summaries:
            self.highlighted = len(self.summaries) - 1

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // ROW_HEIGHT)

    def action_page_down(self) -> None:
        if self.summaries:
            self.highlighted = (self.highlighted or 0) + self._page()

    def action_page_up(self) -> None:
        if self.summaries:
            self.highlighted = (self.highlighted or 0) - self._page()

    def action_select(self) -> None:
        article_id = self.highlighted_id
        if article_id is not None:
            self.post_message(self.Chosen(article_id))

    def on_click(self, event: events.Click) -> None:
        if not self.summaries:
            return
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = (round(self.scroll_offset.y) + offset.y) // ROW_HEIGHT
        if 0 <= row < len(self.summaries):
            if row == self.highlighted:
                self.action_select()
            else:
                self.highlighted = row
