"""The query engine brought forward after a write (issue 14, "first page after a write"):
:meth:`core.query.engine.Engine.after_write` makes the next version's engine from the previous one and
the rows read again. After every write of random sequences of adds, bulk adds, re-dates and removals
it is compared with ``Engine(new_tables)`` built from scratch: every DuckDB table (rows sorted, column
types), and every engine method in both report modes under several filter sets. Then table-driven
layouts made by hand (rows dropped, read again, regrouped), what the previous engine still answers,
and what is let go.
"""

from __future__ import annotations

import gc
import random
import weakref
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from benchmarks.synthetic import generate
from core.io.ingest import ingest_paths, open_store
from core.query import filters as F
from core.query import frames
from core.query.engine import Engine
from core.query.tables import apply_changes, load_tables
from tests.factories import make_tables
from tests.helpers import random_write

#: every table the engine holds (its own and the side tables), compared row for row
TABLES = (
    "events",
    "amounts",
    "articles",
    "actors",
    "mentions",
    "citations",
    "_country",
    "_event_actor",
    "_event_source",
    "_event_ref",
    "_event_st",
    "_resolved",
    "_resolved_actor",
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate(27, 5, tmp_path_factory.mktemp("engine-carry") / "corpus", reports=3)


def assert_same_tables(carried: Engine, fresh: Engine, what: str) -> None:
    """Every table of both engines: the same column names and types, the same rows (in ``_pos``
    order for the tables that have one, else sorted), and the same kept readings."""
    for name in TABLES:
        types = [e.query(f"DESCRIBE {name}")[["column_name", "column_type"]] for e in (carried, fresh)]
        pd.testing.assert_frame_equal(types[0], types[1], obj=f"{what}: {name} columns")
        got, want = carried.query(f"SELECT * FROM {name}"), fresh.query(f"SELECT * FROM {name}")
        order = ["_pos"] if name in ("events", "amounts", "articles", "actors", "mentions", "citations") else list(want.columns)
        got, want = (df.sort_values(order, kind="stable").reset_index(drop=True) for df in (got, want))
        pd.testing.assert_frame_equal(got, want, check_exact=True, obj=f"{what}: {name}")
        if name in ("events", "amounts", "articles", "mentions", "citations"):  # stored in position order, as built
            assert list(carried.query(f"SELECT _pos FROM {name}")["_pos"]) == list(range(len(got))), f"{what}: {name} order"
    assert carried._kept == fresh._kept and carried.resolves == fresh.resolves, what


def _filter_sets(tables: dict[str, pd.DataFrame], rng: random.Random) -> list[F.Filters]:
    """The default view, one filter set per filter of the registry with values the corpus has, and
    all of them at once."""
    opts = F.options(tables)
    span = frames.corpus_span(tables)
    sets, every = [F.Filters()], {}
    for spec in F.REGISTRY:
        if isinstance(spec, F.ListFilter):
            values = list(opts[spec.field_name])
            if values:
                picked = tuple(rng.sample(values, min(2, len(values))))
                sets.append(F.Filters(**{spec.field_name: picked}))
                every[spec.field_name] = picked[:1]
        elif span is not None:
            lo, hi = span
            sets.append(F.Filters(start=lo + (hi - lo) / 2, end=hi))
            every.update(start=lo, end=lo + (hi - lo) / 2)
    return [*sets, F.Filters(**every)]


def _answers(engine: Engine, filters: F.Filters, every: bool) -> dict[str, object]:
    """What every public method of the engine answers for these filters, in one report mode."""
    out: dict[str, object] = {
        "overview": engine.overview(filters, every=every),
        "event_count": engine.event_count(filters, every=every),
        "article_count": engine.article_count(filters),
        "undated": engine.undated(filters, every=every),
        "describe": engine.describe(filters, every=every),
        "top_actors": engine.top_actors(filters, 12, every=every),
        "all_actors": engine.top_actors(filters, None, every=every),
        "relations": engine.relations(filters, every=every),
    }
    src = engine.sources(filters)
    out["sources"] = {**src, "publications": sorted(src["publications"]), "agencies": sorted(src["agencies"])}
    for freq in ("M", "Q", "Y"):
        out[f"monthly {freq}"] = engine.monthly_counts(filters, freq, every=every)
        out[f"dyads {freq}"] = engine.dyad_series(filters, freq, every=every)
    for newest in (True, False):
        for offset, limit in ((0, 25), (7, 40)):
            out[f"page {newest} {offset}"] = engine.events_page(filters, offset, limit, newest, every=every)
    for by in ("recent", "cited", "corroborated"):
        out[f"top {by}"] = engine.top_page(filters, by, 8, every=every)
    for lane in ("actor", "type"):
        for window in (None, (date(2001, 1, 1), date(2003, 12, 31))):
            lanes = engine.timeline_lanes(filters, lane, every=every, window=window)
            out[f"lanes {lane} {window}"] = lanes
            picked = list(lanes.index[:3])
            out[f"cells {lane} {window}"] = engine.timeline_cells(filters, lane, picked, every=every, window=window)
            out[f"rows {lane} {window}"] = engine.timeline_rows(filters, lane, picked, every=every, window=window)
    return out


def _same(got: object, want: object, what: str) -> None:
    if isinstance(want, pd.DataFrame):
        pd.testing.assert_frame_equal(got, want, check_exact=True, obj=what)
    elif isinstance(want, pd.Series):
        pd.testing.assert_series_equal(got, want, check_exact=True, obj=what)
    elif isinstance(want, dict):
        assert isinstance(got, dict) and list(got) == list(want), what
        for k in want:
            _same(got[k], want[k], f"{what}.{k}")
    elif want is pd.NaT or (isinstance(want, float) and want != want):  # nothing shown: no first or last day
        assert got is pd.NaT or (isinstance(got, float) and got != got), what
    else:
        assert got == want, what


def assert_same_answers(carried: Engine, fresh: Engine, filter_sets: list[F.Filters], what: str) -> int:
    """Every method, both report modes, each filter set; how many answers showed events."""
    shown = 0
    for filters in filter_sets:
        for every in (True, False):
            want = _answers(fresh, filters, every)
            _same(_answers(carried, filters, every), want, f"{what} {filters} every={every}")
            shown += want["event_count"] > 0
    return shown


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_carried_engine_answers_as_a_fresh_one_after_every_write(tmp_path: Path, corpus: list[Path], seed: int) -> None:
    rng = random.Random(seed)
    store = open_store(str(tmp_path / "s.sqlite"), seed=False)
    ingest_paths(store, corpus[:9])
    waiting = list(corpus[9:])
    held, version = frames.ensure_tables(load_tables(store)), store.version()
    engine = Engine(held)
    ops, shown = set(), 0
    for step in range(9):
        op = random_write(rng, store, sorted(held["articles"]["article_id"]), waiting)
        ops.add(op)
        changes = store.changes_since(version)
        assert changes is not None
        new = apply_changes(held, store, changes)
        assert new is not None, f"step {step} ({op}): apply_changes gave up"
        new = frames.ensure_tables(new)
        carried = Engine.after_write(engine, held, new, changes.rewritten)
        fresh = Engine(new)
        what = f"seed {seed}, step {step} ({op})"
        assert_same_tables(carried, fresh, what)
        shown += assert_same_answers(carried, fresh, _filter_sets(new, rng), what)
        engine, held, version = carried, new, changes.version
        del fresh
    assert {"add", "redate", "remove"} <= ops
    assert shown > 40  # the answers compared were mostly not of empty sets


def _article_tables(tables: dict[str, pd.DataFrame], drop: list[str], again: list[str], regroup: int) -> dict[str, pd.DataFrame]:
    """``tables`` after a write as :func:`core.query.tables.apply_changes` lays it out: the rows of the
    articles ``drop`` gone, those of ``again`` read again (their events a day later, one block at the
    end of each article table), and ``regroup`` kept events moved to another resolved event."""
    out = dict(tables)
    changed = set(drop) | set(again)
    for name in ("events", "amounts", "articles", "mentions", "citations", "sentences"):
        df = tables[name]
        gone = df["article_id"].isin(changed).to_numpy()
        fresh = df[df["article_id"].isin(again).to_numpy()].copy()
        if name == "events" and len(fresh):
            start = pd.to_datetime(fresh["start_date"], errors="coerce") + pd.Timedelta(days=1)
            fresh["start_date"] = start.dt.strftime("%Y-%m-%d").where(start.notna(), fresh["start_date"])
        out[name] = pd.concat([df[~gone], fresh], ignore_index=True) if gone.any() or len(fresh) else df
    if regroup:
        ev = out["events"].copy()
        kept = np.flatnonzero(~ev["article_id"].isin(changed).to_numpy())[:regroup]
        ev.loc[kept, "resolved_id"] = ev["resolved_id"].iloc[kept[::-1]].to_numpy()
        out["events"] = ev
    return out


@pytest.mark.parametrize(
    ("drop", "again", "regroup"),
    [
        ([], [0], 0),  # one article read again (a re-date): its rows leave the middle for the end
        ([0], [], 0),  # the first article removed: every kept position shifts
        ([-1], [], 0),  # the last one removed: nothing shifts
        ([1, 3], [5], 0),  # two runs dropped and one read again
        ([], [-1], 0),  # the last article read again: its block where its rows were
        ([], [], 4),  # only groups changed (a regrouped article): rows where they were, new resolved events
        ([2], [4], 3),
    ],
)
@pytest.mark.parametrize("seed", [0, 4])
def test_hand_made_layouts(seed: int, drop: list[int], again: list[int], regroup: int) -> None:
    tables = frames.ensure_tables(make_tables(seed=seed))
    ids = list(dict.fromkeys(tables["events"]["article_id"]))
    assert len(ids) > 6
    drop_ids, again_ids = [ids[i] for i in drop], [ids[i] for i in again]
    after = frames.ensure_tables(_article_tables(tables, drop_ids, again_ids, regroup))
    if regroup:  # the resolved events of the new groups
        from core.storage.resolve import summarize

        after["resolved_events"] = summarize(after["events"], after["articles"])
    previous = Engine(tables)
    carried = Engine.after_write(previous, tables, after, set(drop_ids) | set(again_ids))
    fresh = Engine(after)
    assert_same_tables(carried, fresh, f"seed {seed}")
    assert assert_same_answers(carried, fresh, _filter_sets(after, random.Random(seed)), f"seed {seed}") > 10


def test_the_previous_engine_still_answers_for_its_version_and_nothing_leaks() -> None:
    """Another session may still read the previous engine: it keeps answering for its own tables;
    the new engine starts without the previous one's kept filter sets and memos."""
    tables = frames.ensure_tables(make_tables(seed=2))
    ids = list(dict.fromkeys(tables["events"]["article_id"]))
    after = frames.ensure_tables(_article_tables(tables, ids[:2], [], 0))
    previous = Engine(tables)
    some = F.Filters(quad_classes=(1, 3))
    before = _answers(previous, some, False)
    previous.memo(("graph", some), lambda: "the previous version's graph")
    carried = Engine.after_write(previous, tables, after, ids[:2])
    assert not carried._memo and not carried._kept_sets
    assert carried.memo(("graph", some), lambda: "made again") == "made again"
    _same(_answers(previous, some, False), before, "previous after the carry")
    assert carried.event_count(F.Filters(), every=True) < previous.event_count(F.Filters(), every=True)


def test_what_cannot_be_carried_is_refused() -> None:
    tables = frames.ensure_tables(make_tables(seed=1))
    ids = list(dict.fromkeys(tables["events"]["article_id"]))
    previous = Engine(tables)
    after = frames.ensure_tables(_article_tables(tables, [], ids[:1], 0))
    with pytest.raises(ValueError, match="not made of these tables"):  # not the previous engine's tables
        Engine.after_write(previous, {k: df.copy() for k, df in tables.items()}, after, ids[:1])
    ev = after["events"]
    block = ev["article_id"].isin(ids[:1]).to_numpy()
    split = pd.concat([ev[block].iloc[:1], ev[~block], ev[block].iloc[1:]], ignore_index=True)  # the rows read again in two places
    with pytest.raises(ValueError, match="one block"):
        Engine.after_write(previous, tables, {**after, "events": split}, ids[:1])


def test_an_engine_let_go_is_dropped_from_the_database() -> None:
    """The engines brought forward share one DuckDB instance; the tables of those let go are dropped
    (at the next query of a living one), so memory holds one version's tables, not one per write."""
    tables = frames.ensure_tables(make_tables(seed=3))
    ids = list(dict.fromkeys(tables["events"]["article_id"]))
    engine, held = Engine(tables), tables
    first = weakref.ref(engine)
    for i in range(4):
        after = frames.ensure_tables(_article_tables(held, [ids[i]], [], 0))
        engine, held = Engine.after_write(engine, held, after, [ids[i]]), after
        gc.collect()
        engine.event_count(F.Filters())
        dbs = engine.query("SELECT DISTINCT database_name AS d FROM duckdb_tables()")["d"]
        assert sorted(dbs) == sorted({engine._db, engine._scratch}), f"write {i}: {sorted(dbs)}"
    assert first() is None
