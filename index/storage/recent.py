"""The articles read last, kept in memory for every thread until the index changes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from index.model import Article

# Articles kept in memory by `recent_article` (a few dozen kilobytes each, mentions included).
ARTICLES_KEPT = 160


class RecentArticles:
    """The articles read last, for every thread: the reader reads the articles around
    its cursor, and `related()` uses those it finds here for its candidates. One cache,
    least recently used out, emptied when the index changes: the reader's workers run
    on a pool of threads, and a cache per thread held a few thousand articles (with
    their mentions) at once for nothing."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[str, Article] = OrderedDict()
        self._generation = -1

    def get(self, doc_id: str, generation: int) -> Article | None:
        with self._lock:
            if generation != self._generation:
                self._items.clear()
                self._generation = generation
                return None
            article = self._items.get(doc_id)
            if article is not None:
                self._items.move_to_end(doc_id)
            return article

    def put(self, doc_id: str, generation: int, article: Article) -> None:
        with self._lock:
            if generation != self._generation:
                return  # read before a commit: out of date already
            self._items[doc_id] = article
            self._items.move_to_end(doc_id)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def article(self, doc_id: str, generation: int, read: Callable[[str], Article]) -> Article:
        """The article kept for `doc_id`, else `read(doc_id)`, kept."""
        article = self.get(doc_id, generation)
        if article is None:
            article = read(doc_id)
            self.put(doc_id, generation, article)
        return article
