"""The CAMEO code table (``data/cameo.csv``): names, QuadClass and Goldstein values."""

from __future__ import annotations

from functools import lru_cache

from core.datafiles import cached_csv


@lru_cache(maxsize=1)
def cameo_table() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in cached_csv("cameo.csv")}


def _row(code: str) -> dict[str, str] | None:
    table = cameo_table()
    for n in (len(code), 3, 2):
        row = table.get(code[:n])
        if row:
            return row
    return None


def quad_class(code: str) -> int:
    row = _row(code)
    return int(row["quad_class"]) if row else 0


def goldstein(code: str) -> float:
    row = _row(code)
    return float(row["goldstein"]) if row else 0.0


def type_name(code: str) -> str:
    row = _row(code)
    return row["type"] if row else ""
