"""spaCy's French tokenizer, built in a tenth of the time, with the same tokens.

`spacy.lang.fr.tokenizer_exceptions` ends with one regular expression of 1.4 MB:
266 hyphenated or elided word patterns, each spelling out the class of all
lower-case letters (3,000 characters) again. Python's `re` takes two seconds of
CPU to compile it, at import, and the model's saved tokenizer compiles it once
more when it loads: half the time of loading the model, paid by every process
that recognises names (each ingest worker, each `presse index` that adds an
article).

`install()` puts an import hook in front of that one module. The module runs as
it is written, except for its last statement, which compiles `TOKEN_MATCH`;
the hook compiles the same patterns with their common tails factored out
(`(?:a|b)[letters]+$` for `a[letters]+$|b[letters]+$`), which matches the very
same strings, since a regular expression's concatenation distributes over its
alternation. The model is then loaded without its saved tokenizer
(`TOKENIZER_EXCLUDED`), so French's default tokenizer, with the factored
pattern, is used: the saved one is that same default, and a test checks that
both give the same tokens and the same entities.

Anything unexpected in the module (another spaCy version that changed it) and
the hook steps aside: the module is run whole, as spaCy wrote it.
"""

from __future__ import annotations

import ast
import importlib.abc
import importlib.machinery
import re
import sys
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import Any

MODULE = "spacy.lang.fr.tokenizer_exceptions"
TOKENIZER_EXCLUDED = "tokenizer"  # a name for `spacy.load(exclude=…)`: the saved tokenizer
_LAST_TARGET = "TOKEN_MATCH"

_installed = False
_lock = threading.Lock()


def factored_pattern(patterns: Sequence[str], letters: Sequence[str]) -> str | None:
    """One regular expression matching what `(?iu)p1|p2|…` matches, with each group
    of patterns that end the same way (from the first character class holding one
    of `letters` on) written once: `(?:head1|head2|…)tail`. None when a pattern
    holds none of `letters` in a character class."""
    groups: dict[str, list[str]] = {}
    for pattern in patterns:
        at = min((i for i in (pattern.find(chars) for chars in letters) if i >= 0), default=-1)
        start = pattern.rfind("[", 0, at)
        if at < 0 or start <= 0 or pattern[start - 1] == "\\":
            return None
        groups.setdefault(pattern[start:], []).append(pattern[:start])
    alternatives = (
        "(?:" + "|".join(f"(?:{head})" for head in heads) + ")" + tail
        for tail, heads in groups.items()
    )
    return "(?iu)" + "|".join(alternatives)


class _Loader(importlib.abc.Loader):
    def __init__(self, real: Any) -> None:
        self._real = real

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None  # the default module object

    def exec_module(self, module: ModuleType) -> None:
        source = self._real.get_source(module.__name__)
        tree = ast.parse(source)
        last = tree.body[-1] if tree.body else None
        if not (
            isinstance(last, ast.Assign)
            and [getattr(target, "id", None) for target in last.targets] == [_LAST_TARGET]
        ):
            self._real.exec_module(module)
            return
        tree.body.pop()
        exec(compile(tree, getattr(module, "__file__", None) or MODULE, "exec"), module.__dict__)
        from spacy.lang.char_classes import ALPHA, ALPHA_LOWER, ALPHA_UPPER

        letters = (ALPHA, ALPHA_LOWER, ALPHA_UPPER)
        pattern = factored_pattern(module.__dict__.get("_regular_exp", ()), letters)
        if pattern is None:
            exec(compile(ast.unparse(last), "<TOKEN_MATCH>", "exec"), module.__dict__)
            return
        setattr(module, _LAST_TARGET, re.compile(pattern).match)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "get_source"):
            return None
        spec.loader = _Loader(spec.loader)
        return spec


def install() -> bool:
    """Put the hook in place (once); False when spaCy's French module is imported already."""
    global _installed
    with _lock:
        if not _installed:
            sys.meta_path.insert(0, _Finder())
            _installed = True
    return MODULE not in sys.modules or isinstance(
        getattr(sys.modules[MODULE], "__loader__", None), _Loader
    )
