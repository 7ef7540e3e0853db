"""A briefing pack from the dashboard: a PowerPoint (title slide, then one slide per view) and a
one-page PDF sheet with the views tiled.

Analysts forward slides, not dashboards, so each slide carries what the dashboard would have
shown around the chart: the filters and period, the link that rebuilds the view, the sources
(agencies and articles) and the export date. Views are built from the filtered tables with the same
figure builders as the pages, then rendered by :mod:`core.exports`; assembling the PPTX and the
sheet is pure and takes image bytes, so it is testable without a browser.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

from core import exports
from core import filters as F
from core.figures import debt_arms, network, style, timeline

if TYPE_CHECKING:
    from PIL import Image


@dataclass(frozen=True)
class ViewSpec:
    """A view a briefing can hold: its label and the dashboard page that shows it."""

    label: str
    page_path: str
    what: str


VIEWS: dict[str, ViewSpec] = {
    "timeline": ViewSpec("Timeline", "timeline", "events on a time axis, one lane per actor"),
    "network": ViewSpec("Network", "network", "who acted toward whom, coloured by mean Goldstein"),
    "debt_arms": ViewSpec("Debt vs arms", "debt_arms", "reported debt figures beside arms delivered and dealt"),
    "key_events": ViewSpec("Key events", "events", "the most cited events, in date order"),
}
KEY_EVENTS = 12
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PDF_MIME = "application/pdf"


@dataclass
class View:
    """One chosen view: its figure, the rows it plots and the context its slide states."""

    key: str
    label: str
    figure: go.Figure
    context: exports.ExportContext
    empty: bool = False


@dataclass
class Briefing:
    """What the Briefing page offers for download (images kept for the preview)."""

    pptx: bytes
    sheet: bytes | None
    images: list[bytes | None]
    views: list[View]
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- views


def key_events(events: pd.DataFrame, limit: int = KEY_EVENTS) -> pd.DataFrame:
    """The events most worth a slide: most agencies cited, then strongest Goldstein, then surest;
    the top ``limit`` in date order."""
    if events is None or events.empty:
        return events.iloc[0:0] if events is not None else pd.DataFrame()
    ev = events.copy()
    ev["_n_sources"] = [len(F.split_list(v)) for v in ev["sources"]]
    ev["_strength"] = pd.to_numeric(ev["goldstein"], errors="coerce").abs().fillna(0)
    ev["_conf"] = pd.to_numeric(ev["confidence"], errors="coerce").fillna(0)
    ev["_date"] = F.to_datetime(ev["start_date"])
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
    names = F.actor_names(actors)

    def cut(value: object, n: int) -> str:
        raw = "" if F.is_missing(value) else " ".join(str(value).split())
        return raw if len(raw) <= n else raw[: n - 1].rstrip() + "…"

    def wrapped(value: str, width: int) -> str:
        return "<br>".join(style.esc(x) for x in textwrap.wrap(value, width)) or ""

    cells = [
        [w if w != "?" else "undated" for w in F.when_column(top)],  # at the precision the text gave
        [wrapped(f"{t} ({s})" if s else t, 22) for t, s in zip(F.text(top["event_type"]), F.text(top["status"]), strict=False)],
        [wrapped(", ".join(names.get(a, a) for a in F.split_list(v)), 28) for v in top["actors"]],
        [wrapped(cut(e, 240), 96) for e in top["evidence"]],
        [wrapped(", ".join(F.split_list(v)) or "—", 22) for v in top["sources"]],
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


def view_figure(key: str, tables: Mapping[str, pd.DataFrame], filters: F.Filters) -> tuple[go.Figure, list[pd.DataFrame]]:
    """The figure of one view from the filtered tables, and the rows it plots (for its sources)."""
    if key not in VIEWS:
        raise ValueError(f"unknown view {key!r}; choose from {', '.join(VIEWS)}")
    ev, actors = tables["events"], tables["actors"]
    describe = F.describe(filters, tables)
    if key == "timeline":
        return timeline.timeline_figure(ev, actors, lane="actor", subtitle=describe, source=style.source_line(tables, [ev])), [ev]
    if key == "network":
        graph = network.to_graph(network.build_relations(ev, actors), actors, ev)
        fig = network.network_figure(graph, network.layout(graph, seed=42), subtitle=describe, source=style.source_line(tables, [ev]))
        return fig, [ev]
    if key == "debt_arms":
        shown = debt_arms.dollar_rows(tables["amounts"])
        n = len(shown)
        fig = debt_arms.debt_arms_figure(
            tables["amounts"],
            tables["articles"],
            subtitle=f"{n} dollar figure{'s' if n != 1 else ''}",
            source=style.source_line(tables, [shown]),
        )
        return fig, [shown]
    top = key_events(ev)
    return key_events_figure(ev, actors, subtitle=describe, source=style.source_line(tables, [top])), [top]


def build_views(
    tables: Mapping[str, pd.DataFrame], filters: F.Filters, keys: Sequence[str], *, base_url: str, exported: date
) -> list[View]:
    """The chosen views under the filters, each with its caption context and rebuild link."""
    params = F.to_query_params(filters)
    out: list[View] = []
    for key in keys:
        spec = VIEWS[key]
        fig, rows = view_figure(key, tables, filters)
        ctx = exports.context_for(filters, tables, rows, exported=exported, url=exports.view_url(base_url, spec.page_path, params))
        out.append(View(key=key, label=spec.label, figure=fig, context=ctx, empty=style.is_empty_figure(fig)))
    return out


def render_views(views: Sequence[View]) -> list[bytes]:
    """16:9 PNGs of the views (one browser run); raises exports.ExportError."""
    if not views:
        return []
    return exports.render_many([(v.figure, "png") for v in views], ctx=[v.context for v in views], widescreen=True)


# --------------------------------------------------------------------------- PowerPoint


def caption_lines(view: View, max_sources: int | None = None) -> list[str]:
    """The caption under a slide's image: filters and period, the rebuild link, sources (cut to
    ``max_sources`` characters on the slide; whole in the speaker notes), export date."""
    ctx = view.context
    sources = ctx.sources
    if max_sources and len(sources) > max_sources:
        sources = sources[: max_sources - 1].rstrip() + "… (all sources in the speaker notes)"
    lines = [ctx.subtitle, f"Rebuild this view: {ctx.url}", sources]
    if ctx.exported:
        lines.append(f"Exported {F.format_date(ctx.exported)}")
    return [x for x in lines if x]


def build_pptx(
    title: str, note: str, views: Sequence[View], images: Sequence[bytes | None], *, exported: date, filters_line: str = ""
) -> bytes:
    """A 16:9 deck: the title slide (title, note, filters, date), then one slide per view with its
    image and caption. A view without an image gets its caption and a line saying so."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Inches, Pt

    ink, muted = RGBColor(0x1F, 0x29, 0x33), RGBColor(0x5F, 0x6B, 0x7A)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    first = prs.slides.add_slide(prs.slide_layouts[0])
    first.shapes.title.text = title or "Russia–Korea relations"
    sub = first.placeholders[1].text_frame
    sub.text = note or ""
    for text in (filters_line, f"Exported {F.format_date(exported)} from the Russia–Korea relations dashboard"):
        if text:
            p = sub.add_paragraph()
            p.text = text
            p.font.size = Pt(14)
            p.font.color.rgb = muted

    blank = prs.slide_layouts[6]
    for view, image in zip(views, images, strict=True):
        slide = prs.slides.add_slide(blank)
        head = slide.shapes.add_textbox(Inches(0.4), Inches(0.15), Inches(12.5), Inches(0.6)).text_frame
        head.text = view.label
        head.paragraphs[0].font.size = Pt(26)
        head.paragraphs[0].font.bold = True
        head.paragraphs[0].font.color.rgb = ink
        pic_h = Inches(5.5)
        pic_w = Emu(int(pic_h * 16 / 9))
        left = Emu(int((prs.slide_width - pic_w) / 2))
        if image:
            slide.shapes.add_picture(io.BytesIO(image), left, Inches(0.8), height=pic_h)
        else:
            box = slide.shapes.add_textbox(left, Inches(3.2), pic_w, Inches(1)).text_frame
            box.text = "The chart image could not be rendered on the server; open the link below to see the view."
            box.paragraphs[0].font.size = Pt(16)
            box.paragraphs[0].font.color.rgb = muted
        cap = slide.shapes.add_textbox(Inches(0.4), Inches(6.38), Inches(12.5), Inches(1.05)).text_frame
        cap.word_wrap = True
        for i, line in enumerate(caption_lines(view, max_sources=330)):
            p = cap.paragraphs[0] if i == 0 else cap.add_paragraph()
            run = p.add_run()
            run.text = line
            run.font.size = Pt(9)
            run.font.color.rgb = muted
            if line.startswith("Rebuild this view: ") and view.context.url:
                run.hyperlink.address = view.context.url
        slide.notes_slide.notes_text_frame.text = "\n".join(caption_lines(view))
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- the sheet

_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    path = _FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:
        return ImageFont.load_default(size)


def _grid(n: int) -> tuple[int, int]:
    return (1, 1) if n <= 1 else (1, 2) if n == 2 else (2, 2) if n <= 4 else (3, (n + 2) // 3)


def sheet_image(
    title: str, note: str, views: Sequence[View], images: Sequence[bytes | None], *, exported: date, filters_line: str = "", dpi: int = 200
) -> Image.Image:
    """The sheet as one A4-landscape image: title, note, filters and date on top, the views tiled
    below, each with its rebuild link (the images already carry their own sources)."""
    from PIL import Image, ImageDraw

    width, height = int(11.69 * dpi), int(8.27 * dpi)
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    pad = int(0.3 * dpi)
    y = pad
    draw.text((pad, y), title or "Russia–Korea relations", font=_font(int(dpi * 0.2), bold=True), fill="#1f2933")
    y += int(dpi * 0.3)
    small = _font(int(dpi * 0.075))
    chars = int((width - 2 * pad) / (dpi * 0.075 * 0.55))
    note_chars = int((width - 2 * pad) / (dpi * 0.085 * 0.58))
    for line in textwrap.wrap(note or "", note_chars)[:3]:
        draw.text((pad, y), line, font=_font(int(dpi * 0.085)), fill="#1f2933")
        y += int(dpi * 0.13)
    meta = " · ".join(x for x in (filters_line, f"Exported {F.format_date(exported)}") if x)
    for line in textwrap.wrap(meta, chars)[:2]:
        draw.text((pad, y), line, font=small, fill="#5f6b7a")
        y += int(dpi * 0.11)
    y += int(dpi * 0.05)
    pairs = [(v, img) for v, img in zip(views, images, strict=True)]
    rows, cols = _grid(len(pairs))
    gap = int(0.15 * dpi)
    link_h = int(dpi * 0.12)
    cell_w = (width - 2 * pad - (cols - 1) * gap) // cols
    cell_h = (height - y - pad - (rows - 1) * gap) // rows
    tiny = _font(int(dpi * 0.06))
    for i, (view, img) in enumerate(pairs):
        r, c = divmod(i, cols)
        x0, y0 = pad + c * (cell_w + gap), y + r * (cell_h + gap)
        box_w, box_h = cell_w, cell_h - link_h
        if img:
            tile = Image.open(io.BytesIO(img)).convert("RGB")
            tile.thumbnail((box_w, box_h), Image.Resampling.LANCZOS)
            page.paste(tile, (x0 + (box_w - tile.width) // 2, y0))
            bottom = y0 + tile.height
        else:
            draw.rectangle((x0, y0, x0 + box_w, y0 + box_h), outline="#e4e7eb", width=2)
            draw.text((x0 + gap, y0 + gap), f"{view.label}: image not available", font=small, fill="#5f6b7a")
            bottom = y0 + box_h
        draw.rectangle((x0, y0, x0 + box_w, bottom), outline="#e4e7eb", width=2)
        draw.text((x0, bottom + int(dpi * 0.02)), f"{view.label} — rebuild: {view.context.url}", font=tiny, fill="#5f6b7a")
    return page


def build_sheet(
    title: str, note: str, views: Sequence[View], images: Sequence[bytes | None], *, exported: date, filters_line: str = "", dpi: int = 200
) -> bytes:
    """The sheet as a one-page PDF (Pillow), to print or attach."""
    page = sheet_image(title, note, views, images, exported=exported, filters_line=filters_line, dpi=dpi)
    buf = io.BytesIO()
    page.save(buf, "PDF", resolution=float(dpi), title=title or "Briefing")
    return buf.getvalue()


# --------------------------------------------------------------------------- all together


def build_briefing(
    tables: Mapping[str, pd.DataFrame], filters: F.Filters, keys: Sequence[str], *, title: str, note: str, base_url: str, exported: date
) -> Briefing:
    """Views, images, deck and sheet. Without a working renderer the deck still builds (captions and
    links, no images) and the sheet is left out, with a warning saying why."""
    views = build_views(tables, filters, keys, base_url=base_url, exported=exported)
    warnings: list[str] = []
    try:
        images: list[bytes | None] = list(render_views(views))
    except exports.ExportError as exc:
        images = [None] * len(views)
        warnings.append(f"Charts could not be rendered, so the deck has captions and links only and there is no sheet: {exc}")
    filters_line = exports.context_subtitle(filters, tables, _all_rows(tables))
    pptx = build_pptx(title, note, views, images, exported=exported, filters_line=filters_line)
    sheet = build_sheet(title, note, views, images, exported=exported, filters_line=filters_line) if views and all(images) else None
    return Briefing(pptx=pptx, sheet=sheet, images=images, views=views, warnings=warnings)


def _all_rows(tables: Mapping[str, pd.DataFrame]) -> list[pd.DataFrame]:
    return [tables["events"], debt_arms.dollar_rows(tables["amounts"])]


def file_stem(title: str, filters: F.Filters, names: Mapping[str, str] | None = None) -> str:
    """'briefing_<filters>' (the title is free text, so it stays out of the file name)."""
    return f"briefing_{F.slug(filters, names)}"
