"""One look for every chart: template, colours, marker symbols and the title/source furniture.

Figures carry their template themselves (pages render with ``theme=None``), so a PNG exported
from the browser looks exactly like the screen and like every other chart in a briefing.
"""

from __future__ import annotations

import html
import zlib
from collections.abc import Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go

from core.domain.cameo import QUAD_NAMES
from core.query import memo
from core.query.frames import agencies_cited_in, agencies_of, article_ids_of, origin_of, text

FONT = "Inter, 'Source Sans Pro', 'Helvetica Neue', Arial, sans-serif"
INK = "#1f2933"
MUTED = "#5f6b7a"
GRID = "#e4e7eb"

#: Okabe–Ito colours: cooperation in blues, conflict in orange/vermillion (colour-blind safe).
QUAD_COLORS: dict[int, str] = {1: "#56B4E9", 2: "#0072B2", 3: "#E69F00", 4: "#D55E00"}
UNKNOWN_COLOR = "#9aa5b1"

#: Hand-picked colours of the states the dashboard is about; every other state gets one from
#: COUNTRY_PALETTE by its code (see :func:`country_color`), so a new state needs no code.
COUNTRY_COLORS: dict[str, str] = {
    "RUS": "#1f4e79",
    "SUN": "#01665e",
    "KOR": "#2a9df4",
    "PRK": "#7b3294",
    "USA": "#525252",
    "JPN": "#e7298a",
    "CHN": "#a6761d",
}
#: A qualitative palette (Tableau 20 without the colours above and without greys) for the rest.
COUNTRY_PALETTE: tuple[str, ...] = (
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#17becf",
    "#bcbd22",
    "#aec7e8",
    "#ffbb78",
    "#98df8a",
    "#ff9896",
    "#c5b0d5",
    "#c49c94",
    "#f7b6d2",
    "#dbdb8d",
    "#9edae5",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
)


class _CountryNames(Mapping[str, str]):
    """Display names of states by ISO code, from the gazetteer ("TWN" → "Taiwan")."""

    def __getitem__(self, code: str) -> str:
        return country_name(code)

    def __iter__(self):
        from core.domain.gazetteer import states

        return iter(states())

    def __len__(self) -> int:
        from core.domain.gazetteer import states

        return len(states())


COUNTRY_NAMES: Mapping[str, str] = _CountryNames()


#: Filled circle = it happened; everything less certain is hollow or crossed out.
STATUS_SYMBOLS: dict[str, str] = {
    "occurred": "circle",
    "delivered": "circle",
    "reported": "diamond",
    "planned": "circle-open",
    "proposed": "circle-open",
    "unconfirmed": "square-open",
    "denied": "x",
}
STATUS_LABELS: dict[str, str] = {
    "occurred": "occurred",
    "delivered": "delivered",
    "reported": "reported",
    "planned": "planned",
    "proposed": "proposed",
    "unconfirmed": "unconfirmed",
    "denied": "denied",
}
UNKNOWN_SYMBOL = "triangle-up-open"

#: Edges: conflict (Goldstein -10) red, neutral pale yellow, cooperation (+10) green.
GOLDSTEIN_SCALE = [[0.0, "#b2182b"], [0.35, "#ef8a62"], [0.5, "#f7f7c4"], [0.65, "#91cf60"], [1.0, "#1a9850"]]

EMPTY_MESSAGE = "No events match the current filters"

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 13, "color": INK},
        title={"font": {"size": 18, "color": INK}, "x": 0.0, "xanchor": "left", "y": 0.97, "yanchor": "top"},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        colorway=["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"],
        xaxis={
            "gridcolor": GRID,
            "linecolor": "#9aa5b1",
            "zeroline": False,
            "ticks": "outside",
            "tickcolor": "#9aa5b1",
            "title": {"font": {"size": 13, "color": MUTED}},
            "automargin": True,
        },
        yaxis={
            "gridcolor": GRID,
            "linecolor": "#9aa5b1",
            "zerolinecolor": "#9aa5b1",
            "ticks": "outside",
            "tickcolor": "#9aa5b1",
            "title": {"font": {"size": 13, "color": MUTED}},
            "automargin": True,
        },
        legend={"bgcolor": "rgba(255,255,255,0.85)", "bordercolor": GRID, "borderwidth": 1, "font": {"size": 12}},
        hoverlabel={"bgcolor": "#ffffff", "bordercolor": "#9aa5b1", "font": {"family": FONT, "size": 12, "color": INK}, "align": "left"},
        margin={"l": 70, "r": 30, "t": 90, "b": 90},
    )
)


def quad_color(q: object) -> str:
    """Colour of a QuadClass (grey when unknown)."""
    try:
        return QUAD_COLORS.get(int(float(q)), UNKNOWN_COLOR)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return UNKNOWN_COLOR


def quad_label(q: object) -> str:
    try:
        return QUAD_NAMES.get(int(float(q)), "Unknown class")  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "Unknown class"


def status_symbol(status: object) -> str:
    """Marker symbol of a status (events or amounts)."""
    return STATUS_SYMBOLS.get(str(status).strip().lower(), UNKNOWN_SYMBOL)


def country_color(country: object) -> str:
    """A state's colour: hand-picked for the main states, else a stable pick from the palette by
    the code's CRC32 (the same on every run and machine); grey when there is no code."""
    code = "" if country is None else str(country).strip().upper()
    if code in COUNTRY_COLORS:
        return COUNTRY_COLORS[code]
    if not code or code in ("NAN", "NONE"):
        return UNKNOWN_COLOR
    return COUNTRY_PALETTE[zlib.crc32(code.encode("utf-8")) % len(COUNTRY_PALETTE)]


def country_name(country: object) -> str:
    """A state's display name from the gazetteer; the code itself when no state has it."""
    from core.domain.gazetteer import display_name

    code = "" if country is None else str(country).strip().upper()
    return display_name(code) if code else ""


def esc(value: object) -> str:
    """Escape text for plotly labels (plotly reads tags, and decodes only &lt; &gt; &amp;)."""
    return html.escape("" if value is None else str(value), quote=False)


def join_notes(subtitle: str, *notes: str) -> str:
    """Subtitle plus any caveats, separated by ' · ' (no dangling separators)."""
    return " · ".join(p for p in (subtitle, *notes) if p)


def wrap(value: object, width: int = 70, max_lines: int = 8) -> str:
    """Escape (article text is never markup) and wrap for a hover label.

    A greedy word wrap rather than ``textwrap``: hover text is built for every point of a chart,
    and ``textwrap`` costs ~50 µs a call (over a second for a busy timeline).
    """
    raw = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    if len(raw) <= width and "\n" not in raw:
        return esc(raw.strip())
    lines: list[str] = []
    line = ""
    for word in raw.split():
        while len(word) > width:  # a URL or other long token: cut it, as textwrap does
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
        if len(lines) > max_lines:
            break
    if line:
        lines.append(line)
    lines = lines or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] += " …"
    return "<br>".join(esc(x) for x in lines)


def source_line(tables: Mapping[str, pd.DataFrame], rows: Iterable[pd.DataFrame] = ()) -> str:
    """'Source: N articles, agencies: …' for the rows a chart draws (plus any reference rows)."""
    article_ids: set[str] = set()
    n_reference = 0
    agencies: set[str] = set()
    for df in rows:  # per-table sets are memoised: a page asks on every run
        if df is None or df.empty:
            continue
        article_ids |= article_ids_of(df)
        n_reference += int(memo.derived(df, "n_reference", lambda d: int((origin_of(d) == "reference").sum())))
        agencies |= agencies_of(df)
    citations = tables.get("citations")
    if citations is not None and not citations.empty and article_ids:
        agencies |= agencies_cited_in(citations, article_ids)
    publications: set[str] = set()
    articles = tables.get("articles")
    if articles is not None and not articles.empty and article_ids:
        by_article = memo.derived(articles, "publication", lambda d: dict(zip(text(d["article_id"]), text(d["publication"]), strict=False)))
        publications.update(p for p in (by_article.get(a, "") for a in article_ids) if p)
    return source_text(len(article_ids), publications, n_reference, agencies)


def source_text(n: int, publications: Iterable[str], n_reference: int, agencies: Iterable[str]) -> str:
    """:func:`source_line`'s words from what it gathered (a query engine gathers the same in SQL):
    ``n`` articles, their publications, the reference rows and the agencies."""
    publications, agencies = set(publications), set(agencies)
    parts = [f"Source: {n} article{'s' if n != 1 else ''}"]
    if publications:
        parts[0] += f" ({', '.join(sorted(publications))})"
    if n_reference:
        parts.append(f"{n_reference} reference row{'s' if n_reference != 1 else ''}")
    if agencies:
        listed = sorted(agencies, key=str.lower)
        more = f" +{len(listed) - 8} more" if len(listed) > 8 else ""
        parts.append("agencies: " + ", ".join(listed[:8]) + more)
    else:
        parts.append("agencies: none cited")
    return esc(", ".join(parts))


def finish(fig: go.Figure, title: str, subtitle: str = "", source: str = "", height: int | None = None) -> go.Figure:
    """Apply the template, a title with a subtitle (what the chart shows under the filters) and
    the source line at the bottom, so every exported PNG stands on its own in a briefing."""
    fig.update_layout(
        template=TEMPLATE,
        title={"text": esc(title), "subtitle": {"text": esc(subtitle), "font": {"size": 12, "color": MUTED}}},
    )
    if height is not None:
        fig.update_layout(height=height)
    if source:
        add_source_note(fig, source)
    return fig


def empty_figure(title: str, message: str = EMPTY_MESSAGE, subtitle: str = "", source: str = "") -> go.Figure:
    """A chart-sized figure that says why it is empty (never a blank or an exception)."""
    fig = go.Figure()
    fig.add_annotation(
        text=esc(message) + "<br><span style='font-size:12px'>Widen the date range or clear a filter in the sidebar.</span>",
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        font={"size": 16, "color": MUTED},
        name="empty",
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return finish(fig, title, subtitle, source, height=360)


def is_empty_figure(fig: go.Figure) -> bool:
    """True for figures made by :func:`empty_figure` (pages show an empty-state note then)."""
    return any(getattr(a, "name", None) == "empty" for a in fig.layout.annotations)


def legend_marker(name: str, symbol: str = "circle", color: str = MUTED, group: str | None = None, title: str | None = None) -> go.Scatter:
    """A legend-only trace (no data) used to explain symbols and colours once."""
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        name=name,
        showlegend=True,
        hoverinfo="skip",
        marker={"symbol": symbol, "color": color, "size": 11, "line": {"width": 1.5, "color": color}},
        legendgroup=group or name,
        legendgrouptitle={"text": title} if title else None,
    )


def add_source_note(fig: go.Figure, text: str) -> None:
    """The source line under the plot (the annotation named "source" that exports look for)."""
    fig.add_annotation(
        text=text,
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-55,
        align="left",
        font={"size": 11, "color": MUTED},
        name="source",
    )
