"""'Download PNG' / 'Download SVG' under a chart, rendered on the server by core.views.images.

The toolbar's camera button saves what the browser shows; these buttons make the briefing
version instead: 2x scale, optionally 16:9, with the filters and period, the sources, the export
date and the link written into the image. Rendering is deferred until a button is clicked (a
page never waits for a browser it may not need) and the click does not rerun the page. When no
browser is available the row says so instead of offering buttons that would fail.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.query import filters as F
from core.query import frames
from core.views import images
from core.views.figures import style
from ui import state
from ui.loader import Corpus

_LABELS = {"png": "Download PNG", "svg": "Download SVG"}


def _render(fig: go.Figure, fmt: images.Format, ctx: Callable[[], images.ExportContext], widescreen: bool) -> bytes:
    """The deferred download: runs on click, in Streamlit's download thread; the context (filters,
    period, sources) is gathered then too, so a page that reads the query engine never filters the
    pandas tables unless an image is asked for."""
    return images.render(fig, fmt, ctx=ctx(), widescreen=widescreen)


def _context(
    filters: F.Filters,
    tables: Mapping[str, pd.DataFrame] | Callable[[], Mapping[str, pd.DataFrame]],
    rows: Sequence[pd.DataFrame] | None,
    exported: date,
    url: str,
) -> images.ExportContext:
    shown = tables() if callable(tables) else tables
    return images.context_for(filters, shown, list(rows) if rows is not None else [shown["events"]], exported=exported, url=url)


def render(
    fig: go.Figure,
    name: str,
    filters: F.Filters,
    corpus: Corpus,
    tables: Mapping[str, pd.DataFrame] | Callable[[], Mapping[str, pd.DataFrame]],
    *,
    page: str,
    rows: Sequence[pd.DataFrame] | None = None,
    key: str | None = None,
) -> None:
    """The export row under a chart: a 16:9 toggle and the two download buttons.

    ``name`` names the files (as the camera button does), ``rows`` are the rows the chart plots
    (default: the filtered events) for the period and the source line, ``page`` is the page key
    for the rebuild link, ``key`` keeps the toggle apart from other charts on the page. ``tables``
    may be a function giving them: it is called only when an image is asked for.
    """
    if style.is_empty_figure(fig):
        return
    key = key or name
    ok, message = images.renderer_status()
    row = st.container(horizontal=True, vertical_alignment="center", gap="medium")
    wide = row.toggle("16:9", key=f"export_{key}_wide", help="Export at 1600×900, the shape of a slide, instead of the chart's own size.")
    if not ok:
        row.caption(message)
        return
    ctx = partial(_context, filters, tables, rows, date.today(), state.share_url(page))
    names = frames.actor_names(corpus.tables["actors"])
    for fmt in ("png", "svg"):
        row.download_button(
            _LABELS[fmt],
            data=partial(_render, fig, fmt, ctx, wide),
            file_name=images.file_name(name, filters, fmt, wide, names),
            mime=images.MIME[fmt],
            on_click="ignore",
            key=f"export_{key}_{fmt}",
            icon=":material/download:",
            help="Rendered on the server at 2x with the filters, period, sources, today's date and the link in the image.",
        )
    row.caption(
        message
        if message.startswith("The last export failed")
        else "Images state their filters, sources and export date; the camera in the chart's toolbar saves the screen view."
    )
