"""The compact layout of schema version 6 (core.storage.clusters, core.storage.packing): a store
written by release 166a2b1 (schema 5, tests/data/store_v5_166a2b1.sql, made by
tests/data/make_store_v5.py) reads the same read-only and converted; rows written now read back as
given, whatever their ids; the rows' order survives rewrites and VACUUM."""

from __future__ import annotations

import hashlib
import sqlite3
import zlib
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.domain import schema
from core.domain.schema import row
from core.io.csv_export import write_csvs
from core.io.ingest import ingest_bytes, set_article_date
from core.query.tables import load_tables
from core.storage import clusters, packing
from core.storage.store import Store, read_rows
from tests.data.make_store_v5 import TEXTS
from tests.helpers import cells, store_from_dump, stored

ROOT = Path(__file__).resolve().parents[1]
V5_DUMP = ROOT / "tests" / "data" / "store_v5_166a2b1.sql"

ARTICLES = TEXTS  # the articles of the dump, as its generator (run at 166a2b1) wrote them


def _v5_store(tmp_path: Path) -> Path:
    return store_from_dump(V5_DUMP, tmp_path / "v5.sqlite")


def _csvs(tables: dict[str, pd.DataFrame], out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in write_csvs(tables, out)}


def _same_raw(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for table in schema.DERIVED_TABLES:
        pd.testing.assert_frame_equal(a[table], b[table], obj=table)


def test_a_version_5_store_reads_the_same_read_only_and_converted(tmp_path: Path) -> None:
    path = _v5_store(tmp_path)
    assert cells(path, "PRAGMA user_version") == [(5,)]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    ro = Store(path, read_only=True)
    before_raw = ro.load_raw()
    before = _csvs(load_tables(ro), tmp_path / "before")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, "read-only: the file is not touched"
    # the hand-made rows are there: ids that are not the pipeline's, a row of another article
    events = before_raw["events"]
    assert {"", "other-e004", "hand00000001-e5"} <= set(events["event_id"]) and "elsewhere00001" in set(events["article_id"])

    store = Store(path)
    assert store.schema_version() == schema.SCHEMA_VERSION
    indexes = {n for (n,) in cells(path, "SELECT name FROM sqlite_master WHERE type='index'")}
    assert not {f"{t}_article" for t in schema.CLUSTERED} & indexes
    assert "kind" not in {r[1] for r in cells(path, "PRAGMA table_info(strings)")}
    assert cells(path, "SELECT COUNT(*) FROM clusters")[0][0] > 0
    # the generated ids and the articles' own ids are gone from the cells; the others kept
    stored_ids = {e for (e,) in stored(path, "events", "event_id")}
    assert None in stored_ids and {"", "other-e004", "hand00000001-e5"} <= stored_ids
    assert {type(g) for (g,) in stored(path, "events", "goldstein")} == {int}
    _same_raw(before_raw, store.load_raw())
    assert _csvs(load_tables(store), tmp_path / "after") == before
    store.vacuum()  # VACUUM keeps the named rowids the runs point at
    _same_raw(before_raw, store.load_raw())
    version = store.version()
    Store(path)
    assert store.version() == version, "a converted store opens without writing"


def test_a_failed_conversion_leaves_the_version_5_store_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _v5_store(tmp_path)
    con = sqlite3.connect(path)
    before = list(con.iterdump())
    con.close()

    def broken(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(packing, "repack_texts", broken)  # the conversion's last step
    with pytest.raises(RuntimeError, match="disk on fire"):
        Store(path)
    con = sqlite3.connect(path)
    assert list(con.iterdump()) == before
    con.close()
    assert cells(path, "PRAGMA user_version") == [(5,)]


def test_a_converted_store_takes_writes_as_a_new_one(tmp_path: Path) -> None:
    """After the conversion, a removal, a re-dating and an add read as in a store that was always
    version 6 (the same articles, the same operations)."""
    converted = Store(_v5_store(tmp_path))
    fresh = Store(tmp_path / "fresh.sqlite")
    ids = {}
    for name in ("a.txt", "b.txt", "c.txt"):
        [result] = ingest_bytes(fresh, ARTICLES[name].encode("utf-8"), name)
        ids[name] = result.article_id
    set_article_date(fresh, ids["a.txt"], date(2001, 3, 6))
    fresh.delete_article(ids["c.txt"])
    converted.delete_article("hand00000001")
    converted.delete_article("elsewhere00001")  # its row, written with the hand-made article, is its own (as in version 5)
    for store in (converted, fresh):
        set_article_date(store, ids["b.txt"], date(2001, 3, 1))
        [result] = ingest_bytes(store, ARTICLES["c.txt"].encode("utf-8"), "c.txt")
        assert result.status == "added"
    _same_raw(fresh.load_raw(), converted.load_raw())
    a, b = load_tables(fresh), load_tables(converted)
    assert _csvs(a, tmp_path / "fresh") == _csvs(b, tmp_path / "converted")


def _hand_rows(aid: str, event_ids: list[object], article_ids: list[object]) -> dict[str, list[dict]]:
    events = [
        row("events", {"event_id": e, "article_id": a, "event_type": "meet", "goldstein": g, "sentence_id": 0})
        for e, a, g in zip(event_ids, article_ids, [1.5, None, 3, -2.0, 7.0, 0.0, 1.5, 2.5][: len(event_ids)], strict=False)
    ]
    amounts = [row("amounts", {"amount_id": f"{aid}-a00{n}" if n != 2 else "x", "article_id": aid, "value_usd": 1.0}) for n in (1, 2, 3)]
    return {"events": events, "amounts": amounts, "sentences": [row("sentences", {"article_id": aid, "sentence_id": 0})]}


ID_CASES = {
    "the pipeline's": (["A-e001", "A-e002", "A-e003"], ["A", "A", "A"]),
    "out of sequence": (["A-e002", "A-e001", "A-e003"], ["A", "A", "A"]),
    "not zero-padded, too padded": (["A-e1", "A-e0002", "A-e003"], ["A", "A", "A"]),
    "empty and NULL": (["", None, "A-e003"], ["A", "A", "A"]),
    "another article's id": (["B-e001", "A-e002", "A-e003"], ["A", "A", "A"]),
    "a row of another article": (["B-e001", "A-e002", "A-e003"], ["B", "A", "A"]),
    "a row with no article": (["None-e001", "A-e002", "e"], [None, "A", "A"]),
    "numbers": ([5, 5.0, "A-e003"], ["A", "A", "A"]),
}


@pytest.mark.parametrize("case", list(ID_CASES), ids=list(ID_CASES))
def test_ids_and_article_ids_read_back_as_written(tmp_path: Path, case: str) -> None:
    """The differential test of the compact cells: what is read is what was written (a NULL id reads
    "", as it always read), by a full read and by a read of the article's rows; the cells of the
    pipeline's ids and of the article's own id are the ones stored as NULL."""
    event_ids, article_ids = ID_CASES[case]
    event_ids = [e.replace("A", "art00000000a") if isinstance(e, str) else e for e in event_ids]
    article_ids = [a.replace("A", "art00000000a") if isinstance(a, str) else a for a in article_ids]
    aid = "art00000000a"
    store = Store(tmp_path / "s.sqlite")
    rows = _hand_rows(aid, event_ids, article_ids)
    store.write_article(
        rows, {"article_id": aid, "content_hash": "h", "source_file": "f", "text": "", "encoding": "utf-8", "format": "txt"}
    )
    whole = store.load_raw()["events"]
    assert list(whole["event_id"]) == ["" if e is None else e for e in event_ids]  # 5 reads 5.0 beside 5.0, as read_sql_query reads it
    assert list(whole["article_id"].fillna("")) == [("" if a is None else a) for a in article_ids]
    g = whole["goldstein"].to_numpy(dtype=float)
    expected = np.array([np.nan if x is None else float(x) for x in [1.5, None, 3, -2.0, 7.0][: len(event_ids)]])
    np.testing.assert_array_equal(g, expected)
    with store.snapshot() as con:
        mine = read_rows(con, ["events", "amounts"], [aid], in_order=True)
    pd.testing.assert_frame_equal(mine["events"], whole[whole["article_id"] == aid].reset_index(drop=True))
    assert list(mine["amounts"]["amount_id"]) == [f"{aid}-a001", "x", f"{aid}-a003"]
    generated = sum(
        1 for n, (e, a) in enumerate(zip(event_ids, article_ids, strict=True), 1) if isinstance(a, str) and e == f"{a}-e{n:03d}"
    )
    kept = stored(store.path, "events", "event_id, article_id")
    assert sum(e is None for e, _ in kept) == generated
    assert sum(a is None for _, a in kept) == article_ids.count(aid)


@pytest.mark.parametrize("chunk", [400, 1], ids=["one query", "a query per run"])
def test_rows_keep_their_order_through_rewrites_removals_and_vacuum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    """A full read against reads of some articles' rows (in one query, or in several when there are
    many runs to read: both ways build the frame as pd.read_sql_query does)."""
    monkeypatch.setattr(clusters, "_CHUNK", chunk)
    store = Store(tmp_path / "s.sqlite")
    ids = {}
    for name, text in ARTICLES.items():
        [result] = ingest_bytes(store, text.encode("utf-8"), name)
        ids[name] = result.article_id
    set_article_date(store, ids["a.txt"], date(2001, 3, 6))  # its rows now follow the others'
    raw = store.load_raw()
    order = list(dict.fromkeys(raw["events"]["article_id"]))
    assert order == [ids["b.txt"], ids["c.txt"], ids["a.txt"]]
    for some in ([ids["a.txt"]], [ids["c.txt"], ids["a.txt"]], list(ids.values())):
        with store.snapshot() as con:
            part = read_rows(con, list(schema.ARTICLE_TABLES), some, in_order=True)
        for table in schema.ARTICLE_TABLES:
            full = raw[table]
            pd.testing.assert_frame_equal(part[table], full[full["article_id"].isin(some)].reset_index(drop=True), obj=table)
    store.delete_article(ids["b.txt"])
    after = store.load_raw()
    store.vacuum()
    _same_raw(after, store.load_raw())
    assert store.n_actors_of(ids["a.txt"]) == raw["mentions"].query("article_id == @ids['a.txt']")["actor_id"].nunique()


def test_the_preset_dictionary_never_changes() -> None:
    """Every text stored since version 6 needs exactly these bytes to be read again."""
    digest = hashlib.sha256(packing.DICT_FILE.read_bytes()).hexdigest()
    assert digest == "6a7f50513d7386beb12d352f9e37a8f1c1b3a09aeefe7e375726ed2e6c1633f7"


@pytest.mark.parametrize("text", ["", "plain", "Сеул, 3 мая — “a success” 🎉\n\n" * 300, "x" * 100_000])
def test_texts_of_both_layouts_read_back(text: str) -> None:
    assert packing.unpack_text(packing.pack_text(text)) == text
    assert packing.unpack_text(zlib.compress(text.encode("utf-8"), 6)) == text  # version 5's form
    assert packing.unpack_text(text) == text  # older stores' plain text


def test_the_runs_name_the_rows_of_every_clustered_table(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    [result] = ingest_bytes(store, ARTICLES["a.txt"].encode("utf-8"), "a.txt")
    with store.snapshot() as con:
        runs = clusters.spans(con, [result.article_id])
        assert len(runs) == 1 and runs["tab"].tolist() == [""]
        lo, hi = int(runs["lo"][0]), int(runs["hi"][0])
    n = sum(len(stored(store.path, t)) for t in schema.CLUSTERED)
    assert hi - lo + 1 == n
