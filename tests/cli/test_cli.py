"""The `presse` commands: index, search, export and entities, with --json and as Rich text.

Most cases call `tui.cli.main` in-process (capsys); a few run the installed
`presse` script end to end. XDG_CACHE_HOME points into tmp for every test
(conftest), and commands are given --index-dir wherever the test does not
check the default location.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import index.corpus
from index import Corpus
from tui.cli import main
from tui.cli.entities import LABEL_STYLES

SEED_RELS = [
    "000_34fdb793e7d525a8.txt",
    "001_c5001f9aa01043f8.txt",
    "002_e36b65c31de3faa9.txt",
    "003_17a356de9bc4f7c3.txt",
    "004_516c37a8e62c70fe.txt",
]
SEED_IDS = [rel.removesuffix(".txt") for rel in SEED_RELS]
PRESSE = Path(sys.executable).with_name("presse")


def _run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def _words(text: str) -> str:
    """Rich output with its line wrapping undone."""
    return " ".join(text.split())


def _seeded(indexed) -> list[str]:
    """Arguments naming the session's indexed seeds (already current)."""
    return [str(indexed.root), "--index-dir", str(indexed.index_dir)]


def _assert_one_clean_error(code: int, out: str, err: str) -> None:
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("presse: ")
    assert len(lines[0]) > len("presse: ") + 5
    assert "Traceback" not in out + err


# -- index -----------------------------------------------------------------------------------


def test_index_json(capsys, corpus_copy: Path, tmp_path: Path) -> None:
    args = ["index", corpus_copy, "--json", "--index-dir", tmp_path / "ix"]
    code, out, err = _run(capsys, *args)
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["added"] == SEED_RELS
    assert (report["updated"], report["removed"], report["skipped"]) == ([], [], [])
    assert report["articles"] == 5

    code, out, _ = _run(capsys, *args)
    again = json.loads(out)
    assert code == 0
    assert (again["added"], again["updated"], again["removed"]) == ([], [], [])
    assert again["unchanged"] == 5


def test_index_json_reports_skipped_files(capsys, corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "vide.txt").write_bytes(b"")
    code, out, _ = _run(capsys, "index", corpus_copy, "--json", "--index-dir", tmp_path / "ix")
    assert code == 0
    report = json.loads(out)
    assert report["skipped"] == [{"path": "vide.txt", "reason": "empty file"}]
    assert report["added"] == SEED_RELS


def test_index_text(capsys, corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "vide.txt").write_bytes(b"")
    code, out, err = _run(capsys, "index", corpus_copy, "--index-dir", tmp_path / "ix")
    assert code == 0
    assert "Traceback" not in out + err
    out = _words(out)
    assert "5 articles" in out
    assert "5 added" in out
    assert "1 skipped" in out
    assert "vide.txt" in out and "empty file" in out


def test_index_uses_the_user_cache_by_default(capsys, corpus_copy: Path) -> None:
    cache = Path(os.environ["XDG_CACHE_HOME"])
    before = sorted(p.name for p in corpus_copy.iterdir())
    code, out, _ = _run(capsys, "index", corpus_copy, "--json")
    assert code == 0
    assert json.loads(out)["added"] == SEED_RELS
    (index_dir,) = (cache / "presse").iterdir()
    assert (index_dir / "catalog.sqlite").is_file()
    assert sorted(p.name for p in corpus_copy.iterdir()) == before


# -- search ----------------------------------------------------------------------------------


def test_search_json(capsys, indexed) -> None:
    code, out, err = _run(capsys, "search", *_seeded(indexed), "veto", "--json")
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
    code, out, _ = _run(capsys, "search", *_seeded(indexed), "vetto", "--json")
    assert code == 0
    result = json.loads(out)
    assert (result["total"], result["suggestion"], result["results"]) == (0, "veto", [])


def test_search_limit(capsys, indexed) -> None:
    code, out, _ = _run(capsys, "search", *_seeded(indexed), "coree", "--json", "--limit", "2")
    assert code == 0
    result = json.loads(out)
    assert result["total"] == 5
    assert len(result["results"]) == 2


def test_search_text(capsys, indexed) -> None:
    code, out, err = _run(capsys, "search", *_seeded(indexed), "veto")
    assert (code, err) == (0, "")
    out = _words(out)
    assert "3 articles" in out
    for doc_id in (SEED_IDS[0], SEED_IDS[3], SEED_IDS[4]):
        assert doc_id in out
    assert SEED_IDS[1] not in out and SEED_IDS[2] not in out
    assert "utilisé son veto au Conseil de sécurité" in out  # a snippet


def test_search_text_suggestion(capsys, indexed) -> None:
    code, out, _ = _run(capsys, "search", *_seeded(indexed), "vetto")
    assert code == 0
    out = _words(out)
    assert "0 articles" in out
    assert "did you mean" in out and "veto?" in out


# -- export ----------------------------------------------------------------------------------


def test_export_json_lines(capsys, indexed) -> None:
    code, out, err = _run(capsys, "export", *_seeded(indexed), "--json")
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
    code, out, _ = _run(capsys, "export", *_seeded(indexed), "--json")
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
    code, out, err = _run(capsys, "export", *_seeded(indexed))
    assert (code, err) == (0, "")
    out = _words(out)
    for doc_id in SEED_IDS:
        assert doc_id in out
    assert "2024-06" in out and "2023-09" in out
    assert "caption" in out and "heading" in out and "paragraph" in out


# -- entities -------------------------------------------------------------------------------------

ENTITY_FIELDS = {"id", "name", "label", "aliases", "count", "articles", "hidden"}


def _entities_json(capsys, indexed, *args: str) -> list[dict]:
    code, out, err = _run(capsys, "entities", *_seeded(indexed), "--json", *args)
    assert (code, err) == (0, ""), err
    listed = json.loads(out)
    assert isinstance(listed, list)
    return listed


def _by_name(listed: list[dict], name: str) -> dict:
    (found,) = [e for e in listed if e["name"] == name or name in e["aliases"]]
    return found


def test_entities_json(capsys, indexed) -> None:
    listed = _entities_json(capsys, indexed)
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
    poutine = _by_name(listed, "V. Poutine")
    assert poutine["name"] == "Vladimir Poutine"
    assert {"Poutine", "V. Poutine", "Vladimir Putin"} <= set(poutine["aliases"])
    assert poutine["articles"] == SEED_IDS
    assert _by_name(listed, "Kim Jong-il")["id"] != _by_name(listed, "Kim Jong-un")["id"]


def test_entities_json_label_and_limit(capsys, indexed) -> None:
    everything = _entities_json(capsys, indexed)
    people = _entities_json(capsys, indexed, "--label", "PER")
    assert people == [e for e in everything if e["label"] == "PER"]
    assert (
        _entities_json(capsys, indexed, "--label", "loc", "--limit", "3")
        == [e for e in everything if e["label"] == "LOC"][:3]
    )
    assert _entities_json(capsys, indexed, "--limit", "0") == []


def test_entities_text(capsys, indexed, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = _run(capsys, "entities", *_seeded(indexed))
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
    code, out, _ = _run(capsys, "entities", *_seeded(indexed))
    assert code == 0
    styled = {
        label: re.findall(rf"(\x1b\[[0-9;]+m){label} *\x1b\[0m", out) for label in LABEL_STYLES
    }
    codes = {label: set(found) for label, found in styled.items()}
    for label in LABEL_STYLES:
        assert len(codes[label]) == 1, (label, codes[label])
    assert len({code for found in codes.values() for code in found}) == 4


def test_entities_corrections_end_to_end(capsys, indexed_copy) -> None:
    original = _entities_json(capsys, indexed_copy)

    # merge
    code, out, err = _run(
        capsys, "entities", *_seeded(indexed_copy), "merge", "ONU", "Nations unies", "--json"
    )
    assert (code, err) == (0, "")
    merged = json.loads(out)
    assert set(merged) == ENTITY_FIELDS
    onu, nations = _by_name(original, "ONU"), _by_name(original, "Nations unies")
    assert set(merged["aliases"]) == set(onu["aliases"]) | set(nations["aliases"])
    assert merged["count"] == onu["count"] + nations["count"]
    listed = _entities_json(capsys, indexed_copy)
    assert len(listed) == len(original) - 1
    assert _by_name(listed, "ONU") == _by_name(listed, "Nations Unies") == merged
    code, out, _ = _run(capsys, "search", *_seeded(indexed_copy), "entity:ONU", "--json")
    assert {hit["id"] for hit in json.loads(out)["results"]} == set(onu["articles"]) | set(
        nations["articles"]
    )

    # split
    code, out, _ = _run(
        capsys, "entities", *_seeded(indexed_copy), "split", "Poutine", "V. Poutine", "--json"
    )
    assert code == 0
    split = json.loads(out)
    assert (split["name"], split["aliases"], split["articles"]) == (
        "V. Poutine",
        ["V. Poutine"],
        [SEED_IDS[2]],
    )
    assert "V. Poutine" not in _by_name(_entities_json(capsys, indexed_copy), "Poutine")["aliases"]

    # rename
    code, out, _ = _run(
        capsys, "entities", *_seeded(indexed_copy), "rename", "Pentagone", "Défense (États-Unis)"
    )
    assert code == 0
    assert "renamed Pentagone to Défense (États-Unis)" in _words(out)
    renamed = _by_name(_entities_json(capsys, indexed_copy), "Pentagone")
    assert (renamed["name"], renamed["aliases"]) == ("Défense (États-Unis)", ["Pentagone"])

    # hide
    code, out, _ = _run(capsys, "entities", *_seeded(indexed_copy), "hide", "Etat", "--json")
    assert code == 0
    hidden = json.loads(out)
    assert (hidden["name"], hidden["hidden"]) == ("État", True)
    assert "État" not in {e["name"] for e in _entities_json(capsys, indexed_copy)}
    with_hidden = _entities_json(capsys, indexed_copy, "--hidden")
    assert _by_name(with_hidden, "État") == hidden

    # corrections
    code, out, _ = _run(capsys, "entities", *_seeded(indexed_copy), "corrections", "--json")
    assert code == 0
    corrections = json.loads(out)
    assert [c["action"] for c in corrections] == ["merge", "split", "rename", "hide"]
    assert all(set(c) == {"action", "entity", "other", "at"} for c in corrections)
    code, out, _ = _run(capsys, "entities", *_seeded(indexed_copy), "corrections")
    assert code == 0
    assert "4 corrections" in out and "hide Etat" in out

    # undo, all the way back
    code, out, _ = _run(capsys, "entities", *_seeded(indexed_copy), "undo", "--json")
    assert code == 0
    assert json.loads(out) == corrections[-1]
    code, out, _ = _run(capsys, "entities", *_seeded(indexed_copy), "undo")
    assert code == 0
    assert "undid rename Pentagone → Défense (États-Unis)" in _words(out)
    for _ in range(2):
        assert _run(capsys, "entities", *_seeded(indexed_copy), "undo", "--json")[0] == 0
    code, out, _ = _run(capsys, "entities", *_seeded(indexed_copy), "undo", "--json")
    assert (code, json.loads(out)) == (0, None)
    code, out, _ = _run(capsys, "entities", *_seeded(indexed_copy), "undo")
    assert (code, "nothing to undo" in out) == (0, True)
    assert _entities_json(capsys, indexed_copy) == original


def test_entities_actions_as_text(capsys, indexed_copy) -> None:
    args = _seeded(indexed_copy)
    code, out, err = _run(capsys, "entities", *args, "merge", "ONU", "Nations unies")
    assert (code, err) == (0, "")
    assert "merged ONU and Nations unies into" in _words(out)
    code, out, _ = _run(capsys, "entities", *args, "split", "Poutine", "V. Poutine")
    assert code == 0
    out = _words(out)
    assert "split V. Poutine out of Vladimir Poutine" in out
    assert "Vladimir Poutine keeps" in out
    code, out, _ = _run(capsys, "entities", *args, "hide", "Etat")
    assert code == 0
    assert "hid État" in _words(out) and "no longer listed" in out
    code, out, _ = _run(capsys, "entities", *args, "show", "Kim Jong Un")
    assert code == 0
    out = _words(out)
    assert "Kim Jong-un PER" in out and "Kim Jung-un" in out
    assert all(doc_id in out for doc_id in SEED_IDS)
    code, out, _ = _run(capsys, "entities", *args, "show", "Kim Jong Un", "--json")
    assert json.loads(out)["id"] == indexed_copy.corpus.entity("Kim Jong-un").id


def test_entities_options_before_or_after_the_action(capsys, indexed) -> None:
    corpus: Corpus = indexed.corpus
    expected = corpus.entity("Poutine").id
    for args in (
        ["entities", "--json", indexed.root, "show", "Poutine", "--index-dir", indexed.index_dir],
        ["entities", indexed.root, "show", "--index-dir", indexed.index_dir, "Poutine", "--json"],
    ):
        code, out, err = _run(capsys, *args)
        assert (code, err) == (0, "")
        assert json.loads(out)["id"] == expected


def test_entities_update_the_index_first(capsys, indexed_copy) -> None:
    (indexed_copy.root / "nouveau.txt").write_text(
        "Une visite à Oulan-Bator\n\nLe président Ukhnaagiin Khürelsükh a reçu"
        " le chancelier allemand Olaf Scholz à Oulan-Bator, en Mongolie.\n",
        encoding="utf-8",
    )
    listed = _entities_json(capsys, indexed_copy)
    assert _by_name(listed, "Olaf Scholz")["articles"] == ["nouveau"]


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
        code, out, err = _run(capsys, "entities", *_seeded(indexed), *action, *json_flag)
        _assert_one_clean_error(code, out, err)
        assert code == 1
        assert "Zorglub" in err
        assert out == ""
    assert not (indexed.index_dir / "corrections.json").exists()


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
    code, out, err = _run(capsys, "entities", *_seeded(indexed_copy), *action)
    _assert_one_clean_error(code, out, err)
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
    code, out, err = _run(capsys, "entities", *_seeded(indexed), *args)
    _assert_one_clean_error(code, out, err)
    assert code == 2
    assert not (indexed.index_dir / "corrections.json").exists()


def test_entities_bad_label_is_a_usage_error(capsys, indexed) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["entities", *_seeded(indexed), "--label", "PERSON"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "usage: presse entities" in err and "PERSON" in err
    assert "Traceback" not in err


def test_entities_help_explains_the_actions(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["entities", "--help"])
    assert exited.value.code == 0
    out = _words(capsys.readouterr().out)
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
    code, out, err = _run(
        capsys, "entities", "/nonexistent/presse-corpus", "merge", "a", "b", "--index-dir", tmp_path
    )
    _assert_one_clean_error(code, out, err)
    assert "/nonexistent/presse-corpus" in err


# -- index --procs -------------------------------------------------------------------------------


def test_index_procs_is_passed_to_update(
    capsys, corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    real = index.corpus.Corpus.update

    def update(self, progress=None, cancelled=None, procs=1):  # type: ignore[no-untyped-def]
        seen.append(procs)
        return real(self, progress=progress, cancelled=cancelled, procs=1)

    monkeypatch.setattr(index.corpus.Corpus, "update", update)
    args = ["index", corpus_copy, "--json", "--index-dir", tmp_path / "ix", "--procs", "3"]
    code, out, _ = _run(capsys, *args)
    assert code == 0
    assert json.loads(out)["added"] == SEED_RELS
    assert seen == [3]
    assert _run(capsys, "index", corpus_copy, "--index-dir", tmp_path / "ix")[0] == 0
    assert seen == [3, 0]  # by default, the engine decides from the files it has to read


def test_index_procs_really_runs_processes(capsys, tmp_path: Path) -> None:
    corpus = tmp_path / "petit"
    corpus.mkdir()
    for n, name in enumerate(["Angela Merkel", "Emmanuel Macron", "Olaf Scholz"]):
        (corpus / f"{n}.txt").write_text(
            f"Une rencontre à Berlin\n\nLe dirigeant {name} a rencontré Vladimir Poutine"
            " à Moscou, selon le Kremlin.\n",
            encoding="utf-8",
        )
    code, out, err = _run(
        capsys, "index", corpus, "--json", "--procs", "2", "--index-dir", tmp_path / "ix"
    )
    assert (code, err) == (0, "")
    assert json.loads(out)["added"] == ["0.txt", "1.txt", "2.txt"]
    listed = json.loads(
        _run(capsys, "entities", corpus, "--json", "--index-dir", tmp_path / "ix")[1]
    )
    poutine = _by_name(listed, "Vladimir Poutine")
    assert poutine["articles"] == ["0", "1", "2"]


@pytest.mark.parametrize("procs", ["0", "-2"])
def test_index_procs_must_be_positive(capsys, corpus_copy: Path, tmp_path: Path, procs) -> None:
    code, out, err = _run(capsys, "index", corpus_copy, "--procs", procs, "--index-dir", tmp_path)
    assert code == 2
    _assert_one_clean_error(code, out, err)


def test_index_help_documents_procs(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["index", "--help"])
    out = _words(capsys.readouterr().out)
    assert "--procs N" in out and "processes" in out


# -- help and bad input --------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["index", "search", "export", "entities"])
def test_help(capsys, command: str) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: presse {command}")
    assert "--json" in out and "--index-dir" in out


def test_top_level_help(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "index" in out and "search" in out and "export" in out and "entities" in out


@pytest.mark.parametrize(
    "args",
    [
        ["index", "/nonexistent/presse-corpus"],
        ["index", "/nonexistent/presse-corpus", "--json"],
        ["search", "/nonexistent/presse-corpus", "veto"],
        ["export", "/nonexistent/presse-corpus", "--json"],
    ],
)
def test_missing_folder(capsys, tmp_path: Path, args: list[str]) -> None:
    code, out, err = _run(capsys, *args, "--index-dir", tmp_path / "ix")
    _assert_one_clean_error(code, out, err)
    assert "/nonexistent/presse-corpus" in err
    assert out == ""


def test_corpus_that_is_a_file(capsys, tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text("Un article.", encoding="utf-8")
    code, out, err = _run(capsys, "index", path, "--index-dir", tmp_path / "ix")
    _assert_one_clean_error(code, out, err)


@pytest.mark.parametrize("query", ["title:(", '"neuf mois', "a)", "foo:bar", "*", ""])
def test_malformed_query(capsys, indexed, query: str) -> None:
    code, out, err = _run(capsys, "search", *_seeded(indexed), query, "--json")
    _assert_one_clean_error(code, out, err)
    assert out == ""


def test_search_without_arguments_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["search"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "usage: presse search" in err
    assert "Traceback" not in err


def test_negative_limit_is_a_usage_error(capsys, indexed) -> None:
    code, out, err = _run(capsys, "search", *_seeded(indexed), "veto", "--limit", "-1")
    assert code == 2
    _assert_one_clean_error(code, out, err)


# -- end to end, through the installed script ---------------------------------------------------


def _presse(*args: str | Path) -> subprocess.CompletedProcess[str]:
    assert PRESSE.exists(), PRESSE
    return subprocess.run(
        [str(PRESSE), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_script_search_and_export(indexed) -> None:
    done = _presse("search", *_seeded(indexed), "veto", "--json")
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout)["total"] == 3
    done = _presse("export", *_seeded(indexed), "--json")
    assert done.returncode == 0
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == SEED_IDS


def test_script_entities(indexed_copy) -> None:
    args = _seeded(indexed_copy)
    done = _presse("entities", *args, "merge", "Kim Jong-il", "Kim Il Sung", "--json")
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    merged = json.loads(done.stdout)
    assert {"Kim Jong-il", "Kim Jong Il", "Kim Il Sung"} <= set(merged["aliases"])
    done = _presse("entities", *args)
    assert done.returncode == 0
    assert "Vladimir Poutine" in done.stdout
    assert "Kim Il Sung" not in [line.split("  ")[0] for line in done.stdout.splitlines()]
    done = _presse("entities", *args, "undo", "--json")
    assert json.loads(done.stdout)["action"] == "merge"
    done = _presse("entities", *args, "hide", "Zorglub")
    _assert_one_clean_error(done.returncode, done.stdout, done.stderr)


def test_script_bad_input(indexed, tmp_path: Path) -> None:
    done = _presse("search", "/nonexistent/presse-corpus", "veto", "--index-dir", tmp_path / "ix")
    _assert_one_clean_error(done.returncode, done.stdout, done.stderr)
    done = _presse("search", *_seeded(indexed), "title:(")
    _assert_one_clean_error(done.returncode, done.stdout, done.stderr)
    done = _presse("search")
    assert done.returncode == 2
    assert "usage: presse search" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


# -- related and compare -------------------------------------------------------------------


def test_related_json(capsys, indexed) -> None:
    code, out, err = _run(capsys, "related", *_seeded(indexed), "000", "12", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["doc"].startswith("000") and data["passage"] == 12
    best = data["results"][0]
    assert set(best) >= {
        "doc",
        "passage",
        "score",
        "kind",
        "text",
        "shared_terms",
        "shared_entities",
    }
    assert (best["doc"][:3], best["passage"], best["kind"]) == ("003", 6, "near-duplicate")
    assert "neuf" in best["shared_terms"] and "kim-jong-un" in best["shared_entities"]


def test_related_text(capsys, indexed) -> None:
    code, out, _ = _run(capsys, "related", *_seeded(indexed), "000", "12", "--limit", "1")
    assert code == 0
    assert "near-duplicate" in out and "neuf mois" in _words(out)


def test_related_bad_passage_is_one_clean_error(capsys, indexed) -> None:
    _assert_one_clean_error(*_run(capsys, "related", *_seeded(indexed), "000", "99"))


def test_compare_json(capsys, indexed) -> None:
    code, out, _ = _run(capsys, "compare", *_seeded(indexed), "000", "003", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"a", "b", "pairs", "shared_entities", "only_a", "only_b"}
    pairs = {(p["a_passage"], p["b_passage"]): p for p in data["pairs"]}
    assert pairs[(12, 6)]["kind"] == "near-duplicate"
    assert "vladimir-poutine" in data["shared_entities"]


def test_compare_markdown(capsys, indexed) -> None:
    code, out, _ = _run(capsys, "compare", *_seeded(indexed), "000", "003", "--markdown")
    assert code == 0
    assert out.startswith("# ")
    assert "## Aligned passages" in out and "## Only in A" in out
    assert "**a**" in out and "**aura**" in out  # the words that differ, in bold


def test_compare_unknown_article_is_one_clean_error(capsys, indexed) -> None:
    _assert_one_clean_error(*_run(capsys, "compare", *_seeded(indexed), "000", "zzz"))
