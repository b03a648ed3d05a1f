"""The entity model over batches of articles: in this process, or in worker processes.

An ingest reads and cleans files in the main process and hands batches of articles
to a `Recogniser`; it asks for the result of a batch only when it is about to
commit it. With one process the model runs at once, in this process. With
several, each worker loads the model once, for the whole run, and several batches
are in flight: the main process reads the next files and writes the index while
the workers recognise names. A worker sends back plain mentions, not spaCy
documents, so the main process pays almost nothing for the model's work.

Workers start with `spawn`: a fork of a process with threads (a progress bar's,
the reader's) may copy a lock in the wrong state. They ignore ctrl+c, which the
main process handles: it stops them and keeps what it committed.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Protocol

from index.entities.mentions import RawMention
from index.model import Article

Found = dict[str, list[RawMention]]
# Batches given to each worker ahead of the commits: 32 of 16 news articles are some
# twenty seconds of the model's work, which the workers go on with while the main
# process writes the full-text index along an ingest (see `updating.SYNC_ARTICLES`;
# at 10,000 articles, its longest write).
BATCHES_AHEAD = 32
# How often a worker checks that the process that started it is still there.
PARENT_CHECK_SECONDS = 1.0


class Pending(Protocol):
    """A batch given to the model; `result()` waits for its mentions, by article id."""

    def result(self) -> Found: ...


class _Done:
    def __init__(self, found: Found) -> None:
        self._found = found

    def result(self) -> Found:
        return self._found


class _Running:
    def __init__(self, future: Future[Found]) -> None:
        self._future = future

    def result(self) -> Found:
        return self._future.result()


def _start_worker(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    from index.entities.ner import model

    model()  # loaded once per worker, before the first batch


def _exit_with(parent: int) -> None:
    """End this worker when the process that started it is gone (killed with -9: it
    could not say so, and a worker holds its own end of the task queue, so it would
    wait for tasks forever, with its copy of the model)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _recognise(articles: Sequence[Article]) -> Found:
    from index.entities.entity_pass import recognise_articles

    return dict(recognise_articles(articles))


class Recogniser:
    """Recognises the names in batches of articles with `procs` processes.

    Use it as a context manager: leaving it stops the workers, at once when
    leaving on an error (batches not yet done are dropped).
    """

    def __init__(self, procs: int = 1) -> None:
        self.procs = max(1, procs)
        self._pool: ProcessPoolExecutor | None = None
        if self.procs > 1:
            self._pool = ProcessPoolExecutor(
                max_workers=self.procs,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )

    @property
    def in_flight(self) -> int:
        """How many batches may be given before the first is asked for: enough to keep
        the workers busy while the main process writes the full-text index."""
        return 0 if self._pool is None else BATCHES_AHEAD * self.procs

    def expect_work(self) -> None:
        """Say that articles are coming: with one process, the model starts loading
        now, in a thread, while the caller reads and cleans them (the workers of a
        pool load theirs as they start)."""
        if self._pool is None:
            from index.entities.ner import preload

            preload()

    def submit(self, articles: Sequence[Article]) -> Pending:
        if self._pool is None:
            return _Done(_recognise(articles))
        return _Running(self._pool.submit(_recognise, list(articles)))

    def close(self, *, now: bool = False) -> None:
        """Stop the workers: when they are done, or `now` (their batches are dropped)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if now:
            # A batch takes seconds: ctrl+c should not wait for it. (The executor has no
            # public way to stop its workers before Python 3.14.)
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=now)

    def __enter__(self) -> Recogniser:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.close(now=error is not None)
