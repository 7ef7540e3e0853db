"""Writing the tables as CSV files (the export contract of shared/eval/README.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.schema import TABLES

EXPORT_TABLES = ("articles", "actors", "mentions", "events", "amounts", "citations", "relations")


def write_csvs(tables: dict[str, pd.DataFrame], out: str | Path, level: str = "actor") -> list[Path]:
    """One CSV per table, header row always present (empty tables included)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in EXPORT_TABLES:
        df = tables.get(name, pd.DataFrame(columns=TABLES[name]))
        if name == "relations" and "level" in df.columns:
            df = df[df["level"] == level]
        path = out / f"{name}.csv"
        df.reindex(columns=TABLES[name]).to_csv(path, index=False, encoding="utf-8")
        written.append(path)
    return written
