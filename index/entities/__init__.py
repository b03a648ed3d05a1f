"""People, places and organisations: one identity per thing across a corpus.

- `ner`, `french_tokenizer`: the spaCy model (run by `ingest.workers` here or in workers);
- `mentions`: the rules that mend or drop the model's spans;
- `aliases`, `worldnames`: spellings grouped into one identity (country names from CLDR
  and ISO 3166), by the rules in `identity/`;
- `entity_pass`: the corpus-wide pass (identities, foreign passages, counts);
- `corrections`: the user's merges, splits, renames and hides;
- `registry`: the entities as the catalog holds them: listed, found by any name,
  corrected, and shown as each article's mentions.
"""
