"""The groups of name keys the rules join (a union-find), and the articles that
write each key, asked of the corpus as the rules need them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable


class _Groups:
    """Union-find over name keys."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.parent = {key: key for key in keys}
        # (key, article, full names written there): a name alone that stands, in
        # that article, for the one of those full names (rule 5).
        self.in_article: list[tuple[str, str, list[str]]] = []
        # Acronyms joined to a name they stand for (rule 7).
        self.acronyms: set[str] = set()

    def find(self, key: str) -> str:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra

    def members(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for key in self.parent:
            groups[self.find(key)].append(key)
        return groups


class _ArticlesOf:
    """The articles that write each name key, asked of the corpus once, for the
    keys rule 5 compares (a few hundred of a corpus's thousands)."""

    def __init__(
        self,
        surfaces_of: dict[str, list[str]],
        articles_of: Callable[[Iterable[str]], dict[str, set[str]]],
    ) -> None:
        self._surfaces_of = surfaces_of
        self._articles_of = articles_of
        self._known: dict[str, set[str]] = {}

    def prefetch(self, keys: Iterable[str]) -> None:
        wanted = [k for k in keys if k not in self._known]
        found = self._articles_of(s for k in wanted for s in self._surfaces_of[k])
        for key in wanted:
            self._known[key] = {a for s in self._surfaces_of[key] for a in found.get(s, ())}

    def __getitem__(self, key: str) -> set[str]:
        if key not in self._known:
            self.prefetch([key])
        return self._known[key]
