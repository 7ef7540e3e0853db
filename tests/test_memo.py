"""core.query.memo: values derived once per table object, inverted indexes over list columns."""

from __future__ import annotations

import gc
import random

import numpy as np
import pandas as pd
import pytest

from core.query import memo


def test_memo_derived_computes_once_per_table() -> None:
    df = pd.DataFrame({"a": [1, 2, 3]})
    calls: list[int] = []

    def build(d: pd.DataFrame) -> int:
        calls.append(1)
        return int(d["a"].sum())

    assert memo.derived(df, "sum", build) == 6
    assert memo.derived(df, "sum", build) == 6
    assert len(calls) == 1
    other = df.copy()  # an equal but different table is not the same table
    assert memo.derived(other, "sum", build) == 6
    assert len(calls) == 2


def test_memo_derived_rebuilds_when_the_shape_changes() -> None:
    df = pd.DataFrame({"a": [1, 2, 3]})
    assert memo.derived(df, "n", len) == 3
    df.loc[3] = [4]
    assert memo.derived(df, "n", len) == 4


def test_memo_derived_forgets_a_dropped_table() -> None:
    df = pd.DataFrame({"a": [1]})
    memo.derived(df, "n", len)
    key = (id(df), "n")
    assert key in memo._CACHE
    del df
    gc.collect()
    assert key not in memo._CACHE


@pytest.mark.parametrize("seed", range(5))
def test_memo_indexes_match_a_plain_scan(seed: int) -> None:
    rng = random.Random(seed)
    tokens = ["RUS", "KOR", "PRK", "a", "b"]
    cells = [rng.sample(tokens, rng.randint(0, 3)) for _ in range(200)]
    index = memo.token_positions(cells)
    wanted = set(rng.sample(tokens, 2))
    mask = memo.rows_with_any(index, wanted, len(cells))
    assert mask.tolist() == [bool(set(c) & wanted) for c in cells]
    values = pd.Series([rng.choice(tokens) for _ in range(200)])
    groups = memo.group_positions(values)
    for tok, rows in groups.items():
        assert rows.tolist() == [i for i, v in enumerate(values) if v == tok]
        assert np.all(np.diff(rows) > 0)
