"""An article's rows of a clustered table stored as one packed record (schema version 7).

Why: after interning (:mod:`core.storage.packing`) and clustering (:mod:`core.storage.clusters`) a
mention row held about 8 bytes of values and 15 of SQLite's own bookkeeping (a record header of one
byte per column, the cell's rowid and size, its pointer in the page): a row per mention, per
sentence and per citation made those tables 2.7 KB of an article's 11 KB. From version 7 the rows an
article writes to a table of :data:`core.domain.schema.CLUSTERED` are one row of ``{table}_packed``:
its ``_row`` is the rowid the first of them would have had, ``hi`` the last one's, and ``data`` the
cells column by column (:func:`encode`), each column in the smallest of a few forms (all NULL; whole
numbers of a fixed width; their differences; a progression; the difference from the column before,
which is an end offset's; else each value tagged with its SQLite type).

What readers see does not change: :func:`select` gives the rows with the rowids and cell values
(SQLite's storage class included) they had in a version-6 table, so :func:`core.storage.clusters.fill`
and :func:`core.storage.packing.decode_frame` read them as before. A column added to the table after a
record was written reads as the column's default (the column list of each record is kept once per
table and layout, in ``packed_layouts``).

This module owns the ``*_packed`` tables and ``packed_layouts``; :mod:`core.storage.clusters` calls it
for the reads, writes and deletes of the clustered tables' rows.
"""

from __future__ import annotations

import bisect
import itertools
import math
import sqlite3
import struct
from collections.abc import Sequence

import numpy as np
import pandas as pd

#: Off: rows are written one SQLite row each (the version-6 way), for the differential tests.
PACK_ROWS = True
LAYOUTS = "packed_layouts"
_FORMAT = 1  # the first byte of every record
#: column forms (the low nibble of a column's first byte; the high nibble is the width's code)
_NULL, _PLAIN, _DELTA, _STEP, _MINUS, _HOLES, _TAGGED = range(7)
_WIDTHS = (1, 2, 4, 8)
_DTYPES = ("<i1", "<i2", "<i4", "<i8")
_I64 = struct.Struct("<q")
_F64 = struct.Struct("<d")
#: tags of a tagged column's values (SQLite's storage classes)
_T_NULL, _T_INT, _T_REAL, _T_TEXT, _T_BLOB = range(5)


def table_of(table: str) -> str:
    """The packed records' table of a clustered table."""
    return f"{table}_packed"


def ensure_schema(con: sqlite3.Connection, tables: Sequence[str]) -> None:
    con.execute(f"CREATE TABLE IF NOT EXISTS {LAYOUTS} (id INTEGER PRIMARY KEY, tab TEXT NOT NULL, cols TEXT NOT NULL, UNIQUE (tab, cols))")
    for table in tables:
        con.execute(f'CREATE TABLE IF NOT EXISTS {table_of(table)} ("_row" INTEGER PRIMARY KEY, hi INTEGER NOT NULL, data BLOB NOT NULL)')


def has_schema(con: sqlite3.Connection, tables: Sequence[str]) -> bool:
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return LAYOUTS in names and all(table_of(t) in names for t in tables)


# --- the record -----------------------------------------------------------------------------------


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _read_varint(data: bytes, at: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        byte = data[at]
        at += 1
        n |= (byte & 0x7F) << shift
        if byte < 0x80:
            return n, at
        shift += 7


def _zigzag(n: int) -> bytes:
    """A signed whole number as a varint (0, -1, 1, -2 … as 0, 1, 2, 3 …)."""
    return _varint(n << 1 if n >= 0 else ((-n) << 1) - 1)


def _read_zigzag(data: bytes, at: int) -> tuple[int, int]:
    n, at = _read_varint(data, at)
    return (n >> 1 if not n & 1 else -((n + 1) >> 1)), at


def _is_int(v: object) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, float)


def _tagged(values: Sequence[object]) -> bytes:
    out = bytearray()
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):  # SQLite stores a NaN as NULL
            out.append(_T_NULL)
        elif _is_int(v):
            if _narrowest(int(v), int(v)) is None:  # type: ignore[call-overload]
                raise OverflowError("Python int too large to convert to SQLite INTEGER")  # as sqlite3 says it
            out.append(_T_INT)
            out += _I64.pack(int(v))  # type: ignore[call-overload]
        elif isinstance(v, float):
            out.append(_T_REAL)
            out += _F64.pack(v)
        elif isinstance(v, str):
            raw = v.encode("utf-8")
            out.append(_T_TEXT)
            out += _varint(len(raw)) + raw
        elif isinstance(v, (bytes, bytearray, memoryview)):
            raw = bytes(v)
            out.append(_T_BLOB)
            out += _varint(len(raw)) + raw
        else:  # what sqlite3 would refuse to bind
            raise TypeError(f"a stored cell cannot hold a {type(v).__name__}")
    return bytes(out)


#: a column's Python types that make it whole numbers (bool is an int to SQLite)
_INT_TYPES = ({int}, {bool}, {int, bool})
_PACK_CODES = "bhiq"  # struct's codes of the widths


#: bytes a signed number needs (1-8) -> the code of the narrowest width holding it
_CODE_OF_BYTES = (0, 0, 1, 2, 2, 3, 3, 3, 3)


def _narrowest(lo: int, hi: int) -> int | None:
    """The code of the narrowest width holding every number from ``lo`` to ``hi`` (None: over 8 bytes)."""
    bits = max(hi.bit_length() if hi > 0 else 0, (~lo).bit_length() if lo < 0 else 0) + 1  # with the sign's bit
    size = (bits + 7) >> 3
    return _CODE_OF_BYTES[size] if size <= 8 else None


def _fixed(values: Sequence[int], code: int) -> bytes:
    return struct.pack(f"<{len(values)}{_PACK_CODES[code]}", *values)


def _int_column(ints: list[int], previous: list[int] | None) -> bytes:
    """The smallest form of a column of whole numbers. Plain Python on purpose: a column is a few
    dozen values, where numpy's per-call cost was most of a write."""
    n = len(ints)
    code = _narrowest(min(ints), max(ints))
    if code is None:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")  # as sqlite3 says it
    form, size, cells = _PLAIN | code << 4, _WIDTHS[code] * n, ints
    if n > 1:
        steps = [b - a for a, b in itertools.pairwise(ints)]
        lo, hi = min(steps), max(steps)
        if lo == hi:  # one value repeated (or a progression): two numbers
            return bytes([_STEP]) + _zigzag(ints[0]) + _zigzag(lo)
        c = _narrowest(lo, hi)
        if c is not None and _WIDTHS[c] * (n - 1) + 3 < size:
            form, size, cells = _DELTA | c << 4, _WIDTHS[c] * (n - 1) + 3, steps
    else:
        return bytes([_STEP]) + _zigzag(ints[0]) + _zigzag(0)
    if previous is not None:
        diffs = [a - b for a, b in zip(ints, previous, strict=True)]
        c = _narrowest(min(diffs), max(diffs))
        if c is not None and _WIDTHS[c] * n < size:
            form, size, cells = _MINUS | c << 4, _WIDTHS[c] * n, diffs
    head = bytes([form])
    if form & 0x0F == _DELTA:
        head += _zigzag(ints[0])
    return head + _fixed(cells, form >> 4)


def _column(values: list[object], previous: list[int] | None) -> tuple[bytes, list[int] | None]:
    """One column's bytes (the smallest form that holds it exactly), and its values when they are
    all whole numbers (what the next column may be told from)."""
    kinds = set(map(type, values))
    if kinds == {type(None)}:
        return bytes([_NULL]), None
    if kinds in _INT_TYPES:
        ints = [int(v) for v in values] if bool in kinds else values
        return _int_column(ints, previous), ints  # type: ignore[arg-type]
    if kinds - {type(None)} in _INT_TYPES:  # whole numbers and NULLs
        present = [int(v) for v in values if v is not None]  # type: ignore[call-overload]
        code = _narrowest(min(present), max(present))
        if code is None:
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        bits = np.packbits(np.array([v is not None for v in values], dtype=bool), bitorder="little").tobytes()
        return bytes([_HOLES | code << 4]) + bits + _fixed(present, code), None
    return bytes([_TAGGED]) + _tagged(values), None


def encode(rows: Sequence[Sequence[object]], n_cols: int, layout: int) -> bytes:
    """Rows (cells as they would be bound to SQLite) as one record, column by column."""
    out = bytearray([_FORMAT]) + _varint(layout) + _varint(len(rows))
    previous: list[int] | None = None
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in range(n_cols)]
    for values in columns:
        data, previous = _column(list(values), previous)
        out += data
    return bytes(out)


def _ints(data: bytes, at: int, code: int, count: int) -> tuple[np.ndarray, int]:
    end = at + _WIDTHS[code] * count
    return np.frombuffer(data, dtype=_DTYPES[code], count=count, offset=at).astype(np.int64), end


def _read_tagged(data: bytes, at: int, count: int) -> tuple[list[object], int]:
    out: list[object] = []
    for _ in range(count):
        tag = data[at]
        at += 1
        if tag == _T_NULL:
            out.append(None)
        elif tag == _T_INT:
            out.append(_I64.unpack_from(data, at)[0])
            at += 8
        elif tag == _T_REAL:
            out.append(_F64.unpack_from(data, at)[0])
            at += 8
        else:
            size, at = _read_varint(data, at)
            raw = data[at : at + size]
            at += size
            out.append(raw.decode("utf-8") if tag == _T_TEXT else bytes(raw))
    return out, at


def decode(data: bytes, n_cols: int) -> tuple[int, int, list[list[object]]]:
    """(layout, rows, columns) of a record: each column's cells as Python values (int, float, str,
    bytes or None), as SQLite would return them."""
    data = bytes(data)
    if data[:1] != bytes([_FORMAT]):
        raise sqlite3.DatabaseError("a packed record of an unknown format")
    layout, at = _read_varint(data, 1)
    count, at = _read_varint(data, at)
    columns: list[list[object]] = []
    previous: np.ndarray | None = None
    for _ in range(n_cols):
        head = data[at]
        at += 1
        form, code = head & 0x0F, head >> 4
        ints: np.ndarray | None = None
        if form == _NULL:
            columns.append([None] * count)
        elif form == _PLAIN:
            ints, at = _ints(data, at, code, count)
        elif form == _STEP:
            first, at = _read_zigzag(data, at)
            step, at = _read_zigzag(data, at)
            ints = first + step * np.arange(count, dtype=np.int64)
        elif form == _DELTA:
            first, at = _read_zigzag(data, at)
            steps, at = _ints(data, at, code, max(count - 1, 0))
            ints = np.concatenate([[first], first + np.cumsum(steps)]).astype(np.int64) if count else np.zeros(0, dtype=np.int64)
        elif form == _MINUS:
            diffs, at = _ints(data, at, code, count)
            if previous is None:
                raise sqlite3.DatabaseError("a packed record's column refers to a column that is not whole numbers")
            ints = previous + diffs
        elif form == _HOLES:
            present = np.unpackbits(np.frombuffer(data, dtype=np.uint8, count=(count + 7) // 8, offset=at), bitorder="little")[
                :count
            ].astype(bool)
            at += (count + 7) // 8
            values, at = _ints(data, at, code, int(present.sum()))
            cells = np.full(count, None, dtype=object)
            cells[present] = values.tolist()
            columns.append(cells.tolist())
        elif form == _TAGGED:
            cells_, at = _read_tagged(data, at, count)
            columns.append(cells_)
        else:
            raise sqlite3.DatabaseError("a packed record of an unknown column form")
        if ints is not None:
            columns.append(ints.tolist())
        previous = ints
    if at != len(data):
        raise sqlite3.DatabaseError("a packed record longer than its columns")
    return layout, count, columns


# --- the tables -----------------------------------------------------------------------------------


def layout_id(con: sqlite3.Connection, table: str, cols: Sequence[str]) -> int:
    """The id of ``table``'s column list ``cols`` (added the first time it is written)."""
    key = "\x1f".join(cols)
    row = con.execute(f"SELECT id FROM {LAYOUTS} WHERE tab = ? AND cols = ?", (table, key)).fetchone()
    if row:
        return int(row[0])
    return int(con.execute(f"INSERT INTO {LAYOUTS} (tab, cols) VALUES (?, ?)", (table, key)).lastrowid)  # type: ignore[arg-type]


def layouts(con: sqlite3.Connection, table: str) -> dict[int, list[str]]:
    return {i: cols.split("\x1f") for i, cols in con.execute(f"SELECT id, cols FROM {LAYOUTS} WHERE tab = ?", (table,))}


def insert(con: sqlite3.Connection, table: str, cols: Sequence[str], first: int, rows: Sequence[Sequence[object]]) -> None:
    """One article's rows of ``table`` (cells in ``cols`` order, rowids ``first`` …) as one record."""
    if not rows:
        return
    data = encode(rows, len(cols), layout_id(con, table, cols))
    con.execute(f'INSERT INTO {table_of(table)} ("_row", hi, data) VALUES (?, ?, ?)', (first, first + len(rows) - 1, data))


def top(table: str) -> str:
    """SQL giving the highest rowid a record of ``table`` holds (NULL when none): the last record's
    ``hi`` (records never overlap), found by the primary key rather than a scan of every record."""
    return f"SELECT (SELECT hi FROM {table_of(table)} ORDER BY _row DESC LIMIT 1) AS top"


def delete(con: sqlite3.Connection, table: str, lo: int, hi: int) -> None:
    con.execute(f"DELETE FROM {table_of(table)} WHERE _row BETWEEN ? AND ?", (lo, hi))


def rows_of(
    con: sqlite3.Connection, table: str, names: Sequence[str], records: list[tuple[int, bytes]], defaults: dict[str, object]
) -> list[tuple]:
    """(rowid, cells of ``names``) of every row of these records, in record order."""
    known = layouts(con, table)
    out: list[tuple] = []
    for first, data in records:
        layout, _ = _read_varint(bytes(data), 1)
        cols = known.get(layout)
        if cols is None:
            raise sqlite3.DatabaseError(f"{table_of(table)}: a record names a column layout the store does not hold")
        _, count, columns = decode(data, len(cols))
        at = {c: i for i, c in enumerate(cols)}
        picked = [columns[at[n]] if n in at else [defaults.get(n)] * count for n in names]
        out += zip(range(first, first + count), *picked, strict=True)
    return out


def select(
    con: sqlite3.Connection, table: str, names: Sequence[str], runs: list[tuple[int, int]] | None, defaults: dict[str, object]
) -> list[tuple]:
    """(rowid, cells) of the rows of ``table`` kept in records, all (rowid order) or those in ``runs``."""
    sql = f"SELECT _row, data FROM {table_of(table)}"
    if runs is None:
        records = con.execute(f"{sql} ORDER BY _row").fetchall()
    else:
        records = []
        for i in range(0, len(runs), 400):
            chunk = runs[i : i + 400]
            where = " OR ".join(["_row BETWEEN ? AND ?"] * len(chunk))
            records += con.execute(f"{sql} WHERE {where}", [x for p in chunk for x in p]).fetchall()
        records.sort(key=lambda r: r[0])
    return rows_of(con, table, names, records, defaults)


def defaults_of(con: sqlite3.Connection, table: str) -> dict[str, object]:
    """Each column's default as SQLite gives it to a row stored before the column was added."""
    out: dict[str, object] = {}
    for _, name, _, _, default, _ in con.execute(f"PRAGMA table_info({table})"):
        out[name] = None if default is None else con.execute(f"SELECT {default}").fetchone()[0]
    return out


def frame(rows: list[tuple], names: Sequence[str]) -> pd.DataFrame:
    """Rows as ``pd.read_sql_query`` would frame them (``_rowid_`` first)."""
    return pd.DataFrame.from_records(rows, columns=["_rowid_", *names], coerce_float=True)


def convert(con: sqlite3.Connection, tables: Sequence[str], runs: pd.DataFrame) -> None:
    """The rows of a version-6 store's clustered tables as records, inside the caller's transaction:
    each table's rows, in rowid order, cut where a run of :mod:`core.storage.clusters` starts or ends
    (rows outside every run are cut where their rowids stop being consecutive), each piece one record
    with the rowids and cells it had; the row tables are left empty. Values read back are unchanged.
    The rows are streamed (one article's piece held at a time), so a large store converts in little memory."""
    ensure_schema(con, tables)
    for table in tables:
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] != "_row"]
        quoted = ", ".join(f'"{c}"' for c in cols)
        tab = runs["tab"].to_numpy(dtype=object)
        mine = (tab == "") | (tab == table)
        order = np.argsort(runs["lo"].to_numpy(dtype=np.int64)[mine], kind="stable")
        los = runs["lo"].to_numpy(dtype=np.int64)[mine][order].tolist()
        his = runs["hi"].to_numpy(dtype=np.int64)[mine][order].tolist()
        layout = layout_id(con, table, cols)
        sql = f'INSERT INTO {table_of(table)} ("_row", hi, data) VALUES (?, ?, ?)'
        piece: list[tuple] = []
        piece_run = -1
        for row in con.execute(f"SELECT rowid, {quoted} FROM {table} ORDER BY rowid"):
            rowid = row[0]
            k = bisect.bisect_right(los, rowid) - 1
            run = k if k >= 0 and rowid <= his[k] else -1
            if piece and (run != piece_run or rowid != piece[-1][0] + 1):  # a record: consecutive rowids of one run (or none)
                con.execute(sql, (piece[0][0], piece[-1][0], encode([r[1:] for r in piece], len(cols), layout)))
                piece = []
            piece.append(row)
            piece_run = run
        if piece:
            con.execute(sql, (piece[0][0], piece[-1][0], encode([r[1:] for r in piece], len(cols), layout)))
        con.execute(f"DELETE FROM {table}")


def unpack(con: sqlite3.Connection, tables: Sequence[str]) -> list[str]:
    """The records of ``tables`` back as rows of the row tables (same rowids and cells), inside the
    caller's transaction: what a migration that adds a column to a version-7 store does first, so the
    column is added, defaulted and interned the way it is for rows; :func:`convert` packs them again.
    Returns the tables that held records."""
    done = []
    for table in tables:
        if not has_schema(con, (table,)):
            continue
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] != "_row"]
        rows = select(con, table, cols, None, defaults_of(con, table))
        if not rows:
            continue
        quoted = ", ".join(f'"{c}"' for c in cols)
        con.executemany(f"INSERT INTO {table} (rowid, {quoted}) VALUES ({', '.join('?' * (len(cols) + 1))})", rows)
        con.execute(f"DELETE FROM {table_of(table)}")
        done.append(table)
    return done
