"""Server-side chart images (PNG, SVG, PDF) that carry their own context, for briefings.

A chart pasted into a briefing loses the dashboard around it, so the exported image says itself
which filters and period it shows, which agencies and articles its points come from, when it was
exported and the link that rebuilds it. :func:`prepare` writes that into a copy of the figure (pure,
testable without a browser); :func:`render` turns it into bytes with kaleido.

Kaleido drives a headless Chromium. Nothing may be downloaded here, so the browser is looked up on
the machine (:func:`browser_path`: ``$BROWSER_PATH``, else ``/usr/bin/chromium`` and the usual
names on ``PATH``), ``BROWSER_PATH`` is set for choreographer when it was unset, and the path is
passed to kaleido explicitly (choreographer would otherwise prefer its own downloaded copy).
MathJax is switched off (kaleido would fetch it from a CDN) and plotly.js comes from the plotly
package. One browser is started on first use and kept for the process (about 4 s to start, then
well under a second per image); a failure closes it so the next call starts afresh, and surfaces
as :class:`ExportError` with a plain message.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import shutil
import textwrap
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from core.query import filters as F
from core.query import frames
from core.views.figures import style

Format = Literal["png", "svg", "pdf"]
FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}

#: Export scale: 2x at least, so a slide or a printed page stays sharp.
DEFAULT_SCALE = 2
#: Width of a default export, in CSS pixels (height: the figure's own, else DEFAULT_HEIGHT).
DEFAULT_WIDTH = 1200
DEFAULT_HEIGHT = 600
#: The 16:9 size, the shape of a slide.
WIDE_SIZE = (1600, 900)
#: Seconds to start the browser, and to render one image.
START_TIMEOUT = 60.0
RENDER_TIMEOUT = 60.0
#: Browsers tried when $BROWSER_PATH is unset (Debian's chromium first).
BROWSER_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

_CONTEXT_FONT = 12
_LINE_PX = 16


class ExportError(RuntimeError):
    """An image could not be made; ``str()`` is a message a user can act on."""


# --------------------------------------------------------------------------- context


@dataclass(frozen=True)
class ExportContext:
    """What an exported chart states about itself (empty strings keep the figure's own text)."""

    title: str = ""
    #: the filters and the period, e.g. "Filters: none (whole corpus) · Period: 1 Jan 1990 – 28 Apr 2025"
    subtitle: str = ""
    #: the agencies and articles behind the plotted points
    sources: str = ""
    #: the date of export (passed in: the one place where today's date is right)
    exported: date | None = None
    #: the link that rebuilds the view in the dashboard
    url: str = ""


def filters_text(filters: F.Filters, tables: Mapping[str, pd.DataFrame]) -> str:
    """The active filters in words ('none (whole corpus)' when nothing narrows the view); each
    filter of the registry says its own part (:func:`core.query.filters.words`)."""
    names = frames.actor_names(tables.get("actors", pd.DataFrame()))
    return "; ".join(F.words(filters, names)) or "none (whole corpus)"


def _row_dates(rows: Iterable[pd.DataFrame]) -> pd.Series:
    parts: list[pd.Series] = []
    for df in rows:
        if df is None or df.empty:
            continue
        for col in ("start_date", "end_date", "as_of_date"):
            if col in df.columns:
                parts.append(frames.to_datetime(df[col]))
    return pd.concat(parts).dropna() if parts else pd.Series(dtype="datetime64[ns]")


def period_text(filters: F.Filters, rows: Iterable[pd.DataFrame] = ()) -> str:
    """'3 Jan 1999 – 14 Jun 2000': the plotted rows' dates inside the filter's range (the range alone
    where a side has no rows), as the charts' axes are drawn: the caption and the axis agree."""
    dates = _row_dates(rows)
    d_lo = dates.min() if not dates.empty else None
    d_hi = dates.max() if not dates.empty else None
    lo = (
        filters.start
        if d_lo is None or (filters.start and d_lo.date() < filters.start)
        else (d_lo if not filters.start else max(d_lo.date(), filters.start))
    )
    hi = (
        filters.end
        if d_hi is None or (filters.end and d_hi.date() > filters.end)
        else (d_hi if not filters.end else min(d_hi.date(), filters.end))
    )
    if lo is None and hi is None:
        return "no dated records"
    return f"{frames.format_date(lo) if lo is not None else 'start'} – {frames.format_date(hi) if hi is not None else 'end'}"


def context_subtitle(filters: F.Filters, tables: Mapping[str, pd.DataFrame], rows: Iterable[pd.DataFrame] = ()) -> str:
    """'Filters: … · Period: …' for the subtitle of an export or the caption of a slide."""
    return f"Filters: {filters_text(filters, tables)} · Period: {period_text(filters, list(rows))}"


def sources_text(
    tables: Mapping[str, pd.DataFrame], rows: Iterable[pd.DataFrame] = (), max_articles: int = 6, max_agencies: int = 12
) -> str:
    """'Sources: agencies AP, Interfax; articles “…” (Monitor, 18 May 2000); 12 reference rows' for
    the rows a chart plots: the agencies cited for them and the articles they were read from."""
    rows = [df for df in rows if df is not None and not df.empty]
    article_ids: list[str] = []
    agencies: set[str] = set()
    n_reference = 0
    outlets: set[str] = set()
    for df in rows:
        if "article_id" in df.columns:
            article_ids += [a for a in frames.text(df["article_id"]) if a]
        is_ref = frames.origin_of(df) == "reference"
        n_reference += int(is_ref.sum())
        if "sources" in df.columns:
            for v, ref in zip(df["sources"], is_ref, strict=False):
                (outlets if ref else agencies).update(frames.split_list(v))
    article_ids = list(dict.fromkeys(article_ids))
    citations = tables.get("citations")
    if citations is not None and not citations.empty and article_ids:
        sub = citations[frames.text(citations["article_id"]).isin(article_ids)]
        agencies.update(a.strip() for a in frames.text(sub["agency"]) if a.strip())
    parts: list[str] = []
    listed = sorted(agencies, key=str.lower)
    if listed:
        more = f" +{len(listed) - max_agencies} more" if len(listed) > max_agencies else ""
        parts.append("agencies " + ", ".join(listed[:max_agencies]) + more)
    else:
        parts.append("no agencies cited")
    articles = tables.get("articles")
    described: list[str] = []
    if article_ids:
        by_id: dict[str, dict] = {}
        if articles is not None and not articles.empty:
            by_id = {str(r["article_id"]): r for r in articles.to_dict("records")}
        for aid in article_ids[:max_articles]:
            r = by_id.get(aid, {})
            title = "" if frames.is_missing(r.get("title")) else str(r.get("title"))
            pub = "" if frames.is_missing(r.get("publication")) else str(r.get("publication"))
            when = frames.parse_date(r.get("published_date"))
            where = ", ".join(p for p in (pub, frames.format_date(when) if when else "") if p)
            described.append(f"“{title or aid}”" + (f" ({where})" if where else ""))
        more = f" +{len(article_ids) - max_articles} more" if len(article_ids) > max_articles else ""
        n = len(article_ids)
        parts.append(f"{n} article{'s' if n != 1 else ''}: " + "; ".join(described) + more)
    if n_reference:
        ref = f"{n_reference} curated reference row{'s' if n_reference != 1 else ''}"
        if outlets:
            named = sorted(outlets, key=str.lower)
            ref += " (" + ", ".join(named[:6]) + (f" +{len(named) - 6} more" if len(named) > 6 else "") + ")"
        parts.append(ref)
    return "Sources: " + "; ".join(parts)


def view_url(base: str, page_path: str, params: Mapping[str, object]) -> str:
    """The dashboard link that rebuilds a view: base URL, page path and the query (repeated keys kept).

    ``urllib.parse.parse_qs`` of its query gives back ``params``, so the filters round-trip.
    """
    root = base.rstrip("/")
    path = page_path.strip("/")
    clean: dict[str, list[str]] = {}
    for k, v in params.items():
        vals = [v] if isinstance(v, str) else list(v)  # type: ignore[call-overload]
        vals = [str(x) for x in vals if str(x) != ""]
        if vals:
            clean[k] = vals
    query = urlencode(clean, doseq=True)
    return f"{root}/{path}" + (f"?{query}" if query else "")


def context_for(
    filters: F.Filters, tables: Mapping[str, pd.DataFrame], rows: Sequence[pd.DataFrame], *, exported: date, url: str = "", title: str = ""
) -> ExportContext:
    """The context of a chart drawn from ``rows`` of the filtered ``tables``."""
    return ExportContext(
        title=title, subtitle=context_subtitle(filters, tables, rows), sources=sources_text(tables, rows), exported=exported, url=url
    )


# --------------------------------------------------------------------------- the figure


def export_size(fig: go.Figure, widescreen: bool = False, width: int | None = None, height: int | None = None) -> tuple[int, int]:
    """Width and height in CSS pixels (the image is ``scale`` times that): 1600x900 for 16:9."""
    if widescreen:
        return WIDE_SIZE
    w = width or DEFAULT_WIDTH
    h = height or int(fig.layout.height or DEFAULT_HEIGHT)
    return w, h


def _wrap(text: str, width_px: int, font_px: int) -> list[str]:
    chars = max(40, int(width_px / (font_px * 0.55)))
    return textwrap.wrap(text, width=chars) or [""]


def _text_of(obj: Any) -> str:
    return "" if obj is None else str(obj)


def prepare(
    fig: go.Figure, ctx: ExportContext | None = None, *, widescreen: bool = False, width: int | None = None, height: int | None = None
) -> go.Figure:
    """A copy of ``fig`` sized for export, with the context written in: title, a subtitle with the
    filters and period (the figure's own subtitle, what is plotted, stays under it), and at the
    bottom the source line, the export date and the link. Margins grow with the text, so nothing
    is clipped."""
    ctx = ctx or ExportContext()
    out = go.Figure(fig)
    w, h = export_size(out, widescreen, width, height)
    title = ctx.title or _text_of(out.layout.title.text)
    own_sub = _text_of(out.layout.title.subtitle.text) if out.layout.title.subtitle else ""
    sub_lines: list[str] = []
    if ctx.subtitle:
        sub_lines += [style.esc(x) for x in _wrap(ctx.subtitle, w - 100, _CONTEXT_FONT)]
    if own_sub and own_sub != style.esc(ctx.subtitle):
        sub_lines += _wrap(own_sub, w - 100, _CONTEXT_FONT)
    # keep the figure's own source line unless the context brings one
    own_source = ""
    kept = []
    for a in out.layout.annotations:
        if getattr(a, "name", None) == "source":
            own_source = _text_of(a.text)
        else:
            kept.append(a)
    foot: list[str] = []
    # the footer starts at the plot's left edge, which long axis labels push right
    if ctx.sources:
        foot += [style.esc(x) for x in _wrap(ctx.sources, w - 240, 11)]
    elif own_source:
        foot += _wrap(own_source, w - 240, 11)
    stamp = []
    if ctx.exported:
        stamp.append(f"Exported {frames.format_date(ctx.exported)}")
    if ctx.url:
        stamp.append(f"Rebuild this view: {ctx.url}")
    if stamp:
        foot.append(style.esc(" · ".join(stamp)))
    top = 70 + _LINE_PX * len(sub_lines)
    bottom = 60 + _LINE_PX * len(foot) + 12
    margin = out.layout.margin
    out.update_layout(
        width=w,
        height=h,
        title={
            "text": title,
            "y": 1.0,
            "yref": "container",
            "yanchor": "top",
            "x": 0,
            "xref": "container",
            "pad": {"t": 14, "l": 16},
            "subtitle": {"text": "<br>".join(sub_lines), "font": {"size": _CONTEXT_FONT, "color": style.MUTED}},
        },
        margin={
            "t": max(top, int(margin.t or 0)),
            "b": max(bottom, int(margin.b or 0)),
            "l": int(margin.l or 70),
            "r": int(margin.r or 30),
        },
    )
    out.layout.annotations = kept  # assigned: update_layout would merge the lists index by index
    if foot:
        style.add_source_note(out, "<br>".join(foot))
    return out


# --------------------------------------------------------------------------- the browser


def browser_path() -> str | None:
    """The Chromium kaleido will drive: ``$BROWSER_PATH`` when set (even if wrong, so the message
    names it), else the first of :data:`BROWSER_CANDIDATES` found on this machine."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if os.path.isfile(env) and os.access(env, os.X_OK) else None
    for name in BROWSER_CANDIDATES:
        path = name if os.path.isabs(name) else shutil.which(name)
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def renderer_status() -> tuple[bool, str]:
    """(available, message) without starting anything: is there a browser, and did it fail lately?"""
    path = browser_path()
    if path is None:
        env = os.environ.get("BROWSER_PATH")
        where = f"BROWSER_PATH={env!r} is not an executable file" if env else "no Chromium found (/usr/bin/chromium)"
        return False, (
            f"Server-side image export is unavailable: {where}. Install Debian's chromium or set BROWSER_PATH; "
            "the camera button in the chart's toolbar still saves a PNG."
        )
    if _RENDERER.last_error:
        return True, f"The last export failed: {_RENDERER.last_error}"
    return True, f"Images are rendered with {path}."


class _Renderer:
    """One kaleido browser for the process, on its own event loop thread, one render at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self.last_error = ""

    def _start(self) -> None:
        try:
            import kaleido
        except ImportError as exc:  # pragma: no cover - kaleido is in requirements.txt
            raise ExportError("kaleido is not installed (pip install -r requirements.txt).") from exc
        path = browser_path()
        if path is None:
            raise ExportError(renderer_status()[1])
        os.environ.setdefault("BROWSER_PATH", path)  # for choreographer, and plotly's own to_image
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="ruskor-kaleido", daemon=True)
        thread.start()

        async def _open() -> Any:
            k = kaleido.Kaleido(n=1, timeout=RENDER_TIMEOUT, mathjax=False, path=path)
            await k.open()
            return k

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(_open(), loop).result(START_TIMEOUT)
        except BaseException as exc:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(5)
            loop.close()
            raise ExportError(f"Chromium at {path} could not be started for image export ({type(exc).__name__}: {exc}).") from exc
        self._loop, self._thread = loop, thread

    def _stop(self) -> None:
        loop, thread, k = self._loop, self._thread, self._kaleido
        self._loop = self._thread = self._kaleido = None
        if loop is None:
            return
        if k is not None:
            with contextlib.suppress(BaseException):  # closing a broken browser: nothing left to save
                asyncio.run_coroutine_threadsafe(k.close(), loop).result(15)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(5)
        if not loop.is_running():
            loop.close()

    def render(self, figs: Sequence[tuple[dict, dict]]) -> list[bytes]:
        """Bytes for each (figure dict, kaleido options); restarts the browser after a failure."""
        with self._lock:
            if self._kaleido is None:
                try:
                    self._start()
                except ExportError as exc:
                    self.last_error = str(exc)
                    raise
            assert self._loop is not None
            out: list[bytes] = []
            try:
                for fig, opts in figs:
                    fut = asyncio.run_coroutine_threadsafe(self._kaleido.calc_fig(fig, opts=opts), self._loop)
                    out.append(fut.result(RENDER_TIMEOUT + 5))
            except BaseException as exc:
                self._stop()
                self.last_error = f"{type(exc).__name__}: {exc}"
                raise ExportError(f"The chart could not be rendered ({self.last_error}).") from exc
            self.last_error = ""
            return out

    def close(self) -> None:
        with self._lock:
            self._stop()


_RENDERER = _Renderer()
atexit.register(_RENDERER.close)


def close_renderer() -> None:
    """Stop the browser (tests and shutdown; the next render starts a new one)."""
    _RENDERER.close()


def render_many(
    items: Sequence[tuple[go.Figure, Format]],
    *,
    ctx: ExportContext | Sequence[ExportContext | None] | None = None,
    widescreen: bool = False,
    scale: float = DEFAULT_SCALE,
    width: int | None = None,
    height: int | None = None,
) -> list[bytes]:
    """Several images in one go (one browser, one lock): a briefing's views."""
    if scale < 2:
        raise ValueError("exports are made at 2x scale or more")
    ctxs = list(ctx) if isinstance(ctx, Sequence) else [ctx] * len(items)
    jobs: list[tuple[dict, dict]] = []
    for (fig, fmt), c in zip(items, ctxs, strict=True):
        if fmt not in FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
        ready = prepare(fig, c, widescreen=widescreen, width=width, height=height)
        jobs.append((ready.to_dict(), {"format": fmt, "width": ready.layout.width, "height": ready.layout.height, "scale": scale}))
    return _RENDERER.render(jobs)


def render(
    fig: go.Figure,
    fmt: Format = "png",
    *,
    ctx: ExportContext | None = None,
    widescreen: bool = False,
    scale: float = DEFAULT_SCALE,
    width: int | None = None,
    height: int | None = None,
) -> bytes:
    """One image of ``fig`` with its context: PNG/PDF at ``scale`` (>= 2), or SVG. Raises ExportError."""
    return render_many([(fig, fmt)], ctx=ctx, widescreen=widescreen, scale=scale, width=width, height=height)[0]


def file_name(name: str, filters: F.Filters, fmt: str, widescreen: bool = False, names: Mapping[str, str] | None = None) -> str:
    """'timeline-by-actor_1999-01-01_end_16x9.png': the chart and its filters, like the camera button's."""
    return f"{name}_{F.slug(filters, names)}{'_16x9' if widescreen else ''}.{fmt}"


#: Events CSV columns, GDELT 1.0 names where GDELT has the field (Actor1Code, EventCode, GoldsteinScale, …).
EVENTS_CSV_COLUMNS = [
    "EventId",
    "Date",
    "DateEnd",
    "DatePrecision",
    "DateShown",
    "Actor1Code",
    "Actor1Name",
    "Actor2Code",
    "Actor2Name",
    "EventCode",
    "EventName",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "Status",
    "Confidence",
    "ActionGeo_FullName",
    "NumSources",
    "Sources",
    "Evidence",
    "ArticleId",
    "SOURCEURL",
    "Origin",
]


def events_csv_frame(
    events: pd.DataFrame, actors: pd.DataFrame, base: str, params: Mapping[str, object] | None = None, *, newest_first: bool = True
) -> pd.DataFrame:
    """Every given event as a CSV row an analyst can join with GDELT: codes and names of both actors,
    the CAMEO code, QuadClass and Goldstein as numbers, the date with its precision, and a full URL
    (``SOURCEURL``: the article in the dashboard, ``base`` + the filters, or the reference source)."""
    from core.domain import cameo

    if events is None or events.empty:
        return pd.DataFrame(columns=EVENTS_CSV_COLUMNS)
    names = frames.actor_names(actors)
    start, _end = frames.event_dates(events)
    order = (
        pd.DataFrame(
            {"undated": start.isna().to_numpy(), "start": start.to_numpy(), "id": frames.text(events["event_id"]).to_numpy(dtype=object)}
        )
        .sort_values(["undated", "start", "id"], ascending=[True, not newest_first, True], kind="stable")
        .index.to_numpy()
    )
    ev = events.iloc[order]

    def col(name: str) -> pd.Series:
        return frames.text(ev[name]).str.strip() if name in ev.columns else pd.Series("", index=ev.index)

    codes = col("cameo_code")
    table = cameo.cameo_table()
    arts = col("article_id")
    urls = col("source_url")
    link_params = dict(params or {})

    def url(aid: str, src: str) -> str:
        if aid:
            return view_url(base, "articles", {**link_params, "article": aid})
        return src.split(";")[0].strip()

    return pd.DataFrame(
        {
            "EventId": col("event_id"),
            "Date": col("start_date"),
            "DateEnd": col("end_date"),
            "DatePrecision": col("date_precision"),
            "DateShown": frames.when_column(ev),
            "Actor1Code": col("source_actor"),
            "Actor1Name": [names.get(a, a) for a in col("source_actor")],
            "Actor2Code": col("target_actor"),
            "Actor2Name": [names.get(a, a) for a in col("target_actor")],
            "EventCode": codes,
            "EventName": [table.get(c, {}).get("name", "") for c in codes],
            "EventRootCode": col("cameo_root"),
            "QuadClass": pd.to_numeric(ev["quad_class"], errors="coerce").astype("Int64"),
            "GoldsteinScale": pd.to_numeric(ev["goldstein"], errors="coerce"),
            "Status": col("status"),
            "Confidence": pd.to_numeric(ev["confidence"], errors="coerce") if "confidence" in ev.columns else None,
            "ActionGeo_FullName": col("location"),
            "NumSources": [len(frames.split_list(v)) for v in col("sources")],
            "Sources": col("sources"),
            "Evidence": col("evidence"),
            "ArticleId": arts,
            "SOURCEURL": [url(a, u) for a, u in zip(arts, urls, strict=False)],
            "Origin": frames.origin_of(ev),
        }
    )[EVENTS_CSV_COLUMNS].reset_index(drop=True)
