"""The resolution benchmark's store figure counts the resolution tables and nothing else."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from benchmarks.resolution import resolution_bytes
from core.io.ingest import ingest_paths
from core.storage.store import Store

ARTICLES = Path(__file__).parent / "data" / "resolution_articles"


@pytest.mark.parametrize("other", ["mentions", "sentences"])
def test_resolution_bytes_counts_the_resolution_tables_only(tmp_path: Path, other: str) -> None:
    path = tmp_path / "s.sqlite"
    ingest_paths(Store(path), sorted(ARTICLES.glob("*.txt"))[:4])
    emptied = tmp_path / "emptied.sqlite"
    shutil.copy(path, emptied)
    con = sqlite3.connect(emptied)
    con.execute(f"DELETE FROM {other}")  # another table's rows gone: the figure must not move
    con.commit()
    con.close()
    got = resolution_bytes(path)
    if got is None:
        pytest.skip("this SQLite has no dbstat")
    con = sqlite3.connect(path)
    page = con.execute("PRAGMA page_size").fetchone()[0]
    total = con.execute("PRAGMA page_count").fetchone()[0] * page
    names = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE name LIKE 'resolution%'")}
    con.close()
    assert got >= page * len(names) and got < total / 2  # a page at least per table and index
    assert resolution_bytes(emptied) == got
