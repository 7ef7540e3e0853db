"""Loading the readable data files in ``data/`` (CSV and YAML with ``#`` header notes).

Patterns and defaults live there, not in Python literals, so a researcher can extend the
lexicons without touching code. Each loader is cached: the files are read once per process.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from core.config import DATA_DIR


def read_csv_rows(name: str | Path) -> list[dict[str, str]]:
    """Rows of a CSV file whose leading ``#`` lines are its source note."""
    path = Path(name) if Path(name).is_absolute() else DATA_DIR / name
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]


def read_yaml(name: str | Path) -> Any:
    path = Path(name) if Path(name).is_absolute() else DATA_DIR / name
    # libyaml's loader when PyYAML was built with it: the actor dictionary parses ~10x faster
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


@cache
def cached_csv(name: str) -> tuple[dict[str, str], ...]:
    return tuple(read_csv_rows(name))


@cache
def cached_yaml(name: str) -> Any:
    return read_yaml(name)
