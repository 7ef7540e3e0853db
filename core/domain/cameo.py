"""The CAMEO code table (``data/cameo.csv``): names, QuadClass and Goldstein values, and the
QuadClass names (``data/quad_classes.csv``) every filter, legend, caption and export shows."""

from __future__ import annotations

from functools import lru_cache

from core.text.datafiles import cached_csv


def _quad_names() -> dict[int, str]:
    rows = cached_csv("quad_classes.csv")
    if not rows or any(not r.get("quad_class", "").isdigit() or not r.get("name") for r in rows):
        raise ValueError("data/quad_classes.csv needs a quad_class number and a name on every row")
    return {int(r["quad_class"]): r["name"] for r in rows}


#: QuadClass → its name, as data/quad_classes.csv writes it.
QUAD_NAMES: dict[int, str] = _quad_names()


def quad_roots() -> dict[int, tuple[str, str]]:
    """QuadClass → (first, last) CAMEO root it groups, as data/quad_classes.csv states them."""
    return {int(r["quad_class"]): (r["first_root"], r["last_root"]) for r in cached_csv("quad_classes.csv")}


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
