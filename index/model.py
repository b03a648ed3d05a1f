"""The plain data the engine hands to its clients (the CLI and the reader).

Nothing here refers to Whoosh, spaCy or the terminal: every value is a frozen
dataclass of strings, numbers and tuples, so it can be cached, compared, sent
across threads and turned into JSON with `dataclasses.asdict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PassageKind = Literal["title", "subtitle", "heading", "paragraph", "caption", "boilerplate"]
PASSAGE_KINDS: tuple[PassageKind, ...] = (
    "title",
    "subtitle",
    "heading",
    "paragraph",
    "caption",
    "boilerplate",
)


@dataclass(frozen=True)
class Passage:
    """One unit of reading: a title, heading, caption or paragraph, or the page's
    boilerplate (a link teaser, a byline, a share line): kept to be read, dimmed,
    but no part of the article's words (`is_text`).

    `start`/`end` are character offsets into the article's cleaned `text`;
    passages are numbered from 0 in reading order.
    """

    n: int
    start: int
    end: int
    kind: PassageKind
    lang: str

    @property
    def is_text(self) -> bool:
        """Whether the passage is the article's own text: searched, its names
        recognised, related to others. Boilerplate is not."""
        return self.kind != "boilerplate"


@dataclass(frozen=True)
class Mention:
    """A name in an article: offsets into its text, the words, a label, the entity id."""

    start: int
    end: int
    text: str
    label: str
    entity: str


@dataclass(frozen=True)
class Entity:
    """A person, place, organisation or other name, one identity across its spellings."""

    id: str
    name: str
    label: str
    aliases: tuple[str, ...]
    count: int  # mentions in the corpus
    articles: tuple[str, ...]  # ids of the articles that name it
    hidden: bool = False


@dataclass(frozen=True)
class Article:
    """A cleaned article, as the reader shows it."""

    id: str
    path: str
    title: str
    date: str
    lang: str
    text: str
    passages: tuple[Passage, ...]
    source: str = ""
    mentions: tuple[Mention, ...] = ()
    # Where `date` was found: "metadata" (the format's own), "path" (the file's name
    # or folders), "text" (a dateline), or "" for an article without a date.
    date_source: str = ""

    def passage_text(self, passage: Passage) -> str:
        return self.text[passage.start : passage.end]


@dataclass(frozen=True)
class ArticleSummary:
    """What the article list needs, without the text."""

    id: str
    path: str
    title: str
    date: str
    lang: str
    source: str
    n_passages: int
    n_chars: int
    date_source: str = ""


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


@dataclass
class IngestReport:
    """What one `update` did. Paths are relative to the corpus."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    articles: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # things the user should know

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass(frozen=True)
class Progress:
    """A step of an ingest, for progress bars, by `stage`:

    - `reading`: `done` of `total` files read and cleaned (`path` the one at hand);
    - `names`: `done` of `total` files whose names the entity model found, committed:
      their articles are listed from then on (it runs behind `reading`, the model being
      slower than the reading);
    - `entities`: the spellings grouped into entities over the whole corpus (0 of 1,
      then 1 of 1);
    - `indexing`: `done` of `total` articles written into the full-text index, which
      searches find once it is at its end.
    """

    done: int
    total: int
    path: str
    stage: str = "reading"


@dataclass(frozen=True)
class Snippet:
    """A short excerpt with the matched words marked by (start, end) offsets."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class SearchHit:
    id: str
    title: str
    date: str
    path: str
    score: float
    snippet: Snippet
    # Character offsets of the hits inside the article's cleaned text, in order.
    hits: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    suggestion: str | None
    results: tuple[SearchHit, ...]


# The kinds of related passages that state the same thing as the source.
STATING_KINDS = ("near-duplicate", "same-fact")


@dataclass(frozen=True)
class RelatedPassage:
    """A passage of another article related to the one being read, and why."""

    doc: str
    passage: int
    title: str
    score: float
    # "near-duplicate" (the evidence sentences share most of their wording),
    # "same-fact" (the same event and detail, any wording) or "same-subject"
    kind: str
    text: str
    shared_terms: tuple[str, ...]  # words of the evidence sentence the source's shares
    shared_entities: tuple[str, ...]  # entity ids both passages name
    marks: tuple[tuple[int, int], ...] = ()  # spans of the shared words in `text`
    # The evidence: the sentence of `text` that matches (start, end), and the sentence
    # of the source passage's text it matches.
    sentence: tuple[int, int] = (0, 0)
    source_sentence: tuple[int, int] = (0, 0)
    reused: float = 0.0  # share of the shorter evidence sentence in shared word runs

    @property
    def states_it(self) -> bool:
        """Whether this passage states what the source does (not only its subject)."""
        return self.kind in STATING_KINDS


@dataclass(frozen=True)
class RelatedResult:
    doc: str
    passage: int
    results: tuple[RelatedPassage, ...]

    @property
    def stated_elsewhere(self) -> bool:
        """Whether another article states what the passage does: without it, the results
        are only the nearest passages on the same subject."""
        return any(r.states_it for r in self.results)
