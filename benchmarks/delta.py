"""Benchmark of the incremental reload after a write (issue 14, "Writes are incremental").

``python -m benchmarks --delta [--n 2000] [--workdir DIR]`` writes N synthetic articles (every three
consecutive ones report one happening, so writes merge and split resolved events) and ingests all but
a few (a store already in ``--workdir`` is reused). It loads the tables once, as the dashboard does.
Then, for :data:`ROUNDS` rounds of each kind of write — add one article, re-date one, remove one —
it makes the write and times the new version's tables both ways, alternating which goes first:

* full: :func:`core.query.tables.load_tables` (what ``ui.loader`` did after every write);
* delta: :meth:`Store.changes_since` + :func:`core.query.tables.apply_changes` on the tables held;

then :func:`core.query.filters.warm` on the delta's tables (the filter indexes the loader builds per
version; first the part every page run asks for, its controls' options and the corpus span, apart:
what a lazy warm would still pay on the first page), and checks that both ways gave the same
tables. Each figure is the median, in wall ms and in CPU ms of this process. Ratios within the run
are what to read: the machine is shared.
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
    from core.io.ingest import ingest_paths, set_article_date
    from core.query import filters as F
    from core.query import frames
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
    held = load_tables(store)
    version = store.version()
    out: dict[str, Any] = {
        "n_articles": store.article_count(),
        "n_events": len(held["events"]),
        "n_resolved": len(held["resolved_events"]),
        "rounds": ROUNDS,
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
            # what every page run asks of the filter indexes (its controls' options, the corpus span),
            # then the rest of what the loader warms: how much a lazy warm would leave for later
            page_w, page_c, _ = _timed(lambda t=ready: (F.options(t), F.corpus_span(t)))
            rest_w, rest_c, _ = _timed(lambda t=ready: F.warm(t))
            warm_w, warm_c = page_w + rest_w, page_c + rest_c
            keys = ("full_w", "full_c", "delta_w", "delta_c", "warm_w", "warm_c", "page_w", "page_c")
            t = timings.setdefault(op, {k: [] for k in keys})
            t["page_w"].append(page_w)
            t["page_c"].append(page_c)
            t["full_w"].append(got["full"][0])
            t["full_c"].append(got["full"][1])
            t["delta_w"].append(got["delta"][0])
            t["delta_c"].append(got["delta"][1])
            t["warm_w"].append(warm_w)
            t["warm_c"].append(warm_c)
            held, version = new, store.version()
            del reference, got
    for op, t in timings.items():
        out[op] = {k: round(statistics.median(v) * 1000, 1) for k, v in t.items()}
    out["load"] = [round(x, 2) for x in os.getloadavg()]
    return out


def report(out: dict[str, Any]) -> str:
    lines = [
        f"store: {out['n_articles']:,} articles, {out['n_events']:,} events, {out['n_resolved']:,} resolved events;"
        f" median of {out['rounds']} rounds per write, full and delta alternating",
        "",
        "| write | full load_tables ms (CPU) | delta apply_changes ms (CPU) | CPU ratio full/delta | F.warm after ms (CPU)"
        " | of which every page's options + span ms (CPU) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for op in ("add", "redate", "remove"):
        t = out.get(op)
        if not t:
            continue
        ratio = t["full_c"] / t["delta_c"] if t["delta_c"] else float("nan")
        lines.append(
            f"| {op} | {t['full_w']:,.0f} ({t['full_c']:,.0f}) | {t['delta_w']:,.0f} ({t['delta_c']:,.0f}) | {ratio:.1f}×"
            f" | {t['warm_w']:,.0f} ({t['warm_c']:,.0f}) | {t['page_w']:,.0f} ({t['page_c']:,.0f}) |"
        )
    lines.append("")
    lines.append(f"load average at the end: {out['load']}")
    return "\n".join(lines)
