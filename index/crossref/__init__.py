"""Cross-references between articles.

- `related`: passages of other articles related to a passage (the search for
  candidates and their scoring);
- `compare`: two articles aligned passage by passage;
- `wirecopy`: which articles share near-duplicate passages (the pairs found again
  after a change);
- `markdown`: a comparison exported as Markdown.
"""
