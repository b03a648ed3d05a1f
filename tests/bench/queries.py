"""The fixed search workload: words that occur in the real corpus (and so in the
generated one), in every form of the query language a reader uses."""

from __future__ import annotations

# (kind, query); a misspelling should come back with a suggestion.
QUERIES: tuple[tuple[str, str], ...] = (
    ("word", "président"),
    ("word", "gouvernement"),
    ("word", "coronavirus"),
    ("word", "football"),
    ("word", "Genève"),
    ("word, no accent", "etats"),
    ("word, plural", "élections"),
    ("word, OCR source", "Lausanne"),
    ("two words (AND)", "Russie Ukraine"),
    ("AND", "vaccin AND pandémie"),
    ("phrase", '"guerre en Ukraine"'),
    ("phrase", '"changement climatique"'),
    ("wildcard", "pand*"),
    ("wildcard", "gouvern*"),
    ("field", "title:football"),
    ("field", "title:Ukraine"),
    ("OR", "Nigeria OR Cameroun"),
    ("NOT", "Afrique NOT football"),
    ("group", "(Sénégal OR Cameroun) AND élection"),
    ("misspelling", "gouvernemnt"),
    ("misspelling", "presidnet"),
)
