"""The Add articles page reads each article in a worker process under a time budget (issue 17):
a text that takes too long is refused with a clear message, the work stops when the browser
leaves, and a normal article gives exactly what reading it in the page's own process gives.

No timing is asserted beyond "it stopped": the budgets here are far from the measured times.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from core.storage.store import Store
from ui import ingest_view as iv

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "articles" / "monitor-1999-v5-i160.txt"


@pytest.fixture(autouse=True)
def _fresh_worker():
    iv._stop_pool()
    yield
    iv._stop_pool()


def test_a_job_past_its_budget_is_stopped_and_its_worker_killed() -> None:
    iv._stop_pool()  # a pool of its own, whatever earlier tests left
    iv.run_budgeted(time.sleep, 0, budget=120)  # start the worker (imports) outside the measured call
    worker = next(iter(iv._pool._processes.values()))
    t0 = time.monotonic()
    with pytest.raises(iv.OverBudget, match="longer than 1 s"):
        iv.run_budgeted(time.sleep, 60, budget=1)
    assert time.monotonic() - t0 < 30  # stopped, not waited for
    worker.join(30)
    assert not worker.is_alive()
    assert iv.run_budgeted(abs, -3, budget=120) == 3  # a new worker for the next call


def test_a_job_past_its_budget_is_killed_even_when_its_pool_was_replaced_meanwhile() -> None:
    """Another session may replace the shared pool while this job runs (after a broken worker): the
    job's own worker is killed all the same, and the other session's pool is left alone."""
    iv._stop_pool()
    iv.run_budgeted(time.sleep, 0, budget=120)
    newer = object()  # stands for the pool another session started
    running: list = []  # the worker that runs the job, read while it runs (not the warm-up's, should the pool have replaced it)

    def replaced() -> bool:
        if iv._pool is not newer:
            running.extend(iv._pool._processes.values())
        iv._pool = newer
        return True

    try:
        with pytest.raises(iv.OverBudget, match="longer than 1 s"):
            iv.run_budgeted(time.sleep, 60, budget=1, alive=replaced)
        assert len(running) == 1
        worker = running[0]
        worker.join(30)
        assert not worker.is_alive()
        assert iv._pool is newer
    finally:
        iv._pool = None
    assert iv.run_budgeted(abs, -3, budget=120) == 3


def test_the_work_stops_when_the_browser_session_ends() -> None:
    with pytest.raises(iv.OverBudget, match="browser session ended"):
        iv.run_budgeted(time.sleep, 60, budget=120, alive=lambda: False)


def test_outside_streamlit_the_session_counts_as_alive() -> None:
    assert iv.session_alive() is True


def test_a_preview_in_the_worker_is_the_preview_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "s.sqlite")
    item = iv.Item("k", SAMPLE.name, SAMPLE.name, SAMPLE.read_bytes())
    in_worker = iv.preview(store, item)
    monkeypatch.setattr(iv, "IN_PROCESS", True)
    assert in_worker == iv.preview(store, item) and in_worker.ok


def test_a_too_slow_upload_is_refused_with_a_reason_and_nothing_is_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "s.sqlite")
    monkeypatch.setattr(iv, "budget_seconds", lambda: 0.001)
    item = iv.Item("k", SAMPLE.name, SAMPLE.name, SAMPLE.read_bytes())
    p = iv.preview(store, item)
    assert not p.ok and "limit on this page" in p.message and "python -m core ingest" in p.message
    [out] = iv.add(store, [item])
    assert out.status == "rejected" and "limit on this page" in out.message
    assert store.article_count() == 0
    out = iv.add_text(store, SAMPLE.read_text(encoding="utf-8"))
    assert out.status == "rejected" and "limit on this page" in out.message
    assert store.article_count() == 0


def test_a_job_whose_worker_another_session_killed_runs_again() -> None:
    import threading

    results: list[object] = []

    def other_session() -> None:
        try:
            iv.run_budgeted(time.sleep, 60, budget=3)
        except iv.OverBudget as exc:
            results.append(exc)

    iv.run_budgeted(abs, 0, budget=120)  # the worker is up
    slow = threading.Thread(target=other_session)
    slow.start()
    time.sleep(0.5)
    assert iv.run_budgeted(abs, -7, budget=120) == 7  # queued behind the slow job, then its worker killed
    slow.join(60)
    assert len(results) == 1 and "longer than 3 s" in str(results[0])


# a server-like parent: each "script run" on a short-lived thread of its own, as Streamlit does
_SERVER = """
import sys, threading, time
from ui import ingest_view as iv

def run(fn, *args):
    t = threading.Thread(target=iv.run_budgeted, args=(fn, *args), kwargs={"budget": 600, "alive": lambda: True})
    t.start()
    return t

run(abs, -1).join()  # one short run: its thread has ended, the worker must live on
first = next(iter(iv._pool._processes))
time.sleep(1.5)
run(time.sleep, 600)  # a run that keeps the worker busy (a hostile upload)
time.sleep(1.0)
print(first, next(iter(iv._pool._processes)), flush=True)
time.sleep(600)
"""


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie waits for init, which may never reap it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_worker_outlives_a_script_run_and_dies_with_a_killed_server(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVER], cwd=root, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(root)}
    )
    worker = None
    try:
        line = server.stdout.readline().split()
        assert len(line) == 2, "the server-like parent did not start its worker"
        first, worker = map(int, line)
        assert first == worker and _running(worker)  # not killed when the run that started it ended
        os.kill(server.pid, signal.SIGKILL)
        server.wait(10)
        deadline = time.monotonic() + 5
        while _running(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _running(worker), "the extraction worker outlived its killed server"
    finally:
        server.kill()
        if worker is not None and _running(worker):
            os.kill(worker, signal.SIGKILL)
