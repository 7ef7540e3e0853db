"""The dashboard's filter set, as a pure value: parsed from and written to URL query params.

Every page reads the same ``Filters``; keeping it free of Streamlit means a copied link, the
sidebar and the tests all go through one parser, and a bad parameter can only ever become a
notice, never an exception.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date

import pandas as pd

from core.schema import STATUSES

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
    if is_missing(value):
        return []
    return [part.strip() for part in str(value).split(sep) if part.strip()]


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


def empty_tables() -> dict[str, pd.DataFrame]:
    """Every table of the schema with no rows (an empty corpus)."""
    from core.schema import TABLES

    return {name: pd.DataFrame({c: pd.Series(dtype=object) for c in cols}) for name, cols in TABLES.items()}


def ensure_tables(tables: Mapping[str, pd.DataFrame] | None) -> dict[str, pd.DataFrame]:
    """Fill in any missing table or column so downstream code can index freely."""
    from core.schema import TABLES

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
    """actor_id -> ISO3 country, with the USSR (SUN) counted as Russia."""
    if actors is None or actors.empty:
        return {}
    ids = text(actors["actor_id"])
    countries = text(actors["country"]).str.upper().replace({"SUN": "RUS"})
    return dict(zip(ids, countries, strict=False))


def actor_names(actors: pd.DataFrame) -> dict[str, str]:
    """actor_id -> display name (the id itself when the name is unknown)."""
    if actors is None or actors.empty:
        return {}
    ids = text(actors["actor_id"])
    names = text(actors["name"])
    return {i: (n or i) for i, n in zip(ids, names, strict=False)}


def corpus_span(tables: Mapping[str, pd.DataFrame]) -> tuple[date, date] | None:
    """First and last known date over events, amounts and articles (None when no dates)."""
    parts: list[pd.Series] = []
    ev = tables.get("events")
    if ev is not None and not ev.empty:
        parts += [to_datetime(ev["start_date"]), to_datetime(ev["end_date"])]
    am = tables.get("amounts")
    if am is not None and not am.empty:
        parts += [to_datetime(am["as_of_date"])]
    ar = tables.get("articles")
    if ar is not None and not ar.empty:
        parts += [to_datetime(ar["published_date"])]
    if not parts:
        return None
    allv = pd.concat(parts).dropna()
    if allv.empty:
        return None
    return allv.min().date(), allv.max().date()


def options(tables: Mapping[str, pd.DataFrame]) -> dict[str, list]:
    """The values each filter can take in this corpus (used to drop stale params)."""
    ev = tables.get("events", pd.DataFrame())
    am = tables.get("amounts", pd.DataFrame())
    ci = tables.get("citations", pd.DataFrame())
    ac = tables.get("actors", pd.DataFrame())
    topics: set[str] = set()
    agencies: set[str] = set()
    types: set[str] = set()
    if not ev.empty:
        for v in ev["topics"]:
            topics.update(split_list(v))
        for v in ev["sources"]:
            agencies.update(split_list(v))
        types.update(t for t in text(ev["event_type"]) if t)
    if not am.empty:
        for v in am["topics"]:
            topics.update(split_list(v))
    if not ci.empty:
        agencies.update(a.strip() for a in text(ci["agency"]) if a.strip())
    actor_ids = sorted(set(text(ac["actor_id"])) - {""}) if not ac.empty else []
    return {
        "actors": actor_ids,
        "quad_classes": sorted(QUAD_NAMES),
        "event_types": sorted(types),
        "topics": sorted(topics),
        "statuses": list(STATUSES),
        "agencies": sorted(agencies, key=str.lower),
        "origins": list(ORIGINS),
    }


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


def _any_in(cells: pd.Series, wanted: set[str]) -> pd.Series:
    return cells.map(lambda v: bool(wanted.intersection(split_list(v))))


def _article_agencies(citations: pd.DataFrame) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    if citations is None or citations.empty:
        return out
    for aid, agency in zip(text(citations["article_id"]), text(citations["agency"]), strict=False):
        if agency.strip():
            out.setdefault(aid, set()).add(agency.strip())
    return out


def filter_events(tables: Mapping[str, pd.DataFrame], filters: Filters) -> pd.DataFrame:
    """The events that match every filter (an event matches an actor filter if any actor does)."""
    ev = tables["events"]
    if ev.empty:
        return ev
    keep = pd.Series(True, index=ev.index)
    if filters.start is not None or filters.end is not None:
        s = to_datetime(ev["start_date"])
        e = to_datetime(ev["end_date"])
        e = e.where(e.notna() & (e >= s), s)
        keep &= s.notna()
        if filters.start is not None:
            keep &= e >= pd.Timestamp(filters.start)
        if filters.end is not None:
            keep &= s <= pd.Timestamp(filters.end)
    if filters.actors:
        wanted = set(filters.actors)
        in_list = _any_in(ev["actors"], wanted)
        in_roles = text(ev["source_actor"]).isin(wanted) | text(ev["target_actor"]).isin(wanted)
        keep &= in_list | in_roles
    if filters.quad_classes:
        keep &= pd.to_numeric(ev["quad_class"], errors="coerce").isin(list(filters.quad_classes))
    if filters.event_types:
        keep &= text(ev["event_type"]).isin(list(filters.event_types))
    if filters.topics:
        keep &= _any_in(ev["topics"], set(filters.topics))
    if filters.statuses:
        keep &= text(ev["status"]).isin(list(filters.statuses))
    if filters.origins:
        keep &= origin_of(ev).isin(list(filters.origins))
    if filters.agencies:
        wanted = set(filters.agencies)
        by_article = _article_agencies(tables.get("citations"))
        def has_agency(row: tuple[object, object]) -> bool:
            own = split_list(row[0])
            pool = set(own) if own else by_article.get(str(row[1]), set())
            return bool(pool & wanted)
        keep &= pd.Series([has_agency(r) for r in zip(ev["sources"], text(ev["article_id"]), strict=False)], index=ev.index)
    return ev[keep]


def origin_of(df: pd.DataFrame) -> pd.Series:
    """'reference' or 'article' per row; a blank origin counts as 'article'."""
    if "origin" not in df.columns:
        return pd.Series("article", index=df.index)
    o = text(df["origin"]).str.strip().str.lower()
    return o.where(o != "", "article")


def filter_amounts(tables: Mapping[str, pd.DataFrame], filters: Filters) -> pd.DataFrame:
    """Amounts in range; an actor filter keeps figures whose parties (from/to actor) are that
    actor or its country (a minister narrows to his country's debt), agencies via the article's
    source notes."""
    am = tables["amounts"]
    if am.empty:
        return am
    keep = pd.Series(True, index=am.index)
    if filters.start is not None or filters.end is not None:
        d = to_datetime(am["as_of_date"])
        keep &= d.notna()
        if filters.start is not None:
            keep &= d >= pd.Timestamp(filters.start)
        if filters.end is not None:
            keep &= d <= pd.Timestamp(filters.end)
    if filters.actors:
        countries = actor_country_map(tables.get("actors"))
        wanted = set(filters.actors) | {countries.get(a, "") for a in filters.actors}
        wanted.discard("")

        def involved(v: object) -> bool:
            raw = "" if is_missing(v) else str(v).strip()
            return bool(raw) and (raw in wanted or countries.get(raw, raw.upper()) in wanted
                                  or raw.upper().replace("SUN", "RUS") in wanted)
        party_cols = [c for c in ("from_actor", "to_actor", "debtor", "creditor") if c in am.columns]
        involved_any = pd.Series(False, index=am.index)
        for c in party_cols:
            involved_any |= am[c].map(involved)
        keep &= involved_any
    if filters.topics:
        keep &= _any_in(am["topics"], set(filters.topics))
    if filters.origins:
        keep &= origin_of(am).isin(list(filters.origins))
    if filters.agencies:
        by_article = _article_agencies(tables.get("citations"))
        wanted = set(filters.agencies)
        keep &= text(am["article_id"]).map(lambda a: bool(by_article.get(a, set()) & wanted))
    return am[keep]


def filter_articles(tables: Mapping[str, pd.DataFrame], filters: Filters, event_article_ids: set[str]) -> pd.DataFrame:
    """Articles in range that mention the actors and cite the agencies, plus every article a
    matching event came from (an event in May may be reported in an August article)."""
    ar = tables["articles"]
    if ar.empty:
        return ar
    keep = pd.Series(True, index=ar.index)
    if filters.start is not None or filters.end is not None:
        d = to_datetime(ar["published_date"])
        keep &= d.notna()
        if filters.start is not None:
            keep &= d >= pd.Timestamp(filters.start)
        if filters.end is not None:
            keep &= d <= pd.Timestamp(filters.end)
    ids = text(ar["article_id"])
    if filters.actors:
        me = tables.get("mentions")
        mentioned: set[str] = set()
        if me is not None and not me.empty:
            mentioned = set(text(me.loc[text(me["actor_id"]).isin(list(filters.actors)), "article_id"]))
        keep &= ids.isin(mentioned)
    if filters.agencies:
        by_article = _article_agencies(tables.get("citations"))
        keep &= ids.map(lambda a: bool(by_article.get(a, set()) & set(filters.agencies)))
    if filters.origins:
        keep &= origin_of(ar).isin(list(filters.origins))
    narrows_events_only = bool(filters.quad_classes or filters.event_types or filters.statuses or filters.topics)
    if narrows_events_only:
        keep &= False
    keep |= ids.isin(event_article_ids)
    return ar[keep]


def apply(tables: Mapping[str, pd.DataFrame], filters: Filters) -> dict[str, pd.DataFrame]:
    """The tables narrowed by the filters.

    events and amounts are filtered directly; articles are those in range (or behind a kept
    event); mentions, sentences and citations follow their articles; relations keep the pairs
    with at least one kept event (pages rebuild the counts from the kept events); actors stay
    whole because they are a lookup.
    """
    tables = ensure_tables(tables)
    if filters.is_empty():  # the default view: nothing to narrow (saves a second at corpus size)
        return dict(tables)
    out = dict(tables)
    events = filter_events(tables, filters)
    out["events"] = events
    out["amounts"] = filter_amounts(tables, filters)
    ev_articles = set(text(events["article_id"])) - {""}
    articles = filter_articles(tables, filters, ev_articles)
    out["articles"] = articles
    kept_ids = set(text(articles["article_id"]))
    for name in ("mentions", "sentences", "citations"):
        df = tables[name]
        out[name] = df[text(df["article_id"]).isin(kept_ids)] if not df.empty else df
    rel = tables["relations"]
    if not rel.empty:
        ev_ids = set(text(events["event_id"]))
        out["relations"] = rel[rel["event_ids"].map(lambda v: bool(ev_ids.intersection(split_list(v))))]
    return out


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
        dates = pd.concat([to_datetime(ev["start_date"]), to_datetime(ev["end_date"])]).dropna()
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
