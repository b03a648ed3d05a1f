"""The reader in a real terminal (a pseudo-terminal): it leaves when the terminal goes away,
even when no hang-up signal reaches it, as under `make run` (make takes the hang-up)."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from index.storage.userdata import STATE_FILE
from tests.conftest import Indexed

TIMEOUT = 60.0

# The reader, with the hang-up signal ignored as a process under `make` meets it.
READER = (
    "import signal, sys; signal.signal(signal.SIGHUP, signal.SIG_IGN); "
    "from tui.cli import main; sys.exit(main(sys.argv[1:]))"
)


def _read_until(master: int, wanted: bytes, process: subprocess.Popen[bytes]) -> bytes:
    """What the reader draws on the terminal, until `wanted` is among it."""
    seen = b""
    deadline = time.monotonic() + TIMEOUT
    while wanted not in seen:
        assert time.monotonic() < deadline, f"{wanted!r} never drawn: {seen[-500:]!r}"
        assert process.poll() is None, f"the reader ended: {seen[-500:]!r}"
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            seen += os.read(master, 65536)
    return seen


def test_the_reader_leaves_when_its_terminal_is_closed(indexed_copy: Indexed) -> None:
    try:
        master, slave = os.openpty()
    except OSError as error:  # (a machine with no pseudo-terminals at all)
        pytest.skip(f"no pseudo-terminal: {error}")
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    arguments = [str(indexed_copy.root), "--index-dir", str(indexed_copy.index_dir)]
    process = subprocess.Popen(
        [sys.executable, "-c", READER, *arguments],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**os.environ, "TERM": "xterm-256color"},
        cwd=Path(__file__).parents[2],
        start_new_session=True,
    )
    os.close(slave)
    state = indexed_copy.index_dir / STATE_FILE
    try:
        _read_until(master, b"index up to date", process)
        assert not state.exists()
        os.close(master)  # the terminal emulator closes, or tmux is killed
        master = -1
        # (Before the check, Textual read end-of-file at full CPU, forever.)
        assert process.wait(TIMEOUT) == 0
        # It left as `q` leaves: the reading position is kept.
        assert state.exists()
    finally:
        if master >= 0:
            os.close(master)
        if process.poll() is None:
            process.kill()
            process.wait()
