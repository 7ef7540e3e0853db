"""A briefing pack from the dashboard: a PowerPoint (title slide, then one slide per view) and a
one-page PDF sheet with the views tiled.

Analysts forward slides, not dashboards, so each slide carries what the dashboard would have
shown around the chart: the filters and period, the link that rebuilds the view, the sources
(agencies and articles) and the export date. Views are built from the filtered tables by the views'
own recipes (:mod:`core.views.registry`, the ones the pages call), then rendered by :mod:`core.views.images`; assembling the PPTX and the
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

from core.query import filters as F
from core.query import frames
from core.views import images as chart_images  # ("images" names the rendered PNGs here)
from core.views import registry as views
from core.views.figures import debt_arms, style

if TYPE_CHECKING:
    from PIL import Image


#: The views a briefing can hold (the registry's views marked for it), by view key.
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PDF_MIME = "application/pdf"


@dataclass
class View:
    """One chosen view: its figure, the rows it plots and the context its slide states."""

    key: str
    label: str
    figure: go.Figure
    context: chart_images.ExportContext
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


def view_figure(key: str, tables: Mapping[str, pd.DataFrame], filters: F.Filters) -> tuple[go.Figure, list[pd.DataFrame]]:
    """The figure of one view from the filtered tables, and the rows it plots (for its sources):
    the view's own recipe with its briefing options."""
    spec = views.briefing_views().get(key)
    if spec is None:
        raise ValueError(f"unknown view {key!r}; choose from {', '.join(views.briefing_views())}")
    result = spec.run(tables, filters, spec.briefing_options)
    assert result.figure is not None  # every briefing view draws a figure
    return result.figure, result.rows


def build_views(
    tables: Mapping[str, pd.DataFrame], filters: F.Filters, keys: Sequence[str], *, base_url: str, exported: date
) -> list[View]:
    """The chosen views under the filters, each with its caption context and rebuild link."""
    params = F.to_query_params(filters)
    out: list[View] = []
    for key in keys:
        spec = views.briefing_views()[key]
        fig, rows = view_figure(key, tables, filters)
        ctx = chart_images.context_for(filters, tables, rows, exported=exported, url=chart_images.view_url(base_url, spec.path, params))
        out.append(View(key=key, label=spec.label, figure=fig, context=ctx, empty=style.is_empty_figure(fig)))
    return out


def render_views(views: Sequence[View]) -> list[bytes]:
    """16:9 PNGs of the views (one browser run); raises chart_images.ExportError."""
    if not views:
        return []
    return chart_images.render_many([(v.figure, "png") for v in views], ctx=[v.context for v in views], widescreen=True)


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
        lines.append(f"Exported {frames.format_date(ctx.exported)}")
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
    for text in (filters_line, f"Exported {frames.format_date(exported)} from the Russia–Korea relations dashboard"):
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
    meta = " · ".join(x for x in (filters_line, f"Exported {frames.format_date(exported)}") if x)
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
    except chart_images.ExportError as exc:
        images = [None] * len(views)
        warnings.append(f"Charts could not be rendered, so the deck has captions and links only and there is no sheet: {exc}")
    filters_line = chart_images.context_subtitle(filters, tables, _all_rows(tables))
    pptx = build_pptx(title, note, views, images, exported=exported, filters_line=filters_line)
    sheet = build_sheet(title, note, views, images, exported=exported, filters_line=filters_line) if views and all(images) else None
    return Briefing(pptx=pptx, sheet=sheet, images=images, views=views, warnings=warnings)


def _all_rows(tables: Mapping[str, pd.DataFrame]) -> list[pd.DataFrame]:
    return [tables["events"], debt_arms.dollar_rows(tables["amounts"])]


def file_stem(title: str, filters: F.Filters, names: Mapping[str, str] | None = None) -> str:
    """'briefing_<filters>' (the title is free text, so it stays out of the file name)."""
    return f"briefing_{F.slug(filters, names)}"
