"""`presse search` and `presse export`, as JSON and as text."""

from __future__ import annotations

import json

from index import Corpus
from tests.cli.support import SEED_IDS, run, seeded, words


def test_search_json(capsys, indexed) -> None:
    code, out, err = run(capsys, "search", *seeded(indexed), "veto", "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert {"query", "total", "suggestion", "results"} <= set(result)
    assert (result["query"], result["total"], result["suggestion"]) == ("veto", 3, None)
    assert {hit["id"] for hit in result["results"]} == {SEED_IDS[0], SEED_IDS[3], SEED_IDS[4]}
    for hit in result["results"]:
        assert {"id", "title", "score", "snippet"} <= set(hit)
        assert hit["title"] == indexed.corpus.article(hit["id"]).title
        assert "veto" in hit["snippet"]
        assert isinstance(hit["score"], float) and hit["score"] > 0
    scores = [hit["score"] for hit in result["results"]]
    assert scores == sorted(scores, reverse=True)


def test_search_json_suggestion(capsys, indexed) -> None:
    code, out, _ = run(capsys, "search", *seeded(indexed), "vetto", "--json")
    assert code == 0
    result = json.loads(out)
    assert (result["total"], result["suggestion"], result["results"]) == (0, "veto", [])


def test_search_limit(capsys, indexed) -> None:
    code, out, _ = run(capsys, "search", *seeded(indexed), "coree", "--json", "--limit", "2")
    assert code == 0
    result = json.loads(out)
    assert result["total"] == 5
    assert len(result["results"]) == 2


def test_search_text(capsys, indexed) -> None:
    code, out, err = run(capsys, "search", *seeded(indexed), "veto")
    assert (code, err) == (0, "")
    out = words(out)
    assert "3 articles" in out
    for doc_id in (SEED_IDS[0], SEED_IDS[3], SEED_IDS[4]):
        assert doc_id in out
    assert SEED_IDS[1] not in out and SEED_IDS[2] not in out
    assert "utilisé son veto au Conseil de sécurité" in out  # a snippet


def test_search_text_suggestion(capsys, indexed) -> None:
    code, out, _ = run(capsys, "search", *seeded(indexed), "vetto")
    assert code == 0
    out = words(out)
    assert "0 articles" in out
    assert "did you mean" in out and "veto?" in out


# -- export ----------------------------------------------------------------------------------


def test_export_json_lines(capsys, indexed) -> None:
    code, out, err = run(capsys, "export", *seeded(indexed), "--json")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 5
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == SEED_IDS
    corpus: Corpus = indexed.corpus
    for record in records:
        assert {"id", "path", "title", "date", "lang", "text", "passages", "mentions"} <= set(
            record
        )
        article = corpus.article(record["id"])
        assert record["path"] == f"{record['id']}.txt"
        assert (record["title"], record["date"], record["lang"], record["text"]) == (
            article.title,
            article.date,
            article.lang,
            article.text,
        )
        text = record["text"]
        passages = record["passages"]
        assert [p["n"] for p in passages] == list(range(len(passages)))
        previous_end = 0
        for p in passages:
            assert {"n", "start", "end", "kind", "lang"} <= set(p)
            assert previous_end <= p["start"] < p["end"] <= len(text)
            assert text[p["start"] : p["end"]].strip() == text[p["start"] : p["end"]]
            previous_end = p["end"]
        assert isinstance(record["mentions"], list)
        for mention in record["mentions"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]
            assert mention["label"] and "entity" in mention
    dates = {r["id"][:3]: r["date"] for r in records}
    assert (dates["000"], dates["002"]) == ("2024-06", "2023-09")


def test_export_json_mentions(capsys, indexed) -> None:
    """Every article's mentions, as the contract has them, with offsets into its text."""
    code, out, _ = run(capsys, "export", *seeded(indexed), "--json")
    assert code == 0
    corpus: Corpus = indexed.corpus
    entity_ids = {entity.id for entity in corpus.entities()}
    for line in out.splitlines():
        record = json.loads(line)
        text, mentions = record["text"], record["mentions"]
        assert len(mentions) > 30, record["id"]
        article = corpus.article(record["id"])
        assert mentions == [
            {"start": m.start, "end": m.end, "text": m.text, "label": m.label, "entity": m.entity}
            for m in article.mentions
        ]
        previous_end = 0
        for mention in mentions:
            assert set(mention) == {"start", "end", "text", "label", "entity"}
            assert previous_end <= mention["start"] < mention["end"] <= len(text)
            previous_end = mention["end"]
            assert text[mention["start"] : mention["end"]] == mention["text"]
            assert mention["label"] in {"PER", "LOC", "ORG", "MISC"}
            assert mention["entity"] in entity_ids
    poutine = corpus.entity("Poutine").id
    assert f'"entity": "{poutine}"' in out


def test_export_text(capsys, indexed) -> None:
    code, out, err = run(capsys, "export", *seeded(indexed))
    assert (code, err) == (0, "")
    out = words(out)
    for doc_id in SEED_IDS:
        assert doc_id in out
    assert "2024-06" in out and "2023-09" in out
    assert "caption" in out and "heading" in out and "paragraph" in out
    assert "12 paragraphs, 2 headings" in out  # plurals where there are several


def test_export_to_a_file_shows_a_bar_on_the_terminal(capsys, indexed, monkeypatch) -> None:
    """`presse export … > file` on a terminal: a bar on stderr counts the articles."""
    from rich.console import Console

    from tui.cli import reading

    bars = []

    def progress_bar(stderr: Console):  # type: ignore[no-untyped-def]
        bars.append(reading_bar(stderr))
        return bars[-1]

    reading_bar = reading.progress_bar
    monkeypatch.setattr(reading, "progress_bar", progress_bar)
    monkeypatch.setattr(
        reading, "console", lambda stderr=False: Console(stderr=stderr, force_terminal=True)
    )
    code, out, _ = run(capsys, "export", *seeded(indexed), "--json")
    assert code == 0 and len(out.splitlines()) == 5
    (bar,) = bars
    ((task),) = bar.tasks
    assert (task.description, task.completed, task.total) == ("exporting articles", 5, 5)
