"""Issue 17: writers that cannot interleave badly, and per-article isolation in every command,
each run as real processes of ``python -m core``.

A test-only ``sitecustomize`` (written to a temporary folder and put on PYTHONPATH, so worker
processes load it too) adds a first pipeline step that raises on articles containing ``BOOM``
(a stand-in for any bug) and, when ``RK_TEST_PAUSE`` names a folder, stops on articles
containing ``SLOW``, after their extraction, until the test lets it go — so the second writer
runs exactly while the first is between reading and writing.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.storage import clusters
from core.storage.store import read_rows

ROOT = Path(__file__).resolve().parent.parent
HOOK = """
import os, time
from pathlib import Path
if os.environ.get("RK_TEST_HOOK"):
    import core.extract.pipeline as _p

    def _boom(doc):
        if "BOOM" in doc.text:
            raise RuntimeError("test hook: a bug in extraction")
        return doc

    def _pause(doc):
        pause = os.environ.get("RK_TEST_PAUSE")
        if pause and "SLOW" in doc.text:
            d = Path(pause)
            (d / f"started-{os.getpid()}").touch()
            t = time.monotonic()
            while not (d / "go").exists() and time.monotonic() - t < 60:
                time.sleep(0.002)
        return doc

    _p.STEPS.insert(0, _p.Step("test-boom", _boom))
    _p.STEPS.append(_p.Step("test-pause", _pause))  # extraction done, nothing written yet
"""


def _article(i: int, extra: str = "") -> str:
    return (
        f"Publication: Monitor Volume: 5 Issue: {i}\n\nRussia and North Korea signed agreement number {i} "
        f"in Moscow on May 2 (AP, May 3). {extra}\n"
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    (tmp_path / "pause").mkdir()
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(hook), str(ROOT)]),
        "RK_TEST_HOOK": "1",
        "RUSKOR_LOG": str(tmp_path / "errors.log"),
        "RUSKOR_SEED_DIR": str(tmp_path / "none"),
    }


def _core(env: dict[str, str], *args: str, pause: Path | None = None) -> subprocess.Popen:
    e = dict(env)
    if pause is not None:
        e["RK_TEST_PAUSE"] = str(pause)
    return subprocess.Popen(
        [sys.executable, "-m", "core", *args], cwd=ROOT, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _done(p: subprocess.Popen, timeout: float = 120) -> tuple[int, str, str]:
    out, err = p.communicate(timeout=timeout)
    return p.returncode, out, err


def _wait_started(pause: Path, n: int = 1, timeout: float = 60) -> None:
    t = time.monotonic()
    while len(list(pause.glob("started-*"))) < n:
        if time.monotonic() - t > timeout:
            pytest.fail("the paused writer never started")
        time.sleep(0.05)


def _rows(db: Path, article_id: str) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        tables = ("events", "mentions", "sentences")
        frames = read_rows(con, tables, [article_id], fill_evidence=False)
        texts = con.execute("SELECT COUNT(*) FROM texts WHERE article_id=?", (article_id,)).fetchone()[0]
        return {"texts": texts, **{t: len(frames[t]) for t in tables}}


def _stored(db: Path) -> dict[str, str]:
    """source file -> article id."""
    with sqlite3.connect(db) as con:
        return dict(con.execute("SELECT source_file, article_id FROM texts"))


def _ingest_files(tmp_path: Path, env: dict[str, str], texts: dict[str, str]) -> Path:
    """Each file in its own ingest, a second apart: a rebuild takes them in this order."""
    db = tmp_path / "s.sqlite"
    for i, (name, text) in enumerate(texts.items()):
        (tmp_path / name).write_text(text, encoding="utf-8")
        if i:
            time.sleep(1.05)  # added_at has one-second resolution
        code, out, err = _done(_core(env, "--db", str(db), "ingest", str(tmp_path / name)))
        assert code == 0, out + err
    return db


# ------------------------------------------------------------------ 2. writers during a rebuild


def test_hostile_remove_during_rebuild_stays_removed(tmp_path, env):
    db = _ingest_files(tmp_path, env, {"a.txt": _article(1, "SLOW"), "b.txt": _article(2)})
    aid = _stored(db)["b.txt"]
    pause = tmp_path / "pause"
    rebuild = _core(env, "--db", str(db), "rebuild", pause=pause)
    _wait_started(pause)  # the rebuild has read every text and is extracting a.txt
    code, out, err = _done(_core(env, "--db", str(db), "remove", aid))
    assert code == 0, out + err
    (pause / "go").touch()
    code, out, err = _done(rebuild)
    assert code == 0, out + err
    assert _rows(db, aid) == {"texts": 0, "events": 0, "mentions": 0, "sentences": 0}


def test_hostile_set_date_during_rebuild_is_kept(tmp_path, env):
    db = _ingest_files(tmp_path, env, {"a.txt": _article(1, "SLOW"), "b.txt": _article(2)})
    aid = _stored(db)["a.txt"]
    pause = tmp_path / "pause"
    rebuild = _core(env, "--db", str(db), "rebuild", pause=pause)
    _wait_started(pause)
    code, out, err = _done(_core(env, "--db", str(db), "set-date", aid, "2004-06-15"))
    assert code == 0, out + err
    (pause / "go").touch()
    code, out, err = _done(rebuild)
    assert code == 0, out + err
    with sqlite3.connect(db) as con:
        dates = set(read_rows(con, ["events"], [aid])["events"]["start_date"])  # as the store reads them (its cells are ids)
        user = con.execute("SELECT user_date FROM texts WHERE article_id=?", (aid,)).fetchone()[0]
    assert user == "2004-06-15"
    assert dates == {"2004-05-02"}  # dated from the user's date, not the calendar's


def test_hostile_ingest_during_rebuild_is_kept(tmp_path, env):
    db = _ingest_files(tmp_path, env, {"a.txt": _article(1, "SLOW"), "b.txt": _article(2)})
    pause = tmp_path / "pause"
    rebuild = _core(env, "--db", str(db), "rebuild", pause=pause)
    _wait_started(pause)
    (tmp_path / "c.txt").write_text(_article(3), encoding="utf-8")
    code, out, err = _done(_core(env, "--db", str(db), "ingest", str(tmp_path / "c.txt")))
    assert code == 0 and out.startswith("added"), out + err
    (pause / "go").touch()
    assert _done(rebuild)[0] == 0
    assert set(_stored(db)) == {"a.txt", "b.txt", "c.txt"}
    assert _rows(db, _stored(db)["c.txt"])["events"] > 0


def test_hostile_two_ingests_of_the_same_file(tmp_path, env):
    """Both extract before either writes: one adds it, the other reports it already present (a
    long article, so that writing it takes long enough for the two writers to overlap)."""
    db = tmp_path / "s.sqlite"
    body = " ".join(f"Russia and North Korea signed agreement {i} in Moscow on May 2 (AP, May 3)." for i in range(400))
    (tmp_path / "a.txt").write_text(_article(1, "SLOW " + body), encoding="utf-8")
    subprocess.run([sys.executable, "-c", f"from core.storage.store import Store; Store({str(db)!r})"], cwd=ROOT, check=True)
    pause = tmp_path / "pause"
    first = _core(env, "--db", str(db), "ingest", str(tmp_path / "a.txt"), pause=pause)
    second = _core(env, "--db", str(db), "ingest", str(tmp_path / "a.txt"), pause=pause)
    _wait_started(pause, 2)
    (pause / "go").touch()
    results = [_done(first), _done(second)]
    statuses = sorted(out.split()[0] for _, out, _ in results if out)
    assert statuses == ["added", "duplicate"], results
    assert all(code == 0 and "Traceback" not in err for code, _, err in results), results
    assert len(_stored(db)) == 1


# ------------------------------------------------------------------ 1. isolation in every command


@pytest.mark.parametrize("workers", ["1", "2"])
def test_hostile_ingest_isolates_a_failing_article(tmp_path, env, workers):
    names = {"a.txt": _article(1), "b.txt": _article(2, "BOOM"), "c.txt": _article(3)}
    for n, t in names.items():
        (tmp_path / n).write_text(t, encoding="utf-8")
    code, out, err = _done(
        _core(env, "--db", str(tmp_path / "s.sqlite"), "ingest", "--workers", workers, *(str(tmp_path / n) for n in names))
    )
    assert code == 1, out + err
    lines = out.splitlines()
    assert [ln.split()[0] for ln in lines] == ["added", "rejected", "added"], out + err
    assert "(E012)" in lines[1] and "Traceback" not in out + err
    assert "RuntimeError: test hook" in (tmp_path / "errors.log").read_text(encoding="utf-8")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_hostile_rebuild_isolates_a_failing_article(tmp_path, env, workers):
    plain = {**env, "RK_TEST_HOOK": ""}
    db = _ingest_files(tmp_path, plain, {"a.txt": _article(1), "b.txt": _article(2, "BOOM"), "c.txt": _article(3)})
    boom = _stored(db)["b.txt"]
    before = _rows(db, boom)
    with sqlite3.connect(db) as con:
        [(lo, hi)] = clusters.spans(con, [boom])[["lo", "hi"]].itertuples(index=False)  # its rows' run
        con.execute("DELETE FROM events WHERE rowid NOT BETWEEN ? AND ?", (int(lo), int(hi)))
    code, out, err = _done(_core(env, "--db", str(db), "rebuild", "--workers", workers))
    assert code == 1, out + err
    assert "b.txt" in out and "(E012)" in out and "Traceback" not in out + err
    assert _rows(db, boom) == before  # its old rows kept
    assert all(_rows(db, a)["events"] > 0 for a in _stored(db).values())  # the others rebuilt


def test_hostile_export_and_set_date_isolate_a_failing_article(tmp_path, env):
    names = {"a.txt": _article(1), "b.txt": _article(2, "BOOM")}
    for n, t in names.items():
        (tmp_path / n).write_text(t, encoding="utf-8")
    code, out, err = _done(_core(env, "export", *(str(tmp_path / n) for n in names), "--out", str(tmp_path / "o")))
    assert code == 1 and "(E012)" in err and "Traceback" not in err, out + err
    assert (tmp_path / "o" / "events.csv").exists()
    db = _ingest_files(tmp_path, {**env, "RK_TEST_HOOK": ""}, names)
    code, out, err = _done(_core(env, "--db", str(db), "set-date", _stored(db)["b.txt"], "2001-01-01"))
    assert code == 2 and "E012" in err and "Traceback" not in err, out + err


# ------------------------------------------------------------------ 7. workers die with their parent


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("command", ["ingest", "rebuild"])
def test_hostile_workers_die_with_a_killed_ingest(tmp_path, env, command):
    files = []
    for i in range(6):
        (tmp_path / f"a{i}.txt").write_text(_article(i, "SLOW"), encoding="utf-8")
        files.append(str(tmp_path / f"a{i}.txt"))
    db = str(tmp_path / "s.sqlite")
    if command == "rebuild":  # stored first (no pause), then rebuilt by workers that pause
        code, out, err = _done(_core(env, "--db", db, "ingest", *files))
        assert code == 0, out + err
    argv = ["ingest", "--workers", "2", *files] if command == "ingest" else ["rebuild", "--workers", "2"]
    pause = tmp_path / "pause"
    p = subprocess.Popen(
        [sys.executable, "-m", "core", "--db", db, *argv],
        cwd=ROOT,
        env={**env, "RK_TEST_PAUSE": str(pause)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_started(pause)  # a worker is extracting, paused
    workers = _children(p.pid)
    assert workers
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    t = time.monotonic()
    while any(Path(f"/proc/{w}").exists() and "Z" not in _state(w) for w in workers) and time.monotonic() - t < 10:
        time.sleep(0.1)
    alive = [w for w in workers if Path(f"/proc/{w}").exists() and "Z" not in _state(w)]
    for w in alive:  # do not leave them running after a failure
        os.kill(w, signal.SIGKILL)
    assert not alive, f"orphaned workers: {alive}"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
