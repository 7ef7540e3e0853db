"""Net cooperation per month between Russia and each Korea, each direction drawn apart.

A dyad is read from the countries of an event's source and target actors (a Russian minister
acting toward Seoul counts as RUS→KOR; the USSR counts as Russia). Summing Goldstein scores per
month is the usual "net cooperation" measure: above zero, cooperation outweighs conflict.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.figures import style
from core.filters import actor_country_map, text, to_datetime
from core.gazetteer import counts_as

DYADS = (("RUS", "KOR"), ("RUS", "PRK"))
DIRECTION_COLORS = {"RUS→KOR": "#1f4e79", "KOR→RUS": "#2a9df4", "RUS→PRK": "#1f4e79", "PRK→RUS": "#7b3294"}


def dyad_series(events: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """Monthly rows: month, dyad ('RUS–KOR'), direction ('RUS→KOR'), goldstein_sum, n_events."""
    cols = ["month", "dyad", "direction", "goldstein_sum", "n_events"]
    if events is None or events.empty:
        return pd.DataFrame(columns=cols)
    countries = actor_country_map(actors)

    def country(a: str) -> str:
        a = a.strip()
        c = countries.get(a, a.upper() if len(a) == 3 else "")
        return counts_as(c)

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
    df["month"] = df["date"].dt.to_period("M").dt.to_timestamp()
    out = (
        df.groupby(["month", "dyad", "direction"], sort=True)
        .agg(goldstein_sum=("goldstein", "sum"), n_events=("goldstein", "size"))
        .reset_index()
    )
    return out[cols]


def dyad_figure(events: pd.DataFrame, actors: pd.DataFrame, *, subtitle: str = "", source: str = "") -> go.Figure:
    """Two panels (RUS–KOR, RUS–PRK), grouped monthly bars per direction, zero line marked."""
    title = "Net cooperation per month: Russia with South and North Korea"
    series = dyad_series(events, actors)
    if series.empty:
        return style.empty_figure(title, "No Russia–Korea events match the current filters", subtitle, source)
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12, subplot_titles=("Russia – South Korea", "Russia – North Korea")
    )
    for row, (a, b) in enumerate(DYADS, start=1):
        for direction in (f"{a}→{b}", f"{b}→{a}"):
            sub = series[series["direction"] == direction]
            label = f"{style.country_name(direction[:3])} → {style.country_name(direction[-3:])}"
            if sub.empty:
                # keep the legend complete so a missing direction is visibly missing, not forgotten
                fig.add_trace(
                    go.Bar(
                        x=[None],
                        y=[None],
                        name=label + " (no events)",
                        marker_color=DIRECTION_COLORS[direction],
                        legendgroup=direction,
                        offsetgroup=direction,
                    ),
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
                    marker_color=DIRECTION_COLORS[direction],
                    marker_pattern_shape="" if direction.startswith("RUS") else "/",
                    customdata=list(zip(sub["n_events"], [d.strftime("%b %Y") for d in sub["month"]], strict=False)),
                    hovertemplate=f"<b>{label}</b><br>%{{customdata[1]}}<br>Σ Goldstein: %{{y:+.1f}}"
                    "<br>%{customdata[0]} event(s)<extra></extra>",
                ),
                row=row,
                col=1,
            )
            # a dot on each bar so a single month stays visible on a decades-long axis
            fig.add_trace(
                go.Scatter(
                    x=sub["month"],
                    y=sub["goldstein_sum"],
                    mode="markers",
                    legendgroup=direction,
                    showlegend=False,
                    marker={
                        "color": DIRECTION_COLORS[direction],
                        "size": 8,
                        "symbol": "circle" if direction.startswith("RUS") else "diamond",
                    },
                    hoverinfo="skip",
                ),
                row=row,
                col=1,
            )
        fig.add_hline(y=0, line={"color": style.MUTED, "width": 1}, row=row, col=1)
        fig.update_yaxes(title_text="Σ Goldstein (net coop.)", row=row, col=1)
    style.finish(fig, title, subtitle, source, height=620)
    fig.update_xaxes(title_text="Month", row=2, col=1)
    fig.update_xaxes(type="date")
    lo, hi = series["month"].min(), series["month"].max()
    pad = pd.Timedelta(days=45)
    fig.update_xaxes(range=[lo - pad, hi + pad])
    fig.update_layout(barmode="group", bargap=0.15, legend={"x": 1.01, "y": 1, "xanchor": "left", "title": {"text": "Direction"}})
    return fig
