"""core.views.images and ui.export_buttons: images that carry their context (filters, period, sources,
export date, link), the right pixel size, valid SVG, a clear message when no browser is found.

Rendering needs Chromium (/usr/bin/chromium); when it cannot start, the rendering tests are
skipped with the reason (also raised as a warning, so it shows in pytest's summary).
"""

from __future__ import annotations

import io
import itertools
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import plotly.graph_objects as go
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from core.query import filters as F
from core.query import frames
from core.views import images
from core.views.figures import debt_arms, style, timeline
from tests.factories import make_tables

T = make_tables(seed=1)
EXPORTED = date(2025, 6, 1)
APP = str(Path(__file__).resolve().parent.parent / "app.py")
_keys = itertools.count()


def _timeline(filters: F.Filters = F.Filters()) -> tuple[go.Figure, images.ExportContext, dict]:
    tables = F.apply(T, filters)
    fig = timeline.timeline_figure(
        tables["events"], tables["actors"], subtitle=F.describe(filters, tables), source=style.source_line(tables, [tables["events"]])
    )
    url = images.view_url("http://localhost:8501", "timeline", F.to_query_params(filters))
    ctx = images.context_for(filters, tables, [tables["events"]], exported=EXPORTED, url=url)
    return fig, ctx, tables


# --------------------------------------------------------------------------- context (no browser)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (F.Filters(), "none (whole corpus)"),
        (F.Filters(actors=("igor-sergeev",), quad_classes=(1,)), "actors: Igor Sergeev; QuadClass: Verbal cooperation"),
        (F.Filters(start=date(1999, 3, 1), statuses=("denied",)), "dates 1 Mar 1999 – end; status: denied"),
    ],
)
def test_exports_filters_text_names_every_filter(filters: F.Filters, expected: str) -> None:
    assert images.filters_text(filters, T) == expected


def test_exports_period_text_uses_the_filter_then_the_plotted_rows() -> None:
    ev = T["events"]
    both = [frames.to_datetime(ev["start_date"]), frames.to_datetime(ev["end_date"])]
    lo, hi = min(d.min() for d in both), max(d.max() for d in both)
    assert images.period_text(F.Filters(), [ev]) == f"{frames.format_date(lo)} – {frames.format_date(hi)}"
    assert images.period_text(F.Filters(start=date(2000, 1, 2)), [ev]).startswith("2 Jan 2000 – ")
    assert images.period_text(F.Filters(), []) == "no dated records"


def test_exports_sources_text_lists_agencies_and_articles() -> None:
    ev = T["events"]
    text = images.sources_text(T, [ev])
    cited = {a for a in frames.text(T["citations"]["agency"]) if a}
    assert text.startswith("Sources: agencies ")
    assert any(a in text for a in cited)
    n = len(set(frames.text(ev["article_id"])) - {""})
    assert f"{n} articles: “" in text and "(Monitor" in text
    assert "curated reference row" in text


def test_exports_prepare_writes_the_context_into_a_copy() -> None:
    fig, ctx, _ = _timeline(F.Filters(actors=("igor-sergeev",)))
    before = fig.to_json()
    out = images.prepare(fig, ctx)
    assert fig.to_json() == before  # the page's figure is untouched
    assert out.layout.title.text == fig.layout.title.text
    assert "Filters: actors: Igor Sergeev" in out.layout.title.subtitle.text
    assert "Period: " in out.layout.title.subtitle.text
    source = next(a for a in out.layout.annotations if a.name == "source")
    flat = source.text.replace("<br>", " ")
    assert "Sources: agencies" in flat and "Exported 1 Jun 2025" in flat and "actor=igor-sergeev" in flat
    assert sum(a.name == "source" for a in out.layout.annotations) == 1
    assert out.layout.margin.b > 60 + 16  # room for the wrapped footer
    assert (out.layout.width, out.layout.height) == images.export_size(fig)


@pytest.mark.parametrize(
    "filters",
    [
        F.Filters(),
        F.Filters(actors=("igor-sergeev", "RUS"), quad_classes=(1, 4)),
        F.Filters(start=date(1999, 6, 1), end=date(2000, 6, 1), statuses=("planned", "denied"), origins=("article",)),
        F.Filters(event_types=("meeting",), agencies=("ITAR-TASS",)),
    ],
)
def test_exports_view_url_round_trips_the_filters(filters: F.Filters) -> None:
    url = images.view_url("http://example.org:8501/", "/timeline", {**F.to_query_params(filters), "lane": "type"})
    parts = urlsplit(url)
    assert parts.path == "/timeline"
    params = parse_qs(parts.query)
    assert params["lane"] == ["type"]
    parsed, notices = F.from_query_params({k: v for k, v in params.items() if k in F.FILTER_PARAMS})
    assert parsed == filters and not notices


def test_exports_file_name_follows_the_camera_button() -> None:
    flt = F.Filters(actors=("igor-sergeev",))
    names = frames.actor_names(T["actors"])
    assert images.file_name("timeline-by-actor", flt, "png", names=names) == "timeline-by-actor_igor-sergeev.png"
    assert images.file_name("timeline-by-actor", flt, "svg", True, names) == "timeline-by-actor_igor-sergeev_16x9.svg"


def test_exports_scale_below_two_is_refused() -> None:
    with pytest.raises(ValueError, match="2x"):
        images.render(go.Figure(), "png", scale=1)


def test_exports_missing_browser_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    monkeypatch.setattr(images, "_RENDERER", images._Renderer())  # a fresh one: never started
    assert images.browser_path() is None
    ok, message = images.renderer_status()
    assert not ok and "BROWSER_PATH" in message and "camera button" in message
    with pytest.raises(images.ExportError, match="no-chromium"):
        images.render(go.Figure(), "png")


# --------------------------------------------------------------------------- rendering


def _png(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


@pytest.mark.parametrize(("widescreen", "scale"), [(False, 2), (True, 2), (False, 3)])
def test_exports_png_has_expected_size_and_is_not_blank(renderer, widescreen: bool, scale: int) -> None:
    fig, ctx, _ = _timeline()
    data = images.render(fig, "png", ctx=ctx, widescreen=widescreen, scale=scale)
    img = _png(data).convert("RGB")
    w, h = images.export_size(fig, widescreen)
    assert img.size == (w * scale, h * scale)
    if widescreen:
        assert img.size == (1600 * scale, 900 * scale)
    small = img.resize((img.width // 8, img.height // 8))
    pixels = list(small.getdata())
    assert len(set(pixels)) > 10
    non_white = sum(1 for p in pixels if min(p) < 245) / len(pixels)
    assert 0.02 < non_white < 0.8


def test_exports_png_of_the_debt_chart(renderer) -> None:
    shown = debt_arms.dollar_rows(T["amounts"])
    fig = debt_arms.debt_arms_figure(T["amounts"], T["articles"], subtitle="test")
    ctx = images.context_for(F.Filters(), T, [shown], exported=EXPORTED)
    img = _png(images.render(fig, "png", ctx=ctx))
    assert img.size == (images.DEFAULT_WIDTH * 2, 680 * 2)


def _svg_text(data: bytes) -> str:
    root = ET.fromstring(data)  # raises on invalid XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return " ".join("".join(e.itertext()) for e in root.iter() if e.tag.endswith("text"))


def test_exports_svg_is_valid_xml_with_title_and_filter_subtitle(renderer) -> None:
    filters = F.Filters(actors=("igor-sergeev",), quad_classes=(1, 2))
    fig, ctx, _ = _timeline(filters)
    text = _svg_text(images.render(fig, "svg", ctx=ctx))
    assert "Timeline of events by actor" in text
    assert "Filters: actors: Igor Sergeev; QuadClass: Verbal cooperation, Material cooperation" in text
    assert "Exported 1 Jun 2025" in text


def test_exports_render_many_shares_one_browser(renderer) -> None:
    fig, ctx, _ = _timeline()
    out = images.render_many([(fig, "png"), (fig, "svg"), (fig, "pdf")], ctx=ctx, widescreen=True)
    assert out[0][:8] == b"\x89PNG\r\n\x1a\n" and out[1].lstrip().startswith(b"<svg") and out[2][:5] == b"%PDF-"


# --------------------------------------------------------------------------- the buttons under charts


@pytest.fixture
def factory(monkeypatch: pytest.MonkeyPatch):
    import ui.loader

    key = f"exports-{next(_keys)}"
    monkeypatch.setattr(ui.loader, "read_store", lambda: (T, key, []))


def _page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    if page != "app.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", ["app.py", "pages/timeline.py", "pages/network.py", "pages/debt_arms.py"])
def test_exports_buttons_under_every_chart(factory, page: str) -> None:
    at = _page(page)
    labels = [b.label for b in at.download_button]
    assert labels.count("Download PNG") == 1 and labels.count("Download SVG") == 1
    assert any(t.label == "16:9" for t in at.toggle)


def test_exports_buttons_say_why_when_no_browser(factory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    at = _page("pages/timeline.py")
    assert not [b for b in at.download_button if b.label.startswith("Download PNG")]
    assert any("Server-side image export is unavailable" in c.value for c in at.caption)
