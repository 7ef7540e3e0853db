"""Packed records (schema 7, core/storage/rowpack.py): cells read back exactly as SQLite rows would
give them, and a store of records reads, exports and rewrites exactly as a store of rows."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from core.domain import schema
from core.io.csv_export import write_csvs
from core.io.ingest import ingest_paths, set_article_date
from core.query.tables import load_tables
from core.storage import clusters, rowpack
from core.storage.store import Store, read_rows
from tests.helpers import cells, stored

I64 = (1 << 63) - 1

#: columns of cells (one list per column), each meant to take a given form or to be an edge of one
COLUMNS = {
    "all NULL": [[None, None, None]],
    "small ints": [[0, 1, -1, 127, -128]],
    "wider ints": [[300, -40_000, 70_000, 1 << 40]],
    "int64 edges": [[I64, -I64 - 1, 0]],
    "int64 edges repeated": [[I64, I64], [-I64 - 1, -I64 - 1]],
    "a progression to the edge": [[I64 - 2, I64 - 1, I64]],
    "a progression": [[10, 11, 12, 13, 14]],
    "one value repeated": [[7, 7, 7]],
    "a falling progression": [[5, 2, -1, -4]],
    "differences wider than the values": [[-100, 100, -100, 100]],
    "an end after its start": [[100, 250, 7000], [104, 255, 7002]],
    "an end column with NULLs": [[1, 2, 3], [5, None, 9]],
    "ints with holes": [[None, 5, None, 300, 0]],
    "floats": [[1.5, -0.0, float("inf"), 1e300]],
    "a NaN is stored as NULL": [[float("nan"), 2.5]],
    "text": [["", "plain", "Сеул, 3 мая — “a success” 🎉", "x" * 5000]],
    "mixed classes": [[5, 5.0, "5", None, b"\x00\xff", True]],
    "bytes": [[b"", b"\x00" * 300]],
    "one row": [[42], ["only"], [None]],
    "no rows": [[], []],
    "bools are integers": [[True, False, True]],
}


def _as_sqlite(columns: list[list[object]]) -> list[tuple]:
    """The rows as SQLite itself stores and returns them."""
    con = sqlite3.connect(":memory:")
    n = len(columns)
    con.execute(f"CREATE TABLE t ({', '.join(f'c{i}' for i in range(n))})")
    con.executemany(f"INSERT INTO t VALUES ({', '.join('?' * n)})", list(zip(*columns, strict=True)))
    return con.execute("SELECT * FROM t ORDER BY rowid").fetchall()


@pytest.mark.parametrize("case", list(COLUMNS), ids=list(COLUMNS))
def test_a_record_reads_back_what_sqlite_would(case: str) -> None:
    columns = COLUMNS[case]
    rows = list(zip(*columns, strict=True))
    data = rowpack.encode(rows, len(columns), layout=3)
    layout, count, decoded = rowpack.decode(data, len(columns))
    assert (layout, count) == (3, len(rows))
    got = list(zip(*decoded, strict=True)) if rows else []
    want = _as_sqlite(columns)
    assert [[(type(v), v) for v in r] for r in got] == [[(type(v), v) for v in r] for r in want]


@pytest.mark.parametrize(
    ("cells", "smaller_than"),
    [
        ([list(range(1000, 1077))], 10),  # a progression is two numbers
        ([[4] * 77], 8),  # so is one value repeated
        ([[i * 13 % 128 for i in range(77)]], 77 + 8),  # ids under 128: one byte each
        ([list(range(0, 7700, 100)), list(range(5, 7705, 100))], 77 * 2 + 77 + 12),  # an end as its start plus a width
    ],
)
def test_a_column_takes_a_compact_form(cells: list[list[int]], smaller_than: int) -> None:
    assert len(rowpack.encode(list(zip(*cells, strict=True)), len(cells), 1)) < smaller_than


@pytest.mark.parametrize("value", [1 << 63, -(1 << 63) - 1])
@pytest.mark.parametrize("beside", [5, None, "text"], ids=["with numbers", "with NULLs", "with text"])
def test_an_integer_sqlite_cannot_hold_is_refused_as_sqlite_refuses_it(value: int, beside: object) -> None:
    with pytest.raises(OverflowError):
        _as_sqlite([[beside, value]])
    with pytest.raises(OverflowError):
        rowpack.encode([(beside,), (value,)], 1, 1)


@pytest.mark.parametrize("data", [b"", b"\x02\x01\x01", b"\x01\x01\x02\x0f", b"\x01\x01\x01\x00\x00"])
def test_a_damaged_record_is_a_database_error(data: bytes) -> None:
    with pytest.raises((sqlite3.DatabaseError, IndexError)):
        rowpack.decode(data, 1)


# ---- a whole store ------------------------------------------------------------------------------------


def _csv_bytes(tables: dict[str, pd.DataFrame], out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in write_csvs(tables, out)}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from benchmarks.synthetic import generate

    return generate(14, seed=7, out_dir=tmp_path_factory.mktemp("corpus"))


def _pair(tmp_path: Path, corpus: list[Path], monkeypatch: pytest.MonkeyPatch) -> tuple[Store, Store]:
    with monkeypatch.context() as m:
        m.setattr(rowpack, "PACK_ROWS", False)
        rows = Store(tmp_path / "rows.sqlite")
        assert all(r.status == "added" for r in ingest_paths(rows, corpus[:10]))
    packed = Store(tmp_path / "packed.sqlite")
    assert all(r.status == "added" for r in ingest_paths(packed, corpus[:10]))
    return rows, packed


def _same(a: Store, b: Store, tmp_path: Path) -> None:
    raw_a, raw_b = a.load_raw(), b.load_raw()
    for table in schema.DERIVED_TABLES:
        pd.testing.assert_frame_equal(raw_a[table], raw_b[table], obj=table)
    assert _csv_bytes(load_tables(a), tmp_path / "a") == _csv_bytes(load_tables(b), tmp_path / "b")


def test_a_store_of_records_reads_and_exports_as_a_store_of_rows_through_writes(
    tmp_path: Path, corpus: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The differential test: the same writes into a store of rows (version 6's way) and into a store
    of records; after each, whole reads, reads of some articles and the exports are the same."""
    rows, packed = _pair(tmp_path, corpus, monkeypatch)
    assert not cells(packed.path, "SELECT * FROM events") and not cells(rows.path, "SELECT * FROM events_packed")
    assert stored(packed.path, "mentions") == stored(rows.path, "mentions")  # the same cells and rowids
    _same(rows, packed, tmp_path / "0")
    ids = list(packed.load_raw()["articles"]["article_id"])

    def both(write) -> None:
        with monkeypatch.context() as m:
            m.setattr(rowpack, "PACK_ROWS", False)
            write(rows)
        write(packed)

    steps = [
        lambda s: set_article_date(s, ids[2], date(2003, 4, 5)),
        lambda s: s.delete_article(ids[5]),
        lambda s: ingest_paths(s, corpus[10:13]),
        lambda s: set_article_date(s, ids[0], None),
        lambda s: s.delete_article(ids[7]),
    ]
    for n, step in enumerate(steps, 1):
        both(step)
        _same(rows, packed, tmp_path / str(n))
        some = ids[:4]
        with rows.snapshot() as ca, packed.snapshot() as cb:
            part_a = read_rows(ca, list(schema.ARTICLE_TABLES), some, in_order=True)
            part_b = read_rows(cb, list(schema.ARTICLE_TABLES), some, in_order=True)
        for table in schema.ARTICLE_TABLES:
            pd.testing.assert_frame_equal(part_a[table], part_b[table], obj=table)
    packed.vacuum()
    _same(rows, packed, tmp_path / "vacuumed")


def test_a_version_6_store_is_packed_on_open_and_reads_as_before(
    tmp_path: Path, corpus: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store of rows recorded as version 6 (what the release before this one wrote): read-only it
    is read as it is; opened for writing its rows become records, read back the same, one record per
    article and table."""
    with monkeypatch.context() as m:
        m.setattr(rowpack, "PACK_ROWS", False)
        m.setattr(schema, "SCHEMA_VERSION", 6)
        old = Store(tmp_path / "v6.sqlite")
        ingest_paths(old, corpus[:6])
        with old.connect() as con:
            con.execute("PRAGMA user_version = 6")
            for table in schema.CLUSTERED:
                con.execute(f"DROP TABLE {rowpack.table_of(table)}")
            con.execute(f"DROP TABLE {rowpack.LAYOUTS}")
    path = tmp_path / "v6.sqlite"
    before_raw = Store(path, read_only=True).load_raw()
    before = _csv_bytes(load_tables(Store(path, read_only=True)), tmp_path / "before")
    store = Store(path)
    assert store.schema_version() == schema.SCHEMA_VERSION == 7
    for table in schema.CLUSTERED:
        assert not cells(path, f"SELECT * FROM {table}")
    n_articles = len(before_raw["articles"])
    assert cells(path, "SELECT COUNT(*) FROM mentions_packed") == [(n_articles,)]
    after_raw = store.load_raw()
    for table in schema.DERIVED_TABLES:
        pd.testing.assert_frame_equal(before_raw[table], after_raw[table], obj=table)
    assert _csv_bytes(load_tables(store), tmp_path / "after") == before


def test_rows_outside_every_run_keep_their_rowids_and_order(tmp_path: Path) -> None:
    """Rows no run names (a hand-made row in an old store) become records of consecutive rowids of
    their own; rows read back with the rowids and cells they had."""
    con = sqlite3.connect(tmp_path / "s.sqlite")
    con.execute('CREATE TABLE citations ("_row" INTEGER PRIMARY KEY, article_id, agency)')
    con.executemany("INSERT INTO citations VALUES (?, ?, ?)", [(1, None, 7), (2, None, 8), (3, "x", 9), (5, "y", 1), (6, None, 2)])
    clusters.ensure_schema(con)
    con.execute("INSERT INTO clusters VALUES ('a', '', 1, 2), ('b', '', 6, 6)")
    con.commit()
    before = stored(tmp_path / "s.sqlite", "citations")
    rowpack.convert(con, ["citations"], clusters.spans(con))
    con.commit()
    records = cells(tmp_path / "s.sqlite", "SELECT _row, hi FROM citations_packed ORDER BY _row")
    assert records == [(1, 2), (3, 3), (5, 5), (6, 6)]
    assert stored(tmp_path / "s.sqlite", "citations") == before
    assert rowpack.select(con, "citations", ["agency"], [(5, 6)], {}) == [(5, 1), (6, 2)]
    con.close()


@pytest.mark.parametrize(
    ("lo", "hi"),
    [(-128, -128), (-129, 0), (0, 127), (0, 128), (-1, -1), (0, 0), (-32768, 32767), (-32769, 5), (0, 1 << 31), (-(1 << 31), 0),
     (-(1 << 63), I64), (0, 1 << 63), (-(1 << 63) - 1, 0), (-(1 << 23), (1 << 23) - 1)],
)  # fmt: skip
def test_the_narrowest_width_is_the_first_that_holds_both_ends(lo: int, hi: int) -> None:
    """The bit-length shortcut against the plain reading: the first width whose range holds both."""
    plain = next((c for c, w in enumerate((1, 2, 4, 8)) if -(1 << (8 * w - 1)) <= lo and hi < 1 << (8 * w - 1)), None)
    assert rowpack._narrowest(lo, hi) == plain
