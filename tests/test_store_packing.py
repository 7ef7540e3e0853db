"""Repeated cells stored once and texts compressed (schema version 5): smaller store, same values read."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from core.domain import schema
from core.io.csv_export import write_csvs
from core.io.ingest import ingest_bytes, set_article_date
from core.query.tables import load_tables
from core.storage import packing
from core.storage.store import Store, read_rows
from tests.helpers import cells, store_from_dump, stored

ROOT = Path(__file__).resolve().parents[1]
#: The two sample articles as release 6e37b51 stored them (schema version 4: cells as text, texts plain).
V4_DUMP = ROOT / "tests" / "data" / "store_v4_6e37b51.sql"

ARTICLES = {
    "a.txt": (
        "Publication: Test Monitor Volume: 7 Issue: 21\n\n"
        "Russian Foreign Minister Igor Ivanov arrived in Pyongyang on March 3 for talks with Kim Jong Il. "
        "Moscow and Pyongyang signed a treaty on friendship (Itar-Tass, March 4).\n\n"
        "Russia’s debt to South Korea stands at US$1.7 billion, officials said. "
        "Seoul denied that it had agreed to buy Russian submarines (Yonhap, March 5).\n"
    ),
    "b.md": (
        "# Kozyrev in Seoul\n\nPublished: 1994-06-14\n\n"
        "Russian Foreign Minister Andrei Kozyrev visited Seoul on *June 2* and met South Korean Foreign "
        "Minister Han Sung-joo. North Korea criticised the visit (KCNA, June 3). Сеул, 3 мая 🎉.\n"
    ),
}


def _store(path: Path, pack: bool, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setattr(packing, "PACK", pack)
    store = Store(path)
    for name, text in ARTICLES.items():
        [result] = ingest_bytes(store, text.encode("utf-8"), name)
        assert result.status == "added", result.message
    return store


# ---- the cells of every kind a text column can hold come back as they were ------------------------

HOSTILE = [
    "",
    None,
    float("nan"),
    5,
    "5",
    5.5,
    True,
    'it\'s "quoted" ; a;b',
    "Сеул — 🎉",
    "x" * 5000,
    "verb:@say → 010; source:nearest subject",
]


@pytest.mark.parametrize("value", HOSTILE, ids=[repr(v)[:20] for v in HOSTILE])
def test_a_cell_reads_back_as_an_unpacked_store_reads_it(tmp_path: Path, value: object) -> None:
    """Each value in an interned column, written packed and unpacked: the frames read are equal (value
    and dtype), whole and one article's rows, and the packed cell is an integer id."""
    read: dict[bool, tuple[pd.DataFrame, pd.DataFrame]] = {}
    for pack in (False, True):
        packing.PACK = pack
        try:
            con = sqlite3.connect(tmp_path / f"{pack}.sqlite")
            con.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION if pack else 4}")
            con.execute('CREATE TABLE mentions ("article_id", "actor_id", "rule")')
            packing.ensure_schema(con)
            rows = [("a1", value, "r"), ("a1", "same", value), ("a2", value, value)]
            con.executemany(
                "INSERT INTO mentions VALUES (?,?,?)", packing.encode_rows(con, "mentions", ["article_id", "actor_id", "rule"], rows)
            )
            kinds = {t for (t,) in con.execute("SELECT typeof(actor_id) FROM mentions")}
            whole = packing.decode_frame(con, "mentions", pd.read_sql_query("SELECT * FROM mentions", con))
            [key] = packing.keys_of(con, "mentions", ["a2"])  # what the article_id cells hold
            part = packing.decode_frame(
                con, "mentions", pd.read_sql_query("SELECT * FROM mentions WHERE article_id=?", con, params=(key,)), whole=False
            )
            read[pack] = (whole, part)
            con.close()
        finally:
            packing.PACK = True
        if pack:
            assert kinds == {"integer"}
    pd.testing.assert_frame_equal(read[False][0], read[True][0])
    pd.testing.assert_frame_equal(read[False][1], read[True][1])


def test_five_and_the_text_five_stay_different_strings(tmp_path: Path) -> None:
    con = sqlite3.connect(tmp_path / "s.sqlite")
    con.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")
    packing.ensure_schema(con)
    encoded = packing.encode_rows(con, "mentions", ["actor_id"], [(5,), ("5",), (5.0,), (5,)])
    assert encoded[0] == encoded[3] and len({encoded[0], encoded[1], encoded[2]}) == 3
    stored = con.execute("SELECT typeof(value), value FROM strings").fetchall()
    assert sorted(stored, key=repr) == sorted([("integer", 5), ("text", "5"), ("real", 5.0)], key=repr)
    frame = pd.DataFrame({"actor_id": [e[0] for e in encoded]})
    assert [(type(v), v) for v in packing.decode_frame(con, "mentions", frame)["actor_id"]] == [
        (int, 5),
        (str, "5"),
        (float, 5.0),
        (int, 5),
    ]


def test_a_cell_naming_no_string_is_an_error_not_a_silent_blank(tmp_path: Path) -> None:
    con = sqlite3.connect(tmp_path / "s.sqlite")
    con.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")
    packing.ensure_schema(con)
    frame = pd.DataFrame({"actor_id": [99]})
    with pytest.raises(sqlite3.DatabaseError, match=r"mentions\.actor_id: 1 cell"):
        packing.decode_frame(con, "mentions", frame)


@pytest.mark.parametrize("text", ["", "plain", "Сеул, 3 мая — “a success” 🎉\n\n" * 300])
def test_texts_round_trip_through_compression(text: str) -> None:
    packed = packing.pack_text(text)
    assert isinstance(packed, bytes) and packing.unpack_text(packed) == text
    assert packing.unpack_text(text) == text  # an older store's plain text reads as it is


# ---- a whole store: the same tables and exports, fewer bytes -----------------------------------------


def test_a_packed_store_reads_and_exports_as_an_unpacked_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = _store(tmp_path / "plain.sqlite", False, monkeypatch)
    packed = _store(tmp_path / "packed.sqlite", True, monkeypatch)
    # the packed store does hold ids and compressed texts; the plain one the values
    assert {type(v) for (v,) in stored(packed.path, "events", "type_rule")} == {int}
    assert {type(v) for (v,) in stored(plain.path, "events", "type_rule")} == {str}
    assert {t for (t,) in cells(packed.path, "SELECT DISTINCT typeof(text) FROM texts")} == {"blob"}
    raw_plain, raw_packed = plain.load_raw(), packed.load_raw()
    for table in schema.DERIVED_TABLES:
        pd.testing.assert_frame_equal(raw_plain[table], raw_packed[table])
    a = {p.name: p.read_bytes() for p in write_csvs(load_tables(plain, include_reference=False), tmp_path / "a")}
    b = {p.name: p.read_bytes() for p in write_csvs(load_tables(packed, include_reference=False), tmp_path / "b")}
    assert a == b
    for aid in raw_packed["articles"]["article_id"]:
        assert packed.text_of(aid) == plain.text_of(aid) and packed.stored_text(aid)["text"] == plain.text_of(aid)
    # one article's rows read by id decode with only the strings they use
    aid = raw_packed["events"]["article_id"].iloc[0]
    con = sqlite3.connect(packed.path)
    try:
        one = read_rows(con, ["events"], [aid])["events"]
    finally:
        con.close()
    expected = raw_plain["events"][raw_plain["events"]["article_id"] == aid].reset_index(drop=True)
    pd.testing.assert_frame_equal(one.reset_index(drop=True), expected)


def test_a_packed_store_is_smaller(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = {}
    for pack in (False, True):
        store = _store(tmp_path / f"{pack}.sqlite", pack, monkeypatch)
        store.vacuum()
        sizes[pack] = sum(
            size
            for name, size in cells(store.path, "SELECT name, SUM(payload) FROM dbstat GROUP BY name")
            # the tables themselves (as before version 6, whose UNIQUE index, "sqlite_autoindex_strings_1",
            # this left out too): on three short articles a string's index entry outweighs its saving
            if name.split("_")[0] in ("events", "mentions", "texts", "citations", "amounts", "strings") and name != "strings_h"
        )
    assert sizes[True] < sizes[False]


def test_a_rolled_back_write_leaves_no_string_behind_and_the_next_write_reads_right(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A transaction that fails takes its new strings with it; nothing is cached across transactions,
    so the next article's ids are its own."""
    store = Store(tmp_path / "s.sqlite")
    before = cells(store.path, "SELECT COUNT(*) FROM strings")[0][0]
    original = packing.encode_tables

    def then_fail(con: sqlite3.Connection, tables: dict) -> dict:
        encoded = original(con, tables)  # its new strings are written …
        if "events" in tables:
            raise RuntimeError("disk on fire")  # … and the article's transaction then fails
        return encoded

    monkeypatch.setattr(packing, "encode_tables", then_fail)
    with pytest.raises(RuntimeError, match="disk on fire"):
        ingest_bytes(store, ARTICLES["a.txt"].encode("utf-8"), "a.txt")
    assert cells(store.path, "SELECT COUNT(*) FROM strings")[0][0] == before
    monkeypatch.setattr(packing, "encode_tables", original)
    for name, text in ARTICLES.items():
        [result] = ingest_bytes(store, text.encode("utf-8"), name)
        assert result.status == "added", result.message
    fresh = _store(tmp_path / "fresh.sqlite", True, monkeypatch)
    for table in schema.DERIVED_TABLES:
        pd.testing.assert_frame_equal(store.load_raw()[table], fresh.load_raw()[table])


def test_set_date_reads_one_stored_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-dating an article reads its own text row (decompressed), not every text of the store."""
    store = _store(tmp_path / "s.sqlite", True, monkeypatch)
    aid = store.load_raw()["articles"]["article_id"].iloc[0]
    monkeypatch.setattr(Store, "stored_texts", lambda self: pytest.fail("read every text"))
    set_article_date(store, aid, date(2001, 3, 5))
    articles = store.load_raw()["articles"]
    assert articles.loc[articles["article_id"] == aid, "published_date"].iloc[0] == "2001-03-05"


# ---- a store from the release before opens, packed, and reads as before ----------------------------


def _v4_store(tmp_path: Path) -> Path:
    return store_from_dump(V4_DUMP, tmp_path / "v4.sqlite")


def test_a_version_4_store_is_packed_on_open_and_reads_and_exports_as_before(tmp_path: Path) -> None:
    path = _v4_store(tmp_path)
    assert cells(path, "PRAGMA user_version") == [(4,)]
    before_raw = Store(path, read_only=True).load_raw()
    before = load_tables(Store(path, read_only=True), include_reference=False)
    store = Store(path)
    assert store.schema_version() == schema.SCHEMA_VERSION
    for table, cols in schema.INTERNED.items():
        for col in cols:
            kinds = {type(v) for (v,) in stored(path, table, f'"{col}"')}
            # from version 6 a clustered row's article_id is NULL: the article of its run (core.storage.clusters)
            allowed = {int, type(None)} if col == "article_id" and table in schema.CLUSTERED else {int}
            assert kinds <= allowed, (table, col, kinds)
    assert {t for (t,) in cells(path, "SELECT DISTINCT typeof(text) FROM texts")} == {"blob"}
    after_raw = store.load_raw()
    for table in schema.DERIVED_TABLES:
        pd.testing.assert_frame_equal(before_raw[table], after_raw[table])
    out_before = {p.name: p.read_bytes() for p in write_csvs(before, tmp_path / "before")}
    out_after = {p.name: p.read_bytes() for p in write_csvs(load_tables(store, include_reference=False), tmp_path / "after")}
    assert out_before == out_after
    # and opening it again writes nothing
    version = store.version()
    Store(path)
    assert Store(path).version() == version


def test_a_failed_packing_leaves_the_version_4_store_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _v4_store(tmp_path)
    before = sorted(cells(path, "SELECT * FROM events"), key=repr), cells(path, "SELECT text FROM texts")

    def broken(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(packing, "pack_text", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        Store(path)
    assert (sorted(cells(path, "SELECT * FROM events"), key=repr), cells(path, "SELECT text FROM texts")) == before
    assert cells(path, "PRAGMA user_version") == [(4,)]
