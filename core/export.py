"""Writing the tables as CSV files (the export contract of shared/eval/README.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.schema import EVENT_EXTRA, TABLES

EXPORT_TABLES = ("articles", "actors", "mentions", "events", "amounts", "citations", "relations", "resolved_events")


def export_columns(name: str) -> list[str]:
    """The columns of an exported table: the schema's, and for events the resolved event's id."""
    return TABLES[name] + (EVENT_EXTRA if name == "events" else [])


def write_csvs(tables: dict[str, pd.DataFrame], out: str | Path, level: str = "actor") -> list[Path]:
    """One CSV per table, header row always present (empty tables included)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in EXPORT_TABLES:
        df = tables.get(name, pd.DataFrame(columns=export_columns(name)))
        if name == "relations" and "level" in df.columns:
            df = df[df["level"] == level]
        path = out / f"{name}.csv"
        df.reindex(columns=export_columns(name)).to_csv(path, index=False, encoding="utf-8")
        written.append(path)
    return written
