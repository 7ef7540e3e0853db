"""Pages on resolved events (issue 16): one summit with N reports where there were N points, a
contested event with both sentences side by side, the switch back to every report."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.io.ingest import ingest_paths
from core.query.tables import load_tables
from core.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
ARTICLES = ROOT / "tests" / "data" / "resolution_articles"
TIMEOUT = 90


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> tuple[Path, dict]:
    tmp = tmp_path_factory.mktemp("resolved-pages")
    folder = tmp / "articles"
    shutil.copytree(ARTICLES, folder)
    store = Store(tmp / "corpus.sqlite")
    ingest_paths(store, [folder])
    return tmp, load_tables(store, include_reference=False)


@pytest.fixture
def resolved_store(store_path, monkeypatch):
    tmp, tables = store_path
    seed = tmp / "no-seed"
    seed.mkdir(exist_ok=True)
    monkeypatch.setenv("RUSKOR_DB", str(tmp / "corpus.sqlite"))
    monkeypatch.setenv("RUSKOR_SEED_DIR", str(seed))
    return tables


def _event_id(tables: dict, file_part: str, anchor: str) -> str:
    ev = tables["events"].merge(tables["articles"][["article_id", "source_file"]], on="article_id")
    hit = ev[ev["source_file"].str.contains(file_part, regex=False) & ev["evidence"].str.contains(anchor, regex=False)]
    return str(hit["event_id"].iloc[0])


def _timeline(**params: str) -> AppTest:
    """The Timeline page on the month of the Vladivostok summit (page params set on the page itself)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/timeline.py").run()
    at.query_params["from"] = "2019-04-01"
    at.query_params["to"] = "2019-04-30"
    at.query_params["quad"] = "1"  # verbal cooperation: the talks, not the criticism of a weapons test
    at.query_params["lane"] = "type"  # one lane per type: each event drawn once
    at.query_params["origin"] = "article"  # the curated reference row of the summit stays out
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _points(at: AppTest) -> int:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return sum(sum(x is not None for x in t.get("x") or []) for t in spec["data"] if t.get("mode", "markers").startswith("markers"))


def _texts(at: AppTest) -> str:
    return "\n".join(str(x.value) for x in [*at.markdown, *at.caption]).replace("\\", "")


def test_one_summit_with_its_reports_where_there_were_as_many_points(resolved_store):
    ev = resolved_store["events"]
    n_reports = int((ev["start_date"].str.startswith("2019-04") & (ev["quad_class"] == 1) & ev["actors"].str.contains("kim-jong-un")).sum())
    assert n_reports >= 3  # r01 and r02 (twice) tell the April 2019 summit
    every = _timeline(reports="all")
    assert _points(every) == n_reports
    default = _timeline(event=_event_id(resolved_store, "r01_", "held talks"))
    assert _points(default) == 1
    text = _texts(default)
    assert f"Reports**: {n_reports} in 2 article(s) from 2 publisher(s)" in text
    frames = [f.value for f in default.dataframe]
    assert any(
        len(f) == n_reports and "Last week Kim Jong-un met Vladimir Putin in Vladivostok" in " ".join(f["sentence"].astype(str))
        for f in frames
        if "sentence" in f.columns
    )


def test_a_contested_event_shows_both_sentences(resolved_store):
    at = _timeline(event=_event_id(resolved_store, "r07_", "signed an agreement"))
    text = _texts(at)
    assert "status **contested**" in text
    assert "Says it happened" in text and "Denies it" in text
    assert "Russia and North Korea signed an agreement on arms supplies on September 13" in text
    assert "The Kremlin denied that Russia and North Korea signed an agreement" in text


@pytest.mark.parametrize("page", ["app.py", "pages/network.py", "pages/events.py"])
def test_pages_count_happenings_by_default_and_reports_with_the_switch(resolved_store, page):
    counts = {}
    for mode in ("", "all"):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        if mode:
            at.query_params["reports"] = mode
        at.run()
        if page != "app.py":
            at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        switch = next(t for t in at.toggle if t.label == "Every report")
        assert switch.value is bool(mode)
        if page == "pages/events.py":
            counts[mode] = len(at.dataframe[0].value)
    if page == "pages/events.py":  # the page shows the whole store, curated reference rows included
        whole = load_tables(Store(Path(os.environ["RUSKOR_DB"])))
        assert counts[""] == len(whole["resolved_events"]) < counts["all"] == len(whole["events"])
