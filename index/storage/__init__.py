"""Where an index is kept, and how it is written safely.

- `paths`: the index directory of a corpus (the user's cache, keyed by the corpus path),
  and the names of what it holds;
- `catalog`: the SQLite catalog (files, cleaned articles, mentions, vocabulary), its
  writes in transactions; `schema`, its tables; `connection`, SQLite's errors in the
  user's words;
- `store`: the two Whoosh indexes (articles for search, passages for look-ups);
- `handles`: each thread's catalog connection and searchers, renewed after a commit;
- `recent`: the articles read last, kept for every thread until the index changes;
- `lock`: one writer per index;
- `userdata`: the reader's own files (bookmarks, notes, history, place), written atomically.
"""
