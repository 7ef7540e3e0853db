"""Benchmark of the Dask ingest engine (issue 14): throughput with 1 and 2 workers, the scheduler's
overhead per task, and a simulated line for 4 … 32 workers.

``python -m benchmarks --dask [--n 400] [--dask-per-task 8]`` writes N synthetic articles and measures:

* a one-process ingest (``core.io.ingest.ingest_paths``, no Dask) of the same files, the reference;
* ``core.io.dask_ingest.ingest_dask`` on a LocalCluster of 1 and of 2 worker processes (two alternating
  rounds, best of each: the machine is shared), split into the extraction phase (tasks mapped over
  the cluster until every Parquet partition is written) and the adoption (the store's one
  transaction); the cluster's start-up is timed apart and left out of the throughput;
* the per-task cost: the wall seconds each task reports from its worker (read, extract, write its
  partition to Parquet bytes), and their CPU seconds;
* the scheduler's overhead per task: 1,000 empty tasks through the 1-worker cluster, wall time / 1,000
  (submission, scheduling, the worker's run of nothing, the result coming back);
* a simulated line for W = 4, 8, 16, 32 workers: extraction = per-task cost × tasks / W + overhead ×
  tasks (the scheduler handles tasks one at a time), plus the adoption as measured (one writer: it
  does not shrink with workers, and bounds the end-to-end rate). The model is computed twice: from
  the wall seconds measured here, and from CPU seconds (task CPU on the worker, scheduler CPU per
  empty task, adoption CPU: what a machine with a core per worker would see; on a shared machine
  wall time includes waiting for a core). It is printed for W = 1 and 2 too, next to the measured
  figures, so the model can be checked against the machine.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

EMPTY_TASKS = 1000
SIMULATED = (4, 8, 16, 32)


def _noop(i: int) -> int:
    return i


def _fresh(db: Path) -> Any:
    from core.storage.store import Store

    for f in db.parent.glob(db.name + "*"):
        f.unlink()
    return Store(db)


def _cluster(workers: int) -> tuple[Any, Any, float]:
    import logging
    import warnings

    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    with warnings.catch_warnings():  # "Port 8787 is already in use": another cluster on this machine
        warnings.filterwarnings("ignore", message="Port .* is already in use", category=UserWarning)
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR)
    client = Client(cluster)
    client.wait_for_workers(workers)
    client.submit(_noop, 0, pure=False).result()  # every worker imports on first use; warm one
    return cluster, client, time.perf_counter() - t0


def _overhead(client: Any) -> tuple[float, float]:
    """(wall, CPU) seconds per empty task in a batch: what the scheduler and the worker add to every
    task. The CPU is this process's, where a LocalCluster's scheduler runs (with the client)."""
    client.gather(client.map(_noop, range(50), pure=False))  # warm
    t0, c0 = time.perf_counter(), time.process_time()
    client.gather(client.map(_noop, range(EMPTY_TASKS), pure=False))
    return (time.perf_counter() - t0) / EMPTY_TASKS, (time.process_time() - c0) / EMPTY_TASKS


def _warm(client: Any, path: Path) -> None:
    """Every worker extracts one article before the timing (lexicons compiled once per process)."""
    from core.io.dask_ingest import Task, extract_partition

    n = len(client.scheduler_info()["workers"])
    client.gather(client.map(extract_partition, [Task(i, [str(path)]) for i in range(n * 2)], pure=False))


def measure(n: int, seed: int, work: Path, per_task: int = 8) -> dict[str, Any]:
    from benchmarks.synthetic import generate
    from core.io.dask_ingest import Timings, ingest_dask
    from core.io.ingest import ingest_paths

    corpus = work / "dask-corpus"
    paths = generate(n, seed, corpus)
    out: dict[str, Any] = {"n": n, "per_task": per_task}

    ingest_paths(_fresh(work / "warm.sqlite"), paths[:3])  # this process's lexicons, before any timing
    t0, c0 = time.perf_counter(), time.process_time()
    results = ingest_paths(_fresh(work / "one.sqlite"), [corpus], workers=1)
    out["one_process_s"] = time.perf_counter() - t0
    out["one_process_cpu_s"] = time.process_time() - c0
    out["one_process_added"] = sum(r.status == "added" for r in results)
    print(f"  one process, no Dask: {n / out['one_process_s']:,.1f} articles/s", flush=True)

    clusters = {}
    for w in (1, 2):
        cluster, client, start_s = _cluster(w)
        clusters[w] = (cluster, client)
        out[f"w{w}_start_s"] = start_s
        _warm(client, paths[0])
    out["overhead_s_per_task"], out["overhead_cpu_s_per_task"] = _overhead(clusters[1][1])
    out["overhead_2w_s_per_task"], out["overhead_2w_cpu_s_per_task"] = _overhead(clusters[2][1])
    print(f"  scheduler overhead: {out['overhead_s_per_task'] * 1000:.2f} ms per empty task (1 worker)", flush=True)

    best: dict[int, Timings] = {}
    try:
        for _round in range(2):
            for w in (1, 2):
                t = Timings()
                got = ingest_dask(
                    _fresh(work / f"dask{w}.sqlite"), [corpus], workers=w, per_task=per_task, client=clusters[w][1], timings=t
                )
                added = sum(r.status == "added" for r in got)
                if added != out["one_process_added"]:
                    print(f"  warning: Dask with {w} workers added {added} articles, one process {out['one_process_added']}")
                if w not in best or t.extract_s + t.adopt_s < best[w].extract_s + best[w].adopt_s:
                    best[w] = t
                print(f"  Dask, {w} worker(s), round {_round + 1}: extraction {t.extract_s:.2f} s, adoption {t.adopt_s:.2f} s", flush=True)
    finally:
        for cluster, client in clusters.values():
            client.close()
            cluster.close()
    for w, t in best.items():
        out[f"w{w}_tasks"] = t.tasks
        out[f"w{w}_extract_s"] = t.extract_s
        out[f"w{w}_adopt_s"] = t.adopt_s
        out[f"w{w}_adopt_cpu_s"] = t.adopt_cpu_s
        out[f"w{w}_extract_articles_per_s"] = n / t.extract_s
        out[f"w{w}_articles_per_s"] = n / (t.extract_s + t.adopt_s)
        out[f"w{w}_task_wall_mean_s"] = statistics.fmean(t.task_wall_s)
        out[f"w{w}_task_cpu_mean_s"] = statistics.fmean(t.task_cpu_s)
        out[f"w{w}_fallbacks"] = t.fallbacks
    out["speedup_2_over_1_extract"] = out["w2_extract_articles_per_s"] / out["w1_extract_articles_per_s"]
    tasks = out["w1_tasks"]
    # the model, twice: from wall seconds as measured here, and from CPU seconds (a core of its own per
    # worker and for the scheduler: what a cluster gives; on a shared machine wall time includes waiting)
    for basis, cost, over, adopt in (
        ("wall", out["w1_task_wall_mean_s"], out["overhead_s_per_task"], out["w1_adopt_s"]),
        ("cpu", out["w1_task_cpu_mean_s"], out["overhead_cpu_s_per_task"], out["w1_adopt_cpu_s"]),
    ):
        for w in (1, 2, *SIMULATED):
            extract = cost * tasks / w + over * tasks
            out[f"sim_{basis}{w}_extract_articles_per_s"] = n / extract
            out[f"sim_{basis}{w}_articles_per_s"] = n / (extract + adopt)
    return out


def report(out: dict[str, Any]) -> str:
    n = out["n"]
    lines = [
        f"N={n:,} articles, {out['w1_tasks']} tasks of ≤{out['per_task']} articles; "
        f"one process without Dask: {n / out['one_process_s']:,.1f} articles/s "
        f"({out['one_process_cpu_s'] / n * 1000:.1f} ms CPU per article)",
        f"cluster start-up (not in the rates): 1 worker {out['w1_start_s']:.1f} s, 2 workers {out['w2_start_s']:.1f} s",
        f"scheduler overhead per task (1,000 empty tasks): {out['overhead_s_per_task'] * 1000:.2f} ms with 1 worker, "
        f"{out['overhead_2w_s_per_task'] * 1000:.2f} ms with 2",
        f"scheduler CPU per empty task (this process): {out['overhead_cpu_s_per_task'] * 1000:.2f} ms",
        f"per-task cost (on the worker, 1-worker run): {out['w1_task_wall_mean_s'] * 1000:.0f} ms wall, "
        f"{out['w1_task_cpu_mean_s'] * 1000:.0f} ms CPU; "
        f"{out['w1_task_wall_mean_s'] / out['per_task'] * 1000:.1f} ms wall per article; "
        f"adoption {out['w1_adopt_s'] / n * 1000:.1f} ms wall, {out['w1_adopt_cpu_s'] / n * 1000:.1f} ms CPU per article",
        "",
        f"{'workers':>8}  {'extraction art/s':>17}  {'adoption s':>10}  {'end to end art/s':>17}  source",
    ]
    for w in (1, 2):
        lines.append(
            f"{w:>8}  {out[f'w{w}_extract_articles_per_s']:>17,.1f}  {out[f'w{w}_adopt_s']:>10.2f}  "
            f"{out[f'w{w}_articles_per_s']:>17,.1f}  measured (best of 2 rounds)"
        )
    for basis, what in (("wall", "wall s"), ("cpu", "CPU s")):
        adopt = out["w1_adopt_s"] if basis == "wall" else out["w1_adopt_cpu_s"]
        for w in (1, 2, *SIMULATED):
            lines.append(
                f"{w:>8}  {out[f'sim_{basis}{w}_extract_articles_per_s']:>17,.1f}  {adopt:>10.2f}  "
                f"{out[f'sim_{basis}{w}_articles_per_s']:>17,.1f}  simulated from {what}: "
                "cost × tasks / W + overhead × tasks"
            )
    lines.append(
        f"2 workers / 1 worker, extraction: {out['speedup_2_over_1_extract']:.2f}× "
        "(2 cores shared with everything else running on the machine)"
    )
    lines.append("the adoption is one writer (one SQLite transaction): past a few workers it bounds the end-to-end rate")
    return "\n".join(lines)
