"""Every package the readers load is one a plain install brings.

`pip install .` without constraints.txt installs presse's requirements and
theirs, each at its newest allowed version. A package that comes only through
another package's *extra* (jusText asks for `lxml[html_clean]`) is there only
as long as that upstream keeps the extra: newer lxml releases dropped it, and a
plain install then read no web page. So the rule checked here: every
distribution whose modules are loaded while each format is read must be
reachable from presse's requirements through plain requirements, no extra
followed. `.ci/plain-install` checks the same on a real plain install.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PROJECT = Path(__file__).resolve().parents[2]

# Reads one file of each format the way an update does, then lists what was imported.
_READ_EVERY_FORMAT = """
import json, sys
from pathlib import Path
from index.ingest.formats import read_documents
from index.ingest.reading import dated
from index.ingest.clean import clean_article
from index.ingest.scan import FileEntry

page = (
    '<html lang="fr"><head><meta charset="utf-8"><title>Un titre</title>'
    '<meta property="article:published_time" content="2024-06-18"></head><body><article>'
    + '<p>Le Conseil de sécurité s’est réuni mardi pour examiner la situation.</p>' * 5
    + '</article></body></html>'
)
files = {
    "a.html": page.encode(),
    "b.jsonl": json.dumps({"maintext": "Un texte.", "date_publish": "18 juin 2024"}).encode(),
    "c-1881-05-27.txt": "Paris, 25 mai 1881.\\n\\nLe texte.".encode(),
}
for rel, data in files.items():
    documents, problems = read_documents(FileEntry(rel, Path(rel), len(data), 0), data)
    for document in documents:
        dated(clean_article(document, lambda text, default: default, lambda word: None), document)
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def _loaded_distributions() -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", _READ_EVERY_FORMAT],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    modules = json.loads(result.stdout.splitlines()[-1])
    owners = metadata.packages_distributions()
    return {
        canonicalize_name(dist)
        for module in modules
        if module not in sys.stdlib_module_names
        for dist in owners.get(module, ())
    }


def _plain_closure(name: str) -> set[str]:
    """`name` and what it requires, recursively, following no extra."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        dist = canonicalize_name(todo.pop())
        if dist in seen:
            continue
        seen.add(dist)
        try:
            requires = metadata.requires(dist) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return seen


def test_readers_load_only_what_a_plain_install_brings() -> None:
    loaded = _loaded_distributions()
    assert {"trafilatura", "lxml", "lxml-html-clean", "dateparser"} <= loaded
    missing = loaded - _plain_closure("presse")
    assert missing == set(), f"loaded by the readers but brought only through an extra: {missing}"
