"""The dashboard's views, one :class:`ViewSpec` each: the single owner of a page's name, icon, file,
URL parameters, whether it can go in a briefing, and the recipe that turns filtered tables into its
figure.

Why: a page used to be written out in four to seven places (navigation, favicons, page params, the
briefing's list and its if-chain, the benchmark, the page tests), and each chart's recipe three
times (page, briefing, benchmark), which drifted. Now navigation (``ui.state``), the briefing
(:mod:`core.views.briefing`), the benchmark and the tests iterate :data:`VIEWS`, and a page calls its
view's :meth:`ViewSpec.run`. Pure: no Streamlit here; the pages keep the widgets and render.

A recipe's knobs are ``options`` (a mapping checked against the view's ``defaults``, which are what
the page draws before any control is touched): the page passes what its widgets say, the briefing
passes the view's ``briefing_options`` (where the briefing has always drawn the view differently
from the page, e.g. the network without folding, that is stated there, once), the benchmark the
defaults.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from core.domain.gazetteer import state_code
from core.query import filters as F
from core.query import frames, memo
from core.views.figures import debt_arms, dyad, network, style, timeline

KEY_EVENTS = 12


@dataclass
class ViewResult:
    """What a view's recipe gives: the figure (None when the page draws only a table), the rows it
    plots (for the export's period and source line), the message for an empty view, the name its
    files carry, and intermediate objects a page reuses for its controls (e.g. the network graph)."""

    figure: go.Figure | None
    rows: list[pd.DataFrame]
    empty_message: str
    name: str = ""
    extras: dict[str, Any] = field(default_factory=dict)

    def for_cache(self) -> ViewResult:
        """The result without its rows and extras: what a page keeps in a pickling cache (the rows
        can be the whole events table, and the page exports from its own tables)."""
        return ViewResult(self.figure, [], self.empty_message, self.name, {"empty": self.empty})

    @property
    def empty(self) -> bool:
        """True when nothing is plotted (an empty figure, or no rows for a table-only view)."""
        if "empty" in self.extras:
            return bool(self.extras["empty"])
        if self.figure is not None:
            return style.is_empty_figure(self.figure)
        return all(r is None or r.empty for r in self.rows)


Build = Callable[[Mapping[str, pd.DataFrame], F.Filters, Mapping[str, Any]], ViewResult]


@dataclass(frozen=True)
class ViewSpec:
    """One view of the dashboard.

    ``key`` names the page inside the app (widget keys, page params, read-only pages); ``script``
    is the page file (its stem is the URL path; ``app.py`` is the home page at ``/``). ``title``
    and ``icon`` are the menu entry (and the README's page table row); ``heading`` and
    ``heading_icon`` the page's own title when it differs. ``params`` are the URL parameters the
    page owns besides the filters. ``writes``: the page changes the store (hidden when read-only).
    ``tool``: a page of forms that does not draw the corpus. ``briefing``: the view can go in a
    briefing, as ``briefing_label`` with the line ``what``.
    """

    key: str
    title: str
    icon: str
    script: str
    favicon: str = "🌏"
    heading: str = ""
    heading_icon: str = ""
    params: frozenset[str] = frozenset()
    writes: bool = False
    tool: bool = False
    briefing: bool = False
    briefing_label: str = ""
    what: str = ""
    build: Build | None = None
    defaults: Mapping[str, Any] = field(default_factory=dict)
    briefing_options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """URL path of the page ('' for the home page): Streamlit names a page after its script."""
        return "" if self.script == "app.py" else PurePosixPath(self.script).stem

    @property
    def label(self) -> str:
        """The view's name in a briefing."""
        return self.briefing_label or self.title

    def options(self, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The defaults overlaid with ``options``; an unknown option is a ValueError naming the known ones."""
        given = dict(options or {})
        unknown = sorted(set(given) - set(self.defaults))
        if unknown:
            known = ", ".join(sorted(self.defaults)) or "none"
            raise ValueError(f"view {self.key!r} has no option(s) {', '.join(unknown)}; known: {known}")
        return {**self.defaults, **given}

    def run(self, tables: Mapping[str, pd.DataFrame], filters: F.Filters, options: Mapping[str, Any] | None = None) -> ViewResult:
        """The view under the filters: its recipe on the (already filtered) tables."""
        if self.build is None:
            raise ValueError(f"view {self.key!r} is a page of forms and has no figure to build")
        return self.build(tables, filters, self.options(options))


def _reports(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Every report behind the shown events: a page that collapses events to happenings keeps the
    reports under "reports" (their articles are the sources); otherwise the events are the reports."""
    return tables.get("reports", tables["events"])


# --------------------------------------------------------------------------- overview


def build_overview(tables: Mapping[str, pd.DataFrame], filters: F.Filters, options: Mapping[str, Any]) -> ViewResult:
    """Net cooperation between Russia and each Korea: Σ Goldstein per direction and period.

    Options: ``engine`` (a :class:`core.query.engine.Engine` of the corpus: the series, the caption
    and the source line are queries, and only ``tables["actors"]`` is read) and ``every`` (with an
    engine: every report rather than resolved events)."""
    engine = options["engine"]
    if engine is not None:
        from core.query.engine import describe

        every = bool(options["every"])
        subtitle = describe(engine, filters, tables["actors"], every=every) + f"; Σ Goldstein per direction ({dyad.counting_note()})"
        fig = dyad.dyad_figure(
            None,
            tables["actors"],
            subtitle=subtitle,
            source=style.source_text(**engine.sources(filters)),
            series_of=lambda freq: engine.dyad_series(filters, freq, every=every),
        )
        return ViewResult(fig, [], _OVERVIEW_EMPTY, name="net-cooperation", extras={"empty": style.is_empty_figure(fig)})
    reports = _reports(tables)
    subtitle = F.describe(filters, tables) + f"; Σ Goldstein per direction ({dyad.counting_note()})"
    fig = dyad.dyad_figure(tables["events"], tables["actors"], subtitle=subtitle, source=style.source_line(tables, [reports]))
    return ViewResult(fig, [reports], _OVERVIEW_EMPTY, name="net-cooperation")


_OVERVIEW_EMPTY = "No Russia–Korea events (source and target in Russia and a Korea) match the current filters."


# --------------------------------------------------------------------------- timeline


def build_timeline(tables: Mapping[str, pd.DataFrame], filters: F.Filters, options: Mapping[str, Any]) -> ViewResult:
    """Events on a time axis, one lane per actor (or event type).

    Options: ``lane`` ('actor' or 'type'), ``max_lanes`` (None: the chart's default), ``lanes``
    (lanes picked by name, overriding the count), ``window`` (cut the axis and spans to the date
    filter), ``max_points`` (None: the chart's default; more points become counts per period).
    ``engine`` (a :class:`core.query.engine.Engine`), ``every`` and ``rows`` (a page of the engine's
    rows → their pandas rows): the lanes and counts are queries (:func:`_timeline_from_engine`)."""
    lane = str(options["lane"])
    if options["engine"] is not None:
        return _timeline_from_engine(tables, filters, options)
    reports = _reports(tables)
    fig = timeline.timeline_figure(
        tables["events"],
        tables["actors"],
        lane=lane,
        max_lanes=timeline.MAX_LANES if options["max_lanes"] is None else int(options["max_lanes"]),
        max_points=timeline.MAX_POINTS if options["max_points"] is None else int(options["max_points"]),
        lanes_wanted=list(options["lanes"]) or None,
        subtitle=F.describe(filters, tables),
        window=(filters.start, filters.end) if options["window"] else None,
        source=style.source_line(tables, [reports]),
    )
    return ViewResult(fig, [reports], "No dated events match the current filters.", name=f"timeline-by-{lane}")


def _timeline_from_engine(tables: Mapping[str, pd.DataFrame], filters: F.Filters, options: Mapping[str, Any]) -> ViewResult:
    """The Timeline from the query engine: the lanes counted, then either the counts per period made
    in SQL (many points) or the few events drawn one by one, their rows made by ``options["rows"]``
    (a page of the engine's rows → the shown events' pandas rows). The same chart as the pandas path
    (tests/test_pages_engine.py)."""
    from core.query.engine import describe

    engine, every, lane = options["engine"], bool(options["every"]), str(options["lane"])
    window = (filters.start, filters.end) if options["window"] else None
    max_lanes = timeline.MAX_LANES if options["max_lanes"] is None else int(options["max_lanes"])
    subtitle = describe(engine, filters, tables["actors"], every=every)
    source = style.source_text(**engine.sources(filters))
    name, empty = f"timeline-by-{lane}", "No dated events match the current filters."

    def result(fig: go.Figure) -> ViewResult:
        return ViewResult(fig, [], empty, name=name)

    counts = engine.timeline_lanes(filters, lane, every=every, window=window)
    if counts.empty:
        if not engine.event_count(filters, every=every):
            return result(timeline.empty_timeline(lane, subtitle=subtitle, source=source))
        dated = window is None or not engine.timeline_lanes(filters, lane, every=every).empty
        return result(timeline.empty_timeline(lane, timeline.NONE_IN_WINDOW if dated else timeline.NO_DATED, subtitle, source))
    lanes, hidden = timeline.choose_lanes(counts, list(options["lanes"]) or None, max_lanes)
    n_undated = engine.undated(filters, every=every)
    if int(counts.loc[lanes].sum()) > (timeline.MAX_POINTS if options["max_points"] is None else int(options["max_points"])):
        got = engine.timeline_cells(filters, lane, lanes, every=every, window=window)
        fig = timeline.counts_figure(
            timeline.Cells(got["cells"]),
            lanes,
            lane=lane,
            n_events=got["n_events"],
            hidden=hidden,
            n_undated=n_undated,
            axis=timeline.axis_from(got["lo"], got["hi"], window),
            subtitle=subtitle,
            source=source,
        )
        return result(fig)
    events = options["rows"](engine.timeline_rows(filters, lane, lanes, every=every, window=window))
    fig = timeline.points_figure(
        events, tables["actors"], lanes, lane=lane, hidden=hidden, n_undated=n_undated, window=window, subtitle=subtitle, source=source
    )
    return result(fig)


# --------------------------------------------------------------------------- network


def network_graph(
    tables: Mapping[str, pd.DataFrame], filters: F.Filters, stored_relations: bool = False, engine: Any = None, every: bool = False
) -> nx.DiGraph:
    """The actor graph of the shown events (memoised per events table). ``stored_relations``: an
    unfiltered view may reuse the relations assembled with the corpus (they count every report).

    ``engine`` (a :class:`core.query.engine.Engine`): the pairs and each actor's events are queries
    (``every``: of every report, else of resolved events), memoised in the engine; only
    ``tables["actors"]`` (and the stored ``relations`` when reused) is read."""
    unfiltered = bool(stored_relations) and filters.is_empty()
    if engine is not None:

        def make() -> nx.DiGraph:
            stored = tables.get("relations") if unfiltered else None
            rel = stored if stored is not None and not stored.empty else engine.relations(filters, every=every)
            counts = engine.top_actors(filters, None, every=every)
            return network.graph_from_relations(rel, tables["actors"], None, dict(zip(counts["actor"], counts["n_events"], strict=True)))

        return engine.memo(("view_network_graph", filters, every, unfiltered), make)
    return memo.derived(
        tables["events"], f"view_network_graph:{unfiltered}", lambda _ev: network.graph_for_view(tables, unfiltered=unfiltered)
    )


def network_level(graph: nx.DiGraph, level: str | None = None) -> str:
    """'actor' or 'state'; by default states once the actors are too many to read."""
    if level in ("actor", "state"):
        return str(level)
    return "state" if graph.number_of_nodes() > network.STATE_VIEW_ABOVE else "actor"


def network_base(
    tables: Mapping[str, pd.DataFrame],
    filters: F.Filters,
    level: str,
    stored_relations: bool = False,
    engine: Any = None,
    every: bool = False,
) -> nx.DiGraph:
    """The graph at the node level asked for: actors, or countries (memoised per events table, or in the engine)."""
    graph = network_graph(tables, filters, stored_relations, engine, every)
    if level != "state":
        return graph
    unfiltered = bool(stored_relations) and filters.is_empty()
    if engine is not None:
        return engine.memo(("view_network_states", filters, every, unfiltered), lambda: network.state_graph(graph))
    return memo.derived(tables["events"], f"view_network_states:{unfiltered}", lambda _ev: network.state_graph(graph))


def network_top(base: nx.DiGraph, level: str, center: str = "", top: int | None = None) -> int:
    """How many actors are drawn before the rest fold into "others": ``top`` when given (0: all),
    else :data:`network.TOP_N` for a big actor view without an ego, else all."""
    n_base = base.number_of_nodes()
    if top is not None:
        return n_base if int(top) <= 0 else int(top)
    if level == "actor" and not center and n_base > network.TOP_N + 1:
        return network.TOP_N
    return n_base


def co_mention_edges(events: pd.DataFrame, level: str, view: nx.DiGraph, actor_graph: nx.DiGraph) -> list[tuple[str, str, int]]:
    """Co-mentions of the kept events, mapped onto the nodes drawn (countries, or "others")."""
    from core.query.relations import co_mentions

    co = co_mentions(events)
    country = {n: (str(actor_graph.nodes[n].get("country", "")) or "").upper() for n in actor_graph.nodes}
    out: dict[tuple[str, str], int] = {}
    for a, b, k in zip(co["actor_a"], co["actor_b"], co["n_events"], strict=False):
        if level == "state":
            a, b = country.get(a, state_code(a, counted=False)), country.get(b, state_code(b, counted=False))
        else:
            a = a if a in view else (network.OTHERS if network.OTHERS in view else "")
            b = b if b in view else (network.OTHERS if network.OTHERS in view else "")
        if a and b and a != b and a in view and b in view:
            pair = tuple(sorted((a, b)))
            out[pair] = out.get(pair, 0) + int(k)
    return [(a, b, k) for (a, b), k in sorted(out.items())]


def build_network(tables: Mapping[str, pd.DataFrame], filters: F.Filters, options: Mapping[str, Any]) -> ViewResult:
    """Who acted toward whom: actors or states, an ego view, the rest folded into "others".

    Options: ``level`` (None: by size), ``center`` and ``depth`` (the ego view), ``top`` (actors
    kept before folding; None: by size, 0: all), ``co`` (co-mentions as dashed lines),
    ``stored_relations``, ``engine`` and ``every`` (see :func:`network_graph`; with an engine,
    ``tables["events"]`` is read only for the co-mentions). Extras: ``graph`` (actors), ``base`` (at the
    level drawn), ``view`` (what is drawn, for clicks and centrality), ``level``, ``names``."""
    stored = bool(options["stored_relations"])
    engine, every = options["engine"], bool(options["every"])
    graph = network_graph(tables, filters, stored, engine, every)
    level = network_level(graph, options["level"])
    base = network_base(tables, filters, level, stored, engine, every)
    center = str(options["center"] or "")
    center = center if center in base else ""
    depth = int(options["depth"])
    n_base = base.number_of_nodes()
    top = network_top(base, level, center, options["top"])
    if center:
        view = network.ego(base, center, depth)
    elif level == "actor" and top < n_base:
        view = network.fold_others(base, top)
    else:
        view = base
    drawn = base if center or view is base else view  # ego views keep the whole graph's positions
    layout_key = f"view_network_layout:{stored and filters.is_empty()}:{level}:{'base' if drawn is base else top}"
    if engine is not None:
        from core.query.engine import describe

        positions = engine.memo(("view_network_layout", filters, every, layout_key), lambda: network.layout(drawn, seed=42))
        subtitle = describe(engine, filters, tables["actors"], every=every)
        source = style.source_text(**engine.sources(filters))
    else:
        positions = memo.derived(tables["events"], layout_key, lambda _ev: network.layout(drawn, seed=42))
        subtitle, source = F.describe(filters, tables), style.source_line(tables, [_reports(tables)])
    co_edges = co_mention_edges(tables["events"], level, view, graph) if options["co"] else None
    names = {n: network.display_name(base, n) for n in base.nodes}
    what = "states" if level == "state" else "actors"
    title = f"Ego network of {names[center]} (depth {depth})" if center else f"Network of interactions between {what}"
    fig = network.network_figure(
        view,
        positions,
        subtitle=subtitle,
        source=source,
        title=title,
        highlight=center or None,
        co_edges=co_edges,
    )
    return ViewResult(
        fig,
        [] if engine is not None else [_reports(tables)],
        "No interactions (events with a source and a target actor) match the current filters.",
        name="network" + (f"-ego-{center}" if center else ""),
        extras={"graph": graph, "base": base, "view": view, "level": level, "names": names, "top": top},
    )


# --------------------------------------------------------------------------- debt vs arms


def build_debt_arms(tables: Mapping[str, pd.DataFrame], filters: F.Filters, options: Mapping[str, Any]) -> ViewResult:
    """Debt figures beside arms delivered and dealt, in US$. Option ``filters_in_subtitle``: the
    subtitle also states the filters (the page does; a briefing slide states them in its caption)."""
    shown = debt_arms.dollar_rows(tables["amounts"])
    n = len(shown)
    subtitle = f"{n} dollar figure{'s' if n != 1 else ''}"
    if options["filters_in_subtitle"]:
        subtitle += f"; filters: {F.describe(filters, tables)}"
    fig = debt_arms.debt_arms_figure(tables["amounts"], tables["articles"], subtitle=subtitle, source=style.source_line(tables, [shown]))
    return ViewResult(fig, [shown], "No debt or arms figures match the current filters.", name="debt-vs-arms")


# --------------------------------------------------------------------------- events (key events)


def key_events(events: pd.DataFrame, limit: int = KEY_EVENTS) -> pd.DataFrame:
    """The events most worth a slide: most agencies cited, then strongest Goldstein, then surest;
    the top ``limit`` in date order."""
    if events is None or events.empty:
        return events.iloc[0:0] if events is not None else pd.DataFrame()
    ev = events.copy()
    ev["_n_sources"] = [len(frames.split_list(v)) for v in ev["sources"]]
    ev["_strength"] = pd.to_numeric(ev["goldstein"], errors="coerce").abs().fillna(0)
    ev["_conf"] = pd.to_numeric(ev["confidence"], errors="coerce").fillna(0)
    ev["_date"] = frames.to_datetime(ev["start_date"])
    top = ev.sort_values(
        ["_n_sources", "_strength", "_conf", "_date"], ascending=[False, False, False, True], kind="stable", na_position="last"
    ).head(limit)
    return top.sort_values(["_date", "event_id"], kind="stable", na_position="last")


def key_events_figure(
    events: pd.DataFrame, actors: pd.DataFrame, *, subtitle: str = "", source: str = "", limit: int = KEY_EVENTS
) -> go.Figure:
    """A table of :func:`key_events`: date, type and status, actors, what happened, agencies."""
    title = "Key events"
    top = key_events(events, limit)
    if top is None or top.empty:
        return style.empty_figure(title, subtitle=subtitle, source=source)
    names = frames.actor_names(actors)

    def cut(value: object, n: int) -> str:
        raw = "" if frames.is_missing(value) else " ".join(str(value).split())
        return raw if len(raw) <= n else raw[: n - 1].rstrip() + "…"

    def wrapped(value: str, width: int) -> str:
        return "<br>".join(style.esc(x) for x in textwrap.wrap(value, width)) or ""

    cells = [
        [w if w != "?" else "undated" for w in frames.when_column(top)],  # at the precision the text gave
        [wrapped(f"{t} ({s})" if s else t, 22) for t, s in zip(frames.text(top["event_type"]), frames.text(top["status"]), strict=False)],
        [wrapped(", ".join(names.get(a, a) for a in frames.split_list(v)), 28) for v in top["actors"]],
        [wrapped(cut(e, 240), 96) for e in top["evidence"]],
        [wrapped(", ".join(frames.split_list(v)) or "—", 22) for v in top["sources"]],
    ]
    fig = go.Figure(
        go.Table(
            columnwidth=[1.1, 1.6, 2.0, 5.2, 1.6],
            header={
                "values": [
                    "<b>Date</b>",
                    "<b>Event (status)</b>",
                    "<b>Actors</b>",
                    "<b>What happened (evidence)</b>",
                    "<b>Agencies cited</b>",
                ],
                "fill_color": "#eef1f4",
                "align": "left",
                "font": {"size": 12, "color": style.INK},
                "height": 28,
            },
            cells={
                "values": cells,
                "align": "left",
                "font": {"size": 11, "color": style.INK},
                "height": 24,
                "fill_color": [(["#ffffff", "#f8f9fa"] * (len(top) // 2 + 1))[: len(top)]] * len(cells),
            },
        )
    )
    n = len(top)
    note = f"the {n} most cited event{'s' if n != 1 else ''} (agencies named), in date order"
    style.finish(fig, title, style.join_notes(subtitle, note), source, height=max(420, 170 + 62 * n))
    return fig


def build_events(tables: Mapping[str, pd.DataFrame], filters: F.Filters, options: Mapping[str, Any]) -> ViewResult:
    """The events under the filters. With ``figure`` (the briefing), the key events as a table
    figure and its rows; without (the Events page, which draws its own paged table), the events."""
    ev = tables["events"]
    empty = "No events match the current filters."
    if not options["figure"]:
        return ViewResult(None, [ev], empty, name="events")
    top = key_events(ev, int(options["limit"]))
    fig = key_events_figure(
        ev, tables["actors"], subtitle=F.describe(filters, tables), source=style.source_line(tables, [top]), limit=int(options["limit"])
    )
    return ViewResult(fig, [top], empty, name="key-events")


# --------------------------------------------------------------------------- the registry

#: Every page of the dashboard, in menu order; app.py is the home page.
VIEWS: tuple[ViewSpec, ...] = (
    ViewSpec(
        "overview",
        "Overview",
        ":material/dashboard:",
        "app.py",
        favicon="🌏",
        heading="Russia–Korea relations",
        heading_icon=":material/public:",
        params=frozenset({"reports"}),
        build=build_overview,
        defaults={"engine": None, "every": False},
    ),
    ViewSpec(
        "timeline",
        "Timeline",
        ":material/timeline:",
        "pages/timeline.py",
        favicon="📈",
        params=frozenset({"lane", "event", "lanes", "reports"}),
        briefing=True,
        what="events on a time axis, one lane per actor",
        build=build_timeline,
        defaults={
            "lane": "actor",
            "max_lanes": None,
            "lanes": (),
            "window": True,
            "engine": None,
            "every": False,
            "rows": None,
            "max_points": None,
        },
        briefing_options={"window": False},
    ),
    ViewSpec(
        "network",
        "Network",
        ":material/hub:",
        "pages/network.py",
        favicon="🕸️",
        params=frozenset({"ego", "depth", "level", "top", "co", "reports"}),
        briefing=True,
        what="who acted toward whom, coloured by mean Goldstein",
        build=build_network,
        defaults={
            "level": None,
            "center": "",
            "depth": 1,
            "top": None,
            "co": False,
            "stored_relations": False,
            "engine": None,
            "every": False,
        },
        briefing_options={"level": "actor", "top": 0},
    ),
    ViewSpec(
        "debt-arms",
        "Debt vs arms",
        ":material/payments:",
        "pages/debt_arms.py",
        favicon="💵",
        heading="Debt vs arms deliveries",
        briefing=True,
        what="reported debt figures beside arms delivered and dealt",
        build=build_debt_arms,
        defaults={"filters_in_subtitle": True},
        briefing_options={"filters_in_subtitle": False},
    ),
    ViewSpec(
        "events",
        "Events",
        ":material/table_rows:",
        "pages/events.py",
        favicon="📋",
        params=frozenset({"reports"}),
        briefing=True,
        briefing_label="Key events",
        what="the most cited events, in date order",
        build=build_events,
        defaults={"figure": False, "limit": KEY_EVENTS},
        briefing_options={"figure": True},
    ),
    ViewSpec("articles", "Articles", ":material/article:", "pages/articles.py", favicon="📰", params=frozenset({"article"})),
    ViewSpec("add-articles", "Add articles", ":material/upload_file:", "pages/add_articles.py", writes=True, tool=True),
    ViewSpec("briefing", "Briefing", ":material/slideshow:", "pages/briefing.py", tool=True),
)
BY_KEY: dict[str, ViewSpec] = {v.key: v for v in VIEWS}


def get(key: str) -> ViewSpec:
    """The view registered under ``key``; a ValueError naming the registered ones otherwise."""
    try:
        return BY_KEY[key]
    except KeyError:
        raise ValueError(f"unknown view {key!r}; choose from {', '.join(BY_KEY)}") from None


def briefing_views() -> dict[str, ViewSpec]:
    """The views a briefing can hold, in menu order."""
    return {v.key: v for v in VIEWS if v.briefing}


def corpus_views() -> tuple[ViewSpec, ...]:
    """The pages that draw the corpus (charts and tables), without the pages of forms, in menu order."""
    return tuple(v for v in VIEWS if not v.tool)
