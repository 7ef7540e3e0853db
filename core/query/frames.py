"""Table helpers shared by the filters, the charts and the pages: reading the store's cells.

Split from ``core/query/filters.py`` (issue 15): the figures need to read dates, ';'-lists, actor names
and per-table indexes without depending on the filter set. Everything here is pure and memoised per
table (:mod:`core.query.memo`), so a chart and the filter that narrowed its rows share one index.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

from core.domain.gazetteer import successors
from core.query import memo

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


def year_window() -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """First and last day of data/bounds.yaml's years: dates outside are misreadings."""
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
        parts += [as_of_dates(am)]
    ar = tables.get("articles")
    if ar is not None and not ar.empty:
        parts += [published_dates(ar)]
    # dates outside data/bounds.yaml's years (a misread "9999") do not stretch the range
    lo_ts, hi_ts = (pd.Timestamp(year=y, month=m, day=d) for y, m, d in year_window())
    parts = [p[(p >= lo_ts) & (p <= hi_ts)] for p in parts]
    lows = [p.min() for p in parts if p.notna().any()]
    highs = [p.max() for p in parts if p.notna().any()]
    if not lows:
        return None
    return min(lows).date(), max(highs).date()


def distinct(df: pd.DataFrame, col: str) -> list[str]:
    """The distinct values of a text column (memoised per table)."""
    return memo.derived(df, f"distinct:{col}", lambda d: list(pd.unique(text_of(d, col))))


def agencies_of(df: pd.DataFrame) -> set[str]:
    """Agencies named in a table's ';'-joined ``sources`` column."""
    return set(list_index(df, "sources")) if "sources" in df.columns and not df.empty else set()


def article_ids_of(df: pd.DataFrame) -> set[str]:
    """The non-empty article ids of a table's rows."""
    if "article_id" not in df.columns or df.empty:
        return set()
    return set(memo.derived(df, "article_ids", lambda d: set(text_of(d, "article_id")) - {""}))


def agencies_cited_in(citations: pd.DataFrame | None, article_ids: set[str]) -> set[str]:
    """Agencies in the source notes of the given articles."""
    by_article = article_agencies(citations)
    out: set[str] = set()
    for aid in article_ids:
        out |= by_article.get(aid, set())
    return out


def text_of(df: pd.DataFrame, col: str) -> pd.Series:
    """:func:`text` of a column, memoised per table (filters and charts read the same columns)."""
    return memo.derived(df, f"text:{col}", lambda d: text(d[col]))


def list_index(df: pd.DataFrame, col: str) -> dict[str, np.ndarray]:
    """Inverted index of a ';'-list column (built once per table)."""
    return memo.derived(df, f"list:{col}", lambda d: memo.token_positions([split_list(v) for v in d[col].to_numpy(dtype=object)]))


def article_rows(df: pd.DataFrame) -> dict[str, np.ndarray]:
    """article_id -> row positions of a table (memoised): rows follow their articles."""
    return memo.derived(df, "article_rows", lambda d: memo.group_positions(text(d["article_id"])))


def article_codes(ev: pd.DataFrame) -> tuple[np.ndarray, pd.Index]:
    """Events' article ids factorised (codes, uniques): maps an event mask onto articles fast."""
    return memo.derived(ev, "article_codes", lambda d: pd.factorize(text_of(d, "article_id")))


def as_of_dates(am: pd.DataFrame) -> pd.Series:
    """Amounts' ``as_of_date`` parsed once per table."""
    return memo.derived(am, "as_of", lambda d: to_datetime(d["as_of_date"]))


def published_dates(ar: pd.DataFrame) -> pd.Series:
    """Articles' ``published_date`` parsed once per table."""
    return memo.derived(ar, "published", lambda d: to_datetime(d["published_date"]))


def event_dates(ev: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(start, end) of each event as parsed (NaT when unknown), once per table."""
    return memo.derived(ev, "event_dates", lambda d: (to_datetime(d["start_date"]), to_datetime(d["end_date"])))


def event_span(ev: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(start, end) of each event; a missing or earlier end is the start."""

    def build(d: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
        s, e = event_dates(d)
        return s, e.where(e.notna() & (e >= s), s)

    return memo.derived(ev, "event_span", build)


def window_bounds(window: tuple[object, object] | None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """A date filter's first and last day as timestamps (None where open): the window a chart cuts
    its periods to."""

    def stamp(value: object) -> pd.Timestamp | None:
        if value is None or value == "":
            return None
        ts = pd.Timestamp(value)
        return None if pd.isna(ts) else ts

    return (stamp(window[0]), stamp(window[1])) if window else (None, None)


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


def article_agencies(citations: pd.DataFrame | None) -> dict[str, set[str]]:
    """article_id -> agencies named in its source notes (memoised per citations table)."""
    if citations is None or citations.empty:
        return {}

    def build(c: pd.DataFrame) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for aid, agency in zip(text(c["article_id"]), text(c["agency"]), strict=False):
            if agency.strip():
                out.setdefault(aid, set()).add(agency.strip())
        return out

    return memo.derived(citations, "article_agencies", build)


def cached_origin(df: pd.DataFrame) -> pd.Series:
    """:func:`origin_of`, memoised per table."""
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
