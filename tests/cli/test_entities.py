"""`presse entities`: the list, `show`, the corrections and their undo, their errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from index import Corpus
from tests.cli.support import (
    SEED_IDS,
    assert_one_clean_error,
    by_name,
    entities_json,
    run,
    seeded,
    words,
)
from tui.cli import main
from tui.cli.entities import LABEL_STYLES

ENTITY_FIELDS = {"id", "name", "label", "aliases", "count", "articles", "hidden"}


def test_entities_json(capsys, indexed) -> None:
    listed = entities_json(capsys, indexed)
    corpus: Corpus = indexed.corpus
    assert listed == [
        {
            "id": e.id,
            "name": e.name,
            "label": e.label,
            "aliases": list(e.aliases),
            "count": e.count,
            "articles": list(e.articles),
            "hidden": e.hidden,
        }
        for e in corpus.entities()
    ]
    for entity in listed:
        assert set(entity) == ENTITY_FIELDS
        assert entity["label"] in {"PER", "LOC", "ORG", "MISC"}
        assert isinstance(entity["count"], int) and entity["count"] >= len(entity["articles"]) > 0
        assert set(entity["articles"]) <= set(SEED_IDS)
        assert entity["articles"] == sorted(entity["articles"])
        assert entity["hidden"] is False
    counts = [entity["count"] for entity in listed]
    assert counts == sorted(counts, reverse=True)
    poutine = by_name(listed, "V. Poutine")
    assert poutine["name"] == "Vladimir Poutine"
    assert {"Poutine", "V. Poutine", "Vladimir Putin"} <= set(poutine["aliases"])
    assert poutine["articles"] == SEED_IDS
    assert by_name(listed, "Kim Jong-il")["id"] != by_name(listed, "Kim Jong-un")["id"]


def test_entities_json_label_and_limit(capsys, indexed) -> None:
    everything = entities_json(capsys, indexed)
    people = entities_json(capsys, indexed, "--label", "PER")
    assert people == [e for e in everything if e["label"] == "PER"]
    assert (
        entities_json(capsys, indexed, "--label", "loc", "--limit", "3")
        == [e for e in everything if e["label"] == "LOC"][:3]
    )
    assert entities_json(capsys, indexed, "--limit", "0") == []


def test_entities_text(capsys, indexed, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = run(capsys, "entities", *seeded(indexed))
    assert (code, err) == (0, "")
    corpus: Corpus = indexed.corpus
    lines = out.splitlines()
    assert f"{len(corpus.entities())} entities" in lines[0]
    assert lines[1].split() == ["name", "label", "mentions", "articles", "aliases"]
    poutine = corpus.entity("Poutine")
    row = next(line for line in lines if line.startswith("Vladimir Poutine "))
    assert row.split()[2:5] == ["PER", str(poutine.count), "5"]
    assert "V. Poutine" in row and "Vladimir Putin" in row
    assert any(line.startswith("Corée du Nord ") and " LOC " in line for line in lines)
    assert any(" ORG " in line for line in lines)


def test_entities_text_colours_each_label(capsys, indexed, monkeypatch) -> None:
    assert set(LABEL_STYLES) == {"PER", "LOC", "ORG", "MISC"}
    assert len(set(LABEL_STYLES.values())) == 4
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(capsys, "entities", *seeded(indexed))
    assert code == 0
    styled = {
        label: re.findall(rf"(\x1b\[[0-9;]+m){label} *\x1b\[0m", out) for label in LABEL_STYLES
    }
    codes = {label: set(found) for label, found in styled.items()}
    for label in LABEL_STYLES:
        assert len(codes[label]) == 1, (label, codes[label])
    assert len({code for found in codes.values() for code in found}) == 4


def test_entities_corrections_end_to_end(capsys, indexed_copy) -> None:
    original = entities_json(capsys, indexed_copy)

    # merge
    code, out, err = run(
        capsys, "entities", *seeded(indexed_copy), "merge", "ONU", "Nations unies", "--json"
    )
    assert (code, err) == (0, "")
    merged = json.loads(out)
    assert set(merged) == ENTITY_FIELDS
    onu, nations = by_name(original, "ONU"), by_name(original, "Nations unies")
    assert set(merged["aliases"]) == set(onu["aliases"]) | set(nations["aliases"])
    assert merged["count"] == onu["count"] + nations["count"]
    listed = entities_json(capsys, indexed_copy)
    assert len(listed) == len(original) - 1
    assert by_name(listed, "ONU") == by_name(listed, "Nations Unies") == merged
    code, out, _ = run(capsys, "search", *seeded(indexed_copy), "entity:ONU", "--json")
    assert {hit["id"] for hit in json.loads(out)["results"]} == set(onu["articles"]) | set(
        nations["articles"]
    )

    # split
    code, out, _ = run(
        capsys, "entities", *seeded(indexed_copy), "split", "Poutine", "V. Poutine", "--json"
    )
    assert code == 0
    split = json.loads(out)
    assert (split["name"], split["aliases"], split["articles"]) == (
        "V. Poutine",
        ["V. Poutine"],
        [SEED_IDS[2]],
    )
    assert "V. Poutine" not in by_name(entities_json(capsys, indexed_copy), "Poutine")["aliases"]

    # rename
    code, out, _ = run(
        capsys, "entities", *seeded(indexed_copy), "rename", "Pentagone", "Défense (États-Unis)"
    )
    assert code == 0
    assert "renamed Pentagone to Défense (États-Unis)" in words(out)
    renamed = by_name(entities_json(capsys, indexed_copy), "Pentagone")
    assert (renamed["name"], renamed["aliases"]) == ("Défense (États-Unis)", ["Pentagone"])

    # hide
    code, out, _ = run(capsys, "entities", *seeded(indexed_copy), "hide", "Etat", "--json")
    assert code == 0
    hidden = json.loads(out)
    assert (hidden["name"], hidden["hidden"]) == ("État", True)
    assert "État" not in {e["name"] for e in entities_json(capsys, indexed_copy)}
    with_hidden = entities_json(capsys, indexed_copy, "--hidden")
    assert by_name(with_hidden, "État") == hidden

    # corrections
    code, out, _ = run(capsys, "entities", *seeded(indexed_copy), "corrections", "--json")
    assert code == 0
    corrections = json.loads(out)
    assert [c["action"] for c in corrections] == ["merge", "split", "rename", "hide"]
    assert all(set(c) == {"action", "entity", "other", "at"} for c in corrections)
    code, out, _ = run(capsys, "entities", *seeded(indexed_copy), "corrections")
    assert code == 0
    assert "4 corrections" in out and "hide Etat" in out

    # undo, all the way back
    code, out, _ = run(capsys, "entities", *seeded(indexed_copy), "undo", "--json")
    assert code == 0
    assert json.loads(out) == corrections[-1]
    code, out, _ = run(capsys, "entities", *seeded(indexed_copy), "undo")
    assert code == 0
    assert "undid rename Pentagone → Défense (États-Unis)" in words(out)
    for _ in range(2):
        assert run(capsys, "entities", *seeded(indexed_copy), "undo", "--json")[0] == 0
    code, out, _ = run(capsys, "entities", *seeded(indexed_copy), "undo", "--json")
    assert (code, json.loads(out)) == (0, None)
    code, out, _ = run(capsys, "entities", *seeded(indexed_copy), "undo")
    assert (code, "nothing to undo" in out) == (0, True)
    assert entities_json(capsys, indexed_copy) == original


def test_entities_actions_as_text(capsys, indexed_copy) -> None:
    args = seeded(indexed_copy)
    code, out, err = run(capsys, "entities", *args, "merge", "ONU", "Nations unies")
    assert (code, err) == (0, "")
    assert "merged ONU and Nations unies into" in words(out)
    code, out, _ = run(capsys, "entities", *args, "split", "Poutine", "V. Poutine")
    assert code == 0
    out = words(out)
    assert "split V. Poutine out of Vladimir Poutine" in out
    assert "Vladimir Poutine keeps" in out
    code, out, _ = run(capsys, "entities", *args, "hide", "Etat")
    assert code == 0
    assert "hid État" in words(out) and "no longer listed" in out
    code, out, _ = run(capsys, "entities", *args, "show", "Kim Jong Un")
    assert code == 0
    out = words(out)
    assert "Kim Jong-un PER" in out and "Kim Jung-un" in out
    assert all(doc_id in out for doc_id in SEED_IDS)
    code, out, _ = run(capsys, "entities", *args, "show", "Kim Jong Un", "--json")
    assert json.loads(out)["id"] == indexed_copy.corpus.entity("Kim Jong-un").id


def test_entities_options_before_or_after_the_action(capsys, indexed) -> None:
    corpus: Corpus = indexed.corpus
    expected = corpus.entity("Poutine").id
    for args in (
        ["entities", "--json", indexed.root, "show", "Poutine", "--index-dir", indexed.index_dir],
        ["entities", indexed.root, "show", "--index-dir", indexed.index_dir, "Poutine", "--json"],
    ):
        code, out, err = run(capsys, *args)
        assert (code, err) == (0, "")
        assert json.loads(out)["id"] == expected


def test_entities_update_the_index_first(capsys, indexed_copy) -> None:
    (indexed_copy.root / "nouveau.txt").write_text(
        "Une visite à Oulan-Bator\n\nLe président Ukhnaagiin Khürelsükh a reçu"
        " le chancelier allemand Olaf Scholz à Oulan-Bator, en Mongolie.\n",
        encoding="utf-8",
    )
    listed = entities_json(capsys, indexed_copy)
    assert by_name(listed, "Olaf Scholz")["articles"] == ["nouveau"]


@pytest.mark.parametrize(
    "action",
    [
        ["show", "Zorglub"],
        ["merge", "Poutine", "Zorglub"],
        ["split", "Zorglub", "Poutine"],
        ["rename", "Zorglub", "Un nom"],
        ["hide", "Zorglub"],
    ],
)
def test_entities_unknown_entity(capsys, indexed, action: list[str]) -> None:
    for json_flag in ([], ["--json"]):
        code, out, err = run(capsys, "entities", *seeded(indexed), *action, *json_flag)
        assert_one_clean_error(code, out, err)
        assert code == 1
        assert "Zorglub" in err
        assert out == ""
    assert not (indexed.index_dir / "corrections.json").exists()


def test_a_part_of_a_name_is_offered_the_whole(capsys, indexed) -> None:
    """`Putin` is no entity's name, but a word of one's spelling: the error offers it."""
    code, out, err = run(capsys, "entities", *seeded(indexed), "merge", "Poutine", "Putin")
    assert_one_clean_error(code, out, err)
    assert "no entity is named 'Putin'; did you mean 'Vladimir Poutine'?" in err


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (["merge", "Poutine", "V. Poutine"], "already one entity"),
        (["split", "Poutine", "Kim Jong-un"], "is not an alias"),
        (["split", "Pentagone", "Pentagone"], "no other alias"),
        (["rename", "Poutine", " "], "cannot be empty"),
    ],
)
def test_entities_impossible_corrections(
    capsys, indexed_copy, action: list[str], message: str
) -> None:
    code, out, err = run(capsys, "entities", *seeded(indexed_copy), *action)
    assert_one_clean_error(code, out, err)
    assert code == 1
    assert message in err
    assert indexed_copy.corpus.corrections() == []


@pytest.mark.parametrize(
    "args",
    [
        ["frobnicate"],
        ["merge", "Poutine"],
        ["merge", "Poutine", "Kim", "Moscou"],
        ["hide"],
        ["undo", "Poutine"],
        ["corrections", "now"],
        ["hide", "Etat", "--label", "LOC"],
        ["--limit", "-1"],
    ],
)
def test_entities_usage_errors(capsys, indexed, args: list[str]) -> None:
    code, out, err = run(capsys, "entities", *seeded(indexed), *args)
    assert_one_clean_error(code, out, err)
    assert code == 2
    assert not (indexed.index_dir / "corrections.json").exists()


def test_entities_bad_label_is_a_usage_error(capsys, indexed) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["entities", *seeded(indexed), "--label", "PERSON"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "usage: presse entities" in err and "PERSON" in err
    assert "Traceback" not in err


def test_entities_help_explains_the_actions(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["entities", "--help"])
    assert exited.value.code == 0
    out = words(capsys.readouterr().out)
    for usage in (
        "merge A B",
        "split ENTITY ALIAS",
        "rename ENTITY NAME",
        "hide ENTITY",
        "undo",
        "corrections",
        "--label",
        "--limit",
        "--hidden",
        "corrections.json",
    ):
        assert usage in out


def test_entities_missing_folder(capsys, tmp_path: Path) -> None:
    code, out, err = run(
        capsys, "entities", "/nonexistent/presse-corpus", "merge", "a", "b", "--index-dir", tmp_path
    )
    assert_one_clean_error(code, out, err)
    assert "/nonexistent/presse-corpus" in err
