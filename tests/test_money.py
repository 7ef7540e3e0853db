"""core.query.money: a stated total is a stock (never added); each delivery is counted once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from core.config import DATA_DIR
from core.query import money
from core.query.tables import load_tables


@pytest.mark.parametrize(
    ("sentence", "figure", "stock"),
    [
        ("Minsk has sold some US$200 million in tractors to Hanoi during the last five years.", "US$200 million", True),
        ("So far the buyer has received US$90 million worth of trucks.", "US$90 million", True),
        ("In all, the yard built US$3 billion of ships for the navy.", "US$3 billion", True),
        ("The ministry shipped a total of US$40 million in spare parts.", "US$40 million", True),
        ("The ministry shipped US$40 million in spare parts on Tuesday.", "US$40 million", False),
        ("Kyiv delivered US$75 million of radars in March; deliveries so far are behind schedule.", "US$75 million", False),
        ("Tokyo paid US$12 million for the barges, but the total bill is unknown.", "US$12 million", False),
    ],
)
def test_money_stock_cue_reads_the_figures_own_stretch(sentence: str, figure: str, stock: bool) -> None:
    assert bool(money.stock_cue(sentence, figure)) is stock


def _rows(*rows: dict) -> pd.DataFrame:
    base = {
        "amount_id": "",
        "value_usd": 0.0,
        "category": "arms_delivery",
        "status": "occurred",
        "as_of_date": "",
        "as_of_end": "",
        "date_precision": "day",
        "evidence": "",
        "raw_text": "",
        "from_actor": "RUS",
        "to_actor": "KOR",
        "origin": "article",
    }
    return pd.DataFrame([{**base, **r} for r in rows])


def test_money_reference_and_article_figures_of_one_delivery_count_once() -> None:
    df = _rows(
        {
            "amount_id": "ref-1",
            "value_usd": 200e6,
            "as_of_date": "2001-01-01",
            "as_of_end": "2002-12-31",
            "date_precision": "year",
            "origin": "reference",
        },
        {
            "amount_id": "art-1",
            "value_usd": 205e6,
            "as_of_date": "2002-03-05",
            "raw_text": "US$205 million",
            "evidence": "Moscow shipped US$205 million in arms to Seoul.",
        },
        {
            "amount_id": "art-2",
            "value_usd": 80e6,
            "as_of_date": "2004-03-05",
            "raw_text": "US$80 million",
            "evidence": "Moscow shipped US$80 million in arms to Seoul.",
        },
    )
    flows = money.delivery_flows(df)
    assert list(flows["_counted"]) == [True, False, True]
    assert flows.loc[1, "_same_as"] == "ref-1"
    assert money.counted_total(flows) == 280e6
    _xs, ys = money.cumulative_line(flows)
    assert ys[-1] == 280e6 and ys == sorted(ys)


@pytest.mark.parametrize(
    ("second", "counted"),
    [
        ({"value_usd": 300e6}, 2),  # value too far apart: two deliveries
        ({"as_of_date": "2010-06-01"}, 2),  # another period
        ({"to_actor": "PRK"}, 2),  # other parties
        ({"status": "planned"}, 1),  # not delivered: never counted
        ({"raw_text": "US$205 million", "evidence": "Moscow has shipped US$205 million in arms so far."}, 1),  # a stock
    ],
)
def test_money_only_true_duplicates_merge(second: dict, counted: int) -> None:
    df = _rows(
        {"amount_id": "a", "value_usd": 200e6, "as_of_date": "2002-03-01"},
        {"amount_id": "b", "value_usd": 205e6, "as_of_date": "2002-03-01", **second},
    )
    assert int(money.delivery_flows(df)["_counted"].sum()) == counted


def test_money_a_delivery_over_a_period_rises_across_it() -> None:
    df = _rows({"amount_id": "a", "value_usd": 120e6, "as_of_date": "2000-01-01", "as_of_end": "2002-12-31", "date_precision": "year"})
    xs, ys = money.cumulative_line(money.delivery_flows(df))
    assert xs[0] == pd.Timestamp("2000-01-01") and ys[0] == 0.0
    assert xs[-1] == pd.Timestamp("2002-12-31") and ys[-1] == 120e6


def test_money_stock_cues_are_data_and_never_choose_a_category() -> None:
    rows = [ln for ln in (DATA_DIR / "amount_cues.csv").read_text(encoding="utf-8").splitlines() if ln.startswith("stock,")]
    assert rows and all(ln.endswith(",0") for ln in rows)


def test_money_sample_store_cumulative_equals_hand_sum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The samples' store: the plotted cumulative total is the hand sum of the counted deliveries."""
    from core.io.ingest import open_store
    from core.query import frames
    from core.views.figures import debt_arms

    monkeypatch.setenv("RUSKOR_SEED_DIR", str(DATA_DIR / "articles"))
    tables = frames.ensure_tables(load_tables(open_store(tmp_path / "s.sqlite")))
    amounts = tables["amounts"]
    fig = debt_arms.debt_arms_figure(amounts, tables["articles"])
    line = [t for t in fig.data if (t.meta or {}).get("cumulative_total_usd") is not None]
    assert len(line) == 1
    # by hand: the two reference phase totals (Bulgom-1 US$209 m, Bulgom-2 debt-offset half US$267 m); the
    # article's "US$500 million in arms … during the past decade" is a total over 1990-2000, drawn as a level
    expected = 209e6 + 267e6
    assert line[0].meta["cumulative_total_usd"] == pytest.approx(expected)
    assert max(line[0].y) == pytest.approx(expected / 1e9)
    stocks = [t for t in fig.data if t.name == debt_arms.STOCK_LABEL and t.x[0] is not None]
    assert [round(t.y[0], 3) for t in stocks] == [0.5]


def test_money_many_deliveries_become_yearly_bars_that_sum_to_the_cumulative_total() -> None:
    from core.views.figures import debt_arms

    rows = [
        {
            "amount_id": f"d{i}",
            "value_usd": 1e6 * (1 + i % 9),
            "as_of_date": f"{1995 + i % 8}-0{1 + i % 9}-1{i % 9}",
            "raw_text": "US$1 million",
            "evidence": "Moscow shipped US$1 million in arms to Seoul.",
            "origin": "article",
            "date_precision": "day",
        }
        for i in range(debt_arms.MAX_ARMS_POINTS + 5)
    ]
    am = _rows(*rows)
    for col in ("article_id", "note", "topics", "rule", "source_url"):
        am[col] = ""
    fig = debt_arms.debt_arms_figure(am)
    bars = [t for t in fig.data if t.type == "bar" and "delivered" in (t.name or "")]
    line = [t for t in fig.data if (t.meta or {}).get("cumulative_total_usd") is not None]
    assert len(bars) == 1 and len(line) == 1
    assert sum(bars[0].y) * 1e9 == pytest.approx(line[0].meta["cumulative_total_usd"])
