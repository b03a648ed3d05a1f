"""`History`: the places a jump left, for `backspace` to come back to."""

from __future__ import annotations

from dataclasses import dataclass

# Jumps remembered for `backspace`.
HISTORY_LIMIT = 200


@dataclass(frozen=True)
class Place:
    """A place to come back to: an article and a passage."""

    article: str
    passage: int


class History:
    """The last `limit` places left, the latest last; the same place twice running is kept once."""

    def __init__(self, limit: int = HISTORY_LIMIT) -> None:
        self.limit = limit
        self._places: list[Place] = []

    def __len__(self) -> int:
        return len(self._places)

    def remember(self, place: Place) -> None:
        if not self._places or self._places[-1] != place:
            self._places.append(place)
            del self._places[: -self.limit]

    def back(self) -> Place | None:
        """The place left last, forgotten as it is given; None when there is none."""
        return self._places.pop() if self._places else None
