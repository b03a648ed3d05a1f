"""Full-text search over the articles.

- `query`: parsing and bounding a query, snippets and hit spans;
- `scoring`: Whoosh's BM25F with each segment's field lengths read once;
- `spelling`: the corpus vocabulary, for "did you mean".
"""
