"""Small timing helpers: a stopwatch and percentiles."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Lap:
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # of this process (all its threads): robust to other load

    @property
    def ms(self) -> float:
        return self.seconds * 1000.0

    @property
    def cpu_ms(self) -> float:
        return self.cpu_seconds * 1000.0


@contextmanager
def stopwatch() -> Iterator[Lap]:
    """`with stopwatch() as lap: ...` then `lap.seconds` (wall clock, perf_counter) and
    `lap.cpu_seconds` (the process's CPU time)."""
    lap = Lap()
    start, cpu = time.perf_counter(), time.process_time()
    try:
        yield lap
    finally:
        lap.seconds = time.perf_counter() - start
        lap.cpu_seconds = time.process_time() - cpu


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank `q` percentile (0 < q <= 100) of `values`."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100.0 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]
