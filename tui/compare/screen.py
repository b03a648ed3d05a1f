"""`ComparisonScreen`: two articles side by side, their passages aligned pair by pair.

The screen owns the comparison and the current pair; the columns and the entity
panel get them as calls. The comparison runs in a thread worker; swapping the
sides mirrors it rather than running it again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import Worker, WorkerState, get_current_worker

from index import (
    AlignedPair,
    Article,
    ArticleSummary,
    Comparison,
    Corpus,
    Entity,
    PresseError,
    comparison_markdown,
)
from tui.compare.column import ComparisonColumn
from tui.compare.entities import EntityComparison
from tui.compare.pairs import mirrored, pair_line, pair_links, start_pair
from tui.compare.passage import Span
from tui.display import article_title
from tui.footer import KeysFooter

PAIR = Binding.Group("Pair")

COMPARISON_NOTES = (
    (
        "Marks in the columns",
        "#3 is an aligned pair: the same number marks its passage in both columns. A "
        "passage is in one pair, or in two or three when the other article split it. "
        "Each pair says why: the same wording, the same fact or the same subject. The "
        "current pair is highlighted; j and k move to the next and previous pair, and "
        "both columns follow. Where most of the wording is the same, the runs of words "
        "that differ are underlined. Passages marked “only in A” or “only in B”, "
        "dimmed, are what only one article says; the page's own words (link teasers, "
        "bylines) are neither.",
    ),
)


@dataclass(frozen=True)
class ReadHere:
    """How the comparison closed when the reader asked to read one side at a passage."""

    article: str
    passage: int


def export_name(a: str, b: str) -> str:
    """The file proposed for the export: `presse-compare-<a>-<b>.md`, ids made file-safe."""

    def safe(doc_id: str) -> str:
        return re.sub(r"[^\w.-]+", "_", doc_id).strip("._") or "article"

    return f"presse-compare-{safe(a)}-{safe(b)}.md"


class ComparisonScreen(Screen[ReadHere | None], inherit_bindings=False):
    """Compares article `a` (left) with article `b` (right).

    `entities` are the corpus's entities by id, if the reader has them (else the
    worker lists them); `summaries` are the articles to offer for another `b`; `at`
    is where the reader was (a passage of `a`, and of `b` if known): the first
    current pair is the one nearest to it.
    """

    BINDING_GROUP_TITLE = "Comparison"

    # The keys are the screen's: the entity panel, the one focusable widget, takes
    # the focus only when asked (tab), or it would take the arrows.
    AUTO_FOCUS = ""

    # (Textual declares it as an instance variable, which ClassVar here would contradict.)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "next_pair", "Next pair", group=PAIR),
        Binding("k", "previous_pair", "Previous pair", group=PAIR),
        Binding("down", "next_pair", "Next pair", show=False),
        Binding("up", "previous_pair", "Previous pair", show=False),
        Binding("g,home", "first_pair", "First pair", show=False),
        Binding("G,end", "last_pair", "Last pair", show=False),
        Binding("space,pagedown", "page(1)", "Page down both columns", show=False),
        Binding("pageup", "page(-1)", "Page up both columns", show=False),
        Binding("s", "swap", "Swap sides"),
        Binding("e", "toggle_entities", "Entities"),
        Binding("x,ctrl+s", "export", "Export"),
        Binding("c", "other_article", "Compare A with another", show=False),
        Binding("a", "read('A')", "Read A at the pair", show=False),
        Binding("b", "read('B')", "Read B at the pair", show=False),
        Binding("tab", "app.focus_next", "Focus the entities", show=False),
        Binding("escape,backspace", "close", "Back"),
    ]

    HELP_NOTES: ClassVar[tuple[tuple[str, str], ...]] = COMPARISON_NOTES
    """What the help says under the keys (the reader's help explains its own marks)."""

    pair: reactive[int | None] = reactive(None, init=False)
    """The index of the current pair in the comparison's pairs."""

    @dataclass
    class Compared(Message):
        a: Article
        b: Article
        comparison: Comparison
        entities: dict[str, Entity]

    def __init__(
        self,
        corpus: Corpus,
        a: str,
        b: str,
        *,
        entities: Mapping[str, Entity] | None = None,
        summaries: Sequence[ArticleSummary] = (),
        at: tuple[int, int | None] | None = None,
    ) -> None:
        super().__init__()
        self._at = at
        self.corpus = corpus
        self.a_id, self.b_id = a, b
        self.entities: dict[str, Entity] = dict(entities or {})
        self.summaries = tuple(summaries)
        self.article_a: Article | None = None
        self.article_b: Article | None = None
        self.comparison: Comparison | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="compare-body"):
            yield ComparisonColumn("A", id="column-a")
            yield ComparisonColumn("B", id="column-b")
            yield EntityComparison(id="compare-entities")
        yield Static(Text("Comparing the two articles…"), id="compare-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._start()

    # -- the comparison ---------------------------------------------------------------
    def _start(self) -> None:
        self.comparison = None
        self.set_reactive(ComparisonScreen.pair, None)
        self.query_one("#compare-body").loading = True
        self._status(Text("Comparing the two articles…"))
        self.refresh_bindings()
        self.run_comparison(self.a_id, self.b_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="compare")
    def run_comparison(self, a: str, b: str) -> None:
        worker = get_current_worker()
        try:
            article_a, article_b = self.corpus.article(a), self.corpus.article(b)
            comparison = self.corpus.compare(a, b)
            entities = self.entities or {e.id: e for e in self.corpus.entities()}
        finally:
            self.corpus.close()
        if not worker.is_cancelled:
            self.post_message(self.Compared(article_a, article_b, comparison, entities))

    @on(Compared)
    def _compared(self, message: Compared) -> None:
        if (message.a.id, message.b.id) != (self.a_id, self.b_id):
            return
        self.entities = message.entities
        self.query_one("#compare-body").loading = False
        at, self._at = self._at, None
        self._show(message.a, message.b, message.comparison, start_pair(message.comparison, at))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "compare" or event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, PresseError):
            message = str(error)
        else:
            message = f"{type(error).__name__}: {error}"
        self.query_one("#compare-body").loading = False
        for column in self.query(ComparisonColumn):
            column.show_message("Not compared.")
        self.query_one(EntityComparison).show_message("Not compared.")
        self._status(Text(f"The comparison failed: {message}", style="bold"))
        self.notify(message, title="Cannot compare", severity="error", markup=False)

    def _show(
        self,
        a: Article,
        b: Article,
        comparison: Comparison,
        keep: tuple[int, int] | None = None,
    ) -> None:
        """Show `comparison`, the current pair on the pair `keep` (A and B passages) if any."""
        self.article_a, self.article_b, self.comparison = a, b, comparison
        self.a_id, self.b_id = a.id, b.id
        links_a, links_b = pair_links(comparison)
        self._column("A").show(a, links_a, set(comparison.unpaired_a))
        self._column("B").show(b, links_b, set(comparison.unpaired_b))
        self.query_one(EntityComparison).show(comparison, self.entities)
        pairs = [(p.a_passage, p.b_passage) for p in comparison.pairs]
        current: int | None = pairs.index(keep) if keep in pairs else (0 if pairs else None)
        self.set_reactive(ComparisonScreen.pair, current)
        self._mark()
        self.call_after_refresh(self._reveal)
        self.refresh_bindings()

    def on_comparison_column_laid_out(self, event: ComparisonColumn.LaidOut) -> None:
        event.stop()
        self._reveal()

    def _column(self, side: str) -> ComparisonColumn:
        return self.query_one(f"#column-{side.lower()}", ComparisonColumn)

    @property
    def current(self) -> AlignedPair | None:
        if self.comparison is None or self.pair is None:
            return None
        return self.comparison.pairs[self.pair]

    # -- the current pair -------------------------------------------------------------
    def watch_pair(self) -> None:
        self._mark()
        self._reveal()

    def validate_pair(self, pair: int | None) -> int | None:
        if pair is None or self.comparison is None or not self.comparison.pairs:
            return None
        return max(0, min(pair, len(self.comparison.pairs) - 1))

    def _mark(self) -> None:
        """Highlight the current pair and mark its runs of words that differ (only its:
        the diffs of every pair at once would mark half of both articles)."""
        current = self.current
        diffs_a: dict[int, tuple[Span, ...]] = {}
        diffs_b: dict[int, tuple[Span, ...]] = {}
        number = None
        if current is not None and self.pair is not None:
            number = self.pair + 1
            diffs_a[current.a_passage] = current.a_diff
            diffs_b[current.b_passage] = current.b_diff
        self._column("A").mark(number, diffs_a)
        self._column("B").mark(number, diffs_b)
        self._update_status()

    def _reveal(self) -> None:
        """Scroll both columns to the current pair, its two passages level with each other
        (unless a column cannot scroll that far: the first passages)."""
        current = self.current
        if current is None:
            return
        column_a, column_b = self._column("A"), self._column("B")
        block_a, block_b = column_a.block(current.a_passage), column_b.block(current.b_passage)
        if block_a is None or block_b is None:
            return
        view = column_a.scrollable_content_region.height
        tallest = max(block_a.outer_size.height, block_b.outer_size.height)
        offset = max(1, min(view // 4, (view - tallest) // 2))
        # Where each can put its passage, then both where the one held back can.
        offset = column_a.reachable(current.a_passage, offset)
        offset = column_b.reachable(current.b_passage, offset)
        offset = column_a.reachable(current.a_passage, offset)
        column_a.reveal(current.a_passage, offset)
        column_b.reveal(current.b_passage, offset)

    def _update_status(self) -> None:
        if self.comparison is not None:
            pair = self.pair if self.current is not None else None
            self._status(pair_line(self.comparison, pair))

    def _status(self, text: Text) -> None:
        self.query_one("#compare-status", Static).update(text)

    # -- actions ----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_pair", "previous_pair", "first_pair", "last_pair"):
            return True if self.current is not None else None
        if action in ("swap", "export", "read", "other_article"):
            return True if self.comparison is not None else None
        return True

    def action_next_pair(self) -> None:
        if self.pair is not None:
            self.pair += 1

    def action_previous_pair(self) -> None:
        if self.pair is not None:
            self.pair -= 1

    def action_first_pair(self) -> None:
        if self.pair is not None:
            self.pair = 0

    def action_last_pair(self) -> None:
        if self.comparison is not None and self.pair is not None:
            self.pair = len(self.comparison.pairs) - 1

    def action_page(self, step: int) -> None:
        for column in self.query(ComparisonColumn):
            column.page(step)

    def action_swap(self) -> None:
        a, b, comparison = self.article_a, self.article_b, self.comparison
        if a is None or b is None or comparison is None:
            return
        current = self.current
        keep = (current.b_passage, current.a_passage) if current is not None else None
        self._show(b, a, mirrored(comparison), keep)
        self.notify(f"A is now {article_title(b)}.", timeout=2, markup=False)

    def action_toggle_entities(self) -> None:
        self.toggle_class("-entities-toggled")
        panel = self.query_one(EntityComparison)
        if panel.has_focus and not panel.display:
            self.set_focus(None)

    def action_export(self) -> None:
        from tui.dialogs.markdown_export import ask_and_write

        a, b, comparison = self.article_a, self.article_b, self.comparison
        if a is None or b is None or comparison is None:
            return
        names = {entity_id: entity.name for entity_id, entity in self.entities.items()}

        def markdown() -> str:
            return comparison_markdown(a, b, comparison, names)

        def written(path: Path) -> str:
            return f"The comparison of {a.id} and {b.id} is in {path}"

        ask_and_write(
            self,
            "Export the comparison to Markdown",
            export_name(a.id, b.id),
            markdown,
            written,
            done="Comparison exported",
        )

    def action_read(self, side: str) -> None:
        article = self.article_a if side == "A" else self.article_b
        if article is None:
            return
        current = self.current
        passage = 0
        if current is not None:
            passage = current.a_passage if side == "A" else current.b_passage
        self.dismiss(ReadHere(article.id, passage))

    def action_other_article(self) -> None:
        from tui.compare.picker import ComparePicker

        a = next((s for s in self.summaries if s.id == self.a_id), None)
        if a is None:
            return

        def chosen(other: str | None) -> None:
            if other is None or other == self.b_id:
                return
            self.b_id = other
            self._start()

        self.app.push_screen(ComparePicker(self.corpus, a, self.summaries), chosen)

    def action_close(self) -> None:
        self.dismiss(None)
