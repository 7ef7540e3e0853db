"""Incremental reload after a write (issue 14, "Writes are incremental"): the store's change log
(:mod:`core.storage.changelog`) and :func:`core.query.tables.apply_changes`, compared with a full
:func:`core.query.tables.load_tables` after every write of random sequences of adds, re-dates,
removals and bulk adds, on synthetic articles in which every three consecutive articles report one
happening (so writes merge and split resolved events).

The comparison is exact: same rows in the same order, same columns, same dtypes (the pages rely on
the tables' row order, e.g. the events table's first rows and the leading report of a resolved event).
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from benchmarks.synthetic import generate
from core.domain.schema import SCHEMA_VERSION
from core.io.ingest import ingest_paths, open_store
from core.query.tables import apply_changes, load_tables
from core.storage import changelog
from core.storage.store import Store
from tests.helpers import random_write, store_from_dump

ROOT = Path(__file__).resolve().parents[1]
V4_DUMP = ROOT / "tests" / "data" / "store_v4_6e37b51.sql"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate(27, 3, tmp_path_factory.mktemp("delta") / "corpus", reports=3)


def _same(new: dict[str, pd.DataFrame] | None, full: dict[str, pd.DataFrame], what: str) -> None:
    assert new is not None, f"{what}: apply_changes gave up"
    assert set(new) == set(full), what
    for name in full:
        try:
            pd.testing.assert_frame_equal(new[name], full[name], check_exact=True)
        except AssertionError as exc:
            raise AssertionError(f"{what}: table {name} differs: {exc}") from None


def _snapshot(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {k: v.copy(deep=True) for k, v in tables.items()}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_apply_changes_equals_a_full_load_after_every_write(tmp_path: Path, corpus: list[Path], seed: int) -> None:
    rng = random.Random(seed)
    store = open_store(str(tmp_path / "s.sqlite"), seed=False)
    ingest_paths(store, corpus[:9])
    waiting = list(corpus[9:])
    held, version = load_tables(store), store.version()
    ops_seen = set()
    for step in range(12):
        op = random_write(rng, store, sorted(held["articles"]["article_id"]), waiting)
        ops_seen.add(op)
        if step % 4 == 3:
            continue  # the next comparison covers two writes at once
        changes = store.changes_since(version)
        assert changes is not None and changes.version == store.version()
        before = _snapshot(held)
        new = apply_changes(held, store, changes)
        full = load_tables(store)
        _same(new, full, f"seed {seed}, step {step} ({op})")
        for name, df in before.items():  # the tables handed in are left as they were
            pd.testing.assert_frame_equal(held[name], df, check_exact=True)
        held, version = new, changes.version
    assert (full["resolved_events"]["n_reports"] > 1).any(), "the sequence merged reports of one happening"
    assert {"add", "redate", "remove"} <= ops_seen


def test_nothing_changed_hands_back_the_same_frames(tmp_path: Path, corpus: list[Path]) -> None:
    store = open_store(str(tmp_path / "s.sqlite"), seed=False)
    ingest_paths(store, corpus[:3])
    held, version = load_tables(store), store.version()
    store.add_article({}, {"article_id": "x", "content_hash": store.stored_texts()[0]["content_hash"]})  # a duplicate: no row
    changes = store.changes_since(version)
    assert changes is not None and changes.empty and changes.version == version + 1
    new = apply_changes(held, store, changes)
    assert new is not None and all(new[k] is held[k] for k in held)


def test_the_log_answers_only_for_what_it_holds(tmp_path: Path, corpus: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(str(tmp_path / "s.sqlite"), seed=False)
    start = store.version()
    ingest_paths(store, corpus[:2])
    changes = store.changes_since(start)
    assert changes is not None and len(changes.rewritten) == 2
    assert store.changes_since(store.version() + 1) is None, "a version the store has not reached"
    assert store.changes_since(start, log_id="another store") is None
    assert store.changes_since(start, log_id=changes.log_id) is not None
    # trimmed: a reader further behind than the log keeps is told to load everything
    monkeypatch.setattr(changelog, "KEEP_VERSIONS", 2)
    monkeypatch.setattr(changelog, "TRIM_EVERY", 1)
    ingest_paths(store, corpus[2:5])
    assert store.changes_since(start) is None
    assert store.changes_since(store.version() - 1) is not None


def test_a_version_5_store_without_the_log_opens_and_gains_it(tmp_path: Path, corpus: list[Path]) -> None:
    path = tmp_path / "v5.sqlite"
    store = open_store(str(path), seed=False)
    ingest_paths(store, corpus[:3])
    # the store as the release before the log wrote it: schema 5, no log, no trigger, no log keys
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER changes_regrouped")
    con.execute("DROP TABLE changes")
    con.execute("DELETE FROM meta WHERE key IN ('changes_from', 'changes_id')")
    con.commit()
    con.close()
    assert Store(path, read_only=True).changes_since(0) is None, "read-only: no log, nothing written"
    before = load_tables(Store(path, read_only=True))
    store = Store(path)
    assert store.schema_version() == SCHEMA_VERSION  # (the layout of this release; the log is the point here)
    version = store.version()
    assert store.changes_since(version - 1) is None, "the log starts where it was added"
    changes = store.changes_since(version)
    assert changes is not None and changes.empty
    _same(load_tables(store), before, "opened with the log")
    ingest_paths(store, corpus[3:4])
    changes = store.changes_since(version)
    assert changes is not None and len(changes.rewritten) == 1
    _same(apply_changes(before, store, changes), load_tables(store), "first write after the log was added")


def test_a_version_4_store_opens_with_the_log(tmp_path: Path, corpus: list[Path]) -> None:
    path = store_from_dump(V4_DUMP, tmp_path / "v4.sqlite")
    store = Store(path)
    version = store.version()
    held = load_tables(store)
    ingest_paths(store, corpus[:1])
    victim = sorted(held["articles"]["article_id"])[0]
    assert store.delete_article(victim)
    changes = store.changes_since(version)
    assert changes is not None and {victim} < changes.rewritten
    _same(apply_changes(held, store, changes), load_tables(store), "a migrated version-4 store")


def test_a_store_moved_on_meanwhile_is_not_half_applied(tmp_path: Path, corpus: list[Path]) -> None:
    store = open_store(str(tmp_path / "s.sqlite"), seed=False)
    ingest_paths(store, corpus[:2])
    held, version = load_tables(store), store.version()
    ingest_paths(store, corpus[2:3])
    changes = store.changes_since(version)
    ingest_paths(store, corpus[3:4])  # after the log was read
    assert apply_changes(held, store, changes) is None


_SORT_KEYS = ["start_date", "resolved_id"]


def _frame(rows: list[tuple[object, str]]) -> pd.DataFrame:
    return pd.DataFrame({"start_date": [r[0] for r in rows], "resolved_id": [r[1] for r in rows], "n": range(len(rows))})


@pytest.mark.parametrize(
    ("kept", "new"),
    [
        ([("2001-01-01", "R1"), ("2001-02-01", "R2")], [("2000-12-31", "R9")]),  # before all
        ([("2001-01-01", "R1"), ("2001-02-01", "R2")], [("2001-03-01", "R0")]),  # after all
        ([("2001-01-01", "R1"), ("2001-01-01", "R3")], [("2001-01-01", "R2"), ("2001-01-01", "R0")]),  # ties on the date
        ([("2001-01-01", "R1")], []),
        ([], [("2001-01-01", "R1"), ("2000-01-01", "R2")]),
        ([("2001-01-01", "R1"), ("", "R2")], [("2001-01-01", "R0")]),  # "" sorts first
        ([("2001-01-01", "R1"), (None, "R2")], [("2001-01-02", "R0")]),  # a missing key: the sort itself
        ([("2001-01-01", "R1")], [(None, "R0")]),
    ],
)
def test_merged_rows_land_where_a_sort_puts_them(kept: list, new: list) -> None:
    from core.query.tables import _merged

    k = _frame(kept).sort_values(_SORT_KEYS, kind="stable").reset_index(drop=True)
    n = _frame(new)
    n["n"] += 100
    parts = [x for x in (k, n) if len(x)]  # as apply_changes joins them: an empty frame would change dtypes
    plain = pd.concat(parts, ignore_index=True).sort_values(_SORT_KEYS, kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(_merged(k, n, _SORT_KEYS), plain, check_exact=True)


@pytest.mark.parametrize("drop", [[], [0], [9], [3, 4, 5], [0, 1, 8, 9], list(range(10)), [1, 3, 5, 7]])
def test_rows_dropped_by_runs_equal_a_boolean_take(drop: list[int]) -> None:
    from core.query.tables import _runs_kept, _spliced

    df = pd.DataFrame({"a": [f"x{i}" for i in range(10)], "b": range(10)})
    mask = pd.Series(range(10)).isin(drop).to_numpy()
    pd.testing.assert_frame_equal(_spliced(_runs_kept(df, mask), df), df[~mask].reset_index(drop=True), check_exact=True)


def test_a_column_of_many_chunks_is_made_one() -> None:
    from core.query import tables as T

    df = pd.DataFrame({"a": [f"x{i}" for i in range(100)], "b": range(100)})
    pieces = pd.concat([df.iloc[i : i + 2] for i in range(0, 100, 2)], ignore_index=True)
    assert pieces["a"].array.__arrow_array__().num_chunks > T.MAX_CHUNKS
    out = T._compacted(pieces)
    assert out["a"].array.__arrow_array__().num_chunks == 1
    pd.testing.assert_frame_equal(out, df, check_exact=True)
    assert pieces["a"].array.__arrow_array__().num_chunks > T.MAX_CHUNKS, "the frame handed in is left as it was"


def test_many_rewritten_articles_are_left_to_a_full_load(tmp_path: Path, corpus: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from core.query import tables as T

    store = open_store(str(tmp_path / "s.sqlite"), seed=False)
    ingest_paths(store, corpus[:2])
    held, version = load_tables(store), store.version()
    ingest_paths(store, corpus[2:5])
    changes = store.changes_since(version)
    monkeypatch.setattr(T, "MAX_REWRITTEN", 2)
    assert apply_changes(held, store, changes) is None
    monkeypatch.setattr(T, "MAX_REWRITTEN", 3)
    _same(apply_changes(held, store, changes), load_tables(store), "three articles added")
