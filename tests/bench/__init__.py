"""presse's benchmark: `make bench` (`python -m tests.bench`).

Ingest throughput against a bare Whoosh baseline, re-index of an unchanged
corpus, search latency, index size and peak memory, each with its target.
Not a test suite: pytest does not collect this folder.
"""
