"""End to end: `streamlit run app.py` on a loopback port, every page opened in headless Debian
Chromium (never a downloaded browser), no exception box anywhere, one 1440x900 screenshot per page
in a temporary folder — or in docs/screenshots/ (the README's) when RUSKOR_REFRESH_SCREENSHOTS=1,
so a plain test run leaves the git tree clean."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app_server import PAGES, chromium, needs_chromium, open_page, running_app, settle

ROOT = Path(__file__).resolve().parent.parent
SHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("RUSKOR_REFRESH_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "ruskor-screenshots"
)
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


@pytest.mark.parametrize(("name", "path"), PAGES)
def test_e2e_browser_page_renders_without_exception(browser, server: str, name: str, path: str) -> None:
    page = open_page(browser, f"{server}/{path}")
    try:
        errors = page.locator('[data-testid="stException"]')
        assert errors.count() == 0, errors.first.inner_text()
        assert page.locator("h1").count() >= 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"))
    finally:
        page.close()


def test_e2e_browser_filters_survive_page_changes(browser, server: str) -> None:
    page = open_page(browser, f"{server}/?status=planned&quad=1")
    try:
        page.get_by_role("link", name="Events").click()
        settle(page)
        assert "/events" in page.url
        assert "status=planned" in page.url and "quad=1" in page.url
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()


def test_e2e_browser_bad_params_show_a_notice(browser, server: str) -> None:
    page = open_page(browser, f"{server}/timeline?from=1999-99-99&quad=nine")
    try:
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text("Ignored 'from=1999-99-99'").count() == 1
    finally:
        page.close()
