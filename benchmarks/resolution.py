"""Benchmark of event resolution (issue 16): what it costs ingest, how it scales, how well it groups.

``python -m benchmarks --resolution [--n N] [--reports K]`` writes a synthetic corpus in which every K
consecutive articles report one shared happening (:class:`benchmarks.synthetic.Story`: other words,
another date precision, another publisher), at N and 2N articles, and measures:

* ingest with and without resolution: the articles are extracted once (timed), then written into two
  fresh stores, one resolving each article as it is stored and one with resolution switched off;
  the ratio is (extraction + writes with resolution) / (extraction + writes without), the best of
  two alternating rounds (the machine is shared);
* the time spent resolving (every ``core.storage.resolve_store.attach`` call and every batch resolved) at N
  and 2N, and its ratio
  (near 2.0 means near-linear: candidates come from the date-window index, never all pairs);
* the batch resolution of the loaded tables (``core.storage.resolve.resolve_events``) at N and 2N;
* the bytes per article of the resolution tables and their indexes in the store written with
  resolution, after ``VACUUM`` (SQLite's ``dbstat``; issue 14);
* pairwise precision and recall of the groups of the lead sentences (the reports of one story should
  share a resolved event; reports of different stories should not).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def _resolution(enabled: bool, spent: list[float], spent_cpu: list[float] | None = None) -> Iterator[None]:
    """Resolution on (timing each ``attach`` and each batch resolved, in wall seconds into ``spent`` and
    CPU seconds of the process into ``spent_cpu``) or off, for the duration of the block."""
    from core.storage import resolve_store

    original, flush = resolve_store.attach, resolve_store.Deferred.flush
    cpu = spent_cpu if spent_cpu is not None else []

    def timed(*args: Any, **kwargs: Any) -> None:
        t0, c0 = time.perf_counter(), time.process_time()
        original(*args, **kwargs)
        spent.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)

    def timed_flush(self: resolve_store.Deferred) -> None:
        t0, c0 = time.perf_counter(), time.process_time()
        flush(self)
        spent.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)

    resolve_store.attach = timed if enabled else (lambda *a, **k: None)
    resolve_store.Deferred.flush = timed_flush
    try:
        yield
    finally:
        resolve_store.attach = original
        resolve_store.Deferred.flush = flush


def _write_all(db: Path, extracted: list, enabled: bool) -> tuple[float, float, float, float]:
    """(seconds writing every article, seconds of that spent resolving, CPU seconds writing, CPU seconds
    of that spent resolving) into a fresh store, as
    ``python -m core ingest`` writes them (:func:`core.io.ingest.write_extracted`: one transaction per
    article, their events resolved in batches)."""
    from core.io.ingest import write_extracted
    from core.storage.store import Store

    for f in db.parent.glob(db.name + "*"):
        f.unlink()
    store = Store(db)
    spent: list[float] = []
    spent_cpu: list[float] = []
    with _resolution(enabled, spent, spent_cpu), store.connect() as con:
        t0, c0 = time.perf_counter(), time.process_time()
        results = write_extracted(store, [(str(i), ex) for i, ex in enumerate(extracted)], con)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert all(r.status == "added" for r in results), "the benchmark corpus must go in whole"
    return seconds, sum(spent), cpu, sum(spent_cpu)


def resolution_bytes(db: Path) -> int | None:
    """Bytes of the resolution tables and their indexes in ``db`` after ``VACUUM`` (None when this
    SQLite has no ``dbstat``)."""
    from core.storage import resolve_store
    from core.storage.store import Store

    store = Store(db)
    store.vacuum()
    with store.connect() as con:
        return resolve_store.stored_bytes(con)


def _lead_scores(db: Path, paths: list[Path], reports: int) -> tuple[float, float, int]:
    """Pairwise precision and recall of the lead sentences' resolved events against their stories."""
    from core.query.tables import load_tables
    from core.storage.store import Store

    tables = load_tables(Store(db), include_reference=False)
    ev = tables["events"].merge(tables["articles"][["article_id", "source_file"]], on="article_id")
    story_of: dict[str, int] = {}
    rid_of: dict[str, str] = {}
    for p in paths:
        i = int(p.stem.rsplit("-", 1)[1])
        text = p.read_text(encoding="utf-8")
        if not text.startswith("Title:"):
            continue  # no story for this block (no office-holders known that day)
        lead = text.split("\n\n", 1)[1].split(". ", 1)[0]
        rows = ev[(ev["source_file"] == p.name) & ev["evidence"].str.startswith(lead[:60])]
        rows = rows[rows["cameo_root"].astype(str).str.zfill(2) == "04"]
        if rows.empty:
            continue
        story_of[p.name], rid_of[p.name] = i // reports, rows["resolved_id"].iloc[0]
    true = pred = both = 0
    for a, b in itertools.combinations(sorted(story_of), 2):
        t, q = story_of[a] == story_of[b], rid_of[a] == rid_of[b]
        true, pred, both = true + t, pred + q, both + (t and q)
    return both / max(pred, 1), both / max(true, 1), len(story_of)


def measure(n: int, seed: int, reports: int, work: Path) -> dict[str, float]:
    """Every figure of the module note, at N and 2N articles."""
    from benchmarks.synthetic import generate
    from core.io.ingest import extract_raw
    from core.query.tables import load_tables
    from core.storage import resolve as R
    from core.storage.store import Store
    from core.text.reading import read_path

    out: dict[str, float] = {"reports_per_story": reports}
    for label, size in (("n", n), ("2n", 2 * n)):
        corpus = work / f"resolution-{size}"
        paths = generate(size, seed, corpus, reports=reports)
        extract_raw(read_path(paths[0]))  # lexicons compiled before timing
        t0, c0 = time.perf_counter(), time.process_time()
        extracted = [extract_raw(read_path(p)) for p in paths]
        extract_s, extract_cpu = time.perf_counter() - t0, time.process_time() - c0
        with_db, without_db = work / f"with-{size}.sqlite", work / f"without-{size}.sqlite"
        rounds = []
        for _ in range(2):
            w_off, _, c_off, _ = _write_all(without_db, extracted, enabled=False)
            w_on, spent, c_on, spent_cpu = _write_all(with_db, extracted, enabled=True)
            rounds.append((w_on, w_off, spent, c_on, c_off, spent_cpu))
        w_on, w_off, spent, c_on, c_off, spent_cpu = (min(r[i] for r in rounds) for i in range(6))
        tables = load_tables(Store(with_db), include_reference=False)
        t0 = time.perf_counter()
        R.resolve_events(tables["events"], tables["actors"], tables["articles"])
        batch_s = time.perf_counter() - t0
        res = tables["resolved_events"]
        precision, recall, leads = _lead_scores(with_db, paths, reports)
        stored = resolution_bytes(with_db)
        out.update(
            {
                f"{label}_articles": size,
                f"{label}_events": len(tables["events"]),
                f"{label}_resolved_events": len(res),
                f"{label}_multi_report_events": int((res["n_reports"] > 1).sum()),
                f"{label}_extract_s": extract_s,
                f"{label}_write_with_s": w_on,
                f"{label}_write_without_s": w_off,
                f"{label}_resolve_s": spent,
                f"{label}_resolve_ms_per_article": spent / size * 1000,
                # the same in CPU seconds of this process (wall seconds include the wait for a core)
                f"{label}_resolve_cpu_s": spent_cpu,
                f"{label}_resolve_cpu_ms_per_article": spent_cpu / size * 1000,
                f"{label}_ingest_ratio": (extract_s + w_on) / (extract_s + w_off),
                f"{label}_extract_cpu_s": extract_cpu,
                f"{label}_write_with_cpu_s": c_on,
                f"{label}_write_without_cpu_s": c_off,
                # the same ratio in CPU seconds of this process: less at the mercy of a busy machine
                f"{label}_ingest_ratio_cpu": (extract_cpu + c_on) / (extract_cpu + c_off),
                f"{label}_batch_resolve_s": batch_s,
                f"{label}_lead_precision": precision,
                f"{label}_lead_recall": recall,
                f"{label}_lead_reports": leads,
                f"{label}_resolution_bytes_per_article": (stored or 0) / size,
            }
        )
        print(
            f"  N={size:,}: ingest with/without resolution {out[f'{label}_ingest_ratio']:.3f}"
            f" (CPU {out[f'{label}_ingest_ratio_cpu']:.3f}), resolving "
            f"{spent:.2f} s ({out[f'{label}_resolve_ms_per_article']:.2f} ms/article; CPU {spent_cpu:.2f} s), batch {batch_s:.2f} s, "
            f"lead-sentence precision {precision:.2f} recall {recall:.2f}",
            flush=True,
        )
    out["resolve_scaling_2n_over_n"] = out["2n_resolve_s"] / max(out["n_resolve_s"], 1e-9)
    out["resolve_cpu_scaling_2n_over_n"] = out["2n_resolve_cpu_s"] / max(out["n_resolve_cpu_s"], 1e-9)
    out["batch_scaling_2n_over_n"] = out["2n_batch_resolve_s"] / max(out["n_batch_resolve_s"], 1e-9)
    return out


def report(out: dict[str, float]) -> str:
    rows = [("", "N", "2N")]
    for key, name, fmt in (
        ("articles", "articles", "{:,.0f}"),
        ("events", "article events", "{:,.0f}"),
        ("resolved_events", "resolved events", "{:,.0f}"),
        ("multi_report_events", "… with ≥2 reports", "{:,.0f}"),
        ("extract_s", "extraction (s)", "{:.1f}"),
        ("write_without_s", "store writes without resolution (s)", "{:.2f}"),
        ("write_with_s", "store writes with resolution (s)", "{:.2f}"),
        ("resolve_s", "of which resolving (s)", "{:.2f}"),
        ("resolve_ms_per_article", "resolving per article (ms)", "{:.2f}"),
        ("resolve_cpu_s", "resolving, CPU (s)", "{:.2f}"),
        ("resolve_cpu_ms_per_article", "resolving per article, CPU (ms)", "{:.2f}"),
        ("ingest_ratio", "ingest with / without resolution", "{:.3f}"),
        ("extract_cpu_s", "extraction, CPU (s)", "{:.2f}"),
        ("write_without_cpu_s", "store writes without resolution, CPU (s)", "{:.2f}"),
        ("write_with_cpu_s", "store writes with resolution, CPU (s)", "{:.2f}"),
        ("ingest_ratio_cpu", "ingest with / without resolution, CPU", "{:.3f}"),
        ("batch_resolve_s", "batch resolution of the tables (s)", "{:.2f}"),
        ("resolution_bytes_per_article", "resolution tables per article (bytes, VACUUM)", "{:,.0f}"),
        ("lead_precision", "lead sentences: pairwise precision", "{:.2f}"),
        ("lead_recall", "lead sentences: pairwise recall", "{:.2f}"),
    ):
        rows.append((name, fmt.format(out[f"n_{key}"]), fmt.format(out[f"2n_{key}"])))
    width = max(len(r[0]) for r in rows)
    lines = [f"{a:<{width}}  {b:>10}  {c:>10}" for a, b, c in rows]
    lines.append(
        f"resolving time 2N / N: {out['resolve_scaling_2n_over_n']:.2f} (CPU {out['resolve_cpu_scaling_2n_over_n']:.2f}; 2.0 = linear); "
        f"batch 2N / N: {out['batch_scaling_2n_over_n']:.2f}; target: ingest ratio ≤ 1.10"
    )
    return "\n".join(lines)
