"""Every page under streamlit.testing.v1.AppTest, on factory data and on an empty corpus:
renders without exception, filters narrow the data, the URL round-trips and survives page
changes, bad params become notices, empty selections show an empty state."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.query import filters as F
from core.query import frames
from core.views import registry as views
from tests.factories import empty_tables, make_tables

APP = str(Path(__file__).resolve().parent.parent / "app.py")
#: Every page that draws the corpus, from the view registry; the pages of forms (add articles,
#: briefing) have their own test files (tests/test_views.py checks that each page has one).
PAGES = [v.script for v in views.corpus_views()]
TIMEOUT = 90
_keys = itertools.count()


@pytest.fixture
def factory(monkeypatch: pytest.MonkeyPatch):
    """Pages read factory tables (a fresh cache key per test, so caches never leak between tests)."""
    import ui.loader

    tables = make_tables(seed=0)
    key = f"factory-{next(_keys)}"
    monkeypatch.setattr(ui.loader, "read_store", lambda: (tables, key, []))
    return tables


@pytest.fixture
def empty_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A real (empty) store at a temp path: RUSKOR_DB there and nothing to seed it from."""
    seed = tmp_path / "no-articles"
    seed.mkdir()
    monkeypatch.setenv("RUSKOR_DB", str(tmp_path / "corpus.sqlite"))
    monkeypatch.setenv("RUSKOR_SEED_DIR", str(seed))
    return tmp_path


def _app(page: str | None = None, **params: str | list[str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page and page != "app.py":
        at.switch_page(page).run()
    return at


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _texts(at: AppTest) -> str:
    parts = [x.value for x in [*at.info, *at.caption, *at.markdown, *at.warning, *at.error]]
    return "\n".join(str(p) for p in parts).replace("\\", "")  # as rendered: markdown escapes removed


# --------------------------------------------------------------------------- render


@pytest.mark.parametrize("page", PAGES)
def test_pages_render_on_factory_data(factory, page: str) -> None:
    at = _app(page)
    _no_exception(at)
    assert at.title and at.title[0].value
    assert any("event" in c.value for c in at.caption)  # says what it shows


@pytest.mark.parametrize("page", PAGES)
def test_pages_render_on_empty_store(empty_store, page: str) -> None:
    """A real store with no articles (the curated reference layer may still show)."""
    at = _app(page)
    _no_exception(at)
    assert at.title and at.title[0].value
    if page in ("app.py", "pages/articles.py"):
        assert "No articles" in _texts(at) or "no articles" in _texts(at) or "empty" in _texts(at)


@pytest.fixture
def no_tables(monkeypatch: pytest.MonkeyPatch):
    """Every table empty, as a fresh store without any reference layer would give."""
    import ui.loader

    key = f"empty-{next(_keys)}"
    monkeypatch.setattr(ui.loader, "read_store", lambda: (empty_tables(), key, []))


@pytest.mark.parametrize("page", PAGES)
def test_pages_render_on_empty_corpus(no_tables, page: str) -> None:
    at = _app(page)
    _no_exception(at)
    text = _texts(at)
    assert "No " in text or "empty" in text  # an empty state, not a blank page


@pytest.fixture
def seeded_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A real store at a temp path, filled from the bundled sample articles on first use."""
    monkeypatch.setenv("RUSKOR_DB", str(tmp_path / "corpus.sqlite"))
    monkeypatch.delenv("RUSKOR_SEED_DIR", raising=False)
    return tmp_path


@pytest.mark.parametrize("page", PAGES)
def test_pages_render_on_seeded_store(seeded_store, page: str) -> None:
    at = _app(page, status=["occurred", "reported"])
    _no_exception(at)
    assert at.query_params.get("status") == ["occurred", "reported"]


def test_pages_overview_metrics_on_factory_data(factory) -> None:
    at = _app()
    values = [m.value for m in at.metric]
    assert values[0] == str(len(factory["articles"]))
    assert values[1] == str(factory["events"]["resolved_id"].nunique())  # happenings, not reports (issue 16)
    every = _app(reports="all")
    assert [m.value for m in every.metric][1] == str(len(factory["events"]))


# --------------------------------------------------------------------------- filters


def _events_rows(at: AppTest) -> int:
    return len(at.dataframe[0].value)


@pytest.mark.parametrize(
    ("key", "value"),
    [("flt_actors", ["igor-sergeev"]), ("flt_quad", [4]), ("flt_origins", ["reference"]), ("flt_status", ["denied"])],
)
def test_pages_filters_narrow_the_events_table(factory, key: str, value: list) -> None:
    at = _app("pages/events.py")
    before = _events_rows(at)
    at.multiselect(key=key).set_value(value).run()
    _no_exception(at)
    after = _events_rows(at)
    assert 0 < after < before


def test_pages_date_filter_narrows_and_reaches_the_url(factory) -> None:
    at = _app("pages/events.py")
    before = _events_rows(at)
    _, hi = frames.corpus_span(factory)
    from datetime import date

    at.date_input(key="flt_dates").set_value((date(2000, 1, 1), hi)).run()
    _no_exception(at)
    assert _events_rows(at) < before
    assert at.query_params.get("from") == "2000-01-01"
    assert "to" not in at.query_params  # the end of the corpus means "no end"


def test_pages_query_params_round_trip(factory) -> None:
    params = {"actor": "igor-sergeev", "quad": ["1", "2"], "from": "1999-01-01", "status": "occurred"}
    at = _app("pages/events.py", **params)
    _no_exception(at)
    assert at.multiselect(key="flt_actors").value == ["igor-sergeev"]
    assert at.multiselect(key="flt_quad").value == [1, 2]
    assert at.query_params == params
    expected = F.apply(factory, F.from_query_params(params, factory)[0])["events"]
    assert _events_rows(at) == len(expected)


def test_pages_filters_carry_across_pages_when_the_url_is_cleared(factory) -> None:
    at = _app("app.py")
    at.multiselect(key="flt_actors").set_value(["cho-sung-tae"]).run()
    assert at.query_params == {"actor": "cho-sung-tae"}
    at.query_params.clear()  # what the browser does on a page change
    at.switch_page("pages/events.py").run()
    _no_exception(at)
    assert at.multiselect(key="flt_actors").value == ["cho-sung-tae"]
    assert at.query_params == {"actor": "cho-sung-tae"}
    expected = F.apply(factory, F.Filters(actors=("cho-sung-tae",)))["events"]
    assert _events_rows(at) == len(expected)


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"from": "1999-13-45"}, "from=1999-13-45"),
        ({"actor": "nobody-at-all"}, "nobody-at-all"),
        ({"quad": "7"}, "quad"),
        ({"bogus": "1"}, "bogus"),
        ({"article": "no-such-article"}, "no-such-article"),
    ],
)
def test_pages_bad_params_become_notices(factory, params: dict, needle: str) -> None:
    at = _app(None, **params)
    if "article" in params:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.run()
        at.switch_page("pages/articles.py")
        at.query_params.update(params)
        at.run()
    _no_exception(at)
    assert needle in _texts(at)


def test_pages_reset_clears_filters(factory) -> None:
    at = _app("pages/events.py", actor="igor-sergeev", quad="1")
    at.sidebar.button[0].click().run()
    _no_exception(at)
    assert at.multiselect(key="flt_actors").value == []
    assert at.query_params == {}


@pytest.mark.parametrize("page", PAGES)
def test_pages_empty_selection_shows_empty_state(factory, page: str) -> None:
    # reference events are all verbal cooperation: nothing is both reference and material conflict
    params = {"actor": "USA", "from": "2003-01-01"} if page == "pages/debt_arms.py" else {"origin": "reference", "quad": "4"}
    at = _app(page, **params)
    _no_exception(at)
    assert "No " in "\n".join(i.value for i in at.info) or "No " in _texts(at)


# --------------------------------------------------------------------------- page details


def test_pages_timeline_event_param_opens_detail_with_article_link(factory) -> None:
    ev = factory["events"]
    row = ev[(ev["article_id"] != "") & (ev["start_date"] != "")].iloc[0]
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/timeline.py")
    at.query_params["event"] = row["event_id"]
    at.run()
    _no_exception(at)
    assert any("Evidence" in m.value for m in at.markdown)
    links = at.get("page_link")
    assert links and row["article_id"] in links[0].proto.query_string
    assert at.query_params["event"] == row["event_id"]


def test_pages_timeline_lane_switch(factory) -> None:
    at = _app("pages/timeline.py")
    at.segmented_control(key="timeline_lane").set_value("type").run()
    _no_exception(at)
    assert at.query_params.get("lane") == "type"


def test_pages_network_ego_view(factory) -> None:
    at = _app("pages/network.py")
    at.selectbox(key="network_ego").set_value("KOR").run()
    _no_exception(at)
    assert at.query_params.get("ego") == "KOR"
    assert at.query_params.get("depth") == "1"
    table = at.dataframe[-1].value
    assert "South Korea" in set(table["name"])


def test_pages_articles_reader_highlights_and_escapes(factory) -> None:
    aid = factory["articles"]["article_id"].iloc[0]
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/articles.py")
    at.query_params["article"] = aid
    at.run()
    _no_exception(at)
    html = at.html[0].value
    assert "<mark" in html and "&lt;script&gt;" in html and "<script>" not in html
    assert at.selectbox(key="articles_pick").value == aid


def test_pages_events_offers_csv_of_what_is_shown(factory) -> None:
    at = _app("pages/events.py", actor="igor-sergeev")
    _no_exception(at)
    assert at.get("download_button")
    shown = at.dataframe[0].value
    assert set(shown.columns) >= {
        "when",
        "source",
        "target",
        "cameo_code",
        "goldstein",
        "quad_class",
        "status",
        "confidence",
        "location",
        "evidence",
        "sources",
    }
    assert "Igor Sergeev" in set(shown["source"]) | set(shown["target"])  # names, not ids
    assert "igor-sergeev" not in set(shown["source"]) | set(shown["target"])


@pytest.fixture
def undated_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A store seeded with an article nothing dates (no header, dateline or dated file name)."""
    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "undated-note.txt").write_text(
        "Railway talks\n\nRussian and North Korean officials met in Moscow on March 3, 2004 to discuss the Khasan-Rajin railway.\n",
        encoding="utf-8",
    )
    (seed / "wire_2001-08-05.txt").write_text(
        "MOSCOW, Aug. 4 (Xinhua) -- Russian President Vladimir Putin met Kim Jong-il.\n", encoding="utf-8"
    )
    monkeypatch.setenv("RUSKOR_DB", str(tmp_path / "corpus.sqlite"))
    monkeypatch.setenv("RUSKOR_SEED_DIR", str(seed))
    return tmp_path


@pytest.mark.parametrize("page", PAGES)
def test_pages_render_with_an_undated_article(undated_store, page: str) -> None:
    at = _app(page)
    _no_exception(at)
    if page == "pages/articles.py":  # listed, with the others, and offered for reading
        assert "2 of 2 article(s)" in _texts(at)
        titles = [str(df.value["title"].tolist()) for df in at.dataframe]
        assert any("Railway talks" in t for t in titles), titles
