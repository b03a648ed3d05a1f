"""Fixtures of the system tests that drive the reader too (faults, two processes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Indexed
from tests.reader.support import Ready, make_ready


@pytest.fixture
def ready(indexed: Indexed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Ready:
    """A copy of the indexed seeds in a folder named `corpus`, the debounces shortened."""
    return make_ready(indexed, tmp_path, monkeypatch)
