"""The quickly loaded model gives the saved model's own tokens and entities.

`index.entities.french_tokenizer` builds spaCy's French tokenizer with a factored
regular expression, and the model is loaded without its saved tokenizer and
without its vocabulary's strings (see `index.entities.ner.model`). Both models are
loaded in a fresh process (the hook must come before spaCy's French module is
imported) and read the same texts: the seeds, and words made to exercise every
kind of pattern of the expression.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from index.entities.french_tokenizer import factored_pattern
from tests.conftest import PROJECT, SEEDS_DIR

# Words each pattern family of spaCy's French exceptions is there for, and near misses.
WORDS = (
    "anti-inflammatoire faux-vampire entr'abat grand'mère prud'homme prud’hommes "
    "saint-georges Saint-Étienne pet-en-l'air saut-de-ski Aix-en-Provence États-Unis "
    "etats-unis New-York new-yorkais black-out burn-out hip-hop zig-zag yo-yos "
    "droits-de-l'homme arrière-grand-père c'est-à-dire peut-être Jean-Luc Mélenchon "
    "l'Ukraine aujourd'hui Aujourd'hui est-ce qu'il vient-il ? premier-ministre "
    "extra-terrestre co-président ex-président sous-marin non-lieu porte-parole "
    "x-anti-y -inflammatoire anti- --- a-b-c 3-4 URL https://example.org/a-b?x=y"
)

_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from index.entities.ner import MODEL, model, _UNUSED
    import spacy

    quick = model()
    pattern = quick.tokenizer.token_match.__self__.pattern
    saved = spacy.load(MODEL, exclude=list(_UNUSED))
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
    texts.append(sys.argv[2])
    texts.extend(sys.argv[2].split())

    def read(nlp):
        return [
            [[t.text for t in doc], [(e.start_char, e.end_char, e.label_) for e in doc.ents]]
            for doc in nlp.pipe(texts)
        ]

    print(json.dumps({"pattern": len(pattern), "saved_pattern":
        len(saved.tokenizer.token_match.__self__.pattern),
        "same": read(quick) == read(saved), "texts": len(texts)}))
    """
)


def test_the_quick_tokenizer_reads_as_the_saved_one() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(SEEDS_DIR), WORDS],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["same"] is True
    # The quick one is in use: its expression is a small part of the saved one.
    assert result["pattern"] * 10 < result["saved_pattern"]
    assert result["texts"] > 50


def test_factoring_keeps_what_each_pattern_matches() -> None:
    import re

    letters = ("a-zé",)
    patterns = ["^anti[-][a-zé]+$", "^contre[-][a-zé]+$", "^[a-zé]+[-]bas$", "^r?é?entr['][a-zé]*$"]
    factored = factored_pattern(patterns, letters)
    assert factored is not None
    original = re.compile("(?iu)" + "|".join(f"(?:{p})" for p in patterns))
    quick = re.compile(factored)
    for word in (
        "anti-gel",
        "contre-jour",
        "haut-bas",
        "entr'ouvert",
        "réentr'a",
        "anti-",
        "pro-gel",
        "Anti-Gel",
        "anti-gel-x",
    ):
        assert bool(original.match(word)) == bool(quick.match(word)), word


def test_a_pattern_without_the_letters_leaves_the_expression_as_it_was() -> None:
    assert factored_pattern(["^abc$"], ("a-z",)) is None
