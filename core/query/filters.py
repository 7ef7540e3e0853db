"""The dashboard's filter set: one :class:`FilterSpec` per filter, and everything that iterates them.

Each filter owns, in one object (the shape of Datasette's ``datasette/filters.py``): the fields it
adds to :class:`Filters`, its URL parameter(s) and how they are read and written, its sidebar
widget (as plain data: ``ui/state.py`` draws it), the values it can take in a corpus, its mask on
each table, and its words for captions, exports and file names. :class:`Filters`, the URL codec,
:func:`options`, :func:`apply`, :func:`describe`, :func:`slug` and ``images.filters_text`` all
loop over :data:`REGISTRY`, so adding a filter is one object here and its test.

Pure (no Streamlit): a copied link, the sidebar and the tests go through one parser, and a bad
parameter can only ever become a notice, never an exception. The table helpers the charts read
live in :mod:`core.query.frames`.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, make_dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from core.domain.cameo import QUAD_NAMES
from core.domain.gazetteer import counts_as, successors
from core.domain.rules import STATUSES
from core.query import memo
from core.query.frames import (
    actor_country_map,
    actor_names,
    article_agencies,
    article_codes,
    article_ids_of,
    article_rows,
    as_of_dates,
    cached_origin,
    corpus_span,
    distinct,
    ensure_tables,
    event_actor_index,
    event_dates,
    event_participant_index,
    event_span,
    format_date,
    is_missing,
    list_index,
    parse_date,
    published_dates,
    source_counts,
    split_list,
    text,
    text_of,
)

# The filter API; the table helpers it uses are imported from core.query.frames, their one owner.
__all__ = [
    "FILTER_PARAMS",
    "ORIGINS",
    "PARAM_KEYS",
    "REGISTRY",
    "DateRangeFilter",
    "FilterSpec",
    "Filters",
    "ListFilter",
    "Widget",
    "apply",
    "carry",
    "clamp_dates",
    "describe",
    "filter_amounts",
    "filter_articles",
    "filter_events",
    "from_query_params",
    "int_param",
    "options",
    "slug",
    "to_query_params",
    "warm",
    "words",
]

ORIGINS = ("article", "reference")
_DIGITS = re.compile(r"[0-9]+")

Tables = Mapping[str, pd.DataFrame]
#: a mask builder: (all tables, the filter's wanted values) -> rows of one table to keep
Mask = Callable[[Tables, tuple], np.ndarray]


@dataclass(frozen=True)
class Where:
    """A parameterised SQL condition (``?`` placeholders), the way Datasette's filters give theirs."""

    sql: str
    params: tuple = ()


#: the SQL twin of a mask builder: (tables for lookups, wanted values) -> condition on one table
SqlMask = Callable[[Tables, tuple], Where]


# --------------------------------------------------------------------------- the spec


@dataclass(frozen=True)
class Widget:
    """How the sidebar draws a filter, as plain data (``ui/state.py`` turns it into a Streamlit call).

    ``kind`` is "date_range" or "multiselect"; ``group`` "main" sits in the sidebar, "more" in the
    folded expander whose title lists the ``short`` words of its filters.
    """

    kind: str
    key: str
    label: str
    placeholder: str = ""
    help: str | None = None
    group: str = "main"
    short: str = ""


@dataclass(frozen=True)
class FilterSpec:
    """One filter. Subclasses say how its fields are read, written, applied and described.

    ``name`` is the filter's name in the docs and in ``ui/state.KEYS``; ``title`` heads its row in
    README's filter table (a test checks every filter is documented there); ``doc`` is one line.
    """

    name: str
    title: str
    doc: str
    widget: Widget

    # fields of Filters it owns: (field name, URL param, type, default)
    def field_specs(self) -> tuple[tuple[str, str, object, object], ...]:
        raise NotImplementedError

    @property
    def params(self) -> tuple[str, ...]:
        """The URL parameters this filter reads and writes."""
        return tuple(p for _f, p, _t, _d in self.field_specs())

    def active(self, filters: Filters) -> bool:
        """Whether the filter narrows anything in this state."""
        return any(getattr(filters, f) not in (None, ()) for f, *_ in self.field_specs())

    def read_params(self, params: Mapping[str, object], tables: Tables | None) -> tuple[dict[str, object], list[str]]:
        """Its fields from URL params, and a notice for every value dropped."""
        raise NotImplementedError

    def write_params(self, filters: Filters) -> dict[str, str | list[str]]:
        """Its URL params: single values as str, several as a list (repeated keys)."""
        raise NotImplementedError

    def options(self, tables: Tables) -> list | None:
        """The values it can take in this corpus (None for a range)."""
        return None

    def mask(self, table: str, tables: Tables, filters: Filters) -> np.ndarray | None:
        """Rows of ``tables[table]`` to keep (None: the filter does not apply to that table)."""
        return None

    def where(self, table: str, tables: Tables, filters: Filters) -> Where | None:
        """The same rows as :meth:`mask`, as a parameterised SQL condition on ``table`` (SQLite
        dialect; ``tables`` only for lookups such as actor countries). None: does not apply."""
        return None

    def caption(self, filters: Filters, tables: Tables, names: Mapping[str, str]) -> str | None:
        """Its part of :func:`describe` (the line under charts), or None."""
        return self.words(filters, names)

    def words(self, filters: Filters, names: Mapping[str, str]) -> str | None:
        """Its part of the export subtitle (``images.filters_text``), or None when inactive."""
        raise NotImplementedError

    def slug(self, filters: Filters, names: Mapping[str, str]) -> str | None:
        """Its part of an exported file's name, or None when inactive."""
        raise NotImplementedError


def _values(raw: object, comma: bool) -> list[str]:
    """A URL param's values, stripped, split on commas when the key allows it, first of each kept."""
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, Iterable) else [raw]
    out: list[str] = []
    for item in items:
        s = str(item).strip()
        if not s:
            continue
        if comma:
            out += [p.strip() for p in s.split(",") if p.strip()]
        else:
            out.append(s)
    return list(dict.fromkeys(out))


def _within(dates: pd.Series, filters: Filters) -> np.ndarray:
    keep = dates.notna()
    if filters.start is not None:
        keep &= dates >= pd.Timestamp(filters.start)
    if filters.end is not None:
        keep &= dates <= pd.Timestamp(filters.end)
    return keep.to_numpy()


def _event_overlap(tables: Tables, filters: Filters) -> np.ndarray:
    """Events whose span overlaps the range (an event over several days counts if any day does)."""
    s, e = event_span(tables["events"])
    keep = s.notna()
    if filters.start is not None:
        keep &= e >= pd.Timestamp(filters.start)
    if filters.end is not None:
        keep &= s <= pd.Timestamp(filters.end)
    return keep.to_numpy()


@dataclass(frozen=True)
class DateRangeFilter(FilterSpec):
    """From–to dates: events overlapping the range, amounts as of a day inside it, articles published in it."""

    def field_specs(self) -> tuple[tuple[str, str, object, object], ...]:
        return (("start", "from", date | None, None), ("end", "to", date | None, None))

    def read_params(self, params: Mapping[str, object], tables: Tables | None) -> tuple[dict[str, object], list[str]]:
        notices: list[str] = []
        kwargs: dict[str, object] = {}
        for name, key, _t, _d in self.field_specs():
            vals = _values(params.get(key), comma=False)
            if not vals:
                continue
            parsed = parse_date(vals[-1])
            if parsed is None:
                notices.append(f"Ignored '{key}={vals[-1]}': not a date in the form YYYY-MM-DD.")
                continue
            kwargs[name] = parsed
        start, end = kwargs.get("start"), kwargs.get("end")
        if isinstance(start, date) and isinstance(end, date) and start > end:
            notices.append("Ignored the date range: 'from' is after 'to'.")
            kwargs = {}
        return kwargs, notices

    def write_params(self, filters: Filters) -> dict[str, str | list[str]]:
        return {key: getattr(filters, name).isoformat() for name, key, _t, _d in self.field_specs() if getattr(filters, name) is not None}

    def mask(self, table: str, tables: Tables, filters: Filters) -> np.ndarray | None:
        if table == "events":
            return _event_overlap(tables, filters)
        if table == "amounts":
            return _within(as_of_dates(tables["amounts"]), filters)
        if table == "articles":
            return _within(published_dates(tables["articles"]), filters)
        return None

    def where(self, table: str, tables: Tables, filters: Filters) -> Where | None:
        bounds = [(op, d.isoformat()) for op, d in ((">=", filters.start), ("<=", filters.end)) if d is not None]
        if table == "events":
            s, e = _sql_date("start_date"), _sql_date("end_date")
            end = f"CASE WHEN {e} IS NOT NULL AND {e} >= {s} THEN {e} ELSE {s} END"
            # overlap: the event ends on or after the start and starts on or before the end
            sides = [f"{end if op == '>=' else s} {op} ?" for op, _d in bounds]
            return Where(" AND ".join([f"{s} IS NOT NULL", *sides]), tuple(d for _op, d in bounds))
        col = {"amounts": "as_of_date", "articles": "published_date"}.get(table)
        if col is None:
            return None
        d = _sql_date(col)
        return Where(" AND ".join([f"{d} IS NOT NULL", *(f"{d} {op} ?" for op, _v in bounds)]), tuple(v for _op, v in bounds))

    def caption(self, filters: Filters, tables: Tables, names: Mapping[str, str]) -> str | None:
        # the line under a chart always states the period: the data's own where the filter is open
        lo: date | pd.Timestamp | None = filters.start
        hi: date | pd.Timestamp | None = filters.end
        ev = tables.get("events", pd.DataFrame())
        if (lo is None or hi is None) and len(ev):
            dates = pd.concat(event_dates(ev)).dropna()
            if not dates.empty:
                lo = lo or dates.min()
                hi = hi or dates.max()
        if lo is None and hi is None:
            return None
        return f"{format_date(lo) if lo is not None else 'start'} – {format_date(hi) if hi is not None else 'end'}"

    def words(self, filters: Filters, names: Mapping[str, str]) -> str | None:
        if not (filters.start or filters.end):
            return None
        return f"dates {format_date(filters.start) if filters.start else 'start'} – {format_date(filters.end) if filters.end else 'end'}"

    def slug(self, filters: Filters, names: Mapping[str, str]) -> str | None:
        if not (filters.start or filters.end):
            return None
        return f"{filters.start or 'start'}_{filters.end or 'end'}"


def _str(value: object, names: Mapping[str, str]) -> str:
    return str(value)


def _first_two(values: tuple, names: Mapping[str, str]) -> str:
    return "-".join(str(v) for v in values[:2])


@dataclass(frozen=True)
class ListFilter(FilterSpec):
    """A filter on a set of values: keep a row when it has any of them.

    ``vocabulary`` is a fixed set of valid values (a value outside it is "unknown"); without it,
    values are checked against :meth:`options` of the corpus ("not in the corpus"). ``parse`` turns
    URL text into a value (None: bad). ``masks`` maps a table to its mask builder; ``events_only``
    marks a filter that says nothing about articles, so only the articles behind kept events stay.
    """

    field_name: str = ""
    param: str = ""
    label: str = ""
    comma: bool = False
    vocabulary: Callable[[], Sequence] | None = None
    parse: Callable[[str], object | None] = str
    coerce: Callable[[object], object] = lambda v: v
    corpus_options: Callable[[Tables], list] | None = None
    #: (tables, selected) -> widget options and a format function (None: the value as it is)
    widget_options: Callable[[Tables, Mapping[str, list], tuple], tuple[list, Callable[[object], str] | None]] | None = None
    display: Callable[[object, Mapping[str, str]], str] = _str
    slug_of: Callable[[tuple, Mapping[str, str]], str] = _first_two
    masks: Mapping[str, Mask] = field(default_factory=dict)
    #: table -> SQL twin of its mask (``where``); tests/test_filters_sql.py checks they agree
    sql: Mapping[str, SqlMask] = field(default_factory=dict)
    events_only: bool = False

    def field_specs(self) -> tuple[tuple[str, str, object, object], ...]:
        return ((self.field_name, self.param, tuple, ()),)

    def value(self, filters: Filters) -> tuple:
        """The filter's current values."""
        return getattr(filters, self.field_name)

    def options(self, tables: Tables) -> list:
        if self.vocabulary is not None:
            return list(self.vocabulary())
        return self.corpus_options(tables) if self.corpus_options else []

    def widget_choices(self, tables: Tables, opts: Mapping[str, list], selected: tuple = ()) -> tuple[list, Callable[[object], str] | None]:
        """What the sidebar lists and how it labels each (``opts``: :func:`options` of the corpus)."""
        if self.widget_options is not None:
            return self.widget_options(tables, opts, selected)
        return list(opts[self.field_name]), None

    def read_params(self, params: Mapping[str, object], tables: Tables | None) -> tuple[dict[str, object], list[str]]:
        vals = _values(params.get(self.param), self.comma)
        if not vals:
            return {}, []
        if self.vocabulary is not None:
            allowed: set | None = set(self.vocabulary())
        else:
            allowed = set(self.options(tables)) if tables is not None else None
        kept: list[object] = []
        bad: list[str] = []
        for v in vals:
            parsed = self.parse(v)
            if parsed is None or (allowed is not None and parsed not in allowed):
                bad.append(v)
            else:
                kept.append(parsed)
        notices = []
        if bad:
            what = "unknown" if self.vocabulary is not None else "not in the corpus"
            notices.append(f"Ignored {self.param}: {', '.join(repr(b) for b in bad)} ({what}).")
        return ({self.field_name: tuple(dict.fromkeys(kept))} if kept else {}), notices

    def write_params(self, filters: Filters) -> dict[str, str | list[str]]:
        vals = [str(v) for v in self.value(filters)]
        if not vals:
            return {}
        return {self.param: vals[0] if len(vals) == 1 else vals}

    def mask(self, table: str, tables: Tables, filters: Filters) -> np.ndarray | None:
        if table in self.masks:
            return self.masks[table](tables, self.value(filters))
        if table == "articles" and self.events_only:
            return np.zeros(len(tables["articles"]), dtype=bool)
        return None

    def where(self, table: str, tables: Tables, filters: Filters) -> Where | None:
        if table in self.sql:
            return self.sql[table](tables, self.value(filters))
        if table == "articles" and self.events_only:
            return Where("FALSE")
        if table in self.masks:  # a mask without its SQL twin would silently widen a query
            raise NotImplementedError(f"filter {self.name!r} has no SQL for {table}")
        return None

    def words(self, filters: Filters, names: Mapping[str, str]) -> str | None:
        vals = self.value(filters)
        return f"{self.label}: " + ", ".join(self.display(v, names) for v in vals) if vals else None

    def slug(self, filters: Filters, names: Mapping[str, str]) -> str | None:
        vals = self.value(filters)
        return self.slug_of(vals, names) if vals else None


# --------------------------------------------------------------------------- masks


def _any_in(df: pd.DataFrame, col: str, wanted: set[str]) -> np.ndarray:
    return memo.rows_with_any(list_index(df, col), wanted, len(df))


def _articles_citing(citations: pd.DataFrame | None, wanted: set[str]) -> set[str]:
    return {aid for aid, agencies in article_agencies(citations).items() if agencies & wanted}


def _isin(table: str, col: str) -> Mask:
    """Rows whose text column is one of the wanted values."""
    return lambda tables, wanted: text_of(tables[table], col).isin(list(wanted)).to_numpy()


def _list_has(table: str, col: str) -> Mask:
    """Rows whose ';'-list column names any wanted value."""
    return lambda tables, wanted: _any_in(tables[table], col, set(wanted))


def _origin_is(table: str) -> Mask:
    return lambda tables, wanted: cached_origin(tables[table]).isin(list(wanted)).to_numpy()


def _events_with_actor(tables: Tables, wanted: tuple) -> np.ndarray:
    ev = tables["events"]
    return memo.rows_with_any(event_actor_index(ev), set(wanted), len(ev))


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


def _amounts_with_actor(tables: Tables, wanted_actors: tuple) -> np.ndarray:
    """Figures whose parties are the actor or its country (a minister narrows to his country's debt)."""
    am = tables["amounts"]
    countries = actor_country_map(tables.get("actors"))
    wanted = set(wanted_actors) | {countries.get(a, "") for a in wanted_actors}
    wanted.discard("")
    index = _party_index(am)
    involved = {raw for raw in index if raw in wanted or countries.get(raw, raw.upper()) in wanted or counts_as(raw) in wanted}
    return memo.rows_with_any(index, involved, len(am))


def _actor_articles(mentions: pd.DataFrame) -> dict[str, set[str]]:
    """actor -> articles that mention it."""

    def build(m: pd.DataFrame) -> dict[str, set[str]]:
        pairs = pd.DataFrame({"actor": text(m["actor_id"]), "article": text(m["article_id"])}).drop_duplicates()
        return {str(a): set(g) for a, g in pairs.groupby("actor", sort=False)["article"]}

    return memo.derived(mentions, "actor_articles", build)


def _articles_mentioning(tables: Tables, wanted: tuple) -> np.ndarray:
    me = tables.get("mentions")
    mentioned: set[str] = set()
    if me is not None and not me.empty:
        by_actor = _actor_articles(me)
        for a in wanted:
            mentioned |= by_actor.get(a, set())
    return text_of(tables["articles"], "article_id").isin(mentioned).to_numpy()


def _events_from_agencies(tables: Tables, wanted_agencies: tuple) -> np.ndarray:
    """An event's own sources decide; an event without any takes its article's source notes."""
    ev, wanted = tables["events"], set(wanted_agencies)
    no_own = source_counts(ev) == 0
    citing = text_of(ev, "article_id").isin(_articles_citing(tables.get("citations"), wanted)).to_numpy()
    return _any_in(ev, "sources", wanted) | (no_own & citing)


def _citing(table: str) -> Mask:
    """Rows of a table whose article's source notes cite a wanted agency."""
    return lambda tables, wanted: (
        text_of(tables[table], "article_id").isin(_articles_citing(tables.get("citations"), set(wanted))).to_numpy()
    )


def _quads(ev: pd.DataFrame) -> pd.Series:
    """Events' QuadClass as numbers (memoised per table)."""
    return memo.derived(ev, "quad", lambda d: pd.to_numeric(d["quad_class"], errors="coerce"))


def _quad_of(tables: Tables, wanted: tuple) -> np.ndarray:
    return _quads(tables["events"]).isin(list(wanted)).to_numpy()


# --------------------------------------------------------------------------- SQL twins of the masks
# SQLite dialect, as the store speaks it; each mirrors the pandas reading of a cell (core.query.frames):
# NULL reads as '', ';'-lists are split and stripped, dates are ISO days (a bare year or month is
# its first day) and an impossible date is unknown.


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _sql_text(col: str) -> str:
    return f"COALESCE(CAST({col} AS TEXT), '')"


def _sql_date(col: str) -> str:
    """The ISO day a date cell means, or NULL (frames.to_datetime in SQL).

    One known difference: an unpadded '1999-6-1', which no writer of the store produces, is unknown
    here and 1 June 1999 to pandas."""
    t = f"substr(trim({_sql_text(col)}), 1, 10)"
    iso = f"(CASE length({t}) WHEN 4 THEN {t} || '-01-01' WHEN 7 THEN {t} || '-01' ELSE {t} END)"
    # date(x, '+0 days') rolls 30 Feb over to 1 Mar: only a real day reads as itself
    return f"(CASE WHEN date({iso}, '+0 days') = {iso} THEN {iso} END)"


def _sql_list(col: str) -> str:
    """';' + the list's items without the spaces around them + ';' (one space each side at most)."""
    return f"(';' || replace(replace(trim({_sql_text(col)}), '; ', ';'), ' ;', ';') || ';')"


def _sql_list_has(col: str, wanted: Iterable[str]) -> Where:
    wanted = list(wanted)
    if not wanted:
        return Where("FALSE")
    return Where("(" + " OR ".join(f"instr({_sql_list(col)}, ';' || ? || ';') > 0" for _ in wanted) + ")", tuple(wanted))


def _sql_in(expr: str, wanted: Iterable[object]) -> Where:
    wanted = list(wanted)
    return Where(f"{expr} IN ({_marks(len(wanted))})", tuple(wanted)) if wanted else Where("FALSE")


def _sql_any(*parts: Where) -> Where:
    return Where("(" + " OR ".join(p.sql for p in parts) + ")", tuple(v for p in parts for v in p.params))


def _sql_all(*parts: Where) -> Where:
    return Where("(" + " AND ".join(p.sql for p in parts) + ")", tuple(v for p in parts for v in p.params))


def _where_isin(col: str) -> SqlMask:
    return lambda tables, wanted: _sql_in(_sql_text(col), wanted)


def _where_list_has(col: str) -> SqlMask:
    return lambda tables, wanted: _sql_list_has(col, wanted)


def _where_origin(tables: Tables, wanted: tuple) -> Where:
    return _sql_in(f"COALESCE(NULLIF(lower(trim({_sql_text('origin')})), ''), 'article')", wanted)


def _where_quad(tables: Tables, wanted: tuple) -> Where:
    return _sql_in("CAST(quad_class AS REAL)", [float(q) for q in wanted])


def _where_event_actor(tables: Tables, wanted: tuple) -> Where:
    return _sql_any(_sql_list_has("actors", wanted), _sql_in(_sql_text("source_actor"), wanted), _sql_in(_sql_text("target_actor"), wanted))


def _counted_as(expr: str, states: set[str]) -> Where:
    """``counts_as(expr)`` is one of ``states``: the code itself, or a historical state succeeded by one."""
    succ = successors()
    up = f"upper(trim({expr}))"
    return _sql_any(
        _sql_in(up, sorted(k for k, v in succ.items() if v in states)),
        _sql_all(Where(f"{up} NOT IN ({_marks(len(succ))})", tuple(sorted(succ))), _sql_in(up, sorted(states))),
    )


def _where_amount_actor(tables: Tables, wanted_actors: tuple) -> Where:
    """_amounts_with_actor in SQL: a party is the actor, its country, or a state counted as it."""
    countries = actor_country_map(tables.get("actors"))
    wanted = (set(wanted_actors) | {countries.get(a, "") for a in wanted_actors}) - {""}
    ids_there = sorted(i for i, c in countries.items() if c in wanted)
    parts = []
    present = tables["amounts"].columns
    for col in (c for c in ("from_actor", "to_actor", "debtor", "creditor") if c in present):
        raw = f"trim({_sql_text(col)})"
        parts.append(
            _sql_all(
                Where(f"{raw} <> ''"),
                _sql_any(
                    _sql_in(raw, sorted(wanted)),
                    _sql_in(raw, ids_there),
                    _sql_all(Where(f"{raw} NOT IN (SELECT {_sql_text('actor_id')} FROM actors)"), _sql_in(f"upper({raw})", sorted(wanted))),
                    _counted_as(raw, wanted),
                ),
            )
        )
    return _sql_any(*parts) if parts else Where("FALSE")


def _where_article_mentions(tables: Tables, wanted: tuple) -> Where:
    sub = _sql_in(_sql_text("actor_id"), wanted)
    return Where(f"{_sql_text('article_id')} IN (SELECT {_sql_text('article_id')} FROM mentions WHERE {sub.sql})", sub.params)


def _where_citing(tables: Tables, wanted: tuple) -> Where:
    sub = _sql_in(f"trim({_sql_text('agency')})", wanted)
    return Where(f"{_sql_text('article_id')} IN (SELECT {_sql_text('article_id')} FROM citations WHERE {sub.sql})", sub.params)


def _where_event_agency(tables: Tables, wanted: tuple) -> Where:
    no_own = Where(f"trim(replace({_sql_text('sources')}, ';', '')) = ''")
    return _sql_any(_sql_list_has("sources", wanted), _sql_all(no_own, _where_citing(tables, wanted)))


# --------------------------------------------------------------------------- options


def _actor_ids(tables: Tables) -> list[str]:
    ac = tables.get("actors", pd.DataFrame())
    return sorted(set(text_of(ac, "actor_id")) - {""}) if not ac.empty else []


def _event_types(tables: Tables) -> list[str]:
    ev = tables.get("events", pd.DataFrame())
    return sorted(t for t in distinct(ev, "event_type") if t) if not ev.empty else []


def _topics(tables: Tables) -> list[str]:
    found: set[str] = set()
    for name in ("events", "amounts"):
        df = tables.get(name, pd.DataFrame())
        if not df.empty:
            found.update(list_index(df, "topics"))
    return sorted(found)


def _agencies(tables: Tables) -> list[str]:
    ev = tables.get("events", pd.DataFrame())
    ci = tables.get("citations", pd.DataFrame())
    found: set[str] = set()
    if not ev.empty:
        found.update(list_index(ev, "sources"))
    if ci is not None and not ci.empty:
        for cited in article_agencies(ci).values():
            found.update(cited)
    return sorted(found, key=str.lower)


def _actor_widget(tables: Tables, opts: Mapping[str, list], selected: tuple) -> tuple[list, Callable[[object], str]]:
    """People and states, busiest first, labelled 'Name (n events)' (a selected other kind stays)."""
    actors, events = tables["actors"], tables["events"]
    # events naming each actor (listed, source or target), from the memoised filter index
    counts = {a: len(rows) for a, rows in event_actor_index(events).items()} if not events.empty else {}
    if actors.empty:
        return [], str
    ids = text(actors["actor_id"])
    kinds = text(actors["kind"]).str.lower()
    names = actor_names(actors)
    wanted = [i for i, k in zip(ids, kinds, strict=False) if i and (k in ("person", "state") or i in selected)]
    wanted = list(dict.fromkeys(wanted))
    wanted.sort(key=lambda i: (-counts.get(i, 0), names.get(i, i).lower()))
    labels = {i: f"{names.get(i, i)} ({counts.get(i, 0)})" for i in wanted}
    return wanted, lambda i: labels.get(i, i)


def int_param(v: str, lo: int | None = None, hi: int | None = None) -> int | None:
    """A URL value as a whole number within [lo, hi], else None. ASCII digits only: str.isdigit()
    accepts "¹" or "²", which int() refuses, so a hand-edited link must not reach int() unchecked."""
    if not _DIGITS.fullmatch(v):
        return None
    n = int(v)
    return n if (lo is None or n >= lo) and (hi is None or n <= hi) else None


def _quad_value(v: str) -> int | None:
    return int_param(v)


_ORIGIN_LABELS = {"article": "article (extracted)", "reference": "reference (curated)"}


# --------------------------------------------------------------------------- the registry

#: Every filter, in the order of the sidebar, the URL, captions, exports and file names.
REGISTRY: tuple[FilterSpec, ...] = (
    DateRangeFilter(
        name="dates",
        title="Date range",
        doc="events overlapping the range, amounts as of a day in it, articles published in it; undated rows drop out",
        widget=Widget(
            "date_range", "flt_dates", "Date range", help="Events that overlap the range; undated events are hidden once you narrow it."
        ),
    ),
    ListFilter(
        name="actors",
        title="Actors",
        field_name="actors",
        param="actor",
        label="actors",
        doc="events naming the actor (listed, source or target), amounts whose parties are it or its country, articles mentioning it",
        widget=Widget(
            "multiselect",
            "flt_actors",
            "Actors",
            placeholder="All people and states",
            help="People and states, with their number of events.",
        ),
        corpus_options=_actor_ids,
        widget_options=_actor_widget,
        display=lambda a, names: names.get(a, a),
        slug_of=lambda vals, names: "-".join(names.get(a, a) for a in vals[:3]),
        masks={"events": _events_with_actor, "amounts": _amounts_with_actor, "articles": _articles_mentioning},
        sql={"events": _where_event_actor, "amounts": _where_amount_actor, "articles": _where_article_mentions},
    ),
    ListFilter(
        name="quad_classes",
        title="QuadClass",
        field_name="quad_classes",
        param="quad",
        label="QuadClass",
        comma=True,
        doc="events of the CAMEO QuadClass (1 verbal cooperation … 4 material conflict)",
        widget=Widget("multiselect", "flt_quad", "QuadClass", placeholder="All classes"),
        vocabulary=lambda: sorted(QUAD_NAMES),
        parse=_quad_value,
        coerce=int,
        widget_options=lambda tables, opts, sel: (list(opts["quad_classes"]), lambda q: f"{q} · {QUAD_NAMES[q]}"),
        display=lambda q, names: QUAD_NAMES[q],
        slug_of=lambda vals, names: "q" + "".join(str(q) for q in vals),
        masks={"events": _quad_of},
        sql={"events": _where_quad},
        events_only=True,
    ),
    ListFilter(
        name="event_types",
        title="Event types",
        field_name="event_types",
        param="type",
        label="types",
        doc="events of the type (the CAMEO name of its code, e.g. consult, agree)",
        widget=Widget("multiselect", "flt_types", "Event types", placeholder="All types"),
        corpus_options=_event_types,
        masks={"events": _isin("events", "event_type")},
        sql={"events": _where_isin("event_type")},
        events_only=True,
    ),
    ListFilter(
        name="topics",
        title="Topics",
        field_name="topics",
        param="topic",
        label="topics",
        doc="events and amounts tagged with the topic",
        widget=Widget("multiselect", "flt_topics", "Topics", placeholder="All topics", group="more", short="topics"),
        corpus_options=_topics,
        masks={"events": _list_has("events", "topics"), "amounts": _list_has("amounts", "topics")},
        sql={"events": _where_list_has("topics"), "amounts": _where_list_has("topics")},
        events_only=True,
    ),
    ListFilter(
        name="statuses",
        title="Status",
        field_name="statuses",
        param="status",
        label="status",
        comma=True,
        doc="events with the status (occurred, reported, planned, unconfirmed, denied)",
        widget=Widget("multiselect", "flt_status", "Status", placeholder="Any status", group="more", short="status"),
        vocabulary=lambda: STATUSES,
        masks={"events": _isin("events", "status")},
        sql={"events": _where_isin("status")},
        events_only=True,
    ),
    ListFilter(
        name="agencies",
        title="Source agencies",
        field_name="agencies",
        param="agency",
        label="agencies",
        doc="events citing the agency (their own sources, else their article's source notes), amounts and articles whose article cites it",
        widget=Widget("multiselect", "flt_agencies", "Source agencies", placeholder="Any agency", group="more", short="sources"),
        corpus_options=_agencies,
        masks={"events": _events_from_agencies, "amounts": _citing("amounts"), "articles": _citing("articles")},
        sql={"events": _where_event_agency, "amounts": _where_citing, "articles": _where_citing},
    ),
    ListFilter(
        name="origins",
        title="Origin",
        field_name="origins",
        param="origin",
        label="origin",
        comma=True,
        doc="rows extracted from articles or from the curated reference layer",
        widget=Widget("multiselect", "flt_origins", "Origin", placeholder="Articles and reference", group="more", short="origin"),
        vocabulary=lambda: ORIGINS,
        widget_options=lambda tables, opts, sel: (list(opts["origins"]), lambda o: _ORIGIN_LABELS.get(o, o)),
        masks={"events": _origin_is("events"), "amounts": _origin_is("amounts"), "articles": _origin_is("articles")},
        sql={"events": _where_origin, "amounts": _where_origin, "articles": _where_origin},
    ),
)


def _is_empty(self: Filters) -> bool:
    """True when nothing narrows the corpus (the default view)."""
    return self == type(self)()


#: What the analyst asked to see, one field (or two, for a range) per filter of the registry; an
#: empty tuple or None means "no restriction". Built from :data:`REGISTRY` so a new filter needs no
#: edit here; construct it by keyword (``Filters(actors=("KOR",))``).
Filters = make_dataclass(
    "Filters",
    [(name, typ, field(default=default)) for spec in REGISTRY for name, _p, typ, default in spec.field_specs()],
    frozen=True,
    namespace={"is_empty": _is_empty, "__doc__": "What the analyst asked to see (one field per filter of the registry)."},
)
Filters.__module__ = __name__  # make_dataclass(module=...) is Python 3.12+

#: Query-param key of each Filters field (short keys keep copied links readable).
PARAM_KEYS: dict[str, str] = {name: key for spec in REGISTRY for name, key, _t, _d in spec.field_specs()}
FILTER_PARAMS = frozenset(PARAM_KEYS.values())


def list_filters() -> tuple[ListFilter, ...]:
    """The registry's value-set filters (all but the date range)."""
    return tuple(s for s in REGISTRY if isinstance(s, ListFilter))


# --------------------------------------------------------------------------- options and URL


def options(tables: Tables) -> dict[str, list]:
    """The values each filter can take in this corpus (used to drop stale params).

    Read from the per-table indexes (:mod:`core.query.memo`): every page run asks, so it must not scan
    150,000 events each time.
    """
    return {spec.field_name: spec.options(tables) for spec in list_filters()}


def from_query_params(params: Mapping[str, object], tables: Tables | None = None) -> tuple[Filters, list[str]]:
    """Read filters from URL params; anything malformed or stale is dropped with a notice.

    Keys that are not filter keys are ignored here (pages own them). With ``tables``, values
    that no longer exist in the corpus (an actor id, an agency) are dropped as stale and dates
    are clamped to the corpus span.
    """
    notices: list[str] = []
    kwargs: dict[str, object] = {}
    for spec in REGISTRY:
        found, notes = spec.read_params(params, tables)
        kwargs.update(found)
        notices += notes
    filters = Filters(**kwargs)
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
    for spec in REGISTRY:
        out.update(spec.write_params(filters))
    return out


# --------------------------------------------------------------------------- words


def slug(filters: Filters, names: Mapping[str, str] | None = None) -> str:
    """A short file-name-safe summary of the filters, for exported PNG names."""
    parts = [p for spec in REGISTRY if (p := spec.slug(filters, names or {}))]
    raw = "_".join(parts) or "all"
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", raw).strip("-").lower()[:80] or "all"


def words(filters: Filters, names: Mapping[str, str]) -> list[str]:
    """Each active filter in words ('actors: Igor Sergeev'), for export subtitles and slide captions."""
    return [p for spec in REGISTRY if (p := spec.words(filters, names))]


def describe(filters: Filters, tables: Tables) -> str:
    """One line saying what the current view holds, for captions under charts and tables.

    ``tables`` are the filtered tables, e.g. "42 events, 3 Jan 1999 – 14 Jun 2000, actors: Igor
    Sergeev".
    """
    n = len(tables.get("events", pd.DataFrame()))
    names = actor_names(tables.get("actors", pd.DataFrame()))
    parts = [f"{n:,} event{'s' if n != 1 else ''}"]
    parts += [p for spec in REGISTRY if (p := spec.caption(filters, tables, names))]
    return ", ".join(parts)


# --------------------------------------------------------------------------- applying


def table_mask(table: str, tables: Tables, filters: Filters) -> np.ndarray:
    """Rows of ``tables[table]`` every active filter keeps (the AND of their masks)."""
    keep = np.ones(len(tables[table]), dtype=bool)
    for spec in REGISTRY:
        if spec.active(filters):
            m = spec.mask(table, tables, filters)
            if m is not None:
                keep &= m
    return keep


def where_clause(table: str, tables: Tables, filters: Filters) -> Where:
    """:func:`table_mask` as one SQL condition on ``table`` (what a SQL data layer would run)."""
    parts = [w for spec in REGISTRY if spec.active(filters) and (w := spec.where(table, tables, filters)) is not None]
    return _sql_all(*parts) if parts else Where("TRUE")


def filter_events(tables: Tables, filters: Filters) -> pd.DataFrame:
    """The events that match every filter (an event matches an actor filter if any actor does)."""
    ev = tables["events"]
    return ev if ev.empty else ev[table_mask("events", tables, filters)]


def filter_amounts(tables: Tables, filters: Filters) -> pd.DataFrame:
    """Amounts that match every filter that speaks of amounts (dates, actors, topics, agencies, origin)."""
    am = tables["amounts"]
    return am if am.empty else am[table_mask("amounts", tables, filters)]


def filter_articles(tables: Tables, filters: Filters, event_article_ids: set[str]) -> pd.DataFrame:
    """Articles in range that mention the actors and cite the agencies, plus every article a
    matching event came from (an event in May may be reported in an August article)."""
    ar = tables["articles"]
    if ar.empty:
        return ar
    keep = table_mask("articles", tables, filters)
    keep |= text_of(ar, "article_id").isin(event_article_ids).to_numpy()
    return ar[keep]


def _rows_of_articles(df: pd.DataFrame, article_ids: set[str]) -> pd.DataFrame:
    return df[memo.rows_with_any(article_rows(df), article_ids, len(df))]


def warm(tables: Tables) -> None:
    """Build the indexes behind every filter now (once per corpus version), not on the first click."""
    tables = ensure_tables(tables)
    ev, am = tables["events"], tables["amounts"]
    if not ev.empty:
        event_span(ev)
        event_actor_index(ev)
        list_index(ev, "topics")
        article_codes(ev)
        if not tables["relations"].empty:
            _event_relation_pairs(ev, tables["relations"])
    if not am.empty:
        as_of_dates(am)
        _party_index(am)
    if not tables["articles"].empty:
        published_dates(tables["articles"])
        text_of(tables["articles"], "article_id")
    if not tables["mentions"].empty:
        _actor_articles(tables["mentions"])
    for name in ("mentions", "sentences", "citations"):
        if not tables[name].empty:
            article_rows(tables[name])
    options(tables)  # asked by every page run: its sets come from the same kind of indexes
    corpus_span(tables)
    if not ev.empty:
        article_ids_of(ev)


# --------------------------------------------------------------------------- carried over after a write
# After a write the loader brings the tables forward (core.query.tables.apply_changes): in each article
# table the rows of the articles the write did not touch stay, in their order, and the touched articles'
# rows are one block among them. Each index below is made for the new table from the old table's and
# from one built on that block alone (core.query.memo.carry_rows / carry_positions), instead of from every
# row again (0.7-0.9 s CPU at 2,000 articles, most of the first page after a write; issue 14).
# Indexes not listed (a factorisation, distinct values) cost a few ms and are built again by warm().
# Only a value made row by row (each row's entry from that row alone) can be carried like this: one that
# reads across rows must not be added here (the build on the block alone would be wrong).
# tests/test_filters_carry.py checks each against a build from scratch after random writes.

#: row-aligned values (a Series or array per row), by memo name: how one is built on a table
_ROWS: dict[str, Callable[[pd.DataFrame], object]] = {
    "event_dates": event_dates,
    "event_span": event_span,
    "as_of": as_of_dates,
    "published": published_dates,
    "source_counts": source_counts,
    "quad": _quads,
    "origin": cached_origin,
}
#: inverted indexes (token -> row positions), by memo name
_POSITIONS: dict[str, Callable[[pd.DataFrame], dict[str, np.ndarray]]] = {
    "actor_index": event_actor_index,
    "participant_index": event_participant_index,
    "parties": _party_index,
    "article_rows": article_rows,
}


def _builder(name: str) -> tuple[str, Callable[[pd.DataFrame], object]] | None:
    """(kind, builder) of a memo name :func:`carry` knows; None for the others."""
    if name in _ROWS:
        return "rows", _ROWS[name]
    if name in _POSITIONS:
        return "positions", _POSITIONS[name]
    if name.startswith("text:"):
        return "rows", lambda d, col=name[5:]: text_of(d, col)
    if name.startswith("list:"):
        return "positions", lambda d, col=name[5:]: list_index(d, col)
    return None


def _row_map(old: pd.DataFrame, new: pd.DataFrame, rewritten: frozenset[str] | set[str]) -> memo.RowMap | None:
    """How ``new``'s rows come from ``old``'s when the articles ``rewritten`` were read again (their
    rows dropped, the new ones one block), checked on the article ids; None when they do not."""
    if list(old.columns) != list(new.columns) or "article_id" not in old.columns:
        return None
    wanted = list(rewritten)
    drop = old["article_id"].isin(wanted).to_numpy() if wanted else np.zeros(len(old), dtype=bool)
    fresh = new["article_id"].isin(wanted).to_numpy() if wanted else np.zeros(len(new), dtype=bool)
    if len(old) - int(drop.sum()) + int(fresh.sum()) != len(new):
        return None
    m = memo.RowMap.of(drop, fresh)
    if m is None:
        return None
    kept_old = old["article_id"].take(m.kept).reset_index(drop=True)
    kept_new = new["article_id"].take(np.delete(np.arange(len(new)), np.arange(m.start, m.stop))).reset_index(drop=True)
    return m if kept_old.equals(kept_new) else None


def _carry_table(old: pd.DataFrame, new: pd.DataFrame, m: memo.RowMap, rewritten: frozenset[str] | set[str]) -> list[str]:
    """The indexes held for ``old`` made for ``new``; the names carried."""
    block = new.iloc[m.start : m.stop]
    done = []
    for name in memo.names(old):
        value = memo.peek(old, name)
        if value is None or memo.peek(new, name) is not None:
            continue
        how = _builder(name)
        if how is not None:
            kind, build = how
            fresh = build(block) if len(block) else None
            if kind == "rows":
                value = memo.carry_rows(value, m, fresh, new.index)
            else:
                value = memo.carry_positions(value, m, fresh, lambda r, b=build: list(b(new.iloc[r : r + 1])))
        elif name == "article_ids":
            value = (value - set(rewritten)) | (article_ids_of(block) if len(block) else set())
        elif name == "actor_articles":
            kept = {a: (arts - rewritten if not arts.isdisjoint(rewritten) else arts) for a, arts in value.items()}
            value = {a: arts for a, arts in kept.items() if arts}
            for a, arts in (_actor_articles(block) if len(block) else {}).items():
                value[a] = value.get(a, set()) | arts
        elif name == "article_agencies" and m.stop == len(new):  # fresh rows last: their articles come last
            value = {aid: agencies for aid, agencies in value.items() if aid not in rewritten}
            value.update(article_agencies(block) if len(block) else {})
        else:
            continue
        memo.put(new, name, value)
        done.append(name)
    return done


def _carry_event_pairs(old: Tables, new: Tables, m: memo.RowMap) -> bool:
    """:func:`_event_relation_pairs` of the new events and relations from the old ones: a relation row
    whose event list the old relations had, over events all kept, maps its old pairs; the others are
    read again. Why it is exact: every event an old relation lists was in the old events (relations are
    made from them), so its pairs are those events' rows, wherever they went; a fresh event sharing an
    id with a kept one (then the last row of the id would change) sends it to a full build."""
    old_ev, new_ev, old_rel, new_rel = old["events"], new["events"], old["relations"], new["relations"]
    hit = memo.peek(old_rel, "event_pairs")
    if hit is None or hit[0]() is not old_ev or new_rel.empty:
        return False
    _ref, ev_pos, rel_pos = hit
    ids = new_ev["event_id"].to_numpy(dtype=object)
    fresh_ids = set(ids[m.start : m.stop])
    if fresh_ids and not fresh_ids.isdisjoint(np.delete(ids, np.arange(m.start, m.stop))):
        return False
    moved = m.old_to_new[ev_pos]
    old_bounds = np.searchsorted(rel_pos, np.arange(len(old_rel) + 1))
    seen: dict[object, int] = {}
    for j, cell in enumerate(old_rel["event_ids"].to_numpy(dtype=object)):
        seen.setdefault(cell, j)
    cells = new_rel["event_ids"].to_numpy(dtype=object)
    was = np.fromiter((seen.get(c, -1) for c in cells), np.int64, len(cells))
    lo = np.where(was >= 0, old_bounds[np.maximum(was, 0)], 0)
    hi = np.where(was >= 0, old_bounds[np.maximum(was, 0) + 1], 0)
    gone = np.concatenate([[0], np.cumsum(moved < 0)])
    again = (was < 0) | (gone[hi] > gone[lo])  # rows whose pairs are read again from their cell
    lens = np.where(again, 0, hi - lo)
    # the pairs of every other row: its old pairs' slice, events moved to their new rows
    starts = np.repeat(lo - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
    ev_new = moved[np.arange(int(lens.sum()), dtype=np.int64) + starts]
    rel_new = np.repeat(np.arange(len(cells), dtype=np.int64), lens)
    redo = np.flatnonzero(again)
    if len(redo):
        items = [split_list(cells[j]) for j in redo]
        wanted = {e for cell in items for e in cell}
        pos = {e: i for i, e in enumerate(ids) if e in wanted}  # the last row of an id, as a full build maps it
        extra = [(pos[e], j) for j, cell in zip(redo, items, strict=True) for e in cell if e in pos]
        pairs = np.asarray(extra, dtype=np.int64).reshape(-1, 2)
        ev_new, rel_new = np.concatenate([ev_new, pairs[:, 0]]), np.concatenate([rel_new, pairs[:, 1]])
        order = np.argsort(rel_new, kind="stable")  # each row's pairs in their cell's order, rows in order
        ev_new, rel_new = ev_new[order], rel_new[order]
    memo.put(new_rel, "event_pairs", (weakref.ref(new_ev), ev_new, rel_new))
    return True


def carry(old: Tables, new: Tables, rewritten: frozenset[str] | set[str]) -> list[str]:
    """Make the filter indexes held for the tables ``old`` for the tables ``new`` that
    :func:`core.query.tables.apply_changes` made from them after the articles ``rewritten`` were read
    again, from the old indexes and the rows read again; :func:`warm` then builds only what is missing.

    Whatever cannot be carried exactly (a table whose rows are not laid out as expected, an index
    not held) is left to :func:`warm`, which builds it from scratch. Returns "table.name" of each
    index carried (the tests and the benchmark read it)."""
    rewritten = frozenset(rewritten)
    done: list[str] = []
    maps: dict[str, memo.RowMap] = {}
    for name in ("events", "amounts", "articles", "mentions", "sentences", "citations"):
        o, n = old.get(name), new.get(name)
        if o is None or n is None or o is n:
            continue
        m = _row_map(o, n, rewritten)
        if m is None:
            continue
        maps[name] = m
        done += [f"{name}.{x}" for x in _carry_table(o, n, m, rewritten)]
    ev_map = maps.get("events")
    if old.get("events") is new.get("events") and new.get("events") is not None:
        ev_map = memo.RowMap.of(np.zeros(len(new["events"]), dtype=bool), np.zeros(len(new["events"]), dtype=bool))
    if ev_map is not None and "relations" in old and "relations" in new and _carry_event_pairs(old, new, ev_map):
        done.append("relations.event_pairs")
    return done


def apply(tables: Tables, filters: Filters) -> dict[str, pd.DataFrame]:
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
    ev_keep = table_mask("events", tables, filters) if not ev.empty else np.zeros(0, dtype=bool)
    out["events"] = ev[ev_keep] if not ev.empty else ev
    out["amounts"] = filter_amounts(tables, filters)
    codes, uniques = article_codes(ev)
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
        pos = {eid: i for i, eid in enumerate(text_of(ev, "event_id"))}
        pairs = [(pos[e], j) for j, cell in enumerate(r["event_ids"]) for e in split_list(cell) if e in pos]
        arr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        return weakref.ref(ev), arr[:, 0], arr[:, 1]

    ref, ev_pos, rel_pos = memo.derived(rel, "event_pairs", build)
    if ref() is not ev:  # the same relations table met with another events table
        _, ev_pos, rel_pos = build(rel)
    return ev_pos, rel_pos
