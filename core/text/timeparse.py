"""Temporal expressions: finding them in a sentence and resolving them against a date.

Resolution always runs against the article's own date (or a sentence's reference time), never
against today, so the same article gives the same dates on every machine and every day.
Patterns are compiled once; resolving one expression is a handful of integer operations, which
is why no general date parser sits on this path (see the benchmark).
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right, insort
from datetime import date, timedelta
from functools import lru_cache

from core.text.document import Timex
from core.text.patterns import Alternatives, lowered, matches_at, occurs_any

MONTHS: dict[str, int] = {}
for _i, _name in enumerate(calendar.month_name):
    if _name:
        MONTHS[_name.lower()] = _i
        MONTHS[_name[:3].lower()] = _i
MONTHS["sept"] = 9

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "several": 3,
    "a few": 3,
    "a couple of": 2,
    "fifteen": 15,
    "twenty": 20,
}
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}


def month_number(word: str | None) -> int | None:
    if not word:
        return None
    return MONTHS.get(word.lower().rstrip("."))


_M = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_D = r"\d\d?(?:st|nd|rd|th)?"  # \d\d? rather than \d{1,2}: the same matches, and the engine can jump to a digit
_Y = r"(?:19|20)\d\d"
_NUM = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|several|a few|a couple of)"
_UNIT = r"(?:day|week|month|year|decade)s?"
_PART = r"(?:early|earlier|late|later|mid|the end of|the beginning of|the start of|the middle of|the first half of|the second half of)"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_SEASON = r"(?:spring|summer|autumn|fall|winter)"

# Order matters: longer, more specific forms first; a later match may not overlap an earlier.
_CASELESS = {
    "relative_unit",
    "ago",
    "past_span",
    "rel_word",
    "part_year",
    "part_unit",
    "season",
    "next_day",
    "decade",
    "month_of_rel",
    "rel_month",
    "this_part",
}


def _compile(name: str, source: str) -> tuple[str, re.Pattern[str], bool, bool]:
    """(name, regex, caseless, word_start): a leading \\b is checked in code and caseless patterns run
    on lower-cased text, so the engine can jump to each pattern's first letters (much faster)."""
    word_start = source.startswith(r"\b")
    if word_start:
        source = source[2:]
    caseless = name in _CASELESS
    if caseless:
        source = re.sub(r"(\\.|\?P<\w+>)|([A-Z]+)", lambda m: m[1] or m[2].lower(), source)
    return name, re.compile(source), caseless, word_start


_PATTERNS: list[tuple[str, re.Pattern[str], bool, bool]] = [
    _compile(name, p)
    for name, p in [
        ("iso", rf"\b(?P<y>{_Y})-(?P<m>\d\d)-(?P<d>\d\d)\b"),
        ("mdy_range", rf"\b(?P<m1>{_M})\s+(?P<d1>{_D})\s*[-–]\s*(?:(?P<m2>{_M})\s+)?(?P<d2>{_D}),?\s+(?P<y>{_Y})\b"),
        ("mdy", rf"\b(?P<m>{_M})\s+(?P<d>{_D}),?\s+(?P<y>{_Y})\b"),
        ("dmy", rf"\b(?P<d>{_D})\s+(?P<m>{_M}),?\s+(?P<y>{_Y})\b"),
        (
            "md_range",
            rf"\b(?P<m1>{_M})\s+(?P<d1>{_D})\s*(?:[-–]|to|and|through)\s*(?:(?P<m2>{_M})\s+)?(?P<d2>\d\d?)(?:st|nd|rd|th)?\b(?!\s*(?:percent|%|million|billion))",
        ),
        ("md", rf"\b(?P<m>{_M})\s+(?P<d>{_D})\b(?!\s*(?:percent|%|million|billion|,\s*\d))"),
        ("dm", rf"\b(?P<d>{_D})\s+(?P<m>{_M})\b"),
        ("month_of_rel", rf"\b(?P<m>{_M})\s+(?:of\s+)?(?P<rel>last|this|next)\s+year\b"),
        ("rel_month", rf"\b(?P<rel>last|this|next)\s+(?P<m>{_M})\b"),
        (
            "half_month",
            rf"\b(?P<part>first half|second half|beginning|end|middle|start)\s+of\s+(?P<m>{_M})"
            rf"(?:,?\s+(?P<y>{_Y}))?(?!\s+\d)\b",
        ),
        ("part_month_year", rf"\b(?:(?P<part>early|late|mid|mid-)\s*-?\s*)?(?P<m>{_M}),?\s+(?P<y>{_Y})\b"),
        (
            "part_month",
            rf"\b(?:in|during|by|until|since|from|of|early|late|mid-)\s+(?:(?P<part>early|late|mid)\s*-?\s*)?(?P<m>{_M})(?!\s+\d)\b",
        ),
        ("decade", r"\b(?:the\s+)?(?P<part>early|mid|late)?\s*-?\s*(?P<y>(?:19|20)\d0)'?s\b"),
        ("part_year", rf"\b(?P<part>{_PART})[- ]+(?P<rel>last|this|next)\s+year\b"),
        (
            "part_unit",
            r"\b(?P<part>early|late|mid|the end of|the beginning of|the start of|the middle of)[- ]+"
            r"(?P<rel>last|this|next)\s+(?P<unit>month|week)\b",
        ),
        (
            "season",
            rf"\b(?:(?P<part>early|late)\s+)?(?:(?P<rel>last|this|next)\s+(?P<s1>{_SEASON})|(?:the\s+)?(?P<s2>{_SEASON})\s+of\s+(?P<y>{_Y}))\b",
        ),
        ("year_span", rf"\b(?P<y1>{_Y})\s*[-–]\s*(?P<y2>{_Y}|\d\d)\b"),
        ("year", rf"\b(?:in|since|by|of|during|until|from|early|late|mid-)\s+(?:(?P<part>early|late|mid)\s*-?\s*)?(?P<y>{_Y})\b"),
        ("this_part", r"\b(?P<part>earlier|later|early|late)\s+(?:this|the)\s+(?P<unit>week|month|year)\b"),
        (
            "relative_unit",
            r"\b(?P<rel>last|this|next|the past|the previous|the coming|the following)\s+(?P<unit>week|month|year|decade|weekend)\b",
        ),
        (
            "past_span",
            rf"\b(?:during|over|in|for|throughout|within)\s+the\s+(?P<dir>past|last|previous|next|coming)\s+(?P<n>{_NUM})\s+(?P<unit>{_UNIT})\b",
        ),
        ("ago", rf"\b(?P<n>{_NUM})\s+(?P<unit>{_UNIT})\s+ago\b"),
        ("rel_word", r"\b(?P<w>yesterday|today|tomorrow|the day before yesterday|the day after tomorrow)\b"),
        (
            "next_day",
            rf"\b(?P<w>the (?:next|following|previous) day|the day before|the day after|(?P<n>{_NUM}) (?P<unit>day|week|month|year)s? (?P<dir>later|earlier|before|after))\b",
        ),
        ("weekday", rf"\b(?:on\s+|last\s+|next\s+|this\s+)?(?P<wd>{_WD})\b"),
    ]
]


_MONTH_GATE = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# A pattern runs only when one of its words occurs in the text (a fast substring test): most
# articles lack most kinds of expression, and a regex scan costs far more than `in`.
_GATES: dict[str, tuple[str, ...]] = {
    "mdy_range": _MONTH_GATE,
    "mdy": _MONTH_GATE,
    "dmy": _MONTH_GATE,
    "md_range": _MONTH_GATE,
    "md": _MONTH_GATE,
    "dm": _MONTH_GATE,
    "month_of_rel": _MONTH_GATE,
    "rel_month": _MONTH_GATE,
    "part_month_year": _MONTH_GATE,
    "part_month": _MONTH_GATE,
    "half_month": _MONTH_GATE,
    "decade": ("0s", "0's"),
    "part_year": ("year",),
    "part_unit": ("month", "week"),
    "season": ("spring", "summer", "autumn", "fall", "winter"),
    "this_part": ("week", "month", "year"),
    "relative_unit": ("week", "month", "year", "decade"),
    "past_span": ("past", "last", "previous", "next", "coming"),
    "ago": (" ago",),
    "rel_word": ("yesterday", "today", "tomorrow"),
    "next_day": ("day", "later", "earlier", "before", "after"),
    "weekday": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
}


# How each pattern is scanned: the same matches as ``pattern.finditer(target)``, found faster.
# Most date patterns turn on a month name or a year. Where those start is found once per text; a
# pattern is then tried only at the offsets its match could start at, given them: at the name or
# year itself ("at"), at the day digits before a month name ("day"), at "early"/"mid"/"late" before
# it ("part"), at "in"/"during"/… before that ("prep"); "month_of_rel" is traced back from each
# "year". Patterns that need a year are skipped outright in a text without one. Anything else is
# scanned branch by branch (core.text.patterns.Alternatives), each branch jumping to its own first letters.
_ANCHORED: dict[str, tuple[str, str]] = {
    "iso": ("at", "year"),
    "mdy_range": ("at", "month"),
    "mdy": ("at", "month"),
    "dmy": ("day", "month"),
    "md_range": ("at", "month"),
    "md": ("at", "month"),
    "dm": ("day", "month"),
    "month_of_rel": ("month_of_rel", ""),
    "part_month_year": ("part", "month"),
    "part_month": ("prep", "month"),
    "year_span": ("at", "year"),
    "year": ("prep", "year"),
}
_NEEDS_YEAR = {"iso", "mdy_range", "mdy", "dmy", "part_month_year", "year_span", "year"}
_MONTH_NAME = re.compile(_M)


@lru_cache(maxsize=1)
def _split() -> dict[str, Alternatives]:
    """The patterns scanned branch by branch, built on first use (parsing them takes a moment)."""
    return {name: Alternatives(pattern.pattern, 0, "", limit=12) for name, pattern, _c, _w in _PATTERNS if name not in _ANCHORED}


def _inner_starts(forms: list[str]) -> dict[str, tuple[int, ...]]:
    """For each way a month name can be matched, the offsets inside it where another could start
    ("jan" in "janov…": "nov"); ``finditer`` skips those, so they are tried one by one."""
    out: dict[str, tuple[int, ...]] = {}
    for f in forms:
        for whole in (f, f + "."):
            out[whole] = tuple(i for i in range(1, len(whole)) if any(g.startswith(whole[i:]) or whole[i:].startswith(g) for g in forms))
    return out


_FORMS = re.findall(r"[A-Za-z]+", _M)
_INNER = _inner_starts(_FORMS)


def _month_starts(text: str) -> list[int]:
    """Every offset where a month name starts in ``text`` (as the case-sensitive patterns see them)."""
    out = []
    for m in _MONTH_NAME.finditer(text):
        out.append(m.start())
        for i in _INNER.get(m[0], ()):
            if _MONTH_NAME.match(text, m.start() + i):
                out.append(m.start() + i)
    return sorted(set(out)) if len(out) > 1 else out


def _year_starts(text: str) -> list[int]:
    """Every offset where ``_Y`` matches: 19 or 20 and two more digits."""
    out = []
    n = len(text)
    for lead in ("19", "20"):
        i = text.find(lead)
        while i >= 0:
            if i + 3 < n and text[i + 2].isdecimal() and text[i + 3].isdecimal():
                out.append(i)
            i = text.find(lead, i + 1)
    out.sort()
    return out


def _space_run_start(target: str, pos: int) -> int:
    while pos > 0 and target[pos - 1].isspace():
        pos -= 1
    return pos


def _by_last_letter(words: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for w in words:
        out.setdefault(w[-1], []).append(w)
    return {k: tuple(v) for k, v in out.items()}


def _starts_of(target: str, end: int, words: dict[str, tuple[str, ...]]) -> list[int]:
    """Where one of ``words`` (as grouped by _by_last_letter) starts when it ends at ``end``."""
    if end == 0 or target[end - 1] not in words:
        return []
    return [end - len(w) for w in words[target[end - 1]] if end >= len(w) and target.startswith(w, end - len(w))]


def _dash_gap_ends(target: str, anchor: int) -> range:
    """Every e with target[e:anchor] matching ``\\s*-?\\s*``."""
    a = _space_run_start(target, anchor)
    if a > 0 and target[a - 1] == "-":
        return range(_space_run_start(target, a - 1), anchor + 1)
    return range(a, anchor + 1)


_DAY_ENDS = set("0123456789tdh")  # a day's last character: a digit or the end of st, nd, rd, th
_PARTS = _by_last_letter(("early", "late", "mid", "mid-"))
_PARTS_BARE = _by_last_letter(("early", "late", "mid"))
_REL_WORDS = _by_last_letter(("last", "this", "next"))
_OF = _by_last_letter(("of",))
_MONTH_FORMS_LOWER = _by_last_letter(tuple(f.lower() + dot for f in _FORMS for dot in ("", ".")))
_PREPOSITIONS = {  # the words before "(early) May" and "(early) 2000"
    "month": _by_last_letter(("in", "during", "by", "until", "since", "from", "of", "early", "late", "mid-")),
    "year": _by_last_letter(("in", "since", "by", "of", "during", "until", "from", "early", "late", "mid-")),
}


def _candidates(kind: str, anchor: str, target: str, anchors: list[int]) -> list[int]:
    """Offsets where a match of the pattern can start, given where its month names or years start."""
    if kind == "at":
        return anchors
    out: set[int] = set()
    if kind == "month_of_rel":  # "may of next year", traced back from "year"
        i = target.find("year")
        while i >= 0:
            w = _space_run_start(target, i)
            for r in _starts_of(target, w, _REL_WORDS) if w < i else ():
                w2 = _space_run_start(target, r)
                if w2 < r:
                    ends = [w2] + [w3 for o in _starts_of(target, w2, _OF) if (w3 := _space_run_start(target, o)) < o]
                    for e in ends:
                        out.update(_starts_of(target, e, _MONTH_FORMS_LOWER))
            i = target.find("year", i + 1)
        return sorted(out)
    for c in anchors:
        if kind == "day":  # "16 May", "16th  May": one or two digits and a suffix, then spaces
            w = _space_run_start(target, c)
            if 0 < w < c and (target[w - 1] in _DAY_ENDS or target[w - 1].isdecimal()):
                out.update(q for q in range(max(0, w - 4), w) if target[q].isdecimal())
        elif kind == "part":  # "May 2000", "early May 2000", "mid- May 2000"
            out.add(c)
            for e in _dash_gap_ends(target, c):
                out.update(_starts_of(target, e, _PARTS))
        else:  # prep: "in May", "during early May", "since 1999"
            words = _PREPOSITIONS[anchor]
            w = _space_run_start(target, c)
            if w < c:
                out.update(_starts_of(target, w, words))
            for e in _dash_gap_ends(target, c):
                for p in _starts_of(target, e, _PARTS_BARE):
                    w = _space_run_start(target, p)
                    if w < p:
                        out.update(_starts_of(target, w, words))
    return sorted(out)


def find_timexes(text: str, offset: int = 0) -> list[Timex]:
    """Temporal expressions in ``text`` (offsets shifted by ``offset``), not yet resolved."""
    taken_starts: list[int] = []  # spans taken so far, in order and apart
    taken_ends: list[int] = []
    found: list[Timex] = []
    lower = lowered(text)
    gates: dict[tuple[str, ...], bool] = {}
    anchors: dict[str, list[int]] = {}  # where month names and years start (the same in text and lower)
    for name, pattern, caseless, word_start in _PATTERNS:
        gate = _GATES.get(name)
        if gate:
            open_ = gates.get(gate)
            if open_ is None:
                open_ = gates[gate] = occurs_any(lower, gate)  # (answers shared with the branch gates below)
            if not open_:
                continue
        if name in _NEEDS_YEAR:
            if "year" not in anchors:
                anchors["year"] = _year_starts(text)
            if not anchors["year"]:
                continue
        target = lower if caseless else text
        if name not in _ANCHORED:
            scan = _split()[name].finditer(target)
        else:
            kind, anchor = _ANCHORED[name]
            if anchor and anchor not in anchors:
                anchors[anchor] = _month_starts(text) if anchor == "month" else _year_starts(text)
            scan = matches_at(pattern, target, _candidates(kind, anchor, target, anchors.get(anchor, [])))
        for m in scan:
            s, e = m.span()
            if word_start and s and (target[s - 1].isalnum() or target[s - 1] == "_"):
                continue
            i = bisect_right(taken_ends, s)  # the first span taken that ends after s
            if i < len(taken_starts) and taken_starts[i] < e:
                continue
            if name == "md" and _looks_like_may_verb(text, m):
                continue
            insort(taken_starts, s)
            insort(taken_ends, e)
            spec = {k: v for k, v in m.groupdict().items() if v}
            spec["kind"] = name
            bound = _BOUND_BEFORE.search(text, max(0, s - 12), s) is not None
            found.append(
                Timex(offset + s, offset + e, text[s:e], rule=f"time:{name}", spec=spec, anchor=_is_anchor(name, text[s:e]) and not bound)
            )
    found.sort(key=lambda t: t.start)
    return found


_BOUND_BEFORE = re.compile(r"\b(?:until|till|through|by|before|since)\s+$", re.I)


def _is_anchor(kind: str, text: str) -> bool:
    """Spans ("the past decade") and bounds ("until 2003") set no reference time."""
    return kind not in ("past_span", "decade", "year_span", "ago") and "past" not in text.lower()


def _looks_like_may_verb(text: str, m: re.Match[str]) -> bool:
    return m["m"].lower() == "may" and not m["m"][0].isupper()


def resolve(tx: Timex, anchor: date, future: bool | None = None, reference: date | None = None) -> Timex:
    """Fill ``tx``'s dates from ``anchor`` (the article's date).

    ``future`` says the clause looks ahead (True), back (False) or is unknown (None); it
    decides the year of a bare "May 16". ``reference`` is the narrative's current date, used by
    "the next day".
    """
    sp = tx.spec
    kind = sp["kind"]
    try:
        start, end, precision = _RESOLVERS[kind](sp, anchor, future, reference or anchor)
    except (ValueError, KeyError, OverflowError) as exc:
        if "out of range" in str(exc):  # a day no calendar has: no date, and the pipeline warns
            sp["impossible"] = True
        return tx
    if start and end and end < start:
        start, end = end, start
    tx.start_date, tx.end_date, tx.precision = start, end, precision
    return tx


_DIGITS = re.compile(r"\d+")


def _day(sp: dict, k: str = "d") -> int:
    return int(_DIGITS.match(sp[k])[0])


def _pick_year(anchor: date, month: int, day: int, future: bool | None) -> date:
    """The occurrence of month-day nearest the anchor, leaning the way the tense points."""
    options = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            options.append(date(y, month, day))
        except ValueError:
            continue
    if not options:  # "February 30", "April 31", "February 0", or February 29 far from a leap year
        raise ValueError("day is out of range for month")
    if future is True:  # nobody writes "will meet on May 10" on May 18: allow a month's slack
        ahead = [d for d in options if d >= anchor - timedelta(days=30)]
        return min(ahead) if ahead else options[-1]
    if future is False:
        behind = [d for d in options if d <= anchor + timedelta(days=30)]
        return max(behind) if behind else options[0]
    return min(options, key=lambda d: abs((d - anchor).days))


def _month_span(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _pick_month(anchor: date, m: int, future: bool | None) -> int:
    mid = _pick_year(anchor, m, 15, future)
    if future is None and mid.year != anchor.year and m == anchor.month:
        return anchor.year
    return mid.year


def _part_of(start: date, end: date, part: str | None) -> tuple[date, date]:
    """'early', 'mid', 'late' take the first, middle or last third of a span."""
    if not part:
        return start, end
    part = part.lower().strip(" -")
    total = (end - start).days + 1
    third = max(total // 3, 1)
    if part in ("early", "the beginning of", "the start of", "the first half of", "earlier"):
        return start, start + timedelta(days=(total // 2 if "half" in part else third) - 1)
    if part in ("late", "the end of", "the second half of", "later"):
        return end - timedelta(days=(total // 2 if "half" in part else third) - 1), end
    if part in ("mid", "the middle of"):
        return start + timedelta(days=third), end - timedelta(days=third)
    return start, end


def _num(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word, 1)


def _shift(anchor: date, unit: str, n: int) -> date:
    unit = unit.lower().rstrip("s")
    if unit == "day":
        return anchor + timedelta(days=n)
    if unit == "week":
        return anchor + timedelta(weeks=n)
    months = n * {"month": 1, "year": 12, "decade": 120}[unit]
    y, m = divmod(anchor.month - 1 + months, 12)
    year = anchor.year + y
    return date(year, m + 1, min(anchor.day, calendar.monthrange(year, m + 1)[1]))


def _unit_span(anchor: date, unit: str, rel: int) -> tuple[date, date, str]:
    """The calendar week/month/year ``rel`` units from the anchor's (weeks run Monday-Sunday)."""
    unit = unit.lower()
    if unit in ("week", "weekend"):
        monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=rel)
        if unit == "weekend":
            return monday + timedelta(days=5), monday + timedelta(days=6), "day"
        return monday, monday + timedelta(days=6), "day"
    if unit == "month":
        d = _shift(anchor.replace(day=1), "month", rel)
        s, e = _month_span(d.year, d.month)
        return s, e, "month"
    if unit == "decade":
        return date(anchor.year - 10, anchor.month, 1), anchor, "year"
    y = anchor.year + rel
    return date(y, 1, 1), date(y, 12, 31), "year"


_REL = {
    "last": -1,
    "previous": -1,
    "the previous": -1,
    "the past": -1,
    "this": 0,
    "next": 1,
    "the coming": 1,
    "the following": 1,
    "coming": 1,
}


def _r_iso(sp, anchor, future, ref):
    d = date(int(sp["y"]), int(sp["m"]), int(sp["d"]))
    return d, d, "day"


def _r_mdy(sp, anchor, future, ref):
    d = date(int(sp["y"]), month_number(sp["m"]), _day(sp))
    return d, d, "day"


def _r_mdy_range(sp, anchor, future, ref):
    y = int(sp["y"])
    m1 = month_number(sp["m1"])
    m2 = month_number(sp.get("m2")) or m1
    return date(y, m1, _day(sp, "d1")), date(y, m2, _day(sp, "d2")), "day"


def _r_md(sp, anchor, future, ref):
    d = _pick_year(anchor, month_number(sp["m"]), _day(sp), future)
    return d, d, "day"


def _r_md_range(sp, anchor, future, ref):
    m1 = month_number(sp["m1"])
    m2 = month_number(sp.get("m2")) or m1
    s = _pick_year(anchor, m1, _day(sp, "d1"), future)
    e = date(s.year + (1 if m2 < m1 else 0), m2, _day(sp, "d2"))
    return s, e, "day"


def _r_month_of_rel(sp, anchor, future, ref):
    y = anchor.year + _REL[sp["rel"].lower()]
    s, e = _month_span(y, month_number(sp["m"]))
    return s, e, "month"


def _r_rel_month(sp, anchor, future, ref):
    m = month_number(sp["m"])
    rel = sp["rel"].lower()
    if rel == "this":
        y = anchor.year
    elif rel == "last":
        y = anchor.year if m < anchor.month else anchor.year - 1
    else:
        y = anchor.year if m > anchor.month else anchor.year + 1
    s, e = _month_span(y, m)
    return s, e, "month"


def _r_part_month_year(sp, anchor, future, ref):
    s, e = _month_span(int(sp["y"]), month_number(sp["m"]))
    s, e = _part_of(s, e, sp.get("part"))
    return s, e, "month"


def _r_part_month(sp, anchor, future, ref):
    m = month_number(sp["m"])
    s, e = _month_span(_pick_month(anchor, m, future), m)
    s, e = _part_of(s, e, sp.get("part"))
    return s, e, "month"


def _r_decade(sp, anchor, future, ref):
    y = int(sp["y"])
    s, e = _part_of(date(y, 1, 1), date(y + 9, 12, 31), sp.get("part"))
    return s, e, "year"


def _r_part_year(sp, anchor, future, ref):
    """ "early next year", "late last month", "later this week": a part of the unit, at its own precision
    (a third of a year is months, not 1 January; of a week, days)."""
    unit = sp.get("unit", "year").lower()
    s, e, _precision = _unit_span(anchor, unit, _REL[sp["rel"].lower()])
    s, e = _part_of(s, e, sp["part"])
    return s, e, "day" if unit == "week" else "month"


def _r_half_month(sp, anchor, future, ref):
    """ "the second half of April (2019)": that part of the month, month precision (no day is named)."""
    m = month_number(sp["m"])
    y = int(sp["y"]) if sp.get("y") else _pick_month(anchor, m, future)
    s, e = _month_span(y, m)
    part = sp["part"].lower()
    s, e = _part_of(s, e, {"beginning": "early", "start": "early", "end": "late", "middle": "mid"}.get(part, f"the {part} of"))
    return s, e, "month"


def _r_season(sp, anchor, future, ref):
    name = (sp.get("s1") or sp.get("s2")).lower()
    m1, m2 = SEASONS[name]
    if sp.get("y"):
        y = int(sp["y"])
    else:
        rel = _REL[sp["rel"].lower()]
        cur = anchor.year
        season_start = date(cur, m1, 1)
        y = cur + rel if rel else cur
        if rel == 1 and season_start > anchor:
            y = cur
        if rel == -1 and date(cur, m2 if m2 > m1 else 12, 28) < anchor:
            y = cur
    s = date(y, m1, 1)
    e_year = y + 1 if m2 < m1 else y
    e = date(e_year, m2, calendar.monthrange(e_year, m2)[1])
    s, e = _part_of(s, e, sp.get("part"))
    return s, e, "month"


def _r_year_span(sp, anchor, future, ref):
    y1 = int(sp["y1"])
    y2 = sp["y2"]
    y2i = int(y2) if len(y2) == 4 else (y1 // 100) * 100 + int(y2)
    if y2i < y1:
        raise ValueError("backwards span")
    return date(y1, 1, 1), date(y2i, 12, 31), "year"


def _r_year(sp, anchor, future, ref):
    y = int(sp["y"])
    s, e = _part_of(date(y, 1, 1), date(y, 12, 31), sp.get("part"))
    return s, e, "year"


def _r_this_part(sp, anchor, future, ref):
    unit = sp["unit"].lower()
    s, e, precision = _unit_span(anchor, unit, 0)
    part = sp["part"].lower()
    if part in ("later", "late"):
        s = max(s, anchor + timedelta(days=1)) if part == "later" else _part_of(s, e, "late")[0]
    else:
        e = min(e, anchor - timedelta(days=1)) if part == "earlier" else _part_of(s, e, "early")[1]
    if e < s:
        e = s
    return s, e, precision


def _r_relative_unit(sp, anchor, future, ref):
    rel = _REL[sp["rel"].lower()]
    unit = sp["unit"].lower()
    if sp["rel"].lower() == "the past":
        precision = {"week": "day", "weekend": "day", "month": "month"}.get(unit, "year")
        return _shift(anchor, unit, -1), anchor, precision
    return _unit_span(anchor, unit, rel)


def _r_past_span(sp, anchor, future, ref):
    n = _num(sp["n"])
    unit = sp["unit"].lower()
    if sp["dir"].lower() in ("next", "coming"):
        return anchor, _shift(anchor, unit, n), "year" if "year" in unit or "decade" in unit else "month"
    return _shift(anchor, unit, -n), anchor, "year" if "year" in unit or "decade" in unit else "month"


def _r_ago(sp, anchor, future, ref):
    d = _shift(anchor, sp["unit"], -_num(sp["n"]))
    unit = sp["unit"].lower().rstrip("s")
    precision = {"day": "day", "week": "day", "month": "month"}.get(unit, "year")
    if precision == "month":
        s, e = _month_span(d.year, d.month)
        return s, e, precision
    if precision == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31), precision
    return d, d, precision


def _r_rel_word(sp, anchor, future, ref):
    shift = {"yesterday": -1, "today": 0, "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2}[sp["w"].lower()]
    d = anchor + timedelta(days=shift)
    return d, d, "day"


def _r_next_day(sp, anchor, future, ref):
    w = sp["w"].lower()
    if sp.get("n"):
        sign = 1 if sp["dir"].lower() in ("later", "after") else -1
        d = _shift(ref, sp["unit"], sign * _num(sp["n"]))
    else:
        d = ref + timedelta(days=1 if ("next" in w or "following" in w or "after" in w) else -1)
    return d, d, "day"


def _r_weekday(sp, anchor, future, ref):
    target = WEEKDAYS[sp["wd"].lower()]
    delta = (anchor.weekday() - target) % 7
    if future:
        ahead = (target - anchor.weekday()) % 7 or 7
        d = anchor + timedelta(days=ahead)
    else:
        d = anchor - timedelta(days=delta or 7)
    return d, d, "day"


_RESOLVERS = {
    "iso": _r_iso,
    "mdy": _r_mdy,
    "dmy": _r_mdy,
    "mdy_range": _r_mdy_range,
    "md": _r_md,
    "dm": _r_md,
    "md_range": _r_md_range,
    "month_of_rel": _r_month_of_rel,
    "rel_month": _r_rel_month,
    "part_month_year": _r_part_month_year,
    "part_month": _r_part_month,
    "half_month": _r_half_month,
    "part_unit": _r_part_year,
    "decade": _r_decade,
    "part_year": _r_part_year,
    "season": _r_season,
    "year_span": _r_year_span,
    "year": _r_year,
    "this_part": _r_this_part,
    "relative_unit": _r_relative_unit,
    "past_span": _r_past_span,
    "ago": _r_ago,
    "rel_word": _r_rel_word,
    "next_day": _r_next_day,
    "weekday": _r_weekday,
}
