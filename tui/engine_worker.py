"""Engine calls from Textual thread workers, made with the same care every time.

A worker thread ends with its call: the index connections the engine opened for
that thread are closed with it, and a worker cancelled meanwhile (the reader
moved on) has its result dropped rather than shown late.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import get_current_worker

from index import Corpus, Entity

T = TypeVar("T")


def call_in_worker(corpus: Corpus, call: Callable[[], T]) -> T | None:
    """`call()` on this thread worker, then this thread's connections closed; `None` when
    the worker was cancelled meanwhile. Exceptions of `call` go through."""
    worker = get_current_worker()
    try:
        result = call()
    finally:
        corpus.close()
    return None if worker.is_cancelled else result


@dataclass
class EntitiesLoaded(Message):
    """The corpus's entities, most named first, read off the UI thread."""

    entities: list[Entity]
    asked: int = 0
    """Which reading of the entities this is, for a receiver that asks more than once."""


def post_entities(corpus: Corpus, target: MessagePump, asked: int = 0) -> None:
    """The body of a thread worker: read the corpus's entities and post them to `target`
    as `EntitiesLoaded` (nothing if the worker was cancelled)."""
    entities = call_in_worker(corpus, corpus.entities)
    if entities is not None:
        target.post_message(EntitiesLoaded(entities, asked))
