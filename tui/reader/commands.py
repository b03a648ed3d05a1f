"""Command palette providers of the reader: articles, entities and actions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Protocol, runtime_checkable

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from index import ArticleSummary, Entity
from tui.display import LABEL_NAME, article_title, counted, one_line
from tui.reader.comparing import Comparing
from tui.reader.entities import CorpusEntities
from tui.reader.navigation import Navigation


@runtime_checkable
class Palette(Protocol):
    """What the providers need of the screen the palette is opened on: the reader's
    articles and entities, and the parts that run its commands. (A protocol, so that
    this module imports no screen: the screen imports it.)"""

    @property
    def summaries(self) -> tuple[ArticleSummary, ...]: ...
    @property
    def entities(self) -> Mapping[str, Entity]: ...
    @property
    def article_id(self) -> str | None: ...
    @property
    def navigation(self) -> Navigation: ...
    @property
    def comparing(self) -> Comparing: ...
    @property
    def corpus_entities(self) -> CorpusEntities: ...
    def filter_by_entity(self, entity_id: str) -> None: ...
    async def run_action(self, action: str) -> None: ...


def _reader(provider: Provider) -> Palette | None:
    screen = provider.screen
    return screen if isinstance(screen, Palette) else None


def _highlight(matcher: Matcher, candidate: str) -> Content:
    """`candidate` with the letters the query matched marked, read as plain text.

    Textual's `Matcher.highlight` reads the candidate as markup: an article titled
    `[link=…]` or `[@click=app.quit]` would become a link or an action.
    """
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if not score:
        return content
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _hit(
    matcher: Matcher, command: str, action: Callable[[], object], help_text: str
) -> Hit | None:
    """A hit for `command` if the query matches it, or None."""
    score = matcher.match(command)
    if score <= 0:
        return None
    # (Textual reads `help` as markup: titles and file names are escaped.)
    return Hit(score, _highlight(matcher, command), action, text=command, help=escape(help_text))


class ArticleCommands(Provider):
    """`Open: <title>` for every article, and `Compare with: <title>` for every other."""

    async def search(self, query: str) -> Hits:
        reader = _reader(self)
        if reader is None:
            return
        matcher = self.matcher(query)
        for summary in reader.summaries:
            title = article_title(summary)
            details = one_line(" · ".join(p for p in (summary.date, summary.path) if p))
            commands: list[tuple[str, Callable[[], object], str]] = [
                (f"Open: {title}", partial(reader.navigation.read, summary.id), details)
            ]
            if reader.article_id is not None and summary.id != reader.article_id:
                commands.append(
                    (
                        f"Compare with: {title}",
                        partial(reader.comparing.compare_with, summary.id),
                        f"side by side with the article read · {details}",
                    )
                )
            for command, action, help_text in commands:
                if hit := _hit(matcher, command, action, help_text):
                    yield hit


class EntityCommands(Provider):
    """For every entity: filter the articles by it, and the corrections."""

    async def search(self, query: str) -> Hits:
        reader = _reader(self)
        if reader is None:
            return
        matcher = self.matcher(query)
        for entity in reader.entities.values():
            name = one_line(entity.name)
            label = LABEL_NAME.get(entity.label, entity.label)
            for verb, action, help_text in _entity_actions(reader, entity):
                about = f"{help_text} ({label}, {counted(entity.count, 'mention')})"
                if hit := _hit(matcher, f"{verb}: {name}", action, about):
                    yield hit


def _entity_actions(reader: Palette, entity: Entity) -> list[tuple[str, Callable[[], object], str]]:
    panel = reader.corpus_entities.panel
    return [
        ("Filter by entity", partial(reader.filter_by_entity, entity.id), "articles naming it"),
        ("Rename entity", partial(panel, entity.id, then="rename"), "a better name"),
        ("Merge entity", partial(panel, entity.id, then="merge"), "with another"),
        ("Split entity", partial(panel, entity.id, then="split"), "a spelling out"),
        ("Hide entity", partial(panel, entity.id, then="hide"), "a false entity"),
    ]


class ReaderCommands(Provider):
    """The reader's actions, by name."""

    def _commands(self) -> list[tuple[str, str, str]]:
        return [
            ("Search the articles", "search", "/"),
            ("Entities: list, filter, correct", "entities", "e"),
            ("Bookmarks and notes", "bookmarks", "B"),
            ("Bookmark the passage under the cursor", "bookmark", "b"),
            ("Export notes to Markdown", "export_notes", ""),
            ("Clear the filters", "clear_filters", "esc"),
            ("Sort the articles (file, date, title)", "cycle_sort", "s"),
            ("Show or hide the related pane", "toggle_related", "r"),
            ("Compare the article with another (choose it)", "compare_choose", "C"),
            ("Undo the last entity correction", "undo_correction", ""),
            ("Go back", "back", "backspace"),
        ]

    async def discover(self) -> Hits:
        reader = _reader(self)
        if reader is None:
            return
        for name, action, key in self._commands():
            yield DiscoveryHit(
                Text(name),
                partial(reader.run_action, action),
                text=name,
                help=f"key: {key}" if key else None,
            )

    async def search(self, query: str) -> Hits:
        reader = _reader(self)
        if reader is None:
            return
        matcher = self.matcher(query)
        for name, action, key in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(name),
                    partial(reader.run_action, action),
                    text=name,
                    help=f"key: {key}" if key else None,
                )


# The providers of the reader's screen (its `COMMANDS`).
PROVIDERS: set[type[Provider] | Callable[[], type[Provider]]] = {
    ArticleCommands,
    EntityCommands,
    ReaderCommands,
}
