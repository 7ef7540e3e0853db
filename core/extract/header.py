"""Pipeline step: read the header lines at the top of an article, if it has any.

Accepts the Jamestown form ``Publication: Monitor Volume: 5 Issue: 160`` (on one line or
several), ``Title:``/``Source:``/``Date:``/``Published:`` lines, a serial's name followed by
``Volume``/``Issue``, a Markdown ``# Title``, or nothing at all.
"""

from __future__ import annotations

import re

from core.text.document import Document

_KEYS = r"(?:Publication|Source|Title|Headline|Date|Published|Publication date|Author|By|Volume|Issue|Vol\.?|No\.?)"
_FIELD = re.compile(rf"(?P<key>{_KEYS})\s*:\s*(?P<value>.*?)(?=\s+{_KEYS}\s*:|$)", re.I)
_VOLUME = re.compile(r"\bVol(?:ume)?\.?\s*:?\s*(\d{1,3})\b", re.I)
_ISSUE = re.compile(r"\b(?:Issue|No\.?)\s*:?\s*(\d{1,4})\b", re.I)
_SERIAL = re.compile(r"^(?P<pub>[A-Z][\w&.' -]{1,60}?)[,\s]+Vol(?:ume)?\.?\s*:?\s*\d", re.I)
_MD_TITLE = re.compile(r"^#{1,3}\s+(?P<title>.+)$")
_MAX_HEADER_LINES = 8
#: Plausible volume and issue numbers: a serial's volume counts its years, an issue its numbers
#: within one (a daily has ~260). Anything larger is not a volume or issue ("Volume: 9000",
#: "Issue: 999999999999") and would turn into a year no calendar has.
MAX_VOLUME = 300
MAX_ISSUE = 9999


def parse_header(doc: Document) -> Document:
    """Fill ``doc.meta`` from the header and set ``doc.body_start`` past it."""
    meta = doc.meta
    pos = 0
    consumed_to = 0
    lines_seen = 0
    title_guess = ""
    for line in doc.text.splitlines(keepends=True):
        stripped = line.strip()
        pos += len(line)
        if not stripped:
            if consumed_to:
                consumed_to = pos
            continue
        lines_seen += 1
        if lines_seen > _MAX_HEADER_LINES:
            break
        if not _read_line(stripped, meta):
            # a short title line may stand before the header ("Title\nPublication: …"): look one line on
            if lines_seen == 1 and len(stripped) < 150 and not stripped.endswith("."):
                title_guess = stripped.lstrip("# ").strip()
                continue
            break
        consumed_to = pos
        if title_guess and not meta.title:
            meta.title = title_guess
    doc.body_start = consumed_to
    _date_lines(doc)
    if not meta.title and doc.format == "md":
        first = doc.text[doc.body_start :].lstrip().splitlines()[:1]
        m = _MD_TITLE.match(first[0]) if first else None
        if m:
            meta.title = m["title"].strip()
    return doc


def _read_line(line: str, meta) -> bool:
    """Take what a header line says; False when the line is not a header line."""
    if _FIELD.match(line):  # the first field starts the line (a cheap test before scanning all of it)
        for f in _FIELD.finditer(line):
            _set(meta, f["key"].lower().rstrip("."), f["value"].strip())
        return True
    m = _SERIAL.match(line)
    if m and len(line) < 120:
        meta.publication = m["pub"].strip(" ,")
        _set(meta, "volume", (_VOLUME.search(line) or [None, ""])[1])
        issue = _ISSUE.search(line)
        if issue:
            _set(meta, "issue", issue[1])
        return True
    m = _MD_TITLE.match(line)
    if m and not meta.title:
        meta.title = m["title"].strip()
        return True
    return False


def _set(meta, key: str, value: str) -> None:
    if not value:
        return
    if key in ("publication", "source"):
        inner_vol = _VOLUME.search(value)
        if inner_vol:
            meta.volume = _bounded(inner_vol[1], MAX_VOLUME)
            value = value[: inner_vol.start()].strip(" ,")
        if key == "publication" or not meta.publication:
            meta.publication = value
    elif key in ("title", "headline"):
        meta.title = value
    elif key in ("date", "published", "publication date"):
        meta.header_date = value
    elif key in ("volume", "vol"):
        digits = re.search(r"\d+", value)
        if digits:
            meta.volume = _bounded(digits[0], MAX_VOLUME)
    elif key in ("issue", "no"):
        digits = re.search(r"\d+", value)
        if digits:
            meta.issue = _bounded(digits[0], MAX_ISSUE)


def _bounded(digits: str, limit: int) -> int | None:
    """The number when it lies in 1..limit, else None (checked on its length first: a 5,000-digit
    string is never converted)."""
    digits = digits.lstrip("0")
    if not digits or len(digits) > len(str(limit)):
        return None
    n = int(digits)
    return n if n <= limit else None


# The date, time and place lines under a headline (kremlin.ru, ministries): "June 19, 2024, 15:30,
# Pyongyang", or "August 15, 2002" / "15:20" / "Shanghai" on lines of their own.
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_LABEL = r"(?:(?:Posted|Published|Updated|Released|Issued|Dated)(?:\s+on)?:?\s+|[A-Z]{2,12}\s*\|\s*)?"
_DAY_DATE = (
    rf"{_WEEKDAY}(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?:19|20)\d\d"
    r"|(?:19|20)\d\d-\d\d-\d\d|\d{1,2}\.\d{1,2}\.(?:19|20)\d\d)"
)
_TIME = (
    r"(?:at\s+)?\d{1,2}:\d\d(?:\s*[AaPp]\.?[Mm]\.?)?"
    r"(?:\s*\(?(?:[A-Z]{2,4}|(?:UTC|GMT)\s*[-+−–]\s*\d{1,2}(?::\d\d)?)\)?)?"
)
_PLACE_WORDS = r"[A-Z][\w.'’-]*(?:[ -][A-Z][\w.'’-]*){0,3}(?:,\s*[A-Z][\w.'’-]*(?:[ -][A-Z][\w.'’-]*){0,3})?"
_DATE_LINE = re.compile(rf"{_LABEL}(?P<date>{_DAY_DATE})(?:[,\s]+(?P<time>{_TIME}))?(?:[,\s]+(?P<place>{_PLACE_WORDS}))?")
_TIME_LINE = re.compile(rf"{_TIME}")
_PLACE_LINE = re.compile(_PLACE_WORDS)
_MAX_DATE_LINE_LOOK = 3


def _date_lines(doc: Document) -> None:
    """A full date alone on one of the first lines after the header, with the time and place lines
    that follow it: recorded as the article's date line (and place), and skipped as header."""
    text = doc.text
    pos = doc.body_start
    seen = 0
    found = None
    headline = ""
    while pos < len(text) and seen < _MAX_DATE_LINE_LOOK:
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end].strip()
        pos = end + 1
        if not line:
            continue
        seen += 1
        found = _DATE_LINE.fullmatch(line)
        if found is not None:
            break
        if seen > 1 or len(line) > 200 or line.endswith((".", "!", "?", "”", '"')):
            return  # a line of running text: no date line under a headline here
        headline = line
    if found is None:
        return
    meta = doc.meta
    if headline and not meta.title:
        meta.title = headline.lstrip("# ").strip()
    meta.date_line = found["date"]
    meta.place = found["place"] or ""
    # a time line and a place line of their own may follow ("15:20" / "Shanghai")
    for pattern in (_TIME_LINE, _PLACE_LINE):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end].strip()
        if line and pattern.fullmatch(line) and len(line) <= 60:
            if pattern is _PLACE_LINE:
                if meta.place:
                    break
                meta.place = line
            pos = end + 1
        elif not line and pos < len(text):
            break
        else:
            break
    doc.body_start = pos
