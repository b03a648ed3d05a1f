"""Fixtures of the system tests: the reader's (faults, two processes), and ctrl+c as a
terminal sends it."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Indexed
from tests.reader.support import Ready, make_ready


@pytest.fixture
def ready(indexed: Indexed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Ready:
    """A copy of the indexed seeds in a folder named `corpus`, the debounces shortened."""
    return make_ready(indexed, tmp_path, monkeypatch)


@pytest.fixture(autouse=True)
def ctrl_c_reaches_the_children() -> Iterator[None]:
    """The presse these tests start gets ctrl+c as a command in a terminal's foreground
    does: with SIGINT at its default.

    A child inherits an ignored SIGINT (POSIX; what a shell does for a command sent to
    the background), and presse rightly keeps it ignored then. In a full run of the
    suite, something earlier in the session (not found yet: no Python code of ours or
    of the libraries sets it) leaves SIGINT and SIGQUIT ignored in the test process, and
    the tests of ctrl+c then met a presse that could not be stopped."""
    previous = signal.getsignal(signal.SIGINT)
    if previous != signal.SIG_IGN:
        yield
        return
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
