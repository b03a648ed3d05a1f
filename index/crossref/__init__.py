"""Cross-references between articles.

- `related`: passages of other articles related to a passage;
- `compare`: two articles aligned passage by passage;
- `wirecopy`: which articles share near-duplicate passages;
- `markdown`: a comparison exported as Markdown.
"""
