"""presse's benchmark: `make bench` (`python -m tests.bench`).

Ingest throughput against a bare Whoosh baseline, re-index of an unchanged
corpus, search latency, index size, peak memory, the entity pipeline against
the bare spaCy model (scores and speed), related-passage latency, comparison
time, related recall against Whoosh's more_like, and the reader's start-up,
each with its target.
Not a test suite: pytest does not collect this folder.
"""
