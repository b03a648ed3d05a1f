"""The corpora and indexes the sections share, each made once per run, when first needed.

The engine section measures its own ingests; the reading sections (related
passages, comparison, recall, start-up) need indexes that are already built,
mostly with entities. Every build runs in a child process (`child build`),
so the process that then measures starts clean.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from tests.bench.make_corpus import Stats, make_corpus
from tests.bench.paths import REPO_ROOT
from tests.bench.proc import run_module
from tests.bench.timing import stopwatch

SEEDS = REPO_ROOT / "seeds"


def link_view(files: Sequence[Path], folder: Path) -> Path:
    """A folder of links to `files`: the corpus without its README and manifest."""
    folder.mkdir(parents=True)
    for path in files:
        try:
            (folder / path.name).symlink_to(path)
        except OSError:  # no symlinks here: a private copy in the temp folder
            shutil.copyfile(path, folder / path.name)
    return folder


@dataclass(frozen=True)
class Built:
    """A corpus folder and its index, current, with what the build reported."""

    root: Path
    index_dir: Path
    data: dict[str, Any]


class Inputs:
    """Made in `work` (the run's temporary folder) from the real corpus `files`."""

    def __init__(
        self,
        work: Path,
        source: Path,
        files: Sequence[Path],
        count: int,
        seed: int,
        console: Console,
    ) -> None:
        self.work = work
        self.source = source
        self.files = list(files)
        self.count = count
        self.seed = seed
        self.console = console
        self._generated: tuple[Path, Stats] | None = None
        self._views: dict[str, Path] = {}
        self._built: dict[str, Built] = {}
        # The engine section's entity-less index of the generated corpus, when it ran.
        self.plain_generated_index: Path | None = None

    # -- folders ------------------------------------------------------------------------
    def generated(self) -> tuple[Path, Stats]:
        """The generated corpus (`count` articles) and its statistics."""
        if self._generated is None:
            with stopwatch() as lap:
                stats = make_corpus(
                    self.work / "generated", self.count, source=self.source, seed=self.seed
                )
            self.console.print(
                f"generated {stats.count} articles ({stats.chars / 1e6:.1f} M chars, "
                f"{stats.min_chars}–{stats.max_chars} per file) in {lap.seconds:.1f} s"
            )
            self._generated = (self.work / "generated", stats)
        return self._generated

    def view(self, name: str) -> Path:
        """A link view: `real` (the real corpus), `warm` (its first files), `seeds`,
        or `generated-N` (the first N generated articles)."""
        if name not in self._views:
            folder = self.work / name
            if name == "real":
                files = self.files
            elif name.startswith("warm-"):
                files = self.files[: int(name.removeprefix("warm-"))]
            elif name == "seeds":
                files = sorted(SEEDS.glob("*.txt"))
            elif name.startswith("generated-"):
                root, _stats = self.generated()
                files = sorted(root.glob("*.txt"))[: int(name.removeprefix("generated-"))]
            else:
                raise ValueError(f"no view {name!r}")
            self._views[name] = link_view(files, folder)
        return self._views[name]

    # -- indexes --------------------------------------------------------------------------
    def build(self, key: str, root: Path, *, entities: bool = True) -> Built:
        """An index of `root` (built once under the name `key`)."""
        if key not in self._built:
            index_dir = self.work / f"index-{key}"
            args = [str(root), str(index_dir)] + ([] if entities else ["--no-entities"])
            self.console.print(f"building the index {key}…")
            data = run_module("tests.bench.child", "build", *args, timeout=1800).data
            self._built[key] = Built(root, index_dir, data)
        return self._built[key]

    def generated_plain(self) -> Built:
        """The generated corpus indexed without entities (the engine's index, if it ran)."""
        root, _stats = self.generated()
        if self.plain_generated_index is not None and "generated-plain" not in self._built:
            self._built["generated-plain"] = Built(root, self.plain_generated_index, {})
        return self.build("generated-plain", root, entities=False)

    def generated_entities(self, limit: int) -> Built:
        """The first `limit` generated articles (all of them if `limit` ≥ count), with entities."""
        root, _stats = self.generated()
        if limit < self.count:
            root = self.view(f"generated-{limit}")
        return self.build(f"generated-entities-{min(limit, self.count)}", root)

    def seeds(self) -> Built:
        return self.build("seeds", self.view("seeds"))

    def real(self) -> Built:
        return self.build("real-entities", self.view("real"))
