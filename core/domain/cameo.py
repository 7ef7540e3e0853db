"""The CAMEO code table (``data/cameo.csv``): names and Goldstein values; and the QuadClasses
(``data/quad_classes.csv``): which roots each groups, and the names every filter, legend, caption and
export shows. A code's QuadClass is its root's, read from the class ranges (one owner: the code table
does not repeat it)."""

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


def quad_of_root(root: str) -> int:
    """The QuadClass whose root range holds ``root`` (two digits), 0 for none."""
    return next((q for q, (first, last) in quad_roots().items() if first <= root <= last), 0)


@lru_cache(maxsize=1)
def cameo_table() -> dict[str, dict[str, str]]:
    """code → its row of data/cameo.csv, with ``quad_class`` filled from its root's class."""
    return {row["code"]: {**row, "quad_class": str(quad_of_root(row["root"]))} for row in cached_csv("cameo.csv")}


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
