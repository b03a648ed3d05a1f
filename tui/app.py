"""`PresseApp`: opens a corpus, shows it at once, and brings its index up to date behind."""

from __future__ import annotations

import errno
import gc
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.worker import Worker, WorkerState, get_current_worker

from index import Corpus, IngestReport, PresseError, Progress, UserData
from tui.dialogs.help import HelpScreen, key_sections
from tui.display import one_line
from tui.reader.index_status import STAGES, search_note
from tui.reader.screen import ReaderScreen

if TYPE_CHECKING:  # the dialog is imported once a search is open
    from tui.dialogs.search import SearchScreen

# Skipped files listed by name in the warning; the rest are counted.
SKIPPED_SHOWN = 5


# Young objects are collected less often than Python's default (700): the reader allocates
# in bursts, a screen of text at each key. But only 5 young collections between two of the
# middle generation: it holds what survived them all (cached lines of text, restyled widgets'
# leftovers), and with 50 it grew to 300,000 objects, half a second to walk while a key was
# held. The same for the oldest generation, which is rarely collected anyway: Python waits
# until it has grown by a quarter.
GC_THRESHOLDS = (20_000, 5, 20)


# The reader counts as idle after this long without a key or a click.
IDLE_SECONDS = 2.0

# How often the reader checks that its terminal is still there. A terminal closed under
# `make run` hangs up on make, not on the reader, which never hears of it; Textual then
# reads end-of-file from the terminal ten times a second, forever, at full CPU.
TERMINAL_CHECK_SECONDS = 1.0


def terminal_fd() -> int | None:
    """The file descriptor of the terminal the reader reads its keys from, if any."""
    stdin = sys.__stdin__
    try:
        fd = stdin.fileno() if stdin is not None else -1
    except (OSError, ValueError):
        return None
    return fd if fd >= 0 and os.isatty(fd) else None


def terminal_gone(fd: int) -> bool:
    """Whether the terminal on `fd` has hung up (closed by its emulator or by tmux)."""
    try:
        import termios  # (POSIX only: elsewhere the check is never made)
    except ImportError:
        return False
    try:
        termios.tcgetattr(fd)
    except termios.error as error:
        return bool(error.args) and error.args[0] in (errno.EIO, errno.ENXIO, errno.EBADF)
    return False


def settle_memory() -> None:
    """Move what is alive now out of the garbage collector's sight.

    A reader keeps many long-lived objects (the article list, caches, the
    searchers); each full collection walked them all, a pause of 100 ms and
    more in the middle of a key press on a 2,000-article corpus. Frozen
    objects are never collected, which is what they are for.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


class PresseApp(App[None]):
    """The reader over the articles in `corpus_root`, indexed into `index_dir`."""

    CSS_PATH = "presse.tcss"
    TITLE = "presse"
    BINDING_GROUP_TITLE = "Anywhere"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
        # Textual adds this one with a lower-case "palette"; stated here to name it.
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True),
    ]

    @dataclass
    class IndexProgressed(Message):
        """A step of the background update of the index."""

        progress: Progress

        def can_replace(self, message: Message) -> bool:
            # A step of the same stage only: the names found tell the list to grow.
            return (
                isinstance(message, PresseApp.IndexProgressed)
                and message.progress.stage == self.progress.stage
            )

    @dataclass
    class IndexUpdated(Message):
        """The background update of the index is done."""

        report: IngestReport
        waited: bool = False
        """Whether another process updated the index first (its changes are not in the
        report, so everything is read again)."""

    class IndexBusyWaiting(Message):
        """Another process is updating the index; the update waits for it to finish."""

    class IndexReadOnly(Message):
        """The index directory cannot be written: the index is shown as it is."""

    def __init__(self, corpus_root: Path, index_dir: Path | None = None) -> None:
        super().__init__()
        self.corpus_root = corpus_root
        self.index_dir = index_dir
        self.corpus: Corpus | None = None
        self.reader: ReaderScreen | None = None
        self.error: str | None = None
        """Why the app exited early (the corpus could not be opened), or `None`."""
        self.index_started = False
        """Whether the first update of the index has been started (after the first paint)."""
        self._last_input = self._settled_at = time.monotonic()
        self._settle_due = False  # an index update loaded much: collect at the next pause

    async def on_mount(self) -> None:
        try:
            self.corpus = Corpus(self.corpus_root, self.index_dir)
        except PresseError as error:
            self.error = str(error)
            self.exit(return_code=2)
            return
        self.title = f"presse · {one_line(self.corpus.root.name) or '/'}"
        self.reader = ReaderScreen(self.corpus, UserData(self.corpus.index_dir))
        await self.push_screen(self.reader)
        self._show_state(checking=True)
        # After the first paint: the check for new files scans the whole folder, and
        # would hold the GIL against the paint the user is waiting for.
        self.call_after_refresh(self._start_update)

    def _start_update(self) -> None:
        self.index_started = True
        self.update_index()
        settle_memory()
        self.set_interval(IDLE_SECONDS, self._settle_when_idle)
        fd = terminal_fd()
        if fd is not None and not self.is_headless:
            self.set_interval(TERMINAL_CHECK_SECONDS, lambda: self._exit_if_terminal_gone(fd))

    def _exit_if_terminal_gone(self, fd: int) -> None:
        """Save the reading position and leave, as `q` does, once the terminal is gone."""
        if terminal_gone(fd):
            if self.reader is not None:
                self.reader.save_state()
            self.exit()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def _settle_when_idle(self) -> None:
        """A full collection once the user has paused after using the reader or after an
        index update: what survived the young collections is walked while nobody waits,
        not in the middle of keys held down (250 ms on 10,000 articles)."""
        now = time.monotonic()
        used = self._last_input > self._settled_at or self._settle_due
        if now - self._last_input >= IDLE_SECONDS and used:
            settle_memory()
            self._settled_at = now
            self._settle_due = False

    # -- indexing ---------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="index")
    def update_index(self) -> None:
        """Bring the index up to date with the folder, off the UI thread.

        When another presse is updating the same index, this one shows the index as it
        is, waits in the background for the other to finish, then runs its own update
        (which mostly finds everything current) and shows what the other did. An index
        this user may not write is only read.
        """
        assert self.corpus is not None
        corpus = self.corpus
        worker = get_current_worker()

        def progressed(progress: Progress) -> None:
            self.post_message(self.IndexProgressed(progress))

        def cancelled() -> bool:
            return worker.is_cancelled

        if corpus.read_only:
            self.post_message(self.IndexReadOnly())
            return
        waited = False

        def waiting() -> None:
            nonlocal waited
            waited = True
            self.post_message(self.IndexBusyWaiting())

        try:
            report = corpus.update_when_free(progressed, cancelled, waiting=waiting)
        finally:
            corpus.close()  # this thread's connections; the UI thread keeps its own
        if not worker.is_cancelled:
            self.post_message(self.IndexUpdated(report, waited=waited))

    def on_presse_app_index_progressed(self, message: PresseApp.IndexProgressed) -> None:
        progress = message.progress
        if self.reader is not None:
            self.reader.progress = progress
            if progress.stage == "names":
                self.reader.articles_committed()
        self._show_state(progress)
        for search in self._searches():
            search.index_progressed(search_note(progress))

    def _searches(self) -> list[SearchScreen]:
        """The search dialogs open (at most one), to tell them how the index grows."""
        from tui.dialogs.search import SearchScreen

        return [screen for screen in self.screen_stack if isinstance(screen, SearchScreen)]

    def on_presse_app_index_busy_waiting(self, message: PresseApp.IndexBusyWaiting) -> None:
        self._show_state(waiting=True)
        self.notify(
            "Another presse is updating this index: showing it as it is; the new articles"
            " will appear when it is done.",
            title="Index busy",
            markup=False,
        )

    def on_presse_app_index_read_only(self, message: PresseApp.IndexReadOnly) -> None:
        assert self.corpus is not None
        self._show_state(read_only=True)
        self.notify(
            f"The index in {self.corpus.index_dir} cannot be written: it is shown as it is,"
            " new files are not indexed, and bookmarks cannot be saved.",
            title="Read-only index",
            severity="warning",
            timeout=10,
            markup=False,
        )
        if self.reader is not None:
            self.reader.load_wire_counts()

    def on_presse_app_index_updated(self, message: PresseApp.IndexUpdated) -> None:
        report = message.report
        for search in self._searches():
            search.index_updated()
        if self.reader is not None:
            self.reader.progress = None
            if message.waited and self.corpus is not None:
                self.corpus.refresh()  # what the other process committed
                self.reader.reload(
                    {
                        *(summary.id for summary in self.reader.summaries),
                        *(summary.id for summary in self.corpus.articles()),
                    }
                )
            elif report.changed:
                self.reader.reload({*report.added, *report.updated, *report.removed})
        self._show_state()
        if self.reader is not None:
            # Now, not at start-up: the first count after a change reads the whole corpus,
            # and takes the index's lock, which the update held until now.
            self.reader.load_wire_counts()
        self._settle_due = True
        if report.changed:
            self.notify(describe_report(report), title="Index updated", markup=False)
        if report.skipped:
            self.notify(
                describe_skipped(report),
                title="Files skipped",
                severity="warning",
                timeout=10,
                markup=False,
            )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "index" or event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if self.reader is not None:
            self.reader.progress = None
            self.reader.load_wire_counts()  # those of the index as it is
        self._show_state(failed=True)
        if isinstance(error, PresseError):
            message = str(error)
        else:
            message = f"{type(error).__name__}: {error}"
        self.notify(
            message, title="The index was not updated", severity="error", timeout=15, markup=False
        )

    def _show_state(
        self,
        progress: Progress | None = None,
        *,
        failed: bool = False,
        checking: bool = False,
        waiting: bool = False,
        read_only: bool = False,
    ) -> None:
        """The header's subtitle: how many articles there are, and the state of the index."""
        if progress is not None:
            stage = STAGES.get(progress.stage, progress.stage).lower()
            self.sub_title = f"{stage} {progress.done}/{progress.total}…"
            return
        # (every article, also while the list shows its first page: `article_count`)
        count = self.reader.article_count if self.reader is not None else 0
        state = f"{count} article{'s' if count != 1 else ''}"
        if failed:
            state += " · index not updated"
        elif waiting:
            state += " · another presse is updating the index…"
        elif read_only:
            state += " · read-only index"
        elif checking:
            state += " · looking for new files…"
        else:
            state += " · index up to date"
        self.sub_title = state

    # -- actions ----------------------------------------------------------------
    async def action_quit(self) -> None:
        if self.reader is not None:
            self.reader.save_state()
        self.exit()

    def action_help(self) -> None:
        screen = self.screen
        if not isinstance(screen, HelpScreen):
            notes = getattr(screen, "HELP_NOTES", None)
            self.push_screen(HelpScreen(key_sections(screen), notes))


def describe_report(report: IngestReport) -> str:
    """`Indexed 5 articles: 5 added` and the like."""
    parts = [
        f"{len(names)} {what}"
        for names, what in (
            (report.added, "added"),
            (report.updated, "updated"),
            (report.removed, "removed"),
        )
        if names
    ]
    count = report.articles
    return f"Indexed {count} article{'s' if count != 1 else ''}: {', '.join(parts)}"


def describe_skipped(report: IngestReport) -> str:
    lines = [f"{one_line(s.path)}: {one_line(s.reason)}" for s in report.skipped[:SKIPPED_SHOWN]]
    if len(report.skipped) > SKIPPED_SHOWN:
        lines.append(f"… and {len(report.skipped) - SKIPPED_SHOWN} more")
    return "\n".join(lines)


def run_reader(corpus_root: Path, index_dir: Path | None = None) -> None:
    """Run the reader; exit with status 2 and one line on stderr when the corpus cannot open."""
    try:
        # Fail before the terminal switches to the full screen, not after.
        Corpus(corpus_root, index_dir).close()
    except PresseError as error:
        print(f"presse: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    app = PresseApp(corpus_root, index_dir)
    app.run()
    if app.error is not None:
        print(f"presse: {app.error}", file=sys.stderr)
    if app.return_code:
        raise SystemExit(app.return_code)
