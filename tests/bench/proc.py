"""Run benchmark steps in child processes and read their memory use.

A child prints one line `BENCH-JSON {...}` on stdout with its figures; its
peak memory is the kernel's high-water mark of its resident set (VmHWM),
which it reads itself just before it exits.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.bench.paths import REPO_ROOT

MARKER = "BENCH-JSON "


def _status_kb(key: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (VmHWM, else getrusage)."""
    kb = _status_kb("VmHWM")
    if kb is None:
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux
    return kb / 1024.0


def current_rss_mb() -> float:
    kb = _status_kb("VmRSS")
    return (kb if kb is not None else 0) / 1024.0


def emit(data: dict[str, Any]) -> None:
    """In a child: hand `data` (plus the peak memory) back to the parent."""
    data.setdefault("peak_rss_mb", peak_rss_mb())
    print(MARKER + json.dumps(data), flush=True)


@dataclass
class ChildResult:
    data: dict[str, Any]
    wall_seconds: float
    max_rss_children_mb: float  # the kernel's figure over all children waited for so far


class ChildFailed(RuntimeError):
    pass


def run_python(args: list[str], *, timeout: float = 600.0, cwd: Path = REPO_ROOT) -> ChildResult:
    """Run `python ARGS` (this interpreter) and return what it emitted."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    wall = time.perf_counter() - start
    lines = [line for line in proc.stdout.splitlines() if line.startswith(MARKER)]
    if proc.returncode != 0 or not lines:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        raise ChildFailed(f"child {args[:3]} exited with {proc.returncode}:\n{tail}")
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return ChildResult(json.loads(lines[-1][len(MARKER) :]), wall, children_kb / 1024.0)


def run_module(module: str, *args: str, timeout: float = 600.0) -> ChildResult:
    return run_python(["-m", module, *args], timeout=timeout)
