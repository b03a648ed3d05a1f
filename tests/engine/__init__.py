"""Engine tests: the `index` package on the seeds, with a temporary index."""
