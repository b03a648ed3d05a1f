"""`presse related` and `presse compare`."""

from __future__ import annotations

import json

from tests.cli.support import assert_one_clean_error, run, seeded, words


def test_related_json(capsys, indexed) -> None:
    code, out, err = run(capsys, "related", *seeded(indexed), "000", "12", "--json")
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
    code, out, _ = run(capsys, "related", *seeded(indexed), "000", "12", "--limit", "1")
    assert code == 0
    assert "near-duplicate" in out and "neuf mois" in words(out)
    # The entities both passages name, by their names, not their ids.
    assert "both name: Corée du Nord, Extrême-Orient russe, Kim Jong-un" in words(out)
    assert "kim-jong-un" not in out


def test_related_bad_passage_is_one_clean_error(capsys, indexed) -> None:
    assert_one_clean_error(*run(capsys, "related", *seeded(indexed), "000", "99"))


def test_compare_json(capsys, indexed) -> None:
    code, out, _ = run(capsys, "compare", *seeded(indexed), "000", "003", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"a", "b", "pairs", "shared_entities", "only_a", "only_b"}
    pairs = {(p["a_passage"], p["b_passage"]): p for p in data["pairs"]}
    assert set(data["pairs"][0]) == {"a_passage", "b_passage", "score", "kind", "a_diff", "b_diff"}
    assert pairs[(12, 6)]["kind"] == "near-duplicate"
    assert pairs[(6, 2)]["kind"] == "same-fact"
    assert {p["kind"] for p in data["pairs"]} <= {"near-duplicate", "same-fact", "same-subject"}
    # One to one, but for 003 ¶7, which says what 000 ¶7 and ¶8 say.
    assert [b for _, b in pairs].count(7) == 2
    assert len({a for a, _ in pairs}) == len(pairs)
    assert 4 in data["unpaired_a"]  # a heading, not paired with a paragraph
    assert "vladimir-poutine" in data["shared_entities"]


def test_compare_markdown(capsys, indexed) -> None:
    code, out, _ = run(capsys, "compare", *seeded(indexed), "000", "003", "--markdown")
    assert code == 0
    assert out.startswith("# ")
    assert "## Aligned passages" in out and "## Only in A" in out
    assert "**a**" in out and "**aura**" in out  # the words that differ, in bold
    # ... as runs: one bold stretch for the sentence of 003 ¶7 that 000 does not have.
    assert "**Selon les Occidentaux, Pyongyang a puisé dans ses vastes stocks" in out
    assert "** **" not in out
    # 003 ¶7 with the two passages of 000 it rewrites, once.
    assert "### A 7, 8 ↔ B 7 · near-duplicate" in out


def test_compare_prints_the_pairs_by_passage_number_with_their_kind(capsys, indexed) -> None:
    code, out, _ = run(capsys, "compare", *seeded(indexed), "000", "003")
    assert code == 0
    row = next(line for line in out.splitlines() if "#12 Ce voyage" in line)
    assert "#6 Le voyage" in row and "near-duplicate" in row
    assert "same-fact" in out
    assert "only in A: #0," in out


def test_compare_unknown_article_is_one_clean_error(capsys, indexed) -> None:
    assert_one_clean_error(*run(capsys, "compare", *seeded(indexed), "000", "zzz"))


def test_compare_an_article_with_itself_is_one_clean_error(capsys, indexed) -> None:
    code, out, err = run(capsys, "compare", *seeded(indexed), "000", "000_34")
    assert_one_clean_error(code, out, err)
    assert "the same article twice" in err
