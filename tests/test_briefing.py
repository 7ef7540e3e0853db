"""core.views.briefing and the Briefing page: key events, one slide per view with its caption (filters,
link, sources, date), the tiled sheet, the page on the sample store and on an empty corpus, and
the sidebar's "copy link" that round-trips to the same filters.

Decks and sheets are assembled from stand-in images, so most tests need no browser; the ones that
render are skipped with the reason when Chromium cannot start.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import plotly.graph_objects as go
import pytest
from PIL import Image
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from core.query import filters as F
from core.query import frames
from core.views import briefing, images
from core.views import registry as views
from core.views.figures import style
from tests.factories import empty_tables, make_tables

T = make_tables(seed=2)
EXPORTED = date(2025, 6, 1)
BASE = "http://localhost:8501"
APP = str(Path(__file__).resolve().parent.parent / "app.py")
_keys = itertools.count()


def _png(color: str = "#0072B2") -> bytes:
    img = Image.new("RGB", (320, 180), "white")
    img.paste(Image.new("RGB", (200, 100), color), (60, 40))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _views(keys, filters: F.Filters = F.Filters()) -> list[briefing.View]:
    return briefing.build_views(F.apply(T, filters), filters, keys, base_url=BASE, exported=EXPORTED)


def _slide_text(slide) -> str:
    return "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


# --------------------------------------------------------------------------- views


def test_briefing_key_events_are_the_most_cited_in_date_order() -> None:
    top = views.key_events(T["events"], limit=5)
    assert len(top) == 5
    n_sources = [len(frames.split_list(v)) for v in T["events"]["sources"]]
    assert min(len(frames.split_list(v)) for v in top["sources"]) >= sorted(n_sources, reverse=True)[4]
    dates = list(frames.to_datetime(top["start_date"]).dropna())
    assert dates == sorted(dates)


@pytest.mark.parametrize("key", list(views.briefing_views()))
def test_briefing_view_figure_for_every_view(key: str) -> None:
    fig, rows = briefing.view_figure(key, T, F.Filters())
    assert fig.layout.title.text and not style.is_empty_figure(fig)
    assert rows and not rows[0].empty
    empty, _ = briefing.view_figure(key, empty_tables(), F.Filters())
    assert style.is_empty_figure(empty)


def test_briefing_views_carry_filters_sources_and_link() -> None:
    flt = F.Filters(actors=("igor-sergeev",))
    views = _views(["timeline", "events"], flt)
    assert [v.context.url for v in views] == [f"{BASE}/timeline?actor=igor-sergeev", f"{BASE}/events?actor=igor-sergeev"]
    for v in views:
        assert v.context.subtitle.startswith("Filters: actors: Igor Sergeev · Period: ")
        assert v.context.sources.startswith("Sources: ")
        assert v.context.exported == EXPORTED


# --------------------------------------------------------------------------- deck and sheet


@pytest.mark.parametrize("keys", [["timeline"], ["network", "debt-arms"], list(views.briefing_views())])
def test_briefing_pptx_has_a_title_slide_and_one_slide_per_view(keys: list[str]) -> None:
    flt = F.Filters(quad_classes=(1, 2))
    views = _views(keys, flt)
    data = briefing.build_pptx(
        "Seoul and Moscow, 1999-2001",
        "Why the debt matters.",
        views,
        [_png()] * len(views),
        exported=EXPORTED,
        filters_line="Filters: QuadClass: cooperation",
    )
    prs = Presentation(io.BytesIO(data))
    slides = list(prs.slides)
    assert len(slides) == len(keys) + 1
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    first = _slide_text(slides[0])
    assert "Seoul and Moscow, 1999-2001" in first and "Why the debt matters." in first and "1 Jun 2025" in first
    for slide, view in zip(slides[1:], views, strict=True):
        text = _slide_text(slide)
        assert view.label in text
        assert "Filters: QuadClass: Verbal cooperation, Material cooperation · Period: " in text
        assert f"Rebuild this view: {view.context.url}" in text and "quad=1&quad=2" in view.context.url
        assert "Sources: " in text and "Exported 1 Jun 2025" in text
        assert sum(sh.shape_type == 13 for sh in slide.shapes) == 1  # one picture
        assert view.context.url in slide.notes_slide.notes_text_frame.text


def test_briefing_pptx_without_images_keeps_captions_and_says_so() -> None:
    views = _views(["timeline", "network"])
    prs = Presentation(io.BytesIO(briefing.build_pptx("T", "", views, [None, None], exported=EXPORTED)))
    for slide in list(prs.slides)[1:]:
        assert not any(sh.shape_type == 13 for sh in slide.shapes)
        assert "could not be rendered" in _slide_text(slide) and "Rebuild this view" in _slide_text(slide)


def test_briefing_long_sources_are_cut_on_the_slide_and_whole_in_the_notes() -> None:
    view = _views(["timeline"])[0]
    long = "Sources: " + "; ".join(f"“Article number {i}” (Monitor, 1 May 2000)" for i in range(40))
    view.context = dataclasses.replace(view.context, sources=long)
    slide = list(Presentation(io.BytesIO(briefing.build_pptx("T", "", [view], [_png()], exported=EXPORTED))).slides)[1]
    assert long not in _slide_text(slide) and "all sources in the speaker notes" in _slide_text(slide)
    assert long in slide.notes_slide.notes_text_frame.text


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_briefing_sheet_tiles_the_views_on_one_pdf_page(n: int) -> None:
    keys = list(views.briefing_views())[:n]
    built = _views(keys)
    images = [_png(c) for c in ("#0072B2", "#E69F00", "#009E73", "#CC79A7")[:n]]
    page = briefing.sheet_image("Title", "A note.", built, images, exported=EXPORTED, dpi=100)
    assert page.size == (1169, 827)
    colors = {c for _, c in page.convert("RGB").getcolors(1 << 20)}
    tiles = {(0, 114, 178), (230, 159, 0), (0, 158, 115), (204, 121, 167)}
    assert len(tiles & colors) == n  # every tile pasted (thumbnails keep their flat colour inside)
    pdf = briefing.build_sheet("Title", "A note.", built, images, exported=EXPORTED, dpi=100)
    assert pdf[:5] == b"%PDF-" and len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1


def test_briefing_build_renders_every_view(renderer) -> None:
    flt = F.Filters(origins=("article",))
    keys = list(views.briefing_views())
    result = briefing.build_briefing(F.apply(T, flt), flt, keys, title="T", note="N", base_url=BASE, exported=EXPORTED)
    assert not result.warnings
    for img in result.images:
        assert img is not None and Image.open(io.BytesIO(img)).size == (3200, 1800)
    prs = Presentation(io.BytesIO(result.pptx))
    assert len(prs.slides) == 1 + len(views.briefing_views())
    assert result.sheet is not None and result.sheet[:5] == b"%PDF-"


# --------------------------------------------------------------------------- the page


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample articles in a store of their own (built once for the module)."""
    from core.io.ingest import open_store

    path = tmp_path_factory.mktemp("sample") / "corpus.sqlite"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("RUSKOR_SEED_DIR", raising=False)
        open_store(path)
    return path


@pytest.fixture(params=["sample store", "empty store", "no tables"])
def corpus(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    import ui.loader

    if request.param == "sample store":
        monkeypatch.setenv("RUSKOR_DB", str(request.getfixturevalue("sample_store")))
    elif request.param == "empty store":  # a real store with no articles (the reference layer still shows)
        (tmp_path / "none").mkdir()
        monkeypatch.setenv("RUSKOR_DB", str(tmp_path / "corpus.sqlite"))
        monkeypatch.setenv("RUSKOR_SEED_DIR", str(tmp_path / "none"))
    else:
        key = f"briefing-empty-{next(_keys)}"
        monkeypatch.setattr(ui.loader, "read_store", lambda: (empty_tables(), key, []))
    return request.param


def _briefing_page(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/briefing.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _build(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "Build the briefing").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_briefing_page_renders(corpus: str) -> None:
    at = _briefing_page()
    assert at.title[0].value.endswith("Briefing")
    assert at.multiselect(key="briefing_views").value == list(views.briefing_views())
    links = "\n".join(m.value for m in at.markdown)
    assert "/timeline" in links and "/debt_arms" in links and "/events" in links
    if corpus == "no tables":
        assert any("corpus is empty" in i.value for i in at.info)


def test_briefing_page_builds_the_deck_and_sheet(renderer, sample_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUSKOR_DB", str(sample_store))
    at = _briefing_page(origin="article")
    at.text_input(key="briefing_title").set_value("Sergeev in Seoul")
    at = _build(at)
    labels = [b.label for b in at.download_button]
    assert labels == ["Download PowerPoint", "Download sheet (PDF)"]
    assert len(at.get("image")) == len(views.briefing_views())  # the preview


def test_briefing_page_without_a_browser_builds_captions_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import ui.loader

    key = f"briefing-nobrowser-{next(_keys)}"
    monkeypatch.setattr(ui.loader, "read_store", lambda: (T, key, []))
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    monkeypatch.setattr(images, "_RENDERER", images._Renderer())
    at = _build(_briefing_page())
    warned = "\n".join(w.value for w in at.warning)
    assert "Server-side image export is unavailable" in warned and "captions and links only" in warned
    assert [b.label for b in at.download_button] == ["Download PowerPoint"]


# --------------------------------------------------------------------------- copy link to this view


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("pages/timeline.py", {"actor": "igor-sergeev", "quad": ["1", "2"], "lane": "type"}),
        ("pages/events.py", {"status": ["planned", "denied"], "origin": "article"}),
        ("pages/briefing.py", {}),
    ],
)
def test_briefing_copy_link_round_trips_to_the_same_filters(monkeypatch: pytest.MonkeyPatch, page: str, params: dict) -> None:
    import ui.loader

    key = f"briefing-link-{next(_keys)}"
    monkeypatch.setattr(ui.loader, "read_store", lambda: (T, key, []))
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page(page)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    url = next(c.value for c in at.sidebar.code if str(c.value).startswith("http"))
    parts = urlsplit(url)
    assert parts.path == "/" + Path(page).stem
    query = parse_qs(parts.query)
    parsed, notices = F.from_query_params({k: v for k, v in query.items() if k in F.FILTER_PARAMS}, T)
    assert not notices
    assert parsed == at.session_state["_ruskor_filters"]
    if page == "pages/timeline.py":
        assert parsed.actors == ("igor-sergeev",) and parsed.quad_classes == (1, 2) and query["lane"] == ["type"]


def test_briefing_key_events_figure_is_a_table() -> None:
    fig = views.key_events_figure(T["events"], T["actors"], limit=4)
    table = fig.data[0]
    assert isinstance(table, go.Table) and len(table.cells.values[0]) == 4
    assert all(v for v in table.cells.values[3])  # the evidence of each event
    assert table.header.values[0] == "<b>Date</b>"
