"""Net cooperation per month between Russia and each Korea, each direction drawn apart.

A dyad is read from the countries of an event's source and target actors (a Russian minister
acting toward Seoul counts as RUS→KOR; the USSR counts as Russia). Summing Goldstein scores per
month is the usual "net cooperation" measure: above zero, cooperation outweighs conflict.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.domain.gazetteer import counts_as, display_name, state_code, states, successors
from core.query.frames import actor_country_map, text, to_datetime
from core.views.figures import style

DYADS = (("RUS", "KOR"), ("RUS", "PRK"))
DIRECTION_COLORS = {"RUS→KOR": "#1f4e79", "KOR→RUS": "#2a9df4", "RUS→PRK": "#1f4e79", "PRK→RUS": "#7b3294"}


def counting_note() -> str:
    """Which earlier states the dyads count as one of theirs, for captions ("USSR counted as Russia"),
    read from the gazetteer's successors so the caption and the counting share one rule. A state is
    named by its acronym when it has one (USSR), else by its name."""
    in_dyads = {code for pair in DYADS for code in pair}
    parts = []
    for code, successor in sorted(successors().items()):
        if successor not in in_dyads:
            continue
        state = states()[code]
        acronym = next((f for f in state.forms if f.isupper() and f.isalpha() and len(f) > 1), "")
        parts.append(f"{acronym or state.name} counted as {display_name(successor)}")
    return "; ".join(parts)


#: Bars per direction the chart aims to stay under: the period grows from month to quarter to year.
MAX_BARS = 60
PERIODS = {"M": "month", "Q": "quarter", "Y": "year"}


def period_for_span(lo: pd.Timestamp, hi: pd.Timestamp, max_bars: int = MAX_BARS) -> str:
    """'M', 'Q' or 'Y': the finest period that keeps one direction under ``max_bars`` bars."""
    months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    if months <= max_bars:
        return "M"
    if months / 3 <= max_bars:
        return "Q"
    return "Y"


def _label(period: pd.Timestamp, freq: str) -> str:
    if freq == "Y":
        return str(period.year)
    if freq == "Q":
        return f"Q{(period.month - 1) // 3 + 1} {period.year}"
    return period.strftime("%b %Y")


def dyad_series(events: pd.DataFrame, actors: pd.DataFrame, freq: str = "M") -> pd.DataFrame:
    """Rows per period (``freq`` M, Q or Y; column ``month`` holds the period's first day): dyad
    ('RUS–KOR'), direction ('RUS→KOR'), goldstein_sum, n_events."""
    cols = ["month", "dyad", "direction", "goldstein_sum", "n_events"]
    if events is None or events.empty:
        return pd.DataFrame(columns=cols)
    countries = actor_country_map(actors)

    def country(a: str) -> str:
        a = a.strip()
        return counts_as(countries[a]) if a in countries else state_code(a)

    df = pd.DataFrame(
        {
            "src": text(events["source_actor"]).map(country),
            "tgt": text(events["target_actor"]).map(country),
            "date": to_datetime(events["start_date"]),
            "goldstein": pd.to_numeric(events["goldstein"], errors="coerce"),
        }
    )
    df = df[df["date"].notna() & df["goldstein"].notna()]
    wanted = {(a, b) for a, b in DYADS} | {(b, a) for a, b in DYADS}
    df = df[[(s, t) in wanted for s, t in zip(df["src"], df["tgt"], strict=False)]]
    if df.empty:
        return pd.DataFrame(columns=cols)
    df["direction"] = df["src"] + "→" + df["tgt"]
    df["dyad"] = ["RUS–" + (t if s == "RUS" else s) for s, t in zip(df["src"], df["tgt"], strict=False)]
    df["month"] = df["date"].dt.to_period({"Y": "Y", "Q": "Q"}.get(freq, "M")).dt.to_timestamp()
    out = (
        df.groupby(["month", "dyad", "direction"], sort=True)
        .agg(goldstein_sum=("goldstein", "sum"), n_events=("goldstein", "size"))
        .reset_index()
    )
    return out[cols]


def dyad_figure(
    events: pd.DataFrame | None,
    actors: pd.DataFrame,
    *,
    subtitle: str = "",
    source: str = "",
    max_bars: int = MAX_BARS,
    series_of: Callable[[str], pd.DataFrame] | None = None,
) -> go.Figure:
    """Two panels (RUS–KOR, RUS–PRK), one bar per direction and period (month, quarter or year by the
    span shown, so a long corpus stays readable), zero line marked; the legend swatch is the bar.

    ``series_of``: :func:`dyad_series` of the events per period (``freq`` → rows), when something else
    computes it (the query engine, in SQL); then ``events`` is not read."""
    if series_of is None:
        series_of = partial(dyad_series, events, actors)
    series_m = series_of("M")
    if series_m.empty:
        title = "Net cooperation: Russia with South and North Korea"
        return style.empty_figure(title, "No Russia–Korea events match the current filters", subtitle, source)
    freq = period_for_span(series_m["month"].min(), series_m["month"].max(), max_bars)
    series = series_m if freq == "M" else series_of(freq)
    title = f"Net cooperation per {PERIODS[freq]}: Russia with South and North Korea"
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12, subplot_titles=("Russia – South Korea", "Russia – North Korea")
    )
    for row, (a, b) in enumerate(DYADS, start=1):
        for direction in (f"{a}→{b}", f"{b}→{a}"):
            sub = series[series["direction"] == direction]
            label = f"{style.country_name(direction[:3])} → {style.country_name(direction[-3:])}"
            pattern = "" if direction.startswith("RUS") else "/"
            marker = {
                "color": DIRECTION_COLORS[direction],
                "pattern": {"shape": pattern},
                "line": {"color": DIRECTION_COLORS[direction], "width": 1},
            }
            if sub.empty:
                # keep the legend complete so a missing direction is visibly missing, not forgotten
                fig.add_trace(
                    go.Bar(x=[None], y=[None], name=label + " (no events)", marker=marker, legendgroup=direction, offsetgroup=direction),
                    row=row,
                    col=1,
                )
                continue
            fig.add_trace(
                go.Bar(
                    x=sub["month"],
                    y=sub["goldstein_sum"],
                    name=label,
                    legendgroup=direction,
                    offsetgroup=direction,
                    marker=marker,
                    customdata=list(zip(sub["n_events"], [_label(d, freq) for d in sub["month"]], strict=False)),
                    hovertemplate=f"<b>{label}</b><br>%{{customdata[1]}}<br>Σ Goldstein: %{{y:+.1f}}"
                    "<br>%{customdata[0]} event(s)<extra></extra>",
                ),
                row=row,
                col=1,
            )
        fig.add_hline(y=0, line={"color": style.MUTED, "width": 1}, row=row, col=1)
        fig.update_yaxes(title_text="Σ Goldstein (net coop.)", row=row, col=1)
    style.finish(fig, title, style.join_notes(subtitle, f"one bar per direction and {PERIODS[freq]}"), source, height=620)
    fig.update_xaxes(title_text=PERIODS[freq].capitalize(), row=2, col=1)
    fig.update_xaxes(type="date")
    lo, hi = series["month"].min(), series["month"].max()
    pad = pd.Timedelta(days={"M": 45, "Q": 120, "Y": 300}[freq])
    fig.update_xaxes(range=[lo - pad, hi + pad])
    fig.update_layout(barmode="group", bargap=0.15, legend={"x": 1.01, "y": 1, "xanchor": "left", "title": {"text": "Direction"}})
    fig.layout.meta = {"period": freq}
    return fig
