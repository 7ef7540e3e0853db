"""Paths and limits, each overridable from the environment (documented in the README)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
ARTICLES_DIR = DATA_DIR / "articles"

#: From this many events (reports) up, the Overview, Events and Network pages read their figures and
#: rows from the DuckDB engine (core.query.engine) instead of filtering pandas tables. Building the
#: engine costs 1–2 s per store version at 56,000 events (benchmarks/engine.py), a cost a small corpus
#: need not pay; from here up a pandas filter change costs a quarter to a full second per page and
#: the engine's answer tens of milliseconds.
ENGINE_MIN_EVENTS = 50_000

#: Environment variables the product reads; tests check each one is documented in the README.
ENV_VARS = {
    "RUSKOR_DB": "path of the SQLite store (default data/corpus.sqlite)",
    "RUSKOR_MAX_BYTES": "largest article file accepted, in bytes (default 2000000)",
    "RUSKOR_SEED_DIR": "folder of articles loaded into an empty store (default data/articles)",
    "RUSKOR_LOG": "file the tracebacks of unexpected failures are appended to (default data/errors.log)",
    "RUSKOR_READ_ONLY": "1 starts the dashboard read-only (no Add articles page: no upload, remove or set-date)",
    "RUSKOR_ENGINE": "where the Overview, Events and Network pages read their data: auto (default: the DuckDB "
    f"engine from {ENGINE_MIN_EVENTS:,} events up), engine, or pandas",
}

DEFAULT_MAX_BYTES = 2_000_000


_ENGINE_MODES = {"engine": True, "duckdb": True, "on": True, "1": True, "pandas": False, "off": False, "0": False}


def use_engine(n_events: int) -> bool:
    """Whether pages read from the query engine for a corpus of ``n_events`` events: $RUSKOR_ENGINE
    forces either path (``engine`` / ``pandas``); otherwise (``auto``, unset or unknown) from
    :data:`ENGINE_MIN_EVENTS` up."""
    mode = os.environ.get("RUSKOR_ENGINE", "").strip().lower()
    if mode in _ENGINE_MODES:
        return _ENGINE_MODES[mode]
    return n_events >= ENGINE_MIN_EVENTS


def max_article_bytes() -> int:
    """Largest file accepted; articles are small, so anything larger is a mistake."""
    try:
        return int(os.environ.get("RUSKOR_MAX_BYTES", DEFAULT_MAX_BYTES))
    except ValueError:
        return DEFAULT_MAX_BYTES


def read_only_mode() -> bool:
    """The dashboard's read-only mode: no page that adds, re-dates or removes articles."""
    return os.environ.get("RUSKOR_READ_ONLY", "").strip().lower() in ("1", "true", "yes", "on")


def store_path() -> Path:
    return Path(os.environ.get("RUSKOR_DB") or DATA_DIR / "corpus.sqlite")


def seed_dir() -> Path:
    return Path(os.environ.get("RUSKOR_SEED_DIR") or ARTICLES_DIR)
