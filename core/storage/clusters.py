"""An article's rows kept together, found without an index on ``article_id`` (schema version 6).

Why: each table of :data:`core.domain.schema.CLUSTERED` kept an index on ``article_id`` so that an
article's rows could be found (to read them again after a write, to delete or replace them); those
indexes held a second copy of every row's key (1.6 KB per article, a tenth of the store), and every
row held the article's id besides. But a write stores an article's rows together, so they are one run
of rowids: the ``clusters`` table records, per article, the run its rows take (``lo`` … ``hi``, the
rowids being given by the writer from one counter shared by the clustered tables, so one run covers
the article's rows in every table), and a row's ``article_id`` cell is NULL when it is that article.

What readers see does not change: :func:`fill` gives the NULL cells their article again, and the row
ids of :data:`core.domain.schema.SEQUENCE_IDS` that were stored as NULL (the pipeline's
``{article_id}-e{n:03d}``, ``n`` the row's place among the article's rows of that table) are made
again from the row's place in its run. A full read gives the rows in rowid order, as before: a write
takes rowids after every stored row, so an article written later (or rewritten) comes after the
others, as it did. A store converted from version 5 keeps its rowids: its runs are recorded per table
(``tab`` names the table; ``''`` is every clustered table).

An article's rows are the rows written with it: a row whose ``article_id`` is not the article being
written (no writer makes one) keeps its id in its cell and goes with that write's run.

The SQL here is the ``clusters`` table's own and the deletes by rowid run; :mod:`core.storage.store`
calls it for every write and read of the clustered tables.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

from core.domain.schema import CLUSTERED, SEQUENCE_IDS, sequence_id
from core.storage import rowpack

TABLE = "clusters"
#: The clustered tables' INTEGER PRIMARY KEY: the rowid itself, named, because VACUUM may renumber the
#: rowids of a table without one (and the runs here name rowids).
ROW = "_row"
CREATE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (article_id TEXT NOT NULL, tab TEXT NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL,"
    " PRIMARY KEY (article_id, tab, lo)) WITHOUT ROWID"
)
#: parameters per IN (...) list, and rowid runs per SELECT
_CHUNK = 400


def ensure_schema(con: sqlite3.Connection) -> None:
    con.execute(CREATE)


def next_rowid(con: sqlite3.Connection) -> int:
    """The first rowid of the next write: after every row of every clustered table (so the rows of a
    later write come after the others in each table, as SQLite's own rowids put them)."""
    tops = " UNION ALL ".join(f"SELECT MAX(rowid) AS top FROM {t}" for t in CLUSTERED)
    if rowpack.has_schema(con, CLUSTERED):  # version 7: the rows kept in records too
        tops += " UNION ALL " + " UNION ALL ".join(rowpack.top(t) for t in CLUSTERED)
    return 1 + con.execute(f"SELECT COALESCE(MAX(top), 0) FROM ({tops})").fetchone()[0]


def add(con: sqlite3.Connection, article_id: str, lo: int, hi: int) -> None:
    """Record that the rowids ``lo`` … ``hi`` of every clustered table are ``article_id``'s rows."""
    con.execute(f"INSERT INTO {TABLE} (article_id, tab, lo, hi) VALUES (?, '', ?, ?)", (article_id, lo, hi))


def spans(con: sqlite3.Connection, article_ids: Collection[str] | None = None) -> pd.DataFrame:
    """The runs (article_id, tab, lo, hi) of these articles (all of them when None)."""
    cols = ["article_id", "tab", "lo", "hi"]
    if article_ids is None:
        rows = con.execute(f"SELECT {', '.join(cols)} FROM {TABLE}").fetchall()
    else:
        ids, rows = list(article_ids), []
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            rows += con.execute(
                f"SELECT {', '.join(cols)} FROM {TABLE} WHERE article_id IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall()
    return pd.DataFrame(rows, columns=cols)


def of_table(runs: pd.DataFrame, table: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lo, hi, article_id) of the runs that hold rows of ``table``, sorted by ``lo``."""
    tab = runs["tab"].to_numpy(dtype=object)
    mine = np.flatnonzero((tab == "") | (tab == table))
    lo = runs["lo"].to_numpy(dtype=np.int64)[mine]
    order = np.argsort(lo, kind="stable")
    return lo[order], runs["hi"].to_numpy(dtype=np.int64)[mine][order], runs["article_id"].to_numpy(dtype=object)[mine][order]


def select(con: sqlite3.Connection, table: str, what: str, runs: pd.DataFrame | None) -> pd.DataFrame:
    """``SELECT rowid AS _rowid_, {what}`` of ``table`` as ``pd.read_sql_query`` gives it: every row
    (rowid order) or, with ``runs``, the rows in those runs (rowid order too); from version 7 the rows
    kept in packed records (:mod:`core.storage.rowpack`) with them, as if they were rows."""
    plain = _select_rows(con, table, what, runs)
    if not rowpack.has_schema(con, (table,)):
        return plain
    names = column_names(what)
    pairs = None if runs is None else list(zip(*(a.tolist() for a in of_table(runs, table)[:2]), strict=True))
    packed = rowpack.select(con, table, names, pairs, rowpack.defaults_of(con, table))
    if not packed:
        return plain
    if plain.empty:
        return rowpack.frame(packed, names)
    rows = sorted([*plain.itertuples(index=False, name=None), *packed], key=lambda r: r[0])  # a store written both ways
    return rowpack.frame(rows, names)


def column_names(what: str) -> list[str]:
    """The column names of a SQL column list (``a, "b"``), as the packed records name their columns."""
    return [n.strip().strip('"') for n in what.split(",")]


def _select_rows(con: sqlite3.Connection, table: str, what: str, runs: pd.DataFrame | None) -> pd.DataFrame:
    """:func:`select` of the rows stored one SQLite row each."""
    sql = f"SELECT rowid AS _rowid_, {what} FROM {table}"
    if runs is None:
        return pd.read_sql_query(f"{sql} ORDER BY rowid", con)
    lo, hi, _ = of_table(runs, table)
    pairs = [x for p in zip(lo.tolist(), hi.tolist(), strict=True) for x in p]
    if len(lo) <= _CHUNK:  # one query (at most 800 parameters), one frame
        where = " OR ".join(["rowid BETWEEN ? AND ?"] * len(lo)) or "0"
        return pd.read_sql_query(f"{sql} WHERE {where} ORDER BY rowid", con, params=pairs)
    cur = con.execute(f"{sql} LIMIT 0")
    names = [d[0] for d in cur.description]
    rows: list[tuple] = []
    for i in range(0, len(pairs), 2 * _CHUNK):
        chunk = pairs[i : i + 2 * _CHUNK]
        where = " OR ".join(["rowid BETWEEN ? AND ?"] * (len(chunk) // 2))
        rows += con.execute(f"{sql} WHERE {where}", chunk).fetchall()
    rows.sort(key=lambda r: r[0])
    return pd.DataFrame.from_records(rows, columns=names, coerce_float=True)  # as read_sql_query builds its frame


def fill(
    frame: pd.DataFrame,
    table: str,
    rowids: np.ndarray,
    runs: pd.DataFrame,
    article_ids: Collection[str] | None,
    blank_article: np.ndarray | None = None,
) -> pd.DataFrame:
    """``frame`` (rows of ``table`` in rowid order, their interned cells decoded, ``rowids`` theirs) with
    its NULL ``article_id`` cells (``blank_article``, as read) holding their run's article and its NULL
    sequence ids made again;
    with ``article_ids``, only the rows of those articles are kept (a run's rows whose own cell names
    another article are that article's)."""
    if frame.empty:
        return frame
    lo, hi, owner = of_table(runs, table)
    at = np.searchsorted(lo, rowids, side="right") - 1
    inside = (at >= 0) & (rowids <= hi[np.maximum(at, 0)]) if len(lo) else np.zeros(len(rowids), dtype=bool)
    at = np.where(inside, at, -1)
    aid = None
    if "article_id" in frame.columns:
        aid = frame["article_id"].to_numpy(dtype=object, copy=True)
        if blank_article is None:
            blank_article = pd.isna(frame["article_id"]).to_numpy()
        blank = blank_article & inside
        aid[blank] = owner[at[blank]]
        frame["article_id"] = aid
    seq = SEQUENCE_IDS.get(table)
    if seq and seq[0] in frame.columns and aid is not None:
        col, letter = seq
        ids = frame[col].to_numpy(dtype=object, copy=True)
        blank = np.flatnonzero(pd.isna(frame[col]).to_numpy() & inside)
        if len(blank):
            # a row's place among its run's rows of this table: rowid - the run's first rowid here + 1
            first = np.empty(len(rowids), dtype=np.int64)
            starts = np.flatnonzero(np.concatenate([[True], at[1:] != at[:-1]]))
            first[:] = np.repeat(rowids[starts], np.diff(np.concatenate([starts, [len(rowids)]])))
            place = rowids - first + 1
            ids[blank] = [sequence_id(aid[i], letter, int(place[i])) for i in blank.tolist()]
            frame[col] = pd.Series(ids.tolist(), index=frame.index)
    if article_ids is not None:
        keep = frame["article_id"].isin(list(article_ids)).to_numpy()
        if not keep.all():
            frame = frame[keep].reset_index(drop=True)
    return frame


def mark(table: str, cols: Sequence[str], plain: list[tuple], encoded: list[tuple], article_id: str) -> list[tuple]:
    """The cells to store for one write's rows of a clustered ``table`` (``plain``: the values,
    ``encoded``: as :mod:`core.storage.packing` encoded them): ``article_id`` NULL when it is the
    article written, a sequence id NULL when it is the one the pipeline gives for the row's place
    (a NULL id, which would now read as that, is stored as "", as it always read)."""
    ia = cols.index("article_id") if "article_id" in cols else None
    seq = SEQUENCE_IDS.get(table)
    iseq = cols.index(seq[0]) if seq and seq[0] in cols else None
    out = []
    for n, (p, e) in enumerate(zip(plain, encoded, strict=True), 1):
        cells = list(e)
        aid = p[ia] if ia is not None else None
        if ia is not None and aid == article_id and type(aid) is str:
            cells[ia] = None
        if iseq is not None and seq is not None:
            value = p[iseq]
            if value is None:
                cells[iseq] = ""
            elif type(aid) is str and value == sequence_id(aid, seq[1], n):
                cells[iseq] = None
        out.append(tuple(cells))
    return out


def delete(con: sqlite3.Connection, article_id: str) -> None:
    """Delete ``article_id``'s rows from every clustered table, and its runs."""
    for _, tab, lo, hi in spans(con, [article_id]).itertuples(index=False):
        for table in CLUSTERED if tab == "" else (tab,):
            con.execute(f"DELETE FROM {table} WHERE rowid BETWEEN ? AND ?", (int(lo), int(hi)))
            rowpack.delete(con, table, int(lo), int(hi))
    con.execute(f"DELETE FROM {TABLE} WHERE article_id = ?", (article_id,))


def convert(con: sqlite3.Connection, article_of: dict[object, object]) -> None:
    """The clustered tables of a version-5 (or older, already packed) store in the version-6 layout,
    inside the caller's transaction: each table's runs of rows with one article id (rowid order)
    recorded in ``clusters`` under that table, their ``article_id`` cells made NULL and their sequence
    ids NULL where they are the generated ones, the indexes on ``article_id`` dropped. ``article_of``:
    what an ``article_id`` cell holds → the article id it reads as (the strings of a packed store).
    Rowids are kept, so the rows read back in the same order."""
    ensure_schema(con)
    for table in CLUSTERED:
        present = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
        if ROW not in present:  # the table again, its rowids kept as its INTEGER PRIMARY KEY
            cols = ", ".join(f'"{c}"' for c in present)
            con.execute(f'CREATE TABLE {table}__v6 ("{ROW}" INTEGER PRIMARY KEY, {cols})')
            con.execute(f'INSERT INTO {table}__v6 ("{ROW}", {cols}) SELECT rowid, {cols} FROM {table}')
            con.execute(f"DROP TABLE {table}")  # and its index on article_id
            con.execute(f"ALTER TABLE {table}__v6 RENAME TO {table}")
        if "article_id" not in present:
            continue
        seq = SEQUENCE_IDS.get(table)
        seq_col = seq[0] if seq and seq[0] in present else None
        what = "article_id" + (f', "{seq_col}"' if seq_col else "")
        if seq_col:
            con.execute(f'UPDATE {table} SET "{seq_col}" = \'\' WHERE "{seq_col}" IS NULL')
        stored = con.execute(f"SELECT rowid, {what} FROM {table} ORDER BY rowid").fetchall()
        runs: list[tuple[str, int, int]] = []
        blank_ids: list[tuple[int]] = []
        start = 0
        for i in range(1, len(stored) + 1):
            if i < len(stored) and stored[i][1] == stored[start][1]:
                continue
            aid = article_of.get(stored[start][1], stored[start][1])
            if type(aid) is str:
                lo = stored[start][0]
                runs.append((aid, lo, stored[i - 1][0]))
                if seq_col and seq:
                    blank_ids += [(r[0],) for r in stored[start:i] if r[2] == sequence_id(aid, seq[1], r[0] - lo + 1)]
            start = i
        con.executemany(f"INSERT INTO {TABLE} (article_id, tab, lo, hi) VALUES (?, '{table}', ?, ?)", runs)
        con.executemany(f"UPDATE {table} SET article_id = NULL WHERE rowid BETWEEN ? AND ?", [(lo, hi) for _, lo, hi in runs])
        if seq_col:
            con.executemany(f'UPDATE {table} SET "{seq_col}" = NULL WHERE rowid = ?', blank_ids)
        con.execute(f"DROP INDEX IF EXISTS {table}_article")
