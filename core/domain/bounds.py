"""Sanity bounds (data/bounds.yaml): which money figures and years are plausible at all.

A value past a bound is kept — the table row, its evidence and its raw text stay — but flagged,
so charts and the date range leave it out: one "$999999999999999 trillion" must not flatten the
debt chart, and one "in 9999" must not stretch the date filter to span 1-9999.
"""

from __future__ import annotations

import math
from datetime import date

from core.text.datafiles import cached_yaml

#: Start of the ``note`` of an amount whose value is past the bounds (charts filter on it).
IMPLAUSIBLE = "implausible value"


def bounds() -> dict:
    return cached_yaml("bounds.yaml")


def plausible_year(year: int) -> bool:
    """Is ``year`` inside the configured window (min_year … max_year)?"""
    b = bounds()
    return int(b["min_year"]) <= year <= int(b["max_year"])


def plausible_date(day: date | None) -> bool:
    return day is None or plausible_year(day.year)


def money_flag(value: float | None) -> str:
    """'' for a plausible dollar value, else the note that flags it (starting with IMPLAUSIBLE)."""
    if value is None:
        return ""
    if not math.isfinite(value):
        return f"{IMPLAUSIBLE}: the number is too large to hold; kept off charts"
    limit = float(bounds()["max_usd"])
    if abs(value) > limit:
        return f"{IMPLAUSIBLE}: beyond US${limit:,.0f} (data/bounds.yaml max_usd); kept off charts"
    return ""


def is_flagged(note: object) -> bool:
    """Does an amount's ``note`` mark its value as implausible?"""
    return isinstance(note, str) and note.startswith(IMPLAUSIBLE)
