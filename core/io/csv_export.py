"""Writing the tables as CSV files (the export contract of shared/eval/README.md).

Cells are made safe to open in a spreadsheet by default (:func:`neutralise_cells`); ``raw=True``
keeps them as extracted, for pipelines that read the CSV as data.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from core.domain.schema import EVENT_EXTRA, TABLES

EXPORT_TABLES = ("articles", "actors", "mentions", "events", "amounts", "citations", "relations", "resolved_events")


def export_columns(name: str) -> list[str]:
    """The columns of an exported table: the schema's, and for events the resolved event's id."""
    return TABLES[name] + (EVENT_EXTRA if name == "events" else [])


#: What a spreadsheet reads as the start of a formula (OWASP "CSV injection"): = + - @, tab, CR.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def neutral_cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, with a single quote in front (OWASP).

    Why strings only: numbers (a Goldstein score of -5.0, a negative amount) are data, not
    formulas, and a text that is just a number ("-5") cannot run anything either.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_cells(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell passed through :func:`neutral_cell` (numeric columns untouched)."""
    text_cols = [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c].dtype)]
    if not text_cols or df.empty:
        return df
    out = df.copy()
    for c in text_cols:
        out[c] = out[c].map(neutral_cell)
    return out


def to_csv_bytes(df: pd.DataFrame, raw: bool = False) -> bytes:
    """One table as UTF-8 CSV bytes (a page's download button), neutralised unless ``raw``."""
    return (df if raw else neutralise_cells(df)).to_csv(index=False).encode("utf-8")


def write_csvs(tables: dict[str, pd.DataFrame], out: str | Path, level: str = "actor", raw: bool = False) -> list[Path]:
    """One CSV per table, header row always present (empty tables included); text cells that
    would start a spreadsheet formula are neutralised unless ``raw``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in EXPORT_TABLES:
        df = tables.get(name, pd.DataFrame(columns=export_columns(name)))
        if name == "relations" and "level" in df.columns:
            df = df[df["level"] == level]
        path = out / f"{name}.csv"
        df = df.reindex(columns=export_columns(name))
        (df if raw else neutralise_cells(df)).to_csv(path, index=False, encoding="utf-8")
        written.append(path)
    return written
