"""Events on a time axis: one lane per actor or per event type, colour = QuadClass, shape = status.

Uncertain events (planned, reported, unconfirmed, denied) must not read like facts in a
screenshot, hence hollow/crossed symbols; date ranges are drawn as spans so a three-day visit
does not look like a point.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.query.frames import actor_names, event_dates, event_participant_index, format_when, period_end, split_list, text, window_bounds
from core.views.figures import style

LANE_MODES = ("actor", "type")
MAX_LANES = 25
#: Above this many points the chart shows monthly counts per lane: single markers for 100,000
#: events are unreadable, take a minute to build and stall the browser.
MAX_POINTS = 3000
_HOVER = "%{hovertext}<extra></extra>"
#: Monthly counts: where each QuadClass sits within its lane (cooperation above, conflict below).
_QUAD_OFFSET = {1: 0.3, 2: 0.1, 3: -0.1, 4: -0.3, 0: 0.0}


def _hover(ev: pd.DataFrame) -> list[str]:
    """One hover label per event (built before an event is copied into several lanes)."""
    out = []
    for s, e, p, names, kind, status, evidence in zip(
        ev["_start"], ev["_end"], ev["_prec"], ev["_actor_names"], ev["event_type"], ev["status"], ev["evidence"], strict=False
    ):
        when = format_when(s, e if pd.notna(e) else None, p)
        out.append(
            f"<b>{when}</b><br>Actors: {style.wrap(names, 60, 3)}<br>Type: {style.wrap(kind, 60, 1)}"
            f"<br>Status: {style.wrap(status, 40, 1)}<br><br>{style.wrap(evidence, 70, 8)}"
        )
    return out


def _points(events: pd.DataFrame, actors: pd.DataFrame, lane: str, hover: bool = True) -> pd.DataFrame:
    """One row per (event, lane); an event with three actors sits in three actor lanes.

    Only the columns the chart draws, built from numpy arrays (a whole-corpus timeline has
    400,000 points: copying and exploding every column of the events table took seconds).
    """
    names = actor_names(actors)
    start, end = event_dates(events)
    prec = (
        text(events["date_precision"]).str.strip().str.lower()
        if "date_precision" in events.columns
        else pd.Series("day", index=events.index)
    )
    end = period_end(start, end, prec)  # a month or a year covers its period, not its first day
    dated = start.notna().to_numpy()
    cols = {
        "event_id": text(events["event_id"]).to_numpy(dtype=object),
        "_start": start.to_numpy(),
        "_end": end.where(end.notna() & (end > start)).to_numpy(),
        "_prec": prec.replace("", "day").to_numpy(dtype=object),
        "quad_class": pd.to_numeric(events["quad_class"], errors="coerce").to_numpy(dtype=float),
        "status": text(events["status"]).str.lower().to_numpy(dtype=object),
        "event_type": text(events["event_type"]).to_numpy(dtype=object),
    }
    if hover:
        cols["evidence"] = text(events["evidence"]).to_numpy(dtype=object)
        cols["_actor_names"] = np.array(
            [", ".join(names.get(a, a) for a in split_list(v)) or "—" for v in events["actors"].to_numpy(dtype=object)], dtype=object
        )
    if lane == "type":
        pts = _frame({k: v[dated] for k, v in cols.items()})
        pts["_lane"] = pd.Series(np.where(pts["event_type"] == "", "unknown type", pts["event_type"]), dtype=object)
    else:
        index = event_participant_index(events)  # source and target, not every actor named
        rows = np.concatenate([*index.values(), np.zeros(0, dtype=np.int64)])
        lane_ids = np.repeat(np.array(list(index), dtype=object), [len(v) for v in index.values()])
        order = np.argsort(rows, kind="stable")  # event order, as the events table has them
        rows, lane_ids = rows[order], lane_ids[order]
        on_axis = dated[rows]
        rows, lane_ids = rows[on_axis], lane_ids[on_axis]
        pts = _frame({k: v[rows] for k, v in cols.items()})
        where, ids = pd.factorize(lane_ids)
        pts["_lane"] = pd.Series(np.array([names.get(a, a) for a in ids], dtype=object)[where], dtype=object)
    if hover:
        pts["_hover"] = _hover(pts) if len(pts) else []
    return pts


def _frame(cols: dict[str, np.ndarray]) -> pd.DataFrame:
    """A frame that keeps text columns as Python objects (no Arrow strings: built and dropped per chart)."""
    return pd.DataFrame({k: pd.Series(v, dtype=object) if v.dtype == object else pd.Series(v) for k, v in cols.items()})


def timeline_figure(
    events: pd.DataFrame,
    actors: pd.DataFrame,
    *,
    lane: str = "actor",
    subtitle: str = "",
    source: str = "",
    max_lanes: int = MAX_LANES,
    max_points: int = MAX_POINTS,
    window: tuple[object, object] | None = None,
    lanes_wanted: list[str] | None = None,
) -> go.Figure:
    """Timeline of the given (already filtered) events; customdata[0] of every point is event_id.

    More than ``max_points`` points become monthly counts per lane and QuadClass (customdata[0]
    is then empty: a bubble is many events).
    """
    if events is None or events.empty:
        return empty_timeline(lane, subtitle=subtitle, source=source)
    lane_mode = "type" if lane == "type" else "actor"
    pts = _points(events, actors, lane_mode, hover=False)
    n_undated = int(event_dates(events)[0].isna().sum())
    if pts.empty:
        return empty_timeline(lane, NO_DATED, subtitle, source)
    pts = clip_to_window(pts, window)
    if pts.empty:
        return empty_timeline(lane, NONE_IN_WINDOW, subtitle, source)

    lanes, hidden = choose_lanes(pts["_lane"].value_counts(sort=False), lanes_wanted, max_lanes)
    pts = pts[pts["_lane"].isin(lanes)]
    if len(pts) > max_points:
        quad = pd.to_numeric(pts["quad_class"], errors="coerce")
        return counts_figure(
            bubble_cells(pts, quad),
            lanes,
            lane=lane,
            n_events=pts["event_id"].nunique(),
            hidden=hidden,
            n_undated=n_undated,
            axis=axis_range(pts, window),
            subtitle=subtitle,
            source=source,
        )
    return _points_figure(
        events, actors, pts, lanes, lane=lane, hidden=hidden, n_undated=n_undated, window=window, subtitle=subtitle, source=source
    )


def choose_lanes(counts: pd.Series, wanted: list[str] | None, max_lanes: int) -> tuple[list[str], int]:
    """The lanes drawn (those picked by name, else the busiest ``max_lanes``, ties by name) and how
    many lanes with points are left out. ``counts``: points per lane, after the date window."""
    lanes_all = sorted(counts.index, key=lambda k: (-counts[k], k))
    picked = [ln for ln in (wanted or []) if ln in counts.index]
    lanes = picked or lanes_all[:max_lanes]
    return lanes, len(lanes_all) - len(lanes)


def _points_figure(
    events: pd.DataFrame,
    actors: pd.DataFrame,
    pts: pd.DataFrame,
    lanes: list[str],
    *,
    lane: str,
    hidden: int,
    n_undated: int,
    window: tuple[object, object] | None,
    subtitle: str,
    source: str,
) -> go.Figure:
    """One marker per (event, lane) of ``pts`` (the points of the drawn lanes, inside the window)."""
    fig = go.Figure()
    quad = pd.to_numeric(pts["quad_class"], errors="coerce")
    # the hover labels only for the events drawn, once per event
    shown = _points(events[text(events["event_id"]).isin(set(pts["event_id"]))], actors, "type")
    hover = dict(zip(shown["event_id"], shown["_hover"], strict=False))
    pts = pts.assign(_hover=pts["event_id"].map(hover))
    _add_spans(fig, pts)
    _add_points(fig, pts, quad)
    _add_quad_legend(fig, set(quad.dropna().astype(int)), bool(quad.isna().any()))
    present = list(dict.fromkeys(pts["status"]))
    for i, s in enumerate(st for st in style.STATUS_SYMBOLS if st in present):
        fig.add_trace(
            style.legend_marker(s, style.status_symbol(s), style.MUTED, group="status", title="Status (shape)" if i == 0 else None)
        )
    _finish(fig, lanes, lane, [], hidden, n_undated, axis_range(pts, window), subtitle, source)
    order = {name: i for i, name in enumerate(lanes)}
    fig.update_yaxes(categoryorder="array", categoryarray=sorted(lanes, key=lambda k: -order[k]), showgrid=True)
    return fig


@dataclass(frozen=True)
class Cells:
    """Events per (QuadClass, lane, month) of the drawn lanes: what the counts view draws, made from the
    points in pandas (:func:`bubble_cells`) or by the query engine from the same rules.

    ``frame``: columns ``quad`` (0 where unknown), ``lane`` (a lane's name), ``month`` (months since
    year 0: year × 12 + month − 1, of the point's start inside the window), ``n`` (points) and
    ``occurred`` (points whose status is occurred). An event sits once in each of its lanes, so points
    count events."""

    frame: pd.DataFrame


def bubble_cells(pts: pd.DataFrame, quad: pd.Series) -> Cells:
    """:class:`Cells` of the points of the drawn lanes (``quad``: their QuadClass, NaN where unknown)."""
    start = pts["_start"]
    df = pd.DataFrame(
        {
            "quad": quad.fillna(0).astype(int).to_numpy(),
            "lane": pts["_lane"].to_numpy(dtype=object),
            "month": (start.dt.year * 12 + start.dt.month - 1).to_numpy(dtype=np.int64),
            "occurred": (pts["status"] == "occurred").to_numpy(dtype=np.int64),
        }
    )
    out = df.groupby(["quad", "lane", "month"], sort=True).agg(n=("occurred", "size"), occurred=("occurred", "sum")).reset_index()
    return Cells(out.astype({"quad": np.int64, "month": np.int64, "n": np.int64, "occurred": np.int64}))


def counts_figure(
    cells: Cells,
    lanes: list[str],
    *,
    lane: str,
    n_events: int,
    hidden: int,
    n_undated: int,
    axis: tuple[pd.Timestamp, pd.Timestamp],
    subtitle: str = "",
    source: str = "",
) -> go.Figure:
    """Bubbles of events per lane, period and QuadClass (area = events), for more points than a chart
    can show one by one. ``n_events``: the distinct events behind the bubbles; ``axis``: the x range."""
    fig = go.Figure()
    step = _add_bubbles(fig, cells.frame, lanes)
    biggest = int(fig.layout.meta["largest_bubble"])
    sizeref = 2.0 * biggest / 16**2
    for i, n in enumerate(sorted({1, max(1, biggest // 4), biggest})):  # the size key, at the sizes the chart uses
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=f"{n:,} event{'s' if n != 1 else ''} in a {_PERIOD[step]}",
                legendgroup="size",
                legendgrouptitle={"text": "Bubble area"} if i == 0 else None,
                marker={"color": style.MUTED, "opacity": 0.6, "size": max(2.0, (n / sizeref) ** 0.5), "line": {"width": 0}},
            )
        )
    fig.update_layout(legend={"itemsizing": "trace"})
    quads = set(cells.frame["quad"].astype(int))
    _add_quad_legend(fig, quads - {0}, 0 in quads)
    note = (
        f"{n_events:,} events shown as counts per {_PERIOD[step]}: bubble area ∝ events "
        f"(smallest 1, largest {biggest:,} in one {_PERIOD[step]}); narrow the dates or actors to see single events"
    )
    _finish(fig, lanes, lane, [note], hidden, n_undated, axis, subtitle, source)
    fig.update_yaxes(  # numeric rows: each lane holds four thin sub-rows, one per QuadClass
        type="linear",
        tickvals=list(range(len(lanes))),
        ticktext=[lanes[len(lanes) - 1 - i] for i in range(len(lanes))],
        range=[-0.6, len(lanes) - 0.4],
        showgrid=True,
        zeroline=False,
    )
    return fig


def _add_quad_legend(fig: go.Figure, present: set[int], unknown: bool) -> None:
    """The colour key: one entry per QuadClass drawn (and "unknown" when some point has none)."""
    legend_q = [q for q in (1, 2, 3, 4) if q in present] + ([None] if unknown else [])
    for i, q in enumerate(legend_q):
        fig.add_trace(
            style.legend_marker(
                style.quad_label(q), "circle", style.quad_color(q), group=f"q{q}", title="QuadClass (colour)" if i == 0 else None
            )
        )


def _finish(
    fig: go.Figure,
    lanes: list[str],
    lane: str,
    notes: list[str],
    hidden: int,
    n_undated: int,
    axis: tuple[pd.Timestamp, pd.Timestamp],
    subtitle: str,
    source: str,
) -> None:
    """Title, the subtitle's notes (what is left out), size, the date axis and the lanes' axis title."""
    title = "Timeline of events by " + ("actor" if lane != "type" else "event type")
    notes = list(notes)
    if hidden:
        notes.append(f"{hidden} smaller lanes not shown")
    if n_undated:
        notes.append(f"{n_undated} undated event{'s' if n_undated != 1 else ''} not shown")
    style.finish(fig, title, style.join_notes(subtitle, *notes), source, height=max(420, 150 + 34 * len(lanes)))
    fig.update_xaxes(title_text="Date of event", type="date", range=list(axis))
    fig.update_yaxes(title_text="Actor" if lane != "type" else "Event type")
    fig.update_layout(
        legend={"orientation": "v", "x": 1.01, "y": 1, "xanchor": "left"}, hovermode="closest", clickmode="event+select", dragmode="pan"
    )


def clip_to_window(pts: pd.DataFrame, window: tuple[object, object] | None) -> pd.DataFrame:
    """Points whose period meets the date filter, with starts and ends cut to it.

    A decade-long span that overlaps a three-year filter is drawn over those three years only,
    so the axis can stay on the window the reader chose. A point marker sits at the middle of its
    (clipped) period: a date known only to the month or year is never pinned on its first day.
    """
    lo, hi = window_bounds(window)
    start = pts["_start"]
    end = pts["_end"].where(pts["_end"].notna(), start)
    keep = start.notna()
    if lo is not None:
        keep &= end >= lo
    if hi is not None:
        keep &= start <= hi + pd.Timedelta(hours=23, minutes=59)
    out = pts[keep].copy()
    s, e = out["_start"], out["_end"].where(out["_end"].notna(), out["_start"])
    if lo is not None:
        s, e = s.clip(lower=lo), e.clip(lower=lo)
    if hi is not None:
        s, e = s.clip(upper=hi), e.clip(upper=hi)
    out["_start"] = s
    out["_end"] = e.where(e > s)
    imprecise = out["_prec"].isin(["month", "year", "decade"]) if "_prec" in out.columns else False
    out["_x"] = s.where(~(imprecise & out["_end"].notna()), s + (e - s) / 2)
    return out


def axis_range(pts: pd.DataFrame, window: tuple[object, object] | None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The filter window or the data inside it, whichever is narrower (with a small margin inside the window)."""
    return axis_from(pts["_start"].min(), pts[["_start", "_end"]].max().max(), window)


def axis_from(lo: pd.Timestamp, hi: pd.Timestamp, window: tuple[object, object] | None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """:func:`axis_range` from the points' first start and last start or end."""
    pad = max(pd.Timedelta(days=20), (hi - lo) * 0.04)
    w_lo, w_hi = window_bounds(window)
    lo, hi = lo - pad, hi + pad
    if w_lo is not None:
        lo = max(lo, w_lo)
    if w_hi is not None:
        hi = min(hi, w_hi + pd.Timedelta(days=1))
    return lo, hi


def points_figure(
    events: pd.DataFrame,
    actors: pd.DataFrame,
    lanes: list[str],
    *,
    lane: str,
    hidden: int,
    n_undated: int,
    window: tuple[object, object] | None = None,
    subtitle: str = "",
    source: str = "",
) -> go.Figure:
    """The points view when the lanes were chosen elsewhere (a query engine counted them):
    ``events`` are the shown events with a point in ``lanes``, in the pages' order; ``hidden`` and
    ``n_undated`` are what the whole set leaves out."""
    pts = clip_to_window(_points(events, actors, "type" if lane == "type" else "actor", hover=False), window)
    return _points_figure(
        events,
        actors,
        pts[pts["_lane"].isin(lanes)],
        lanes,
        lane=lane,
        hidden=hidden,
        n_undated=n_undated,
        window=window,
        subtitle=subtitle,
        source=source,
    )


def empty_timeline(lane: str, message: str = "", subtitle: str = "", source: str = "") -> go.Figure:
    """The chart with nothing to draw (``message``: why)."""
    title = "Timeline of events by " + ("actor" if lane != "type" else "event type")
    return style.empty_figure(title, message or style.EMPTY_MESSAGE, subtitle=subtitle, source=source)


#: Why the chart is empty: no dated event at all, or none inside the date filter.
NO_DATED = "No dated events match the current filters"
NONE_IN_WINDOW = "No dated events inside the date filter"


#: Legend text of the two kinds of bar (a stated range of days; a date known only to its month, year or decade).
SPAN_LABELS = {"range": "Bar: event over several days", "imprecise": "Dotted bar: date known only to the month/year"}


def lane_counts(events: pd.DataFrame, actors: pd.DataFrame, lane: str = "actor") -> pd.Series:
    """Events per lane (largest first): the choices of the page's lane picker."""
    if events is None or events.empty:
        return pd.Series(dtype=int)
    pts = _points(events, actors, "type" if lane == "type" else "actor", hover=False)
    counts = pts["_lane"].value_counts(sort=False)
    return counts.loc[sorted(counts.index, key=lambda k: (-counts[k], k))]


def _add_spans(fig: go.Figure, pts: pd.DataFrame) -> None:
    """Date ranges as thick lines under the points: solid for a stated range of days, dotted for a
    date known only to its month, year or decade; each kind has a legend entry."""
    spans = pts[pts["_end"].notna()]
    if spans.empty:
        return
    imprecise = spans["_prec"].isin(["month", "year", "decade"]) if "_prec" in spans.columns else pd.Series(False, index=spans.index)
    span_quad = pd.to_numeric(spans["quad_class"], errors="coerce")
    for kind, mask in (("range", ~imprecise), ("imprecise", imprecise)):
        if not mask.any():
            continue
        dash = "dot" if kind == "imprecise" else "solid"
        for q in [*sorted(span_quad[mask].dropna().unique().tolist()), None]:
            sub = spans[mask & (span_quad == q)] if q is not None else spans[mask & span_quad.isna()]
            if sub.empty:
                continue
            xs: list[object] = []
            ys: list[object] = []
            for s, e, ln in zip(sub["_start"], sub["_end"], sub["_lane"], strict=False):
                xs += [s, e, None]
                ys += [ln, ln, None]
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    name=f"span · {style.quad_label(q)}",
                    showlegend=False,
                    line={"color": style.quad_color(q), "width": 6, "dash": dash},
                    opacity=0.45,
                    hoverinfo="skip",
                    legendgroup=f"q{q}",
                )
            )
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                name=SPAN_LABELS[kind],
                legendgroup="spans",
                legendgrouptitle={"text": "Periods"} if kind == "range" or (~imprecise).sum() == 0 else None,
                line={"color": style.MUTED, "width": 6, "dash": dash},
                opacity=0.6,
            )
        )


def _add_points(fig: go.Figure, pts: pd.DataFrame, quad: pd.Series) -> None:
    """One marker per (event, lane): colour = QuadClass, shape = status."""
    for q in [1, 2, 3, 4, None]:
        sub = pts[quad == q] if q is not None else pts[quad.isna()]
        if sub.empty:
            continue
        status = sub["status"]
        fig.add_trace(
            go.Scatter(
                x=sub["_x"] if "_x" in sub.columns else sub["_start"],
                y=sub["_lane"],
                mode="markers",
                name=style.quad_label(q),
                legendgroup=f"q{q}",
                showlegend=False,
                marker={
                    "color": style.quad_color(q),
                    "size": 13,
                    "symbol": [style.status_symbol(s) for s in status],
                    "line": {"width": 2, "color": style.quad_color(q)},
                },
                customdata=sub["event_id"].to_numpy(dtype=object).reshape(-1, 1),
                hovertext=sub["_hover"].to_numpy(dtype=object),
                hovertemplate=_HOVER,
            )
        )


def _add_bubbles(fig: go.Figure, cells: pd.DataFrame, lanes: list[str]) -> int:
    """Bubbles of events per lane, period and QuadClass (size = count); returns the period in months.

    The period is a month, else a quarter, else a year: the finest that keeps the chart under
    :data:`MAX_BUBBLES` bubbles (smeared monthly bubbles over decades read as a solid mass). Within a
    trace the bubbles run lane by lane (top lane first), then by date."""
    order = {name: i for i, name in enumerate(lanes)}  # top lane first
    lane_code = cells["lane"].map(order).to_numpy(dtype=np.int64)
    q = cells["quad"].to_numpy(dtype=np.int64)
    month = cells["month"].to_numpy(dtype=np.int64)
    step = 1
    for step in (1, 3, 12):
        if len(np.unique((q * len(lanes) + lane_code) * 100_000 + month // step)) <= MAX_BUBBLES:
            break
    month = month // step * step
    first = int(month.min())
    n_months, n_lanes = int(month.max()) - first + 1, len(lanes)
    # one integer per (QuadClass, lane, period)
    key = (q * n_lanes + lane_code) * n_months + (month - first)
    size = np.bincount(key, weights=cells["n"].to_numpy(dtype=float), minlength=5 * n_lanes * n_months).astype(np.int64)
    occurred = np.bincount(key, weights=cells["occurred"].to_numpy(dtype=float), minlength=len(size)).astype(np.int64)
    cells_at = np.flatnonzero(size)
    biggest = max(int(size.max()), 1)
    fig.layout.meta = {**(fig.layout.meta or {}), "largest_bubble": biggest, "bubble_period": _PERIOD[step]}
    names = np.array(lanes, dtype=object)
    for qc in [1, 2, 3, 4, 0]:
        mine = cells_at[cells_at // (n_lanes * n_months) == qc]
        if not len(mine):
            continue
        codes = (mine // n_months) % n_lanes
        lane = names[codes]
        row = (len(lanes) - 1 - codes).astype(float) + _QUAD_OFFSET[qc]
        months = pd.to_datetime({"year": (mine % n_months + first) // 12, "month": (mine % n_months + first) % 12 + 1, "day": 1})
        n, o = size[mine], occurred[mine]
        label = style.quad_label(qc or None)
        hover = [
            f"<b>{style.esc(ln)}</b> · {m}<br>{label}: {c:,} event{'s' if c != 1 else ''} "
            f"({k:,} occurred, {c - k:,} planned, reported, unconfirmed or denied)"
            for ln, m, c, k in zip(lane, [_period_label(m, step) for m in months], n, o, strict=False)
        ]
        custom = np.column_stack([np.full(len(mine), "", dtype=object), lane, months.dt.strftime("%Y-%m").to_numpy(dtype=object)])
        fig.add_trace(
            go.Scatter(
                x=months + pd.to_timedelta(step * 15.2 if step > 1 else 0, unit="D"),  # a quarter or year sits at its middle
                y=row,
                mode="markers",
                name=label,
                legendgroup=f"q{qc or None}",
                showlegend=False,
                marker={
                    "color": style.quad_color(qc or None),
                    "opacity": 0.75,
                    "sizemode": "area",
                    "size": n,
                    "sizeref": 2.0 * biggest / 16**2,
                    "sizemin": 2,
                    "line": {"width": 0},
                },
                customdata=custom,
                hovertext=np.array(hover, dtype=object),
                hovertemplate=_HOVER,
            )
        )
    return step


_PERIOD = {1: "month", 3: "quarter", 12: "year"}
#: At most this many bubbles in the counts view: past it, months become quarters, then years.
MAX_BUBBLES = 1500


def _period_label(m: pd.Timestamp, step: int) -> str:
    if step == 12:
        return str(m.year)
    if step == 3:
        return f"Q{(m.month - 1) // 3 + 1} {m.year}"
    return m.strftime("%b %Y")


def selected_event_ids(selection: Mapping | None, fig: go.Figure | None = None) -> list[str]:
    """Event ids from a Streamlit plotly selection (customdata, or trace/point index as fallback)."""
    if not selection:
        return []
    points = selection.get("points", []) if isinstance(selection, Mapping) else []
    out: list[str] = []
    for p in points:
        cd = p.get("customdata")
        if isinstance(cd, (list, tuple)) and cd:
            if cd[0]:  # a monthly-count bubble has no single event
                out.append(str(cd[0]))
            continue
        if fig is not None:
            try:
                trace = fig.data[int(p.get("curve_number"))]
                event_id = str(trace.customdata[int(p.get("point_index", p.get("point_number")))][0])
            except (TypeError, ValueError, IndexError, KeyError):
                continue
            if event_id:
                out.append(event_id)
    return list(dict.fromkeys(out))
