"""The user's corrections to the entities, kept in a readable JSON file beside the index.

Each correction names entities by words the user sees (a name or an alias),
never by internal ids, so it still applies after a re-index has renumbered
everything. The file is a list, applied in order on every resolution; undo
removes the last one. Writes are atomic (`userdata.write_text`: a temporary file
flushed and renamed over the old one), so a crash never leaves half a file; the
engine changes it only under the index's lock, so two processes never interleave
a read and a write of it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from index.entities.aliases import Corrections, name_key
from index.errors import StorageError
from index.storage.userdata import write_text

Action = Literal["merge", "split", "rename", "hide"]
ACTIONS: tuple[Action, ...] = ("merge", "split", "rename", "hide")
FILE_NAME = "corrections.json"


@dataclass(frozen=True)
class Correction:
    """`merge` entity+other, `split` alias (other) out of entity, `rename` entity to other,
    `hide` entity."""

    action: Action
    entity: str
    other: str = ""
    at: str = ""


class CorrectionLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> list[Correction]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as error:
            raise StorageError(f"cannot read the corrections in {self.path}: {error}") from error
        items = data.get("corrections", []) if isinstance(data, dict) else []
        corrections = []
        for item in items:
            if isinstance(item, dict) and item.get("action") in ACTIONS and item.get("entity"):
                corrections.append(
                    Correction(
                        item["action"],
                        str(item["entity"]),
                        str(item.get("other", "")),
                        str(item.get("at", "")),
                    )
                )
        return corrections

    def append(self, correction: Correction) -> Correction:
        stamped = Correction(
            correction.action,
            correction.entity,
            correction.other,
            correction.at or datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        self._save([*self.load(), stamped])
        return stamped

    def undo(self) -> Correction | None:
        corrections = self.load()
        if not corrections:
            return None
        self._save(corrections[:-1])
        return corrections[-1]

    def _save(self, corrections: list[Correction]) -> None:
        payload = {
            "about": "Corrections to the entities of this corpus, applied in order on every"
            " re-index. Edit with care, or use `presse entities CORPUS …`.",
            "corrections": [asdict(c) for c in corrections],
        }
        write_text(self.path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def as_rules(corrections: list[Correction]) -> Corrections:
    """The corrections in the resolver's terms (name keys)."""
    merges: list[tuple[str, str]] = []
    splits: set[str] = set()
    names: list[tuple[str, str]] = []
    hidden: set[str] = set()
    for correction in corrections:
        key = name_key(correction.entity)
        if correction.action == "merge":
            merges.append((key, name_key(correction.other)))
        elif correction.action == "split":
            splits.add(name_key(correction.other))
        elif correction.action == "rename":
            names.append((key, correction.other))
        elif correction.action == "hide":
            hidden.add(key)
    return Corrections(tuple(merges), frozenset(splits), tuple(names), frozenset(hidden))
