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

import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from core.domain.gazetteer import counts_as
from core.query import filters as F
from core.query import frames

if TYPE_CHECKING:
    import duckdb

    from core.storage.store import Store

#: The tables the engine holds: the ones the filters read or look up in their SQL.
ENGINE_TABLES = ("events", "amounts", "articles", "actors", "mentions", "citations")
#: Every table also gets ``_pos``, its row position in the pandas tables (ties break the way a stable
#: sort does); events get ``_start``/``_end`` (dates parsed once by :mod:`core.query.frames`) and
#: ``_n_sources`` (agencies the event names).
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


def _frame(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({c: _column(df[c]) for c in df.columns}, index=range(len(df)))
    out["_pos"] = np.arange(len(df), dtype=np.int64)
    return out


@dataclass(frozen=True)
class Page:
    """One page of the events table: the events' ids in the page's order, and how many match."""

    event_ids: list[str]
    total: int


class Engine:
    """DuckDB over one version of the derived tables; every method takes a ``Filters`` value and
    returns a small result. Thread-safe: each call runs on its own cursor."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], database: str = ":memory:", memory_limit: str | None = None) -> None:
        """``database``: a DuckDB file to hold the tables (compressed on disk, read through DuckDB's
        buffer pool, so ``memory_limit`` bounds what stays resident) instead of memory."""
        import duckdb

        tables = frames.ensure_tables(tables)
        self.con = duckdb.connect(database)
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")
        _dialect(self.con)
        self._lock = threading.RLock()
        self._kept_sets: OrderedDict[object, str] = OrderedDict()
        self._n_kept = 0
        self.con.execute("ATTACH ':memory:' AS scratch")
        # what FilterSpec.where looks up in Python: actor countries and the amounts' columns
        self.lookup: dict[str, pd.DataFrame] = {
            "actors": tables["actors"].copy(),
            "amounts": tables["amounts"].iloc[:0].copy(),
            "events": tables["events"].iloc[:0].copy(),
            "articles": tables["articles"].iloc[:0].copy(),
        }
        for name in ENGINE_TABLES:
            df = _frame(tables[name])
            if name == "events":
                start, end = frames.event_dates(tables[name])
                df["_start"] = start.to_numpy()
                df["_end"] = end.to_numpy()
                df["_n_sources"] = frames.source_counts(tables[name]) if len(df) else np.zeros(0, dtype=np.int64)
            self.con.register("_src", df)
            cast = " REPLACE (CAST(_start AS TIMESTAMP) AS _start, CAST(_end AS TIMESTAMP) AS _end)" if name == "events" else ""
            self.con.execute(f'CREATE TABLE "{name}" AS SELECT *{cast} FROM _src')
            self.con.unregister("_src")
        self._country_table(tables)
        self._kept: dict[str, list[tuple[str, str]]] = {}
        self._keep_readings()
        self.side_tables()

    def side_tables(self) -> None:
        """One row per (event, actor it names): listed in ``actors`` (items stripped) or its source or
        target (as stored), once per pair; ``listed`` when the ``actors`` list names it. Rebuilt by
        whoever changes ``events`` in place (the benchmark's scaled copy).

        :func:`core.query.frames.event_actor_index` as a table: ranking actors or counting the ones
        named then reads a narrow table instead of splitting every event's list on every query.
        """
        self.forget()
        self.con.execute(f"""
            CREATE OR REPLACE TABLE _event_actor AS
            SELECT _pos, actor, bool_or(listed) AS listed FROM (
                SELECT _pos, unnest({_SQL_ITEMS.format(col="actors")}) AS actor, TRUE AS listed FROM events
                UNION ALL SELECT _pos, COALESCE(CAST(source_actor AS TEXT), ''), FALSE FROM events
                UNION ALL SELECT _pos, COALESCE(CAST(target_actor AS TEXT), ''), FALSE FROM events
            ) WHERE actor <> '' GROUP BY _pos, actor
        """)

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
            if len(ev):
                raw |= set(frames.text(ev[col]))

        def country(a: str) -> str:
            a = a.strip()
            return counts_as(countries.get(a, a.upper() if len(a) == 3 else ""))

        df = pd.DataFrame({"raw": sorted(raw), "country": [country(a) for a in sorted(raw)]}, dtype=object)
        self.con.register("_src", df)
        self.con.execute("CREATE TABLE _country AS SELECT CAST(raw AS VARCHAR) AS raw, CAST(country AS VARCHAR) AS country FROM _src")
        self.con.unregister("_src")

    def copy_rows(self, k: int) -> None:
        """Every article's rows ``k`` times over (ids suffixed ``~1`` … ``~k-1``, positions shifted):
        a simulated corpus k times the size, made inside DuckDB, for the benchmark's scale runs."""
        ids = {"events": ("event_id", "article_id"), "amounts": ("amount_id", "article_id"), "articles": ("article_id",),
               "mentions": ("article_id",), "citations": ("article_id",)}  # fmt: skip
        with self._lock:
            for t, cols in ids.items():
                n = int(self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                repl = ", ".join(f"s.{c} || '~' || r.k AS {c}" for c in cols)
                self.con.execute(
                    f"INSERT INTO {t} SELECT s.* REPLACE ({repl}, s._pos + r.k * {n} AS _pos) "
                    f"FROM (SELECT * FROM {t}) s CROSS JOIN range(1, {int(k)}) r(k)"
                )
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
        with self._lock:
            cur = self.con.cursor()
        try:
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
        with self._lock:
            name = self._kept_sets.get(filters)
            if name is not None:
                self._kept_sets.move_to_end(filters)
                return name
            self._n_kept += 1
            name = f"scratch.kept_{self._n_kept}"
            cols = ", ".join(_KEPT_COLUMNS)
            self.con.execute(f"CREATE TABLE {name} AS SELECT {cols} FROM events WHERE {w.sql}", list(w.params))
            self._kept_sets[filters] = name
            while len(self._kept_sets) > KEPT_SETS:
                _old, dropped = self._kept_sets.popitem(last=False)
                self.con.execute(f"DROP TABLE IF EXISTS {dropped}")
        return name

    def forget(self) -> None:
        """Drop every kept filter set (after the tables change, or to time a fresh filter change)."""
        with self._lock:
            for name in self._kept_sets.values():
                self.con.execute(f"DROP TABLE IF EXISTS {name}")
            self._kept_sets.clear()

    def _kept_positions(self, filters: F.Filters) -> tuple[str, tuple]:
        """`` AND _pos IN (kept events)`` for the per-event side tables ('' when nothing narrows them)."""
        kept = self._kept_table(filters)
        return ("", ()) if kept is None else (f" AND _pos IN (SELECT _pos FROM {kept})", ())

    def _events(self, filters: F.Filters) -> tuple[str, tuple]:
        kept = self._kept_table(filters)
        return ("(SELECT * FROM events)", ()) if kept is None else (f"(SELECT * FROM {kept})", ())

    # ------------------------------------------------------------------ results

    def event_count(self, filters: F.Filters) -> int:
        """Events under the filters (the Events page's total, the Overview's "Events")."""
        sub, params = self._events(filters)
        return int(self.query(f"SELECT count(*) AS n FROM {sub}", params)["n"].iloc[0])

    def article_count(self, filters: F.Filters) -> int:
        """Articles under the filters: those the filters keep, plus every article behind a kept event
        (:func:`core.query.filters.filter_articles`)."""
        wa = self.where("articles", filters)
        if wa.sql == "TRUE":  # nothing narrows the articles: skip the join (DuckDB does not cut the OR short)
            return int(self.query("SELECT count(*) AS n FROM articles")["n"].iloc[0])
        sub, params = self._events(filters)
        sql = (
            f"SELECT count(*) AS n FROM articles WHERE ({wa.sql}) OR COALESCE(CAST(article_id AS TEXT), '') IN "
            f"(SELECT COALESCE(CAST(article_id AS TEXT), '') FROM {sub})"
        )
        return int(self.query(sql, wa.params + params)["n"].iloc[0])

    def overview(self, filters: F.Filters) -> dict[str, Any]:
        """The Overview's four figures: articles, events, distinct actors named, first and last event day."""
        sub, params = self._events(filters)
        kept, kparams = self._kept_positions(filters)
        actors = self.query(f"SELECT count(DISTINCT actor) AS n FROM _event_actor WHERE listed{kept}", kparams)
        span = self.query(f"SELECT least(min(_start), min(_end)) AS lo, greatest(max(_start), max(_end)) AS hi FROM {sub}", params)
        lo, hi = span["lo"].iloc[0], span["hi"].iloc[0]
        return {
            "articles": self.article_count(filters),
            "events": self.event_count(filters),
            "actors": int(actors["n"].iloc[0]),
            "first": None if pd.isna(lo) else pd.Timestamp(lo),
            "last": None if pd.isna(hi) else pd.Timestamp(hi),
        }

    def monthly_counts(self, filters: F.Filters, freq: str = "M") -> pd.DataFrame:
        """Dated events per period (``freq`` M, Q or Y; ``month`` is the period's first day) and
        QuadClass (NaN where unknown): the Timeline's counts and the bars of an activity chart."""
        sub, params = self._events(filters)
        unit = _PERIODS[freq]
        return self.query(
            f"SELECT CAST(date_trunc('{unit}', _start) AS TIMESTAMP) AS month, CAST(quad_class AS DOUBLE) AS quad_class, "
            f"count(*) AS n_events FROM {sub} WHERE _start IS NOT NULL GROUP BY ALL ORDER BY month, quad_class NULLS LAST",
            params,
        )

    def top_actors(self, filters: F.Filters, n: int = 10) -> pd.DataFrame:
        """The ``n`` actors in most events (listed, source or target; an event counts once per actor),
        ties by id: the Network's and the actor picker's ranking."""
        kept, params = self._kept_positions(filters)
        sql = (
            f"SELECT actor, count(*) AS n_events FROM _event_actor WHERE TRUE{kept} "
            f"GROUP BY actor ORDER BY n_events DESC, actor LIMIT {int(n)}"
        )
        return self.query(sql, params)

    def dyad_series(self, filters: F.Filters, freq: str = "M") -> pd.DataFrame:
        """:func:`core.views.figures.dyad.dyad_series` of the filtered events, in SQL: Σ Goldstein and
        events per period and direction between Russia and each Korea (the Overview's chart)."""
        sub, params = self._events(filters)
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
                   src || '→' || tgt AS direction, sum(goldstein) AS goldstein_sum, count(*) AS n_events
            FROM d GROUP BY ALL ORDER BY month, dyad, direction
        """
        return self.query(sql, params)

    def relations(self, filters: F.Filters) -> pd.DataFrame:
        """:func:`core.query.relations.build_relations` of the filtered events at the actor level (what
        the Network draws): per ordered pair source → target (both named, not the same), the events,
        first and last start date as written, mean Goldstein (to 2 places), events per QuadClass and
        the pair's event ids."""
        from core.domain.schema import TABLES

        sub, params = self._events(filters)
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

    def events_page(self, filters: F.Filters, offset: int = 0, limit: int = 5000, newest_first: bool = False) -> Page:
        """One page of the Events table (:func:`ui.tables.events_view`'s order: dated first, by start
        day, then id, then stored order) and the number of events under the filters."""
        sub, params = self._events(filters)
        direction = "DESC" if newest_first else "ASC"
        ids = self.query(
            f"SELECT COALESCE(CAST(event_id AS TEXT), '') AS event_id FROM {sub} "
            f"ORDER BY _start IS NULL, _start {direction}, event_id, _pos LIMIT {max(0, int(limit))} OFFSET {max(0, int(offset))}",
            params,
        )
        return Page(list(ids["event_id"]), self.event_count(filters))

    def top_events(self, filters: F.Filters, by: str = "recent", n: int = 8) -> list[str]:
        """:func:`ui.tables.top_events`' choice (the Overview's latest / most cited), as event ids."""
        sub, params = self._events(filters)
        if by == "recent":
            order, where = "_start DESC, event_id, _pos", "WHERE _start IS NOT NULL"
        else:
            order, where = "_n_sources DESC, _start DESC NULLS LAST, event_id, _pos", ""
        ids = self.query(
            f"SELECT COALESCE(CAST(event_id AS TEXT), '') AS event_id FROM {sub} {where} ORDER BY {order} LIMIT {int(n)}", params
        )
        return list(ids["event_id"])


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
