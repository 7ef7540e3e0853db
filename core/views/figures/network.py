"""Who interacts with whom: actors as nodes, interactions as edges coloured by mean Goldstein.

The relations come from :mod:`core.query.relations`; this module turns them into a graph with the
attributes the figure reads (name, country, distinct events per actor). The layout is
networkx's spring layout with a fixed seed over sorted nodes, so the same data always draws
the same picture.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.domain.gazetteer import state_code
from core.domain.schema import TABLES
from core.query.frames import event_actor_index, split_list, text
from core.views.figures import style

MAX_LABELS = 25
BETWEENNESS_EXACT = 100


def relations_from_events(events: pd.DataFrame, actors: pd.DataFrame | None = None) -> pd.DataFrame:
    """Actor-pair relations of the given events: the one aggregator, :func:`core.query.relations.build_relations`."""
    from core.query import relations as core_relations

    if events is None or events.empty:
        return pd.DataFrame(columns=TABLES["relations"])
    acts = actors if actors is not None else pd.DataFrame(columns=TABLES["actors"])
    return core_relations.build_relations(events, acts, state_level=False)


def build_relations(events: pd.DataFrame, actors: pd.DataFrame, state_level: bool = True) -> pd.DataFrame:
    """The relations of the given events (:func:`core.query.relations.build_relations`)."""
    from core.query import relations as core_relations

    return core_relations.build_relations(events, actors, state_level)


def graph_for_view(tables: Mapping[str, pd.DataFrame], unfiltered: bool) -> nx.DiGraph:
    """The network page's graph. Unfiltered, the relations assembled with the corpus are reused
    (built once per store version); a filtered view rebuilds them from its kept events, because a
    pair's counts must be those of the kept events only."""
    events, actors, stored = tables["events"], tables["actors"], tables.get("relations")
    rel = stored if unfiltered and stored is not None and not stored.empty else build_relations(events, actors, False)
    return graph_from_relations(rel, actors, events)


def graph_from_relations(
    relations: pd.DataFrame, actors: pd.DataFrame, events: pd.DataFrame | None = None, node_counts: Mapping[str, int] | None = None
) -> nx.DiGraph:
    """A DiGraph with node attrs name/kind/country/n_events and edge attrs n_events/mean_goldstein/event_ids.

    Nodes are added in sorted order so the seeded layout is reproducible. ``n_events`` of a node
    counts the kept events that name it (from ``events`` when given, or ``node_counts`` when a query
    engine counted them, else from its edges).
    """
    g = nx.DiGraph()
    if relations is None or relations.empty:
        return g
    info = {}
    if actors is not None and not actors.empty:
        for aid, name, kind, country in zip(
            text(actors["actor_id"]), text(actors["name"]), text(actors["kind"]), text(actors["country"]).str.upper(), strict=False
        ):
            info[aid] = {"name": name or aid, "kind": kind, "country": country}
    rel = relations.copy()
    if "level" in rel.columns and (text(rel["level"]) == "actor").any():
        rel = rel[text(rel["level"]) == "actor"]  # actor pairs, not the state dyads
    rel["source_actor"] = text(rel["source_actor"])
    rel["target_actor"] = text(rel["target_actor"])
    nodes = sorted(set(rel["source_actor"]) | set(rel["target_actor"]) - {""})
    node_events: dict[str, set[str]] = {n: set() for n in nodes}
    node_rows: dict[str, np.ndarray] = {}
    if events is not None and not events.empty:
        node_rows = event_actor_index(events)  # actor -> events naming it (memoised per table)
    for n in nodes:
        meta = info.get(n, {"name": n, "kind": "", "country": state_code(n, counted=False) if n.isupper() else ""})
        g.add_node(n, **meta)
    for row in rel.sort_values(["source_actor", "target_actor"]).itertuples(index=False):
        if not row.source_actor or not row.target_actor:
            continue
        ids = split_list(row.event_ids)
        g.add_edge(
            row.source_actor,
            row.target_actor,
            n_events=int(row.n_events),
            mean_goldstein=float(row.mean_goldstein) if pd.notna(row.mean_goldstein) else 0.0,
            event_ids=ids,
        )
        if (events is None or events.empty) and node_counts is None:
            node_events[row.source_actor].update(ids)
            node_events[row.target_actor].update(ids)
    for n in nodes:
        if node_counts is not None and (events is None or events.empty):
            g.nodes[n]["n_events"] = int(node_counts.get(n, 0))
        else:
            g.nodes[n]["n_events"] = len(node_rows[n]) if n in node_rows else len(node_events[n])
    return g


def to_graph(relations: pd.DataFrame, actors: pd.DataFrame, events: pd.DataFrame | None = None) -> nx.DiGraph:
    """The drawing graph of a relations table (see :func:`graph_from_relations`)."""
    return graph_from_relations(relations, actors, events)


#: Plot area (px) the label placement assumes: the chart's smallest drawing (1440 px screen, legend and colour bar beside it).
PLOT_PX = (560.0, 400.0)
#: Axis room beyond the nodes, as a share of the larger span (x, y): labels at the edges are never cut.
AXIS_PAD = (0.18, 0.1)
#: The most important nodes (by events) that keep their label over a neighbour's marker.
MUST_LABEL = 3
#: Above this many actors the page opens on the state-level view (countries as nodes).
STATE_VIEW_ABOVE = 60
#: Actors kept by default in the actor-level view; the rest fold into one "others" node.
TOP_N = 40
OTHERS = "__others__"
NO_COUNTRY = "__none__"


def country_name(code: str) -> str:
    """A country's name from the gazetteer (never its code when the name is known)."""
    return style.country_name(code) or str(code) or "No country"


def _merge_edge(g: nx.DiGraph, s: str, t: str, d: dict) -> None:
    n = int(d.get("n_events", 0))
    gold = float(d.get("mean_goldstein", 0.0))
    ids = list(d.get("event_ids", []))
    if g.has_edge(s, t):
        e = g.edges[s, t]
        total = e["n_events"] + n
        e["mean_goldstein"] = (e["mean_goldstein"] * e["n_events"] + gold * n) / total if total else 0.0
        e["n_events"] = total
        e["event_ids"] = list(dict.fromkeys([*e["event_ids"], *ids]))
    else:
        g.add_edge(s, t, n_events=n, mean_goldstein=gold, event_ids=ids)


def state_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """Countries as nodes: every actor folded into its state (the USSR stays apart from Russia).

    An edge between two actors of one country is dropped (a state does not act on itself in this
    view); actors with no country fold into one "no country" node.
    """
    g = nx.DiGraph()
    members: dict[str, list[str]] = {}
    for n in sorted(graph.nodes):
        c = str(graph.nodes[n].get("country", "") or "").upper() or NO_COUNTRY
        members.setdefault(c, []).append(n)
    for c in sorted(members):
        g.add_node(
            c,
            name=country_name(c) if c != NO_COUNTRY else "No country given",
            kind="state",
            country=c if c != NO_COUNTRY else "",
            n_events=0,
            members=members[c],
        )
    country_of = {n: c for c, ns in members.items() for n in ns}
    node_ids: dict[str, set[str]] = {c: set() for c in members}
    for s, t, d in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        cs, ct = country_of[s], country_of[t]
        node_ids[cs].update(d.get("event_ids", []))
        node_ids[ct].update(d.get("event_ids", []))
        if cs != ct:
            _merge_edge(g, cs, ct, d)
    for c in g.nodes:
        g.nodes[c]["n_events"] = len(node_ids[c])
    g.remove_nodes_from([c for c in list(g.nodes) if g.degree(c) == 0])
    return g


def fold_others(graph: nx.DiGraph, top_n: int = TOP_N, keep: str | None = None) -> nx.DiGraph:
    """The ``top_n`` actors with most partners (and ``keep``); the rest become one "others" node."""
    if graph.number_of_nodes() <= top_n + 1:
        return graph
    und = graph.to_undirected(as_view=True)
    ranked = sorted(graph.nodes, key=lambda n: (-und.degree(n), -int(graph.nodes[n].get("n_events", 0)), n))
    kept = set(ranked[:top_n]) | ({keep} if keep in graph else set())
    folded = [n for n in graph.nodes if n not in kept]
    g = nx.DiGraph()
    for n in sorted(kept):
        g.add_node(n, **graph.nodes[n])
    g.add_node(OTHERS, name=f"{len(folded)} other actors", kind="others", country="", n_events=0)
    ids: set[str] = set()
    for s, t, d in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        a, b = (s if s in kept else OTHERS), (t if t in kept else OTHERS)
        if OTHERS in (a, b):
            ids.update(d.get("event_ids", []))
        if a != b:
            _merge_edge(g, a, b, d)
    g.nodes[OTHERS]["n_events"] = len(ids)
    if g.degree(OTHERS) == 0:
        g.remove_node(OTHERS)
    return g


def place_labels(
    pos: Mapping[str, tuple[float, float]],
    labels: Mapping[str, str],
    sizes: Mapping[str, float],
    order: list[str],
    *,
    width_px: float = 0.0,
    height_px: float = 0.0,
    font_px: float = 12.0,
    limit: int | None = None,
    pad: tuple[float, float] = (0.0, 0.0),
) -> dict[str, tuple[str, tuple[float, float, float, float]]]:
    """Labels that do not overlap: per node a text position and its box in pixels, or no label.

    Nodes are tried most important first; each label tries above, below, right and left of its
    marker and is kept only where its box clears every label and marker already placed — the
    others show their name on hover. Boxes are in the plot's pixel space for an aspect-locked
    plot of ``width_px`` × ``height_px`` (default :data:`PLOT_PX`) whose axes run ``pad`` (share of
    the larger span) beyond the nodes on x and y; text width ≈ 0.6 em per character. The size assumed
    is the smallest the page draws: on a wider screen the nodes move apart while the text keeps its
    size, so labels that clear each other here clear each other there.
    """
    width_px, height_px = width_px or PLOT_PX[0], height_px or PLOT_PX[1]
    if not pos:
        return {}
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    span_x = max(xs) - min(xs) + 2 * pad[0] * span
    span_y = max(ys) - min(ys) + 2 * pad[1] * span
    scale = min(width_px / max(span_x, 1e-9), height_px / max(span_y, 1e-9))
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2

    def px(n: str) -> tuple[float, float]:
        x, y = pos[n]
        return (x - cx) * scale, (y - cy) * scale

    def hit(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    markers = []
    for n in pos:
        x, y = px(n)
        r = sizes.get(n, 12) / 2
        markers.append((n, (x - r, y - r, x + r, y + r)))
    placed: dict[str, tuple[str, tuple[float, float, float, float]]] = {}
    boxes: list[tuple[float, float, float, float]] = []
    for rank, n in enumerate(order):
        if limit is not None and len(placed) >= limit:
            break
        if n not in pos or not labels.get(n):
            continue
        x, y = px(n)
        w, h, r = 0.6 * font_px * len(labels[n]) + 4, font_px * 1.3, sizes.get(n, 12) / 2 + 2
        options = {
            "top center": (x - w / 2, y + r, x + w / 2, y + r + h),
            "bottom center": (x - w / 2, y - r - h, x + w / 2, y - r),
            "middle right": (x + r, y - h / 2, x + r + w, y + h / 2),
            "middle left": (x - r - w, y - h / 2, x - r, y + h / 2),
        }
        options.update(
            {
                "top right": (x + r * 0.7, y + r * 0.7, x + r * 0.7 + w, y + r * 0.7 + h),
                "top left": (x - r * 0.7 - w, y + r * 0.7, x - r * 0.7, y + r * 0.7 + h),
                "bottom right": (x + r * 0.7, y - r * 0.7 - h, x + r * 0.7 + w, y - r * 0.7),
                "bottom left": (x - r * 0.7 - w, y - r * 0.7 - h, x - r * 0.7, y - r * 0.7),
            }
        )
        free = [(where, box) for where, box in options.items() if not any(hit(box, b) for b in boxes)]
        clear = [(where, box) for where, box in free if not any(hit(box, mb) for m, mb in markers if m != n)]
        # the few most important actors keep a label even over a neighbour's marker (never over a label)
        chosen = clear[0] if clear else (free[0] if free and rank < MUST_LABEL else None)
        if chosen:
            placed[n] = chosen
            boxes.append(chosen[1])
    return placed


def layout(graph: nx.Graph, seed: int = 42) -> dict[str, tuple[float, float]]:
    """Deterministic spring layout (sorted nodes, fixed seed, weights = interaction counts)."""
    if graph.number_of_nodes() == 0:
        return {}
    und = nx.Graph()
    und.add_nodes_from(sorted(graph.nodes))
    for s, t, d in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])):
        w = d.get("n_events", 1)
        if und.has_edge(s, t):
            und[s][t]["weight"] += w
        else:
            und.add_edge(s, t, weight=w)
    # Lay out each connected component on its own and set them side by side: one spring layout
    # over a disconnected graph pushes the parts apart and crushes each into a blob.
    comps = sorted((sorted(c) for c in nx.connected_components(und)), key=lambda c: (-len(c), c[0]))
    out: dict[str, tuple[float, float]] = {}
    x_offset = 0.0
    for comp in comps:
        # Built in sorted order: a subgraph view walks its nodes in set order, which changes with the
        # interpreter's hash seed, and the spring layout's start positions follow node order.
        sub = nx.Graph()
        sub.add_nodes_from(comp)
        sub.add_edges_from(und.edges(comp, data=True))
        size = math.sqrt(len(comp))
        if len(comp) == 1:
            local = {comp[0]: (0.0, 0.0)}
        else:
            k = 1.8 / math.sqrt(len(comp))
            # past ~100 nodes each iteration is O(n²); 100 iterations (twice networkx's default) settle
            # such a component and keep 300 nodes under a second
            raw = nx.spring_layout(sub, seed=seed, k=k, iterations=200 if len(comp) <= 100 else 100, weight=None)
            local = {n: (float(p[0]), float(p[1])) for n, p in raw.items()}
        xs = [p[0] for p in local.values()]
        ys = [p[1] for p in local.values()]
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
        scale = size / span if len(comp) > 1 else 0.0
        for n, (x, y) in local.items():
            out[n] = (round(x_offset + (x - cx) * scale + size / 2, 6), round((y - cy) * scale, 6))
        x_offset += size + 0.8
    return dict(sorted(out.items()))


def ego(graph: nx.DiGraph, center: str, depth: int = 1) -> nx.DiGraph:
    """Sub-graph of actors within ``depth`` steps of ``center`` (either direction)."""
    if center not in graph:
        return nx.DiGraph()
    return nx.ego_graph(graph, center, radius=max(1, min(int(depth), 2)), undirected=True).copy()


def undirected_edges(graph: nx.DiGraph) -> list[dict]:
    """A→B and B→A merged for drawing: summed counts, event-weighted mean Goldstein."""
    merged: dict[tuple[str, str], dict] = {}
    for s, t, d in graph.edges(data=True):
        a, b = sorted((s, t))
        m = merged.setdefault((a, b), {"a": a, "b": b, "n": 0, "gsum": 0.0, "event_ids": [], "dirs": []})
        n = int(d.get("n_events", 0))
        m["n"] += n
        m["gsum"] += float(d.get("mean_goldstein", 0.0)) * n
        m["event_ids"] += list(d.get("event_ids", []))
        m["dirs"].append((s, t, n, float(d.get("mean_goldstein", 0.0))))
    out = []
    for key in sorted(merged):
        m = merged[key]
        m["mean"] = m["gsum"] / m["n"] if m["n"] else 0.0
        m["event_ids"] = list(dict.fromkeys(m["event_ids"]))
        out.append(m)
    return out


def _goldstein_color(g: float) -> str:
    """Colour of a Goldstein value on the red–green scale."""
    t = (max(-10.0, min(10.0, g)) + 10) / 20
    scale = style.GOLDSTEIN_SCALE
    for (t0, c0), (t1, c1) in itertools.pairwise(scale):
        if t <= t1:
            f = 0 if t1 == t0 else (t - t0) / (t1 - t0)
            rgb0 = [int(c0[i : i + 2], 16) for i in (1, 3, 5)]
            rgb1 = [int(c1[i : i + 2], 16) for i in (1, 3, 5)]
            return "#" + "".join(f"{round(x0 + (x1 - x0) * f):02x}" for x0, x1 in zip(rgb0, rgb1, strict=False))
    return scale[-1][1]


def network_figure(
    graph: nx.DiGraph,
    positions: Mapping[str, tuple[float, float]] | None = None,
    *,
    subtitle: str = "",
    source: str = "",
    max_labels: int = MAX_LABELS,
    title: str = "Network of interactions between actors",
    highlight: str | None = None,
    co_edges: list[tuple[str, str, int]] | None = None,
) -> go.Figure:
    """Nodes coloured by country and sized by events; edge width by count, colour by mean Goldstein.

    customdata[0] is 'node:<actor_id>' on node markers and 'edge:<a>|<b>' on the edge midpoints,
    so a click can be mapped back to the events behind it.
    """
    if graph is None or graph.number_of_nodes() == 0:
        return style.empty_figure(title, "No interactions between actors match the current filters", subtitle, source)
    pos = dict(positions) if positions else layout(graph)
    pos = {n: pos[n] for n in graph.nodes if n in pos} if all(n in pos for n in graph.nodes) else layout(graph)
    fig = go.Figure()
    edges = undirected_edges(graph)
    max_n = max((e["n"] for e in edges), default=1)
    # one line trace per (colour step, width step), not per edge: a big graph stays light
    groups: dict[tuple[float, int], list[dict]] = {}
    for e in edges:
        width_step = min(4, int(4 * math.sqrt(e["n"] / max_n)))
        groups.setdefault((round(e["mean"] * 2) / 2, width_step), []).append(e)
    for (gold, width_step), members in sorted(groups.items()):
        # numpy arrays (NaN breaks the line between edges): plotly checks a list item by item
        xs = np.array([v for e in members for v in (pos[e["a"]][0], pos[e["b"]][0], np.nan)], dtype=float)
        ys = np.array([v for e in members for v in (pos[e["a"]][1], pos[e["b"]][1], np.nan)], dtype=float)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": _goldstein_color(gold), "width": 1.5 + 1.8 * width_step},
                hoverinfo="skip",
                showlegend=False,
                name="edge",
            )
        )
    names = {n: display_name(graph, n) for n in graph.nodes}
    co = [(a, b, k) for a, b, k in (co_edges or []) if a in pos and b in pos and a != b]
    if co:  # named together, no stated interaction: thin dashed grey, under the interactions
        xs = np.array([v for a, b, _k in co for v in (pos[a][0], pos[b][0], np.nan)], dtype=float)
        ys = np.array([v for a, b, _k in co for v in (pos[a][1], pos[b][1], np.nan)], dtype=float)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=CO_MENTION_LABEL,
                hoverinfo="skip",
                line={"color": style.UNKNOWN_COLOR, "width": 1.2, "dash": "dash"},
                opacity=0.8,
            )
        )
        fig.data = (fig.data[-1], *fig.data[:-1])
    if edges:
        hover = []
        for e in edges:
            lines = [
                f"<b>{style.esc(names[e['a']])} – {style.esc(names[e['b']])}</b>",
                f"{e['n']} interaction(s), mean Goldstein {e['mean']:+.1f}",
            ]
            lines += [f"{style.esc(names[s])} → {style.esc(names[t])}: {n} (mean {g:+.1f})" for s, t, n, g in e["dirs"]]
            hover.append("<br>".join(lines))
        fig.add_trace(
            go.Scatter(
                x=np.array([(pos[e["a"]][0] + pos[e["b"]][0]) / 2 for e in edges], dtype=float),
                y=np.array([(pos[e["a"]][1] + pos[e["b"]][1]) / 2 for e in edges], dtype=float),
                mode="markers",
                name="Interactions (click a midpoint)",
                showlegend=False,
                marker={
                    "size": 9,
                    "color": np.array([e["mean"] for e in edges], dtype=float),
                    "colorscale": style.GOLDSTEIN_SCALE,
                    "cmin": -10,
                    "cmax": 10,
                    "symbol": "diamond",
                    "line": {"width": 1, "color": "#ffffff"},
                },
                customdata=np.array([[f"edge:{e['a']}|{e['b']}", h] for e, h in zip(edges, hover, strict=False)], dtype=object),
                hovertemplate="%{customdata[1]}<extra></extra>",
            )
        )
    # colour bar explaining edge colours
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker={
                "colorscale": style.GOLDSTEIN_SCALE,
                "cmin": -10,
                "cmax": 10,
                "color": [0],
                "showscale": True,
                "colorbar": {
                    "title": {"text": "Mean Goldstein<br>(edge colour)", "side": "right"},
                    "tickvals": [-10, -5, 0, 5, 10],
                    "ticktext": ["-10 conflict", "-5", "0", "+5", "+10 cooperation"],
                    "x": 1.02,
                    "len": 0.6,
                    "y": 0.3,
                    "thickness": 14,
                },
            },
        )
    )
    nodes = sorted(graph.nodes)
    n_events = {n: int(graph.nodes[n].get("n_events", 0) or graph.degree(n)) for n in nodes}
    biggest = max(n_events.values(), default=1) or 1
    sizes = {n: 12 + 30 * math.sqrt(n_events[n] / biggest) for n in nodes}
    order = sorted(nodes, key=lambda n: (n != highlight, -n_events[n], n))
    placed = place_labels(pos, {n: names[n] for n in nodes}, sizes, order, limit=max_labels, pad=AXIS_PAD)
    countries = sorted({str(graph.nodes[n].get("country", "")) for n in nodes})
    for c in countries:
        members = [n for n in nodes if str(graph.nodes[n].get("country", "")) == c]
        others = c == "" and all(graph.nodes[n].get("kind") == "others" for n in members)
        label = "Other actors (folded)" if others else (country_name(c) if c else "Unknown country")
        fig.add_trace(
            go.Scatter(
                x=[pos[n][0] for n in members],
                y=[pos[n][1] for n in members],
                mode="markers+text",
                name=label,
                legendgroup="country",
                legendgrouptitle={"text": "Country (node colour)"} if c == countries[0] else None,
                text=[style.esc(names[n]) if n in placed else "" for n in members],
                textposition=[placed[n][0] if n in placed else "top center" for n in members],
                textfont={"size": 12, "color": style.INK},
                marker={
                    "size": [sizes[n] for n in members],
                    "color": style.country_color(c),
                    "line": {
                        "width": [3 if n == highlight else 1.5 for n in members],
                        "color": ["#000000" if n == highlight else "#ffffff" for n in members],
                    },
                },
                customdata=[
                    [f"node:{n}", style.esc(names[n]), n_events[n], graph.degree(n), graph.nodes[n].get("kind", "")] for n in members
                ],
                hovertemplate="<b>%{customdata[1]}</b> (%{customdata[4]})<br>%{customdata[2]} event(s), "
                "%{customdata[3]} link(s)<extra></extra>",
            )
        )
    hidden = len(nodes) - len(placed)
    note = f" · {hidden} label(s) on hover only (no room without overlap)" if hidden > 0 else ""
    fig.layout.meta = {"label_boxes": {n: list(b) for n, (_w, b) in placed.items()}}
    style.finish(fig, title, subtitle + note, source, height=640)
    xs_all = [p[0] for p in pos.values()]
    ys_all = [p[1] for p in pos.values()]
    span = max(max(xs_all) - min(xs_all), max(ys_all) - min(ys_all), 1.0)
    # room for labels at the edges: a name is never cut by the plot's border
    fig.update_xaxes(visible=False, showgrid=False, range=[min(xs_all) - AXIS_PAD[0] * span, max(xs_all) + AXIS_PAD[0] * span])
    fig.update_yaxes(
        visible=False,
        showgrid=False,
        scaleanchor="x",
        scaleratio=1,
        range=[min(ys_all) - AXIS_PAD[1] * span, max(ys_all) + AXIS_PAD[1] * span],
    )
    fig.update_layout(legend={"x": 1.02, "y": 1, "xanchor": "left"}, hovermode="closest", clickmode="event+select", dragmode="pan")
    return fig


CO_MENTION_LABEL = "Named together (no stated interaction)"


def display_name(graph: nx.DiGraph, n: str) -> str:
    """A node's name; a bare state code (an actor missing from the dictionary) gets its country's name."""
    name = str(graph.nodes[n].get("name", n) or n)
    if name == n and n.isupper() and state_code(n, counted=False):
        return country_name(n)
    return name


def centrality_table(graph: nx.DiGraph) -> pd.DataFrame:
    """Per actor: partners (degree), interactions, degree centrality and betweenness, most central first."""
    cols = ["actor_id", "name", "country", "kind", "events", "partners", "interactions", "degree_centrality", "betweenness"]
    if graph is None or graph.number_of_nodes() == 0:
        return pd.DataFrame(columns=cols)
    und = graph.to_undirected()
    deg_c = nx.degree_centrality(und) if und.number_of_nodes() > 1 else {n: 0.0 for n in und}
    # exact betweenness costs O(nodes × edges); past BETWEENNESS_EXACT nodes it is estimated from
    # that many seeded source nodes (same figures on every run, close ranks at a third of the time)
    n = und.number_of_nodes()
    k = None if n <= BETWEENNESS_EXACT else BETWEENNESS_EXACT
    btw = nx.betweenness_centrality(und, k=k, normalized=True, seed=42 if k else None)
    rows = []
    for n in sorted(graph.nodes):
        inter = sum(int(d.get("n_events", 0)) for _, _, d in graph.in_edges(n, data=True)) + sum(
            int(d.get("n_events", 0)) for _, _, d in graph.out_edges(n, data=True)
        )
        rows.append(
            {
                "actor_id": n,
                "name": graph.nodes[n].get("name", n),
                "country": graph.nodes[n].get("country", ""),
                "kind": graph.nodes[n].get("kind", ""),
                "events": int(graph.nodes[n].get("n_events", 0)),
                "partners": und.degree(n),
                "interactions": inter,
                "degree_centrality": round(float(deg_c.get(n, 0.0)), 4),
                "betweenness": round(float(btw.get(n, 0.0)), 4),
            }
        )
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(
        ["betweenness", "partners", "interactions", "actor_id"], ascending=[False, False, False, True], kind="stable"
    ).reset_index(drop=True)


def events_behind(graph: nx.DiGraph, key: str) -> list[str]:
    """Event ids behind a clicked 'node:<id>' or 'edge:<a>|<b>' key."""
    if key.startswith("node:"):
        n = key[5:]
        if n not in graph:
            return []
        ids: list[str] = []
        for _, _, d in list(graph.in_edges(n, data=True)) + list(graph.out_edges(n, data=True)):
            ids += list(d.get("event_ids", []))
        return list(dict.fromkeys(ids))
    if key.startswith("edge:") and "|" in key:
        a, b = key[5:].split("|", 1)
        ids = []
        for s, t in ((a, b), (b, a)):
            if graph.has_edge(s, t):
                ids += list(graph.edges[s, t].get("event_ids", []))
        return list(dict.fromkeys(ids))
    return []
