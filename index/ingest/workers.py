"""Where the per-file work of an update runs: in this process, or in worker processes.

An update reads the bytes of a batch of files in its own process and hands them
to its `Workers`; it asks for a batch's results only when it is about to commit
it. Every kind of workers runs the same function, `reading.read_batch` (decode,
clean, languages, the entity model), and sends back plain results, which the
update checks and commits:

- `InProcess` runs it at once, in this process;
- `Processes` runs it in local worker processes, several batches ahead of the
  commits: the main process reads the next files and writes the index while
  the workers work. Each worker loads the model once, for the whole run;
- `index.ingest.cluster.Cluster` (imported only for `--cluster`) runs it on the
  workers of a Dask cluster.

Local workers start with `spawn`: a fork of a process with threads (a progress
bar's, the reader's) may copy a lock in the wrong state. They ignore ctrl+c,
which the main process handles: it stops them and keeps what it committed.
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

from index.ingest.reading import FileResult, FileWork, read_batch

# Batches given to each worker ahead of the commits: 32 of 16 news articles are some
# twenty seconds of the model's work, which the workers go on with while the main
# process writes the full-text index along an ingest (see `updating.SYNC_ARTICLES`;
# at 10,000 articles, its longest write).
BATCHES_AHEAD = 32
# How often a worker checks that the process that started it is still there.
PARENT_CHECK_SECONDS = 1.0


class Pending(Protocol):
    """A batch given to the workers; `result()` waits for its results, in its order."""

    def result(self) -> list[FileResult]: ...


class Workers(Protocol):
    """Runs `read_batch` on batches of files; a context manager that stops its workers."""

    @property
    def parallel(self) -> bool:
        """Whether the work runs beside this process (then the index is written along
        the way, while the workers work)."""
        ...

    @property
    def in_flight(self) -> int:
        """How many batches may be given before the first is asked for."""
        ...

    @property
    def notes(self) -> Sequence[str]:
        """What the user should know of them (for the update's report)."""
        ...

    def submit(self, works: Sequence[FileWork]) -> Pending: ...

    def close(self, *, now: bool = False) -> None: ...

    def __enter__(self) -> Workers: ...

    def __exit__(self, kind: object, error: object, trace: object) -> None: ...


class _Done:
    def __init__(self, results: list[FileResult]) -> None:
        self._results = results

    def result(self) -> list[FileResult]:
        return self._results


class _Running:
    def __init__(self, future: Future[list[FileResult]]) -> None:
        self._future = future

    def result(self) -> list[FileResult]:
        return self._future.result()


class InProcess:
    """The work done at once, in this process."""

    parallel = False
    in_flight = 0
    notes: Sequence[str] = ()

    def __init__(self, entities: bool) -> None:
        self.entities = entities

    def submit(self, works: Sequence[FileWork]) -> Pending:
        return _Done(read_batch(works, self.entities))

    def close(self, *, now: bool = False) -> None:
        pass

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        pass


def _start_worker(parent: int, entities: bool) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    if entities:
        from index.entities.ner import model

        model()  # loaded once per worker, before the first batch


def _exit_with(parent: int) -> None:
    """End this worker when the process that started it is gone (killed with -9: it
    could not say so, and a worker holds its own end of the task queue, so it would
    wait for tasks forever, with its copy of the model)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


class Processes:
    """The work in `procs` local worker processes.

    Leaving it as a context manager stops the workers, at once when leaving on an
    error (batches not yet done are dropped).
    """

    parallel = True
    notes: Sequence[str] = ()

    def __init__(self, procs: int, entities: bool) -> None:
        self.procs = max(1, procs)
        self.entities = entities
        self._pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
            max_workers=self.procs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(os.getpid(), entities),
        )

    @property
    def in_flight(self) -> int:
        """Enough batches to keep the workers busy while the main process writes the
        full-text index."""
        return BATCHES_AHEAD * self.procs

    def submit(self, works: Sequence[FileWork]) -> Pending:
        assert self._pool is not None, "the workers were stopped"
        return _Running(self._pool.submit(read_batch, list(works), self.entities))

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

    def __enter__(self) -> Processes:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.close(now=error is not None)
