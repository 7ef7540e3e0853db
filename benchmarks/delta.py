"""Benchmark of the incremental reload after a write (issue 14, "Writes are incremental"; target:
the first page after a write in ≤ 0.5 s).

``python -m benchmarks --delta [--n 2000] [--workdir DIR]`` writes N synthetic articles (every three
consecutive ones report one happening, so writes merge and split resolved events) and ingests all but
a few (a store already in ``--workdir`` is reused). It loads the tables once, as the dashboard does,
and builds their filter indexes. Then, for :data:`ROUNDS` rounds of each kind of write — add one
article, re-date one, remove one — it makes the write and times, alternating which goes first:

* the tables: full, :func:`core.query.tables.load_tables` (what ``ui.loader`` did after every write),
  against delta, :meth:`Store.changes_since` + :func:`core.query.tables.apply_changes` on the tables
  held (checked equal, exactly);
* the filter indexes of the new tables: built from scratch, :func:`core.query.filters.warm` (what the
  loader did), against carried, :func:`core.query.filters.carry` from the previous version's indexes
  then :func:`~core.query.filters.warm` for whatever was not carried (what it does now; the options
  and corpus span every page run asks for are checked equal both ways);
* one page's data: the Overview's figures (``ui.queries.overview``, no filter, resolved events) from
  the pandas tables, as the home page asks after a write.

The first page after a write is then apply + indexes + page data, before (indexes from scratch) and
now (carried), printed next to the 0.5 s target. From ``core.config.ENGINE_MIN_EVENTS`` events up the
pages read the DuckDB engine instead, which the loader builds again for every version
(``core.query.engine.Engine``, not incremental): that build is timed too and printed apart. Each figure
is the median, in wall ms and in CPU ms of this process. Ratios within the run are what to read: the
machine is shared.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

ROUNDS = 3
#: Articles kept out of the first ingest, to be added one per "add" round.
SPARE = ROUNDS


def _timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w0, time.process_time() - c0, out


def measure(n: int, seed: int, work: Path) -> dict[str, Any]:
    """Every figure of the module note."""
    from benchmarks.synthetic import generate
    from core.config import use_engine
    from core.io.ingest import ingest_paths, set_article_date
    from core.query import filters as F
    from core.query import frames
    from core.query.engine import Engine
    from core.query.tables import apply_changes, load_tables
    from core.storage.store import Store

    corpus, db = work / "delta-corpus", work / f"delta-{n}.sqlite"
    paths = sorted(corpus.glob("*")) if corpus.is_dir() else []
    if len(paths) < n:
        paths = generate(n, seed, corpus, reports=3)
    spare = paths[-SPARE:]
    if not db.exists():
        ingest_paths(Store(db), paths[:-SPARE], workers=max(1, min(2, os.cpu_count() or 1)))
    copy = work / "delta-writes.sqlite"  # the writes go to a copy: the ingested store is reused as it was
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    Store(db).copy_to(copy)
    store = Store(copy)
    rng = random.Random(seed)
    held = frames.ensure_tables(load_tables(store))
    F.warm(held)  # the loader's first load builds every filter index
    _overview(held)  # a running server has the page's modules imported and its first queries made
    engine_held = Engine(held) if use_engine(len(held["events"])) else None  # the engine the loader holds
    if engine_held is not None:
        _overview(held, engine_held)
    version = store.version()
    out: dict[str, Any] = {
        "n_articles": store.article_count(),
        "n_events": len(held["events"]),
        "n_resolved": len(held["resolved_events"]),
        "rounds": ROUNDS,
        "engine": use_engine(len(held["events"])),
    }
    timings: dict[str, dict[str, list[float]]] = {}
    for i in range(ROUNDS):
        for op in ("add", "redate", "remove"):
            ids = sorted(held["articles"]["article_id"])
            if op == "add":
                if not spare:
                    continue
                ingest_paths(store, [spare.pop(0)])
            elif op == "redate":
                set_article_date(store, rng.choice(ids), date(2001, rng.randint(1, 12), rng.randint(1, 28)))
            else:
                store.delete_article(rng.choice(ids))

            def full() -> dict[str, pd.DataFrame]:
                return load_tables(store)

            def delta(held: dict[str, pd.DataFrame] = held, version: int = version) -> dict[str, pd.DataFrame] | None:
                changes = store.changes_since(version)
                return apply_changes(held, store, changes) if changes is not None else None

            got: dict[str, tuple[float, float, Any]] = {}
            for way in ("full", "delta") if i % 2 == 0 else ("delta", "full"):
                got[way] = _timed(full if way == "full" else delta)
            new, reference = got["delta"][2], got["full"][2]
            if new is None:
                raise RuntimeError(f"apply_changes gave up after {op} (round {i})")
            for name, df in reference.items():
                pd.testing.assert_frame_equal(new[name], df, check_exact=True)
            ready = frames.ensure_tables(new)
            scratch = {k: df.copy(deep=False) for k, df in ready.items()}  # other frame objects: no index held

            changes = store.changes_since(version)
            assert changes is not None

            def carried(
                ready: dict[str, pd.DataFrame] = ready, before: dict[str, pd.DataFrame] = held, rewritten: frozenset = changes.rewritten
            ) -> None:
                F.carry(before, ready, rewritten)
                F.warm(ready)

            for way in ("scratch", "carried") if i % 2 == 0 else ("carried", "scratch"):
                got[way] = _timed(lambda way=way, scratch=scratch: F.warm(scratch) if way == "scratch" else carried())
            if (F.options(ready), F.corpus_span(ready)) != (F.options(scratch), F.corpus_span(scratch)):
                raise RuntimeError(f"the carried indexes' options or span differ after {op} (round {i})")
            got["page"] = _timed(lambda t=ready: _overview(t))
            engine = use_engine(len(ready["events"])) and engine_held is not None
            got["engine"] = got["engine_carried"] = (0.0, 0.0, None)
            if engine:

                def brought(
                    t: dict[str, pd.DataFrame] = ready,
                    before: dict[str, pd.DataFrame] = held,
                    rewritten: frozenset = changes.rewritten,
                    previous: Any = engine_held,
                ) -> tuple[Any, object]:
                    carried_engine = Engine.after_write(previous, before, t, rewritten)
                    return carried_engine, _overview(t, carried_engine)

                def built(t: dict[str, pd.DataFrame] = ready) -> tuple[Any, object]:
                    fresh = Engine(t)
                    return fresh, _overview(t, fresh)

                for way in ("engine", "engine_carried") if i % 2 == 0 else ("engine_carried", "engine"):
                    got[way] = _timed(built if way == "engine" else brought)
                fresh, engine_held = got["engine"][2][0], got["engine_carried"][2][0]
                for every in (False, True):  # the same answers both ways
                    if (engine_held.overview(F.Filters(), every=every), engine_held.events_page(F.Filters(), every=every)) != (
                        fresh.overview(F.Filters(), every=every),
                        fresh.events_page(F.Filters(), every=every),
                    ):
                        raise RuntimeError(f"the engine brought forward and the one built answer differently after {op} (round {i})")
                del fresh
            page = "engine_carried" if engine else "page"  # what the dashboard runs at this size
            t = timings.setdefault(op, {})
            for way in ("full", "delta", "scratch", "carried", "page", "engine", "engine_carried"):
                t.setdefault(f"{way}_w", []).append(got[way][0])
                t.setdefault(f"{way}_c", []).append(got[way][1])
            for k, unit in enumerate(("w", "c")):  # the first page: the tables, their indexes, the page's data
                old_page = got["engine" if engine else "page"][k]  # before: the engine built again
                t.setdefault(f"before_{unit}", []).append(got["delta"][k] + got["carried"][k] + old_page)
                t.setdefault(f"now_{unit}", []).append(got["delta"][k] + got["carried"][k] + got[page][k])
            del scratch
            held, version = ready, store.version()
            del reference, got
    for op, t in timings.items():
        out[op] = {k: round(statistics.median(v) * 1000, 1) for k, v in t.items()}
    out["load"] = [round(x, 2) for x in os.getloadavg()]
    return out


def _overview(tables: dict[str, pd.DataFrame], engine: Any = None) -> object:
    """The home page's figures with no filter, resolved events (``ui.queries.overview``): from the
    pandas tables, or from ``engine`` (a :class:`core.query.engine.Engine` of them)."""
    from core.query import filters as F
    from ui.loader import Corpus
    from ui.queries import overview

    return overview(Corpus(tables=tables, key="benchmark"), tables, F.Filters(), False, engine)


#: The issue's target for the first page after a write, ms.
TARGET_MS = 500


def report(out: dict[str, Any]) -> str:
    def cell(t: dict[str, float], way: str) -> str:
        return f"{t[way + '_w']:,.0f} ({t[way + '_c']:,.0f})"

    engine = bool(out.get("engine"))
    lines = [
        f"store: {out['n_articles']:,} articles, {out['n_events']:,} events, {out['n_resolved']:,} resolved events;"
        f" median of {out['rounds']} rounds per write, the two ways alternating; wall ms (CPU ms)",
        "",
        "| write | full load_tables | delta apply_changes | CPU full/delta | indexes from scratch (F.warm) | indexes carried"
        " (F.carry + F.warm) | Overview data, pandas | Overview data, engine built (Engine + queries) | Overview data, engine"
        " carried (Engine.after_write + queries) | CPU built/carried | first page before | first page now | target |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for op in ("add", "redate", "remove"):
        t = out.get(op)
        if not t:
            continue
        ratio = t["full_c"] / t["delta_c"] if t["delta_c"] else float("nan")
        eng, eng_carried = (cell(t, "engine"), cell(t, "engine_carried")) if engine else ("-", "-")
        eng_ratio = f"{t['engine_c'] / t['engine_carried_c']:.1f}×" if engine and t["engine_carried_c"] else "-"
        lines.append(
            f"| {op} | {cell(t, 'full')} | {cell(t, 'delta')} | {ratio:.1f}× | {cell(t, 'scratch')} | {cell(t, 'carried')}"
            f" | {cell(t, 'page')} | {eng} | {eng_carried} | {eng_ratio} | {cell(t, 'before')} | {cell(t, 'now')} | ≤ {TARGET_MS} |"
        )
    lines.append("")
    lines.append(
        "first page = delta apply_changes + indexes carried + the Overview's data the way the dashboard reads it at"
        f" {out['n_events']:,} events: "
        + (
            "from the DuckDB engine (core.config.ENGINE_MIN_EVENTS); before: the engine built again for the new version;"
            " now: brought forward from the previous version's (Engine.after_write)"
            if engine
            else "from pandas (before and now the same)"
        )
    )
    lines.append(f"load average at the end: {out['load']}")
    return "\n".join(lines)
