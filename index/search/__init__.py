"""Full-text search over the articles.

- `searching`: a search run over this thread's searcher and the catalog (hits, ids,
  the words a query matches in one article);
- `query`: parsing and bounding a query, snippets and hit spans;
- `scoring`: Whoosh's BM25F with each segment's field lengths read once;
- `spelling`: the corpus vocabulary, for "did you mean".
"""
