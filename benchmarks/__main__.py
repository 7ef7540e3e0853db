"""``python -m benchmarks``: see :mod:`benchmarks.run`."""

from __future__ import annotations

from benchmarks.run import main

if __name__ == "__main__":  # spawned worker processes import this module too: run only as the program
    raise SystemExit(main())
