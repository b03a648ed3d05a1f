"""Initials (rule 4) and names alone (rule 5): the full name a surname, a first
name or `V. Poutine` stands for, in the corpus or article by article."""

from __future__ import annotations

from collections import Counter, defaultdict

from index.entities.identity.groups import _ArticlesOf, _Groups
from index.entities.identity.spellings import _close_words

# A surname alone goes to the most mentioned full name if it has this many
# times the mentions of all the other full names with that word.
DOMINANCE = 3


def _same_article_target(
    groups: _Groups,
    key: str,
    candidates: list[str],
    counts: dict[str, int],
    written_in: _ArticlesOf,
    surname: bool,
) -> str | None:
    """The full name a name alone stands for, from the articles that write both."""
    own = written_in[key]
    together: dict[str, set[str]] = defaultdict(set)
    weight: Counter[str] = Counter()
    representative: dict[str, str] = {}
    for full in candidates:
        shared = own & written_in[full]
        if shared:
            root = groups.find(full)
            together[root] |= shared
            weight[root] += counts[full]
            representative.setdefault(root, full)
    if together:
        ranked = weight.most_common()
        root, best = ranked[0]
        others = sum(n for _, n in ranked[1:])
        # One full name there (or one that dominates a stray span, `Cyclisme
        # Olano`), written in most articles of the name alone: a `Laurent`
        # elsewhere may be another man.
        if (not others or best >= DOMINANCE * others) and len(together[root]) * 2 > len(own):
            return representative[root]
        # Otherwise the name alone stands for a full name article by article,
        # where its article writes one.
        for article in sorted(own):
            fulls = [full for full in candidates if article in written_in[full]]
            if fulls:
                groups.in_article.append((key, article, fulls))
        return None
    if not surname:
        return None  # a first name seen alone
    roots = {groups.find(full) for full in candidates}
    return candidates[0] if len(roots) == 1 else None


def _everywhere_with(
    groups: _Groups,
    key: str,
    candidates: list[str],
    counts: dict[str, int],
    written_in: _ArticlesOf,
) -> str | None:
    """The one full name written in every article that writes `key`, if any, and
    written more than once (a stray span, `Angersla Flèche`, is no person)."""
    own = written_in[key]
    roots = {
        groups.find(full): full
        for full in candidates
        if own and own <= written_in[full] and counts[full] >= 2
    }
    others = {groups.find(full) for full in candidates if own & written_in[full]}
    return next(iter(roots.values())) if len(roots) == 1 and len(others) == 1 else None


def _initials_and_surnames(
    groups: _Groups,
    keys: list[str],
    labels: dict[str, str],
    counts: dict[str, int],
    written_in: _ArticlesOf | None = None,
    places: dict[str, str] | None = None,
) -> None:
    full_names, by_word, by_surname = _full_names_by_word(keys, labels)
    for key in keys:
        words = key.split()
        if key in full_names:
            continue
        if len(words) >= 2 and any(len(w) == 1 for w in words):
            candidates = [
                full
                for full in by_word.get(max(words, key=len), [])
                if _matches_initials(words, full.split())
            ]
        elif len(words) == 1 and len(key) >= 2 and (labels[key] == "PER" or written_in):
            candidates = by_word.get(key, []) + by_surname.get(key, [])
            if written_in is not None and candidates:
                target = _alone_target(
                    groups, key, candidates, labels, counts, written_in, places or {}
                )
                if target is not None:
                    groups.union(target, key)
                continue
            if labels[key] != "PER":
                continue
        else:
            continue
        target = _dominant(groups, candidates, counts)
        if target is not None:
            groups.union(target, key)


def _full_names_by_word(
    keys: list[str], labels: dict[str, str]
) -> tuple[list[str], dict[str, list[str]], dict[str, list[str]]]:
    """The full names of persons, those under their first and last words, and
    the names with initials under their surnames."""
    full_names = [k for k in keys if labels[k] == "PER" and len(k.split()) >= 2]
    full_names = [k for k in full_names if all(len(w) > 1 for w in k.split())]
    by_word: dict[str, list[str]] = defaultdict(list)
    for key in full_names:
        words = key.split()
        by_word[words[0]].append(key)
        if words[-1] != words[0]:
            by_word[words[-1]].append(key)
    # `L. Jalabert` is a full name for the surname alone, if for nothing else.
    by_surname: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        words = key.split()
        initialled = len(words) >= 2 and any(len(w) == 1 for w in words[:-1])
        if labels[key] == "PER" and initialled and len(words[-1]) > 1:
            by_surname[words[-1]].append(key)
    return full_names, by_word, by_surname


def _alone_target(
    groups: _Groups,
    key: str,
    candidates: list[str],
    labels: dict[str, str],
    counts: dict[str, int],
    written_in: _ArticlesOf,
    places: dict[str, str],
) -> str | None:
    """The full name a name of one word stands for, from the articles that write it."""
    candidates = _plausible(candidates, labels, counts)
    written_in.prefetch([key, *candidates])
    surname = any(full.split()[-1] == key for full in candidates)
    if labels[key] == "PER":
        return _same_article_target(groups, key, candidates, counts, written_in, surname)
    if key not in places:
        # The model's other label for a person's surname (`Zulle` as a
        # place): only where every article that writes it names him.
        return _everywhere_with(groups, key, candidates, counts, written_in)
    return None


def _plausible(candidates: list[str], labels: dict[str, str], counts: dict[str, int]) -> list[str]:
    """The full names left when those that open with a place or an organisation the
    corpus names more often than them go (`Suisse Chirac`, `Otan Jens Stoltenberg`:
    two names run together), if any is left."""
    kept = [
        full
        for full in candidates
        if not (
            labels.get(head := full.split()[0]) in ("LOC", "ORG")
            and counts.get(head, 0) > counts[full]
        )
    ]
    return kept or candidates


def _matches_initials(short: list[str], full: list[str]) -> bool:
    """`v poutine` ~ `vladimir poutine`: initials begin the words, other words close."""
    if len(short) != len(full):
        return False
    for word, other in zip(short, full, strict=True):
        if len(word) == 1:
            if not other.startswith(word):
                return False
        elif not _close_words(word, other):
            return False
    return True


def _dominant(groups: _Groups, candidates: list[str], counts: dict[str, int]) -> str | None:
    """The candidate group that clearly dominates the others, if any."""
    weight: Counter[str] = Counter()
    representative: dict[str, str] = {}
    for key in candidates:
        root = groups.find(key)
        weight[root] += counts[key]
        representative.setdefault(root, key)
    if not weight:
        return None
    ranked = weight.most_common()
    best_root, best = ranked[0]
    others = sum(n for _, n in ranked[1:])
    if others and best < DOMINANCE * others:
        return None
    return representative[best_root]
