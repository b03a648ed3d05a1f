"""Readers for the file formats of a corpus: one file gives one or more raw documents."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RawDocument:
    """A document as read from disk, before cleaning.

    `text` is decoded text (str). `title`/`date`/`source`/`lang` are set when the
    format carries them (HTML metadata, JSON Lines fields); otherwise the cleaner
    finds them in the text.
    """

    id: str
    path: str
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    lang: str | None = None
