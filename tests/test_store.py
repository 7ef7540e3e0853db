import threading
from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from core.errors import ArticleError
from core.io.ingest import ingest_bytes, ingest_paths, open_store, rebuild, set_article_date
from core.query.tables import load_tables
from core.storage.store import Store

ARTICLE = (
    "Publication: Monitor Volume: 6 Issue: 10\n\nMinister Ivan Petrov visited Seoul on January 12. "
    "Moscow and Seoul signed an agreement on military cooperation (Yonhap, January 13).\n"
)


def _article(i: int) -> bytes:
    return ARTICLE.replace("January 12", f"January {i % 28 + 1}").replace("Issue: 10", f"Issue: {i}").encode()


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "s.sqlite")


def _from_articles(tables):
    """Only the rows extracted from articles (the curated reference layer is always there too)."""
    return {k: (v[v["origin"] == "article"] if "origin" in v.columns and k != "articles" else v) for k, v in tables.items()}


def test_store_ingests_once_and_recognises_the_same_text(store):
    (first,) = ingest_bytes(store, _article(1), "a.txt")
    (again,) = ingest_bytes(store, _article(1), "copy.txt")
    assert first.status == "added" and first.counts["events"] >= 2
    assert again.status == "duplicate" and again.article_id == first.article_id
    assert store.article_count() == 1


def test_store_load_tables_has_every_table_with_rows(store):
    ingest_bytes(store, _article(1), "a.txt")
    t = load_tables(store)
    assert set(t) >= {"articles", "actors", "mentions", "events", "amounts", "citations", "relations", "sentences"}
    assert len(t["articles"]) == 1 and len(t["events"]) >= 2
    assert (t["relations"]["level"] == "state").any()


def test_store_version_changes_on_every_write(store):
    v0 = store.version()
    ingest_bytes(store, _article(1), "a.txt")
    v1 = store.version()
    ingest_bytes(store, _article(2), "b.txt")
    assert v0 < v1 < store.version()


def test_store_failure_mid_batch_keeps_earlier_articles_and_drops_the_failed_one(store, monkeypatch, tmp_path):
    for i in range(3):
        (tmp_path / f"a{i}.txt").write_bytes(_article(i + 1))
    real = Store._insert_derived
    calls = {"n": 0}

    def flaky(self, con, rows, *text):
        calls["n"] += 1
        real(self, con, rows, *text)
        if calls["n"] == 2:
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "_insert_derived", flaky)
    with pytest.raises(RuntimeError):
        ingest_paths(store, sorted(tmp_path.glob("a*.txt")))
    monkeypatch.setattr(Store, "_insert_derived", real)
    t = _from_articles(load_tables(store))
    assert store.article_count() == 1
    assert len(t["articles"]) == 1
    assert set(t["events"]["article_id"]) <= set(t["articles"]["article_id"])
    # the failed article and the one after can be added afterwards
    results = ingest_paths(store, sorted(tmp_path.glob("a*.txt")))
    assert [r.status for r in results] == ["duplicate", "added", "added"]


def test_store_two_threads_adding_at_once_both_succeed(store):
    errors: list[BaseException] = []

    def worker(offset: int) -> None:
        try:
            for i in range(8):
                ingest_bytes(store, _article(offset + i), f"t{offset + i}.txt")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k * 100,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert store.article_count() == 16
    assert len(load_tables(store)["articles"]) == 16


def test_store_rebuild_recomputes_rows_from_texts(store):
    ingest_bytes(store, _article(1), "a.txt")
    before = _from_articles(load_tables(store))["events"]
    with store.transaction() as con:
        con.execute("DELETE FROM events")
        con.execute("DELETE FROM events_packed")  # the rows kept as packed records (schema 7)
    assert _from_articles(load_tables(store))["events"].empty
    assert rebuild(store) == 1
    after = _from_articles(load_tables(store))["events"]
    assert list(after["event_id"]) == list(before["event_id"])


def test_store_user_date_redates_the_rows(store):
    (r,) = ingest_bytes(store, b"South Korea and Russia discussed the debt (AP, May 3).", "nodate.txt")
    arts = load_tables(store)["articles"]
    assert arts.loc[0, "published_date"] == "" and arts.loc[0, "date_method"] == "unknown"
    set_article_date(store, r.article_id, date(2001, 5, 4))
    t = _from_articles(load_tables(store))
    assert t["articles"].loc[0, "published_date"] == "2001-05-04"
    assert t["articles"].loc[0, "date_method"] == "user"
    assert set(t["events"]["start_date"]) == {"2001-05-03"}
    assert set(t["citations"]["cited_date"]) == {"2001-05-03"}


def test_store_remove_article(store):
    (r,) = ingest_bytes(store, _article(1), "a.txt")
    assert store.delete_article(r.article_id)
    t = _from_articles(load_tables(store))
    assert t["articles"].empty and t["events"].empty and t["mentions"].empty
    with pytest.raises(ArticleError):
        store.set_user_date(r.article_id, None)


def test_store_open_store_seeds_an_empty_store_once(tmp_path, monkeypatch):
    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "one.txt").write_bytes(_article(1))
    monkeypatch.setenv("RUSKOR_SEED_DIR", str(seed))
    s = open_store(tmp_path / "db.sqlite")
    assert s.article_count() == 1
    s.delete_article(load_tables(s)["articles"].loc[0, "article_id"])
    assert open_store(tmp_path / "db.sqlite").article_count() == 0  # a user's removal is respected


@pytest.mark.parametrize(
    "row",
    [
        {"a": None, "b": 1, "c": 2.5, "d": "x"},
        {"a": True, "b": float("nan"), "c": "", "d": -7},
        {"a": date(2001, 3, 5), "b": 1, "c": "x", "d": None},
        {"a": np.int64(5), "b": np.str_("s"), "c": Decimal("1.5"), "d": ["list"]},
        {"b": 1},  # columns the row does not have
    ],
)
def test_a_rows_cells_in_one_pass_are_the_cells_one_at_a_time(row: dict) -> None:
    """The write path's shortcut (store._cells) against the plain reading: each cell through _cell."""
    from core.storage.store import _cell, _cells

    cols = ["a", "b", "c", "d"]
    fast, plain = _cells(row, cols), tuple(_cell(row.get(c)) for c in cols)
    assert [(type(v), repr(v)) for v in fast] == [(type(v), repr(v)) for v in plain]  # (repr: a NaN equals no NaN)
