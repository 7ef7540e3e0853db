"""The views tell the truth and stay readable at size, checked in headless Debian Chromium on a store of
synthetic articles (300 by default, fast enough for CI; ``RUSKOR_E2E_ARTICLES=2000`` for the big store).

What a person would check, read from the drawn page: network labels that do not overlap (their boxes as the
browser laid them out), no chart with more than :data:`MAX_MARKERS` markers at the default view, the
timeline's axis inside the date filter, the cumulative deliveries equal to the sum of the deliveries counted
once, and both controls switching both ways. Screenshots of every page go to a temp folder, or to
``docs/screenshots/`` when ``RUSKOR_REFRESH_SCREENSHOTS=1``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from core.query.tables import load_tables
from tests.app_server import CHART_PAGES, chromium, needs_chromium, open_page, running_app, settle

ROOT = Path(__file__).resolve().parent.parent
N_ARTICLES = int(os.environ.get("RUSKOR_E2E_ARTICLES", "300"))
MAX_MARKERS = 3000
PAGES = CHART_PAGES

pytestmark = needs_chromium

#: Every plotly chart on the page: its traces' marker counts, axis ranges and (network) label boxes.
CHARTS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => ({
  title: (gd.layout && gd.layout.title && gd.layout.title.text) || '',
  markers: gd.querySelectorAll('.scatterlayer path.point').length,
  xrange: gd._fullLayout && gd._fullLayout.xaxis ? gd._fullLayout.xaxis.range : null,
  meta: (gd.data || []).map(t => t.meta || null).filter(m => m),
  labels: [...gd.querySelectorAll('g.textpoint text')].filter(t => t.textContent.trim())
      .map(t => { const r = t.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom, t.textContent]; }),
}))"""


def shots_dir() -> Path:
    if os.environ.get("RUSKOR_REFRESH_SCREENSHOTS") == "1":
        return ROOT / "docs" / "screenshots"
    return Path(tempfile.mkdtemp(prefix="ruskor-shots-"))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of synthetic articles (plus the reference layer), built once for the module."""
    from benchmarks.synthetic import generate
    from core.io.ingest import ingest_paths
    from core.storage.store import Store

    tmp = tmp_path_factory.mktemp("views")
    arts = tmp / "articles"
    generate(N_ARTICLES, seed=7, out_dir=arts)
    db = tmp / "corpus.sqlite"
    store = Store(db)
    ingest_paths(store, [arts], workers=2 if N_ARTICLES >= 200 else 1)
    with store.connect() as con:
        con.execute("INSERT OR IGNORE INTO meta VALUES ('seeded', '1')")
    return db


@pytest.fixture(scope="module")
def server(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("views-app")
    with running_app(tmp, {"RUSKOR_DB": str(store)}) as base:
        yield base


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator:
    with chromium() as b:
        yield b


def _overlaps(boxes: list[list]) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5:
                out.append((a[4], b[4]))
    return out


def test_e2e_views_every_page_readable_at_default_view(browser, server: str) -> None:
    shots = shots_dir()
    shots.mkdir(parents=True, exist_ok=True)
    for name, path in PAGES:
        page = open_page(browser, f"{server}/{path}")
        try:
            assert page.locator('[data-testid="stException"]').count() == 0, name
            page.screenshot(path=str(shots / f"{name}{'' if N_ARTICLES <= 300 else '_' + str(N_ARTICLES)}.png"), full_page=True)
            for chart in page.evaluate(CHARTS):
                assert chart["markers"] <= MAX_MARKERS, (name, chart["title"], chart["markers"])
                assert not _overlaps(chart["labels"]), (name, _overlaps(chart["labels"])[:5])
        finally:
            page.close()


def test_e2e_views_timeline_axis_within_the_filter_window(browser, server: str) -> None:
    page = open_page(browser, f"{server}/timeline?from=1999-01-01&to=2001-12-31")
    try:
        charts = page.evaluate(CHARTS)
        assert charts and charts[0]["xrange"]
        lo, hi = (pd.Timestamp(x) for x in charts[0]["xrange"])
        assert lo >= pd.Timestamp("1999-01-01") and hi <= pd.Timestamp("2002-01-01"), (lo, hi)
    finally:
        page.close()


def test_e2e_views_cumulative_deliveries_equal_the_sum_counted_once(browser, server: str, store: Path) -> None:
    from core.io.ingest import open_store
    from core.query import frames, money
    from core.views.figures import debt_arms

    tables = frames.ensure_tables(load_tables(open_store(store, seed=False)))
    rows = debt_arms.dollar_rows(tables["amounts"])
    flows = money.delivery_flows(rows[rows["_cat"] == "arms_delivery"])
    counted = flows[flows["_counted"].astype(bool)]
    hand = float(pd.to_numeric(counted["value_usd"]).sum())
    page = open_page(browser, f"{server}/debt_arms")
    try:
        totals = [m["cumulative_total_usd"] for c in page.evaluate(CHARTS) for m in c["meta"] if "cumulative_total_usd" in m]
        assert totals == [pytest.approx(hand)]
        assert hand <= float(pd.to_numeric(rows.loc[rows["_cat"] == "arms_delivery", "value_usd"]).sum())
    finally:
        page.close()


def _radio(page, label: str) -> None:
    page.get_by_text(label, exact=True).last.click()
    settle(page)


def test_e2e_views_controls_switch_both_ways(browser, server: str) -> None:
    page = open_page(browser, f"{server}/network?level=actor")
    try:
        combo = page.get_by_label("Ego view: centre on an actor")
        combo.click()
        page.get_by_role("option").nth(1).click()
        settle(page)
        for depth in ("2", "1", "2"):
            page.locator('[data-testid="stRadio"]').get_by_text(depth, exact=True).click()
            settle(page)
            assert f"depth={depth}" in page.url, page.url
    finally:
        page.close()
    page = open_page(browser, f"{server}/timeline")
    try:
        for label, param in (
            ("One lane per event type", "lane=type"),
            ("One lane per actor", None),
            ("One lane per event type", "lane=type"),
        ):
            page.get_by_text(label, exact=True).first.click()
            settle(page)
            assert (param in page.url) if param else ("lane=" not in page.url), page.url
    finally:
        page.close()
