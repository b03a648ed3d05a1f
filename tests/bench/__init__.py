"""presse's benchmark: `make bench` (`python -m tests.bench`).

Ingest throughput against a bare Whoosh baseline, re-index of an unchanged
corpus, search latency, index size, peak memory, and the entity pipeline
against the bare spaCy model (scores and speed), each with its target.
Not a test suite: pytest does not collect this folder.
"""
