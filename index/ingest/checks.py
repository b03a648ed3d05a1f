"""The results of the per-file work checked before they are committed.

Every result is checked, wherever it was made (this process, a local worker, a
machine of a cluster): a result from another machine went through pickling and
the network, and a worker may run broken code. What is checked is what the
catalog and the index rely on: the types, each passage and each mention inside
its article's text and in order, a mention's words those of the text, the
articles those of the file sent. `problem` says what is wrong, in a sentence, or
returns None; a file whose result is wrong is skipped with that sentence, and
not recorded, so the next update reads it again.
"""

from __future__ import annotations

from typing import Any

from index.entities.mentions import RawMention
from index.entities.ner import LABELS
from index.ingest.reading import FileResult, FileWork
from index.model import PASSAGE_KINDS, Article, Passage


def problem(work: FileWork, result: Any) -> str | None:
    """Why `result` cannot be the work done on `work`, or None when it can."""
    if not isinstance(result, FileResult):
        return f"the result is a {type(result).__name__}, not a FileResult"
    if result.rel != work.rel:
        return f"the result is that of {result.rel!r}"
    if not isinstance(result.articles, tuple) or not isinstance(result.mentions, tuple):
        return "its articles or mentions are not tuples"
    if not isinstance(result.notes, tuple) or not all(isinstance(n, str) for n in result.notes):
        return "its notes are not strings"
    if result.problem is not None:
        if not isinstance(result.problem, str) or result.articles:
            return "a file with a problem and articles, or a problem that is not a string"
        return None
    if not result.articles:
        return "no article and no problem"
    if result.mentions and len(result.mentions) != len(result.articles):
        return f"{len(result.mentions)} lists of mentions for {len(result.articles)} articles"
    for n, article in enumerate(result.articles):
        wrong = _article_problem(article, work.rel)
        if wrong is None and result.mentions:
            wrong = _mentions_problem(result.mentions[n], article.text)
        if wrong is not None:
            name = article.id if isinstance(article, Article) else f"#{n}"
            return f"article {name!r}: {wrong}"
    return None


def _article_problem(article: Any, rel: str) -> str | None:
    if not isinstance(article, Article):
        return f"a {type(article).__name__}, not an Article"
    strings = (article.id, article.path, article.title, article.date, article.lang, article.text)
    if not all(isinstance(value, str) for value in strings) or not article.id:
        return "a field that is not a string, or no id"
    if article.path != rel:
        return f"its path is {article.path!r}"
    if not isinstance(article.passages, tuple) or not article.passages:
        return "no passages"
    end = 0
    for n, passage in enumerate(article.passages):
        if not isinstance(passage, Passage) or not _ints(passage.n, passage.start, passage.end):
            return f"passage {n} is malformed"
        if passage.n != n or passage.kind not in PASSAGE_KINDS or not isinstance(passage.lang, str):
            return f"passage {n} has a wrong number, kind or language"
        if not end <= passage.start <= passage.end <= len(article.text):
            return f"passage {n} lies outside the text or out of order"
        end = passage.end
    return None


def _mentions_problem(mentions: Any, text: str) -> str | None:
    if not isinstance(mentions, tuple):
        return "its mentions are not a tuple"
    for mention in mentions:
        if not isinstance(mention, RawMention) or not _ints(mention.start, mention.end):
            return "a mention is malformed"
        if not 0 <= mention.start < mention.end <= len(text):
            return f"a mention ({mention.start}, {mention.end}) lies outside the text"
        if mention.text != text[mention.start : mention.end] or mention.label not in LABELS:
            return f"the mention {mention.text!r} is not the text's, or has a wrong label"
    return None


def _ints(*values: Any) -> bool:
    return all(type(value) is int for value in values)
