"""Pipeline step: source notes such as ``(AP, May 12, 16; UPI, May 15-16; Reuters, May 17)``.

A parenthesis is a source note when every ``;``-separated part is a list of outlet names
followed by dates, and at least one part names a date or a known outlet. Anything else
(``(reports differ on the model)``) is left alone. Years are read by a later step,
:func:`date_citations`, once the article's date is known (see :mod:`core.extract.pubdate`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from core.text.datafiles import cached_csv
from core.text.document import Citation, Document
from core.text.timeparse import MONTHS, month_number

_PAREN = re.compile(r"\(([^()]{2,400})\)")
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_ITEM = re.compile(
    rf"^(?:(?P<m1>{_MONTH_RE})\.?\s+)?(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"(?:\s*[-–]\s*(?:(?P<m2>{_MONTH_RE})\.?\s+)?(?P<d2>\d{{1,2}}))?$",
    re.I,
)
_DAY_FIRST = re.compile(rf"^(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH_RE})\.?$", re.I)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_NAMEISH = re.compile(r"^(?:the\s+)?[A-Z0-9][\w.&'’/-]*(?:\s+[\w.&'’/-]+){0,5}$")


@lru_cache(maxsize=1)
def agency_aliases() -> dict[str, str]:
    table: dict[str, str] = {}
    for row in cached_csv("agencies.csv"):
        table[_key(row["alias"])] = row["agency"]
        table.setdefault(_key(row["agency"]), row["agency"])
    return table


_LEADING_THE = re.compile(r"^the\s+")
_LEADING_THE_ANY_CASE = re.compile(r"^the\s+", re.I)
_SPACES = re.compile(r"\s+")
_AND_BEFORE_DIGIT = re.compile(r"\s+and\s+(?=\d)")


def _key(name: str) -> str:
    return _LEADING_THE.sub("", name.strip().lower())


def normalise_agency(name: str) -> str:
    """The canonical outlet name, or the name as written without a leading 'The'."""
    name = _SPACES.sub(" ", name.strip())
    known = agency_aliases().get(_key(name))
    return known or _LEADING_THE_ANY_CASE.sub("", name)


# A wire dispatch's dateline at the start of a line: "MOSCOW, Aug. 4 (Xinhua) --", "SEOUL, Oct 10
# (Yonhap) —", "VLADIVOSTOK, Russia, Sept. 6, 2017 (AP) –", "PYONGYANG, June 19 (KCNA)", or with no
# date, "WASHINGTON (AP) —". The place is one to four capitalised words; the agency in parentheses.
_PLACE = r"[A-Z][A-Za-z.'’-]*(?:[ -][A-Z][A-Za-z.'’-]*){0,3}"
# Interfax puts a full stop after the place ("MOSCOW. Oct 10 (Interfax) -"), TASS slashes round its
# name and a full stop after the day ("MOSCOW, September 20. /TASS/.").
_DATELINE = re.compile(
    rf"[ \t]*(?P<place>{_PLACE})(?:,[ \t]*(?P<region>{_PLACE}))?"
    rf"(?:[,.][ \t]*(?P<month>(?i:{_MONTH_RE}))\.?[ \t]+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?[ \t]+(?P<year>(?:19|20)\d\d))?"
    rf"|[,.][ \t]*(?P<day2>\d{{1,2}})[ \t]+(?P<month2>(?i:{_MONTH_RE}))\.?(?:[ \t]+(?P<year2>(?:19|20)\d\d))?)?"
    r"\.?[ \t]*(?:\((?P<agency>[^()\n]{2,60})\)|/(?P<slashed>[^/\n]{2,40})/\.?)[ \t]*(?:--|—|–|-|:)?"
)
_AGENCY_SPLIT = re.compile(r"\s*(?:/|;|,|\band\b)\s*")


@dataclass(frozen=True)
class Dateline:
    """What a dispatch's dateline says: place, agencies, and the day (year when written)."""

    start: int
    end: int
    place: str
    agencies: tuple[str, ...]
    month: int | None
    day: int | None
    year: int | None


def find_datelines(text: str, start: int = 0) -> list[Dateline]:
    """Datelines at line starts; the agency must be a known outlet (or each part of "AP/Yonhap")."""
    out: list[Dateline] = []
    for m in _at_line_starts(text, start):
        place = m["place"]
        if not place[0].isupper() or month_number(place.split()[0]) is not None:
            continue  # "August 4 (Xinhua)" is no place
        agencies = _dateline_agencies(m["agency"] or m["slashed"])
        if not agencies:
            continue
        month = month_number(m["month"] or m["month2"]) if (m["month"] or m["month2"]) else None
        day = int(m["day"] or m["day2"]) if (m["day"] or m["day2"]) else None
        year = int(m["year"] or m["year2"]) if (m["year"] or m["year2"]) else None
        if month is None and place != place.upper():
            continue  # undated datelines are written in capitals: "WASHINGTON (AP) —"
        out.append(Dateline(m.start("place"), m.end(), place, agencies, month, day, year))
    return out


def _at_line_starts(text: str, start: int):
    """``_DATELINE`` tried at each line start only (a multi-line ``^`` makes the engine try every
    character), and only where an agency's "(" or "/" comes soon enough to close a dateline."""
    pos = start if start == 0 or text[start - 1] == "\n" else text.find("\n", start) + 1
    if pos == 0 and start != 0:
        return
    while pos < len(text):
        near = pos + 160
        if text.find("(", pos, near) >= 0 or text.find("/", pos, near) >= 0:
            m = _DATELINE.match(text, pos)
            if m is not None:
                yield m
        nxt = text.find("\n", pos)
        if nxt < 0:
            return
        pos = nxt + 1


def _dateline_agencies(inner: str) -> tuple[str, ...]:
    inner = inner.strip()
    if _key(inner) in agency_aliases():
        return (agency_aliases()[_key(inner)],)
    parts = [p for p in _AGENCY_SPLIT.split(inner) if p]
    if len(parts) > 1 and all(_key(p) in agency_aliases() for p in parts):
        return tuple(agency_aliases()[_key(p)] for p in parts)
    return ()


def find_citations(doc: Document) -> Document:
    """Pipeline step: the source notes and datelines, as written (their dates get years in
    :func:`date_citations`, once the article's date is known)."""
    body = doc.text
    taken: list[tuple[int, int]] = []
    for dl in find_datelines(body, doc.body_start):
        raw = body[dl.start : dl.end].strip()
        for agency in dl.agencies:
            doc.citations.append(Citation(dl.start, dl.end, agency, raw, dl.month, dl.day, kind="dateline", year=dl.year))
        taken.append((dl.start, dl.end))
        if doc.dateline is None:
            doc.dateline = dl
            if not doc.meta.place:  # "MOSCOW, Aug. 4 (Xinhua)": the dispatch was filed in Moscow
                doc.meta.place = dl.place.title() if dl.place.isupper() else dl.place
    for m in _PAREN.finditer(body, doc.body_start):
        if any(a <= m.start() < b for a, b in taken):
            continue
        parsed = parse_note(m[1])
        if parsed is None:
            continue
        for agency, (m1, d1, m2, d2) in parsed:
            doc.citations.append(Citation(m.start(), m.end(), agency, m[0], m1, d1, m2, d2))
    return doc


DateItem = tuple[int | None, int | None, int | None, int | None]


def parse_note(inner: str) -> list[tuple[str, DateItem]] | None:
    """(agency, date item) pairs of a source note, or None when it is not one."""
    rows: list[tuple[str, DateItem]] = []
    evidence = False
    parts = [p.strip() for p in inner.split(";") if p.strip()]
    for part in parts:
        parsed = _parse_part(_AND_BEFORE_DIGIT.sub(", ", part))
        if parsed is None:
            if len(parts) == 1:
                return None
            continue  # "(Segodnya, May 5; see the Monitor, April 30)": keep the good part
        part_rows, dated = parsed
        rows.extend(part_rows)
        evidence = evidence or dated
    return rows if rows and evidence else None


def _parse_part(part: str) -> tuple[list[tuple[str, DateItem]], bool] | None:
    """One ``;``-part of a note: (rows, whether it named a date), or None when it is no note."""
    rows: list[tuple[str, DateItem]] = []
    evidence = False
    agencies: list[str] = []
    dates: list[DateItem] = []
    month: int | None = None
    for item in (x.strip() for x in part.split(",")):
        if not item:
            continue
        d = _DATE_ITEM.match(item) or _DAY_FIRST.match(item)
        if d:
            m1 = month_number(d["m1"]) if d["m1"] else month
            if m1 is None:
                return None
            month = m1
            m2 = month_number(d["m2"]) if d.groupdict().get("m2") else None
            d2 = int(d["d2"]) if d.groupdict().get("d2") else None
            dates.append((m1, int(d["d1"]), m2 or (m1 if d2 else None), d2))
            continue
        if _YEAR.match(item) and dates:
            continue
        if dates:  # an outlet after dates starts a new group within the part
            rows.extend((a, dt) for a in agencies for dt in dates)
            agencies, dates = [], []
        if not _NAMEISH.match(item) or month_number(item.split()[0]) is not None:
            return None
        agencies.append(normalise_agency(item))
    if not agencies:
        return None
    if dates:
        evidence = True
    elif all(_key(a) in agency_aliases() for a in agencies):
        evidence = True
        dates = [(None, None, None, None)]
    else:
        return None
    rows.extend((a, dt) for a in agencies for dt in dates)
    return rows, evidence


def date_citations(doc: Document) -> Document:
    """Pipeline step after the article's date: the year of every cited month-day, and the day of
    an undated dispatch ("WASHINGTON (AP) —": the dispatch is of the article's day).

    The years come from ``meta.citation_anchor`` when the notes themselves dated the article (the
    publication calendar's estimate), else from the article's date; an article with no date keeps
    only the dates its citations wrote in full."""
    for c in doc.citations:
        if c.year and c.month and c.day:  # "SEOUL, Oct. 10, 2003 (Yonhap)": written in full
            try:
                c.cited = date(c.year, c.month, c.day)
            except ValueError:
                c.cited = None
    meta = doc.meta
    if meta.citation_anchor is not None:
        resolve_citation_years(doc, meta.citation_anchor)
    if meta.published:
        for c in doc.citations:
            if c.kind == "dateline" and c.month is None:
                c.cited = meta.published
        if not any(c.cited for c in doc.citations if c.kind == "note"):
            resolve_citation_years(doc, meta.published)
    return doc


def cited_dates(citations: list[Citation], anchor: date) -> list[tuple[date | None, date | None] | None]:
    """(start, end) each citation gets with its years read against ``anchor``, without writing them;
    None for a citation without a month-day (nothing to read)."""
    out: list[tuple[date | None, date | None] | None] = []
    for c in citations:
        if c.month is None or c.day is None:
            out.append(None)
            continue
        start = nearest_before(anchor, c.month, c.day)
        end = None  # a single day has no end (only a range's end day sets one)
        if c.end_day is not None:
            end = nearest_before(anchor, c.end_month or c.month, c.end_day)
            if start and end and end < start:
                end = None
        out.append((start, end))
    return out


def resolve_citation_years(doc: Document, anchor: date) -> None:
    """Give each cited month-day the year that puts it nearest before the article's date."""
    for c, read in zip(doc.citations, cited_dates(doc.citations, anchor), strict=True):
        if read is not None:
            c.cited, c.cited_end = read


def nearest_before(anchor: date, month: int, day: int, slack_days: int = 31) -> date | None:
    """The month-day in the year that places it on or before ``anchor`` (give or take slack)."""
    for year in (anchor.year, anchor.year - 1, anchor.year + 1):
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        if (d - anchor).days <= slack_days and (anchor - d).days < 366 - slack_days:
            return d
    return None
