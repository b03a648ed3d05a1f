"""`presse entities`: the list of entities, one entity, and the user's corrections.

Reading (the list, `show`, `corrections`) reads the index as it is when another
presse is writing it; a correction writes, so it waits for that presse as
`presse index` does.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tui.cli.indexing import open_corpus, refresh, update
from tui.cli.output import EXIT_USAGE, console, error, print_json
from tui.cli.parser import ENTITY_ACTIONS, NEGATIVE_LIMIT
from tui.display import counted

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

    from index import Corpus, Correction, Entity

LABEL_STYLES = {
    "PER": "bold magenta",
    "LOC": "bold green",
    "ORG": "bold cyan",
    "MISC": "bold yellow",
}
ALIASES_SHOWN = 3
READING_ACTIONS = (None, "show", "corrections")


def cmd_entities(options: argparse.Namespace) -> int:
    action: str | None = options.action
    usage = _usage_error(options)
    if usage:
        return error(usage, EXIT_USAGE)
    corpus = open_corpus(options)
    if action in READING_ACTIONS:
        refresh(corpus, quiet=options.json)
    else:  # a correction writes: like `presse index`, it waits for another writer
        update(corpus, quiet=options.json)
    if action is None:
        return _list_entities(corpus, options)
    if action == "undo":
        return _undo(corpus, options.json)
    if action == "corrections":
        return _list_corrections(corpus, options.json)
    return _correct(corpus, action, options.names, options.json)


def _usage_error(options: argparse.Namespace) -> str | None:
    """What is wrong with the action and its arguments, if anything."""
    action: str | None = options.action
    if action is None:
        return NEGATIVE_LIMIT if options.limit is not None and options.limit < 0 else None
    if action not in ENTITY_ACTIONS:
        return f"unknown action {action!r} (one of: {', '.join(ENTITY_ACTIONS)})"
    arity, _about = ENTITY_ACTIONS[action]
    if len(options.names) != len(arity):
        return f"usage: presse entities CORPUS {' '.join((action, *arity))}"
    if options.label or options.limit is not None or options.hidden:
        return "--label, --limit and --hidden only apply to the list"
    return None


def _list_entities(corpus: Corpus, options: argparse.Namespace) -> int:
    entities = corpus.entities(label=options.label, hidden=options.hidden)
    total = len(entities)
    if options.limit is not None:
        entities = entities[: options.limit]
    if options.json:
        print_json(entities)
        return 0
    from rich.text import Text

    out = console()
    summary = Text.assemble((counted(total, "entity"), "bold"), f" in {corpus.root.name}/")
    if options.label:
        summary.append(f" · {options.label} only")
    if len(entities) < total:
        summary.append(f" · the first {len(entities)} shown")
    out.print(summary)
    if entities:
        out.print(_entity_table(entities))
    return 0


def _entity_table(entities: list[Entity]) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("name", overflow="fold")
    table.add_column("label")
    table.add_column("mentions", justify="right")
    table.add_column("articles", justify="right")
    table.add_column("aliases", overflow="fold")
    for entity in entities:
        name = Text(entity.name, "bold")
        if entity.hidden:
            name.append(" (hidden)", "dim")
        table.add_row(
            name,
            _label_text(entity.label),
            str(entity.count),
            str(len(entity.articles)),
            Text(_short_aliases(entity), "dim"),
        )
    return table


def _label_text(label: str) -> Text:
    from rich.text import Text

    return Text(label, LABEL_STYLES.get(label, "bold"))


def _short_aliases(entity: Entity) -> str:
    """The other spellings, the most frequent first: `Poutine, V. Poutine, … (+2)`."""
    others = [alias for alias in entity.aliases if alias != entity.name]
    shown = ", ".join(others[:ALIASES_SHOWN])
    if len(others) > ALIASES_SHOWN:
        shown += f", … (+{len(others) - ALIASES_SHOWN})"
    return shown


def _correct(corpus: Corpus, action: str, names: list[str], as_json: bool) -> int:
    """`show`, or a correction: its entity after it (JSON), or a line that says what it did."""
    if action == "show":
        return _show(corpus.entity(names[0]), as_json)
    before = corpus.entity(names[0])
    entity, done = _apply(corpus, action, names, before)
    if as_json:
        print_json(entity)
        return 0
    _print_entity(entity, done)
    from rich.text import Text

    if action == "hide":
        console().print(Text("  no longer listed, highlighted or searchable", "dim"))
    if action == "split":
        kept = [alias for alias in before.aliases if alias not in entity.aliases]
        if kept:
            remaining = corpus.entity(kept[0])
            console().print(Text(f"  {remaining.name} keeps {', '.join(remaining.aliases)}", "dim"))
    return 0


def _show(entity: Entity, as_json: bool) -> int:
    if as_json:
        print_json(entity)
    else:
        _print_entity(entity, "")
    return 0


def _apply(corpus: Corpus, action: str, names: list[str], before: Entity) -> tuple[Entity, str]:
    """Make the correction; the entity it leaves and the words that say what was done."""
    if action == "merge":
        other = corpus.entity(names[1])
        return (
            corpus.merge_entities(names[0], names[1]),
            f"merged {before.name} and {other.name} into",
        )
    if action == "split":
        return (
            corpus.split_alias(names[0], names[1]),
            f"split {names[1]} out of {before.name}: now",
        )
    if action == "rename":
        return corpus.rename_entity(names[0], names[1]), f"renamed {before.name} to"
    return corpus.hide_entity(names[0]), "hid"


def _print_entity(entity: Entity, done: str) -> None:
    from rich.text import Text

    out = console()
    line = Text(f"{done} " if done else "")
    line.append(entity.name, "bold")
    line.append(" ")
    line.append_text(_label_text(entity.label))
    line.append(f"  {entity.id}", "dim")
    if entity.hidden:
        line.append("  hidden", "dim")
    out.print(line)
    mentions = counted(entity.count, "mention")
    articles = counted(len(entity.articles), "article")
    out.print(Text(f"  {mentions} in {articles} · aliases: {', '.join(entity.aliases)}"))
    if not done and entity.articles:
        out.print(Text("  " + " ".join(entity.articles), "cyan"))


def _describe(correction: Correction) -> str:
    if correction.action == "merge":
        return f"merge {correction.entity} + {correction.other}"
    if correction.action == "split":
        return f"split {correction.other} out of {correction.entity}"
    if correction.action == "rename":
        return f"rename {correction.entity} → {correction.other}"
    return f"hide {correction.entity}"


def _undo(corpus: Corpus, as_json: bool) -> int:
    undone = corpus.undo_correction()
    if as_json:
        print_json(undone)
        return 0
    from rich.text import Text

    if undone is None:
        console().print("nothing to undo: there are no corrections")
    else:
        console().print(Text.assemble("undid ", (_describe(undone), "bold")))
    return 0


def _list_corrections(corpus: Corpus, as_json: bool) -> int:
    corrections = corpus.corrections()
    if as_json:
        print_json(corrections)
        return 0
    from rich.text import Text

    out = console()
    out.print(Text(counted(len(corrections), "correction"), "bold"))
    for n, correction in enumerate(corrections, 1):
        out.print(Text.assemble(f"{n:>3}. ", _describe(correction), (f"  {correction.at}", "dim")))
    return 0
