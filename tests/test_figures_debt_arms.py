"""core.views.figures.debt_arms: dollar axes only, status shapes, cumulative deliveries, TIV never in US$, debt levels
apart from write-offs and repayments."""

from __future__ import annotations

import pandas as pd
import pytest

from core.domain.reference import reference_tables
from core.views.figures import debt_arms, style
from tests.factories import empty_tables, make_tables

T = make_tables(seed=3)
AM = T["amounts"]


def _data_traces(fig):
    return [t for t in fig.data if t.customdata is not None and t.mode in ("markers", "markers+text")]


def test_debt_arms_figure_plots_debt_deliveries_and_deals_in_billions() -> None:
    fig = debt_arms.debt_arms_figure(AM, T["articles"])
    names = {t.name for t in fig.data}
    assert {"Debt: total or outstanding", "Arms delivery (single)", "Arms deal (value)", "Deliveries, cumulative"} <= names
    assert fig.layout.yaxis.title.text == "US$ billion"
    assert fig.layout.yaxis2.title.text == "US$ billion"
    debt = next(t for t in _data_traces(fig) if t.name.startswith("Debt"))
    assert max(debt.y) == pytest.approx(AM.loc[AM["category"] == "debt", "value_usd"].max() / 1e9)


def test_debt_arms_tiv_rows_never_on_the_dollar_axis() -> None:
    tiv = AM[AM["note"].str.contains("TIV")]
    assert len(tiv) == 1
    fig = debt_arms.debt_arms_figure(AM, T["articles"])
    plotted = [y for t in fig.data if t.y is not None for y in t.y if y is not None]
    assert float(tiv["value_usd"].iloc[0]) / 1e9 not in plotted
    assert "TIV" in fig.layout.title.subtitle.text
    # even when a TIV row is mislabelled as a delivery
    bad = AM.copy()
    bad.loc[tiv.index, "category"] = "arms_delivery"
    assert debt_arms.is_tiv(bad).sum() == 1
    assert tiv.index[0] not in debt_arms.dollar_rows(bad).index
    table = debt_arms.amounts_table(bad)
    assert table.loc[table["note"].str.contains("TIV"), "value_usd"].isna().all()


def test_debt_arms_status_shapes_are_distinct() -> None:
    fig = debt_arms.debt_arms_figure(AM, T["articles"])
    seen: dict[str, set[str]] = {}
    for t in _data_traces(fig):
        for cd, sym in zip(t.customdata, t.marker.symbol, strict=True):
            seen.setdefault(cd[2], set()).add(sym)
    assert {"reported", "planned", "denied", "occurred"} <= set(seen)
    assert seen["denied"] != seen["occurred"] and seen["planned"] != seen["occurred"]
    assert seen["proposed"] == seen["planned"]  # same meaning, same shape


def test_debt_arms_cumulative_counts_only_real_deliveries() -> None:
    fig = debt_arms.debt_arms_figure(AM, T["articles"])
    cum = next(t for t in fig.data if t.name == "Deliveries, cumulative")
    deliveries = AM[(AM["category"] == "arms_delivery") & ~AM["status"].isin(["planned", "proposed", "denied"])]
    assert max(cum.y) == pytest.approx(deliveries["value_usd"].sum() / 1e9)
    assert list(cum.y) == sorted(cum.y)


def test_debt_arms_few_points_get_value_labels() -> None:
    fig = debt_arms.debt_arms_figure(AM.head(3), T["articles"])
    assert any(t.text and any("US$" in x for x in t.text) for t in _data_traces(fig))
    assert any("No arms" in a.text for a in fig.layout.annotations)


@pytest.mark.parametrize(
    "amounts",
    [empty_tables()["amounts"], AM[AM["category"] == "other"], AM.assign(value_usd=float("nan"))],
)
def test_debt_arms_empty_input_gives_annotated_figure(amounts: pd.DataFrame) -> None:
    fig = debt_arms.debt_arms_figure(amounts, T["articles"])
    assert style.is_empty_figure(fig)


def test_amounts_table_names_sources() -> None:
    table = debt_arms.amounts_table(AM, T["articles"])
    assert list(table.columns) == debt_arms.TABLE_COLUMNS
    art = table[table["article_id"] != ""]
    assert art["source"].str.startswith("Monitor").all()
    ref = table[table["origin"] == "reference"]
    assert ref["source"].str.startswith("https://").all()


def test_debt_arms_plots_only_russia_south_korea_figures() -> None:
    am = AM.copy()
    dprk = am.index[0]
    am.loc[dprk, ["from_actor", "to_actor"]] = ["PRK", "RUS"]
    assert dprk not in debt_arms.dollar_rows(am).index
    ussr = am.index[1]
    am.loc[ussr, ["from_actor", "to_actor"]] = ["SUN", "KOR"]
    assert ussr in debt_arms.dollar_rows(am).index
    fig = debt_arms.debt_arms_figure(am, T["articles"])
    assert "between other states" in fig.layout.title.subtitle.text


@pytest.mark.parametrize(
    ("note", "kind"),
    [
        ("total; reliability high", "level"),
        ("total incl. overdue interest; also Yonhap 13 Dec 2002; reliability high", "level"),
        ("outstanding, approximate; reliability medium", "level"),
        ("principal, variant of d05 (AP, 2001); reliability medium", "level"),
        ("restructuring 2003: before write-off; dated to the agreement of 18 Sep 2003", "level"),
        ("restructuring 2003: to be repaid over 23 years (GNN 1.58 bn)", "level"),
        ("", "level"),
        ("write-off (restructuring 2003); also Libertad Digital", "write_off"),
        ("instalment, semi-annual (restructuring 2003 schedule)", "repayment"),
        ("repayment to date (cash); JoongAng 2016", "repayment"),
        ("payment due end-1998; reliability high", "repayment"),
        ("overdue; reliability high", "repayment"),
        ("government takes over guaranteed bank loans", "other"),
    ],
)
def test_debt_arms_debt_kind_reads_the_note_prefix(note: str, kind: str) -> None:
    assert debt_arms.debt_kind(note) == kind


def _trace(fig, name: str):
    return next(t for t in fig.data if t.name == name and t.customdata is not None)


def test_debt_arms_reference_levels_apart_from_write_offs_and_repayments() -> None:
    am = reference_tables()["amounts"]
    fig = debt_arms.debt_arms_figure(am)
    levels = _trace(fig, "Debt: total or outstanding")
    write_offs = _trace(fig, "Debt written off")
    repaid = _trace(fig, "Debt repaid or falling due")
    assert 0.66 in list(write_offs.y) and 0.66 not in list(levels.y)
    assert 0.035 in list(repaid.y) and 0.035 not in list(levels.y)
    assert min(levels.y) >= 0.2  # the smallest level is the 2024 remainder (US$210 m), not an instalment
    assert set(write_offs.marker.symbol) == {"triangle-down"} and set(repaid.marker.symbol) <= {"triangle-up", "triangle-up-open"}
    trend = next(t for t in fig.data if t.name == "Debt level (median per date)")
    assert trend.mode == "lines" and 0.66 not in list(trend.y) and 0.035 not in list(trend.y)
    assert all(t.yaxis in (None, "y") for t in (levels, write_offs, repaid, trend))  # all in the debt panel


@pytest.mark.parametrize("category", ["debt", "arms_delivery", "arms_deal"])
def test_debt_arms_tiv_row_never_on_a_dollar_axis_whatever_its_category(category: str) -> None:
    am = AM.copy()
    tiv = am.index[am["note"].str.contains("TIV")][0]
    am.loc[tiv, ["category", "value_usd"]] = [category, 4.2e9]  # a value no other row has
    fig = debt_arms.debt_arms_figure(am, T["articles"])
    dollar_axes = {fig.layout.yaxis.title.text, fig.layout.yaxis2.title.text}
    assert dollar_axes == {"US$ billion"}
    on_axes = [y for t in fig.data if t.yaxis in (None, "y", "y2") and t.y is not None for y in t.y if y is not None]
    assert 4.2 not in on_axes and 4.2e9 not in on_axes


def test_debt_arms_many_levels_become_yearly_medians_with_their_spread() -> None:
    import pandas as pd

    rows = [
        {
            "amount_id": f"x{i}",
            "article_id": "",
            "value_usd": 1.0e9 + (i % 7) * 1e8,
            "category": "debt",
            "status": "occurred",
            "as_of_date": f"{1995 + i % 5}-0{1 + i % 9}-01",
            "evidence": "e",
            "as_of_end": "",
            "date_precision": "month",
            "raw_text": "",
            "from_actor": "RUS",
            "to_actor": "KOR",
            "topics": "",
            "rule": "",
            "sentence_id": None,
            "start_char": None,
            "end_char": None,
            "origin": "reference",
            "source_url": "",
            "note": "total",
        }
        for i in range(debt_arms.MAX_DEBT_POINTS + 10)
    ]
    am = pd.DataFrame(rows)
    fig = debt_arms.debt_arms_figure(am)
    yearly = [t for t in fig.data if t.name == debt_arms.YEARLY_LABEL]
    assert len(yearly) == 1 and len(yearly[0].x) == 5
    vals = pd.to_numeric(am["value_usd"])
    years = pd.to_datetime(am["as_of_date"]).dt.year
    for x, y, up, down in zip(yearly[0].x, yearly[0].y, yearly[0].error_y.array, yearly[0].error_y.arrayminus, strict=True):
        mine = vals[years == pd.Timestamp(x).year] / 1e9
        assert y == pytest.approx(mine.median()) and y + up == pytest.approx(mine.max()) and y - down == pytest.approx(mine.min())
