"""Archive-scale ingest on Dask: ``python -m core ingest --engine dask [--scheduler ADDRESS] FILES``.

Extraction is mapped over the files by a Dask cluster (one task per batch of files, one per zip);
each task returns a **Parquet partition** of the derived tables of its articles (pyarrow), written
into a partition folder as the tasks finish; then the store **adopts** every partition in one
transaction through its own writer (:func:`core.io.ingest.adopt_extracted`): the same duplicate rules,
the same event resolution, the same result line per file (added, duplicate, rejected with its code)
as ``python -m core ingest``, in file order, so the store ends up exactly as a one-process ingest of
the same files leaves it.

Why Dask and not Ray: Dask is pure-pip wheels (no daemon binaries, no shared-memory object store to
size), its ``LocalCluster`` of processes runs the same code on one machine that ``dask scheduler`` /
``dask worker`` run on many, a task is a plain function of picklable arguments (the worker imports
``core`` like any process), and it is pandas/pyarrow-native should the derived tables later be
queried as Dask frames straight from the partitions. Ray's strengths (actors, GPU scheduling,
its object store for large shared arrays) are not what an embarrassingly parallel map over files
needs, and it weighs ~10x more to install.

Workers read the input files themselves: on a cluster every worker must see them at the same
absolute path (a shared file system). The partitions come back to this process, so the output
folder needs no sharing.

Values keep their Python type through Parquet (an int stays an int, so the store holds exactly
what a one-process ingest writes): a column whose values share one type is stored natively; a
column mixing types (or holding what Arrow cannot encode, such as a lone surrogate) is stored as
JSON text, named in the file's metadata, and decoded on reading.
"""

from __future__ import annotations

import io
import json
import logging
import math
import shutil
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from core.errors import ArticleError, write_log
from core.io.ingest import Extracted, Progress, adopt_extracted, extract_guarded, iter_files, open_zip
from core.storage.store import IngestResult, Store
from core.text.reading import read_bytes, read_path

#: Articles per task when the caller does not choose: enough tasks to keep every worker busy
#: (about four per worker) and few enough that the scheduler's per-task cost stays negligible.
MAX_PER_TASK = 64
_RESULTS = "_results"  # the partition's table of result lines (one per article or refused file)
_TEXTS = "_texts"  # the stored text records (the store's ``texts`` rows)
_JSON_KEY = b"ruskor.json_columns"
#: How long to try reaching a ``--scheduler`` before giving up.
CONNECT_TIMEOUT = "20s"


class ClusterError(Exception):
    """The Dask run could not be used at all (its scheduler unreachable, a kept partition damaged):
    the command is refused and nothing is stored."""


# --------------------------------------------------------------------------- Parquet, types kept


def _plain(v: object) -> object:
    """The value the store writes for ``v`` (as :class:`core.storage.store.Store` does: dates as ISO text,
    anything that is not a number or text as its text)."""
    if v is None or isinstance(v, (int, float, str)):
        return v
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def _json_default(v: object) -> object:
    return str(v)


def to_parquet(rows: list[dict]) -> bytes:
    """Rows (dicts) as one Parquet file; every value comes back with its Python type (see module doc)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    names: dict[str, None] = {}
    for r in rows:
        names.update(dict.fromkeys(r))
    arrays, as_json = [], []
    for name in names:
        values = [_plain(r.get(name)) for r in rows]
        kinds = {type(v) for v in values if v is not None}
        array = None
        if len(kinds) <= 1:
            try:
                array = pa.array(values, type=pa.null() if not kinds else None, from_pandas=False)
            except (pa.ArrowException, ValueError, TypeError, OverflowError, UnicodeError):
                array = None
        if array is None:  # mixed types, or not encodable as Arrow: exact JSON text
            as_json.append(name)
            array = pa.array([None if v is None else json.dumps(v, default=_json_default) for v in values], type=pa.string())
        arrays.append(array)
    table = pa.Table.from_arrays(arrays, names=list(names)) if names else pa.table({})
    table = table.replace_schema_metadata({_JSON_KEY: json.dumps(as_json).encode()})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def from_parquet(source: bytes | Path) -> list[dict]:
    """The rows :func:`to_parquet` wrote, values with their Python types."""
    import pyarrow.parquet as pq

    # one file, read on this thread: Arrow's thread pool costs more than it saves on partitions this small
    table = pq.ParquetFile(io.BytesIO(source) if isinstance(source, bytes) else source).read(use_threads=False)
    as_json = set(json.loads((table.schema.metadata or {}).get(_JSON_KEY, b"[]")))
    rows = table.to_pylist()
    if as_json:
        for r in rows:
            for name in as_json:
                if r[name] is not None:
                    r[name] = json.loads(r[name])
    return rows


# --------------------------------------------------------------------------- the task (runs on a worker)


@dataclass
class Task:
    """One unit of work: consecutive plain files, or one zip (its members in order)."""

    index: int
    paths: list[str]
    zip: bool = False


def plan(files: list[Path], per_task: int) -> list[Task]:
    """Tasks in file order: runs of up to ``per_task`` plain files; each zip a task of its own."""
    tasks: list[Task] = []
    run: list[str] = []
    for f in files:
        if f.suffix.lower() == ".zip":
            if run:
                tasks.append(Task(len(tasks), run))
                run = []
            tasks.append(Task(len(tasks), [str(f.absolute())], zip=True))
        else:
            run.append(str(f.absolute()))
            if len(run) >= per_task:
                tasks.append(Task(len(tasks), run))
                run = []
    if run:
        tasks.append(Task(len(tasks), run))
    return tasks


def _entries(task: Task) -> Iterator[tuple[str, Extracted | ArticleError]]:
    """(result label, extraction) per article of a task, labelled as ``python -m core ingest`` labels them."""
    if not task.zip:
        for p in task.paths:
            path = Path(p)
            yield path.name, extract_guarded(lambda path=path: read_path(path), str(path))
        return
    path = Path(task.paths[0])
    try:
        with open_zip(path) as members:
            for m in members:
                label = f"{path.name}:{m.name}"
                yield label, extract_guarded(lambda m=m: read_bytes(m.read(), m.name), label)
    except ArticleError as exc:  # the whole archive refused (E008)
        yield path.name, exc
    except OSError as exc:
        yield path.name, ArticleError("E006", detail=exc.strerror or str(exc))


def extract_partition(task: Task) -> dict[str, Any]:
    """Read and extract every article of ``task``; its Parquet partition: one file per table (each row
    carrying ``_item``, its article's place in the task), the text records and the result lines.

    Never raises for one article (its failure is its rejection, as in every ingest); also returns the
    task's wall and CPU seconds, which the benchmark reads.
    """
    t0, c0 = time.perf_counter(), time.process_time()
    tables: dict[str, list[dict]] = {}
    texts: list[dict] = []
    results: list[dict] = []
    for item, (label, ex) in enumerate(_entries(task)):
        if isinstance(ex, ArticleError):
            results.append({"_item": item, "label": label, "code": ex.code, "message": ex.message})
            continue
        results.append({"_item": item, "label": label, "code": None, "message": ex.note, "counts": json.dumps(ex.counts)})
        texts.append({"_item": item, **ex.record})
        for table, rows in ex.rows.items():
            tables.setdefault(table, []).extend({"_item": item, **r} for r in rows)
    files = {name: to_parquet(rows) for name, rows in tables.items()}
    files[_TEXTS] = to_parquet(texts)
    files[_RESULTS] = to_parquet(results)
    return {"files": files, "wall_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0}


# --------------------------------------------------------------------------- partitions on disk, adoption


def write_partition(folder: Path, index: int, files: dict[str, bytes]) -> Path:
    """``folder/part-00012/<table>.parquet``, written whole before its name appears (a crash leaves
    no half partition under the final name)."""
    final = folder / f"part-{index:05d}"
    tmp = folder / f".part-{index:05d}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, data in files.items():
        (tmp / f"{name}.parquet").write_bytes(data)
    shutil.rmtree(final, ignore_errors=True)
    tmp.rename(final)
    return final


def read_partition(part: Path) -> Iterator[tuple[str, Extracted | IngestResult]]:
    """The articles of one partition, in order, as :func:`core.io.ingest.adopt_extracted` takes them;
    :class:`ClusterError` when a file of it is missing or damaged (the adoption then stores nothing)."""
    import pyarrow as pa

    try:
        yield from _read_partition(part)
    except (OSError, pa.ArrowException, KeyError, TypeError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise ClusterError(f"the partition {part} is missing a file or damaged ({type(exc).__name__}: {exc}); nothing was stored") from None


def _read_partition(part: Path) -> Iterator[tuple[str, Extracted | IngestResult]]:
    tables: dict[str, dict[int, list[dict]]] = {}
    for f in sorted(part.glob("*.parquet")):
        if f.stem in (_RESULTS, _TEXTS):
            continue
        by_item: dict[int, list[dict]] = {}
        for r in from_parquet(f):
            by_item.setdefault(r.pop("_item"), []).append(r)
        tables[f.stem] = by_item
    texts = {r.pop("_item"): r for r in from_parquet(part / f"{_TEXTS}.parquet")}
    for res in from_parquet(part / f"{_RESULTS}.parquet"):
        item, label = res["_item"], res["label"]
        if res["code"]:
            yield label, IngestResult(label, "rejected", message=res["message"], code=res["code"])
            continue
        rows = {table: by_item.get(item, []) for table, by_item in tables.items()}
        yield label, Extracted(rows, texts[item], json.loads(res["counts"]), res["message"] or "")


def partitions(folder: Path) -> list[Path]:
    """The finished partitions of a folder, in task order."""
    return sorted(p for p in folder.glob("part-*") if p.is_dir())


def adopt_partitions(store: Store, folder: Path, progress: Progress | None = None) -> list[IngestResult]:
    """Every partition of ``folder`` into the store, in one transaction, one partition read at a time
    (``progress`` is told after each partition: an archive's adoption takes minutes)."""
    parts = partitions(folder)

    def entries() -> Iterator[tuple[str, Extracted | IngestResult]]:
        for i, part in enumerate(parts):
            yield from read_partition(part)
            if progress:
                progress(i + 1, len(parts), f"stored partition {i + 1:,} of {len(parts):,}")

    return adopt_extracted(store, entries())


# --------------------------------------------------------------------------- the cluster


@contextmanager
def client_for(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A Dask client: of the scheduler at ``scheduler``, or of a LocalCluster of ``workers`` processes
    (one thread each: extraction is pure Python) that ends with the block. No dashboard is served
    (it would need a free port and bokeh) and Dask's own logs stay quiet unless something fails."""
    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)  # its INFO lines would bury the result lines
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:  # refused, unreachable, not an address
            raise ClusterError(f"could not reach the Dask scheduler at {scheduler} ({exc}); nothing was stored") from None
        with client:
            yield client
        return
    with warnings.catch_warnings():
        # the scheduler's health endpoint listens on 127.0.0.1 only; when its usual port is taken (another
        # cluster on this machine) it takes another and warns, which says nothing to someone ingesting files
        warnings.filterwarnings("ignore", message="Port .* is already in use", category=UserWarning)
        cluster = LocalCluster(
            n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
        )
    with cluster, Client(cluster) as client:
        yield client


def per_task_for(n_files: int, workers: int) -> int:
    """About four tasks per worker, at most :data:`MAX_PER_TASK` articles each."""
    return max(1, min(MAX_PER_TASK, math.ceil(n_files / max(1, workers * 4))))


@dataclass
class Timings:
    """Where a Dask ingest spent its time (the benchmark prints these)."""

    tasks: int = 0
    extract_s: float = 0.0  # map over the cluster until every partition is written
    adopt_s: float = 0.0  # the one adoption transaction
    adopt_cpu_s: float = 0.0  # … its CPU seconds in this process
    task_wall_s: list[float] = field(default_factory=list)
    task_cpu_s: list[float] = field(default_factory=list)
    fallbacks: int = 0  # tasks that failed on the cluster and were run here instead


def extract_to_partitions(
    client: Any, tasks: list[Task], folder: Path, progress: Callable[[int], None] | None = None, timings: Timings | None = None
) -> None:
    """Map :func:`extract_partition` over ``tasks`` on the cluster and write each partition as it
    finishes. A task whose worker died (or that failed for a reason of the cluster's) is run in this
    process instead, its failure logged: no file is lost to the cluster."""
    from distributed import as_completed

    timings = timings if timings is not None else Timings()
    run = uuid.uuid4().hex  # keys unique on a scheduler shared with other ingests
    futures = client.map(extract_partition, tasks, pure=False, key=[f"ruskor-extract-{run}-{t.index}" for t in tasks])
    task_of = {f.key: t for f, t in zip(futures, tasks, strict=True)}
    for fut in as_completed(futures):
        task = task_of[fut.key]
        try:
            out = fut.result()
        except Exception as exc:  # a worker killed, a lost connection: this task runs here
            write_log(f"Dask task {task.index} failed on the cluster; running it in the main process", exc)
            timings.fallbacks += 1
            out = extract_partition(task)
        fut.release()
        write_partition(folder, task.index, out["files"])
        timings.task_wall_s.append(out["wall_s"])
        timings.task_cpu_s.append(out["cpu_s"])
        if progress:
            progress(len(task.paths))


def ingest_dask(
    store: Store,
    paths: Iterable[str | Path],
    workers: int = 1,
    scheduler: str | None = None,
    parquet_dir: str | Path | None = None,
    per_task: int | None = None,
    progress: Progress | None = None,
    timings: Timings | None = None,
    client: Any = None,
) -> list[IngestResult]:
    """Every article file under ``paths``: extracted on Dask, partitions written as Parquet under
    ``parquet_dir`` (kept; default a temporary folder, removed), adopted by the store in one
    transaction. One result per file (per zip member), in file order, as :func:`core.io.ingest.ingest_paths`
    gives them. ``client`` reuses a running Dask client (the benchmark and the tests)."""
    files = list(iter_files(paths))
    timings = timings if timings is not None else Timings()
    if not files:
        return []
    tasks = plan(files, per_task or per_task_for(len(files), workers))
    timings.tasks = len(tasks)
    keep = parquet_dir is not None
    folder = Path(parquet_dir) if keep else Path(tempfile.mkdtemp(prefix="ruskor-dask-"))
    earlier = partitions(folder) if folder.is_dir() else []
    if earlier:  # an earlier run's partitions may be the only copy of its work: never deleted, never mixed in
        raise ArticleError("E021", path=folder, n=len(earlier))
    folder.mkdir(parents=True, exist_ok=True)
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(min(done, len(files)), len(files), f"extracted {done:,} files on Dask")

    try:
        t0 = time.perf_counter()
        if client is not None:
            extract_to_partitions(client, tasks, folder, step, timings)
        else:
            with client_for(scheduler, workers) as own:
                extract_to_partitions(own, tasks, folder, step, timings)
        timings.extract_s = time.perf_counter() - t0
        t0, c0 = time.perf_counter(), time.process_time()
        results = adopt_partitions(store, folder, progress)
        timings.adopt_s, timings.adopt_cpu_s = time.perf_counter() - t0, time.process_time() - c0
        return results
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
