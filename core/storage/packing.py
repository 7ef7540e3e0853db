"""Repeated cells stored once, article texts compressed (schema version 5).

Why: after evidence was stored once (:mod:`core.storage.evidence`), most of a store's bytes were the
same few strings written again in every row — the rule that made an event (``type_rule``,
``date_rule``, ``status_rule``), its type, status, dates and actor lists, a mention's actor and rule —
and the article texts themselves (issue 14: 28 KB per article against a target of 10 KB). From schema
version 5 a cell of :data:`core.domain.schema.INTERNED` holds an integer: the id of its value in the
``strings`` table (0 for NULL), and ``texts.text`` holds the text compressed with zlib. Readers go
through :func:`decode_frame` and :func:`unpack_text`, so every reader sees the values it always saw:
the value and its SQLite type (``5`` and ``"5"`` are different strings here, as they are to SQLite).

From version 6 the ``strings`` table is looked up by a 24-bit hash of each value (:func:`string_hash`)
rather than by a UNIQUE index holding every value a second time, the Goldstein score and confidence are
interned too (:data:`core.domain.schema.INTERNED_FROM`), and texts are deflated with a frozen preset
dictionary (:data:`DICT_FILE`); :func:`convert_strings`, :func:`intern_columns` and :func:`repack_texts`
bring a version-5 store there.

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
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from core.domain.schema import INTERNED, interned

#: zlib level for article texts: level 6 is within 2% of level 9's size on news text at a third of its time.
TEXT_LEVEL = 6
#: Off: cells and texts are stored as they are (the layout of version 4), for the differential tests.
PACK = True
#: the SQLite storage class of each Python type a cell can hold (``typeof(value)`` in SQL)
_KIND = {str: "text", int: "integer", bool: "integer", float: "real", bytes: "blob"}
#: parameters per IN (...) list (SQLite's default limit before 3.32 was 999)
_CHUNK = 500

#: The version-5 layout of ``strings`` (converted by :func:`convert_strings`).
CREATE_V5 = "CREATE TABLE IF NOT EXISTS strings (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, value, UNIQUE (value, kind))"
#: From version 6 a string is found by a 24-bit hash of its kind and value (``h``, an index of 3-byte keys)
#: instead of a UNIQUE index on (value, kind), which held a second copy of every value (1 KB per article);
#: the kind is the value's own SQLite storage class (the column has no type, so 5, 5.0 and "5" stay apart).
CREATE = "CREATE TABLE IF NOT EXISTS strings (id INTEGER PRIMARY KEY, value, h INTEGER NOT NULL)"
_INDEX = "CREATE INDEX IF NOT EXISTS strings_h ON strings (h)"

#: Texts of version 6 start with this byte, then the raw deflate stream made with preset dictionary 1
#: (a zlib stream, version 5, starts with 0x78). Why a dictionary: a news text of 2-4 KB is too short for
#: deflate to learn its words; primed with 8 KB of real news prose it comes out 19% smaller on the
#: dev-real texts (and 40% on the synthetic ones), at no extra CPU.
_DICT_1 = b"\x01"
#: The preset dictionary's file: a frozen copy of the two sample articles (``data/articles`` in 2026).
#: NEVER edit it: every text stored with it needs exactly these bytes to be read (the tests pin its
#: hash); a better dictionary is a new file under a new leading byte.
DICT_FILE = Path(__file__).with_name("text_dict_1.txt")


@lru_cache(maxsize=1)
def _dictionary() -> bytes:
    return DICT_FILE.read_bytes()


def ensure_schema(con: sqlite3.Connection) -> None:
    """The ``strings`` table of the current layout (id 0 is never used: it stands for NULL)."""
    con.execute(CREATE)
    con.execute(_INDEX)


def pack_text(text: str | None) -> bytes | str | None:
    """The stored form of an article text: UTF-8 deflated with the preset dictionary (a BLOB), or the
    text itself when packing is off."""
    if text is None or not PACK:
        return text
    packer = zlib.compressobj(TEXT_LEVEL, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, _dictionary())
    return _DICT_1 + packer.compress(text.encode("utf-8")) + packer.flush()


def unpack_text(cell: object) -> str | None:
    """An article text as stored (a BLOB of version 6 or 5, or the TEXT of an older store) back as a string."""
    if isinstance(cell, (bytes, memoryview)):
        raw = bytes(cell)
        if raw[:1] == _DICT_1:
            unpacker = zlib.decompressobj(-15, _dictionary())
            return (unpacker.decompress(raw[1:]) + unpacker.flush()).decode("utf-8")
        return zlib.decompress(raw).decode("utf-8")
    return cell  # type: ignore[return-value]


def _key(value: object) -> tuple[str, object] | None:
    """The (storage class, value) a cell is interned under; None for a cell stored as NULL (a float NaN
    is stored by SQLite as NULL too)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return (_KIND.get(type(value), "text"), value)


@lru_cache(maxsize=1 << 16)
def string_hash(key: tuple[str, object]) -> int:
    """The 24-bit hash a (kind, value) is looked up by in a version-6 ``strings`` table (CRC-32 of the
    kind and the value's bytes: the same in every process and release, unlike Python's ``hash``). Three
    bytes keep the index small; the few values sharing a hash are told apart by comparing them."""
    kind, value = key
    if kind == "text":
        return text_hash(str(value))
    if kind == "integer":
        raw = str(int(value)).encode()  # type: ignore[call-overload]
    elif kind == "real":
        raw = repr(float(value)).encode()  # type: ignore[arg-type]
    else:
        raw = bytes(value)  # type: ignore[call-overload]
    return zlib.crc32(raw, zlib.crc32(kind.encode())) & 0xFFFFFF


_TEXT_SEED = zlib.crc32(b"text")


def text_hash(value: str) -> int:
    """:func:`string_hash` of a text (the usual key; also called directly, without the cache's tuple)."""
    return zlib.crc32(value.encode("utf-8", "surrogatepass"), _TEXT_SEED) & 0xFFFFFF


def plan(table: str, cols: Sequence[str]) -> list[int]:
    """Positions in ``cols`` of ``table``'s interned columns (none when packing is off)."""
    if not PACK:
        return []
    wanted = set(INTERNED.get(table, ()))
    return [i for i, c in enumerate(cols) if c in wanted]


def _ids(con: sqlite3.Connection, keys: set[tuple[str, object]]) -> dict[tuple[str, object], int]:
    """The id of every (kind, value), adding the values not stored yet (version-6 layout; inside the
    writer's transaction, so the ids given to the new values are the next free ones)."""
    found = _ids_of_existing(con, keys, current=True)
    missing = sorted((k for k in keys if k not in found), key=lambda k: (k[0], str(k[1])))
    if missing:
        (top,) = con.execute("SELECT COALESCE(MAX(id), 0) FROM strings").fetchone()
        new = [(top + 1 + i, k[1], string_hash(k)) for i, k in enumerate(missing)]
        con.executemany("INSERT INTO strings (id, value, h) VALUES (?, ?, ?)", new)
        found.update({k: sid for k, (sid, _, _) in zip(missing, new, strict=True)})
    return found


def encode_rows(con: sqlite3.Connection, table: str, cols: Sequence[str], data: Iterable[Sequence[object]]) -> list[tuple]:
    """Rows of ``table`` (in ``cols`` order) with each interned cell replaced by its string id."""
    return encode_tables(con, {table: (cols, data)})[table]


def encode_tables(
    con: sqlite3.Connection, tables: Mapping[str, tuple[Sequence[str], Iterable[Sequence[object]]]]
) -> dict[str, list[tuple]]:
    """:func:`encode_rows` for several tables (one article's rows) with one lookup of their strings."""
    work = {t: ([tuple(r) for r in data], plan(t, cols)) for t, (cols, data) in tables.items()}
    texts: set[object] = set()
    others: set[tuple[str, object]] = set()
    mixed: set[tuple[str, int]] = set()  # (table, column) holding numbers too
    for t, (rows, where) in work.items():
        for i in where:
            column = {r[i] for r in rows}
            if all(type(v) is str or v is None for v in column):
                texts |= column
            else:  # numbers (a score), cell by cell: in a set 5, 5.0 and True would be one
                others |= {k for r in rows if (k := _key(r[i])) is not None}
                mixed.add((t, i))
    texts.discard(None)
    ids = _ids(con, {("text", v) for v in texts} | others) if texts or others else {}
    # text and NULL, the usual cells: a value is its own key (no 5 == 5.0 == True to tell apart)
    lookup: dict[object, int] = {k[1]: i for k, i in ids.items() if k[0] == "text"}  # with the texts of columns holding numbers
    lookup[None] = 0

    def code(v: object) -> int:
        if type(v) is str or v is None:
            return lookup[v]
        k = _key(v)
        return 0 if k is None else ids[k]

    out: dict[str, list[tuple]] = {}
    for t, (rows, where) in work.items():
        if not where or not rows:
            out[t] = rows
            continue
        columns = list(zip(*rows, strict=True))  # column by column: one comprehension per column, not a call per cell
        for i in where:
            columns[i] = tuple(code(v) for v in columns[i]) if (t, i) in mixed else tuple(map(lookup.__getitem__, columns[i]))
        out[t] = list(zip(*columns, strict=True))
    return out


def keys_of(con: sqlite3.Connection, table: str, article_ids: Sequence[str]) -> list:
    """What ``table``'s ``article_id`` cells hold for these articles in a store of version 5 or older:
    their string ids in a packed store (an article with no string has no rows there), else the ids
    themselves. (From version 6 the clustered tables are read through :mod:`core.storage.clusters`.)"""
    version = layout_version(con)
    if "article_id" not in interned(table, version):
        return list(article_ids)
    ids = _ids_of_existing(con, {("text", a) for a in article_ids}, current=version >= 6)
    return [ids[("text", a)] for a in article_ids if ("text", a) in ids]


def _ids_of_existing(con: sqlite3.Connection, keys: set[tuple[str, object]], current: bool) -> dict[tuple[str, object], int]:
    """The ids of the (kind, value) pairs that are stored (none added); ``current``: the version-6
    layout (looked up by hash), else version 5's (by value and kind)."""
    found: dict[tuple[str, object], int] = {}
    if current:
        by_hash = list({text_hash(v) if k == "text" and type(v) is str else string_hash((k, v)) for k, v in keys})
        for i in range(0, len(by_hash), _CHUNK):
            chunk = by_hash[i : i + _CHUNK]
            for sid, value in con.execute(f"SELECT id, value FROM strings WHERE h IN ({','.join('?' * len(chunk))})", chunk):
                k = ("text", value) if type(value) is str else _key(value)
                if k in keys:
                    found[k] = sid  # type: ignore[index]
        return found
    values = list({v for _, v in keys})
    for i in range(0, len(values), _CHUNK):
        chunk = values[i : i + _CHUNK]
        sql = f"SELECT id, kind, value FROM strings WHERE value IN ({','.join('?' * len(chunk))})"
        for sid, kind, value in con.execute(sql, chunk):
            if (kind, value) in keys:
                found[(kind, value)] = sid
    return found


def layout_version(con: sqlite3.Connection) -> int:
    """The store's layout version (``PRAGMA user_version``)."""
    return int(con.execute("PRAGMA user_version").fetchone()[0])


def is_packed(con: sqlite3.Connection) -> bool:
    """Whether the store's cells are interned (schema version 5 or later)."""
    return layout_version(con) >= 5


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


def decode_frame(
    con: sqlite3.Connection, table: str, frame: pd.DataFrame, whole: bool = True, shared: dict | None = None, skip: Sequence[str] = ()
) -> pd.DataFrame:
    """``frame`` (rows of ``table`` as read) with its interned columns holding their values again,
    typed as ``pd.read_sql_query`` types a column of those values (so a reader cannot tell); unchanged
    for a store written before version 5. ``whole``: the frame holds most of the table (read every
    string at once) rather than a few articles' rows (read only the strings they use). ``shared``: a
    dict kept by a caller decoding several tables of one read, so the whole strings table is read and
    classified once for all of them. ``skip``: interned columns the caller fills itself (all NULL)."""
    cols = [c for c in interned(table, layout_version(con)) if c in frame.columns and c not in skip]
    if not cols or frame.empty:
        return frame
    ids = {c: frame[c].to_numpy() for c in cols}
    if any(a.dtype.kind not in "iu" for a in ids.values()):
        # a column not wholly ids: a store that is not version 5 after all; read as stored
        return frame
    if whole and shared is not None and "all" in shared:
        keys, values, textual, real = shared["all"]
    else:
        keys, values = _lookup(con, None if whole else np.concatenate(list(ids.values())))
        textual = np.fromiter((isinstance(v, str) for v in values), dtype=bool, count=len(values))
        real = np.fromiter((type(v) is float for v in values), dtype=bool, count=len(values))
        if whole and shared is not None:
            shared["all"] = (keys, values, textual, real)
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
        elif real[pos[known]].all():  # floats and None (a score): float64 with NaN, as read_sql_query gives it
            numbers = np.full(len(a), np.nan)
            numbers[known] = values[pos[known]].astype(np.float64)
            out[c] = numbers
        else:  # numbers too (a text column written with a number): pandas' own inference, as when read
            out[c] = pd.DataFrame.from_records([(v,) for v in decoded], columns=[c], coerce_float=True)[c]
    return out


def pack_stored(con: sqlite3.Connection) -> None:
    """Bring the rows of a store from before version 5 to its layout, inside the caller's transaction:
    every cell of an interned column becomes its string id. Values read back are unchanged. (The
    version-5 layout of ``strings``: :func:`convert_strings` follows; the texts are compressed once,
    by :func:`repack_texts`, the conversion to version 6's last step.)"""
    con.execute(CREATE_V5)
    if not PACK:
        return
    for table in INTERNED:
        cols = interned(table, 5)
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


def convert_strings(con: sqlite3.Connection) -> None:
    """A version-5 ``strings`` table in the version-6 layout (same ids and values, looked up by hash
    instead of a UNIQUE index on value and kind), inside the caller's transaction; nothing when it is
    already converted or absent."""
    present = {r[1] for r in con.execute("PRAGMA table_info(strings)")}
    if "kind" not in present:
        ensure_schema(con)
        return
    rows = con.execute("SELECT id, kind, value FROM strings").fetchall()
    con.execute("DROP TABLE strings")
    ensure_schema(con)
    con.executemany("INSERT INTO strings (id, value, h) VALUES (?, ?, ?)", [(i, v, string_hash((k, v))) for i, k, v in rows])


def intern_columns(con: sqlite3.Connection, columns_of: Mapping[str, Sequence[str]]) -> None:
    """Make the cells of these columns (of a converted, version-6 ``strings`` layout) string ids, in the
    caller's transaction: the columns a layout version started to intern (:data:`INTERNED_FROM`)."""
    if not PACK:
        return
    con.execute("CREATE TEMP TABLE IF NOT EXISTS _interned (kind TEXT, value, id INTEGER)")
    for table, cols in columns_of.items():
        present = {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
        for col in cols:
            if col not in present:
                continue
            keys = {k for (v,) in con.execute(f'SELECT DISTINCT "{col}" FROM {table}') if (k := _key(v)) is not None}
            ids = _ids(con, keys)
            con.execute("DELETE FROM _interned")
            con.executemany("INSERT INTO _interned (kind, value, id) VALUES (?, ?, ?)", [(k, v, i) for (k, v), i in ids.items()])
            con.execute(
                f'UPDATE {table} SET "{col}" = COALESCE((SELECT m.id FROM _interned m WHERE m.kind = typeof({table}."{col}") '
                f'AND m.value = {table}."{col}"), 0)'
            )
    con.execute("DROP TABLE _interned")


def repack_texts(con: sqlite3.Connection) -> None:
    """Every text of an older store in the current packed form (inside the caller's transaction)."""
    if not PACK:
        return
    rows = con.execute("SELECT article_id, text FROM texts WHERE text IS NOT NULL").fetchall()
    con.executemany(
        "UPDATE texts SET text = ? WHERE article_id = ?",
        [(pack_text(unpack_text(t)), a) for a, t in rows if not (isinstance(t, bytes) and t[:1] == _DICT_1)],
    )
