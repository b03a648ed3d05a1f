"""An index directory opened: each thread's catalog and searchers, and their generation.

A SQLite connection and a Whoosh searcher serve one thread each, so every thread
opens its own; the two Whoosh indexes are opened once for all. The generation
counts this process's commits (and refreshes): a searcher opened before the last
one is opened again, and the caches of what was read start over.
"""

from __future__ import annotations

import errno
import os
import shutil
import threading
from pathlib import Path
from typing import Any

from index.errors import StorageError, storage_error
from index.search.scoring import QuickBM25F
from index.storage import store
from index.storage.catalog import Catalog
from index.storage.paths import CATALOG_NAME, LOCK_NAME, WHOOSH_DIR


class Handles:
    """The index in `index_dir` (created if need be), for every thread of a process.

    A directory this user may not write is opened `read_only` when it holds a
    catalog; otherwise, like a directory that cannot be created, it is a StorageError.
    """

    def __init__(self, index_dir: Path) -> None:
        try:
            index_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise storage_error(index_dir, error) from error
        self.index_dir = index_dir
        self.lock = index_dir / LOCK_NAME  # held by whoever writes the index
        # An index in a directory this user may not write is read as it is, never updated.
        self.read_only = not os.access(index_dir, os.W_OK)
        if self.read_only and not (index_dir / CATALOG_NAME).is_file():
            raise storage_error(index_dir, OSError(errno.EACCES, "permission denied"))
        self.generation = 0
        self._local = threading.local()
        self._indexes: dict[str, Any] = {}
        self._indexes_lock = threading.Lock()

    def ensure_schema(self, root: Path) -> None:
        """Rebuild from scratch when the index was made by another schema version."""
        catalog = self.catalog()
        version = catalog.get_meta("schema_version")
        whoosh_ok = (self.index_dir / WHOOSH_DIR).is_dir()
        if version == store.SCHEMA_VERSION and whoosh_ok:
            return
        if self.read_only:  # an index of another version, which cannot be rebuilt here
            raise storage_error(self.index_dir, OSError(errno.EACCES, "permission denied"))
        if version is not None or whoosh_ok:
            self.close()
            shutil.rmtree(self.index_dir / WHOOSH_DIR, ignore_errors=True)
            for leftover in self.index_dir.glob(CATALOG_NAME + "*"):
                leftover.unlink()
            catalog = self.catalog()
        for name in (store.ARTICLES, store.PASSAGES):
            self.index(name)
        catalog.set_meta("schema_version", store.SCHEMA_VERSION)
        catalog.set_meta("corpus", str(root))

    def catalog(self) -> Catalog:
        """This thread's connection to the catalog."""
        catalog: Catalog | None = getattr(self._local, "catalog", None)
        if catalog is None:
            try:
                catalog = Catalog(self.index_dir / CATALOG_NAME, read_only=self.read_only)
            except StorageError:
                raise
            except Exception as error:
                raise StorageError(
                    f"cannot open the catalog in {self.index_dir}: {error}"
                ) from error
            self._local.catalog = catalog
        return catalog

    def index(self, name: str) -> Any:
        """The Whoosh index `name` (`store.ARTICLES` or `store.PASSAGES`), opened once."""
        with self._indexes_lock:
            if name not in self._indexes:
                schema = (
                    store.article_schema() if name == store.ARTICLES else store.passage_schema()
                )
                self._indexes[name] = store.open_or_create(
                    self.index_dir / WHOOSH_DIR / name, schema, read_only=self.read_only
                )
            return self._indexes[name]

    def searcher(self, name: str = store.ARTICLES) -> Any:
        """This thread's searcher, refreshed after any commit since it was opened."""
        searchers: dict[str, tuple[int, Any]] = getattr(self._local, "searchers", None) or {}
        generation, searcher = searchers.get(name, (-1, None))
        if searcher is not None and generation != self.generation:
            # Not `searcher.refresh()`: it reuses the old segment readers and misses
            # the deletions of the last commit (stale and duplicate hits).
            searcher.close()
            searcher = None
        if searcher is None:
            searcher = self.index(name).searcher(weighting=QuickBM25F())
        searchers[name] = (self.generation, searcher)
        self._local.searchers = searchers
        return searcher

    def changed(self) -> None:
        """After a commit: searchers opened before are out of date."""
        self.generation += 1

    def close(self) -> None:
        """Close this thread's connections (other threads' close with them)."""
        for _generation, searcher in (getattr(self._local, "searchers", None) or {}).values():
            searcher.close()
        self._local.searchers = {}
        catalog = getattr(self._local, "catalog", None)
        if catalog is not None:
            catalog.close()
            self._local.catalog = None
