"""Repeated cells stored once, article texts compressed (schema version 5).

Why: after evidence was stored once (:mod:`core.storage.evidence`), most of a store's bytes were the
same few strings written again in every row — the rule that made an event (``type_rule``,
``date_rule``, ``status_rule``), its type, status, dates and actor lists, a mention's actor and rule —
and the article texts themselves (issue 14: 28 KB per article against a target of 10 KB). From schema
version 5 a cell of :data:`core.domain.schema.INTERNED` holds an integer: the id of its value in the
``strings`` table (0 for NULL), and ``texts.text`` holds the text compressed with zlib. Readers go
through :func:`decode_frame` and :func:`unpack_text`, so every reader sees the values it always saw:
the value and its SQLite type (``5`` and ``"5"`` are different strings here, as they are to SQLite).

Ids are looked up inside the writer's transaction for each article (one query), never cached across
transactions: a rolled-back transaction takes its new strings with it, and a cached id could then
name another string. Strings are never deleted, so an id read once stays valid for the store's life.

The SQL that this module runs is the ``strings`` table's own; the store (:mod:`core.storage.store`)
calls it for every write and read of the derived tables.
"""

from __future__ import annotations

import math
import sqlite3
import zlib
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from core.domain.schema import INTERNED

#: zlib level for article texts: level 6 is within 2% of level 9's size on news text at a third of its time.
TEXT_LEVEL = 6
#: Off: cells and texts are stored as they are (the layout of version 4), for the differential tests.
PACK = True
#: the SQLite storage class of each Python type a cell can hold (``typeof(value)`` in SQL)
_KIND = {str: "text", int: "integer", bool: "integer", float: "real", bytes: "blob"}
#: parameters per IN (...) list (SQLite's default limit before 3.32 was 999)
_CHUNK = 500

CREATE = "CREATE TABLE IF NOT EXISTS strings (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, value, UNIQUE (value, kind))"


def ensure_schema(con: sqlite3.Connection) -> None:
    """The ``strings`` table (id 0 is never used: it stands for NULL)."""
    con.execute(CREATE)


def pack_text(text: str | None) -> bytes | str | None:
    """The stored form of an article text: zlib-compressed UTF-8 (a BLOB), or the text itself when
    packing is off."""
    if text is None or not PACK:
        return text
    return zlib.compress(text.encode("utf-8"), TEXT_LEVEL)


def unpack_text(cell: object) -> str | None:
    """An article text as stored (a BLOB of version 5, or the TEXT of an older store) back as a string."""
    if isinstance(cell, (bytes, memoryview)):
        return zlib.decompress(bytes(cell)).decode("utf-8")
    return cell  # type: ignore[return-value]


def _key(value: object) -> tuple[str, object] | None:
    """The (storage class, value) a cell is interned under; None for a cell stored as NULL (a float NaN
    is stored by SQLite as NULL too)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return (_KIND.get(type(value), "text"), value)


def plan(table: str, cols: Sequence[str]) -> list[int]:
    """Positions in ``cols`` of ``table``'s interned columns (none when packing is off)."""
    if not PACK:
        return []
    interned = set(INTERNED.get(table, ()))
    return [i for i, c in enumerate(cols) if c in interned]


def _ids(con: sqlite3.Connection, keys: set[tuple[str, object]]) -> dict[tuple[str, object], int]:
    """The id of every (kind, value), adding the values not stored yet."""
    found = _ids_of_existing(con, keys)
    missing = [k for k in keys if k not in found]
    if missing:
        con.executemany("INSERT OR IGNORE INTO strings (kind, value) VALUES (?, ?)", missing)
        found.update(_ids_of_existing(con, set(missing)))
    return found


def encode_rows(con: sqlite3.Connection, table: str, cols: Sequence[str], data: Iterable[Sequence[object]]) -> list[tuple]:
    """Rows of ``table`` (in ``cols`` order) with each interned cell replaced by its string id."""
    return encode_tables(con, {table: (cols, data)})[table]


def encode_tables(
    con: sqlite3.Connection, tables: Mapping[str, tuple[Sequence[str], Iterable[Sequence[object]]]]
) -> dict[str, list[tuple]]:
    """:func:`encode_rows` for several tables (one article's rows) with one lookup of their strings."""
    work = {t: ([tuple(r) for r in data], plan(t, cols)) for t, (cols, data) in tables.items()}
    distinct: set[object] = set()
    for rows, where in work.values():
        for i in where:
            distinct.update([r[i] for r in rows])
    distinct.discard(None)
    if all(type(v) is str for v in distinct):
        # the usual case, text and NULL only: a value is its own key (no 5 == 5.0 == True to tell apart)
        ids = _ids(con, {("text", v) for v in distinct}) if distinct else {}
        lookup: dict[object, int] = {v: ids[("text", v)] for v in distinct}
        lookup[None] = 0

        def code(v: object) -> int:
            return lookup[v]

    else:
        keyed = _ids(con, {k for rows, where in work.values() for r in rows for i in where if (k := _key(r[i])) is not None})

        def code(v: object) -> int:
            k = _key(v)
            return 0 if k is None else keyed[k]

    out: dict[str, list[tuple]] = {}
    for t, (rows, where) in work.items():
        if not where:
            out[t] = rows
            continue
        encoded = []
        for r in rows:
            cells = list(r)
            for i in where:
                cells[i] = code(cells[i])
            encoded.append(tuple(cells))
        out[t] = encoded
    return out


def keys_of(con: sqlite3.Connection, table: str, article_ids: Sequence[str]) -> list:
    """What ``table``'s ``article_id`` cells hold for these articles: their string ids in a packed store
    (an article with no string has no rows there), else the ids themselves."""
    if "article_id" not in INTERNED.get(table, ()) or not is_packed(con):
        return list(article_ids)
    ids = _ids_of_existing(con, {("text", a) for a in article_ids})
    return [ids[("text", a)] for a in article_ids if ("text", a) in ids]


def _ids_of_existing(con: sqlite3.Connection, keys: set[tuple[str, object]]) -> dict[tuple[str, object], int]:
    """The ids of the (kind, value) pairs that are stored (none added)."""
    found: dict[tuple[str, object], int] = {}
    values = list({v for _, v in keys})
    for i in range(0, len(values), _CHUNK):
        chunk = values[i : i + _CHUNK]
        sql = f"SELECT id, kind, value FROM strings WHERE value IN ({','.join('?' * len(chunk))})"
        for sid, kind, value in con.execute(sql, chunk):
            if (kind, value) in keys:
                found[(kind, value)] = sid
    return found


def is_packed(con: sqlite3.Connection) -> bool:
    """Whether the store's cells are interned (schema version 5 or later)."""
    return con.execute("PRAGMA user_version").fetchone()[0] >= 5


def _lookup(con: sqlite3.Connection, ids: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(sorted ids, their values) of the strings table: all of it, or only ``ids``."""
    if ids is None:
        rows = con.execute("SELECT id, value FROM strings ORDER BY id").fetchall()
    else:
        wanted = [int(i) for i in np.unique(ids) if i]
        rows = []
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i : i + _CHUNK]
            rows += con.execute(f"SELECT id, value FROM strings WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
        rows.sort()
    keys = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    values = np.empty(len(rows), dtype=object)
    values[:] = [r[1] for r in rows]
    return keys, values


def decode_frame(con: sqlite3.Connection, table: str, frame: pd.DataFrame, whole: bool = True, shared: dict | None = None) -> pd.DataFrame:
    """``frame`` (rows of ``table`` as read) with its interned columns holding their values again,
    typed as ``pd.read_sql_query`` types a column of those values (so a reader cannot tell); unchanged
    for a store written before version 5. ``whole``: the frame holds most of the table (read every
    string at once) rather than a few articles' rows (read only the strings they use). ``shared``: a
    dict kept by a caller decoding several tables of one read, so the whole strings table is read and
    classified once for all of them."""
    cols = [c for c in INTERNED.get(table, ()) if c in frame.columns]
    if not cols or frame.empty or not is_packed(con):
        return frame
    ids = {c: frame[c].to_numpy() for c in cols}
    if any(a.dtype.kind not in "iu" for a in ids.values()):
        # a column not wholly ids: a store that is not version 5 after all; read as stored
        return frame
    if whole and shared is not None and "all" in shared:
        keys, values, textual = shared["all"]
    else:
        keys, values = _lookup(con, None if whole else np.concatenate(list(ids.values())))
        textual = np.fromiter((isinstance(v, str) for v in values), dtype=bool, count=len(values))
        if whole and shared is not None:
            shared["all"] = (keys, values, textual)
    out = frame.copy()
    for c, a in ids.items():
        pos = np.minimum(np.searchsorted(keys, a), max(len(keys) - 1, 0))
        known = (a != 0) & (keys[pos] == a) if len(keys) else np.zeros(len(a), dtype=bool)
        lost = int(((a != 0) & ~known).sum())
        if lost:
            raise sqlite3.DatabaseError(f"{table}.{c}: {lost} cell(s) name a string the store does not hold")
        decoded = np.full(len(a), None, dtype=object)
        decoded[known] = values[pos[known]]
        if textual[pos[known]].all():
            out[c] = decoded  # strings and None: what read_sql_query gives such a column
        else:  # numbers too (a text column written with a number): pandas' own inference, as when read
            out[c] = pd.DataFrame.from_records([(v,) for v in decoded], columns=[c], coerce_float=True)[c]
    return out


def pack_stored(con: sqlite3.Connection) -> None:
    """Bring the rows of a store from before version 5 to its layout, inside the caller's transaction:
    every cell of an interned column becomes its string id, every text is compressed. Values read back
    are unchanged."""
    ensure_schema(con)
    if not PACK:
        return
    for table, cols in INTERNED.items():
        present = {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
        for col in cols:
            if col not in present:
                continue
            con.execute(
                f'INSERT OR IGNORE INTO strings (kind, value) SELECT DISTINCT typeof("{col}"), "{col}" FROM {table} '
                f'WHERE "{col}" IS NOT NULL'
            )
            con.execute(
                f'UPDATE {table} SET "{col}" = COALESCE((SELECT s.id FROM strings s WHERE s.kind = typeof({table}."{col}") '
                f'AND s.value = {table}."{col}"), 0)'
            )
    rows = con.execute("SELECT article_id, text FROM texts WHERE typeof(text) = 'text'").fetchall()
    con.executemany("UPDATE texts SET text = ? WHERE article_id = ?", [(pack_text(t), a) for a, t in rows])
