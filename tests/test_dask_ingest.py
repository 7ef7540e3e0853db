"""The Dask ingest engine (core/io/dask_ingest.py) against the one-process ingest.

The main test runs a LocalCluster of two worker processes over 200 synthetic articles (plus an
empty file, a duplicate and a zip with a bad member) and checks that the store it leaves holds
exactly what ``ingest_paths`` in one process leaves: every table, every row, every value with its
type, ids included (only the write timestamp and the store's write counter differ), and the same
result line per file. The Parquet round trip, the task plan and the one-transaction adoption are
checked on their own, without a cluster.
"""

from __future__ import annotations

import math
import shutil
import sqlite3
from pathlib import Path

import pytest

from benchmarks.synthetic import generate
from core import cli
from core.errors import ArticleError
from core.io.dask_ingest import Task, adopt_partitions, from_parquet, ingest_dask, partitions, plan, to_parquet
from core.io.ingest import Extracted, adopt_extracted, ingest_paths
from core.storage.store import IngestResult, Store
from tests.helpers import stored, zip_bytes

N_ARTICLES = 200
GOOD = b"Title: Talks\nDate: 2003-04-05\n\nRussia and South Korea signed a fisheries accord in Seoul on Friday.\n"


def dump(path: Path) -> dict[str, list[str]]:
    """Every table of a store as sorted row reprs (type included: 5 and 5.0 differ), whatever its
    schema; the write timestamp, the store's write counter and its change log (the writes' history:
    an adoption is one write) left out (they differ by design)."""
    con = sqlite3.connect(path)
    try:
        out = {}
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for table in names:
            if table in ("meta", "changes"):
                continue
            cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] != "added_at"]
            query = "SELECT " + ", ".join(f'"{c}"' for c in cols) + f" FROM {table}"
            out[table] = sorted(repr(row) for row in con.execute(query))
        return out
    finally:
        con.close()


def lines(results: list[IngestResult]) -> list[str]:
    return [cli.result_line(r) for r in results]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dask-corpus")
    paths = generate(N_ARTICLES, seed=7, out_dir=folder)
    shutil.copy(paths[3], folder / "zz-copy-of-article-3.txt")  # a duplicate, added after its original
    (folder / "empty.txt").write_bytes(b"")  # rejected, E001
    (folder / "mm-batch.zip").write_bytes(zip_bytes({"a.txt": GOOD, "b.txt": b"", "c.md": GOOD + b"More.\n"}))
    return folder


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


def test_two_workers_leave_the_store_a_one_process_ingest_leaves(corpus, tmp_path):
    one = Store(tmp_path / "one.sqlite")
    expected = ingest_paths(one, [corpus], workers=1)
    dasked = Store(tmp_path / "dask.sqlite")
    kept = tmp_path / "parts"
    got = ingest_dask(dasked, [corpus], workers=2, parquet_dir=kept, per_task=16)  # its own LocalCluster of 2

    assert lines(got) == lines(expected)
    statuses = [r.status for r in got]
    assert statuses.count("added") == N_ARTICLES + 2 and statuses.count("duplicate") == 1
    assert {r.code for r in got if r.status == "rejected"} == {"E001"}
    a, b = dump(one.path), dump(dasked.path)
    assert sorted(a) == sorted(b)
    for table in a:
        assert a[table] == b[table], table
    assert len(stored(one.path, "events")) > N_ARTICLES and len(a["texts"]) == N_ARTICLES + 2  # (events_packed compared above)
    # the partitions were kept where asked, one per task: [empty.txt], the zip, then 201 files by 16
    assert len(partitions(kept)) == 1 + 1 + math.ceil((N_ARTICLES + 1) / 16)


def test_cli_engine_dask_on_a_running_scheduler(corpus, client, tmp_path, capsys):
    files = sorted(corpus.glob("synthetic-*.txt"))[:5]
    db = tmp_path / "cli.sqlite"
    code = cli.main(["--db", str(db), "ingest", "--engine", "dask", "--scheduler", client.scheduler_info()["address"], *map(str, files)])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert out.out.count("added") == 5 and "5 added, 0 already present, 0 rejected" in out.err
    assert code == cli.main(
        ["--db", str(db), "ingest", "--engine", "dask", "--scheduler", client.scheduler_info()["address"], str(files[0])]
    )
    assert "already in the store" in capsys.readouterr().out


def test_cli_an_unreachable_scheduler_is_refused_and_nothing_stored(corpus, tmp_path, capsys, monkeypatch):
    import socket

    from core.io import dask_ingest

    monkeypatch.setattr(dask_ingest, "CONNECT_TIMEOUT", "2s")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = tmp_path / "x.sqlite"
    file = sorted(corpus.glob("synthetic-*.txt"))[0]
    code = cli.main(["--db", str(db), "ingest", "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}", str(file)])
    assert code == 2 and "could not reach the Dask scheduler" in capsys.readouterr().err
    assert Store(db).article_count() == 0


def test_cli_refuses_dask_options_without_the_dask_engine(tmp_path, capsys):
    code = cli.main(["--db", str(tmp_path / "x.sqlite"), "ingest", "--scheduler", "tcp://127.0.0.1:1", str(tmp_path)])
    assert code == 2 and "--engine dask" in capsys.readouterr().err


@pytest.mark.parametrize(
    "values",
    [
        [1, None, 3],  # ints with a gap stay ints (pandas would make them 1.0)
        [1, 2.5, None],  # an int and a float in one column: each keeps its type
        ["a", 5, None],
        [True, False, None],
        [True, 1],  # a bool and an int
        [2**70, 1],  # beyond int64
        ["lone \ud800 surrogate", "ok"],  # Arrow cannot encode it as UTF-8
        [float("inf"), -0.0],
        [None, None],
        ["", "Ünïcødé — “quotes”"],
    ],
)
def test_parquet_round_trip_keeps_values_and_types(values):
    rows = [{"_item": i, "v": v} for i, v in enumerate(values)]
    back = from_parquet(to_parquet(rows))
    assert [(type(r["v"]), r["v"]) for r in back] == [(type(v), v) for v in values]


def test_parquet_round_trip_keeps_nan_dates_as_text_and_missing_keys_as_none():
    from datetime import date

    back = from_parquet(to_parquet([{"a": float("nan"), "d": date(2001, 8, 4)}, {"b": "only here"}]))
    assert math.isnan(back[0]["a"]) and back[0]["d"] == "2001-08-04" and back[0]["b"] is None
    assert back[1] == {"a": None, "d": None, "b": "only here"}
    assert from_parquet(to_parquet([])) == []


@pytest.mark.parametrize(
    ("names", "per_task", "expected"),
    [
        (["a.txt", "b.txt", "c.txt"], 2, [(["a.txt", "b.txt"], False), (["c.txt"], False)]),
        (["a.txt", "z.zip", "b.txt"], 8, [(["a.txt"], False), (["z.zip"], True), (["b.txt"], False)]),
        (["z.zip", "y.zip"], 8, [(["z.zip"], True), (["y.zip"], True)]),
        ([], 4, []),
    ],
)
def test_plan_keeps_file_order_and_gives_each_zip_its_own_task(names, per_task, expected):
    tasks = plan([Path(n) for n in names], per_task)
    assert [([Path(p).name for p in t.paths], t.zip) for t in tasks] == expected
    assert [t.index for t in tasks] == list(range(len(tasks)))
    assert all(isinstance(t, Task) and all(Path(p).is_absolute() for p in t.paths) for t in tasks)


def _extracted(i: int) -> Extracted:
    from core.io.ingest import extract_raw
    from core.text.reading import read_bytes

    return extract_raw(read_bytes(GOOD.replace(b"Friday", f"Friday {i}".encode()), f"f{i}.txt"))


def test_adoption_is_one_transaction_a_failed_write_stores_nothing(tmp_path, monkeypatch):
    store = Store(tmp_path / "s.sqlite")
    before = dump(store.path)
    calls = {"n": 0}
    real = Store._insert

    def insert_then_fail(self, con, rows, raw):
        calls["n"] += 1
        if calls["n"] == 3:
            raise ArticleError("E015", detail="simulated")
        return real(self, con, rows, raw)

    monkeypatch.setattr(Store, "_insert", insert_then_fail)
    refused = IngestResult("bad.txt", "rejected", message="The file is empty.", code="E001")
    entries = [
        ("f0.txt", _extracted(0)),
        ("bad.txt", refused),
        ("f1.txt", _extracted(1)),
        ("f2.txt", _extracted(2)),
        ("f3.txt", _extracted(3)),
    ]
    got = adopt_extracted(store, iter(entries))
    assert [(r.source_file, r.status, r.code) for r in got] == [
        ("f0.txt", "rejected", "E015"),
        ("bad.txt", "rejected", "E001"),
        ("f1.txt", "rejected", "E015"),
        ("f2.txt", "rejected", "E015"),
        ("f3.txt", "rejected", "E015"),
    ]
    assert store.article_count() == 0 and dump(store.path) == before


def test_adoption_applies_the_duplicate_rules_within_the_batch(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    first = _extracted(0)
    got = adopt_extracted(store, [("a.txt", first), ("b.txt", _extracted(1)), ("a-again.txt", _extracted(0))])
    assert [(r.source_file, r.status) for r in got] == [("a.txt", "added"), ("b.txt", "added"), ("a-again.txt", "duplicate")]
    assert got[2].article_id == first.record["article_id"] and store.article_count() == 2
    again = adopt_extracted(store, [("b-later.txt", _extracted(1))])
    assert again[0].status == "duplicate" and store.article_count() == 2


def test_an_empty_partition_folder_adopts_nothing(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    (tmp_path / "parts").mkdir()
    assert adopt_partitions(store, tmp_path / "parts") == [] and store.article_count() == 0


class _Future:
    def __init__(self, key: str, value: object) -> None:
        self.key, self.value = key, value

    def result(self) -> object:
        if isinstance(self.value, BaseException):
            raise self.value
        return self.value

    def release(self) -> None:
        pass


class _Client:
    """Runs a task here, except that the tasks named in ``lost`` fail as a killed worker's would."""

    def __init__(self, lost: set[int]) -> None:
        self.lost = lost

    def map(self, fn, tasks, pure, key):
        from distributed.scheduler import KilledWorker

        return [_Future(k, KilledWorker(k, "tcp://gone:1", []) if t.index in self.lost else fn(t)) for k, t in zip(key, tasks, strict=True)]


@pytest.mark.parametrize("lost", [set(), {0}, {1, 2}])
def test_a_task_lost_on_the_cluster_runs_here_and_no_file_is_lost(corpus, tmp_path, monkeypatch, lost):
    import distributed

    from core.io.dask_ingest import Timings

    monkeypatch.setattr(distributed, "as_completed", lambda futures: iter(reversed(futures)))
    monkeypatch.setenv("RUSKOR_LOG", str(tmp_path / "errors.log"))
    files = sorted(corpus.glob("synthetic-*.txt"))[:7]
    timings = Timings()
    got = ingest_dask(Store(tmp_path / "s.sqlite"), files, per_task=3, client=_Client(lost), timings=timings)
    expected = ingest_paths(Store(tmp_path / "one.sqlite"), files)
    assert lines(got) == lines(expected)
    assert timings.tasks == 3 and timings.fallbacks == len(lost)
    assert (tmp_path / "errors.log").exists() == bool(lost)


def test_kept_partitions_are_adopted_later_by_the_adopt_command(corpus, client, tmp_path, capsys):
    files = [*sorted(corpus.glob("synthetic-*.txt"))[:4], corpus / "empty.txt"]
    kept = tmp_path / "parts"
    first = ingest_dask(Store(tmp_path / "a.sqlite"), files, parquet_dir=kept, per_task=2, client=client)
    db = tmp_path / "b.sqlite"
    assert cli.main(["--db", str(db), "adopt", str(kept)]) == 1  # empty.txt is rejected again
    out = capsys.readouterr()
    assert out.out.splitlines() == lines(first) and "4 added, 0 already present, 1 rejected" in out.err
    assert dump(db) == dump(tmp_path / "a.sqlite")
    assert cli.main(["--db", str(db), "adopt", str(kept)]) == 1
    assert capsys.readouterr().out.count("already in the store") == 4
    assert cli.main(["--db", str(db), "adopt", str(tmp_path / "nothing-here")]) == 2
    assert "no Parquet partitions" in capsys.readouterr().err


@pytest.mark.parametrize("damage", ["truncate", "remove-results"])
def test_a_damaged_partition_is_refused_and_nothing_is_stored(corpus, client, tmp_path, capsys, damage):
    files = sorted(corpus.glob("synthetic-*.txt"))[:4]
    kept = tmp_path / "parts"
    ingest_dask(Store(tmp_path / "a.sqlite"), files, parquet_dir=kept, per_task=2, client=client)
    second = partitions(kept)[1]
    if damage == "truncate":
        events = second / "events.parquet"
        events.write_bytes(events.read_bytes()[:100])
    else:
        (second / "_results.parquet").unlink()
    db = tmp_path / "b.sqlite"
    assert cli.main(["--db", str(db), "adopt", str(kept)]) == 2
    assert "damaged" in capsys.readouterr().err
    assert Store(db).article_count() == 0  # the first partition's articles were rolled back with the rest


def test_a_folder_holding_earlier_partitions_is_refused_and_kept(corpus, client, tmp_path, capsys):
    """``--parquet DIR`` with an earlier run's partitions: they may be the only copy of that work, so the
    run stops with E021 before writing anything, and the partitions stay as they were."""
    files = sorted(corpus.glob("synthetic-*.txt"))[:4]
    kept = tmp_path / "parts"
    ingest_dask(Store(tmp_path / "a.sqlite"), files, parquet_dir=kept, per_task=2, client=client)
    before = {p.relative_to(kept): p.read_bytes() for p in kept.rglob("*") if p.is_file()}
    assert before
    store = Store(tmp_path / "b.sqlite")
    with pytest.raises(ArticleError) as err:
        ingest_dask(store, files, parquet_dir=kept, per_task=2, client=client)
    assert err.value.code == "E021" and "python -m core adopt" in str(err.value)
    assert {p.relative_to(kept): p.read_bytes() for p in kept.rglob("*") if p.is_file()} == before
    assert store.article_count() == 0
    # the command says so in one line, and the kept partitions still adopt
    db = tmp_path / "c.sqlite"
    assert cli.main(["--db", str(db), "ingest", "--engine", "dask", "--parquet", str(kept), *map(str, files)]) == 2
    assert "[E021]" in capsys.readouterr().err
    assert cli.main(["--db", str(db), "adopt", str(kept)]) == 0
    assert Store(db).article_count() == 4
