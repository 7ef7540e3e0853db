"""Frozen copy of core/filters.py and core/exports.py filters_text as of 4e002e5, before the FilterSpec registry.

The oracle of tests/test_filters_registry.py: the registry must give byte-identical URLs, captions,
slugs, notices and filtered tables for every filter state. Never edit; delete with that test once
the registry has been in use for a release.
"""

# ruff: noqa
from __future__ import annotations

import math
import re
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date

import numpy as np
import pandas as pd

from core.query import memo
from core.domain.gazetteer import counts_as, successors
from core.domain.rules import STATUSES

QUAD_NAMES: dict[int, str] = {
    1: "Verbal cooperation",
    2: "Material cooperation",
    3: "Verbal conflict",
    4: "Material conflict",
}
ORIGINS = ("article", "reference")

#: Query-param key of each Filters field (short keys keep copied links readable).
PARAM_KEYS: dict[str, str] = {
    "start": "from",
    "end": "to",
    "actors": "actor",
    "quad_classes": "quad",
    "event_types": "type",
    "topics": "topic",
    "statuses": "status",
    "agencies": "agency",
    "origins": "origin",
}
FILTER_PARAMS = frozenset(PARAM_KEYS.values())
#: Keys whose values may also be written comma-separated by hand (``?quad=1,2``).
_COMMA_KEYS = frozenset({"quad", "status", "origin"})
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Filters:
    """What the analyst asked to see; an empty tuple or None means "no restriction"."""

    start: date | None = None
    end: date | None = None
    actors: tuple[str, ...] = ()
    quad_classes: tuple[int, ...] = ()
    event_types: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        """True when nothing narrows the corpus (the default view)."""
        return self == Filters()


# --------------------------------------------------------------------------- small helpers


def is_missing(value: object) -> bool:
    """None, NaN and blank strings all mean "unknown" in the store's tables."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        if pd.isna(value):  # pandas NA / NaT
            return True
    except (TypeError, ValueError):
        pass
    return isinstance(value, str) and not value.strip()


def split_list(value: object, sep: str = ";") -> list[str]:
    """Split a ';'-joined cell (actors, sources, topics) into clean, non-empty items."""
    if not isinstance(value, str):  # strings skip is_missing: it is the slow part at 150k cells
        if is_missing(value):
            return []
        value = str(value)
    if sep not in value:
        one = value.strip()
        return [one] if one else []
    return [part.strip() for part in value.split(sep) if part.strip()]


def text(series: pd.Series) -> pd.Series:
    """A column as plain strings with '' for missing, whatever dtype the store gave it."""
    return series.astype(object).where(series.notna(), "").astype(str)


def to_datetime(series: pd.Series) -> pd.Series:
    """Parse ISO dates ('YYYY-MM-DD', also 'YYYY-MM' / 'YYYY'); unknown becomes NaT."""
    raw = text(series).str.strip().str.slice(0, 10)
    raw = raw.where(raw.str.len() != 4, raw + "-01-01")
    raw = raw.where(raw.str.len() != 7, raw + "-01")
    return pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")


def parse_date(value: object) -> date | None:
    """One ISO date, or None when it is not a real 'YYYY-MM-DD' date."""
    if is_missing(value):
        return None
    raw = str(value).strip()
    if not _ISO.match(raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def format_date(value: date | pd.Timestamp | None) -> str:
    """'3 Jan 1999': day first and unambiguous for briefings."""
    if value is None or (isinstance(value, pd.Timestamp) and pd.isna(value)):
        return "?"
    return f"{value.day} {value.strftime('%b %Y')}"


def _as_date(value: object) -> date | None:
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, date):
        return value
    return parse_date(str(value)[:10]) if not is_missing(value) else None


def format_when(start: object, end: object = None, precision: object = "day") -> str:
    """A date as precise as the text said it, never more: '3 Jan 1999', '2–4 Sep 1999', 'Jun 2024',
    'Jan–May 2001', '2001', '1996–1998', '1990s'.

    A month or a year is stored as its first day (2024-06-01); printing that day would state a
    precision the source never gave, so every table, hover, caption and export goes through here.
    """
    s = _as_date(start)
    if s is None:
        return "?"
    e = _as_date(end) or s
    if e < s:
        e = s
    prec = str(precision or "day").strip().lower()
    if prec == "decade":
        return f"{s.year // 10 * 10}s" if e.year // 10 == s.year // 10 else f"{s.year // 10 * 10}s–{e.year // 10 * 10}s"
    if prec == "year":
        return str(s.year) if e.year == s.year else f"{s.year}–{e.year}"
    if prec == "month":
        if (e.year, e.month) == (s.year, s.month):
            return s.strftime("%b %Y")
        if e.year == s.year:
            return f"{s.strftime('%b')}–{e.strftime('%b %Y')}"
        return f"{s.strftime('%b %Y')} – {e.strftime('%b %Y')}"
    if e == s:
        return format_date(s)
    if (e.year, e.month) == (s.year, s.month):
        return f"{s.day}–{e.day} {s.strftime('%b %Y')}"
    if e.year == s.year:
        return f"{s.day} {s.strftime('%b')} – {format_date(e)}"
    return f"{format_date(s)} – {format_date(e)}"


def when_column(df: pd.DataFrame, start: str = "start_date", end: str = "end_date", precision: str = "date_precision") -> pd.Series:
    """:func:`format_when` for every row of a table (missing columns read as day precision, no end)."""
    if df is None or df.empty:
        return pd.Series(dtype=object)
    n = len(df)
    starts = df[start].tolist() if start in df.columns else [None] * n
    ends = df[end].tolist() if end in df.columns else [None] * n
    precs = df[precision].tolist() if precision in df.columns else ["day"] * n
    return pd.Series([format_when(a, b, p) for a, b, p in zip(starts, ends, precs, strict=False)], index=df.index, dtype=object)


def empty_tables() -> dict[str, pd.DataFrame]:
    """Every table of the schema with no rows (an empty corpus)."""
    from core.domain.schema import TABLES

    return {name: pd.DataFrame({c: pd.Series(dtype=object) for c in cols}) for name, cols in TABLES.items()}


def ensure_tables(tables: Mapping[str, pd.DataFrame] | None) -> dict[str, pd.DataFrame]:
    """Fill in any missing table or column so downstream code can index freely."""
    from core.domain.schema import TABLES

    out: dict[str, pd.DataFrame] = {}
    tables = tables or {}
    for name, cols in TABLES.items():
        df = tables.get(name)
        if df is None:
            df = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
        else:
            missing = [c for c in cols if c not in df.columns]
            if missing:
                df = df.copy()
                for c in missing:
                    df[c] = pd.Series([None] * len(df), index=df.index, dtype=object)
        out[name] = df
    for name, df in tables.items():
        out.setdefault(name, df)
    return out


def actor_country_map(actors: pd.DataFrame) -> dict[str, str]:
    """actor_id -> ISO3 country, a historical state counted as its successor (USSR → Russia)."""
    if actors is None or actors.empty:
        return {}
    ids = text(actors["actor_id"])
    countries = text(actors["country"]).str.upper().replace(successors())
    return dict(zip(ids, countries, strict=False))


def actor_names(actors: pd.DataFrame) -> dict[str, str]:
    """actor_id -> display name (the id itself when the name is unknown)."""
    if actors is None or actors.empty:
        return {}
    ids = text(actors["actor_id"])
    names = text(actors["name"])
    return {i: (n or i) for i, n in zip(ids, names, strict=False)}


def _year_window() -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    from core.domain.bounds import bounds

    b = bounds()
    return (int(b["min_year"]), 1, 1), (int(b["max_year"]), 12, 31)


def corpus_span(tables: Mapping[str, pd.DataFrame]) -> tuple[date, date] | None:
    """First and last known date over events, amounts and articles (None when no dates)."""
    parts: list[pd.Series] = []
    ev = tables.get("events")
    if ev is not None and not ev.empty:
        parts += list(event_dates(ev))
    am = tables.get("amounts")
    if am is not None and not am.empty:
        parts += [_as_of(am)]
    ar = tables.get("articles")
    if ar is not None and not ar.empty:
        parts += [_published(ar)]
    # dates outside data/bounds.yaml's years (a misread "9999") do not stretch the range
    lo_ts, hi_ts = (pd.Timestamp(year=y, month=m, day=d) for y, m, d in _year_window())
    parts = [p[(p >= lo_ts) & (p <= hi_ts)] for p in parts]
    lows = [p.min() for p in parts if p.notna().any()]
    highs = [p.max() for p in parts if p.notna().any()]
    if not lows:
        return None
    return min(lows).date(), max(highs).date()


def options(tables: Mapping[str, pd.DataFrame]) -> dict[str, list]:
    """The values each filter can take in this corpus (used to drop stale params).

    Read from the per-table indexes (:mod:`core.query.memo`): every page run asks, so it must not scan
    150,000 events each time.
    """
    ev = tables.get("events", pd.DataFrame())
    am = tables.get("amounts", pd.DataFrame())
    ci = tables.get("citations", pd.DataFrame())
    ac = tables.get("actors", pd.DataFrame())
    topics: set[str] = set()
    agencies: set[str] = set()
    types: set[str] = set()
    if not ev.empty:
        topics.update(list_index(ev, "topics"))
        agencies.update(list_index(ev, "sources"))
        types.update(t for t in _distinct(ev, "event_type") if t)
    if not am.empty:
        topics.update(list_index(am, "topics"))
    if ci is not None and not ci.empty:
        for found in _article_agencies(ci).values():
            agencies.update(found)
    actor_ids = sorted(set(_text_of(ac, "actor_id")) - {""}) if not ac.empty else []
    return {
        "actors": actor_ids,
        "quad_classes": sorted(QUAD_NAMES),
        "event_types": sorted(types),
        "topics": sorted(topics),
        "statuses": list(STATUSES),
        "agencies": sorted(agencies, key=str.lower),
        "origins": list(ORIGINS),
    }


def _distinct(df: pd.DataFrame, col: str) -> list[str]:
    """The distinct values of a text column (memoised per table)."""
    return memo.derived(df, f"distinct:{col}", lambda d: list(pd.unique(_text_of(d, col))))


def agencies_of(df: pd.DataFrame) -> set[str]:
    """Agencies named in a table's ';'-joined ``sources`` column."""
    return set(list_index(df, "sources")) if "sources" in df.columns and not df.empty else set()


def article_ids_of(df: pd.DataFrame) -> set[str]:
    """The non-empty article ids of a table's rows."""
    if "article_id" not in df.columns or df.empty:
        return set()
    return set(memo.derived(df, "article_ids", lambda d: set(_text_of(d, "article_id")) - {""}))


def agencies_cited_in(citations: pd.DataFrame | None, article_ids: set[str]) -> set[str]:
    """Agencies in the source notes of the given articles."""
    by_article = _article_agencies(citations)
    out: set[str] = set()
    for aid in article_ids:
        out |= by_article.get(aid, set())
    return out


# --------------------------------------------------------------------------- query params


def _values(raw: object, key: str) -> list[str]:
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, Iterable) else [raw]
    out: list[str] = []
    for item in items:
        s = str(item).strip()
        if not s:
            continue
        if key in _COMMA_KEYS:
            out += [p.strip() for p in s.split(",") if p.strip()]
        else:
            out.append(s)
    # keep the first occurrence of each value, in order
    return list(dict.fromkeys(out))


def from_query_params(
    params: Mapping[str, object],
    tables: Mapping[str, pd.DataFrame] | None = None,
) -> tuple[Filters, list[str]]:
    """Read filters from URL params; anything malformed or stale is dropped with a notice.

    Keys that are not filter keys are ignored here (pages own them). With ``tables``, values
    that no longer exist in the corpus (an actor id, an agency) are dropped as stale and dates
    are clamped to the corpus span.
    """
    notices: list[str] = []
    valid = options(tables) if tables is not None else None
    kwargs: dict[str, object] = {}

    for field_name in ("start", "end"):
        key = PARAM_KEYS[field_name]
        vals = _values(params.get(key), key)
        if not vals:
            continue
        parsed = parse_date(vals[-1])
        if parsed is None:
            notices.append(f"Ignored '{key}={vals[-1]}': not a date in the form YYYY-MM-DD.")
            continue
        kwargs[field_name] = parsed

    start, end = kwargs.get("start"), kwargs.get("end")
    if isinstance(start, date) and isinstance(end, date) and start > end:
        notices.append("Ignored the date range: 'from' is after 'to'.")
        kwargs.pop("start")
        kwargs.pop("end")

    for field_name in ("actors", "quad_classes", "event_types", "topics", "statuses", "agencies", "origins"):
        key = PARAM_KEYS[field_name]
        vals = _values(params.get(key), key)
        if not vals:
            continue
        kept: list[object] = []
        bad: list[str] = []
        for v in vals:
            if field_name == "quad_classes":
                # ASCII digits only: str.isdigit() accepts "¹" or "٣", which int() refuses
                if _DIGITS.fullmatch(v) and int(v) in QUAD_NAMES:
                    kept.append(int(v))
                else:
                    bad.append(v)
            elif field_name == "statuses":
                (kept if v in STATUSES else bad).append(v)
            elif field_name == "origins":
                (kept if v in ORIGINS else bad).append(v)
            elif valid is not None:
                (kept if v in set(valid[field_name]) else bad).append(v)
            else:
                kept.append(v)
        if bad:
            what = "unknown" if field_name in ("quad_classes", "statuses", "origins") else "not in the corpus"
            notices.append(f"Ignored {key}: {', '.join(repr(b) for b in bad)} ({what}).")
        if kept:
            kwargs[field_name] = tuple(dict.fromkeys(kept))

    filters = Filters(**kwargs)  # type: ignore[arg-type]
    if tables is not None:
        filters, clamp_notes = clamp_dates(filters, corpus_span(tables))
        notices += clamp_notes
    return filters, notices


def clamp_dates(filters: Filters, span: tuple[date, date] | None) -> tuple[Filters, list[str]]:
    """Keep the date range inside the corpus span; a range equal to the span means "all"."""
    notes: list[str] = []
    if span is None:
        if filters.start or filters.end:
            notes.append("Ignored the date range: the corpus has no dated records.")
        return replace(filters, start=None, end=None), notes
    lo, hi = span
    start, end = filters.start, filters.end
    if (start is not None and start > hi) or (end is not None and end < lo):
        notes.append("Ignored the date range: it lies outside the corpus span.")
        return replace(filters, start=None, end=None), notes
    if start is not None and start <= lo:
        start = None
    if end is not None and end >= hi:
        end = None
    return replace(filters, start=start, end=end), notes


def to_query_params(filters: Filters) -> dict[str, str | list[str]]:
    """The URL params of a filter set: single values as str, several as a list (repeated keys)."""
    out: dict[str, str | list[str]] = {}
    for f in fields(filters):
        value = getattr(filters, f.name)
        key = PARAM_KEYS[f.name]
        if value is None or value == ():
            continue
        if isinstance(value, date):
            out[key] = value.isoformat()
        else:
            vals = [str(v) for v in value]
            out[key] = vals[0] if len(vals) == 1 else vals
    return out


def slug(filters: Filters, names: Mapping[str, str] | None = None) -> str:
    """A short file-name-safe summary of the filters, for exported PNG names."""
    parts: list[str] = []
    if filters.start or filters.end:
        parts.append(f"{filters.start or 'start'}_{filters.end or 'end'}")
    if filters.actors:
        names = names or {}
        parts.append("-".join(names.get(a, a) for a in filters.actors[:3]))
    if filters.quad_classes:
        parts.append("q" + "".join(str(q) for q in filters.quad_classes))
    for vals in (filters.event_types, filters.topics, filters.statuses, filters.agencies, filters.origins):
        if vals:
            parts.append("-".join(vals[:2]))
    raw = "_".join(parts) or "all"
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", raw).strip("-").lower()[:80] or "all"


# --------------------------------------------------------------------------- applying


def _text_of(df: pd.DataFrame, col: str) -> pd.Series:
    return memo.derived(df, f"text:{col}", lambda d: text(d[col]))


def list_index(df: pd.DataFrame, col: str) -> dict[str, np.ndarray]:
    """Inverted index of a ';'-list column (built once per table)."""
    return memo.derived(df, f"list:{col}", lambda d: memo.token_positions([split_list(v) for v in d[col].to_numpy(dtype=object)]))


def _any_in(df: pd.DataFrame, col: str, wanted: set[str]) -> np.ndarray:
    return memo.rows_with_any(list_index(df, col), wanted, len(df))


def _article_rows(df: pd.DataFrame) -> dict[str, np.ndarray]:
    return memo.derived(df, "article_rows", lambda d: memo.group_positions(text(d["article_id"])))


def _article_codes(ev: pd.DataFrame) -> tuple[np.ndarray, pd.Index]:
    return memo.derived(ev, "article_codes", lambda d: pd.factorize(_text_of(d, "article_id")))


def _as_of(am: pd.DataFrame) -> pd.Series:
    return memo.derived(am, "as_of", lambda d: to_datetime(d["as_of_date"]))


def _published(ar: pd.DataFrame) -> pd.Series:
    return memo.derived(ar, "published", lambda d: to_datetime(d["published_date"]))


def event_dates(ev: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(start, end) of each event as parsed (NaT when unknown), once per table."""
    return memo.derived(ev, "event_dates", lambda d: (to_datetime(d["start_date"]), to_datetime(d["end_date"])))


def _event_span(ev: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(start, end) of each event; a missing or earlier end is the start."""

    def build(d: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
        s, e = event_dates(d)
        return s, e.where(e.notna() & (e >= s), s)

    return memo.derived(ev, "event_span", build)


def period_end(start: pd.Series, end: pd.Series, precision: pd.Series) -> pd.Series:
    """The last day a date can mean: its stated end, else the end of its month, year or decade.

    "June 2024" is stored as 2024-06-01; as a period it runs to 30 June, and a chart that draws
    it must cover the month rather than pin it on the first.
    """
    prec = text(precision).str.strip().str.lower()
    implied = start.copy()
    for name, offset in (("month", pd.offsets.MonthEnd(0)), ("year", pd.offsets.YearEnd(0))):
        sel = (prec == name) & start.notna()
        implied[sel] = start[sel] + offset
    dec = (prec == "decade") & start.notna()
    implied[dec] = [pd.Timestamp(d.year // 10 * 10 + 9, 12, 31) for d in start[dec]]
    return end.where(end.notna() & (end > start), implied)


def event_actor_index(ev: pd.DataFrame) -> dict[str, np.ndarray]:
    """actor -> rows where the actor is listed or is the source or target."""

    def build(d: pd.DataFrame) -> dict[str, np.ndarray]:
        return memo.token_positions(
            [
                [*split_list(a), *(x for x in (s, t) if x)]
                for a, s, t in zip(
                    d["actors"].to_numpy(dtype=object),
                    text(d["source_actor"]).to_numpy(dtype=object),
                    text(d["target_actor"]).to_numpy(dtype=object),
                    strict=False,
                )
            ]
        )

    return memo.derived(ev, "actor_index", build)


def event_participant_index(ev: pd.DataFrame) -> dict[str, np.ndarray]:
    """actor -> rows where the actor takes part: the source or the target of the event.

    An actor only named in the sentence ("Kim praised Russia's struggle in Ukraine": Ukraine) does
    not take part; an event with neither a source nor a target falls back on the actors it names.
    """

    def build(d: pd.DataFrame) -> dict[str, np.ndarray]:
        return memo.token_positions(
            [
                [x for x in (s, t) if x] or split_list(a)
                for a, s, t in zip(
                    d["actors"].to_numpy(dtype=object),
                    text(d["source_actor"]).str.strip().to_numpy(dtype=object),
                    text(d["target_actor"]).str.strip().to_numpy(dtype=object),
                    strict=False,
                )
            ]
        )

    return memo.derived(ev, "participant_index", build)


def _article_agencies(citations: pd.DataFrame | None) -> dict[str, set[str]]:
    if citations is None or citations.empty:
        return {}

    def build(c: pd.DataFrame) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for aid, agency in zip(text(c["article_id"]), text(c["agency"]), strict=False):
            if agency.strip():
                out.setdefault(aid, set()).add(agency.strip())
        return out

    return memo.derived(citations, "article_agencies", build)


def _articles_citing(citations: pd.DataFrame | None, wanted: set[str]) -> set[str]:
    return {aid for aid, agencies in _article_agencies(citations).items() if agencies & wanted}


def _date_mask(dates: pd.Series, filters: Filters) -> pd.Series:
    keep = dates.notna()
    if filters.start is not None:
        keep &= dates >= pd.Timestamp(filters.start)
    if filters.end is not None:
        keep &= dates <= pd.Timestamp(filters.end)
    return keep


def filter_events(tables: Mapping[str, pd.DataFrame], filters: Filters) -> pd.DataFrame:
    """The events that match every filter (an event matches an actor filter if any actor does)."""
    ev = tables["events"]
    return ev if ev.empty else ev[_event_mask(tables, filters)]


def _event_mask(tables: Mapping[str, pd.DataFrame], filters: Filters) -> np.ndarray:
    ev = tables["events"]
    keep = np.ones(len(ev), dtype=bool)
    if filters.start is not None or filters.end is not None:
        s, e = _event_span(ev)
        in_range = s.notna()
        if filters.start is not None:
            in_range &= e >= pd.Timestamp(filters.start)
        if filters.end is not None:
            in_range &= s <= pd.Timestamp(filters.end)
        keep &= in_range.to_numpy()
    if filters.actors:
        keep &= memo.rows_with_any(event_actor_index(ev), set(filters.actors), len(ev))
    if filters.quad_classes:
        quad = memo.derived(ev, "quad", lambda d: pd.to_numeric(d["quad_class"], errors="coerce"))
        keep &= quad.isin(list(filters.quad_classes)).to_numpy()
    if filters.event_types:
        keep &= _text_of(ev, "event_type").isin(list(filters.event_types)).to_numpy()
    if filters.topics:
        keep &= _any_in(ev, "topics", set(filters.topics))
    if filters.statuses:
        keep &= _text_of(ev, "status").isin(list(filters.statuses)).to_numpy()
    if filters.origins:
        keep &= _origin(ev).isin(list(filters.origins)).to_numpy()
    if filters.agencies:
        # an event's own sources decide; an event without any takes its article's source notes
        wanted = set(filters.agencies)
        no_own = source_counts(ev) == 0
        citing = _text_of(ev, "article_id").isin(_articles_citing(tables.get("citations"), wanted)).to_numpy()
        keep &= _any_in(ev, "sources", wanted) | (no_own & citing)
    return keep


def _origin(df: pd.DataFrame) -> pd.Series:
    return memo.derived(df, "origin", origin_of)


def source_counts(ev: pd.DataFrame) -> np.ndarray:
    """Agencies each event names in its own ``sources`` (memoised per table)."""
    return memo.derived(
        ev, "source_counts", lambda d: np.array([len(split_list(v)) for v in d["sources"].to_numpy(dtype=object)], dtype=np.int64)
    )


def origin_of(df: pd.DataFrame) -> pd.Series:
    """'reference' or 'article' per row; a blank origin counts as 'article'."""
    if "origin" not in df.columns:
        return pd.Series("article", index=df.index)
    o = text(df["origin"]).str.strip().str.lower()
    return o.where(o != "", "article")


def _party_index(am: pd.DataFrame) -> dict[str, np.ndarray]:
    """Raw party value (from/to actor, debtor, creditor) -> rows naming it."""
    cols = [c for c in ("from_actor", "to_actor", "debtor", "creditor") if c in am.columns]

    def build(d: pd.DataFrame) -> dict[str, np.ndarray]:
        cells = [[] for _ in range(len(d))]
        for c in cols:
            for i, v in enumerate(d[c]):
                raw = "" if is_missing(v) else str(v).strip()
                if raw:
                    cells[i].append(raw)
        return memo.token_positions(cells)

    return memo.derived(am, "parties", build)


def filter_amounts(tables: Mapping[str, pd.DataFrame], filters: Filters) -> pd.DataFrame:
    """Amounts in range; an actor filter keeps figures whose parties (from/to actor) are that
    actor or its country (a minister narrows to his country's debt), agencies via the article's
    source notes."""
    am = tables["amounts"]
    if am.empty:
        return am
    keep = np.ones(len(am), dtype=bool)
    if filters.start is not None or filters.end is not None:
        d = _as_of(am)
        keep &= _date_mask(d, filters).to_numpy()
    if filters.actors:
        countries = actor_country_map(tables.get("actors"))
        wanted = set(filters.actors) | {countries.get(a, "") for a in filters.actors}
        wanted.discard("")
        index = _party_index(am)
        involved = {raw for raw in index if raw in wanted or countries.get(raw, raw.upper()) in wanted or counts_as(raw) in wanted}
        keep &= memo.rows_with_any(index, involved, len(am))
    if filters.topics:
        keep &= _any_in(am, "topics", set(filters.topics))
    if filters.origins:
        keep &= _origin(am).isin(list(filters.origins)).to_numpy()
    if filters.agencies:
        keep &= _text_of(am, "article_id").isin(_articles_citing(tables.get("citations"), set(filters.agencies))).to_numpy()
    return am[keep]


def filter_articles(tables: Mapping[str, pd.DataFrame], filters: Filters, event_article_ids: set[str]) -> pd.DataFrame:
    """Articles in range that mention the actors and cite the agencies, plus every article a
    matching event came from (an event in May may be reported in an August article)."""
    ar = tables["articles"]
    if ar.empty:
        return ar
    keep = pd.Series(True, index=ar.index)
    if filters.start is not None or filters.end is not None:
        keep &= _date_mask(_published(ar), filters)
    ids = _text_of(ar, "article_id")
    if filters.actors:
        me = tables.get("mentions")
        mentioned: set[str] = set()
        if me is not None and not me.empty:
            by_actor = _actor_articles(me)
            for a in filters.actors:
                mentioned |= by_actor.get(a, set())
        keep &= ids.isin(mentioned)
    if filters.agencies:
        keep &= ids.isin(_articles_citing(tables.get("citations"), set(filters.agencies)))
    if filters.origins:
        keep &= _origin(ar).isin(list(filters.origins))
    narrows_events_only = bool(filters.quad_classes or filters.event_types or filters.statuses or filters.topics)
    if narrows_events_only:
        keep &= False
    keep |= ids.isin(event_article_ids)
    return ar[keep]


def _actor_articles(mentions: pd.DataFrame) -> dict[str, set[str]]:
    """actor -> articles that mention it."""

    def build(m: pd.DataFrame) -> dict[str, set[str]]:
        pairs = pd.DataFrame({"actor": text(m["actor_id"]), "article": text(m["article_id"])}).drop_duplicates()
        return {str(a): set(g) for a, g in pairs.groupby("actor", sort=False)["article"]}

    return memo.derived(mentions, "actor_articles", build)


def _rows_of_articles(df: pd.DataFrame, article_ids: set[str]) -> pd.DataFrame:
    index = _article_rows(df)
    return df[memo.rows_with_any(index, article_ids, len(df))]


def warm(tables: Mapping[str, pd.DataFrame]) -> None:
    """Build the indexes behind every filter now (once per corpus version), not on the first click."""
    tables = ensure_tables(tables)
    ev, am = tables["events"], tables["amounts"]
    if not ev.empty:
        _event_span(ev)
        event_actor_index(ev)
        list_index(ev, "topics")
        _article_codes(ev)
        if not tables["relations"].empty:
            _event_relation_pairs(ev, tables["relations"])
    if not am.empty:
        _as_of(am)
        _party_index(am)
    if not tables["articles"].empty:
        _published(tables["articles"])
        _text_of(tables["articles"], "article_id")
    if not tables["mentions"].empty:
        _actor_articles(tables["mentions"])
    for name in ("mentions", "sentences", "citations"):
        if not tables[name].empty:
            _article_rows(tables[name])
    options(tables)  # asked by every page run: its sets come from the same kind of indexes
    corpus_span(tables)
    if not ev.empty:
        article_ids_of(ev)


def apply(tables: Mapping[str, pd.DataFrame], filters: Filters) -> dict[str, pd.DataFrame]:
    """The tables narrowed by the filters.

    events and amounts are filtered directly; articles are those in range (or behind a kept
    event); mentions, sentences and citations follow their articles; relations keep the pairs
    with at least one kept event (pages rebuild the counts from the kept events); actors stay
    whole because they are a lookup. Indexes behind the filters are built once per table
    (:mod:`core.query.memo`), so a filter change costs milliseconds at corpus size.
    """
    tables = ensure_tables(tables)
    if filters.is_empty():  # the default view: nothing to narrow (saves a second at corpus size)
        return dict(tables)
    out = dict(tables)
    ev = tables["events"]
    ev_keep = _event_mask(tables, filters) if not ev.empty else np.zeros(0, dtype=bool)
    out["events"] = ev[ev_keep] if not ev.empty else ev
    out["amounts"] = filter_amounts(tables, filters)
    codes, uniques = _article_codes(ev)
    ev_articles = set(uniques[np.unique(codes[ev_keep])]) - {""} if len(ev) else set()
    articles = filter_articles(tables, filters, ev_articles)
    out["articles"] = articles
    kept_ids = set(text(articles["article_id"]))
    for name in ("mentions", "sentences", "citations"):
        df = tables[name]
        out[name] = _rows_of_articles(df, kept_ids) if not df.empty else df
    rel = tables["relations"]
    if not rel.empty:
        ev_pos, rel_pos = _event_relation_pairs(ev, rel)
        rel_keep = np.zeros(len(rel), dtype=bool)
        rel_keep[rel_pos[ev_keep[ev_pos]]] = True
        out["relations"] = rel[rel_keep]
    return out


def _event_relation_pairs(ev: pd.DataFrame, rel: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(event row, relation row) for every event a relation lists: maps an event mask onto relations."""

    def build(r: pd.DataFrame) -> tuple[weakref.ref, np.ndarray, np.ndarray]:
        pos = {eid: i for i, eid in enumerate(_text_of(ev, "event_id"))}
        pairs = [(pos[e], j) for j, cell in enumerate(r["event_ids"]) for e in split_list(cell) if e in pos]
        arr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        return weakref.ref(ev), arr[:, 0], arr[:, 1]

    ref, ev_pos, rel_pos = memo.derived(rel, "event_pairs", build)
    if ref() is not ev:  # the same relations table met with another events table
        _, ev_pos, rel_pos = build(rel)
    return ev_pos, rel_pos


# --------------------------------------------------------------------------- describing


def describe(filters: Filters, tables: Mapping[str, pd.DataFrame]) -> str:
    """One line saying what the current view holds, for captions under charts and tables.

    ``tables`` are the filtered tables, e.g. "42 events, 3 Jan 1999 – 14 Jun 2000, actors: Igor
    Sergeev".
    """
    ev = tables.get("events", pd.DataFrame())
    n = len(ev)
    parts = [f"{n:,} event{'s' if n != 1 else ''}"]
    lo: date | pd.Timestamp | None = filters.start
    hi: date | pd.Timestamp | None = filters.end
    if (lo is None or hi is None) and n:
        dates = pd.concat(event_dates(ev)).dropna()
        if not dates.empty:
            lo = lo or dates.min()
            hi = hi or dates.max()
    if lo is not None or hi is not None:
        parts.append(f"{format_date(lo) if lo is not None else 'start'} – {format_date(hi) if hi is not None else 'end'}")
    names = actor_names(tables.get("actors", pd.DataFrame()))
    if filters.actors:
        parts.append("actors: " + ", ".join(names.get(a, a) for a in filters.actors))
    if filters.quad_classes:
        parts.append("QuadClass: " + ", ".join(QUAD_NAMES[q] for q in filters.quad_classes))
    if filters.event_types:
        parts.append("types: " + ", ".join(filters.event_types))
    if filters.topics:
        parts.append("topics: " + ", ".join(filters.topics))
    if filters.statuses:
        parts.append("status: " + ", ".join(filters.statuses))
    if filters.agencies:
        parts.append("agencies: " + ", ".join(filters.agencies))
    if filters.origins:
        parts.append("origin: " + ", ".join(filters.origins))
    return ", ".join(parts)


# ------------------------------------------------------------- core/views/images.py (4e002e5)


def filters_text(filters: Filters, tables: Mapping[str, pd.DataFrame]) -> str:
    """The active filters in words ('none (whole corpus)' when nothing narrows the view)."""
    names = actor_names(tables.get("actors", pd.DataFrame()))
    parts: list[str] = []
    if filters.actors:
        parts.append("actors: " + ", ".join(names.get(a, a) for a in filters.actors))
    if filters.quad_classes:
        parts.append("QuadClass: " + ", ".join(QUAD_NAMES[q] for q in filters.quad_classes))
    for label, vals in (
        ("types", filters.event_types),
        ("topics", filters.topics),
        ("status", filters.statuses),
        ("agencies", filters.agencies),
        ("origin", filters.origins),
    ):
        if vals:
            parts.append(f"{label}: " + ", ".join(vals))
    if filters.start or filters.end:
        parts.insert(
            0,
            f"dates {format_date(filters.start) if filters.start else 'start'} – {format_date(filters.end) if filters.end else 'end'}",
        )
    return "; ".join(parts) if parts else "none (whole corpus)"
