"""End to end: `streamlit run app.py` on a loopback port, every page opened in headless Debian
Chromium (never a downloaded browser), no exception box anywhere, one 1440x900 screenshot per page
in a temporary folder — or in docs/screenshots/ (the README's) when RUSKOR_REFRESH_SCREENSHOTS=1,
so a plain test run leaves the git tree clean."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app_server import chromium, needs_chromium, running_app

ROOT = Path(__file__).resolve().parent.parent
SHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("RUSKOR_REFRESH_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "ruskor-screenshots"
)
PAGES = [
    ("overview", ""),
    ("timeline", "timeline"),
    ("network", "network"),
    ("debt_arms", "debt_arms"),
    ("events", "events"),
    ("articles", "articles"),
    ("add_articles", "add_articles"),
    ("briefing", "briefing"),
]
FINISHED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!document.querySelector('[data-testid="stMain"] h1')) return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stSpinner"]')) return false;
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  return [...charts].every(c => c.querySelector('.main-svg'));
}"""

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a free loopback port with its store in a temp file; stopped after the module."""
    tmp = tmp_path_factory.mktemp("e2e")
    with running_app(tmp, {"RUSKOR_DB": str(tmp / "corpus.sqlite")}) as base:
        yield base


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator:
    with chromium() as b:
        yield b


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(url, wait_until="domcontentloaded")
    _settle(page)
    return page


def _settle(page) -> None:
    """Wait until the script run is over and every chart is drawn, twice in a row 1 s apart (a
    run that has not started yet also reads as 'not running')."""
    deadline = time.monotonic() + 90
    time.sleep(0.8)  # let a click's rerun start before waiting for it to end
    while True:
        page.wait_for_function(FINISHED, timeout=90_000)
        time.sleep(1.0)
        if page.evaluate(FINISHED) or time.monotonic() > deadline:
            break
    time.sleep(0.5)  # plotly's first layout pass


@pytest.mark.parametrize(("name", "path"), PAGES)
def test_e2e_browser_page_renders_without_exception(browser, server: str, name: str, path: str) -> None:
    page = _open(browser, f"{server}/{path}")
    try:
        errors = page.locator('[data-testid="stException"]')
        assert errors.count() == 0, errors.first.inner_text()
        assert page.locator("h1").count() >= 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"))
    finally:
        page.close()


def test_e2e_browser_filters_survive_page_changes(browser, server: str) -> None:
    page = _open(browser, f"{server}/?status=planned&quad=1")
    try:
        page.get_by_role("link", name="Events").click()
        _settle(page)
        assert "/events" in page.url
        assert "status=planned" in page.url and "quad=1" in page.url
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()


def test_e2e_browser_bad_params_show_a_notice(browser, server: str) -> None:
    page = _open(browser, f"{server}/timeline?from=1999-99-99&quad=nine")
    try:
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text("Ignored 'from=1999-99-99'").count() == 1
    finally:
        page.close()
