"""The Events, Overview, Network and Timeline pages show the same rows and figures whether they read the query engine
(``RUSKOR_ENGINE=engine``, what a large store gets) or filter pandas tables (``pandas``), for several
filter sets and both report modes (issue 14: queries, not copies; issue 16: resolved by default).

The store is the resolution test set (several articles per happening, a contested deal), so the
resolved view really differs from every report; the comparison is of everything the page renders:
tables, metrics, captions and Markdown.
"""

from __future__ import annotations

import base64
import json
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.io.ingest import ingest_paths
from core.query.filters import Filters
from core.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
ARTICLES = ROOT / "tests" / "data" / "resolution_articles"
TIMEOUT = 120

#: URL filter sets: the default view, a period with one QuadClass, an actor with a status
FILTER_SETS = [
    {},
    {"from": "2018-01-01", "to": "2024-12-31", "quad": "1"},
    {"actor": "PRK", "status": "occurred"},
]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("engine-pages")
    folder = tmp / "articles"
    shutil.copytree(ARTICLES, folder)
    ingest_paths(Store(tmp / "corpus.sqlite"), [folder])
    (tmp / "no-seed").mkdir()
    return tmp


@pytest.fixture
def store(store_dir, monkeypatch) -> Path:
    monkeypatch.setenv("RUSKOR_DB", str(store_dir / "corpus.sqlite"))
    monkeypatch.setenv("RUSKOR_SEED_DIR", str(store_dir / "no-seed"))
    return store_dir


def _render(page: str, params: dict[str, str]) -> dict[str, object]:
    """Everything a page shows, as plain values."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page != "app.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return {
        "tables": [f.value.reset_index(drop=True) for f in at.dataframe],
        "metrics": [(m.label, m.value) for m in at.metric],
        "captions": [c.value for c in at.caption],
        "markdown": [m.value for m in at.markdown],
        "info": [i.value for i in at.info],
        "toggle": [t.value for t in at.toggle if t.label == "Every report"],
        "charts": [json.loads(c.proto.spec) for c in at.get("plotly_chart")],
    }


def _same_chart(got: dict, want: dict) -> None:
    """Two Plotly specs alike: the same layout (titles, subtitle, source line, axes) and traces, the
    bars' heights to 1e-9 (sums of Goldstein scores added in another order)."""
    assert got["layout"] == want["layout"]
    assert len(got["data"]) == len(want["data"])
    for g, w in zip(got["data"], want["data"], strict=True):
        y_g, y_w = g.pop("y", None), w.pop("y", None)
        assert g == w
        assert (y_g is None) == (y_w is None)
        if isinstance(y_w, list) and any(isinstance(v, str) for v in y_w):  # lane names (the Timeline's points)
            assert y_g == y_w
        elif y_g is not None:
            a, b = _values(y_g), _values(y_w)
            assert a.shape == b.shape and np.allclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True)


def _values(y: object) -> np.ndarray:
    """A trace's values: a list, or Plotly's typed array ({"dtype", "bdata": base64})."""
    if isinstance(y, dict) and "bdata" in y:
        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=np.dtype(y["dtype"])).astype(float)
    return np.array([np.nan if v is None else v for v in y], dtype=float)


@pytest.mark.parametrize("mode", ["", "all"], ids=["resolved", "every-report"])
@pytest.mark.parametrize("params", FILTER_SETS, ids=["default", "period-quad", "actor-status"])
@pytest.mark.parametrize(
    "page", ["pages/events.py", "app.py", "pages/network.py", "pages/timeline.py"], ids=["events", "overview", "network", "timeline"]
)
def test_engine_and_pandas_paths_render_the_same(store, monkeypatch, page: str, params: dict, mode: str) -> None:
    from ui import loader

    params = {**params, **({"reports": mode} if mode else {})}
    monkeypatch.setenv("RUSKOR_ENGINE", "pandas")
    want = _render(page, params)
    monkeypatch.setenv("RUSKOR_ENGINE", "engine")
    # the engine path never filters the pandas tables (both pages: the Overview runs first)
    monkeypatch.setattr(loader, "filtered_for", lambda *a: pytest.fail("a page filtered pandas tables"))
    got = _render(page, params)
    assert got["toggle"] == [bool(mode)]
    assert loader._engines().engine is not None  # the engine really answered
    for key in ("metrics", "captions", "markdown", "info"):
        assert got[key] == want[key], key
    assert len(got["charts"]) == len(want["charts"])
    if page != "pages/events.py" and not params:  # the default chart has marks: the comparison is not of empty charts
        assert sum(len(t["y"]) if isinstance(t["y"], list) else len(_values(t["y"])) for t in want["charts"][0]["data"] if t.get("y")) > 3
    for g, w in zip(got["charts"], want["charts"], strict=True):
        _same_chart(g, w)
    assert len(got["tables"]) == len(want["tables"])
    for g, w in zip(got["tables"], want["tables"], strict=True):
        assert list(g.columns) == list(w.columns)
        assert g.astype(str).equals(w.astype(str)), g.compare(w) if g.shape == w.shape else (g.shape, w.shape)
    if page == "pages/events.py" and not params:
        assert len(want["tables"][0]) > 10  # the default view shows rows: the comparison is not of empty tables


def test_the_engine_is_kept_per_store_version(store, monkeypatch) -> None:
    """One engine for the version shown; a write makes a new one and lets the old one go."""
    import gc
    import weakref

    from core.io.ingest import ingest_text, open_store
    from ui import loader

    monkeypatch.setenv("RUSKOR_ENGINE", "engine")
    work = store / "copy"
    work.mkdir(exist_ok=True)
    shutil.copy(store / "corpus.sqlite", work / "corpus.sqlite")
    monkeypatch.setenv("RUSKOR_DB", str(work / "corpus.sqlite"))
    first = loader.engine_for(loader.load())
    assert first is not None and loader.engine_for(loader.load()) is first
    old = weakref.ref(first)
    n = first.event_count(Filters(), every=True)
    del first
    result = ingest_text(
        open_store(str(work / "corpus.sqlite")),
        "MOSCOW, 3 March 2003. Russian Foreign Minister Igor Ivanov met South Korean President Roh Moo-hyun in Seoul "
        "on 2 March 2003 and signed an agreement on gas pipelines.",
        title="A pasted report",
        user_date=date(2003, 3, 3),
    )
    assert result.status == "added"
    newer = loader.engine_for(loader.load())
    assert newer is not None and newer.event_count(Filters(), every=True) > n
    gc.collect()
    assert old() is None, "the previous version's engine is still held"


@pytest.mark.parametrize(
    ("env", "n_events", "expected"),
    [
        ("", 0, False),
        ("", 49_999, False),
        ("", 50_000, True),
        ("auto", 10**6, True),
        ("engine", 0, True),
        ("DuckDB", 3, True),
        ("pandas", 10**6, False),
        (" off ", 10**6, False),
        ("nonsense", 10, False),
        ("nonsense", 60_000, True),
    ],
)
def test_the_switch_between_engine_and_pandas(monkeypatch, env: str, n_events: int, expected: bool) -> None:
    from core.config import ENGINE_MIN_EVENTS, use_engine

    assert ENGINE_MIN_EVENTS == 50_000  # the table above is written for it
    monkeypatch.setenv("RUSKOR_ENGINE", env)
    assert use_engine(n_events) is expected


def test_lazy_tables_filter_only_when_read(monkeypatch) -> None:
    """A page that reads the engine hands out filtered tables that cost nothing until read, and a
    read gives what the pandas path gives."""
    from core.query import filters as F
    from core.query import frames
    from tests.factories import make_tables
    from ui import loader

    tables = frames.ensure_tables(make_tables(seed=2))
    corpus = loader.Corpus(tables=tables, key="lazy@1")
    calls: list[F.Filters] = []
    monkeypatch.setattr(loader, "filtered_for", lambda c, f: calls.append(f) or F.apply(c.tables, f))
    narrow = F.Filters(quad_classes=(1,))
    lazy = loader.LazyFiltered(corpus, narrow)
    assert calls == []
    assert len(lazy["events"]) == len(F.apply(tables, narrow)["events"]) < len(tables["events"])
    assert len(lazy["articles"]) == len(F.apply(tables, narrow)["articles"])
    assert calls == [narrow]  # once, however many tables are read
    whole = loader.LazyFiltered(corpus, F.Filters())
    assert whole["events"] is tables["events"] and calls == [narrow]  # no filter: the corpus's own tables
    made: list[str] = []
    lz = loader.Lazy({"a": lambda: made.append("a") or tables["events"], "b": lambda: made.append("b") or tables["actors"]})
    assert sorted(lz) == ["a", "b"] and made == []
    assert lz["b"] is tables["actors"] and lz["b"] is tables["actors"] and made == ["b"]
