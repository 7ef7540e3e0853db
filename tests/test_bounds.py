"""Sanity bounds as data (issue 17): implausible money is kept with a flag and left off the chart,
signs are read, years outside data/bounds.yaml's window are not dates and do not stretch the
date filter."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from core.domain import bounds
from core.extract.pipeline import process, to_rows
from core.query.frames import corpus_span
from core.text.reading import RawText
from core.views.figures.debt_arms import dollar_rows

HEAD = "Monitor, Volume 5, Issue 160\nAugust 26, 1999\n\n"


def _rows(sentence: str) -> dict:
    return to_rows(process(RawText(text=HEAD + sentence + "\n", source_file="b.txt", encoding="utf-8", format="text")))


def _amounts(sentence: str) -> list[dict]:
    return _rows(sentence)["amounts"]


@pytest.mark.parametrize(
    ("sentence", "value", "flagged"),
    [
        ("Russia owes South Korea US$1.8 billion in debt.", 1.8e9, False),
        ("Russia owes South Korea -$5 million in debt.", -5e6, False),
        ("Russia owes South Korea minus $5 million in debt.", -5e6, False),
        ("Russia owes South Korea −$5 million in debt.", -5e6, False),
        ("Russia owes South Korea $999999999999999 trillion in debt.", 999999999999999e12, True),
        ("Russia owes South Korea US$20 trillion in debt.", 20e12, True),
        ("Russia owes South Korea US$1e309 in debt.", None, True),
        ("Russia owes South Korea US$1e3 in debt.", 1000.0, False),
        ("Russia owes South Korea $" + "9" * 400 + " in debt.", None, True),
    ],
)
def test_money_values_signs_and_flags(sentence: str, value: float | None, flagged: bool) -> None:
    [row] = _amounts(sentence)
    assert row["value_usd"] == value
    assert bounds.is_flagged(row["note"]) == flagged
    assert row["category"] == "debt"


def test_a_range_dash_is_not_a_minus_sign() -> None:
    values = [a["value_usd"] for a in _amounts("Russia owes South Korea US$1.8-$2 billion in debt.")]
    assert values and all(v > 0 for v in values)


def test_flagged_values_stay_in_the_table_and_off_the_chart() -> None:
    rows = _amounts("Russia owes South Korea $999999999999999 trillion in debt.") + _amounts(
        "Russia owes South Korea US$1.8 billion in debt."
    )
    table = pd.DataFrame(rows)
    assert len(table) == 2
    shown = dollar_rows(table)
    assert list(shown["value_usd"]) == [1.8e9]


@pytest.mark.parametrize("year", [9999, 1066, 2150])
def test_a_year_outside_the_window_is_not_a_date(year: int) -> None:
    rows = _rows(f"Putin met Kim Jong Il in Moscow on May 5, {year}, and signed a treaty.")
    dates = [e["start_date"] for e in rows["events"]] + [e["end_date"] for e in rows["events"]]
    assert rows["events"] and not any(d.startswith(str(year)) for d in dates)


def test_the_same_sentence_in_the_window_is_dated() -> None:
    rows = _rows("Putin met Kim Jong Il in Moscow on May 5, 1999, and signed a treaty.")
    assert any(e["start_date"] == "1999-05-05" for e in rows["events"])


def test_corpus_span_ignores_dates_outside_the_window() -> None:
    tables = {
        "events": pd.DataFrame({"start_date": ["1999-05-05", "0001-01-01"], "end_date": ["1999-05-05", "2200-01-01"]}),
        "amounts": pd.DataFrame({"as_of_date": ["2000-01-01", "1850-01-01"]}),
        "articles": pd.DataFrame({"published_date": ["1999-08-26"]}),
    }
    assert corpus_span(tables) == (date(1999, 5, 5), date(2000, 1, 1))


@pytest.mark.parametrize(
    ("value", "flag"), [(1e13, False), (1.0000001e13, True), (-2e13, True), (float("inf"), True), (None, False), (0.0, False)]
)
def test_money_flag_follows_the_data_file(value: float | None, flag: bool) -> None:
    assert bool(bounds.money_flag(value)) == flag
