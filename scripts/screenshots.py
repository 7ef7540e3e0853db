"""Screenshots of every dashboard page of one app folder on one store, in headless Debian Chromium.

Used for the before/after pictures of docs/screenshots/ (before: the main branch's code, run read-only
from its folder; after: this one):

    python scripts/screenshots.py APP_DIR STORE.sqlite OUT_DIR [--suffix _2000]

The app runs with ``PYTHONDONTWRITEBYTECODE=1`` so nothing is written into APP_DIR.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.app_server import CHART_PAGES, CHROMIUM, LAUNCH_ARGS, free_port, settle, streamlit_command

PAGES = CHART_PAGES


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("app_dir")
    ap.add_argument("store")
    ap.add_argument("out")
    ap.add_argument("--suffix", default="")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {
        **os.environ,
        "RUSKOR_DB": str(Path(args.store).resolve()),
        "PYTHONDONTWRITEBYTECODE": "1",
        "RUSKOR_SEED_DIR": str(Path(args.app_dir).resolve() / "data" / "articles"),
    }
    proc = subprocess.Popen(
        streamlit_command(port),
        cwd=args.app_dir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(180):
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            for name, path in PAGES:
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                page.goto(f"{base}/{path}", wait_until="domcontentloaded")
                settle(page)
                page.screenshot(path=str(out / f"{name}{args.suffix}.png"), full_page=True)
                page.close()
                print(out / f"{name}{args.suffix}.png")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


if __name__ == "__main__":
    main()
