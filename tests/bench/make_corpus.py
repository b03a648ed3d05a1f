"""Generate a large corpus of French articles from the small real one.

Every generated article is a recombination of real text: a title taken from
one article, then paragraphs made of runs of consecutive sentences drawn from
two to four articles of the same source family (BBC Afrique, the Le Temps
archive, NewsEye OCR), with small perturbations (a number changed, two words
swapped, a word dropped, another apostrophe). Sizes are spread over about 2–8k
characters. The output is deterministic for a given seed and count, article
`i` does not depend on the count (the first 2,000 of 10,000 are the 2,000),
and no two articles have the same text.

    python -m tests.bench.make_corpus OUT_DIR --count 10000 [--seed 0] [--source DIR]

The source files are only read; the output folder must lie outside them.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.bench.paths import corpus_files, shared_corpus

DEFAULT_COUNT = 2_000
MIN_CHARS = 2_000
MAX_CHARS = 8_000
MODE_CHARS = 4_000
# A source article shorter than this gives no body text (one BBC body is ".").
MIN_DONOR_CHARS = 400
MAX_PARAGRAPH_CHARS = 1_500
MAX_SENTENCE_CHARS = 1_000
PERTURB_RATE = 0.15

_SENTENCE_END = re.compile(r"(?<=[.!?…»])\s+(?=[«\"A-ZÀ-ÖØ-Þ0-9])")
_NUMBER = re.compile(r"\d+")
_APOSTROPHES = {"'": "’", "’": "'"}


@dataclass(frozen=True)
class Source:
    """A real article, cut into sentences."""

    name: str
    family: str
    title: str | None
    sentences: tuple[str, ...]

    @property
    def chars(self) -> int:
        return sum(len(s) for s in self.sentences)


@dataclass(frozen=True)
class Stats:
    count: int
    chars: int
    min_chars: int
    max_chars: int

    @property
    def mean_chars(self) -> float:
        return self.chars / self.count if self.count else 0.0


def family_of(name: str) -> str:
    """`masakhanews-fra-dev-10.txt` → `masakhanews`: files of one origin share a style."""
    return name.split("-", 1)[0].lower()


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; OCR runs with no sentence end are cut at spaces."""
    sentences: list[str] = []
    for sentence in _SENTENCE_END.split(text.strip()):
        while len(sentence) > MAX_SENTENCE_CHARS:
            cut = sentence.rfind(" ", MAX_SENTENCE_CHARS // 2, MAX_SENTENCE_CHARS)
            cut = cut if cut > 0 else MAX_SENTENCE_CHARS
            sentences.append(sentence[:cut].strip())
            sentence = sentence[cut:]
        if sentence.strip():
            sentences.append(sentence.strip())
    return sentences


def read_source(path: Path) -> Source:
    text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
    lines = text.split("\n")
    title: str | None = None
    body = text
    # "title line, blank line, body" (BBC); the OCR files start with the body.
    if len(lines) > 2 and lines[0].strip() and not lines[1].strip() and len(lines[0]) <= 200:
        title = lines[0].strip()
        body = "\n".join(lines[2:])
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n", body):
        sentences.extend(split_sentences(paragraph))
    return Source(path.name, family_of(path.name), title, tuple(sentences))


def load_sources(root: Path) -> list[Source]:
    files = corpus_files(root)
    if not files:
        raise SystemExit(f"no .txt files in {root}")
    return [read_source(path) for path in files]


class Generator:
    """Makes article `i` from the sources, the same way every time."""

    def __init__(self, sources: Sequence[Source], seed: int = 0) -> None:
        self.seed = seed
        self.donors = [s for s in sources if s.chars >= MIN_DONOR_CHARS]
        if not self.donors:
            raise SystemExit("the source corpus has no article long enough to draw from")
        self.by_family: dict[str, list[Source]] = defaultdict(list)
        self.titles: dict[str, list[str]] = defaultdict(list)
        for source in self.donors:
            self.by_family[source.family].append(source)
        for source in sources:
            if source.title:
                self.titles[source.family].append(source.title)

    def article(self, i: int, attempt: int = 0) -> tuple[str, str]:
        """(file stem, file text) of generated article `i`."""
        rng = random.Random(f"presse-bench:{self.seed}:{i}:{attempt}")
        primary = rng.choice(self.donors)
        family = self.by_family[primary.family]
        others = [s for s in family if s is not primary]
        donors = [primary, *rng.sample(others, k=min(len(others), rng.randint(1, 3)))]
        title = self._title(rng, primary)
        body = self._body(rng, donors)
        return f"{i:05d}-{primary.family}", f"{title}\n\n{body}\n"

    def _title(self, rng: random.Random, primary: Source) -> str:
        titles = self.titles.get(primary.family)
        if titles:
            title = rng.choice(titles)
        else:  # OCR families have no titles: the opening words of a sentence make one
            words = rng.choice(primary.sentences).split()
            title = " ".join(words[: rng.randint(5, 11)]).rstrip(" ,;:.")
        return perturb(rng, title) if rng.random() < 0.5 else title

    def _body(self, rng: random.Random, donors: Sequence[Source]) -> str:
        target = int(rng.triangular(MIN_CHARS, MAX_CHARS, MODE_CHARS))
        weights = [3.0] + [1.0] * (len(donors) - 1)  # mostly the primary article
        paragraphs: list[str] = []
        total = 0
        while total < target:
            donor = rng.choices(donors, weights)[0]
            start = rng.randrange(len(donor.sentences))
            run = donor.sentences[start : start + rng.randint(2, 6)]
            paragraph = ""
            for sentence in run:
                if paragraph and len(paragraph) + len(sentence) > MAX_PARAGRAPH_CHARS:
                    break
                if rng.random() < PERTURB_RATE:
                    sentence = perturb(rng, sentence)
                paragraph = f"{paragraph} {sentence}" if paragraph else sentence
            if total >= MIN_CHARS and total + len(paragraph) > MAX_CHARS:
                break
            paragraphs.append(paragraph)
            total += len(paragraph) + 2
        return "\n\n".join(paragraphs)


def perturb(rng: random.Random, text: str) -> str:
    """`text` with one small change, as outlets rewriting the same copy make."""
    words = text.split(" ")
    choice = rng.randrange(4)
    if choice == 0 and _NUMBER.search(text):
        return _NUMBER.sub(lambda m: str(rng.randint(1, 10 ** len(m.group(0)))), text, count=1)
    if choice == 1 and len(words) > 3:
        k = rng.randrange(len(words) - 1)
        words[k], words[k + 1] = words[k + 1], words[k]
        return " ".join(words)
    if choice == 2 and len(words) > 6:
        del words[rng.randrange(1, len(words))]
        return " ".join(words)
    if any(a in text for a in _APOSTROPHES):
        return "".join(_APOSTROPHES.get(c, c) for c in text)
    if len(words) > 3:  # nothing else applied: swap the last two words
        words[-2], words[-1] = words[-1], words[-2]
    return " ".join(words)


def make_corpus(
    out_dir: Path,
    count: int = DEFAULT_COUNT,
    *,
    source: Path | None = None,
    seed: int = 0,
) -> Stats:
    """Write `count` generated articles (`NNNNN-family.txt`) into `out_dir`."""
    source = (source or shared_corpus()).resolve()
    out_dir = out_dir.resolve()
    if out_dir == source or source in out_dir.parents:
        raise SystemExit("the output folder must be outside the source corpus")
    generator = Generator(load_sources(source), seed=seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    seen: set[bytes] = set()
    sizes: list[int] = []
    for i in range(count):
        attempt = 0
        stem, text = generator.article(i)
        digest = hashlib.blake2b(text.split("\n", 2)[2].encode(), digest_size=16).digest()
        while digest in seen:  # never an exact duplicate body
            attempt += 1
            stem, text = generator.article(i, attempt)
            digest = hashlib.blake2b(text.split("\n", 2)[2].encode(), digest_size=16).digest()
        seen.add(digest)
        (out_dir / f"{stem}.txt").write_text(text, encoding="utf-8")
        sizes.append(len(text))
    return Stats(count, sum(sizes), min(sizes, default=0), max(sizes, default=0))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.make_corpus",
        description="Generate a corpus of recombined French articles for benchmarks.",
    )
    parser.add_argument("out_dir", type=Path, help="folder to write the .txt files into")
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="number of articles")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--source", type=Path, default=None, help="source corpus (default: ../shared/corpus)"
    )
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    stats = make_corpus(args.out_dir, args.count, source=args.source, seed=args.seed)
    print(
        f"{stats.count} articles, {stats.chars / 1e6:.1f} M characters "
        f"({stats.min_chars}–{stats.max_chars}, mean {stats.mean_chars:.0f}) in {args.out_dir}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
