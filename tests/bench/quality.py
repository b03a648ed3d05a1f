"""Reading quality on real news, the development sets of ../shared (`make bench` sections
`identity` and `samefact`).

- identity (../shared/identity: 78 historical articles, 2,413 mentions linked to
  Wikidata): B-cubed precision, recall and F1 of presse's entities over the linked
  mentions it found, the share of linked mentions found, the same scores for "one
  entity per folded string" (the baseline, on the same mentions), and the alias
  scores that isolate what the resolution adds: among pairs of found mentions with
  different folded spellings, the precision of those presse merged and the recall
  of those that name one thing;
- same fact (../shared/xref: 25 judged pairs of sentences from different BBC
  articles, both directions, and 20 "lonely" sentences): recall in the top 3 and
  MRR of `Corpus.related()`, against tf-idf cosine between the same passages in
  the same run; the share of found pairs labelled `same-fact` or `near-duplicate`;
  how many lonely sentences get such a claim at the top.

Both index a temporary working copy of the articles concerned (removed after) and
read them through the engine's API. The data stays in ../shared: nothing of it is
copied into the project.

    python -m tests.bench.quality identity WORK_DIR
    python -m tests.bench.quality samefact WORK_DIR
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import re
import shutil
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any

from tests.bench.paths import REPO_ROOT
from tests.bench.proc import emit, run_module
from tests.bench.report import Report
from tests.bench.timing import stopwatch

SHARED = REPO_ROOT.parent / "shared"
IDENTITY = SHARED / "identity"
XREF = SHARED / "xref" / "bbc_dev_same_fact.json"
BBC_FILES = "masakhanews-fra-dev-*.txt"
TOP = 3

# Targets set by the issues (entity identity; related passages).
MIN_B3_F1 = 0.92
MIN_ALIAS_PRECISION = 0.95
MIN_FOUND = 0.85
MIN_RECALL_AT_3 = 0.90
MIN_GAIN_OVER_TFIDF = 0.25
MIN_LABELLED_SAME = 0.80
MAX_LONELY_CLAIMS = 2
SAME_KINDS = ("same-fact", "near-duplicate")


def fold(text: str) -> str:
    """Case, accents, apostrophes and hyphens folded, as the baseline groups strings."""
    text = unicodedata.normalize("NFD", text.lower().replace("’", "'"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(text.replace("-", " ").split())


def _index(source: Path, work: Path) -> Any:
    from index import Corpus

    corpus = Corpus(source, work / "index")
    corpus.update(procs=0)
    return corpus


# --- identity ----------------------------------------------------------------------------
def b_cubed(
    items: Sequence[int], system: dict[int, Hashable], gold: dict[int, Hashable]
) -> dict[str, float]:
    by_system: dict[Hashable, set[int]] = defaultdict(set)
    by_gold: dict[Hashable, set[int]] = defaultdict(set)
    for item in items:
        by_system[system[item]].add(item)
        by_gold[gold[item]].add(item)
    precision = recall = 0.0
    for item in items:
        both = len(by_system[system[item]] & by_gold[gold[item]])
        precision += both / len(by_system[system[item]])
        recall += both / len(by_gold[gold[item]])
    n = len(items) or 1
    p, r = precision / n, recall / n
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _offset_map(raw: str, cleaned: str) -> dict[int, int]:
    """Each character of the file that the cleaned text kept → its offset there."""
    matcher = difflib.SequenceMatcher(None, raw, cleaned, autojunk=False)
    return {
        block.a + k: block.b + k
        for block in matcher.get_matching_blocks()
        for k in range(block.size)
    }


def _found_mention(article: Any, cover: set[int]) -> Any | None:
    """The mention of `article` covering at least half of `cover` the most."""
    best, best_overlap = None, 0
    for mention in article.mentions:
        overlap = sum(1 for k in cover if mention.start <= k < mention.end)
        if cover and overlap * 2 >= len(cover) and overlap > best_overlap:
            best, best_overlap = mention, overlap
    return best


def _alias_scores(
    items: Sequence[int], found: dict[int, str], qid: dict[int, str], text: dict[int, str]
) -> tuple[float, float]:
    merged = right = due = 0
    for key in (found, qid):
        groups: dict[str, list[int]] = defaultdict(list)
        for item in items:
            groups[key[item]].append(item)
        for members in groups.values():
            for i, x in enumerate(members):
                for y in members[i + 1 :]:
                    if text[x] == text[y]:
                        continue
                    if key is found:
                        merged += 1
                        right += qid[x] == qid[y]
                    else:
                        due += 1
    return (right / merged if merged else 1.0), (right / due if due else 1.0)


def measure_identity(work: Path) -> None:
    gold = [json.loads(line) for line in (IDENTITY / "gold.jsonl").open(encoding="utf-8")]
    with stopwatch() as clock:
        corpus = _index(IDENTITY / "articles", work)
    articles = {Path(a.path).stem: a for a in corpus.iter_articles()}
    found: dict[int, str] = {}
    text: dict[int, str] = {}
    linked = 0
    by_doc: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for i, mention in enumerate(gold):
        by_doc[mention["doc"]].append((i, mention))
    for doc, mentions in by_doc.items():
        article = articles.get(doc)
        raw = (IDENTITY / "articles" / f"{doc}.txt").read_text(encoding="utf-8")
        offsets = _offset_map(raw, article.text) if article else {}
        for i, mention in mentions:
            if mention["qid"] == "NIL":
                continue
            linked += 1
            cover = {offsets[k] for k in range(mention["start"], mention["end"]) if k in offsets}
            hit = _found_mention(article, cover) if article else None
            if hit is not None:
                found[i], text[i] = hit.entity, fold(hit.text)
    items = sorted(found)
    qid = {i: gold[i]["qid"] for i in items}
    alias_p, alias_r = _alias_scores(items, found, qid, text)
    emit(
        {
            "linked": linked,
            "found": len(items) / max(1, linked),
            "system": b_cubed(items, dict(found), dict(qid)),
            "baseline": b_cubed(items, dict(text), dict(qid)),
            "alias_precision": alias_p,
            "alias_recall": alias_r,
            "index_seconds": clock.seconds,
        }
    )


def bench_identity(report: Report, work: Path) -> None:
    data = run_module("tests.bench.quality", "identity", str(work / "identity")).data
    section = f"entity identity (../shared/identity, {data['linked']} linked mentions)"
    system, baseline = data["system"], data["baseline"]
    report.add(
        section,
        "B-cubed F1 (P / R)",
        system["f1"],
        f"{system['f1']:.3f} ({system['p']:.3f} / {system['r']:.3f})",
        f"≥ {MIN_B3_F1}",
        system["f1"] >= MIN_B3_F1,
    )
    report.add(
        section,
        "one entity per folded string: F1 (P / R)",
        baseline["f1"],
        f"{baseline['f1']:.3f} ({baseline['p']:.3f} / {baseline['r']:.3f})",
    )
    report.add(
        section,
        "B-cubed precision against the baseline's",
        system["p"] - baseline["p"],
        f"{system['p'] - baseline['p']:+.3f}",
        "≥ 0",
        system["p"] >= baseline["p"],
    )
    report.add(
        section,
        "alias precision (merges of different spellings)",
        data["alias_precision"],
        f"{data['alias_precision']:.2f}",
        f"≥ {MIN_ALIAS_PRECISION}",
        data["alias_precision"] >= MIN_ALIAS_PRECISION,
    )
    report.add(
        section,
        "alias recall",
        data["alias_recall"],
        f"{data['alias_recall']:.2f}",
    )
    report.add(
        section,
        "linked mentions found",
        data["found"],
        f"{data['found']:.0%}",
        f"≥ {MIN_FOUND:.0%}",
        data["found"] >= MIN_FOUND,
    )
    report.details["identity"] = data


# --- same fact ---------------------------------------------------------------------------
def _normalised(text: str) -> tuple[str, list[int]]:
    """`text` with runs of spaces as one and ’ as ', and where each character came from."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(text):
        ch = "'" if ch == "’" else ch
        if ch.isspace():
            if space:
                continue
            ch, space = " ", True
        else:
            space = False
        out.append(ch)
        where.append(i)
    return "".join(out), where


def locate(article: Any, snippet: str) -> list[int]:
    """The passages of `article` that the snippet overlaps (the set's own rule)."""
    text, where = _normalised(article.text)
    wanted, _ = _normalised(snippet.strip())
    k = text.find(wanted)
    if k < 0:
        return []
    start, end = where[k], where[k + len(wanted) - 1] + 1
    return [p.n for p in article.passages if p.start < end and p.end > start]


def _tfidf(articles: dict[str, Any]) -> Callable[[str, int], list[tuple[str, int]]]:
    """Ranking by tf-idf cosine between passages (folded words of 3 letters or more)."""
    counts = {
        (a.id, p.n): Counter(re.findall(r"\w{3,}", fold(a.passage_text(p))))
        for a in articles.values()
        for p in a.passages
    }
    df = Counter(word for c in counts.values() for word in c)
    n = len(counts)
    vectors = {}
    for key, c in counts.items():
        v = {w: (1 + math.log(k)) * math.log(n / df[w]) for w, k in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors[key] = {w: x / norm for w, x in v.items()}

    def rank(doc: str, n_passage: int) -> list[tuple[str, int]]:
        query = vectors[(doc, n_passage)]
        scored = [
            (sum(query.get(w, 0.0) * x for w, x in v.items()), key)
            for key, v in vectors.items()
            if key[0] != doc
        ]
        return [key for _score, key in sorted(scored, reverse=True)[:TOP]]

    return rank


def _queries(
    gold: dict[str, Any], articles: dict[str, Any]
) -> list[tuple[str, int | None, set[tuple[str, int]]]]:
    """(doc, passage, passages that state the same fact) for both directions of each pair."""
    queries = []
    for pair in gold["pairs"]:
        places = [pair["a"], pair["b"], *[tuple(x) for x in pair.get("also", [])]]
        for source in (pair["a"], pair["b"]):
            found = locate(articles[source[0]], source[1]) if source[0] in articles else []
            wanted = {
                (doc, n)
                for doc, snippet in places
                if doc != source[0] and doc in articles
                for n in locate(articles[doc], snippet)
            }
            queries.append((source[0], found[0] if found else None, wanted))
    return queries


def measure_same_fact(work: Path) -> None:
    gold = json.loads(XREF.read_text(encoding="utf-8"))
    folder = work / "bbc"
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted((SHARED / "corpus").glob(BBC_FILES)):
        shutil.copyfile(path, folder / path.name)  # a temporary working copy
    corpus = _index(folder, work)
    articles = {a.id: a for a in corpus.iter_articles()}
    baseline = _tfidf(articles)
    hits = base = labelled = 0
    reciprocal = 0.0
    missed: list[str] = []
    queries = _queries(gold, articles)
    for doc, n, wanted in queries:
        if n is None:
            missed.append(f"{doc} (not located)")
            continue
        results = corpus.related(doc, n).results
        ranks = [r for r, x in enumerate(results, 1) if (x.doc, x.passage) in wanted]
        reciprocal += 1 / ranks[0] if ranks else 0.0
        if ranks and ranks[0] <= TOP:
            hits += 1
            labelled += results[ranks[0] - 1].kind in SAME_KINDS
        else:
            missed.append(f"{doc} ¶{n}")
        base += bool(set(baseline(doc, n)) & wanted)
    claims = []
    for item in gold["lonely"]:
        doc, snippet = item["p"]
        found = locate(articles[doc], snippet) if doc in articles else []
        if not found:
            continue
        results = corpus.related(doc, found[0]).results
        if results and results[0].kind in SAME_KINDS:
            claims.append(f"{item['id']}: {results[0].kind} {results[0].score:.2f}")
    total = len(queries)
    emit(
        {
            "queries": total,
            "recall_at_3": hits / total,
            "mrr": reciprocal / total,
            "baseline": base / total,
            "labelled_same": labelled / max(1, hits),
            "lonely": len(gold["lonely"]),
            "lonely_claims": claims,
            "missed": missed,
        }
    )


def bench_same_fact(report: Report, work: Path) -> None:
    data = run_module("tests.bench.quality", "samefact", str(work / "samefact")).data
    section = f"same fact, other words (../shared/xref, {data['queries']} queries)"
    recall, baseline = data["recall_at_3"], data["baseline"]
    report.add(
        section,
        "recall in the top 3",
        recall,
        f"{recall:.2f}",
        f"≥ {MIN_RECALL_AT_3}",
        recall >= MIN_RECALL_AT_3,
    )
    report.add(section, "MRR", data["mrr"], f"{data['mrr']:.2f}")
    report.add(
        section, "tf-idf cosine, same passages: recall in the top 3", baseline, f"{baseline:.2f}"
    )
    gain = recall - baseline
    report.add(
        section,
        "gain over tf-idf",
        gain,
        f"{gain:+.2f}",
        f"≥ +{MIN_GAIN_OVER_TFIDF}",
        gain >= MIN_GAIN_OVER_TFIDF - 1e-9,
    )
    report.add(
        section,
        "found pairs labelled same-fact or near-duplicate",
        data["labelled_same"],
        f"{data['labelled_same']:.0%}",
        f"≥ {MIN_LABELLED_SAME:.0%}",
        data["labelled_same"] >= MIN_LABELLED_SAME,
    )
    claims = data["lonely_claims"]
    report.add(
        section,
        "lonely sentences claimed as the same fact",
        len(claims),
        f"{len(claims)} of {data['lonely']}",
        f"≤ {MAX_LONELY_CLAIMS}",
        len(claims) <= MAX_LONELY_CLAIMS,
    )
    report.add(section, "queries missed", data["missed"], ", ".join(data["missed"]) or "none")
    report.details["samefact"] = data


def available() -> bool:
    return IDENTITY.is_dir() and XREF.is_file()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.quality")
    parser.add_argument("step", choices=("identity", "samefact"))
    parser.add_argument("work", type=Path)
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    if args.step == "identity":
        measure_identity(args.work)
    else:
        measure_same_fact(args.work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
