"""The per-file work on the workers of a Dask cluster (`presse index --cluster ADDRESS`).

Imported only when an update is given a cluster's address: without it, nothing of
Dask is imported. The cluster runs the same function as this process and local
worker processes, `reading.read_batch`; this process reads the files and sends
their bytes (the workers need not see the corpus's folder), and the update checks
and commits the results in order, as it does local ones, so that a run stopped
at any moment goes on from its last commit.

- On connecting, a worker plugin goes to every worker: it compares the worker's
  fingerprint (`versions`: presse and its engine's source, Python, the model, the
  libraries) with this process's, refuses a worker that differs, and loads the
  model once for the worker's life. A batch checks it again on its worker (one
  that joined later), and runs one at a time in a worker (the model is shared).
- A worker killed during a run: the scheduler runs its batches elsewhere (and a
  batch that raised is tried `RETRIES` more times). The scheduler lost, a batch
  that failed on every try, workers that keep dying on a batch: the run ends
  with a ClusterError (one line); what was committed is kept.
- Dask's own log lines are silenced while the cluster is used: what goes wrong
  is said once, by the ClusterError.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
import uuid
import warnings
from collections.abc import Sequence
from typing import Any

from index.errors import ClusterError, WorkerRefused
from index.ingest import versions
from index.ingest.reading import FileResult, FileWork, read_batch
from index.ingest.workers import BATCHES_AHEAD

try:
    import distributed
    from distributed import WorkerPlugin
except ImportError as missing:  # pragma: no cover (the `cluster` extra is not installed)
    raise ClusterError(
        f"--cluster needs Dask ({missing.name or 'distributed'} is not installed):"
        " pip install 'presse[cluster]'"
    ) from None

# How long to wait for the scheduler to answer, and for a first worker.
CONNECT_SECONDS = 10.0
CLOSE_SECONDS = 5.0
DEFAULT_PORT = 8786  # `dask scheduler`'s
# A batch whose work raised is tried again so many times (a worker that died is not
# counted here: the scheduler moves its batches, up to its `allowed-failures`).
RETRIES = 2
PLUGIN = "presse"
# Dask's nannies set it for their workers; glibc then no longer moves its mmap threshold
# with the program, and the model's work, which allocates and frees large blocks all
# the time, takes about 19 % more CPU (measured: tests/bench/cluster.py).
TRIM_VARIABLE = "MALLOC_TRIM_THRESHOLD_"
_QUIET = ("distributed", "tornado")

# One batch at a time in a worker process, whatever its threads: the model is shared.
_one_at_a_time = threading.Lock()


def run_batch(
    works: Sequence[FileWork], entities: bool, expected: tuple[tuple[str, str], ...]
) -> list[FileResult]:
    """On a worker: `read_batch`, if the worker is the same as the client."""
    _refuse_if_different(expected, distributed.get_worker().address)
    with _one_at_a_time:
        return read_batch(works, entities)


def _refuse_if_different(expected: tuple[tuple[str, str], ...], address: str) -> None:
    different = versions.differences(versions.fingerprint(), expected)
    if different:
        raise WorkerRefused(
            f"the worker {address} is refused: it has "
            + "; ".join(different)
            + "; every worker needs the same presse, model and libraries as this machine"
        )


class _Presse(WorkerPlugin):
    """On each worker, at once and when one joins: the versions checked, the model loaded."""

    def __init__(self, expected: tuple[tuple[str, str], ...], entities: bool) -> None:
        self.expected = expected
        self.entities = entities

    async def setup(self, worker: Any) -> None:
        _refuse_if_different(self.expected, worker.address)
        if self.entities:
            from index.entities.ner import model

            await asyncio.to_thread(model)


class _Remote:
    """A batch on the cluster."""

    def __init__(self, cluster: Cluster, future: Any, works: Sequence[FileWork]) -> None:
        self._cluster = cluster
        self._future = future
        self._first = works[0].rel if works else ""

    def result(self) -> list[FileResult]:
        try:
            results: list[FileResult] = self._future.result()
        except ClusterError:
            raise  # (a worker refused)
        except distributed.KilledWorker:
            raise ClusterError(
                f"the cluster's workers died while reading the batch of {self._first}; the"
                " files indexed so far are kept, and the next update goes on from there"
            ) from None
        except (Exception, asyncio.CancelledError) as error:
            if self._future.status != "error":
                raise self._cluster.lost() from None
            raise ClusterError(
                f"the work on the batch of {self._first} failed on the cluster"
                f" ({RETRIES + 1} tries): {type(error).__name__}: {error}".splitlines()[0]
            ) from None
        finally:
            self._cluster.done(self._future)
        return results


class Cluster:
    """The work on the workers of the Dask cluster whose scheduler is at `address`."""

    parallel = True

    def __init__(self, address: str, entities: bool) -> None:
        self.address = address
        self.entities = entities
        self._levels = {name: logging.getLogger(name).level for name in _loggers()}
        for name in self._levels:
            logging.getLogger(name).setLevel(logging.CRITICAL)
        self.notes: list[str] = []  # (for the update's report)
        self._futures: set[Any] = set()
        self._token = uuid.uuid4().hex[:12]
        self._submitted = 0
        self._client: Any = None
        try:
            self._client = self._connect()
            self._workers = self._prepare()
        except BaseException:
            self.close(now=True)
            raise

    def _connect(self) -> Any:
        _probe(self.address)
        try:
            return distributed.Client(  # type: ignore[no-untyped-call]
                self.address, timeout=CONNECT_SECONDS, set_as_default=False
            )
        except (OSError, asyncio.TimeoutError):
            raise ClusterError(
                f"no Dask scheduler answers at {self.address} (waited {CONNECT_SECONDS:.0f} s);"
                " start one with `dask scheduler`, or index without --cluster"
            ) from None
        except Exception as error:
            raise ClusterError(
                f"cannot use {self.address!r} as a Dask scheduler's address: {error}"
            ) from None

    def _prepare(self) -> int:
        """Check that the cluster has workers, and that they are the same as this process
        (the plugin also loads their model). Return how many workers there are."""
        client = self._client
        try:
            client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except (asyncio.TimeoutError, TimeoutError):
            raise ClusterError(
                f"the Dask scheduler at {self.address} has no worker; start some with"
                f" `dask worker {self.address}`"
            ) from None
        try:
            client.register_plugin(_Presse(versions.fingerprint(), self.entities), name=PLUGIN)
        except ClusterError:
            raise
        except Exception as error:
            raise ClusterError(
                f"a worker of the cluster at {self.address} cannot run presse's work:"
                f" {type(error).__name__}: {error}"
            ) from None
        trimmed = client.run(os.environ.get, TRIM_VARIABLE)
        if any(value is not None for value in trimmed.values()):
            self.notes.append(
                f"the cluster's workers run with {TRIM_VARIABLE} set (Dask's default), which"
                " makes their work about a fifth slower: start them with Dask's"
                f" distributed.nanny.pre-spawn-environ.{TRIM_VARIABLE} set to null"
            )
        return max(1, len(client.nthreads()))

    @property
    def in_flight(self) -> int:
        """Enough batches to keep every worker busy while this process writes the index."""
        return BATCHES_AHEAD * self._workers

    def submit(self, works: Sequence[FileWork]) -> _Remote:
        self._submitted += 1
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ("Sending large graph": a batch of big files)
            future = self._client.submit(
                run_batch,
                list(works),
                self.entities,
                versions.fingerprint(),
                key=f"presse-batch-{self._token}-{self._submitted}",
                retries=RETRIES,
                pure=False,
            )
        self._futures.add(future)
        return _Remote(self, future, works)

    def done(self, future: Any) -> None:
        self._futures.discard(future)

    def lost(self) -> ClusterError:
        return ClusterError(
            f"lost the Dask scheduler at {self.address}; the files indexed so far are kept,"
            " and the next update goes on from there"
        )

    def close(self, *, now: bool = False) -> None:
        """Let go of the cluster: the batches not yet asked for are cancelled."""
        client, self._client = self._client, None
        try:
            if client is not None:
                if self._futures:
                    client.cancel(list(self._futures))
                self._futures.clear()
                client.close(timeout=CLOSE_SECONDS)
        except (Exception, asyncio.CancelledError):
            pass  # (a scheduler gone already)
        finally:
            for name, level in self._levels.items():
                logging.getLogger(name).setLevel(level)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.close(now=error is not None)


def _probe(address: str) -> None:
    """A ClusterError at once for an address that cannot be a scheduler's, or where
    nothing listens (Dask's client would try again and again until its timeout, and
    one that failed to start leaves a thread that complains when collected)."""
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import get_backend

    try:
        scheme, location = parse_address(address)
        get_backend(scheme)
        if scheme != "tcp":
            return  # (TLS, websockets, UCX: Dask's client alone knows how to reach them)
        host, port = parse_host_port(location, default_port=DEFAULT_PORT)
    except (ValueError, TypeError) as error:
        raise ClusterError(f"{address!r} is not a Dask scheduler's address: {error}") from None
    try:
        socket.create_connection((host, port), timeout=CONNECT_SECONDS).close()
    except ConnectionRefusedError:
        raise ClusterError(
            f"no Dask scheduler at {address}: nothing listens there; start one with"
            " `dask scheduler`, or index without --cluster"
        ) from None
    except OSError as error:
        reason = "unknown host" if isinstance(error, socket.gaierror) else str(error).lower()
        raise ClusterError(f"cannot reach a Dask scheduler at {address}: {reason}") from None


def _loggers() -> list[str]:
    """The loggers of Dask and Tornado that exist now (those made later inherit)."""
    known = logging.Logger.manager.loggerDict
    return [name for name in known if name.split(".")[0] in _QUIET] + list(_QUIET)
