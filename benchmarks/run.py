"""The benchmark (``python -m benchmarks``): speed and memory at the size of a real corpus.

Why a script and not a test: timings depend on the machine and on whatever else runs on it, so
the figures are printed beside the targets for people to read and compare within one run (ratios,
not absolute numbers), and written to JSON (default ``benchmarks/results/latest.json``, git-ignored)
so two runs can be diffed. Nothing here asserts a timing.

Everything runs on a synthetic corpus (:mod:`benchmarks.synthetic`) in a temp folder with its own
store; the project's ``data/`` and its store are never touched.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from multiprocessing import get_context
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_JSON = PROJECT_DIR / "benchmarks" / "results" / "latest.json"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: The pages whose view the dashboard measure builds (core.views.registry: every view with a recipe), by URL path.
PAGES = ("overview", "timeline", "network", "debt_arms", "events")
#: What a run copies before importing any of it, so one run measures one version of the code.
SNAPSHOT_ITEMS = ("core", "ui", "pages", "app.py", ".streamlit", "data")
_code_root = PROJECT_DIR  # where core/, ui/, pages/ and app.py are imported from (a snapshot during a run)

#: Keys of ``results`` every run fills with a positive number (the smoke test checks each one).
MEASURED: tuple[str, ...] = (
    "n_articles",
    "corpus_words",
    "generate_s",
    "extract_articles",
    "extract_warmup_ms",
    "extract_s",
    "extract_articles_per_s",
    "extract_words_per_s",
    "extract_ms_per_article",
    "events_per_article",
    "mentions_per_article",
    "extract_parallel_workers",
    "extract_parallel_s",
    "extract_parallel_articles_per_s",
    "extract_parallel_words_per_s",
    "extract_parallel_per_core_articles_per_s",
    "extract_parallel_speedup",
    "ingest_s",
    "ingest_articles_per_s",
    "ingest_words_per_s",
    "ingest_rss_after_imports_mb",
    "ingest_peak_rss_mb",
    "store_mb",
    "store_bytes_per_article",
    "ingest_parallel_workers",
    "ingest_parallel_articles_per_s",
    "ingest_parallel_per_core_articles_per_s",
    "load_tables_ms",
    "filter_index_ms",
    "table_events",
    "table_mentions",
    "table_sentences",
    "table_amounts",
    "table_relations",
    "filter_ms",
    "filter_all_ms",
    "filtered_events",
    *(f"{p}_{v}_ms" for p in PAGES for v in ("all", "filtered")),
    "network_nodes_all",
    "network_edges_all",
    "network_layout_all_ms",
    "network_layout_filtered_ms",
    "network_layout_300_ms",
    *(f"page_{p}_{v}_ms" for p in PAGES for v in ("filter_change", "unfiltered")),
)
#: Filled with ``--rebuild-scale``.
REBUILD_MEASURED: tuple[str, ...] = (
    "rebuild_n_s",
    "rebuild_n_articles_per_s",
    "fill_2n_articles_per_s",
    "rebuild_2n_s",
    "rebuild_2n_articles_per_s",
    "rebuild_ratio",
)
#: Filled unless ``--skip-browser`` (or Chromium is missing).
BROWSER_MEASURED: tuple[str, ...] = (
    "browser_network_cold_ms",
    "browser_network_ms",
    "browser_timeline_filtered_ms",
    "browser_network_filtered_ms",
    "browser_timeline_ms",
)

# (results key, comparison, threshold, how the target reads)
TARGETS: list[tuple[str, str, float, str]] = [
    ("extract_articles_per_s", ">=", 500, "≥500 articles/s per core"),
    ("extract_parallel_per_core_articles_per_s", ">=", 500, "≥500 articles/s per core"),
    ("ingest_articles_per_s", ">=", 200, "≥200 articles/s per core"),
    ("ingest_parallel_per_core_articles_per_s", ">=", 200, "≥200 articles/s per core"),
    ("ingest_peak_rss_mb", "<", 1024, "<1 GB at 5,000 articles"),
    ("store_bytes_per_article", "<=", 10_000, "≤10 KB (1 GB at 100,000)"),
    *((f"page_{p}_{v}_ms", "<", 300, "<300 ms at 5,000 articles") for p in PAGES for v in ("filter_change", "unfiltered")),
    ("network_layout_300_ms", "<", 1000, "<1 s for ≤300 nodes"),
    ("rebuild_ratio", "<=", 2.2, "10k within 2.2× of 5k"),
]


# --------------------------------------------------------------------------- machine and timing


def machine() -> dict[str, Any]:
    """What the figures were measured on, so two runs are only compared like with like."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu_count": os.cpu_count() or 1,
        "cpu_model": model or platform.processor() or "unknown",
        "python": platform.python_version(),
        "platform": platform.platform(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    }


def code_fingerprint(root: Path | None = None) -> str:
    """A short hash of core/, ui/ and pages/ sources: which version of the code a result belongs to."""
    import hashlib

    root = root or _code_root
    h = hashlib.sha256()
    for folder in ("core", "ui", "pages"):
        for f in sorted((root / folder).rglob("*.py")):
            h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:12]


def snapshot_code(dest: Path) -> Path:
    """Copy the measured code (and its data files, no stores) and import it from there.

    Why: others edit core/ while a run of an hour goes on; without a snapshot the parent, the
    worker processes and the Streamlit server could each import a different version.
    """
    global _code_root
    if "core" in sys.modules:
        raise RuntimeError("core was imported before the snapshot was taken")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.sqlite", "*.sqlite-*")
    for item in SNAPSHOT_ITEMS:
        src = PROJECT_DIR / item
        if src.is_dir():
            shutil.copytree(src, dest / item, ignore=ignore, dirs_exist_ok=True)
        elif src.exists():
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / item)
    sys.path.insert(0, str(dest))  # spawned workers inherit sys.path, so they import the same copy
    _code_root = dest
    return dest


def _vm_kb(field: str) -> int:
    """A VmHWM / VmRSS line of /proc/self/status in kB (0 where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _bench_ms(fn: Callable[[], Any], quick_s: float = 1.0) -> tuple[float, Any]:
    """Median wall time of ``fn`` in ms (three runs when one takes under ``quick_s``, else one) and its result."""
    times, result = [], None
    for _ in range(3):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
        if times[0] > quick_s * 1000:
            break
    return statistics.median(times), result


# --------------------------------------------------------------------------- extraction workers (top level: pickled)


def _extract_one(path: str) -> tuple[int, dict[str, list[dict]], Any]:
    from core.extract.pipeline import process, to_rows
    from core.text.reading import read_path

    raw = read_path(path)
    doc = process(raw)
    rows = to_rows(doc)
    return int(rows["articles"][0]["n_words"]), rows, (raw, doc)


def _extract_chunk(paths: list[str]) -> tuple[int, int, int]:
    """(articles, words, rows) of a chunk; the rows are built and counted, as an ingest would need them."""
    words = n_rows = 0
    for p in paths:
        w, rows, _ = _extract_one(p)
        words += w
        n_rows += sum(len(v) for v in rows.values())
    return len(paths), words, n_rows


def _ingest_child(corpus_dir: str, db_path: str, workers: int = 1) -> dict[str, float]:
    """Ingest in a fresh process, so its peak RSS is the ingest's own (plus the imports it needs)."""
    from core.io.ingest import ingest_paths
    from core.storage.store import Store

    after_imports = _vm_kb("VmHWM")
    store = Store(db_path)
    t0 = time.perf_counter()
    results = ingest_paths(store, [corpus_dir], workers=workers)
    seconds = time.perf_counter() - t0
    peak_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, _vm_kb("VmHWM"))
    words = store.word_count()
    return {
        "seconds": seconds,
        "added": sum(r.status == "added" for r in results),
        "rejected": sum(r.status == "rejected" for r in results),
        "words": words,
        "after_imports_mb": after_imports / 1024,
        "peak_mb": peak_kb / 1024,
    }


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _pool(workers: int) -> ProcessPoolExecutor:
    # spawn, not fork: each worker pays its own imports and lexicon compilation, as a real worker would
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))


# --------------------------------------------------------------------------- the measurements


def measure_extraction(paths: list[Path], workers: int, out: dict[str, float]) -> None:
    """Articles and words per second through read_path + process + to_rows, one process and all cores."""
    t0 = time.perf_counter()
    _extract_one(str(paths[0]))  # lexicons, dictionary and patterns compiled once per process
    out["extract_warmup_ms"] = (time.perf_counter() - t0) * 1000
    words = events = mentions = 0
    t0 = time.perf_counter()
    for p in paths:
        w, rows, _ = _extract_one(str(p))
        words += w
        events += len(rows["events"])
        mentions += len(rows["mentions"])
    seconds = time.perf_counter() - t0
    n = len(paths)
    out.update(
        extract_articles=n,
        extract_s=seconds,
        extract_articles_per_s=n / seconds,
        extract_words_per_s=words / seconds,
        extract_ms_per_article=seconds / n * 1000,
        events_per_article=events / n,
        mentions_per_article=mentions / n,
    )
    print(f"  extraction, 1 process: {n / seconds:,.1f} articles/s", flush=True)

    t0 = time.perf_counter()
    with _pool(workers) as pool:
        done = list(pool.map(_extract_chunk, _chunks([str(p) for p in paths], 20)))
    seconds = time.perf_counter() - t0
    words = sum(d[1] for d in done)
    out.update(
        extract_parallel_workers=workers,
        extract_parallel_s=seconds,
        extract_parallel_articles_per_s=n / seconds,
        extract_parallel_words_per_s=words / seconds,
        extract_parallel_per_core_articles_per_s=n / seconds / workers,
        extract_parallel_speedup=(n / seconds) / out["extract_articles_per_s"],
    )
    print(f"  extraction, {workers} processes: {n / seconds:,.1f} articles/s", flush=True)


def measure_ingest(corpus_dir: Path, db: Path, n: int, out: dict[str, float], workers: int = 1) -> None:
    """``core.io.ingest.ingest_paths`` into a fresh ``Store``, in a child process that reports its peak RSS;
    then again into a scratch store with ``workers`` extraction processes (``python -m core ingest``'s default)."""
    scratch = db.with_name(db.stem + "-parallel.sqlite")
    with _pool(1) as pool:
        r = pool.submit(_ingest_child, str(corpus_dir), str(scratch), workers).result()
    for f in db.parent.glob(scratch.name + "*"):
        f.unlink()
    out.update(
        ingest_parallel_workers=workers,
        ingest_parallel_articles_per_s=r["added"] / r["seconds"],
        ingest_parallel_per_core_articles_per_s=r["added"] / r["seconds"] / workers,
    )
    print(f"  ingest, {workers} workers: {out['ingest_parallel_articles_per_s']:,.1f} articles/s", flush=True)
    with _pool(1) as pool:
        r = pool.submit(_ingest_child, str(corpus_dir), str(db)).result()
    if r["added"] != n:
        print(f"  warning: ingest added {r['added']} of {n} articles ({r['rejected']} rejected)", file=sys.stderr)
    out.update(
        ingest_s=r["seconds"],
        ingest_articles_per_s=r["added"] / r["seconds"],
        ingest_words_per_s=r["words"] / r["seconds"],
        ingest_rss_after_imports_mb=r["after_imports_mb"],
        ingest_peak_rss_mb=r["peak_mb"],
        store_mb=sum(f.stat().st_size for f in db.parent.glob(db.name + "*")) / 2**20,
    )
    print(f"  ingest: {out['ingest_articles_per_s']:,.1f} articles/s, peak RSS {r['peak_mb']:,.0f} MB", flush=True)
    from core.storage.store import Store

    Store(db).vacuum()  # the bytes the store holds, not the pages its writes left free
    out["store_bytes_per_article"] = sum(f.stat().st_size for f in db.parent.glob(db.name + "*")) / max(r["added"], 1)
    print(f"  store: {out['store_bytes_per_article']:,.0f} bytes per article after VACUUM", flush=True)


def _typical_filter(tables: dict) -> tuple[Any, str]:
    """One actor (the person in most events) over five years (around the median event year)."""
    from core.query import filters as F
    from core.query import frames

    ev = tables["events"]
    persons = set(frames.text(tables["actors"].loc[frames.text(tables["actors"]["kind"]) == "person", "actor_id"]))
    counts: dict[str, int] = {}
    for cell in ev["actors"]:
        for a in frames.split_list(cell):
            if a in persons:
                counts[a] = counts.get(a, 0) + 1
    actor = max(sorted(counts), key=lambda a: counts[a]) if counts else ""
    years = frames.to_datetime(ev["start_date"]).dropna().dt.year
    mid = int(years.median()) if not years.empty else 2000
    flt = F.Filters(start=date(mid - 2, 1, 1), end=date(mid + 2, 12, 31), actors=(actor,) if actor else ())
    return flt, f"actor={actor or '(none)'}, {flt.start}–{flt.end}"


def _apply_filter(tables: dict, flt: Any) -> tuple[dict, str]:
    """``core.query.filters.apply`` when it exists; otherwise the same narrowing in plain pandas (and say so)."""
    try:
        from core.query.filters import apply

        return apply(tables, flt), "core.query.filters.apply"
    except (ImportError, AttributeError):
        pass
    import pandas as pd

    out = dict(tables)
    ev = tables["events"]
    start = pd.to_datetime(ev["start_date"], errors="coerce")
    keep = (start >= pd.Timestamp(flt.start)) & (start <= pd.Timestamp(flt.end))
    if flt.actors:
        keep &= ev["actors"].astype(str).str.split(";").map(lambda xs: bool(set(xs) & set(flt.actors)))
    out["events"] = ev[keep]
    am = tables["amounts"]
    d = pd.to_datetime(am["as_of_date"], errors="coerce")
    out["amounts"] = am[(d >= pd.Timestamp(flt.start)) & (d <= pd.Timestamp(flt.end))]
    return out, "pandas fallback (core.query.filters.apply missing)"


def _page_builders(full: dict) -> dict[str, Callable[[dict, Any], dict[str, float]]]:
    """Per page with a view (``core.views.registry``): what it computes from the (filtered) tables when the
    filters change — the view's own recipe with the page's options, plus the table the page draws
    under it (the network's centrality, the amounts table, the first rows of the events)."""
    from core.query import filters as F
    from core.views import registry as views
    from core.views.figures import debt_arms, network

    # the benchmark's tables hold every report (nothing is collapsed to resolved events): the pages'
    # "Every report" mode, in which an unfiltered network reuses the relations stored with the corpus
    options: dict[str, dict[str, Any]] = {"network": {"stored_relations": True}}

    def below_network(t: dict, flt: Any, result: Any) -> dict[str, float]:
        g_ms, _ = _bench_ms(lambda: network.graph_for_view(t, unfiltered=flt.is_empty()))
        drawn = result.extras["view"]
        l_ms, _ = _bench_ms(lambda: network.layout(drawn, seed=42))
        c_ms, _ = _bench_ms(lambda: network.centrality_table(drawn))
        graph = result.extras["graph"]
        return {"centrality": c_ms, "graph": g_ms, "layout": l_ms, "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}

    def below_debt_arms(t: dict, flt: Any, result: Any) -> dict[str, float]:
        ms, _ = _bench_ms(lambda: debt_arms.amounts_table(t["amounts"], full["articles"]))
        return {"table": ms}

    def below_events(t: dict, flt: Any, result: Any) -> dict[str, float]:
        from ui.tables import events_view

        # the page formats at most 20,000 rows; its CSV is built only on a click
        ms, _ = _bench_ms(lambda: events_view(result.rows[0], full["actors"], F.to_query_params(flt), limit=20_000))
        return {"table": ms}

    below: dict[str, Callable[[dict, Any, Any], dict[str, float]]] = {
        "network": below_network,
        "debt-arms": below_debt_arms,
        "events": below_events,
    }

    def page(spec: Any) -> Callable[[dict, Any], dict[str, float]]:
        def build(t: dict, flt: Any) -> dict[str, float]:
            # each timed run on a fresh events object, as after a filter change: the view's memos
            # (graph, layout) start empty, as they do on the page
            ms, result = _bench_ms(lambda: spec.run({**t, "events": t["events"].copy(deep=False)}, flt, options.get(spec.key)))
            extra = below[spec.key](t, flt, result) if spec.key in below else {}
            return {"total": ms + extra.get("centrality", 0.0) + extra.get("table", 0.0), "view": ms, **extra}

        return build

    # results are named after the page's URL path ('overview' for the home page)
    return {spec.path or spec.key: page(spec) for spec in views.VIEWS if spec.build is not None}


def measure_dashboard(db: Path, out: dict[str, float], notes: list[str], seed: int) -> str:
    """The data path behind a page view: load the tables, apply a typical filter, build each page's output.

    Returns the typical filter as URL query params, for the browser to open the same view.
    """
    from urllib.parse import urlencode

    import networkx as nx

    from core.query import filters as F
    from core.query import frames
    from core.query.tables import load_tables
    from core.storage.store import Store
    from core.views.figures import network

    store = Store(db)
    load_tables(store)  # imports and first-query costs are not the steady state
    out["load_tables_ms"], tables = _bench_ms(lambda: load_tables(store))
    tables = frames.ensure_tables(tables)
    # the dashboard builds the filter indexes once per store version, right after loading
    t0 = time.perf_counter()
    F.warm(tables)
    out["filter_index_ms"] = (time.perf_counter() - t0) * 1000
    for t in ("events", "mentions", "sentences", "amounts", "relations"):
        out[f"table_{t}"] = len(tables[t])
    flt, described = _typical_filter(tables)
    out["filter_ms"], (filtered, how) = _bench_ms(lambda: _apply_filter(tables, flt))
    out["filter_all_ms"], (unfiltered, _) = _bench_ms(lambda: _apply_filter(tables, F.Filters()))
    out["filtered_events"] = len(filtered["events"])
    notes.append(f"typical filter: {described} ({len(filtered['events']):,} of {len(tables['events']):,} events), via {how}")
    print(f"  load_tables {out['load_tables_ms']:,.0f} ms, filter {out['filter_ms']:,.0f} ms", flush=True)

    for page, build in _page_builders(tables).items():
        build(filtered, flt)  # a running server has plotly's validators and ui/ imported already
        for variant, t, f in (("all", unfiltered, F.Filters()), ("filtered", filtered, flt)):
            r = build(t, f)
            out[f"{page}_{variant}_ms"] = r["total"]
            if page == "network":
                out[f"network_layout_{variant}_ms"] = r["layout"]
                if variant == "all":
                    out["network_nodes_all"], out["network_edges_all"] = r["nodes"], r["edges"]
                notes.append(
                    f"network page ({variant}): {r['nodes']} nodes, {r['edges']} edges; view {r['view']:,.0f} ms "
                    f"(of which graph {r['graph']:,.0f} ms, layout {r['layout']:,.0f} ms), "
                    f"centrality {r['centrality']:,.0f} ms"
                )
        out[f"page_{page}_filter_change_ms"] = out["filter_ms"] + out[f"{page}_filtered_ms"]
        out[f"page_{page}_unfiltered_ms"] = out["filter_all_ms"] + out[f"{page}_all_ms"]
        print(f"  {page}: all {out[f'{page}_all_ms']:,.0f} ms, filtered {out[f'{page}_filtered_ms']:,.0f} ms", flush=True)

    # layout at the target's size, whatever size the corpus's graph happens to be
    g300 = nx.DiGraph()
    rnd = nx.gnm_random_graph(300, 900, seed=seed)
    for s, t in rnd.edges:
        g300.add_edge(f"a{s:03d}", f"a{t:03d}", n_events=1 + (s * t) % 7)
    g300.add_nodes_from(f"a{i:03d}" for i in range(300))
    out["network_layout_300_ms"], _ = _bench_ms(lambda: network.layout(g300, seed=42))
    return urlencode(F.to_query_params(flt), doseq=True)


def _copy_store(src: Path, dst: Path) -> None:
    from core.storage.store import Store

    Store(src).copy_to(dst)


def measure_rebuild(db: Path, work: Path, n: int, seed: int, workers: int, out: dict[str, float]) -> None:
    """``core.io.ingest.rebuild`` at N and at 2N articles, with ``workers`` processes as the CLI runs it."""
    from benchmarks.synthetic import generate
    from core.io.ingest import ingest_paths, rebuild
    from core.storage.store import Store

    t0 = time.perf_counter()
    rebuild(Store(db), workers=workers)
    out["rebuild_n_s"] = time.perf_counter() - t0
    out["rebuild_n_articles_per_s"] = n / out["rebuild_n_s"]
    print(f"  rebuild N={n:,}: {out['rebuild_n_s']:,.1f} s", flush=True)

    db2 = work / "bench-2n.sqlite"
    _copy_store(db, db2)
    extra = generate(n, seed, work / "corpus-2n", start=n)
    store2 = Store(db2)
    t0 = time.perf_counter()
    ingest_paths(store2, extra, workers=workers)
    out["fill_2n_articles_per_s"] = n / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    count = int(rebuild(store2, workers=workers))
    out["rebuild_2n_s"] = time.perf_counter() - t0
    out["rebuild_2n_articles_per_s"] = count / out["rebuild_2n_s"]
    out["rebuild_ratio"] = out["rebuild_2n_s"] / out["rebuild_n_s"]
    print(f"  rebuild 2N={count:,}: {out['rebuild_2n_s']:,.1f} s (×{out['rebuild_ratio']:.2f})", flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure_browser(db: Path, work: Path, query: str, out: dict[str, float], notes: list[str], timeout_s: float = 300) -> None:
    """Headless Chromium: time from navigation until the page's first plotly chart is visible.

    Network first (its first view also loads the corpus), then both pages under the typical filter,
    and the whole-corpus Timeline last: if that one times out, nothing else is left queued behind it.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    port = _free_port()
    empty = work / "no-seed"
    empty.mkdir(exist_ok=True)
    env = {**os.environ, "RUSKOR_DB": str(db), "RUSKOR_SEED_DIR": str(empty)}
    log = (work / "streamlit.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=_code_root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    visits = [
        ("browser_network_cold_ms", "network", ""),
        ("browser_network_ms", "network", ""),
        ("browser_timeline_filtered_ms", "timeline", query),
        ("browser_network_filtered_ms", "network", query),
        ("browser_timeline_ms", "timeline", ""),
    ]
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"streamlit did not come up (see {work / 'streamlit.log'})")
            time.sleep(0.5)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                for key, path, params in visits:
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    t0 = time.perf_counter()
                    try:
                        page.goto(f"{base}/{path}" + (f"?{params}" if params else ""), wait_until="commit")
                        try:  # the app's shell (sidebar) first: it waits for the corpus, not for the chart
                            page.locator('[data-testid="stSidebar"]').first.wait_for(state="visible", timeout=timeout_s * 1000)
                            out[key.replace("_ms", "_shell_ms")] = (time.perf_counter() - t0) * 1000
                        except PlaywrightTimeout:
                            pass
                        page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=timeout_s * 1000)
                        out[key] = (time.perf_counter() - t0) * 1000
                        print(f"  {key}: {out[key]:,.0f} ms", flush=True)
                    except PlaywrightTimeout:
                        notes.append(
                            f"browser: {path}{'?' + params if params else ''} showed no chart within {timeout_s:.0f} s ({key} not measured)"
                        )
                        print(f"  {key}: no chart within {timeout_s:.0f} s", flush=True)
                    finally:
                        page.close()
            finally:
                browser.close()
        notes.append(
            "browser: 'cold' is the first page view after the server started (it loads the corpus); later "
            "views reuse the server's cached tables and figures; 'filtered' views use the typical filter's URL"
        )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


# --------------------------------------------------------------------------- report


def _verdict(value: float, op: str, threshold: float) -> bool:
    return {">=": value >= threshold, "<": value < threshold, "<=": value <= threshold}[op]


def _fmt(v: float) -> str:
    if v >= 100 or float(v).is_integer():
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:,.1f}"
    return f"{v:,.2f}"


ROWS: list[tuple[str, str, str]] = [  # (label, key, unit)
    ("Corpus: articles", "n_articles", ""),
    ("Corpus: words", "corpus_words", ""),
    ("Corpus: generated in", "generate_s", "s"),
    ("Extraction, 1 process (articles)", "extract_articles", ""),
    ("  warm-up (first article, lexicons)", "extract_warmup_ms", "ms"),
    ("  throughput", "extract_articles_per_s", "articles/s"),
    ("  words", "extract_words_per_s", "words/s"),
    ("  per article", "extract_ms_per_article", "ms"),
    ("  events per article", "events_per_article", ""),
    ("  mentions per article", "mentions_per_article", ""),
    ("Extraction, all cores: workers", "extract_parallel_workers", ""),
    ("  throughput", "extract_parallel_articles_per_s", "articles/s"),
    ("  words", "extract_parallel_words_per_s", "words/s"),
    ("  per core", "extract_parallel_per_core_articles_per_s", "articles/s"),
    ("  speed-up over 1 process", "extract_parallel_speedup", "×"),
    ("Ingest with store writes (1 process)", "ingest_articles_per_s", "articles/s"),
    ("  words", "ingest_words_per_s", "words/s"),
    ("  total time", "ingest_s", "s"),
    ("  RSS after imports", "ingest_rss_after_imports_mb", "MB"),
    ("  peak RSS", "ingest_peak_rss_mb", "MB"),
    ("  store size", "store_mb", "MB"),
    ("  store per article (after VACUUM)", "store_bytes_per_article", "bytes"),
    ("Ingest with store writes (all workers)", "ingest_parallel_articles_per_s", "articles/s"),
    ("  per core", "ingest_parallel_per_core_articles_per_s", "articles/s"),
    ("load_tables(store)", "load_tables_ms", "ms"),
    ("  filter indexes (once per store version)", "filter_index_ms", "ms"),
    ("  events rows", "table_events", ""),
    ("  mentions rows", "table_mentions", ""),
    ("  relations rows", "table_relations", ""),
    ("Filter: one actor, five years", "filter_ms", "ms"),
    ("  events kept", "filtered_events", ""),
    ("Filter: none (default view)", "filter_all_ms", "ms"),
    *((f"{p.replace('_', '-').capitalize()} page: build, {v}", f"{p}_{v}_ms", "ms") for p in PAGES for v in ("filtered", "all")),
    ("Network (all): nodes", "network_nodes_all", ""),
    ("Network (all): edges", "network_edges_all", ""),
    ("Network layout (all)", "network_layout_all_ms", "ms"),
    ("Network layout (filtered)", "network_layout_filtered_ms", "ms"),
    ("Network layout, 300 nodes / 900 edges", "network_layout_300_ms", "ms"),
    *((f"Filter change → {p.replace('_', '-')} data", f"page_{p}_filter_change_ms", "ms") for p in PAGES),
    *((f"Default view → {p.replace('_', '-')} data", f"page_{p}_unfiltered_ms", "ms") for p in PAGES),
    ("Rebuild at N", "rebuild_n_s", "s"),
    ("  throughput", "rebuild_n_articles_per_s", "articles/s"),
    ("Fill 2N store (ingest, all workers)", "fill_2n_articles_per_s", "articles/s"),
    ("Rebuild at 2N", "rebuild_2n_s", "s"),
    ("  throughput", "rebuild_2n_articles_per_s", "articles/s"),
    ("Rebuild 2N / N", "rebuild_ratio", "×"),
    ("Browser: Network, cold server (chart shown)", "browser_network_cold_ms", "ms"),
    ("  sidebar shown", "browser_network_cold_shell_ms", "ms"),
    ("Browser: Network, warm", "browser_network_ms", "ms"),
    ("Browser: Timeline, typical filter", "browser_timeline_filtered_ms", "ms"),
    ("Browser: Network, typical filter", "browser_network_filtered_ms", "ms"),
    ("Browser: Timeline, whole corpus", "browser_timeline_ms", "ms"),
]


def report(doc: dict[str, Any]) -> str:
    """The table printed at the end of a run: each figure with its unit and, where one exists, its target."""
    m, res = doc["machine"], doc["results"]
    targets = {k: (op, th, text) for k, op, th, text in TARGETS}
    lines = [
        f"Russia–Korea dashboard benchmark: N={doc['params']['n']:,} synthetic articles, seed {doc['params']['seed']}",
        f"Machine: {m['cpu_count']} × {m['cpu_model']}, {m['memory_gb']} GB, Python {m['python']}, {m['platform']}",
        f"Code (core/ ui/ pages/) fingerprint: {doc.get('code', '?')} ({doc.get('code_from', '')}); "
        f"load average at start / end: {doc['load_start']} / {doc['load_end']}",
        "",
    ]
    width = max(len(label) for label, _, _ in ROWS) + 2
    lines.append(f"{'measure':{width}}{'value':>12}  {'unit':12}{'target':28}verdict")
    lines.append("-" * (width + 62))
    for label, key, unit in ROWS:
        if key not in res:
            continue
        target = verdict = ""
        if key in targets:
            op, th, target = targets[key]
            if _verdict(res[key], op, th):
                verdict = "meets"
            elif op == ">=":
                verdict = f"MISSES ({res[key] / th:.3f} of target)"
            else:
                verdict = f"MISSES ({res[key] / th:.1f}× the limit)"
        lines.append(f"{label:{width}}{_fmt(res[key]):>12}  {unit:12}{target:28}{verdict}")
    if doc.get("notes"):
        lines += ["", "Notes:", *(f"- {n}" for n in doc["notes"])]
    return "\n".join(lines)


# --------------------------------------------------------------------------- profile mode


def profile(k: int, seed: int, work: Path, out_path: Path, top: int = 15) -> str:
    """cProfile of single-process extraction on ``k`` synthetic articles: top functions by cumulative and own time."""
    import cProfile
    import io
    import pstats

    from benchmarks.synthetic import generate

    paths = generate(k, seed, work / "profile-corpus")
    _extract_one(str(paths[0]))
    prof = cProfile.Profile()
    prof.enable()
    for p in paths:
        _extract_one(str(p))
    prof.disable()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    prof.dump_stats(out_path)
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf).strip_dirs()
    buf.write(f"cProfile: read_path + process + to_rows on {k} synthetic articles, code {code_fingerprint()} (saved to {out_path})\n")
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


# --------------------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=5000, help="articles in the synthetic corpus (default 5000)")
    p.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    p.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"where to write the results (default {DEFAULT_JSON})")
    p.add_argument("--skip-browser", action="store_true", help="skip the headless-Chromium page loads")
    p.add_argument("--browser-timeout", type=float, default=300, help="seconds to wait for a page's chart (default 300)")
    p.add_argument("--rebuild-scale", action="store_true", help="also time `rebuild` at N and 2N articles")
    p.add_argument("--extract-sample", type=int, default=0, help="time extraction on this many articles (default all N)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes for the all-cores run")
    p.add_argument("--workdir", type=Path, default=None, help="folder for corpus and store (default a temp dir, removed)")
    p.add_argument(
        "--no-snapshot", action="store_true", help="import core/ ui/ pages/ from the working tree instead of a copy taken at the start"
    )
    p.add_argument(
        "--hostile",
        action="store_true",
        help="only time the hostile-input catalogue (issue 17) and extraction time per KB from 1 KB to 2 MB",
    )
    p.add_argument(
        "--resolution",
        action="store_true",
        help="only: event resolution at N and 2N (benchmarks/resolution.py): ingest ratio, scaling, grouping",
    )
    p.add_argument("--reports", type=int, default=3, help="with --resolution: reports per shared happening (default 3)")
    p.add_argument(
        "--packing",
        action="store_true",
        help="only: the packed store (schema 5, benchmarks/packing.py): bytes per article and write time, packed vs unpacked",
    )
    p.add_argument(
        "--dask",
        action="store_true",
        help="only: the Dask ingest engine at N (benchmarks/dask_scaling.py): 1 and 2 workers, the "
        "scheduler's overhead per task, simulated 4-32 workers",
    )
    p.add_argument(
        "--engine",
        action="store_true",
        help="only: the DuckDB query layer at N (benchmarks/engine.py): filter change -> page data, "
        "pandas vs engine, alternating, with a check that both give the same results",
    )
    p.add_argument(
        "--engine-scale",
        type=int,
        default=0,
        metavar="K",
        help="with --engine: then copy the engine's tables K times inside DuckDB and time the engine alone",
    )
    p.add_argument(
        "--delta",
        action="store_true",
        help="only: the incremental reload after one add, re-date or removal at N (benchmarks/delta.py): "
        "full load_tables vs apply_changes, alternating, and the filter indexes after",
    )
    p.add_argument("--dask-per-task", type=int, default=8, help="with --dask: articles per task (default 8)")
    p.add_argument(
        "--profile",
        type=int,
        nargs="?",
        const=300,
        default=None,
        metavar="K",
        help="only profile extraction on K articles (default 300) and print the hot spots",
    )
    return p


def _finish(args: argparse.Namespace, name: str, out: dict, report: str) -> int:
    """A single benchmark's end: its table printed, its figures saved as ``NAME.json`` beside
    ``--json`` with the machine and the load average at the end."""
    print()
    print(report)
    path = args.json.with_name(f"{name}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    load = [round(x, 2) for x in os.getloadavg()]
    path.write_text(json.dumps({"machine": machine(), "load": load, "results": out}, indent=2, default=str), encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.n < 2:
        print("error: --n must be at least 2", file=sys.stderr)
        return 2
    own_dir = args.workdir is None
    work = Path(tempfile.mkdtemp(prefix="ruskor-bench-")) if own_dir else args.workdir
    work.mkdir(parents=True, exist_ok=True)
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    if not args.no_snapshot:
        snapshot_code(work / "code")
    try:
        if args.profile:
            print(profile(args.profile, args.seed, work, args.json.with_name("profile.prof")))
            return 0
        if args.hostile:
            from benchmarks.hostile import run_hostile

            doc = {"machine": machine(), "code": code_fingerprint(), "results": run_hostile()}
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.with_name("hostile.json").write_text(json.dumps(doc, indent=2), encoding="utf-8")
            return 0
        if args.resolution:
            from benchmarks import resolution

            print(f"resolution benchmark: N={args.n:,} and {2 * args.n:,}, {args.reports} reports per happening")
            out = resolution.measure(args.n, args.seed, max(2, args.reports), work)
            return _finish(args, "resolution", out, resolution.report(out))
        if args.packing:
            from benchmarks import packing

            print(f"packed store benchmark: N={args.n:,}", flush=True)
            out = packing.measure(args.n, args.seed, work)
            return _finish(args, "packing", out, packing.report(out))
        if args.engine:
            from benchmarks import engine

            print(f"query engine benchmark: N={args.n:,}", flush=True)
            out = engine.measure(args.n, args.seed, work, args.engine_scale)
            return _finish(args, "engine", out, engine.report(out))
        if args.delta:
            from benchmarks import delta

            print(f"incremental reload benchmark: N={args.n:,}", flush=True)
            out = delta.measure(args.n, args.seed, work)
            return _finish(args, "delta", out, delta.report(out))
        if args.dask:
            from benchmarks import dask_scaling

            print(f"Dask ingest benchmark: N={args.n:,}, {args.dask_per_task} articles per task", flush=True)
            out = dask_scaling.measure(args.n, args.seed, work, max(1, args.dask_per_task))
            return _finish(args, "dask", out, dask_scaling.report(out))
        return _run(args, work)
    finally:
        if own_dir:
            shutil.rmtree(work, ignore_errors=True)


def _run(args: argparse.Namespace, work: Path) -> int:
    from benchmarks.synthetic import generate

    doc: dict[str, Any] = {
        "machine": machine(),
        "code": code_fingerprint(),
        "code_from": "working tree" if args.no_snapshot else "snapshot taken at start",
        "params": {"n": args.n, "seed": args.seed, "rebuild_scale": args.rebuild_scale, "browser": not args.skip_browser},
        "load_start": [round(x, 2) for x in os.getloadavg()],
        "results": {},
        "notes": [],
    }
    res: dict[str, float] = doc["results"]
    notes: list[str] = doc["notes"]
    print(f"benchmark: N={args.n:,}, seed {args.seed}, work dir {work}", flush=True)

    t0 = time.perf_counter()
    corpus = work / "corpus"
    paths = generate(args.n, args.seed, corpus)
    res["generate_s"] = time.perf_counter() - t0
    res["n_articles"] = len(paths)
    res["corpus_words"] = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    print(f"  generated {len(paths):,} articles in {res['generate_s']:.1f} s", flush=True)

    sample = paths[: args.extract_sample] if 0 < args.extract_sample < len(paths) else paths
    if len(sample) < len(paths):
        notes.append(f"extraction timed on the first {len(sample):,} of {len(paths):,} articles")
    measure_extraction(sample, max(1, args.workers), res)
    db = work / "bench.sqlite"
    measure_ingest(corpus, db, len(paths), res, args.workers)
    query = measure_dashboard(db, res, notes, args.seed)
    if args.rebuild_scale:
        measure_rebuild(db, work, args.n, args.seed, max(1, args.workers), res)
    if args.skip_browser:
        notes.append("browser page loads skipped (--skip-browser)")
    elif not CHROMIUM.exists():
        notes.append(f"browser page loads skipped: {CHROMIUM} is missing")
    else:
        try:
            measure_browser(db, work, query, res, notes, args.browser_timeout)
        except Exception as exc:  # a broken browser must not cost the rest of the run
            notes.append(f"browser page loads failed: {type(exc).__name__}: {exc}")
    if args.n != 5000:
        notes.append("targets are stated for 5,000 articles; at another N read them as a guide only")
    notes.append("every timing is wall time on this machine; compare ratios within one run, not across machines")
    doc["load_end"] = [round(x, 2) for x in os.getloadavg()]
    if args.no_snapshot and code_fingerprint() != doc["code"]:
        notes.append(f"the code changed during the run (fingerprint {doc['code']} → {code_fingerprint()}): figures may mix two versions")
    text = report(doc)
    print()
    print(text)
    doc["targets"] = {
        k: {"op": op, "threshold": th, "target": t, "meets": _verdict(res[k], op, th)} for k, op, th, t in TARGETS if k in res
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(doc, indent=2, default=str), encoding="utf-8")
    print(f"\nresults written to {args.json}")
    return 0
