"""The NER section of `make bench`: the engine's entity pipeline against the bare model.

Gold: the French validation split of WikiNEuRal (`../shared/ner`, read only,
never copied into the project; `$PRESSE_BENCH_NER` points elsewhere). Each
sentence's text is rebuilt from its tokens with French spacing, so every gold
entity becomes a character span (start, end, label).

Two systems read the same sentences, in the same child process:

- raw: `fr_core_news_md` with only `ner` loaded, `nlp.pipe` on the raw texts,
  `doc.ents` with labels PER, LOC, ORG, MISC;
- pipeline: `index.entities.ner.recognise` (normalised copy, same model) then
  `index.entities.mentions.clean_spans` (the cleanup rules). Corpus-level alias
  resolution is corpus-wide and not measured here: a one-word mention marked
  `initial`, which it may drop later, counts as kept.

Scores are exact span and type, micro-averaged. Throughput is each system's
best of `runs` passes over the same texts, after a warm-up, the model loaded
before the clock. The child prints one `BENCH-JSON` line (see `proc`); the
surfaces of the commonest errors travel in it for the console only, never into
the results file (the data set's licence).

    python -m tests.bench.ner FILE [--sentences N] [--runs R]
"""

from __future__ import annotations

import argparse
import gc
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tests.bench.paths import REPO_ROOT
from tests.bench.proc import ChildFailed, emit, run_module
from tests.bench.report import Report
from tests.bench.timing import stopwatch

NER_ENV = "PRESSE_BENCH_NER"
DEFAULT_SENTENCES = 3000
DEFAULT_RUNS = 2
WARMUP_SENTENCES = 200
BATCH_SIZE = 64
TOP_ERRORS = 15
LABELS = ("PER", "LOC", "ORG", "MISC")
MODEL = "fr_core_news_md"

# Targets: the rules must not cost F1 and must buy precision, for at most a fifth of the speed.
MIN_SPEED_RATIO = 0.80
BUSY_FACTOR = 1.25

# Spacing when the text is rebuilt from its tokens.
_NO_SPACE_BEFORE = frozenset(",.):;!?%…")
_NO_SPACE_AFTER = frozenset("(")
_APOSTROPHES = ("'", "’")

# A gold or predicted entity: (start, end, label), character offsets into the sentence.
Entity = tuple[int, int, str]


def ner_file() -> Path:
    """The CoNLL file: `$PRESSE_BENCH_NER` or `../shared/ner/wikineural_fr_val.conllu`."""
    override = os.environ.get(NER_ENV)
    if override:
        return Path(override).expanduser().resolve()
    return REPO_ROOT.parent / "shared" / "ner" / "wikineural_fr_val.conllu"


# --- the gold sentences ----------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    text: str
    gold: frozenset[Entity]


def _space_before(previous: str, token: str) -> bool:
    if not previous:
        return False
    if all(c in _NO_SPACE_BEFORE for c in token):  # `,` `.` `...` `)` `%`
        return False
    if len(token) > 1 and token[0] == "-" and token[1].isalpha():  # `celle` + `-ci`
        return False
    if previous in _NO_SPACE_AFTER:
        return False
    # An elided word: `d'` + `un` → `d'un` (a lone quote is not one).
    return not (len(previous) > 1 and previous.endswith(_APOSTROPHES) and previous[-2].isalpha())


def build_sentence(tokens: Sequence[tuple[str, str]]) -> Sentence:
    """The text of `(token, BIO tag)` pairs and its gold entities as character spans."""
    parts: list[str] = []
    length = 0
    previous = ""
    entities: set[Entity] = set()
    current: list[Any] | None = None  # [start, end, label] of the entity being read
    for token, tag in tokens:
        if _space_before(previous, token):
            parts.append(" ")
            length += 1
        start, end = length, length + len(token)
        parts.append(token)
        length = end
        previous = token
        kind, _, label = tag.partition("-")
        if kind == "I" and current is not None and current[2] == label:
            current[1] = end
            continue
        if current is not None:
            entities.add((current[0], current[1], current[2]))
            current = None
        if kind in ("B", "I") and label:  # an `I-` without its `B-` opens an entity too
            current = [start, end, label]
    if current is not None:
        entities.add((current[0], current[1], current[2]))
    return Sentence("".join(parts), frozenset(entities))


def read_conll(path: Path, limit: int = 0) -> list[Sentence]:
    """The first `limit` sentences of `path` (all of them when `limit` is 0)."""
    sentences: list[Sentence] = []
    tokens: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if not line.strip():
                if tokens:
                    sentences.append(build_sentence(tokens))
                    tokens = []
                    if limit and len(sentences) >= limit:
                        return sentences
                continue
            fields = line.split("\t")
            if len(fields) < 3:
                raise ValueError(f"{path.name}: not `index<TAB>token<TAB>tag`: {line!r}")
            tokens.append((fields[1], fields[2]))
    if tokens and not (limit and len(sentences) >= limit):
        sentences.append(build_sentence(tokens))
    return sentences


# --- scores ----------------------------------------------------------------------------------


@dataclass
class Counts:
    tp: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    gold: Counter[str] = field(default_factory=Counter)

    def add(self, gold: Iterable[Entity], predicted: Iterable[Entity]) -> None:
        gold_set, predicted_set = set(gold), set(predicted)
        for entity in gold_set:
            self.gold[entity[2]] += 1
        for entity in predicted_set:
            self.predicted[entity[2]] += 1
        for entity in gold_set & predicted_set:
            self.tp[entity[2]] += 1

    def scores(self, label: str | None = None) -> dict[str, float | int]:
        """Precision, recall and F1 for one label, or micro-averaged over all (None)."""
        if label is None:
            tp, pred, gold = (sum(c.values()) for c in (self.tp, self.predicted, self.gold))
        else:
            tp, pred, gold = self.tp[label], self.predicted[label], self.gold[label]
        precision = tp / pred if pred else 0.0
        recall = tp / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "tp": tp,
            "predicted": pred,
            "gold": gold,
            "precision": precision,
            "recall": recall,
            "f1": f1,
        }

    def table(self) -> dict[str, dict[str, float | int]]:
        result = {"all": self.scores()}
        result.update({label: self.scores(label) for label in LABELS})
        return result


def score(sentences: Sequence[Sentence], predictions: Sequence[Iterable[Entity]]) -> Counts:
    counts = Counts()
    for sentence, predicted in zip(sentences, predictions, strict=True):
        counts.add(sentence.gold, predicted)
    return counts


def _surface(sentence: Sentence, entity: Entity) -> str:
    return f"{sentence.text[entity[0] : entity[1]]} ({entity[2]})"


def error_lists(
    sentences: Sequence[Sentence],
    raw: Sequence[frozenset[Entity]],
    pipeline: Sequence[frozenset[Entity]],
    top: int = TOP_ERRORS,
) -> dict[str, Any]:
    """The commonest pipeline errors, and what the rules changed against the raw model.

    `lost`: a raw span that was exactly right, and what the pipeline made of it
    (`Le Monde (ORG) → Monde`, or `dropped`). `mended`: a raw span that was wrong
    and the right one the pipeline made of it.
    """
    false_pos: Counter[str] = Counter()
    false_neg: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    mended: Counter[str] = Counter()
    for sentence, raw_ents, pipe_ents in zip(sentences, raw, pipeline, strict=True):
        gold = sentence.gold
        false_pos.update(_surface(sentence, e) for e in pipe_ents - gold)
        false_neg.update(_surface(sentence, e) for e in gold - pipe_ents)
        for entity in (raw_ents & gold) - pipe_ents:
            became = [p for p in pipe_ents if p[0] < entity[1] and entity[0] < p[1]]
            what = (
                ", ".join(f"{sentence.text[p[0] : p[1]]} ({p[2]})" for p in sorted(became))
                or "dropped"
            )
            lost[f"{_surface(sentence, entity)} → {what}"] += 1
        for entity in (pipe_ents & gold) - raw_ents:
            was = [r for r in raw_ents if r[0] < entity[1] and entity[0] < r[1]]
            what = ", ".join(f"{sentence.text[r[0] : r[1]]} ({r[2]})" for r in sorted(was))
            mended[f"{what or 'nothing'} → {_surface(sentence, entity)}"] += 1
    return {
        "false_positives": false_pos.most_common(top),
        "false_negatives": false_neg.most_common(top),
        "lost": lost.most_common(top),
        "mended": mended.most_common(top),
        "lost_total": sum(lost.values()),
        "mended_total": sum(mended.values()),
    }


# --- the child: both systems, timed ----------------------------------------------------------


def _timed(
    run: Callable[[Sequence[str]], list[frozenset[Entity]]], texts: Sequence[str]
) -> tuple[list[frozenset[Entity]], float, float]:
    gc.collect()
    cpu = time.process_time()
    with stopwatch() as lap:
        result = run(texts)
    return result, lap.seconds, time.process_time() - cpu


def measure(path: Path, limit: int, runs: int) -> dict[str, Any]:
    """Both systems on the first `limit` sentences of `path`: scores, speed, errors."""
    import spacy
    import spacy.about
    import spacy.util

    from index.entities.mentions import clean_spans
    from index.entities.ner import model, recognise

    with stopwatch() as read_lap:
        sentences = read_conll(path, limit)
    texts = [s.text for s in sentences]

    with stopwatch() as load_lap:
        meta = spacy.util.get_model_meta(spacy.util.get_package_path(MODEL))
        components = meta["components"]
        raw_nlp = spacy.load(MODEL, exclude=[c for c in components if c != "ner"])
        engine_nlp = model()

    def raw_run(batch: Sequence[str]) -> list[frozenset[Entity]]:
        return [
            frozenset((e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS)
            for doc in raw_nlp.pipe(batch, batch_size=BATCH_SIZE)
        ]

    def pipeline_run(batch: Sequence[str]) -> list[frozenset[Entity]]:
        return [
            frozenset((m.start, m.end, m.label) for m in clean_spans(text, spans))
            for text, spans in zip(batch, recognise(batch), strict=True)
        ]

    warm = texts[:WARMUP_SENTENCES]
    with stopwatch() as warm_lap:
        raw_run(warm)
        pipeline_run(warm)

    # Alternated (raw, pipeline, raw, pipeline…) so a busy spell does not hit one side only.
    timings: dict[str, list[tuple[float, float]]] = {"raw": [], "pipeline": []}
    results: dict[str, list[frozenset[Entity]]] = {}
    for _ in range(max(1, runs)):
        for name, run in (("raw", raw_run), ("pipeline", pipeline_run)):
            result, wall, cpu = _timed(run, texts)
            timings[name].append((wall, cpu))
            if results.setdefault(name, result) != result:
                raise RuntimeError(f"{name}: two runs over the same texts disagree")

    # How many pipeline mentions are one-word sentence openers, and the scores without them.
    initial_count = 0
    without_initial: list[frozenset[Entity]] = []
    for text, spans in zip(texts, recognise(texts), strict=True):
        mentions = clean_spans(text, spans)
        initial_count += sum(m.initial for m in mentions)
        without_initial.append(
            frozenset((m.start, m.end, m.label) for m in mentions if not m.initial)
        )

    chars = sum(len(t) for t in texts)
    speed: dict[str, Any] = {}
    for name, laps in timings.items():
        wall, cpu = min(laps)
        speed[name] = {
            "seconds": wall,
            "cpu_seconds": cpu,
            "runs": [w for w, _ in laps],
            "chars_per_second": chars / wall,
            "sentences_per_second": len(texts) / wall,
        }
    return {
        "file": path.name,
        "sentences": len(sentences),
        "chars": chars,
        "gold_entities": sum(len(s.gold) for s in sentences),
        "spacy": spacy.about.__version__,
        "model": f"{MODEL} {raw_nlp.meta.get('version', '?')}",
        "raw_pipes": list(raw_nlp.pipe_names),
        "engine_pipes": list(engine_nlp.pipe_names),
        "read_seconds": read_lap.seconds,
        "load_seconds": load_lap.seconds,
        "warmup_seconds": warm_lap.seconds,
        "scores": {
            "raw": score(sentences, results["raw"]).table(),
            "pipeline": score(sentences, results["pipeline"]).table(),
            "pipeline_without_initial": score(sentences, without_initial).table(),
        },
        "initial_mentions": initial_count,
        "speed": speed,
        "errors": error_lists(sentences, results["raw"], results["pipeline"]),
    }


# --- the parent: the section of the report ---------------------------------------------------


def _prf(s: dict[str, Any]) -> str:
    return f"P {s['precision']:.1%}  R {s['recall']:.1%}  F1 {s['f1']:.1%}"


def _rate(value: float, unit: str) -> str:
    return f"{value / 1e3:.1f} k{unit}" if value >= 1e3 else f"{value:.0f} {unit}"


def bench_ner(
    report: Report, console: Console, sentences: int, runs: int = DEFAULT_RUNS
) -> dict[str, Any] | None:
    """Run the measure in a child process and add the NER section to `report`."""
    path = ner_file()
    if not path.is_file():
        message = f"NER section skipped: no {path.name} at {path.parent}; set {NER_ENV} to the file"
        console.print(Text(message, style="yellow"))
        report.warnings.append(message)
        return None
    try:
        with stopwatch() as lap:
            data = run_module(
                "tests.bench.ner",
                str(path),
                "--sentences",
                str(sentences),
                "--runs",
                str(runs),
                timeout=3600.0,
            ).data
    except ChildFailed as error:  # the figures of the other sections still stand
        console.print(Text(f"NER step failed: {error}", style="red"))
        report.add("NER", "measure ran", "failed", "failed (see above)", "ran", False)
        return None
    section = f"NER ({data['sentences']:,} sentences, exact span+type)"
    report.add(
        section,
        "sentences (chars, gold entities)",
        data["sentences"],
        f"{data['sentences']:,} ({data['chars'] / 1e3:.0f} k chars, {data['gold_entities']:,})",
    )
    raw, pipe = data["scores"]["raw"], data["scores"]["pipeline"]
    for label in ("all", *LABELS):
        name = "micro" if label == "all" else label
        report.add(section, f"raw model, {name}", raw[label]["f1"], _prf(raw[label]))
        report.add(
            section,
            f"pipeline, {name}" + (" (initial kept)" if label == "all" else ""),
            pipe[label]["f1"],
            _prf(pipe[label]),
        )
    report.add(
        section,
        "pipeline F1 vs raw F1",
        pipe["all"]["f1"] - raw["all"]["f1"],
        f"{pipe['all']['f1']:.1%} vs {raw['all']['f1']:.1%}",
        "≥ raw",
        pipe["all"]["f1"] >= raw["all"]["f1"],
    )
    report.add(
        section,
        "pipeline precision vs raw",
        pipe["all"]["precision"] - raw["all"]["precision"],
        f"{pipe['all']['precision']:.1%} vs {raw['all']['precision']:.1%}",
        "> raw",
        pipe["all"]["precision"] > raw["all"]["precision"],
    )
    bare = data["scores"]["pipeline_without_initial"]["all"]
    report.add(
        section,
        f"pipeline, {data['initial_mentions']} initial mentions dropped",
        bare["f1"],
        _prf(bare),
    )
    errors = data["errors"]
    report.add(
        section,
        "rules: raw hits lost / misses mended",
        errors["lost_total"] - errors["mended_total"],
        f"{errors['lost_total']} / {errors['mended_total']}",
    )
    speed_raw, speed_pipe = data["speed"]["raw"], data["speed"]["pipeline"]
    for name, s in (("raw nlp.pipe, ner only", speed_raw), ("pipeline", speed_pipe)):
        report.add(
            section,
            f"{name}: chars/s (sent./s)",
            s["chars_per_second"],
            f"{_rate(s['chars_per_second'], 'char/s')} ({s['sentences_per_second']:.0f}/s)",
        )
        if s["seconds"] > BUSY_FACTOR * s["cpu_seconds"]:
            report.warnings.append(
                f"NER, {name}: wall {s['seconds']:.1f} s vs CPU {s['cpu_seconds']:.1f} s;"
                " the machine was busy, throughput is pessimistic"
            )
    ratio = speed_pipe["chars_per_second"] / speed_raw["chars_per_second"]
    report.add(
        section,
        f"pipeline ÷ raw throughput (best of {runs})",
        ratio,
        f"{ratio:.0%}",
        f"≥ {MIN_SPEED_RATIO:.0%}",
        ratio >= MIN_SPEED_RATIO,
    )
    report.add(
        section,
        "section time (model load, warm-up)",
        lap.seconds,
        f"{lap.seconds:.0f} s ({data['load_seconds']:.1f} s, {data['warmup_seconds']:.1f} s)",
    )
    # The figures go to the results file; the surfaces of the data set do not (its licence).
    report.details["ner"] = {
        key: value for key, value in data.items() if key not in ("errors", "file")
    } | {
        "section_seconds": lap.seconds,
        "lost_total": errors["lost_total"],
        "mended_total": errors["mended_total"],
    }
    return data


def render_errors(data: dict[str, Any], console: Console) -> None:
    """The pipeline's commonest errors, for whoever writes the cleanup rules (console only)."""
    errors = data["errors"]
    console.print(
        Text(
            f"NER errors over {data['sentences']:,} sentences, surface (label), commonest first;"
            " console only, not in the results file",
            style="bold",
        )
    )
    for key, title in (
        ("false_positives", "pipeline false positives"),
        ("false_negatives", "pipeline false negatives"),
        ("lost", "raw hits the rules lost (gold → pipeline)"),
        ("mended", "raw misses the rules mended (raw → gold)"),
    ):
        table = Table(box=box.SIMPLE_HEAD)
        table.add_column("n", justify="right")
        table.add_column(title)
        for surface, count in errors[key]:
            table.add_row(str(count), Text(surface))
        console.print(table)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.ner")
    parser.add_argument("file", type=Path, help="CoNLL file: index<TAB>token<TAB>BIO tag")
    parser.add_argument(
        "--sentences", type=int, default=DEFAULT_SENTENCES, help="first N sentences; 0: all"
    )
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="timed runs of each")
    args = parser.parse_args(argv)
    emit(measure(args.file, args.sentences, args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
