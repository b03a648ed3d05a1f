"""CLI tests: the `presse` command and its JSON contract."""
