"""Shared by the browser tests: the app on a free loopback port, and Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from core.views import registry as views

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing (install Debian's chromium; no browser is downloaded)"
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def streamlit_command(port: int) -> list[str]:
    """`streamlit run app.py` headless on a loopback port, without the file watcher or usage stats."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]


@contextmanager
def running_app(tmp: Path, env: dict[str, str]) -> Iterator[str]:
    """`streamlit run app.py` with ``env`` added; yields its base URL and stops it afterwards."""
    port = free_port()
    log_path = tmp / "streamlit.log"
    log = log_path.open("w")
    proc = subprocess.Popen(
        streamlit_command(port),
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited early: {log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("streamlit did not answer on /_stcore/health within 90 s")
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


@contextmanager
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield b
        finally:
            b.close()


#: Every page of the dashboard, from the view registry: (name for screenshots, URL path).
PAGES = [(v.path or v.key, v.path) for v in views.VIEWS]
#: The pages that draw the corpus (charts and tables), without the pages of forms.
CHART_PAGES = [(v.path or v.key, v.path) for v in views.corpus_views()]
FINISHED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!document.querySelector('[data-testid="stMain"] h1')) return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stSpinner"]')) return false;
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  return [...charts].every(c => c.querySelector('.main-svg'));
}"""


def settle(page) -> None:
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


def open_page(browser, url: str):
    """A 1440×900 page at ``url``, settled."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(url, wait_until="domcontentloaded")
    settle(page)
    return page
