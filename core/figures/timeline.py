"""Events on a time axis: one lane per actor or per event type, colour = QuadClass, shape = status.

Uncertain events (planned, reported, unconfirmed, denied) must not read like facts in a
screenshot, hence hollow/crossed symbols; date ranges are drawn as spans so a three-day visit
does not look like a point.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from core.figures import style
from core.filters import actor_names, format_date, split_list, text, to_datetime

LANE_MODES = ("actor", "type")
MAX_LANES = 25


def _points(events: pd.DataFrame, actors: pd.DataFrame, lane: str) -> pd.DataFrame:
    """One row per (event, lane); an event with three actors sits in three actor lanes."""
    names = actor_names(actors)
    ev = events.copy()
    ev["_start"] = to_datetime(ev["start_date"])
    end = to_datetime(ev["end_date"])
    ev["_end"] = end.where(end.notna() & (end > ev["_start"]))
    ev = ev[ev["_start"].notna()]
    ev["_actor_names"] = ev["actors"].map(lambda v: ", ".join(names.get(a, a) for a in split_list(v)) or "—")
    if lane == "type":
        ev["_lane"] = text(ev["event_type"]).replace("", "unknown type")
        return ev
    ev["_lane_ids"] = [
        list(dict.fromkeys(split_list(a) + [x for x in (str(s), str(t)) if x and x != "nan"]))
        for a, s, t in zip(ev["actors"], text(ev["source_actor"]), text(ev["target_actor"]), strict=False)
    ]
    ev = ev.explode("_lane_ids")
    ev = ev[ev["_lane_ids"].notna()]
    ev["_lane"] = ev["_lane_ids"].map(lambda a: names.get(a, a))
    return ev


def timeline_figure(
    events: pd.DataFrame,
    actors: pd.DataFrame,
    *,
    lane: str = "actor",
    subtitle: str = "",
    source: str = "",
    max_lanes: int = MAX_LANES,
) -> go.Figure:
    """Timeline of the given (already filtered) events; customdata[0] of every point is event_id."""
    title = "Timeline of events by " + ("actor" if lane != "type" else "event type")
    if events is None or events.empty:
        return style.empty_figure(title, subtitle=subtitle, source=source)
    pts = _points(events, actors, "type" if lane == "type" else "actor")
    n_undated = int(to_datetime(events["start_date"]).isna().sum())
    if pts.empty:
        return style.empty_figure(title, "No dated events match the current filters", subtitle=subtitle, source=source)

    counts = pts.groupby("_lane")["event_id"].nunique().sort_values(ascending=False, kind="stable")
    lanes_all = sorted(counts.index, key=lambda k: (-counts[k], k))
    lanes = lanes_all[:max_lanes]
    hidden = len(lanes_all) - len(lanes)
    pts = pts[pts["_lane"].isin(lanes)]
    order = {name: i for i, name in enumerate(lanes)}

    fig = go.Figure()
    quad = pd.to_numeric(pts["quad_class"], errors="coerce")
    # spans first so points sit on top of them
    spans = pts[pts["_end"].notna()]
    for q in [*sorted(pd.to_numeric(spans["quad_class"], errors="coerce").dropna().unique().tolist()), None]:
        sub = spans[pd.to_numeric(spans["quad_class"], errors="coerce") == q] if q is not None else \
            spans[pd.to_numeric(spans["quad_class"], errors="coerce").isna()]
        if sub.empty:
            continue
        xs: list[object] = []
        ys: list[object] = []
        for s, e, ln in zip(sub["_start"], sub["_end"], sub["_lane"], strict=False):
            xs += [s, e, None]
            ys += [ln, ln, None]
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines", name=f"span · {style.quad_label(q)}", showlegend=False,
            line={"color": style.quad_color(q), "width": 6}, opacity=0.45, hoverinfo="skip", legendgroup=f"q{q}",
        ))

    for q in [1, 2, 3, 4, None]:
        sub = pts[quad == q] if q is not None else pts[quad.isna()]
        if sub.empty:
            continue
        status = text(sub["status"]).str.lower()
        dates = [
            format_date(s) + (f" – {format_date(e)}" if pd.notna(e) else "")
            for s, e in zip(sub["_start"], sub["_end"], strict=False)
        ]
        custom = list(zip(
            text(sub["event_id"]),
            dates,
            [style.wrap(a, 60, 3) for a in sub["_actor_names"]],
            [style.wrap(t, 60, 1) for t in text(sub["event_type"])],
            [style.wrap(s, 40, 1) for s in status],
            [style.wrap(e, 70, 8) for e in sub["evidence"]],
            strict=False,
        ))
        fig.add_trace(go.Scatter(
            x=sub["_start"], y=sub["_lane"], mode="markers", name=style.quad_label(q),
            legendgroup=f"q{q}", showlegend=False,
            marker={
                "color": style.quad_color(q), "size": 13, "symbol": [style.status_symbol(s) for s in status],
                "line": {"width": 2, "color": style.quad_color(q)},
            },
            customdata=custom,
            hovertemplate=(
                "<b>%{customdata[1]}</b><br>Actors: %{customdata[2]}<br>Type: %{customdata[3]}"
                "<br>Status: %{customdata[4]}<br><br>%{customdata[5]}<extra></extra>"
            ),
        ))
    present_q = set(quad.dropna().astype(int))
    legend_q = [q for q in (1, 2, 3, 4) if q in present_q] + ([None] if quad.isna().any() else [])
    for i, q in enumerate(legend_q):
        fig.add_trace(style.legend_marker(style.quad_label(q), "circle", style.quad_color(q), group=f"q{q}",
                                          title="QuadClass (colour)" if i == 0 else None))
    present = list(dict.fromkeys(text(pts["status"]).str.lower()))
    for i, s in enumerate(st for st in style.STATUS_SYMBOLS if st in present):
        fig.add_trace(style.legend_marker(s, style.status_symbol(s), style.MUTED, group="status",
                                          title="Status (shape)" if i == 0 else None))

    notes = []
    if hidden:
        notes.append(f"{hidden} smaller lanes not shown")
    if n_undated:
        notes.append(f"{n_undated} undated event{'s' if n_undated != 1 else ''} not shown")
    full_sub = style.join_notes(subtitle, *notes)
    height = max(420, 150 + 34 * len(lanes))
    style.finish(fig, title, full_sub, source, height=height)
    lo, hi = pts["_start"].min(), pts[["_start", "_end"]].max().max()
    pad = max(pd.Timedelta(days=20), (hi - lo) * 0.04)
    fig.update_xaxes(title_text="Date of event", type="date", range=[lo - pad, hi + pad])
    fig.update_yaxes(
        title_text="Actor" if lane != "type" else "Event type",
        categoryorder="array", categoryarray=sorted(lanes, key=lambda k: -order[k]),
        showgrid=True,
    )
    fig.update_layout(legend={"orientation": "v", "x": 1.01, "y": 1, "xanchor": "left"}, hovermode="closest",
                      clickmode="event+select", dragmode="pan")
    return fig


def selected_event_ids(selection: Mapping | None, fig: go.Figure | None = None) -> list[str]:
    """Event ids from a Streamlit plotly selection (customdata, or trace/point index as fallback)."""
    if not selection:
        return []
    points = selection.get("points", []) if isinstance(selection, Mapping) else []
    out: list[str] = []
    for p in points:
        cd = p.get("customdata")
        if isinstance(cd, (list, tuple)) and cd:
            out.append(str(cd[0]))
            continue
        if fig is not None:
            try:
                trace = fig.data[int(p.get("curve_number"))]
                out.append(str(trace.customdata[int(p.get("point_index", p.get("point_number")))][0]))
            except (TypeError, ValueError, IndexError, KeyError):
                continue
    return list(dict.fromkeys(out))
