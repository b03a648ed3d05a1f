"""From the files of a folder to clean articles in the index.

- `scan`: the article files of a folder, read-only, and what is skipped;
- `decode`: bytes to text (encodings, binary refused);
- `formats`: one reader per file format (.txt, .md, .html, .jsonl);
- `clean`: title, date, passages and their kinds from raw text;
- `lang`: the language of each passage;
- `reading`: one file in, its articles out (imported only when files are read):
  `read_batch`, the work on a batch of files' bytes, wherever it runs;
- `checks`: the results of that work checked before they are committed;
- `workers`: where it runs: this process or local worker processes; `cluster`:
  the workers of a Dask cluster (imported only for `--cluster`); `versions`: what
  a worker must share with this process for its results to be the same;
- `updating`: the update, batch by batch, then the entity pass and Whoosh.
"""
