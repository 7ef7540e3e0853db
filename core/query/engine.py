"""A DuckDB query layer over one store version: filters, aggregates and one page of events in SQL.

Why DuckDB: it runs in-process (no server to start beside Streamlit), stores the derived tables in
columns (a filter over 3 M events reads the few columns it tests, not every row object as pandas
masks do), runs the registry's SQL conditions (:func:`core.query.filters.where_clause`) nearly as
written, and only the small result (a page of rows, counts per month) crosses into Python.

Why the tables are adopted from :func:`core.query.tables.assemble` rather than read by DuckDB from
the SQLite file: DuckDB's SQLite scanner is an extension that is not bundled in the wheel and is
downloaded on first use, which this offline product cannot do (``duckdb_extensions()`` lists
``sqlite_scanner`` as not installed; ``parquet``, ``json`` and ``icu`` are built in). Adopting the
assembled tables (reference rows joined, types coerced, relations and resolution attached) once per
store version also makes the parity with the pandas path hold by construction: both read the same
rows, and the engine adds only pre-parsed date columns computed by the same pandas helpers.

The filters speak SQLite (``date(x, '+0 days')`` to validate a day, ``CAST(.. AS REAL)``); the one
place that adapts them to DuckDB is :func:`_dialect` (SQL macros with SQLite's names and meaning), so
``core/query/filters.py`` stays the one owner of what each filter keeps.
"""

from __future__ import annotations

import logging
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from core.domain.gazetteer import counts_as, state_code
from core.query import filters as F
from core.query import frames, memo

_log = logging.getLogger(__name__)

if TYPE_CHECKING:
    import duckdb

    from core.storage.store import Store

#: The tables the engine holds: the ones the filters read or look up in their SQL.
ENGINE_TABLES = ("events", "amounts", "articles", "actors", "mentions", "citations")
#: the engine's tables whose rows belong to articles (:meth:`Engine.after_write` carries them row by row)
_ARTICLE_TABLES = tuple(t for t in ENGINE_TABLES if t != "actors")
#: the resolved events' columns a collapsed row takes (:func:`core.storage.resolve.collapse`)
_RESOLVED_COLUMNS = (
    "resolved_id",
    "start_date",
    "end_date",
    "date_precision",
    "status",
    "n_reports",
    "n_articles",
    "n_publishers",
    "n_agencies",
    "actors",
    "agencies",
)
#: corroboration counts of a collapsed row (1 for a report whose resolved event is not in the table)
N_COLUMNS = ("n_reports", "n_articles", "n_publishers", "n_agencies")
#: Every table also gets ``_pos``, its row position in the pandas tables (ties break the way a stable
#: sort does); events get ``_start``/``_end`` (dates parsed once by :mod:`core.query.frames`) and
#: ``_n_sources`` (agencies the event names).
#: runs of kept rows past which :meth:`Engine.after_write` leaves a table to a fresh build (one copy
#: statement per run; an article's rows are one run, so a write of a few articles makes a few)
MAX_RUNS = 64
#: filter sets whose kept events stay materialised (a few sessions' last few clicks)
KEPT_SETS = 32
#: the events' columns the results read, copied for a filter set's kept events
_KEPT_COLUMNS = (
    "_pos",
    "event_id",
    "article_id",
    "_start",
    "_end",
    "quad_class",
    "goldstein",
    "source_actor",
    "target_actor",
    "_n_sources",
    "start_date",
    "resolved_id",
    "_lead_rank",
)
_PERIODS = {"M": "month", "Q": "quarter", "Y": "year"}
#: the date columns whose reading (:func:`core.query.filters._sql_date`) is kept as a column per table
_DATE_COLUMNS = {"events": ("start_date", "end_date"), "amounts": ("as_of_date",), "articles": ("published_date",)}
#: the ';'-list columns whose normalised form (:func:`core.query.filters._sql_list`) is kept likewise
_LIST_COLUMNS = {"events": ("actors", "sources", "topics"), "amounts": ("topics",)}
#: a ';'-list cell's items, stripped (frames.split_list; blanks are dropped by the caller)
_SQL_ITEMS = "list_transform(string_split(COALESCE(CAST({col} AS TEXT), ''), ';'), lambda x: trim(x))"


def _dialect(con: duckdb.DuckDBPyConnection) -> None:
    """SQLite's functions as the registry's conditions use them, defined in DuckDB.

    ``date(x, '+0 days')`` (renamed ``sqlite_date`` by :func:`to_duckdb`): SQLite gives the normalised
    day (30 Feb rolls over to 1 Mar, a malformed day is NULL); :func:`core.query.filters._sql_date`
    keeps a cell only when that equals the cell. Here a cell that is not a real day casts to NULL and
    a real one round-trips, so the test is the same.
    ``CAST(x AS REAL)`` of a blank string is 0.0 in SQLite and an error in DuckDB: the engine's numeric
    columns are typed (nullable), so it never sees a string there.
    """
    con.execute("CREATE OR REPLACE MACRO sqlite_date(x, modifier) AS CAST(TRY_CAST(x AS DATE) AS VARCHAR)")


#: SQLite's ``date(`` call; DuckDB's parser reads ``date(x)`` as a cast, so it cannot be a macro name
_SQLITE_DATE = re.compile(r"\bdate\(", re.IGNORECASE)


def to_duckdb(where: F.Where) -> F.Where:
    """A registry condition (SQLite dialect) as DuckDB runs it: the one place the dialects meet.

    Only the SQL text is rewritten; values travel as parameters, so no user value is ever touched.
    """
    return F.Where(_SQLITE_DATE.sub("sqlite_date(", where.sql), where.params)


#: table -> (kept column, the exact SQL text it stands for, as :func:`to_duckdb` turns it out)
_KEPT: dict[str, list[tuple[str, str]]] = {}
for _table, _cols in _DATE_COLUMNS.items():
    _KEPT.setdefault(_table, []).extend((f"_iso_{c}", to_duckdb(F.Where(F._sql_date(c))).sql) for c in _cols)
for _table, _cols in _LIST_COLUMNS.items():
    _KEPT.setdefault(_table, []).extend((f"_list_{c}", F._sql_list(c)) for c in _cols)


def _column(series: pd.Series) -> pd.Series:
    """A column DuckDB reads with one type: text stays text (non-strings as their str), numbers stay."""
    if series.dtype == object:
        return series.map(lambda v: None if v is None or (isinstance(v, float) and v != v) else v if isinstance(v, str) else str(v))
    return series


def _frame(df: pd.DataFrame, offset: int = 0) -> pd.DataFrame:
    """``df`` as DuckDB reads it, with ``_pos`` its rows' positions (``offset`` for the first)."""
    df = df.reset_index(drop=True)  # a block of rows: aligned with the frame made from them
    out = pd.DataFrame({c: _column(df[c]) for c in df.columns}, index=range(len(df)))
    out["_pos"] = np.arange(offset, offset + len(df), dtype=np.int64)
    return out


def _engine_frame(name: str, df: pd.DataFrame, offset: int = 0) -> pd.DataFrame:
    """One engine table's rows from the pandas table's rows ``df`` (positions from ``offset``): the
    columns as DuckDB reads them, and for events the dates parsed once (:mod:`core.query.frames`),
    the agencies named and the keys the leading report is chosen by. Row by row, so a table's rows
    made in pieces equal the rows made at once (:meth:`Engine.after_write` relies on it)."""
    out = _frame(df, offset)
    if name == "events":
        start, end = frames.event_dates(df)
        out["_start"] = start.to_numpy()
        out["_end"] = end.to_numpy()
        out["_n_sources"] = frames.source_counts(df) if len(df) else np.zeros(0, dtype=np.int64)
        out["_borrowed"], out["_width"] = _lead_keys(df)
        if "resolved_id" not in out.columns:  # no resolution attached: every report stands alone
            out["resolved_id"] = out["event_id"]
    return out


def _lead_keys(events: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per report, the keys :func:`core.storage.resolve.collapse` ranks a resolved event's reports by
    to pick the one whose row stands for it: whether its date is borrowed from the article, and its
    window's width in days (99999 when unknown), computed by the same pandas expressions."""
    if events.empty:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=float)
    ev = events
    start = pd.to_datetime(ev["start_date"], errors="coerce")
    end = pd.to_datetime(ev["end_date"].where(ev["end_date"].fillna("") != "", ev["start_date"]), errors="coerce")
    borrowed = ev["date_rule"].fillna("").astype(str).str.startswith("date:article")
    width = (end - start).dt.days.fillna(99999)
    return borrowed.to_numpy(dtype=bool), width.to_numpy(dtype=float)


def _timestamp(t: pd.Timestamp) -> str:
    """A timestamp as a SQL literal (the window's bounds: parsed dates, never text from a user)."""
    return f"TIMESTAMP '{pd.Timestamp(t).strftime('%Y-%m-%d %H:%M:%S')}'"


def _resolved_frame(resolved: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The resolved events as a collapsed row reads them (:func:`core.storage.resolve.collapse`): the
    resolved date as text and parsed, the agencies counted, the corroboration counts (1 when not a
    number); and one row per (resolved event, actor it lists)."""
    res = resolved.reset_index(drop=True)
    if res.empty:
        res = pd.DataFrame({c: pd.Series(dtype=object) for c in _RESOLVED_COLUMNS})
    start = res["start_date"].astype(object).where(res["start_date"].notna(), "")
    end = res["end_date"].astype(object).where(res["end_date"].notna(), "")
    dates = pd.DataFrame({"start_date": start, "end_date": end})
    out = pd.DataFrame(
        {
            "resolved_id": _column(res["resolved_id"].astype(object)),
            "start_date": _column(start),
            "_start": frames.to_datetime(dates["start_date"]).to_numpy() if len(res) else np.zeros(0, dtype="datetime64[ns]"),
            "_end": frames.to_datetime(dates["end_date"]).to_numpy() if len(res) else np.zeros(0, dtype="datetime64[ns]"),
            "_n_sources": np.array([len(frames.split_list(v)) for v in res["agencies"].fillna("").to_numpy(dtype=object)], dtype=np.int64),
            # what collapse takes as text from the resolved event besides its dates (the Timeline's
            # period and shape)
            **{
                c: _column(frames.text(res[c]) if c in res.columns else pd.Series([""] * len(res), dtype=object))
                for c in ("date_precision", "status")
            },
            **{c: pd.to_numeric(res[c], errors="coerce").fillna(1).astype(np.int64).to_numpy() for c in N_COLUMNS},
            "_rpos": np.arange(len(res), dtype=np.int64),
        }
    )
    pairs = {(str(r), a) for r, v in zip(out["resolved_id"], res["actors"].fillna("").to_numpy(dtype=object), strict=True) if r is not None
             for a in frames.split_list(v)}  # fmt: skip
    actors = pd.DataFrame(sorted(pairs), columns=["resolved_id", "actor"], dtype=object)
    return out, actors


def _side_sql(events: str) -> dict[str, str]:
    """The side tables of the events ``events`` (a table, or a subquery of some of its rows), each
    a row set made row by row from its events: ``_event_actor`` (:meth:`Engine.side_tables`), the
    agencies each report names and the reference rows (a chart's source line), and each event's
    source and target as stored, blanks dropped (the actors of a collapsed row)."""
    return {
        "_event_actor": f"""
            SELECT _pos, actor, bool_or(listed) AS listed FROM (
                SELECT _pos, unnest({_SQL_ITEMS.format(col="actors")}) AS actor, TRUE AS listed FROM {events}
                UNION ALL SELECT _pos, COALESCE(CAST(source_actor AS TEXT), ''), FALSE FROM {events}
                UNION ALL SELECT _pos, COALESCE(CAST(target_actor AS TEXT), ''), FALSE FROM {events}
            ) WHERE actor <> '' GROUP BY _pos, actor""",
        "_event_source": f"""
            SELECT DISTINCT _pos, agency FROM (
                SELECT _pos, unnest({_SQL_ITEMS.format(col="sources")}) AS agency FROM {events}
            ) WHERE agency <> ''""",
        "_event_ref": f"SELECT _pos FROM {events} WHERE lower(trim(COALESCE(CAST(origin AS TEXT), ''))) = 'reference'",
        "_event_st": f"""
            SELECT DISTINCT _pos, actor FROM (
                SELECT _pos, COALESCE(CAST(source_actor AS TEXT), '') AS actor FROM {events}
                UNION ALL SELECT _pos, COALESCE(CAST(target_actor AS TEXT), '') FROM {events}
            ) WHERE actor <> ''""",
    }


def _runs(m: memo.RowMap, name: str) -> list[tuple[int, int, int]]:
    """The kept rows of a :class:`core.query.memo.RowMap` as runs ``(lo, hi, at)``: the old positions
    ``lo..hi-1`` go to ``at..``, in order. An article's rows are one run, so a write of a few articles
    makes a few; past :data:`MAX_RUNS` ValueError (the caller builds the engine from scratch)."""
    new_at = np.concatenate([np.arange(m.start, dtype=np.int64), np.arange(m.stop, m.n_new, dtype=np.int64)])
    cuts = np.flatnonzero((np.diff(m.kept) != 1) | (np.diff(new_at) != 1)) + 1
    bounds = zip(np.r_[0, cuts].astype(int), np.r_[cuts, len(m.kept)].astype(int), strict=True)
    runs = [(int(m.kept[a]), int(m.kept[b - 1]) + 1, int(new_at[a])) for a, b in bounds if b > a]
    if len(runs) > MAX_RUNS:
        raise ValueError(f"{name}: {len(runs)} runs of kept rows")
    return runs


def _shifted(src: str, runs: list[tuple[int, int, int]]) -> str:
    """The rows of ``src`` in the ``runs`` (:func:`_runs`), ``_pos`` their new positions, in ``src``'s order."""
    if not runs:
        return f"SELECT * FROM {src} LIMIT 0"
    at = "CASE " + " ".join(f"WHEN _pos >= {lo} AND _pos < {hi} THEN _pos + {at - lo}" for lo, hi, at in runs) + " END"
    return f"SELECT * REPLACE ({at} AS _pos) FROM {src} WHERE {at} IS NOT NULL"


class _Instance:
    """The DuckDB database an engine and the engines brought forward from it (:meth:`Engine.after_write`)
    share, each in a database of its own inside it: what an engine let go leaves to drop.

    Why not dropped by the engine's finalizer itself: that can run inside any DuckDB call of any
    thread (the garbage collector runs where it likes), so the finalizer only notes the database and
    the next query or write of a living engine drops it, from a connection of its own."""

    def __init__(self, con: duckdb.DuckDBPyConnection, default: str | None) -> None:
        #: the database a new cursor starts in (None: a file, which engines are not brought forward in)
        self.default = default or str(con.execute("SELECT current_database()").fetchone()[0])
        self.in_memory = default is not None
        self._admin = con.cursor()
        self._lock = threading.Lock()
        self._n = 0
        #: (database, scratch database) of engines let go, to drop
        self.pending: list[tuple[str, str]] = []

    def connect(self) -> duckdb.DuckDBPyConnection:
        """A new connection to the instance (starting in its default database)."""
        with self._lock:
            return self._admin.cursor()

    def next_name(self) -> int:
        with self._lock:
            self._n += 1
            return self._n

    def release(self) -> None:
        """Drop what the engines let go held: their scratch database, and their own (detached; the
        default one, which cannot be, emptied)."""
        if not self.pending:
            return
        with self._lock:
            while self.pending:
                db, scratch = self.pending.pop()
                try:
                    if db == self.default:
                        names = self._admin.execute(
                            "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main'", [db]
                        ).fetchall()
                        for (name,) in names:
                            self._admin.execute(f'DROP TABLE IF EXISTS "{db}".main."{name}"')
                    else:
                        self._admin.execute(f"DETACH DATABASE IF EXISTS {db}")
                    self._admin.execute(f"DETACH DATABASE IF EXISTS {scratch}")
                except Exception:
                    _log.exception("dropping the tables of an engine let go failed")


@dataclass(frozen=True)
class Page:
    """One page of the events table: the events' ids in the page's order, and how many match;
    ``rows``: each event's row position in the events table the engine was built from (for a
    resolved event, its leading report's), and ``resolved_ids`` (blank for reports), so a caller
    can fetch the rows it shows without filtering anything."""

    event_ids: list[str]
    total: int
    rows: list[int] = field(default_factory=list)
    resolved_ids: list[str] = field(default_factory=list)


class Engine:
    """DuckDB over one version of the derived tables; every method takes a ``Filters`` value and
    returns a small result. Thread-safe: each call runs on its own cursor."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], database: str = ":memory:", memory_limit: str | None = None) -> None:
        """``database``: a DuckDB file to hold the tables (compressed on disk, read through DuckDB's
        buffer pool, so ``memory_limit`` bounds what stays resident) instead of memory."""
        import duckdb

        tables = frames.ensure_tables(tables)
        con = duckdb.connect(database)
        if memory_limit:
            con.execute(f"SET memory_limit = '{memory_limit}'")
        db = str(con.execute("SELECT current_database()").fetchone()[0])
        self._begin(con, _Instance(con, db if database == ":memory:" else None), db, "scratch", tables)
        for name in ENGINE_TABLES:
            self._adopt(name, _engine_frame(name, tables[name]), create=True)
        self._country_table(tables)
        self._resolved_table(tables)
        self._lead_order()
        self._keep_readings()
        self.side_tables()

    def _begin(
        self, con: duckdb.DuckDBPyConnection, instance: _Instance, db: str, scratch: str, tables: Mapping[str, pd.DataFrame]
    ) -> None:
        """The state every engine starts with, fresh or brought forward (:meth:`after_write`): its
        connection (whose default database ``db`` holds its tables), an empty memo and no kept
        filter set, the lookups of ``tables``; released (:class:`_Instance`) when the engine goes."""
        self.con = con
        self._instance = instance
        self._db, self._scratch = db, scratch
        self._use = db != instance.default  # a cursor starts in the instance's default database
        _dialect(self.con)
        self._lock = threading.RLock()
        self._kept_sets: OrderedDict[object, str] = OrderedDict()
        self._memo: OrderedDict[Hashable, Any] = OrderedDict()
        self._pinned: dict[object, str] = {}
        self._n_kept = 0
        self._kept: dict[str, list[tuple[str, str]]] = {}
        self.con.execute(f"ATTACH ':memory:' AS {scratch}")
        # what FilterSpec.where looks up in Python: actor countries and the amounts' columns
        self.lookup: dict[str, pd.DataFrame] = {
            "actors": tables["actors"].copy(),
            "amounts": tables["amounts"].iloc[:0].copy(),
            "events": tables["events"].iloc[:0].copy(),
            "articles": tables["articles"].iloc[:0].copy(),
        }
        #: whether the events carry their resolved event (else the resolved view is every report, as in pandas)
        self.resolves = "resolved_id" in tables["events"].columns
        #: the frames this engine holds the rows of (what :meth:`after_write` must be given as ``before``)
        self._sources = {name: weakref.ref(tables[name]) for name in (*ENGINE_TABLES, "resolved_events") if name in tables}
        weakref.finalize(self, instance.pending.append, (db, scratch))

    def _adopt(self, name: str, df: pd.DataFrame, create: bool, extra: str = "") -> None:
        """Rows of ``df`` (an :func:`_engine_frame`) into the table ``name``: a new table (``create``),
        or appended by column name (``extra``: more columns computed on the way, ``, expr AS col``)."""
        self.con.register("_src", df)
        try:
            cast = " REPLACE (CAST(_start AS TIMESTAMP) AS _start, CAST(_end AS TIMESTAMP) AS _end)" if name == "events" else ""
            if create:
                self.con.execute(f'CREATE TABLE "{name}" AS SELECT *{cast} FROM _src')
            else:
                self.con.execute(f'INSERT INTO "{name}" BY NAME SELECT *{extra} FROM (SELECT *{cast} FROM _src)')
        finally:
            self.con.unregister("_src")

    @classmethod
    def after_write(
        cls, previous: Engine, before: Mapping[str, pd.DataFrame], after: Mapping[str, pd.DataFrame], rewritten: Iterable[str]
    ) -> Engine:
        """The engine of the tables ``after``, brought forward from ``previous`` (the engine of the
        tables ``before``), where ``after`` is what :func:`core.query.tables.apply_changes` made of
        ``before`` when the articles ``rewritten`` were read again: it answers every question as
        ``Engine(after)`` does (``tests/test_engine_carry.py`` compares after random writes).

        Why: building an engine converts every row of every table into DuckDB (1.1-1.3 s CPU at 2,000
        articles) after each add, re-date or removal of one article. Here each table is the previous
        engine's kept rows (copied inside DuckDB, in order, their ``_pos`` shifted to the new
        positions) with only the rows read again converted and put in their place; an event whose
        resolved event changed gets its new one; ``_resolved`` and ``_resolved_actor`` drop and make
        again only the resolved events whose row changed; the side tables are the kept rows' with
        their positions mapped plus the new rows'. What is made over every row again: the leading
        report's rank and the resolved rows' order (``_lead_order``, one narrow window), the raw
        actor cells' countries, and the default view's resolved rows.

        Why copied, not changed in place: ``previous`` may still be answering another session that
        holds its version's tables (a page's row positions must fit those). The copy is DuckDB's
        columnar work inside one database (the new engine gets a database of its own in the same
        DuckDB instance); the previous engine's is dropped once nothing holds it (:class:`_Instance`).
        Kept filter sets and memos start empty: nothing of the previous version answers for this one.

        Raises ValueError when ``after`` is not laid out as ``apply_changes`` lays it out (the caller
        then builds an engine from scratch), or ``previous`` is not the engine of ``before``.
        """
        after = frames.ensure_tables(after)
        rewritten = frozenset(rewritten)
        inst = previous._instance
        if not inst.in_memory:
            raise ValueError("only an engine in memory is brought forward")
        if any(ref() is not before.get(name) for name, ref in previous._sources.items()):
            raise ValueError("the previous engine was not made of these tables")
        maps: dict[str, memo.RowMap | None] = {}
        for name in _ARTICLE_TABLES:
            if before[name] is after[name]:
                maps[name] = None  # untouched: its rows as they were
                continue
            m = F._row_map(before[name], after[name], rewritten)
            if m is None:
                raise ValueError(f"{name}: the rows read again are not one block among the kept rows")
            maps[name] = m
        inst.release()
        k = inst.next_name()
        db, scratch = f"v{k}", f"scratch_v{k}"
        con = inst.connect()
        try:
            con.execute(f"ATTACH ':memory:' AS {db}")
            con.execute(f"USE {db}")
            self = cls.__new__(cls)
            self._begin(con, inst, db, scratch, after)
        except Exception:
            inst.pending.append((db, scratch))
            raise
        self._kept = {table: list(kept) for table, kept in previous._kept.items()}
        for name in _ARTICLE_TABLES:
            self._carry_rows(name, f"{previous._db}.{name}", maps[name], after[name])
        if before["actors"] is after["actors"]:
            self.con.execute(f"CREATE TABLE actors AS SELECT * FROM {previous._db}.actors")
        else:  # a small table, made again
            self._adopt("actors", _engine_frame("actors", after["actors"]), create=True)
        self._carry_groups(maps["events"], before["events"], after["events"])
        self._country_table(after)
        self._carry_resolved(previous._db, before["resolved_events"], after["resolved_events"])
        self._lead_order()
        self._carry_side(previous._db, maps["events"])
        self._pin_default_view()
        return self

    def _carry_rows(self, name: str, src: str, m: memo.RowMap | None, new: pd.DataFrame) -> None:
        """The table ``name``: the kept rows of ``src`` (the previous engine's) shifted to their new
        positions, and the rows ``new[m.start:m.stop]`` (read again) put between them, their kept
        readings computed. Copied in the order of the positions (a filtered scan keeps the table's
        order, and the block goes in between), so the table is stored in that order as a fresh
        build stores it."""
        if m is None:
            self.con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM {src}')
            return
        runs = _runs(m, name)
        head, tail = [r for r in runs if r[2] < m.start], [r for r in runs if r[2] >= m.start]
        self.con.execute(f'CREATE TABLE "{name}" AS {_shifted(src, head)}')
        if m.stop > m.start:
            extra = "".join(f', {expr} AS "{col}"' for col, expr in self._kept.get(name, ()))
            self._adopt(name, _engine_frame(name, new.iloc[m.start : m.stop], m.start), create=False, extra=extra)
        if tail:
            self.con.execute(f'INSERT INTO "{name}" {_shifted(src, tail)}')

    def _carry_groups(self, m: memo.RowMap | None, before: pd.DataFrame, after: pd.DataFrame) -> None:
        """The kept events whose resolved event changed (a regrouped article's, the reference rows
        resolved again) get the new one."""
        if m is None or "resolved_id" not in after.columns:
            return
        new_at = np.concatenate([np.arange(m.start, dtype=np.int64), np.arange(m.stop, m.n_new, dtype=np.int64)])
        old = before["resolved_id"].to_numpy(dtype=object)[m.kept]
        new = after["resolved_id"].to_numpy(dtype=object)[new_at]
        differ = np.fromiter((a is not b and a != b for a, b in zip(old, new, strict=True)), dtype=bool, count=len(old))
        if not differ.any():
            return
        rows = pd.DataFrame({"_pos": new_at[differ], "rid": _column(pd.Series(new[differ], dtype=object)).to_numpy(dtype=object)})
        self.con.register("_src", rows)
        try:
            self.con.execute("UPDATE events SET resolved_id = u.rid FROM _src u WHERE events._pos = u._pos")
        finally:
            self.con.unregister("_src")

    def _carry_resolved(self, src: str, before: pd.DataFrame, after: pd.DataFrame) -> None:
        """``_resolved`` and ``_resolved_actor`` of the resolved events ``after``: the previous engine's
        rows of the resolved events whose row is the same in ``before`` (the columns
        :func:`_resolved_frame` reads, compared), the others made again; made from scratch when an
        id is missing or repeated (then the first row of an id stands for it)."""
        if before is after:
            for name in ("_resolved", "_resolved_actor"):
                self.con.execute(f"CREATE TABLE {name} AS SELECT * FROM {src}.{name}")
            return
        cols = [c for c in (*_RESOLVED_COLUMNS, "end_date") if c in after.columns]
        old_ids, new_ids = before.get("resolved_id"), after.get("resolved_id")
        if (
            before.empty or after.empty or old_ids is None or new_ids is None or list(before.columns) != list(after.columns)
            or old_ids.isna().any() or new_ids.isna().any() or not old_ids.is_unique or not new_ids.is_unique
        ):  # fmt: skip
            self._resolved_table(after)
            return
        at = pd.Index(old_ids.to_numpy(dtype=object)).get_indexer(new_ids.to_numpy(dtype=object))
        changed = at < 0
        same = np.flatnonzero(~changed)
        for c in cols:
            o = before[c].take(at[same]).reset_index(drop=True)
            n = after[c].take(same).reset_index(drop=True)
            eq = (o == n).fillna(False).to_numpy(dtype=bool) | (o.isna() & n.isna()).to_numpy(dtype=bool)
            changed[same[~eq]] = True
        gone = pd.Index(new_ids.to_numpy(dtype=object)).get_indexer(old_ids.to_numpy(dtype=object)) < 0
        drop = pd.DataFrame({"rid": [*old_ids[gone].astype(object), *new_ids[changed].astype(object)]}, dtype=object)
        fresh, actors = _resolved_frame(after[changed])
        self.con.register("_drop", drop)
        try:
            for name, rows in (("_resolved", fresh.drop(columns=["_rpos"])), ("_resolved_actor", actors)):
                self.con.execute(f"CREATE TABLE {name} AS SELECT * FROM {src}.{name} WHERE resolved_id NOT IN (SELECT rid FROM _drop)")
                if len(rows):
                    self.con.register("_src", rows)
                    cast = " REPLACE (CAST(_start AS TIMESTAMP) AS _start, CAST(_end AS TIMESTAMP) AS _end)" if name == "_resolved" else ""
                    self.con.execute(f"INSERT INTO {name} BY NAME SELECT *{cast} FROM _src")
                    self.con.unregister("_src")
        finally:
            self.con.unregister("_drop")

    def _carry_side(self, src: str, m: memo.RowMap | None) -> None:
        """The side tables (:func:`_side_sql`): the previous engine's rows of the kept events at
        their new positions, and the rows of the events read again."""
        if m is None:
            for name in _side_sql("events"):
                self.con.execute(f"CREATE TABLE {name} AS SELECT * FROM {src}.{name}")
            return
        runs = _runs(m, "events")
        block = f"(SELECT * FROM events WHERE _pos >= {m.start} AND _pos < {m.stop})"
        for name, sql in _side_sql(block).items():
            self.con.execute(f"CREATE TABLE {name} AS {_shifted(f'{src}.{name}', runs)}")
            if m.stop > m.start:
                self.con.execute(f"INSERT INTO {name} {sql}")

    def side_tables(self) -> None:
        """One row per (event, actor it names): listed in ``actors`` (items stripped) or its source or
        target (as stored), once per pair; ``listed`` when the ``actors`` list names it. Rebuilt by
        whoever changes ``events`` in place (the benchmark's scaled copy).

        :func:`core.query.frames.event_actor_index` as a table: ranking actors or counting the ones
        named then reads a narrow table instead of splitting every event's list on every query.
        """
        self.forget()
        for name, sql in _side_sql("events").items():
            self.con.execute(f"CREATE OR REPLACE TABLE {name} AS {sql}")
        self._pin_default_view()

    def _keep_readings(self) -> None:
        """Each date cell's reading (``_sql_date``) and each ';'-list's normalised form (``_sql_list``),
        evaluated once into a column.

        The registry's date condition is one long expression per date (about 1 KB of SQL, written
        several times in an event's overlap test); DuckDB spent ~25 ms planning each query with it
        inline, and re-normalised every list cell on every query. :meth:`where` puts the column's name
        in place of that exact text: the same value, computed by the same expression, once per store
        version.
        """
        for table, kept in _KEPT.items():
            for name, expr in kept:
                col = name.split("_", 2)[2]
                if col not in self.lookup[table].columns:
                    continue
                self.con.execute(f'ALTER TABLE "{table}" ADD COLUMN "{name}" VARCHAR')
                self.con.execute(f'UPDATE "{table}" SET "{name}" = {expr}')
                self._kept.setdefault(table, []).append((name, expr))

    def _country_table(self, tables: Mapping[str, pd.DataFrame]) -> None:
        """raw source/target cell -> the state it counts as (dyad.dyad_series' reading), one row per value."""
        countries = frames.actor_country_map(tables["actors"])
        ev = tables["events"]
        raw: set[str] = set()
        for col in ("source_actor", "target_actor"):
            if len(ev):  # each distinct cell once (frames.text of the cells, without reading every row)
                raw |= set(frames.text(pd.Series(ev[col].unique(), dtype=ev[col].dtype)))

        def country(a: str) -> str:
            a = a.strip()
            return counts_as(countries[a]) if a in countries else state_code(a)  # as the dyad figure reads it

        df = pd.DataFrame({"raw": sorted(raw), "country": [country(a) for a in sorted(raw)]}, dtype=object)
        self.con.register("_src", df)
        self.con.execute("CREATE TABLE _country AS SELECT CAST(raw AS VARCHAR) AS raw, CAST(country AS VARCHAR) AS country FROM _src")
        self.con.unregister("_src")

    def _resolved_table(self, tables: Mapping[str, pd.DataFrame]) -> None:
        """``_resolved``: what a collapsed row takes from its resolved event (one row per id, the first
        kept); ``_resolved_actor``: the actors each resolved event lists."""
        res, actors = _resolved_frame(tables.get("resolved_events", pd.DataFrame()))
        for name, df in (("_resolved", res), ("_resolved_actor", actors)):
            self.con.register("_src", df)
            cast = " REPLACE (CAST(_start AS TIMESTAMP) AS _start, CAST(_end AS TIMESTAMP) AS _end)" if name == "_resolved" else ""
            self.con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT *{cast} FROM _src")
            self.con.unregister("_src")
        self.con.execute(
            "CREATE OR REPLACE TABLE _resolved AS SELECT * EXCLUDE (_rpos) FROM _resolved "
            "QUALIFY row_number() OVER (PARTITION BY resolved_id ORDER BY _rpos) = 1"
        )

    def copy_rows(self, k: int) -> None:
        """Every article's rows ``k`` times over (ids suffixed ``~1`` … ``~k-1``, positions shifted):
        a simulated corpus k times the size, made inside DuckDB, for the benchmark's scale runs."""
        ids = {"events": ("event_id", "article_id", "resolved_id"), "amounts": ("amount_id", "article_id"), "articles": ("article_id",),
               "mentions": ("article_id",), "citations": ("article_id",), "_resolved": ("resolved_id",),
               "_resolved_actor": ("resolved_id",)}  # fmt: skip
        with self._lock:
            for t, cols in ids.items():
                n = int(self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                repl = ", ".join(f"s.{c} || '~' || r.k AS {c}" for c in cols)
                pos = f", s._pos + r.k * {n} AS _pos" if not t.startswith("_") else ""
                self.con.execute(
                    f"INSERT INTO {t} SELECT s.* REPLACE ({repl}{pos}) FROM (SELECT * FROM {t}) s CROSS JOIN range(1, {int(k)}) r(k)"
                )
            self._lead_order()
        self.side_tables()

    # ------------------------------------------------------------------ plumbing

    def where(self, table: str, filters: F.Filters) -> F.Where:
        """The registry's condition on ``table`` for these filters."""
        where = to_duckdb(F.where_clause(table, self.lookup, filters))
        sql = where.sql
        for name, expr in self._kept.get(table, ()):
            sql = sql.replace(expr, f'"{name}"')
        return F.Where(sql, where.params)

    def query(self, sql: str, params: tuple = ()) -> pd.DataFrame:
        """Run one statement on a fresh cursor (the connection is shared between sessions)."""
        self._instance.release()
        with self._lock:
            cur = self.con.cursor()
        try:
            if self._use:  # a cursor starts in the instance's default database, not this engine's
                cur.execute(f"USE {self._db}")
            return cur.execute(sql, list(params)).df()
        finally:
            cur.close()

    def _kept_table(self, filters: F.Filters) -> str | None:
        """The events these filters keep (the columns the results read, :data:`_KEPT_COLUMNS`), made
        once per filter set (None: all).

        A filter change asks for nine results; the registry's condition is evaluated once into this
        table and each result reads it, not the whole events table. The last :data:`KEPT_SETS` filter sets are kept (in an attached
        in-memory database every cursor sees), the oldest dropped.
        """
        w = self.where("events", filters)
        if w.sql == "TRUE":
            return None
        cols = ", ".join(_KEPT_COLUMNS)
        return self._keep(filters, f"SELECT {cols} FROM events WHERE {w.sql}", w.params)

    def _keep(self, key: object, sql: str, params: tuple = ()) -> str:
        """A result table made once per ``key`` by ``sql``; the last :data:`KEPT_SETS` keys are kept
        (the default view's, made with the engine, always)."""
        with self._lock:
            name = self._pinned.get(key) or self._kept_sets.get(key)
            if name is not None:
                if key in self._kept_sets:
                    self._kept_sets.move_to_end(key)
                return name
            self._n_kept += 1
            name = f"{self._scratch}.kept_{self._n_kept}"
            self.con.execute(f"CREATE TABLE {name} AS {sql}", list(params))
            self._kept_sets[key] = name
            while len(self._kept_sets) > KEPT_SETS:
                _old, dropped = self._kept_sets.popitem(last=False)
                self.con.execute(f"DROP TABLE IF EXISTS {dropped}")
        return name

    def _lead_order(self) -> None:
        """Per report, once per store version: ``_lead_rank``, its place among its resolved event's
        reports in collapse's choice of the leading one (own date first, then the narrowest window,
        then the id, then stored order), and ``_corder``, its place in collapse's order of rows
        (resolved start date as text, then id; the rest break ties as its stable sorts do).

        Under any filters, a resolved event's row is then its kept report of least ``_lead_rank`` (a
        grouped minimum, not a sort per filter change), and the rows keep ``_corder``'s order: ranking
        every report by the key ranks any subset of them the same way."""
        cols = {r[0] for r in self.con.execute("DESCRIBE events").fetchall()}
        for col in ("_lead_rank", "_corder"):
            if col not in cols:
                self.con.execute(f"ALTER TABLE events ADD COLUMN {col} BIGINT")
        # ranked on a narrow copy of the keys, then written back: sorting the wide rows (evidence text and
        # all) for the windows cost seconds per 100,000 events
        self.con.execute(f"""
            CREATE OR REPLACE TABLE {self._scratch}._lead AS
            SELECT e._pos,
                   row_number() OVER (PARTITION BY e.resolved_id ORDER BY e._borrowed, e._width, e.event_id, e._pos) AS _lead_rank,
                   row_number() OVER (
                       ORDER BY COALESCE(r.start_date, ''), e.event_id, e.resolved_id, e._borrowed, e._width, e._pos
                   ) AS _corder
            FROM (SELECT _pos, resolved_id, _borrowed, _width, event_id FROM events) e
            LEFT JOIN _resolved r ON r.resolved_id = e.resolved_id
        """)
        self.con.execute(
            f"UPDATE events SET _lead_rank = l._lead_rank, _corder = l._corder FROM {self._scratch}._lead l WHERE events._pos = l._pos"
        )
        self.con.execute(f"DROP TABLE {self._scratch}._lead")

    def _pin_default_view(self) -> None:
        """The default view's resolved rows and their actors, made with the engine (once per store
        version, like the pandas path's filter indexes) and kept until the engine goes."""
        with self._lock:
            for name in self._pinned.values():
                self.con.execute(f"DROP TABLE IF EXISTS {name}")
            self._pinned.clear()
        if not self.resolves:
            return
        everything = F.Filters()
        made = {key: self._keep(key, sql) for key, sql in ((("resolved", everything), self._collapsed_sql(everything)),)}
        made[("resolved-actors", everything)] = self._keep(
            ("resolved-actors", everything), self._collapsed_actors_sql(made[("resolved", everything)])
        )
        with self._lock:
            for key, name in made.items():
                self._kept_sets.pop(key, None)
                self._pinned[key] = name

    def _collapsed_sql(self, filters: F.Filters) -> str:
        kept = self._kept_table(filters)
        src = "events" if kept is None else kept
        return f"""
            WITH lead AS (
                SELECT * FROM events WHERE _pos IN (SELECT arg_min(_pos, _lead_rank) FROM {src} GROUP BY resolved_id)
            )
            SELECT lead._corder AS _pos, lead._pos AS _lead_pos, lead.event_id, lead.article_id, r._start, r._end,
                   lead.quad_class, lead.goldstein, lead.source_actor, lead.target_actor, COALESCE(r._n_sources, 0) AS _n_sources,
                   COALESCE(r.start_date, '') AS start_date, lead.resolved_id,
                   {", ".join(f"COALESCE(r.{c}, 1) AS {c}" for c in N_COLUMNS)}
            FROM lead LEFT JOIN _resolved r ON r.resolved_id = lead.resolved_id
        """

    @staticmethod
    def _collapsed_actors_sql(collapsed: str) -> str:
        return f"""
            SELECT _pos, actor, bool_or(listed) AS listed FROM (
                SELECT c._pos, a.actor, TRUE AS listed FROM {collapsed} c JOIN _resolved_actor a ON a.resolved_id = c.resolved_id
                UNION ALL SELECT c._pos, s.actor, FALSE FROM {collapsed} c JOIN _event_st s ON s._pos = c._lead_pos
            ) GROUP BY _pos, actor
        """

    def _collapsed_table(self, filters: F.Filters) -> str:
        """The kept events collapsed to one row per resolved event, as :func:`core.storage.resolve.collapse`
        makes them (made once per filter set, kept beside the reports' sets).

        The row of a resolved event is its leading report among the kept ones (least ``_lead_rank``,
        :meth:`_lead_order`) with the resolved event's date, agencies and corroboration counts;
        ``_pos`` is the leading report's ``_corder``, so rows order and break ties as collapse's
        stable sorts do.
        """
        return self._keep(("resolved", filters), self._collapsed_sql(filters))

    def _collapsed_actors(self, filters: F.Filters) -> str:
        """Each resolved row's actors (listed: those the resolved event lists; and its leading report's
        source and target), as ``_event_actor`` holds them for reports; made when first asked for."""
        collapsed = self._collapsed_table(filters)
        return self._keep(("resolved-actors", filters), self._collapsed_actors_sql(collapsed))

    def memo(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """A result derived from this engine's answers (a page's graph or layout), made once per
        ``key`` (which must name the filter set and report mode); the last :data:`KEPT_SETS` kept.
        Lives and dies with the engine, so with its store version."""
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        value = make()  # outside the lock: other sessions' queries need not wait
        with self._lock:
            self._memo[key] = value
            while len(self._memo) > KEPT_SETS:
                self._memo.popitem(last=False)
        return value

    def forget(self) -> None:
        """Drop every kept filter set (after the tables change, or to time a fresh filter change)."""
        with self._lock:
            self._memo.clear()
            for name in self._kept_sets.values():
                self.con.execute(f"DROP TABLE IF EXISTS {name}")
            self._kept_sets.clear()

    def _resolving(self, every: bool) -> bool:
        return not every and self.resolves

    def _actor_rows(self, filters: F.Filters, every: bool) -> str:
        """One row per (shown event, actor it names) with ``listed``: the table the actor results read."""
        if self._resolving(every):
            return f"(SELECT _pos, actor, listed FROM {self._collapsed_actors(filters)})"
        kept = self._kept_table(filters)
        return "_event_actor" if kept is None else f"(SELECT * FROM _event_actor WHERE _pos IN (SELECT _pos FROM {kept}))"

    def _events(self, filters: F.Filters, every: bool = True) -> tuple[str, tuple]:
        """The shown events as a subquery: the kept reports, or (``every`` False) their resolved events."""
        if self._resolving(every):
            return f"(SELECT * FROM {self._collapsed_table(filters)})", ()
        kept = self._kept_table(filters)
        return ("(SELECT * FROM events)", ()) if kept is None else (f"(SELECT * FROM {kept})", ())

    # ------------------------------------------------------------------ results

    def event_count(self, filters: F.Filters, *, every: bool = False) -> int:
        """Events under the filters (the Events page's total, the Overview's "Events"): resolved events,
        or reports with ``every``."""
        sub, params = self._events(filters, every)
        return int(self.query(f"SELECT count(*) AS n FROM {sub}", params)["n"].iloc[0])

    def article_count(self, filters: F.Filters) -> int:
        """Articles under the filters: those the filters keep, plus every article behind a kept event
        (:func:`core.query.filters.filter_articles`)."""
        wa = self.where("articles", filters)
        if wa.sql == "TRUE":  # nothing narrows the articles: skip the join (DuckDB does not cut the OR short)
            return int(self.query("SELECT count(*) AS n FROM articles")["n"].iloc[0])
        sub, params = self._events(filters, every=True)  # the articles behind the kept reports
        sql = (
            f"SELECT count(*) AS n FROM articles WHERE ({wa.sql}) OR COALESCE(CAST(article_id AS TEXT), '') IN "
            f"(SELECT COALESCE(CAST(article_id AS TEXT), '') FROM {sub})"
        )
        return int(self.query(sql, wa.params + params)["n"].iloc[0])

    def overview(self, filters: F.Filters, *, every: bool = False) -> dict[str, Any]:
        """The Overview's four figures: articles, events, distinct actors named, first and last event day
        (events, actors and days of the resolved events, or of every report with ``every``)."""
        sub, params = self._events(filters, every)
        actors = self.query(f"SELECT count(DISTINCT actor) AS n FROM {self._actor_rows(filters, every)} WHERE listed")
        span = self.query(f"SELECT least(min(_start), min(_end)) AS lo, greatest(max(_start), max(_end)) AS hi FROM {sub}", params)
        lo, hi = span["lo"].iloc[0], span["hi"].iloc[0]
        return {
            "articles": self.article_count(filters),
            "events": self.event_count(filters, every=every),
            "actors": int(actors["n"].iloc[0]),
            "first": None if pd.isna(lo) else pd.Timestamp(lo),
            "last": None if pd.isna(hi) else pd.Timestamp(hi),
        }

    def monthly_counts(self, filters: F.Filters, freq: str = "M", *, every: bool = False) -> pd.DataFrame:
        """Dated events per period (``freq`` M, Q or Y; ``month`` is the period's first day) and
        QuadClass (NaN where unknown): the Timeline's counts and the bars of an activity chart."""
        sub, params = self._events(filters, every)
        unit = _PERIODS[freq]
        return self.query(
            f"SELECT CAST(date_trunc('{unit}', _start) AS TIMESTAMP) AS month, CAST(quad_class AS DOUBLE) AS quad_class, "
            f"count(*) AS n_events FROM {sub} WHERE _start IS NOT NULL GROUP BY ALL ORDER BY month, quad_class NULLS LAST",
            params,
        )

    def top_actors(self, filters: F.Filters, n: int | None = 10, *, every: bool = False) -> pd.DataFrame:
        """The ``n`` actors in most events (listed, source or target; an event counts once per actor),
        ties by id: the Network's and the actor picker's ranking (``n`` None: every actor named)."""
        sql = f"SELECT actor, count(*) AS n_events FROM {self._actor_rows(filters, every)} GROUP BY actor ORDER BY n_events DESC, actor" + (
            "" if n is None else f" LIMIT {int(n)}"
        )
        return self.query(sql)

    def dyad_series(self, filters: F.Filters, freq: str = "M", *, every: bool = False) -> pd.DataFrame:
        """:func:`core.views.figures.dyad.dyad_series` of the filtered events, in SQL: Σ Goldstein and
        events per period and direction between Russia and each Korea (the Overview's chart).

        The sums are exact (decimals, as :meth:`relations`' means): a float sum depends on the order
        DuckDB meets the rows in, which differs between an engine built and one brought forward
        (:meth:`after_write`), and between threads."""
        sub, params = self._events(filters, every)
        unit = _PERIODS[freq]
        sql = f"""
            WITH ev AS {sub},
            d AS (
                SELECT s.country AS src, t.country AS tgt, ev._start AS date, ev.goldstein AS goldstein
                FROM ev JOIN _country s ON s.raw = COALESCE(CAST(ev.source_actor AS TEXT), '')
                        JOIN _country t ON t.raw = COALESCE(CAST(ev.target_actor AS TEXT), '')
                WHERE ev._start IS NOT NULL AND ev.goldstein IS NOT NULL AND NOT isnan(ev.goldstein)
                  AND (src, tgt) IN (('RUS', 'KOR'), ('KOR', 'RUS'), ('RUS', 'PRK'), ('PRK', 'RUS'))
            )
            SELECT CAST(date_trunc('{unit}', date) AS TIMESTAMP) AS month,
                   'RUS–' || CASE WHEN src = 'RUS' THEN tgt ELSE src END AS dyad,
                   src || '→' || tgt AS direction, CAST(sum(CAST(goldstein AS DECIMAL(18, 6))) AS DOUBLE) AS goldstein_sum,
                   count(*) AS n_events
            FROM d GROUP BY ALL ORDER BY month, dyad, direction
        """
        return self.query(sql, params)

    def relations(self, filters: F.Filters, *, every: bool = False) -> pd.DataFrame:
        """:func:`core.query.relations.build_relations` of the filtered events at the actor level (what
        the Network draws): per ordered pair source → target (both named, not the same), the events,
        first and last start date as written, mean Goldstein (to 2 places), events per QuadClass and
        the pair's event ids."""
        from core.domain.schema import TABLES

        sub, params = self._events(filters, every)
        src, tgt = "trim(COALESCE(CAST(source_actor AS TEXT), ''))", "trim(COALESCE(CAST(target_actor AS TEXT), ''))"
        quads = ", ".join(f"count(*) FILTER (WHERE quad_class = {q}) AS q{q}" for q in (1, 2, 3, 4))
        sql = f"""
            WITH e AS (
                SELECT {src} AS source_actor, {tgt} AS target_actor, COALESCE(CAST(event_id AS TEXT), '') AS event_id,
                       NULLIF(start_date, '') AS start_date, goldstein, quad_class, _pos FROM {sub}
            )
            SELECT source_actor, target_actor, count(DISTINCT event_id) AS n_events,
                   COALESCE(min(start_date), '') AS first_date, COALESCE(max(start_date), '') AS last_date,
                   CAST(avg(CAST(goldstein AS DECIMAL(18, 6))) AS DOUBLE) AS mean_goldstein, 'actor' AS level, {quads},
                   string_agg(DISTINCT event_id, ';' ORDER BY event_id) AS event_ids
            FROM e WHERE source_actor <> '' AND target_actor <> '' AND source_actor <> target_actor
            GROUP BY source_actor, target_actor ORDER BY source_actor, target_actor
        """
        out = self.query(sql, params)
        # summed exactly (as decimals: the same in any order or thread) and rounded as pandas rounds (half
        # to even on the float); a mean that is exactly x.xx5 can come out one step apart from pandas',
        # whose float sum depends on its summation order (1.8250000000000002 there, 1.825 here)
        out["mean_goldstein"] = np.round(out["mean_goldstein"].astype(float), 2)
        return out[TABLES["relations"]]

    def _page(self, filters: F.Filters, every: bool, order: str, where: str = "", offset: int = 0, limit: int = 5000) -> Page:
        """The shown events in ``order`` (``where``: a condition on them), one page of them."""
        sub, params = self._events(filters, every)
        resolving = self._resolving(every)
        row, rid = ("_lead_pos", "COALESCE(CAST(resolved_id AS TEXT), '')") if resolving else ("_pos", "''")
        got = self.query(
            f"SELECT COALESCE(CAST(event_id AS TEXT), '') AS event_id, {row} AS _row, {rid} AS resolved_id FROM {sub} {where} "
            f"ORDER BY {order} LIMIT {max(0, int(limit))} OFFSET {max(0, int(offset))}",
            params,
        )
        return Page(list(got["event_id"]), len(got), [int(x) for x in got["_row"]], list(got["resolved_id"]))

    def events_page(
        self, filters: F.Filters, offset: int = 0, limit: int = 5000, newest_first: bool = False, *, every: bool = False
    ) -> Page:
        """One page of the Events table (:func:`ui.tables.events_view`'s order: dated first, by start
        day, then id, then stored order) and the number of events under the filters."""
        direction = "DESC" if newest_first else "ASC"
        page = self._page(filters, every, f"_start IS NULL, _start {direction}, event_id, _pos", "", offset, limit)
        return Page(page.event_ids, self.event_count(filters, every=every), page.rows, page.resolved_ids)

    def top_page(self, filters: F.Filters, by: str = "recent", n: int = 8, *, every: bool = False) -> Page:
        """:func:`ui.tables.top_events`' choice (the Overview's latest / most cited); ``by="corroborated"``:
        :func:`ui.resolved.most_corroborated`'s (resolved events only; none with ``every``)."""
        if by == "recent":
            return self._page(filters, every, "_start DESC, event_id, _pos", "WHERE _start IS NOT NULL", 0, n)
        if by == "corroborated":
            if not self._resolving(every):
                return Page([], 0)
            order = "n_articles DESC, n_publishers DESC, n_agencies DESC, _start DESC NULLS LAST, event_id, _pos"
            return self._page(filters, every, order, "", 0, n)
        return self._page(filters, every, "_n_sources DESC, _start DESC NULLS LAST, event_id, _pos", "", 0, n)

    def top_events(self, filters: F.Filters, by: str = "recent", n: int = 8, *, every: bool = False) -> list[str]:
        """:meth:`top_page`'s event ids."""
        return self.top_page(filters, by, n, every=every).event_ids

    def sources(self, filters: F.Filters) -> dict[str, Any]:
        """What :func:`core.views.figures.style.source_line` gathers from the kept reports and the
        filtered tables, for :func:`~core.views.figures.style.source_text`: the number of articles
        behind them, those articles' publications, the reference rows, and the agencies (named by
        the reports or cited in those articles)."""
        kept = self._kept_table(filters)
        src = "events" if kept is None else kept
        narrow = "" if kept is None else f" WHERE _pos IN (SELECT _pos FROM {kept})"
        aid = "COALESCE(CAST(article_id AS TEXT), '')"
        with_ids = f"WITH ids AS (SELECT DISTINCT {aid} AS article_id FROM {src} WHERE {aid} <> '')"
        counts = self.query(f"{with_ids} SELECT (SELECT count(*) FROM ids) AS n, (SELECT count(*) FROM _event_ref{narrow}) AS n_reference")
        agencies = self.query(f"""
            {with_ids} SELECT DISTINCT a FROM (
                SELECT agency AS a FROM _event_source{narrow}
                UNION ALL SELECT trim(COALESCE(CAST(agency AS TEXT), '')) FROM citations WHERE {aid} IN (SELECT article_id FROM ids)
            ) WHERE a <> ''
        """)
        publications = self.query(f"""
            {with_ids} SELECT DISTINCT COALESCE(CAST(publication AS TEXT), '') AS p FROM articles
            WHERE {aid} IN (SELECT article_id FROM ids) AND COALESCE(CAST(publication AS TEXT), '') <> ''
        """)
        return {
            "n": int(counts["n"].iloc[0]),
            "publications": list(publications["p"]),
            "n_reference": int(counts["n_reference"].iloc[0]),
            "agencies": list(agencies["a"]),
        }

    # ------------------------------------------------------------------ the Timeline

    def _timeline_base(self, filters: F.Filters, every: bool) -> str:
        """The shown events the Timeline can place, one row each, made once per filter set and report
        mode (kept like the kept events): ``_row`` (the event's place in the pages' order), ``_lead_pos``
        (the report whose row stands for it), ``_rid`` (its resolved event, '' for every report),
        ``event_id``, ``_s0`` and ``_end0`` (its start, and the last day it can mean when after the
        start: its stated end, else the end of its month, year or decade, as
        :func:`core.query.frames.period_end`), ``_q0``, ``_occ`` (status occurred), ``_type``, ``_src``
        and ``_tgt`` (stripped)."""
        text = "COALESCE(CAST({} AS TEXT), '')"
        if self._resolving(every):
            src = f"""
                SELECT c._pos AS _row, c._lead_pos, {text.format("c.resolved_id")} AS _rid, {text.format("c.event_id")} AS event_id,
                       c._start AS _s0, c._end AS _e0, lower(trim(COALESCE(r.date_precision, ''))) AS _prec, c.quad_class AS _q0,
                       lower(COALESCE(r.status, '')) = 'occurred' AS _occ, {text.format("ev.event_type")} AS _type,
                       trim({text.format("c.source_actor")}) AS _src, trim({text.format("c.target_actor")}) AS _tgt
                FROM {self._collapsed_table(filters)} c JOIN events ev ON ev._pos = c._lead_pos
                LEFT JOIN _resolved r ON r.resolved_id = c.resolved_id"""
        else:
            kept = self._kept_table(filters)
            has_prec = "date_precision" in self.lookup["events"].columns
            prec = f"lower(trim({text.format('date_precision')}))" if has_prec else "'day'"
            src = f"""
                SELECT _pos AS _row, _pos AS _lead_pos, '' AS _rid, {text.format("event_id")} AS event_id, _start AS _s0, _end AS _e0,
                       {prec} AS _prec, quad_class AS _q0, lower({text.format("status")}) = 'occurred' AS _occ,
                       {text.format("event_type")} AS _type, trim({text.format("source_actor")}) AS _src,
                       trim({text.format("target_actor")}) AS _tgt
                FROM events{"" if kept is None else f" WHERE _pos IN (SELECT _pos FROM {kept})"}"""
        sql = f"""
            WITH base AS ({src}),
            ends AS (
                SELECT *, CASE WHEN _e0 IS NOT NULL AND _e0 > _s0 THEN _e0
                               WHEN _prec = 'month' THEN CAST(last_day(_s0) AS TIMESTAMP)
                               WHEN _prec = 'year' THEN make_timestamp(year(_s0), 12, 31, 0, 0, 0)
                               WHEN _prec = 'decade' THEN make_timestamp(year(_s0) // 10 * 10 + 9, 12, 31, 0, 0, 0)
                               ELSE _s0 END AS _pe
                FROM base WHERE _s0 IS NOT NULL
            )
            SELECT _row, _lead_pos, _rid, event_id, _s0, CASE WHEN _pe > _s0 THEN _pe END AS _end0, _q0, _occ, _type, _src, _tgt FROM ends
        """
        return self._keep(("timeline", filters, self._resolving(every)), sql)

    def _timeline_points(self, filters: F.Filters, lane: str, every: bool, window: tuple[object, object] | None) -> str:
        """SQL of one row per (shown event, lane it sits in), as :func:`core.views.figures.timeline._points`
        and ``clip_to_window`` make them, from :meth:`_timeline_base`: an actor lane is the event's
        source or target, else every actor it lists; a type lane is its event type ("unknown type" when
        blank). Columns: ``_row``, ``_lead_pos``, ``_rid``, ``event_id``, ``lane`` (an actor id or a
        type), ``_s`` and ``_e`` (its period cut to the window; ``_e`` NULL when not after ``_s``),
        ``_q`` (QuadClass, NULL when unknown) and ``_occ`` (status occurred)."""
        base = self._timeline_base(filters, every)
        if lane == "type":
            lanes = f"SELECT *, CASE WHEN _type = '' THEN 'unknown type' ELSE _type END AS lane FROM {base}"
        else:  # the source and the target (once when the same), else every actor listed
            if self._resolving(every):
                listed, key = "SELECT COALESCE(CAST(resolved_id AS TEXT), '') AS _k, actor FROM _resolved_actor", "_rid"
            else:
                listed, key = "SELECT _pos AS _k, actor FROM _event_actor WHERE listed", "_row"
            lanes = f"""
                SELECT *, _src AS lane FROM {base} WHERE _src <> ''
                UNION ALL SELECT *, _tgt FROM {base} WHERE _tgt <> '' AND _tgt <> _src
                UNION ALL SELECT d.*, a.actor FROM {base} d JOIN ({listed}) a ON a._k = d.{key} WHERE d._src = '' AND d._tgt = ''"""
        lo, hi = frames.window_bounds(window)
        keep, s, e = [], "_s0", "COALESCE(_end0, _s0)"
        if lo is not None:  # a period that meets the window, cut to it
            keep.append(f"{e} >= {_timestamp(lo)}")
            s, e = f"greatest({s}, {_timestamp(lo)})", f"greatest({e}, {_timestamp(lo)})"
        if hi is not None:
            keep.append(f"_s0 <= {_timestamp(hi + pd.Timedelta(hours=23, minutes=59))}")
            s, e = f"least({s}, {_timestamp(hi)})", f"least({e}, {_timestamp(hi)})"
        return f"""
            WITH cut AS (
                SELECT _row, _lead_pos, _rid, event_id, lane, _occ, TRY_CAST(_q0 AS DOUBLE) AS _q, {s} AS _s, {e} AS _e1
                FROM ({lanes}){" WHERE " + " AND ".join(keep) if keep else ""}
            )
            SELECT * EXCLUDE (_q, _e1), CASE WHEN isnan(_q) THEN NULL ELSE _q END AS _q, CASE WHEN _e1 > _s THEN _e1 END AS _e FROM cut
        """

    def _lane_names(self, lane: str) -> dict[str, str]:
        return {} if lane == "type" else frames.actor_names(self.lookup["actors"])

    def timeline_lanes(
        self, filters: F.Filters, lane: str, *, every: bool = False, window: tuple[object, object] | None = None
    ) -> pd.Series:
        """Points per lane (the actor's name, or the event type), busiest first, ties by name: what
        :func:`core.views.figures.timeline.lane_counts` gives (no window), and the counts the chart
        picks its lanes by (the date filter's window)."""
        got = self.query(f"SELECT lane, count(*) AS n FROM ({self._timeline_points(filters, lane, every, window)}) GROUP BY lane")
        names = self._lane_names(lane)
        counts = pd.Series(got["n"].to_numpy(dtype=np.int64), index=[names.get(x, x) for x in got["lane"]]).groupby(level=0).sum()
        counts = counts.loc[sorted(counts.index, key=lambda k: (-counts[k], k))]
        counts.index.name, counts.name = "_lane", "count"
        return counts

    def _in_lanes(
        self, filters: F.Filters, lane: str, lanes: list[str], every: bool, window: tuple[object, object] | None
    ) -> tuple[str, tuple]:
        """The points of the drawn ``lanes`` (names; the ids behind them, two ids may share a name)."""
        names, wanted = self._lane_names(lane), set(lanes)
        ids = sorted({*(a for a, name in names.items() if name in wanted), *(ln for ln in lanes if ln not in names)})
        marks = ", ".join("?" for _ in ids) or "NULL"
        return f"(SELECT * FROM ({self._timeline_points(filters, lane, every, window)}) WHERE lane IN ({marks}))", tuple(ids)

    def timeline_cells(
        self, filters: F.Filters, lane: str, lanes: list[str], *, every: bool = False, window: tuple[object, object] | None = None
    ) -> dict[str, Any]:
        """The counts view of the drawn ``lanes``: ``cells`` (the frame of :class:`core.views.figures.timeline.Cells`),
        ``n_events`` (distinct events behind them), ``n_points``, and ``lo`` / ``hi`` (the first start,
        the last start or end: what the date axis spans)."""
        pts, params = self._in_lanes(filters, lane, lanes, every, window)
        q0 = "CAST(trunc(COALESCE(_q, 0)) AS BIGINT)"
        cells = self.query(
            f"SELECT {q0} AS quad, lane, year(_s) * 12 + month(_s) - 1 AS month, count(*) AS n, "
            f"count(*) FILTER (WHERE _occ) AS occurred FROM {pts} GROUP BY ALL",
            params,
        )
        span = self.query(
            f"SELECT count(DISTINCT event_id) AS n_events, count(*) AS n_points, min(_s) AS lo, "
            f"greatest(max(_s), COALESCE(max(_e), max(_s))) AS hi FROM {pts}",
            params,
        )
        names = self._lane_names(lane)
        cells["lane"] = [names.get(x, x) for x in cells["lane"]]
        frame = cells.groupby(["quad", "lane", "month"], sort=True).agg(n=("n", "sum"), occurred=("occurred", "sum")).reset_index()
        row = span.iloc[0]
        return {
            "cells": frame.astype({"quad": np.int64, "month": np.int64, "n": np.int64, "occurred": np.int64}),
            "n_events": int(row["n_events"]),
            "n_points": int(row["n_points"]),
            "lo": pd.Timestamp(row["lo"]),
            "hi": pd.Timestamp(row["hi"]),
        }

    def timeline_rows(
        self, filters: F.Filters, lane: str, lanes: list[str], *, every: bool = False, window: tuple[object, object] | None = None
    ) -> Page:
        """The shown events with a point in the drawn ``lanes`` inside the window, in the pages' order:
        what the points view draws one by one (rows for :func:`page_rows`)."""
        pts, params = self._in_lanes(filters, lane, lanes, every, window)
        got = self.query(f"SELECT DISTINCT _row, _lead_pos, _rid, event_id FROM {pts} ORDER BY _row", params)
        return Page(list(got["event_id"]), len(got), [int(x) for x in got["_lead_pos"]], list(got["_rid"]))

    def undated(self, filters: F.Filters, *, every: bool = False) -> int:
        """Shown events with no date (the Timeline's note of what it cannot place)."""
        sub, params = self._events(filters, every)
        return int(self.query(f"SELECT count(*) AS n FROM {sub} WHERE _start IS NULL", params)["n"].iloc[0])

    def describe(self, filters: F.Filters, *, every: bool = False) -> tuple[int, pd.Timestamp | None, pd.Timestamp | None]:
        """What :func:`core.query.filters.describe` reads of the shown events: how many, first and last day."""
        sub, params = self._events(filters, every)
        got = self.query(
            f"SELECT count(*) AS n, least(min(_start), min(_end)) AS lo, greatest(max(_start), max(_end)) AS hi FROM {sub}", params
        )
        lo, hi = got["lo"].iloc[0], got["hi"].iloc[0]
        return int(got["n"].iloc[0]), None if pd.isna(lo) else pd.Timestamp(lo), None if pd.isna(hi) else pd.Timestamp(hi)


def describe(engine: Engine, filters: F.Filters, actors: pd.DataFrame, *, every: bool = False) -> str:
    """:func:`core.query.filters.describe` of the shown events, from the engine: the count, and the
    period the date filter's part states when the filter is open (the events' first and last day)."""
    n, lo, hi = engine.describe(filters, every=every)
    span = [d.strftime("%Y-%m-%d") for d in (lo, hi) if d is not None]
    tables: Mapping[str, pd.DataFrame] = {"events": pd.DataFrame({"start_date": span, "end_date": span}), "actors": actors}
    names = frames.actor_names(actors)
    parts = [f"{n:,} event{'s' if n != 1 else ''}"]
    parts += [p for spec in F.REGISTRY if (p := spec.caption(filters, tables, names))]
    return ", ".join(parts)


def page_rows(tables: Mapping[str, pd.DataFrame], page: Page, every: bool) -> pd.DataFrame:
    """The rows of a page of events (the engine's row positions) in the page's order, as the pandas
    path has them: the reports, or (``every`` False) one collapsed row per resolved event with its
    corroboration counts, made by :func:`core.storage.resolve.collapse` itself so a row looks exactly
    as it does there."""
    from core.storage import resolve as R

    events = tables["events"]
    rows = events.iloc[page.rows]
    if every or "resolved_id" not in events.columns or rows.empty:
        return rows.reset_index(drop=True)
    resolved = tables.get("resolved_events", pd.DataFrame())
    if len(resolved) > len(rows):  # collapse indexes what it is given: only the page's resolved events
        resolved = resolved[resolved["resolved_id"].isin(set(rows["resolved_id"]))]
    out = R.collapse(rows, resolved)
    # each resolved event is here by its leading report alone, so collapse keeps that row; back to the page's order
    order = {rid: i for i, rid in enumerate(page.resolved_ids)}
    keys = out["resolved_id"].map(lambda r: order.get("" if frames.is_missing(r) else str(r), len(order)))
    return out.iloc[keys.argsort(kind="stable").to_numpy()].reset_index(drop=True)


_CACHE: dict[str, Engine] = {}
_CACHE_LOCK = threading.Lock()


def for_store(store: Store, key: str | None = None) -> Engine:
    """The engine of a store's current version, built once (the previous version is dropped, so only
    one copy is held per store)."""
    from core.query.tables import load_tables

    path = str(getattr(store, "path", id(store)))
    key = key or f"{path}@{store.version()}"
    with _CACHE_LOCK:
        engine = _CACHE.get(path + "#engine")
        if engine is not None and getattr(engine, "key", None) == key:
            return engine
    engine = Engine(load_tables(store))
    engine.key = key  # type: ignore[attr-defined]
    with _CACHE_LOCK:
        _CACHE[path + "#engine"] = engine
    return engine
