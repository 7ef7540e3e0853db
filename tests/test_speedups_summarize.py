"""Resolved events summarised from one conversion to records: the same groups as pandas' groupby."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from core.storage.resolve import report_groups


def _reference(events: pd.DataFrame) -> dict[object, list[dict]]:
    """What summarize did before: one groupby, each group's slice converted on its own."""
    return {rid: grp.to_dict("records") for rid, grp in events.groupby("resolved_id", sort=False)}


def _frame(ids: list[object], seed: int) -> pd.DataFrame:
    rng = random.Random(seed)
    return pd.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(len(ids))],
            "resolved_id": pd.Series(ids, dtype=object),
            "start_date": [rng.choice(["2001-08-04", "", None]) for _ in ids],
            "goldstein": [rng.choice([1.5, np.nan, -2.0]) for _ in ids],
        }
    )


CASES = {
    "interleaved": ["r2", "r1", "r2", "r3", "r1", "r1"],
    "missing ids": ["r1", None, "r1", np.nan, "r2", None, "r2"],
    "one group": ["r9"] * 5,
    "empty": [],
}


@pytest.mark.parametrize("ids", list(CASES.values()), ids=list(CASES))
def test_report_groups_equal_pandas_groupby(ids: list[object]) -> None:
    events = _frame(ids, 1)
    got, expected = report_groups(events), _reference(events)
    assert list(got) == list(expected)  # same groups, same order
    for rid in expected:
        pd.testing.assert_frame_equal(pd.DataFrame(got[rid]), pd.DataFrame(expected[rid]))


@pytest.mark.parametrize("seed", range(5))
def test_report_groups_equal_pandas_groupby_on_random_frames(seed: int) -> None:
    rng = random.Random(seed)
    ids = [rng.choice([f"r{k}" for k in range(20)] + [None]) for _ in range(300)]
    events = _frame(ids, seed)
    got, expected = report_groups(events), _reference(events)
    assert list(got) == list(expected)
    assert all(pd.DataFrame(got[k]).equals(pd.DataFrame(expected[k])) for k in expected)
