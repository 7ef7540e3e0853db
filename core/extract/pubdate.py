"""Pipeline step: when was the article published, and how do we know?

In order of trust: a date the user set; a dated header line (or the HTML page's own date); the
date line under a headline ("June 19, 2024, 15:30, Pyongyang"); the publication calendar (volume
→ year) combined with the article's source notes (the article appeared on the first publishing
day after its latest cited date); the calendar alone (issue number → approximate day); a
dispatch's dateline ("MOSCOW, Aug. 4, 2001 (Xinhua)", or its day with the year of a date in the
file name); a ``YYYY-MM-DD`` or ``YYYYMMDD`` in the file name. A date the text only mentions is
never taken: with none of these the article says "date unknown" and asks for one.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from core.extract.citations import cited_dates, nearest_before
from core.text.datafiles import cached_yaml
from core.text.document import Document
from core.text.timeparse import find_timexes, resolve


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
    """Set the article's date from the most trusted thing that gives one (see the module note);
    when nothing does, the date stays empty and a warning asks for one.

    The citations are only read here: when their dates served to date the article,
    ``meta.citation_anchor`` says against which day their years were read, and the next step
    (:func:`core.extract.citations.date_citations`) writes them from it."""
    meta = doc.meta
    cal = calendar_for(meta.publication)
    year = None
    if cal and meta.volume:
        year = cal["first_year"] + meta.volume - cal.get("first_volume", 1)
    dateline = doc.dateline
    named = filename_date(doc.source_file)
    if user_date:
        _set(doc, user_date, "user", "day", "set by the user")
    elif meta.header_date and (header := parse_header_date(meta.header_date)) is not None:
        d, precision = header
        _set(doc, d, "header", precision, f"header date {meta.header_date!r}")
    elif meta.date_line and (line := parse_header_date(meta.date_line)) is not None:
        _set(doc, line[0], "date line", line[1], f"date line under the headline {meta.date_line!r}")
    elif year and doc.citations:
        estimate = issue_estimate(year, meta.issue, cal)
        # the notes' month-days take their years from the issue's estimated day (a little after it),
        # read here without writing them: the citation-dates step writes them, from this same anchor
        meta.citation_anchor = estimate + timedelta(days=45 if meta.issue else 180)
        cited = [read[1] or read[0] for read in cited_dates(doc.citations, meta.citation_anchor) if read and read[0]]
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
    elif dateline is not None and dateline.year and dateline.month and _valid(dateline.year, dateline.month, dateline.day):
        _set(
            doc,
            date(dateline.year, dateline.month, dateline.day),
            "dateline",
            "day",
            f"dateline {doc.text[dateline.start : dateline.end].strip()!r}",
        )
    elif dateline is not None and dateline.month and named and (d := nearest_before(named, dateline.month, dateline.day or 1)) is not None:
        _set(
            doc,
            d,
            "dateline+file name",
            "day",
            f"dateline day {doc.text[dateline.start : dateline.end].strip()!r}, year from the file name",
        )
    elif named:
        _set(doc, named, "file name", "day", f"date in the file name {doc.source_file!r}")
    else:
        meta.date_method = "unknown"
        hint = ""
        if dateline is not None and dateline.month:
            hint = f" (the dateline gives {dateline.month:02d}-{dateline.day or 0:02d}, no year)"
        doc.warnings.append(f"date unknown: no header, date line, dateline or file name gives the publication date{hint}; set it by hand")
    return doc


_NAMED_ISO = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")
_NAMED_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d\d)(\d\d)(\d\d)(?!\d)")


def filename_date(source_file: str) -> date | None:
    """A ``YYYY-MM-DD`` or ``YYYYMMDD`` in the file's name ("2001-08-04_talks.txt"), if valid."""
    name = (source_file or "").replace("\\", "/").rsplit("/", 1)[-1]
    for pattern in (_NAMED_ISO, _NAMED_COMPACT):
        for m in pattern.finditer(name):
            y, mo, d = (int(g) for g in m.groups())
            if _valid(y, mo, d):
                return date(y, mo, d)
    return None


def _valid(y: int, m: int | None, d: int | None) -> bool:
    try:
        date(y, m or 0, d or 0)
    except ValueError:
        return False
    return True


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


def reference_date(doc: Document) -> date | None:
    """The day relative expressions count from: the dispatch's dateline day when it has one (a
    Xinhua story dated "Aug. 4" and published on the 5th says "on Friday" from the 4th), else the
    article's date. A dateline more than a week before the article's date is not trusted for it."""
    published = doc.meta.published
    for c in doc.citations:
        if c.kind == "dateline" and c.cited is not None:
            if published is None or timedelta(0) <= published - c.cited <= timedelta(days=7):
                return c.cited
            break
    return published
