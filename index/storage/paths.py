"""Where a corpus's index lives (the user's cache directory, keyed by the corpus path),
and the names of what the index directory holds."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import platformdirs

CATALOG_NAME = "catalog.sqlite"
WHOOSH_DIR = "whoosh"
LOCK_NAME = "update.lock"


def default_index_dir(corpus: Path) -> Path:
    """`<user cache>/presse/<folder name>-<hash of the absolute path>`."""
    absolute = str(corpus.resolve())
    digest = hashlib.sha256(absolute.encode("utf-8")).hexdigest()[:12]
    name = re.sub(r"[^\w.-]+", "_", corpus.resolve().name or "root")[:40]
    return Path(platformdirs.user_cache_dir("presse")) / f"{name}-{digest}"
