"""The resolution tables' layout 5 (core.storage.resolve_store, issue 14): rows keyed by article number and
event number, groups as rids; stores of layout 4 (schema versions 4 and 5, today's release) read as they
are read-only and converted when opened for writing, resolving on as a fresh store."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from core.io.ingest import ingest_paths
from core.query.tables import load_tables
from core.storage import resolve as R
from core.storage import resolve_store
from core.storage.store import Store
from tests.helpers import store_from_dump

ROOT = Path(__file__).resolve().parents[1]
TEST_ARTICLES = ROOT / "tests" / "data" / "resolution_articles"
#: the first 8 of TEST_ARTICLES, as main 166a2b1 stored them (schema 5, resolution layout 4)
V5_DUMP = ROOT / "tests" / "data" / "store_v5_166a2b1_resolution.sql"
V4_DUMP = ROOT / "tests" / "data" / "store_v4_6e37b51.sql"


def _columns(path: Path, table: str) -> set[str]:
    with sqlite3.connect(path) as con:
        return {r[1] for r in con.execute(f"PRAGMA table_info({table})")}


def _groups(store: Store) -> set[tuple]:
    """(event, resolved_id, merge_rule) as stored, read through :func:`resolve_store.load`."""
    with sqlite3.connect(store.path) as con:
        return set(resolve_store.load(con).itertuples(index=False, name=None))


def _keys(store: Store) -> set[tuple]:
    with sqlite3.connect(store.path) as con:
        return set(con.execute(f"SELECT k.key, {resolve_store._EVENT} FROM {resolve_store._FROM} JOIN resolution_keys k ON k.rid = r.rid"))


@pytest.mark.parametrize("dump", [V5_DUMP, V4_DUMP], ids=["schema5", "schema4"])
def test_a_store_of_layout_4_reads_as_it_is_read_only_and_converts_when_opened_for_writing(tmp_path, dump):
    old = store_from_dump(dump, tmp_path / "old.sqlite")
    assert "event_id" in _columns(old, "resolution") and "span" not in _columns(old, "resolution")
    read_only = Store(old, read_only=True)
    before = load_tables(read_only, include_reference=False)
    with sqlite3.connect(old) as con:
        stored_before = set(resolve_store.load(con).itertuples(index=False, name=None))
    assert "span" not in _columns(old, "resolution")  # reading wrote nothing
    assert len(stored_before) > 10 and any(not rule.startswith("alone") for _e, _g, rule in stored_before)

    converted = Store(old)
    assert _columns(old, "resolution") == set(resolve_store._STORED)
    assert _groups(converted) == stored_before
    after = load_tables(converted, include_reference=False)
    for table in ("events", "resolved_events"):
        assert after[table].equals(before[table]), table
    with sqlite3.connect(old) as con:
        names = {n for (n,) in con.execute("SELECT name FROM sqlite_master")}
        trigger = con.execute("SELECT sql FROM sqlite_master WHERE name = 'changes_regrouped'").fetchone()
    assert not names & {"resolution_v3", "resolution_v4", "resolution_article"}
    if trigger is not None:  # the change log's trigger, made again for the new table
        assert resolve_store.REGROUPED_ARTICLE in trigger[0]


def test_a_store_resolved_by_the_release_before_resolves_on_as_a_fresh_one(tmp_path):
    """Converted, a store of today's release holds what a fresh store of the same articles holds, and
    adding and removing articles afterwards gives the same groups, keys and change log entries."""
    old = Store(store_from_dump(V5_DUMP, tmp_path / "old.sqlite"))
    files = sorted(TEST_ARTICLES.glob("*.txt"))
    fresh = Store(tmp_path / "fresh.sqlite")
    ingest_paths(fresh, files[:8])
    assert _groups(old) == _groups(fresh) and _keys(old) == _keys(fresh)
    v_old, v_fresh = old.version(), fresh.version()
    ingest_paths(old, files[8:])
    ingest_paths(fresh, files[8:])
    assert _groups(old) == _groups(fresh) and _keys(old) == _keys(fresh)
    changed_old, changed_fresh = old.changes_since(v_old), fresh.changes_since(v_fresh)
    assert changed_old is not None and changed_fresh is not None
    assert changed_old.regrouped == changed_fresh.regrouped
    articles = set(load_tables(fresh, include_reference=False)["articles"]["article_id"])
    assert changed_old.rewritten <= articles and changed_old.regrouped <= articles  # the articles' ids, as text
    gone = sorted(articles)[2]
    for store in (old, fresh):
        assert store.delete_article(gone)
    assert _groups(old) == _groups(fresh) and _keys(old) == _keys(fresh)


def test_regrouping_a_stored_report_logs_its_article_by_id(tmp_path):
    """The change log's trigger reads the article of a regrouped row through ``resolution_articles``."""
    files = sorted(TEST_ARTICLES.glob("*.txt"))
    store = Store(tmp_path / "s.sqlite")
    ingest_paths(store, files[:1])
    version = store.version()
    ingest_paths(store, files[1:2])  # a second report of the first article's summit: the first is regrouped
    changes = store.changes_since(version)
    assert changes is not None
    first = load_tables(store, include_reference=False)["articles"].set_index("source_file").loc[files[0].name, "article_id"]
    assert first in changes.regrouped


def _report(eid: str, aid: str, day: int = 0, sentence: str = "") -> R.Report:
    lo = date(2019, 4, 25) + timedelta(days=day)
    return R.Report(eid, aid, lo, lo + timedelta(days=2), 0, frozenset({"04"}), frozenset({"KOR", "RUS"}), "", sentence, True)


@pytest.mark.parametrize(
    ("event_id", "article_id", "slot"),
    [
        ("abc-e001", "abc", 1),  # the extractor's ids: the event's own number, the id not stored
        ("abc-e000", "abc", 0),
        ("abc-e4095", "abc", 4095),
        ("abc-e1234", "abc", 1234),
        ("abc-e4096", "abc", None),  # past the slots: stored as text
        ("abc-e1", "abc", None),  # fewer than three digits: printf would write e001
        ("abc-e0012", "abc", None),  # a leading zero too many
        ("abc-e+12", "abc", None),
        ("abc-e\u0663\u0663\u0663", "abc", None),  # digits int() reads but printf does not write
        ("abd-e001", "abc", None),  # another article's prefix
        ("abc-x001", "abc", None),
        ("e1", "a1", None),
        ("-e007", "", 7),
        ("123", "", None),  # a text of digits stays a text
        ("0", "a1", None),  # not the int 0 the insert binds for a NULL event
        ("", "a1", None),
    ],
)
def test_an_event_id_reads_back_from_its_slot_or_its_text(event_id, article_id, slot):
    assert resolve_store._seq(event_id, article_id) == slot
    assert resolve_store._seq(event_id, article_id) == slot  # the second time from the memo
    con = sqlite3.connect(":memory:")
    resolve_store.ensure_schema(con)
    r = _report(event_id, article_id, sentence=f"{article_id}#3")
    resolve_store._insert_reports(con, [r], {event_id: (None, 1)}, R.load_rules())
    (stored_event, rid) = con.execute("SELECT event, rid FROM resolution").fetchone()
    assert (stored_event is None) == (slot is not None)
    if slot is not None:
        assert rid & (resolve_store._SLOTS - 1) == slot
    row = con.execute(f"SELECT {resolve_store._SELECT} FROM {resolve_store._FROM}").fetchone()
    assert resolve_store._stored(row) == r
    assert row[0] == event_id and row[1] == article_id


def test_an_article_s_rows_are_one_range_per_number_and_an_event_written_again_keeps_its_rid():
    """Odd ids go to numbers of their own (more as they fill), never into the slots of the extractor's
    ids; writing an event again replaces its row under the same rid, so the groups naming it hold."""
    con = sqlite3.connect(":memory:")
    resolve_store.ensure_schema(con)
    rules = R.load_rules()
    plain = [_report(f"a-e{i:03d}", "a", i % 5) for i in range(1, 30)]
    odd = [_report(f"a-odd{i}", "a", i % 5) for i in range(resolve_store._SLOTS + 3)]
    other = [_report(f"b-e{i:03d}", "b", i % 5) for i in range(1, 4)]
    resolve_store._insert_reports(con, plain + odd + other, {r.event_id: (None, 1) for r in plain + odd + other}, rules)
    numbers = dict(con.execute("SELECT n, article_id FROM resolution_articles"))
    assert sorted(numbers.values()) == ["a", "a", "a", "b"]  # the first, two for the odd ids, and b
    rows = dict(con.execute(f"SELECT {resolve_store._EVENT}, r.rid FROM {resolve_store._FROM}"))
    assert len(rows) == len(plain) + len(odd) + len(other)
    first_a = min(n for n, a in numbers.items() if a == "a")
    assert all(rows[r.event_id] >> resolve_store.SLOT_BITS == first_a for r in plain)
    odd_numbers = {rows[r.event_id] >> resolve_store.SLOT_BITS for r in odd}
    assert len(odd_numbers) == 2 and all(numbers[n] == "a" and n != first_a for n in odd_numbers)
    # written again (one plain, one odd), grouped under the odd one: the same rids, the group reads back
    again = [plain[0], odd[5]]
    group = "R" + odd[5].event_id
    resolve_store._insert_reports(con, again, {r.event_id: (group, 2) for r in again}, rules)
    assert dict(con.execute(f"SELECT {resolve_store._EVENT}, r.rid FROM {resolve_store._FROM}")) == rows
    loaded = resolve_store.load(con).set_index("event_id")
    assert set(loaded.loc[[r.event_id for r in again], "resolved_id"]) == {group}
    assert loaded.loc[plain[1].event_id, "resolved_id"] == "R" + plain[1].event_id
    # the article's rows found by article, and all of them gone with it
    assert len(resolve_store.load(con, ["a"])) == len(plain) + len(odd)
    resolve_store.detach(con, "a", rules)
    assert set(resolve_store.load(con)["event_id"]) == {r.event_id for r in other}
    assert {a for (a,) in con.execute("SELECT article_id FROM resolution_articles")} == {"b"}


@pytest.mark.parametrize(
    ("group_of", "expected"),
    [
        ({"x": "Rx", "y": "Rx"}, {"x": 10, "y": 10}),  # the member naming the group: its rid
        ({"x": None, "y": None}, {"x": None, "y": None}),
        ({"x": "Rz", "y": "Rz"}, {"x": "Rz", "y": "Rz"}),  # no member named so: the text
        ({"x": "Ry", "y": "Rx"}, {"x": "Ry", "y": "Rx"}),  # y is not in the group it would name
        ({"x": "Qx", "y": "Qx"}, {"x": "Qx", "y": "Qx"}),
    ],
)
def test_a_group_is_stored_as_the_rid_of_the_member_naming_it(group_of, expected):
    rid_of = {"x": 10, "y": 11}
    assert {e: resolve_store._group_ref(g, group_of, rid_of) for e, g in group_of.items()} == expected


@pytest.mark.parametrize("group", [None, "0", "R0", "", "Rabc-e001"])
def test_a_group_cell_reads_back_as_written_whatever_the_text(group):
    """The insert binds the int 0 for a NULL group: a text group, even "0" or empty, stays itself."""
    con = sqlite3.connect(":memory:")
    resolve_store.ensure_schema(con)
    r = _report("abc-e001", "abc")
    resolve_store._insert_reports(con, [r], {r.event_id: (group, 1)}, R.load_rules())
    stored = con.execute("SELECT resolved_id, typeof(resolved_id) FROM resolution").fetchone()
    if group is None:
        assert stored == (None, "null")
    elif group == "Rabc-e001":
        assert stored[1] == "integer"  # the rid of the member naming it
    else:
        assert stored == (group, "text")
    expected = "R" + r.event_id if group is None else group
    assert resolve_store.load(con)["resolved_id"].tolist() == [expected]
