"""The dashboard's memory stays flat across writes: after each add, only the newest store version's
tables are alive, with the filtered views of them (issue 14: each write used to leave the previous
version's whole corpus pinned by the filtered-view cache, up to 32 versions).

Counted, not timed or measured in bytes: a weak reference to each version's events table tells
whether anything still holds that version.
"""

from __future__ import annotations

import gc
import weakref
from datetime import date

import pandas as pd
import pytest

from core.io.ingest import ingest_bytes, open_store
from core.query import filters as F
from core.query import memo
from ui import loader

ARTICLE = """Publication: Test Monitor Volume: 7 Issue: {n}

Moscow, {day} March 2001. Russian Defense Minister Igor Sergeev met South Korean Defense Minister
Kim Dong-shin in Moscow on {day} March. The two ministers signed an agreement on military cooperation.
"""


@pytest.fixture
def fresh_caches():
    loader._tables.clear()
    loader._store.clear()
    loader._filtered.clear()
    loader._held.clear()
    yield
    loader._tables.clear()
    loader._store.clear()
    loader._filtered.clear()
    loader._held.clear()


def test_writes_leave_only_the_newest_version_alive(tmp_path, monkeypatch, fresh_caches) -> None:
    db = tmp_path / "corpus.sqlite"
    monkeypatch.setenv("RUSKOR_DB", str(db))
    store = open_store(str(db))
    refs: list[weakref.ref] = []
    keys = set()
    some = F.Filters(start=date(2001, 1, 1), end=date(2001, 12, 31))
    held_indexes = []
    for n in range(1, 9):
        results = ingest_bytes(store, ARTICLE.format(n=n, day=n + 1).encode(), f"a{n}.txt")
        assert [r.status for r in results] == ["added"]
        corpus = loader.load()
        keys.add(corpus.key)
        loader.filtered_for(corpus, F.Filters())  # the default view
        loader.filtered_for(corpus, some)  # and a filtered one
        refs.append(weakref.ref(corpus.tables["events"]))
        del corpus
        gc.collect()
        held_indexes.append(len(memo._CACHE))
    assert len(keys) == 8, "every write made a new store version"
    gc.collect()
    alive = [i for i, r in enumerate(refs) if r() is not None]
    assert alive == [7], f"versions still held in memory: {alive}"
    # the filter indexes (carried over to each new version: core.query.filters.carry) go with their tables
    assert all(ref() is not None for ref, _sig, _v in memo._CACHE.values()), "an index of a table let go is still held"
    assert held_indexes[-1] <= held_indexes[1], f"indexes held after each write: {held_indexes}"


def test_a_filter_set_is_computed_once_per_version(tmp_path, monkeypatch, fresh_caches) -> None:
    db = tmp_path / "corpus.sqlite"
    monkeypatch.setenv("RUSKOR_DB", str(db))
    store = open_store(str(db))
    ingest_bytes(store, ARTICLE.format(n=1, day=2).encode(), "a1.txt")
    calls = []
    real = F.apply
    monkeypatch.setattr(F, "apply", lambda t, f: calls.append(f) or real(t, f))
    corpus = loader.load()
    first = loader.filtered_for(corpus, F.Filters())
    assert loader.filtered_for(corpus, F.Filters()) is first and len(calls) == 1
    ingest_bytes(store, ARTICLE.format(n=2, day=3).encode(), "a2.txt")
    newer = loader.load()
    assert newer.key != corpus.key
    assert loader.filtered_for(newer, F.Filters()) is not first and len(calls) == 2
    assert len(newer.tables["articles"]) == len(corpus.tables["articles"]) + 1


def test_a_write_is_applied_not_reloaded(tmp_path, monkeypatch, fresh_caches) -> None:
    """After a write the loader reads only what the write touched (issue 14: the whole corpus was read
    again); the tables it gives are those of a full load (tests/test_tables_delta.py compares them at length)."""
    from core.query.tables import load_tables

    db = tmp_path / "corpus.sqlite"
    monkeypatch.setenv("RUSKOR_DB", str(db))
    store = open_store(str(db))
    ingest_bytes(store, ARTICLE.format(n=1, day=2).encode(), "a1.txt")
    loader._held().clear()
    loads = []
    monkeypatch.setattr(loader, "load_tables", lambda s: loads.append(1) or load_tables(s))
    loader.load()
    assert len(loads) == 1, "the first load reads the store"
    for n in (2, 3):
        ingest_bytes(store, ARTICLE.format(n=n, day=n + 1).encode(), f"a{n}.txt")
        corpus = loader.load()
        assert len(loads) == 1, "a write is applied to the tables held"
        full = load_tables(store)
        for name, df in full.items():
            pd.testing.assert_frame_equal(corpus.tables[name], df, check_exact=True)
    victim = corpus.tables["articles"]["article_id"].iloc[0]
    assert store.delete_article(victim)
    corpus = loader.load()
    assert len(loads) == 1 and victim not in set(corpus.tables["articles"]["article_id"])


def test_a_failing_delta_falls_back_to_reading_everything(tmp_path, monkeypatch, fresh_caches) -> None:
    from core.query.tables import load_tables

    db = tmp_path / "corpus.sqlite"
    monkeypatch.setenv("RUSKOR_DB", str(db))
    store = open_store(str(db))
    ingest_bytes(store, ARTICLE.format(n=1, day=2).encode(), "a1.txt")
    loader.load()

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug in the delta path")

    monkeypatch.setattr(loader, "apply_changes", broken)
    ingest_bytes(store, ARTICLE.format(n=2, day=3).encode(), "a2.txt")
    corpus = loader.load()
    assert not corpus.notices
    for name, df in load_tables(store).items():
        pd.testing.assert_frame_equal(corpus.tables[name], df, check_exact=True)


def _engine_store(tmp_path, monkeypatch):
    """A one-article store the dashboard reads through its query engine (the engine cache emptied)."""
    monkeypatch.setenv("RUSKOR_ENGINE", "engine")
    loader._engines.clear()
    db = tmp_path / "corpus.sqlite"
    monkeypatch.setenv("RUSKOR_DB", str(db))
    store = open_store(str(db))
    ingest_bytes(store, ARTICLE.format(n=1, day=2).encode(), "a1.txt")
    return store


def test_the_engine_is_brought_forward_and_one_is_held(tmp_path, monkeypatch, fresh_caches) -> None:
    """With the pages on the query engine, each write brings the engine held forward
    (``Engine.after_write``) instead of building one from every row; one engine stays alive (the
    previous ones let go, their DuckDB tables dropped), and it answers as one built from scratch."""
    from core.query.engine import Engine

    store = _engine_store(tmp_path, monkeypatch)
    carried = []
    real = Engine.after_write.__func__
    monkeypatch.setattr(Engine, "after_write", classmethod(lambda cls, *a: carried.append(1) or real(cls, *a)))
    refs: list[weakref.ref] = []
    for n in range(2, 6):
        engine = loader.engine_for(loader.load())
        assert engine is not None
        refs.append(weakref.ref(engine))
        del engine
        ingest_bytes(store, ARTICLE.format(n=n, day=n + 1).encode(), f"a{n}.txt")
        corpus = loader.load()
        engine = loader.engine_for(corpus)
        assert len(carried) == n - 1, "the engine was built again, not brought forward"
        fresh = Engine(corpus.tables)
        for every in (True, False):
            assert engine.overview(F.Filters(), every=every) == fresh.overview(F.Filters(), every=every)
            assert engine.events_page(F.Filters(), every=every) == fresh.events_page(F.Filters(), every=every)
        dbs = set(engine.query("SELECT DISTINCT database_name AS d FROM duckdb_tables()")["d"])
        assert dbs == {engine._db, engine._scratch}, f"tables of engines let go still held: {dbs}"
        del engine, fresh, corpus
    gc.collect()
    assert [r() is None for r in refs] == [True] * len(refs), "a previous version's engine is still held"
    loader._engines.clear()


def test_an_engine_that_cannot_be_brought_forward_is_built_again(tmp_path, monkeypatch, fresh_caches) -> None:
    from core.query.engine import Engine

    store = _engine_store(tmp_path, monkeypatch)
    assert loader.engine_for(loader.load()) is not None

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug in bringing the engine forward")

    monkeypatch.setattr(Engine, "after_write", broken)
    ingest_bytes(store, ARTICLE.format(n=2, day=3).encode(), "a2.txt")
    corpus = loader.load()
    engine = loader.engine_for(corpus)
    assert engine is not None and not corpus.notices
    assert engine.overview(F.Filters(), every=True) == Engine(corpus.tables).overview(F.Filters(), every=True)
    loader._engines.clear()
