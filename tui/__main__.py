"""`python -m tui`: the `presse` command without its installed script."""

from __future__ import annotations

from tui.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
