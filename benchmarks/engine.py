"""Benchmark of the DuckDB query layer (issue 14): a filter change → the page data, pandas vs engine.

``python -m benchmarks --engine [--n 2000] [--workdir DIR]`` writes N synthetic articles, ingests them
(a store already in ``--workdir`` is reused), loads the tables once (the dashboard's pandas path, with
its filter indexes warmed as ``ui.loader`` does) and builds the engine from them. Then, for each of a
series of filter changes, in both report modes (resolved events, the pages' default, and every
report), each page's data is computed both ways (:data:`PAGES`) — the Overview's four figures, its
latest and most cited (or most corroborated) events and the net-cooperation series; the first page
(5,000 events, newest first) of the Events table with its total; the Timeline's lane picker (points
per actor) and its chart (the registry's view, cut to the date filter: the events drawn one by one, or
bubbles per period and QuadClass past 3,000 points); the Network's 20 busiest actors and actor relations:

* pandas: :func:`core.query.filters.apply`, :func:`core.storage.resolve.collapse` when resolved, then
  the helpers the pandas path calls;
* engine: the :class:`core.query.engine.Engine` methods (SQL in DuckDB, only the result comes back).

The two run alternately, filter by filter, three rounds; each figure is the median, in wall ms and
in CPU ms of this process (DuckDB's threads count in it), and the run checks that both gave the same
results. Ratios within the run are what to read: the machine is shared.
"""

from __future__ import annotations

import os
import resource
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROUNDS = 3
PAGE = 5000


def filter_series(tables: dict[str, pd.DataFrame]) -> list[tuple[str, Any]]:
    """The filter changes an analyst makes, read from the corpus (busiest person, median year)."""
    from core.query import filters as F
    from core.query import frames

    ev = tables["events"]
    counts = {a: len(rows) for a, rows in frames.event_actor_index(ev).items()}
    kinds = dict(zip(frames.text(tables["actors"]["actor_id"]), frames.text(tables["actors"]["kind"]), strict=False))
    people = sorted(a for a in counts if kinds.get(a) == "person")
    person = max(people, key=counts.get) if people else ""
    years = frames.to_datetime(ev["start_date"]).dropna().dt.year
    mid = int(years.median()) if not years.empty else 2000
    five = {"start": date(mid - 2, 1, 1), "end": date(mid + 2, 12, 31)}
    return [
        ("default view", F.Filters()),
        (f"actor {person}, {mid - 2}–{mid + 2}", F.Filters(actors=(person,) if person else (), **five)),
        ("QuadClass 4", F.Filters(quad_classes=(4,))),
        (f"dates {mid - 2}–{mid + 2}", F.Filters(**five)),
        ("North Korea, reported", F.Filters(actors=("PRK",), statuses=("reported",))),
    ]


#: the page data each page asks for after a filter change (keys of :func:`pandas_page_data`)
PAGES: dict[str, tuple[str, ...]] = {
    "Overview": ("overview", "recent", "cited", "corroborated", "dyads"),
    "Events": ("page",),
    "Timeline": ("timeline",),
    "Network": ("top_actors", "relations"),
}
ALL_PARTS = tuple(p for parts in PAGES.values() for p in parts)


def pandas_page_data(
    tables: dict[str, pd.DataFrame], filters: Any, every: bool = True, parts: tuple[str, ...] = ALL_PARTS
) -> dict[str, Any]:
    """The page data as the pandas path computes it: filter in pandas, collapse the reports to
    resolved events unless ``every`` (``ui.resolved.events_for``), then aggregate the frames
    (only ``parts``: what one page asks for)."""
    from core.query import filters as F
    from core.query import frames
    from core.query.relations import build_relations
    from core.storage.resolve import collapse
    from core.views.figures.dyad import dyad_series
    from ui.resolved import most_corroborated
    from ui.tables import top_events

    shown = F.apply(tables, filters)
    ev = shown["events"]
    if not every and len(ev):
        ev = collapse(ev, tables["resolved_events"])

    def timeline() -> tuple:
        from core.views import registry
        from core.views.figures.timeline import lane_counts
        from ui.resolved import with_events

        view = registry.get("timeline").run({**with_events(shown, ev), "reports": shown["events"]}, filters, {})
        return (list(lane_counts(ev, tables["actors"], "actor").items()), view.figure.to_json())

    def overview() -> tuple:
        dates = pd.concat(frames.event_dates(ev)).dropna() if len(ev) else pd.Series(dtype="datetime64[ns]")
        n_actors = len(frames.list_index(ev, "actors")) if len(ev) else 0
        return (len(shown["articles"]), len(ev), n_actors, (dates.min(), dates.max()) if len(dates) else (None, None))

    def start() -> pd.Series:
        return frames.event_dates(ev)[0] if len(ev) else pd.Series(dtype="datetime64[ns]")

    def monthly() -> pd.DataFrame:
        df = pd.DataFrame({"month": start(), "quad_class": pd.to_numeric(ev["quad_class"], errors="coerce").astype(float)})
        df = df[df["month"].notna()]
        df["month"] = df["month"].dt.to_period("M").dt.to_timestamp()
        return df.groupby(["month", "quad_class"], dropna=False).size().rename("n_events").reset_index()

    def top_actors() -> list:
        counts = {a: len(r) for a, r in frames.event_actor_index(ev).items()} if len(ev) else {}
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:20]

    def page() -> tuple:
        st = start()
        key = pd.DataFrame({"undated": st.isna().to_numpy(), "start": st.to_numpy(), "event_id": frames.text(ev["event_id"]).to_numpy()})
        order = key.sort_values(["undated", "start", "event_id"], ascending=[True, False, True], kind="stable").index.to_numpy()[:PAGE]
        return (list(frames.text(ev["event_id"]).to_numpy()[order]) if len(ev) else [], len(ev))

    make = {
        "overview": overview,
        "recent": lambda: list(frames.text(top_events(ev, "recent", 8)["event_id"])) if len(ev) else [],
        "cited": lambda: list(frames.text(top_events(ev, "cited", 8)["event_id"])) if len(ev) else [],
        "corroborated": lambda: [] if every or not len(ev) else list(most_corroborated(ev, 8)["event_id"]),
        "dyads": lambda: dyad_series(ev, tables["actors"], "M"),
        "monthly": monthly,
        "timeline": timeline,
        "top_actors": top_actors,
        "relations": lambda: build_relations(ev, tables["actors"], state_level=False).reset_index(drop=True) if len(ev) else pd.DataFrame(),
        "page": page,
    }
    return {k: make[k]() for k in parts}


def engine_page_data(
    engine: Any, filters: Any, every: bool = True, parts: tuple[str, ...] = ALL_PARTS, tables: dict[str, pd.DataFrame] | None = None
) -> dict[str, Any]:
    """The same page data from the engine (resolved events unless ``every``). ``tables``: the loaded
    tables the Timeline takes the rows of the few events it draws one by one from (as the page does);
    after :func:`scaled` copies the rows, a copy's position is read as its original's."""
    from core.query.engine import page_rows

    def timeline() -> tuple:
        from core.views import registry

        assert tables is not None
        n = len(tables["events"])

        def rows(page: Any) -> pd.DataFrame:
            return page_rows(tables, type(page)(page.event_ids, page.total, [r % n for r in page.rows], page.resolved_ids), every)

        view = registry.get("timeline").run({"actors": tables["actors"]}, filters, {"engine": engine, "every": every, "rows": rows})
        return (list(engine.timeline_lanes(filters, "actor", every=every).items()), view.figure.to_json())

    def overview() -> tuple:
        ov = engine.overview(filters, every=every)
        return (ov["articles"], ov["events"], ov["actors"], (ov["first"], ov["last"]))

    def top_actors() -> list:
        top = engine.top_actors(filters, 20, every=every)
        return list(zip(top["actor"], top["n_events"].astype(int), strict=True))

    def page() -> tuple:
        got = engine.events_page(filters, 0, PAGE, newest_first=True, every=every)
        return (got.event_ids, got.total)

    make = {
        "overview": overview,
        "recent": lambda: engine.top_events(filters, "recent", 8, every=every),
        "cited": lambda: engine.top_events(filters, "cited", 8, every=every),
        "corroborated": lambda: engine.top_events(filters, "corroborated", 8, every=every),
        "dyads": lambda: engine.dyad_series(filters, "M", every=every),
        "monthly": lambda: engine.monthly_counts(filters, "M", every=every),
        "timeline": timeline,
        "top_actors": top_actors,
        "relations": lambda: engine.relations(filters, every=every),
        "page": page,
    }
    return {k: make[k]() for k in parts}


def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two page data agree (sums of Goldstein scores to 1e-9; a mean Goldstein of a relation
    to one rounding step, as a mean of exactly x.xx5 rounds by the order it was summed in)."""
    for k in a:
        x, y = a[k], b[k]
        if isinstance(x, pd.DataFrame):
            if len(x) != len(y):
                return False
            if len(x):
                x, y = x.reset_index(drop=True), y.reset_index(drop=True)
                if "mean_goldstein" in x.columns and not np.allclose(
                    x.pop("mean_goldstein").astype(float), y.pop("mean_goldstein").astype(float), rtol=0, atol=0.01 + 1e-9
                ):
                    return False
                try:
                    pd.testing.assert_frame_equal(x, y, check_dtype=False, check_exact=False, rtol=1e-9)
                except AssertionError:
                    return False
        elif x != y:
            return False
    return True


def _timed(fn: Any) -> tuple[float, float, Any]:
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return (time.perf_counter() - w0) * 1000, (time.process_time() - c0) * 1000, out


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(n: int, seed: int, work: Path, scale: int = 0) -> dict[str, Any]:
    """Build (or reuse) the store, then time every filter change both ways; see the module doc."""
    from benchmarks.synthetic import generate
    from core.io.ingest import ingest_paths
    from core.query import filters as F
    from core.query import frames
    from core.query.engine import Engine
    from core.query.tables import load_tables
    from core.storage.store import Store

    out: dict[str, Any] = {"n": n, "duckdb_threads": os.cpu_count()}
    db = work / "engine.sqlite"
    if not db.exists():
        t0 = time.perf_counter()
        corpus = work / "corpus"
        generate(n, seed, corpus)
        ingest_paths(Store(db), [corpus])
        out["build_store_s"] = time.perf_counter() - t0
        print(f"  built a store of {n:,} articles in {out['build_store_s']:.1f} s", flush=True)
    rss0 = _rss_mb()
    w, c, tables = _timed(lambda: frames.ensure_tables(load_tables(Store(db))))
    out.update(load_tables_ms=w, load_tables_cpu_ms=c, events=len(tables["events"]))
    w, c, _ = _timed(lambda: F.warm(tables))
    out.update(warm_ms=w, warm_cpu_ms=c, rss_pandas_mb=_rss_mb() - rss0)
    db_duck = work / "engine.duckdb"
    for f in work.glob("engine.duckdb*"):
        f.unlink()
    w, c, engine = _timed(lambda: Engine(tables, database=str(db_duck), memory_limit="1GB"))
    mem = engine.query("SELECT sum(memory_usage_bytes) AS b FROM duckdb_memory()")["b"].iloc[0]
    out.update(engine_build_ms=w, engine_build_cpu_ms=c, engine_memory_mb=float(mem or 0) / 2**20)
    print(
        f"  {out['events']:,} events; load_tables {out['load_tables_ms']:,.0f} ms + indexes {out['warm_ms']:,.0f} ms; "
        f"engine built from them in {out['engine_build_ms']:,.0f} ms ({out['engine_memory_mb']:,.0f} MB in DuckDB)",
        flush=True,
    )
    rows = []
    for label, flt in filter_series(tables):
        for every in (False, True):
            mode = "every report" if every else "resolved"
            for page, parts in PAGES.items():
                times: dict[str, list[float]] = {"pandas": [], "pandas_cpu": [], "engine": [], "engine_cpu": []}
                agree = True
                for _ in range(ROUNDS):  # alternating, so both see the same load
                    w, c, a = _timed(lambda flt=flt, every=every, parts=parts: pandas_page_data(tables, flt, every, parts))
                    times["pandas"].append(w)
                    times["pandas_cpu"].append(c)
                    engine.forget()  # every round a fresh filter change, not the kept set of the last round
                    w, c, b = _timed(lambda flt=flt, every=every, parts=parts: engine_page_data(engine, flt, every, parts, tables))
                    times["engine"].append(w)
                    times["engine_cpu"].append(c)
                    agree &= same(a, b)
                n_events = engine.event_count(flt, every=every)
                medians = {k: statistics.median(v) for k, v in times.items()}
                row = {"filter": label, "mode": mode, "page": page, "events": n_events, "same": agree, **medians}
                row["ratio"] = row["pandas"] / row["engine"] if row["engine"] else float("nan")
                rows.append(row)
                print(
                    f"  {label:<30} {mode:<12} {page:<9} {n_events:>8,} events  pandas {row['pandas']:>7,.0f} ms "
                    f"(cpu {row['pandas_cpu']:>6,.0f})  engine {row['engine']:>6,.0f} ms (cpu {row['engine_cpu']:>6,.0f})  "
                    f"×{row['ratio']:.1f}  {'same results' if agree else 'RESULTS DIFFER'}",
                    flush=True,
                )
    out["filter_changes"] = rows
    if scale > 1:
        scaled(engine, tables, scale, out)
    return out


def scaled(engine: Any, tables: dict[str, pd.DataFrame], k: int, out: dict[str, Any]) -> None:
    """The engine's tables copied ``k`` times inside DuckDB (ids suffixed, row positions shifted), then
    the same filter changes timed on the engine alone: the size the pandas path cannot hold."""
    t0 = time.perf_counter()
    engine.copy_rows(k)
    out["scaled_build_s"] = time.perf_counter() - t0
    out["scaled_k"] = k
    out["scaled_events"] = int(engine.query("SELECT count(*) AS n FROM events")["n"].iloc[0])
    out["scaled_rss_mb"] = _rss_mb()
    print(
        f"  scaled x{k}: {out['scaled_events']:,} events in DuckDB ({out['scaled_build_s']:.1f} s to copy), "
        f"process RSS {out['scaled_rss_mb']:,.0f} MB",
        flush=True,
    )
    rows = []
    for label, flt in filter_series(tables):
        for every in (False, True):
            mode = "every report" if every else "resolved"
            for page, parts in PAGES.items():
                walls, cpus = [], []
                for _ in range(ROUNDS):
                    engine.forget()
                    w, c, _data = _timed(lambda flt=flt, every=every, parts=parts: engine_page_data(engine, flt, every, parts, tables))
                    walls.append(w)
                    cpus.append(c)
                n_events = engine.event_count(flt, every=every)
                wall, cpu = statistics.median(walls), statistics.median(cpus)
                rows.append({"filter": label, "mode": mode, "page": page, "events": n_events, "engine": wall, "engine_cpu": cpu})
                print(
                    f"  x{k} {label:<30} {mode:<12} {page:<9} {n_events:>10,} events  engine {wall:>7,.0f} ms (cpu {cpu:>7,.0f})",
                    flush=True,
                )
    out["scaled_filter_changes"] = rows


def report(out: dict[str, Any]) -> str:
    """The figures as a Markdown table (README's "Query engine" section)."""
    lines = [
        f"N = {out['n']:,} articles, {out['events']:,} events; medians of {ROUNDS} alternating rounds; wall ms (CPU ms)",
        "",
        "| filter change → page data | shown | page | events | pandas | engine | pandas / engine | same results |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in out["filter_changes"]:
        lines.append(
            f"| {r['filter']} | {r.get('mode', 'every report')} | {r.get('page', 'all')} | {r['events']:,} | "
            f"{r['pandas']:,.0f} ({r['pandas_cpu']:,.0f}) | "
            f"{r['engine']:,.0f} ({r['engine_cpu']:,.0f}) | {r['ratio']:.1f} | {'yes' if r['same'] else 'NO'} |"
        )
    lines.append("")
    lines.append(
        f"once per store version: load_tables {out['load_tables_ms']:,.0f} ms, filter indexes {out['warm_ms']:,.0f} ms, "
        f"engine build {out['engine_build_ms']:,.0f} ms; DuckDB holds {out['engine_memory_mb']:,.0f} MB"
    )
    return "\n".join(lines)
