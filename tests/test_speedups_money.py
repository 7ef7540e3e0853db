"""Differential tests of :func:`core.query.money.delivery_flows`' value-band lookup: the fast path
(kept rows looked up by value band) must return exactly what scanning every kept row returns."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from core.query import money


def _frame(rows: list[dict]) -> pd.DataFrame:
    base = {
        "category": "arms_delivery",
        "status": "occurred",
        "date_precision": "day",
        "as_of_end": "",
        "evidence": "",
        "raw_text": "",
        "from_actor": "RUS",
        "to_actor": "KOR",
        "origin": "article",
    }
    return pd.DataFrame([{**base, "amount_id": f"a{i:03d}", **r} for i, r in enumerate(rows)])


def _both(df: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> tuple[pd.DataFrame, pd.DataFrame]:
    monkeypatch.setattr(money, "FAST_MERGE", True)
    fast = money.delivery_flows(df)
    monkeypatch.setattr(money, "FAST_MERGE", False)
    plain = money.delivery_flows(df)
    return fast, plain


@pytest.mark.parametrize(
    "rows",
    [
        # exactly at the tolerance: 10 % of the larger value apart (merges), and just past it (does not)
        [{"value_usd": 200e6, "as_of_date": "2002-03-01"}, {"value_usd": 180e6, "as_of_date": "2002-03-01"}],
        [{"value_usd": 200e6, "as_of_date": "2002-03-01"}, {"value_usd": 179.9e6, "as_of_date": "2002-03-01"}],
        # a row matching two kept rows in different value bands folds into the one kept first
        [
            {"value_usd": 100e6, "as_of_date": "2002-01-01", "as_of_end": "2002-12-31", "date_precision": "year"},
            {"value_usd": 109e6, "as_of_date": "2002-02-01", "to_actor": ""},
            {"value_usd": 104e6, "as_of_date": "2002-02-01"},
        ],
        [
            {"value_usd": 109e6, "as_of_date": "2002-01-01", "as_of_end": "2002-12-31", "date_precision": "year"},
            {"value_usd": 100e6, "as_of_date": "2002-02-01", "to_actor": "PRK"},
            {"value_usd": 104e6, "as_of_date": "2002-02-01", "to_actor": ""},
        ],
        # a reference row is kept before earlier article rows
        [{"value_usd": 50e6, "as_of_date": "1999-05-01"}, {"value_usd": 51e6, "as_of_date": "2003-01-01", "origin": "reference"}],
        # tiny and huge values, equal values in other periods
        [{"value_usd": v, "as_of_date": f"{y}-01-01"} for v in (1.0, 1.05, 1e12, 1.09e12) for y in (2001, 2002)],
    ],
)
def test_money_value_bands_give_the_plain_merges(rows: list[dict], monkeypatch: pytest.MonkeyPatch) -> None:
    fast, plain = _both(_frame(rows), monkeypatch)
    pd.testing.assert_frame_equal(fast, plain)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_money_value_bands_give_the_plain_merges_on_random_deliveries(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    values = [rng.choice([10e6, 50e6, 100e6, 200e6, 1e9]) * rng.choice([1, 1, 0.9, 0.95, 1.05, 1.1, 1.2]) for _ in range(300)]
    rows = [
        {
            "value_usd": v,
            "as_of_date": f"{rng.randint(1995, 2005)}-{rng.randint(1, 12):02d}-01",
            "date_precision": rng.choice(["day", "month", "year"]),
            "to_actor": rng.choice(["KOR", "KOR", "", "PRK"]),
            "origin": rng.choice(["article"] * 5 + ["reference"]),
            "status": rng.choice(["occurred"] * 4 + ["planned"]),
        }
        for v in values
    ]
    fast, plain = _both(_frame(rows), monkeypatch)
    assert (plain["_same_as"] != "").sum() > 10  # the case exercises merges
    pd.testing.assert_frame_equal(fast, plain)
