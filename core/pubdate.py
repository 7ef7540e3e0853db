"""Pipeline step: when was the article published, and how do we know?

In order of trust: a date the user set; a dated header line (or the HTML page's own date);
the publication calendar (volume → year) combined with the article's source notes (the
article appeared on the first publishing day after its latest cited date); the calendar alone
(issue number → approximate day); full dates written in the text. If none applies the article
is kept with no date and flagged, and the user can set one later.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from core.citations import resolve_citation_years
from core.datafiles import cached_yaml
from core.document import Document
from core.timeparse import find_timexes, resolve


@lru_cache(maxsize=1)
def calendars() -> dict[str, dict]:
    table: dict[str, dict] = {}
    for entry in cached_yaml("calendars.yaml"):
        for name in [entry["name"], *entry.get("aliases", [])]:
            table[name.strip().lower()] = entry
    return table


def calendar_for(publication: str) -> dict | None:
    return calendars().get(publication.strip().lower()) if publication else None


def infer_published(doc: Document, user_date: date | None = None) -> Document:
    meta = doc.meta
    cal = calendar_for(meta.publication)
    year = None
    if cal and meta.volume:
        year = cal["first_year"] + meta.volume - cal.get("first_volume", 1)
    if user_date:
        _set(doc, user_date, "user", "day", "set by the user")
    elif meta.header_date and (header := parse_header_date(meta.header_date)) is not None:
        d, precision = header
        _set(doc, d, "header", precision, f"header date {meta.header_date!r}")
    elif year and doc.citations:
        estimate = issue_estimate(year, meta.issue, cal)
        resolve_citation_years(doc, estimate + timedelta(days=45 if meta.issue else 180))
        cited = [c.cited_end or c.cited for c in doc.citations if c.cited]
        in_year = [d for d in cited if d.year >= year - 1]
        if in_year:
            latest = max(in_year)
            _set(
                doc,
                next_publishing_day(latest, cal),
                "calendar+notes",
                "day",
                f"volume {meta.volume} = {year}; first publishing day after the latest cited date {latest.isoformat()}",
            )
        else:
            _set(doc, estimate, "calendar", "month", f"volume {meta.volume} = {year}")
    elif year:
        estimate = issue_estimate(year, meta.issue, cal)
        precision = "month" if meta.issue else "year"
        _set(
            doc,
            estimate,
            "calendar",
            precision,
            f"volume {meta.volume} = {year}" + (f", issue {meta.issue} ≈ {estimate}" if meta.issue else ""),
        )
    else:
        latest = _latest_full_date(doc)
        if latest:
            _set(doc, latest, "text", "day", "latest full date written in the text")
        else:
            meta.date_method = "unknown"
            doc.warnings.append("no publication date could be inferred; set it by hand")
    if meta.published and not any(c.cited for c in doc.citations):
        resolve_citation_years(doc, meta.published)
    return doc


def _set(doc: Document, d: date, method: str, precision: str, note: str) -> None:
    doc.meta.published, doc.meta.date_method = d, method
    doc.meta.date_precision, doc.meta.date_note = precision, note


def parse_header_date(value: str) -> tuple[date, str] | None:
    """A header's date; a bare year or month is kept with its precision."""
    value = value.strip()
    for tx in find_timexes(value):
        if tx.spec["kind"] in ("iso", "mdy", "dmy", "mdy_range"):
            resolve(tx, date(2000, 1, 1))
            if tx.start_date:
                return tx.start_date, "day"
    m = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if m:
        return date(int(m[1]), int(m[2]), 1), "month"
    try:
        from dateutil import parser as du

        parsed = du.parse(value, default=datetime(1900, 1, 1), fuzzy=True)
    except (ValueError, OverflowError, TypeError):
        return None
    return (parsed.date(), "day") if parsed.year != 1900 else None


def issue_estimate(year: int, issue: int | None, cal: dict | None) -> date:
    """Day of issue N when one issue appears each publishing day (a lower-bound guess)."""
    d = date(year, 1, 1)
    if not issue:
        return date(year, 7, 1)
    if cal and cal.get("days") == "daily":
        return min(d + timedelta(days=issue - 1), date(year, 12, 31))
    if cal and cal.get("days") == "weekly":
        return min(d + timedelta(weeks=issue - 1), date(year, 12, 31))
    while d.weekday() >= 5:  # the first weekday of the year is issue 1
        d += timedelta(days=1)
    weeks, extra = divmod(issue - 1, 5)
    d += timedelta(weeks=weeks)
    for _ in range(extra):
        d += timedelta(days=1)
        while d.weekday() >= 5:
            d += timedelta(days=1)
    return min(d, date(year, 12, 31))


def next_publishing_day(after: date, cal: dict | None) -> date:
    d = after + timedelta(days=1)
    if cal is None or cal.get("days", "weekdays") == "weekdays":
        while d.weekday() >= 5:
            d += timedelta(days=1)
    return d


def _latest_full_date(doc: Document) -> date | None:
    best = None
    for tx in find_timexes(doc.text):
        if tx.spec["kind"] in ("iso", "mdy", "dmy", "mdy_range"):
            resolve(tx, date(2000, 1, 1))
            d = tx.end_date or tx.start_date
            if d and (best is None or d > best):
                best = d
    return best
