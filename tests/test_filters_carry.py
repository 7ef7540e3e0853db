"""The filter indexes carried over after a write (issue 14, "first page after a write"):
:func:`core.query.filters.carry` makes the next version's indexes from the previous version's and the
rows read again; here they are compared with indexes built from scratch (:func:`core.query.filters.warm`
on copies of the same tables) after every write of random sequences of adds, bulk adds, re-dates and
removals, and every filter of the registry is applied both ways. The comparison is exact: same keys in
the same order, same row positions, same dtypes; same filtered frames.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from benchmarks.synthetic import generate
from core.io.ingest import ingest_paths, open_store
from core.query import filters as F
from core.query import frames, memo
from core.query.tables import apply_changes, load_tables
from tests.helpers import random_write

#: Indexes built beyond warm() (pages and the engine ask for them): carried too, so checked too.
EXTRA = (frames.source_counts, F._quads, frames.event_participant_index, frames.cached_origin)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate(27, 5, tmp_path_factory.mktemp("carry") / "corpus", reports=3)


def _indexed(tables: dict[str, pd.DataFrame], extra: bool = True) -> dict[str, pd.DataFrame]:
    F.warm(tables)
    if extra and not tables["events"].empty:
        for build in EXTRA:
            build(tables["events"])
    return tables


def _same(a: object, b: object, what: str) -> None:
    if isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True, obj=what)
    elif isinstance(a, pd.Index):
        pd.testing.assert_index_equal(a, b, exact=True, obj=what)
    elif isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b), what
    elif isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b), what
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if not callable(x):  # the weak reference to the events table of the relation pairs
                _same(x, y, f"{what}[{i}]")
    elif isinstance(a, dict):
        assert isinstance(b, dict), what
        values = list(a.values())
        if values and isinstance(values[0], np.ndarray):
            assert list(a) == list(b), f"{what}: keys or their order differ"
            for k in a:
                _same(a[k], b[k], f"{what}[{k!r}]")
        else:
            assert a == b, what
    else:
        assert a == b, what


def _same_indexes(carried: dict[str, pd.DataFrame], what: str, extra: bool = True) -> int:
    """Every index held for the carried tables equals a build on copies of them; how many were compared."""
    scratch = _indexed({k: df.copy(deep=False) for k, df in carried.items()}, extra)
    n = 0
    for name, df in carried.items():
        built = set(memo.names(scratch[name]))
        held = set(memo.names(df))
        assert built <= held, f"{what}: {name} lacks {built - held}"
        for index in sorted(built):
            _same(memo.peek(df, index), memo.peek(scratch[name], index), f"{what}: {name}.{index}")
            n += 1
    return n


def _filter_sets(tables: dict[str, pd.DataFrame], rng: random.Random) -> list[F.Filters]:
    """One filter set per filter of the registry, with values the corpus has, and all of them at once."""
    opts = F.options(tables)
    span = frames.corpus_span(tables)
    sets: list[F.Filters] = []
    every: dict[str, object] = {}
    for spec in F.REGISTRY:
        if isinstance(spec, F.ListFilter):
            values = opts[spec.field_name]
            if not values:
                continue
            picked = tuple(rng.sample(list(values), min(2, len(values))))
            sets.append(F.Filters(**{spec.field_name: picked}))
            every[spec.field_name] = picked[:1]
        elif span is not None:
            lo, hi = span
            mid = lo + (hi - lo) / 2
            sets.append(F.Filters(start=mid, end=hi))
            every.update(start=lo, end=mid)
    sets.append(F.Filters(**every))
    return sets


def _same_filtered(carried: dict[str, pd.DataFrame], rng: random.Random, what: str) -> None:
    scratch = _indexed({k: df.copy(deep=False) for k, df in carried.items()})
    for filters in _filter_sets(carried, rng):
        got, want = F.apply(carried, filters), F.apply(scratch, filters)
        for name in want:
            pd.testing.assert_frame_equal(got[name], want[name], check_exact=True, obj=f"{what}: {filters} {name}")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_carried_indexes_equal_a_full_warm_after_every_write(tmp_path: Path, corpus: list[Path], seed: int) -> None:
    rng = random.Random(seed)
    store = open_store(str(tmp_path / "s.sqlite"), seed=False)
    ingest_paths(store, corpus[:9])
    waiting = list(corpus[9:])
    held, version = _indexed(frames.ensure_tables(load_tables(store))), store.version()
    ops, carried_any = set(), set()
    for step in range(10):
        op = random_write(rng, store, sorted(held["articles"]["article_id"]), waiting)
        ops.add(op)
        changes = store.changes_since(version)
        assert changes is not None
        new = apply_changes(held, store, changes)
        assert new is not None, f"step {step} ({op}): apply_changes gave up"
        new = frames.ensure_tables(new)
        done = F.carry(held, new, changes.rewritten)
        carried_any.update(done)
        F.warm(new)
        what = f"seed {seed}, step {step} ({op})"
        assert _same_indexes(new, what) > 20
        _same_filtered(new, rng, what)
        held, version = new, changes.version
    assert {"add", "redate", "remove"} <= ops
    # the expensive indexes were carried, not left to warm()
    expensive = {"events.actor_index", "events.list:sources", "events.event_dates", "mentions.actor_articles", "relations.event_pairs"}
    assert expensive <= carried_any


def _cells_frame(cells: list[list[str]], articles: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"article_id": articles, "actors": ["; ".join(c) for c in cells], "source_actor": "", "target_actor": ""})


@pytest.mark.parametrize(
    ("old", "drop", "fresh", "at"),
    [
        # a kept row's tokens keep their order; the fresh block's new token goes where it is met
        ([["A", "B"], ["C"], ["A", "D"]], [1], [["E", "B"]], 1),
        # tokens first met in a dropped row are next met in a kept row, tied with a token first met there
        ([["X", "Y"], ["Z", "Y", "X"], ["W"]], [0], [], 1),
        ([["X", "Y"], ["Z", "Y", "X"], ["W"]], [0], [["Y", "Q"]], 0),
        # fresh rows before any kept row, and after every kept one
        ([["A"], ["B"]], [], [["B", "C"], ["A"]], 0),
        ([["A"], ["B"]], [], [["B", "C"], ["A"]], 2),
        # nothing rewritten (a write that only regrouped other articles' events): every row where it was
        ([["A", "B"], ["B"], ["C", "A"]], [], [], 3),
        # every old row dropped; no row at all left
        ([["A"], ["B", "A"]], [0, 1], [["B"], ["C", "B"]], 0),
        ([["A"], ["B", "A"]], [0, 1], [], 0),
        # a row naming a token twice, and empty rows
        ([["A", "A"], [], ["B"]], [2], [["B", "B"], []], 2),
    ],
)
def test_carried_positions_equal_a_build(old: list[list[str]], drop: list[int], fresh: list[list[str]], at: int) -> None:
    old_df = _cells_frame(old, [f"o{i}" for i in range(len(old))])
    kept = [i for i in range(len(old)) if i not in drop]
    at = min(at, len(kept))
    new_cells = [old[i] for i in kept[:at]] + fresh + [old[i] for i in kept[at:]]
    new_ids = [f"o{i}" for i in kept[:at]] + [f"f{i}" for i in range(len(fresh))] + [f"o{i}" for i in kept[at:]]
    new_df = _cells_frame(new_cells, new_ids)
    m = memo.RowMap.of(np.isin(np.arange(len(old)), drop), np.asarray([i.startswith("f") for i in new_ids], dtype=bool))
    assert m is not None and m.n_new == len(new_df)
    block = new_df.iloc[m.start : m.stop]
    carried = memo.carry_positions(
        frames.event_actor_index(old_df),
        m,
        frames.event_actor_index(block) if len(block) else None,
        lambda r: list(frames.event_actor_index(new_df.iloc[r : r + 1])),
    )
    _same(carried, frames.event_actor_index(new_df.copy(deep=False)), "actor index")
    rows = memo.carry_rows(frames.text_of(old_df, "actors"), m, frames.text_of(block, "actors") if len(block) else None, new_df.index)
    _same(rows, frames.text_of(new_df.copy(deep=False), "actors"), "a row-aligned column")


def test_a_table_not_laid_out_as_expected_is_left_to_warm() -> None:
    old = _cells_frame([["A"], ["B"], ["C"]], ["a1", "a2", "a3"])
    frames.event_actor_index(old)
    # the rewritten article's rows come back in two places: not one block
    new = _cells_frame([["D"], ["A"], ["E"], ["C"]], ["a2", "a1", "a2", "a3"])
    assert F._row_map(old, new, {"a2"}) is None
    # kept rows in another order
    new = _cells_frame([["C"], ["A"]], ["a3", "a1"])
    assert F._row_map(old, new, {"a2"}) is None
    assert F.carry({"events": old}, {"events": new}, {"a2"}) == []
    assert memo.peek(new, "actor_index") is None


def test_the_loader_carries_the_indexes_after_a_write(tmp_path: Path, corpus: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import loader

    for cache in (loader._tables, loader._store, loader._filtered, loader._held):
        cache.clear()
    monkeypatch.setenv("RUSKOR_DB", str(tmp_path / "s.sqlite"))
    store = open_store(str(tmp_path / "s.sqlite"), seed=False)
    ingest_paths(store, corpus[:6])
    loader.load()
    carried: list[list[str]] = []
    real = F.carry
    monkeypatch.setattr(F, "carry", lambda *a: carried.append(real(*a)) or carried[-1])
    ingest_paths(store, corpus[6:7])
    corpus_now = loader.load()
    assert carried and "events.actor_index" in carried[0]
    assert _same_indexes(corpus_now.tables, "loader", extra=False) > 20
    for cache in (loader._tables, loader._store, loader._filtered, loader._held):
        cache.clear()
