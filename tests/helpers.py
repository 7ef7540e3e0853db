"""Small builders shared by the core tests (fixtures made in code, never read from disk)."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from core.extract.pipeline import process
from core.io.ingest import ingest_paths, set_article_date
from core.storage.store import Store
from core.text.document import Document
from core.text.reading import RawText


def run(text: str, published: str | None = "2000-05-18", name: str = "test.txt") -> Document:
    """Run the whole pipeline on ``text`` with the article's date fixed (or inferred if None)."""
    raw = RawText(text=text, source_file=name, encoding="utf-8", format="txt")
    return process(raw, date.fromisoformat(published) if published else None)


def iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A zip archive in memory, for upload tests."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def random_write(rng: random.Random, store: Store, ids: list[str], waiting: list[Path]) -> str:
    """One random write (add one, add three in one call, re-date one, remove one), taking what it adds
    from the front of ``waiting``; returns what it did (the random write sequences of test_tables_delta and test_filters_carry)."""
    op = rng.choices(["add", "bulk", "redate", "remove"], weights=[4, 1, 3, 2])[0]
    if not ids or (op == "remove" and len(ids) < 4):
        op = "add"
    if op in ("add", "bulk") and waiting:
        k = 1 if op == "add" else 3
        ingest_paths(store, waiting[:k])  # "bulk": one call, its articles resolved as one batch
        del waiting[:k]
    elif op == "redate":
        set_article_date(store, rng.choice(ids), date(2001, rng.randint(1, 12), rng.randint(1, 28)))
    else:
        op = "remove"
        assert store.delete_article(rng.choice(ids))
    return op


def store_from_dump(dump: Path, path: Path) -> Path:
    """A SQLite file at ``path`` made from the SQL dump ``dump`` (a store as an older release wrote it)."""
    import sqlite3

    con = sqlite3.connect(path)
    con.executescript(dump.read_text(encoding="utf-8"))
    con.close()
    return path


def stored(path: Path, table: str, cols: str = "*") -> list[tuple]:
    """The cells of a clustered table as the store keeps them (string ids undecoded, NULL article ids
    and sequence ids not filled in), whether kept as rows or in packed records, rowid order; ``cols``
    a SQL column list (``*``: every stored column)."""
    import sqlite3

    from core.storage import clusters, rowpack

    con = sqlite3.connect(path)
    try:
        if cols == "*":
            cols = ", ".join(f'"{r[1]}"' for r in con.execute(f"PRAGMA table_info({table})") if r[1] != clusters.ROW)
        rows = con.execute(f"SELECT rowid, {cols} FROM {table}").fetchall()
        if rowpack.has_schema(con, (table,)):
            rows += rowpack.select(con, table, clusters.column_names(cols), None, rowpack.defaults_of(con, table))
        return [tuple(r[1:]) for r in sorted(rows, key=lambda r: r[0])]
    finally:
        con.close()


def cells(path: Path, sql: str) -> list[tuple]:
    """The rows ``sql`` gives on the SQLite file ``path`` (a connection of its own, closed after)."""
    import sqlite3

    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
