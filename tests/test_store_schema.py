"""Tables defined once (core.domain.schema) and stores that open across releases (core.storage.store migrations)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from core.domain import schema
from core.io.csv_export import write_csvs
from core.io.ingest import ingest_paths
from core.query.tables import load_tables
from core.storage import clusters, evidence, resolve_store, rowpack
from core.storage.store import Store
from tests.helpers import cells, store_from_dump, stored

OLD_DUMP = Path(__file__).parent / "data" / "store_8c137a2.sql"
#: A store as the release before evidence was stored once wrote it (schema version 2).
V2_DUMP = Path(__file__).parent / "data" / "store_v2_4e002e5.sql"
ARTICLE = """Publication: Test Monitor Volume: 7 Issue: 12

Moscow, 14 March 2001. Russian Defense Minister Igor Sergeev met South Korean Defense Minister
Cho Sung-tae in Seoul on Tuesday and signed an agreement on military cooperation.
"""


def _old_store(tmp_path: Path, dump: Path = OLD_DUMP) -> Path:
    """A store exactly as release 8c137a2 wrote it (no schema version, no resolution tables), or as
    the release of ``dump`` wrote it."""
    return store_from_dump(dump, tmp_path / f"old-{dump.stem}.sqlite")


def _stored_columns(path: Path, table: str) -> list[str]:
    con = sqlite3.connect(path)
    try:
        # not the rowid, named in the clustered tables (core.storage.clusters.ROW) so VACUUM keeps it
        return [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] != clusters.ROW]
    finally:
        con.close()


def _user_version(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA user_version").fetchone()[0]
    finally:
        con.close()


def test_a_store_of_the_previous_release_opens_lists_exports_and_takes_one_more_article(tmp_path: Path) -> None:
    path = _old_store(tmp_path)
    assert _user_version(path) == 0  # that release recorded no version
    store = Store(path)
    assert store.schema_version() == schema.SCHEMA_VERSION
    tables = load_tables(store, include_reference=False)
    assert list(tables["articles"]["article_id"]) == ["2f4df66f69cb"]
    assert len(tables["events"]) == 21  # its stored rows, read as stored
    assert tables["events"]["resolved_id"].ne("").all()  # resolved once, on open
    paths = write_csvs(tables, tmp_path / "out")
    assert {p.stem for p in paths} >= {"articles", "events", "amounts"}
    assert len((tmp_path / "out" / "events.csv").read_text(encoding="utf-8").splitlines()) > 21
    new = tmp_path / "new.txt"
    new.write_text(ARTICLE, encoding="utf-8")
    [result] = ingest_paths(store, [new])
    assert result.status == "added", result.message
    assert len(load_tables(store, include_reference=False)["articles"]) == 2


def test_a_store_missing_a_column_gains_it_on_open_and_takes_new_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The failure of issue 14 ("table amounts has 20 columns but 21 values were supplied")."""
    path = tmp_path / "s.sqlite"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with monkeypatch.context() as m:  # a release before packed records (schema 7) kept its rows as rows
        m.setattr(rowpack, "PACK_ROWS", False)
        ingest_paths(Store(path), [folder])
    con = sqlite3.connect(path)  # as a release whose amounts and events lacked a column left it
    con.execute("ALTER TABLE amounts DROP COLUMN note")
    con.execute("ALTER TABLE events DROP COLUMN source_url")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    assert "note" not in _stored_columns(path, "amounts")
    monkeypatch.setitem(schema.DEFAULTS, "events", {"source_url": "about:stored-before"})
    store = Store(path)
    assert _stored_columns(path, "amounts") == schema.TABLES["amounts"]
    assert _stored_columns(path, "events") == schema.TABLES["events"]
    events = load_tables(store, include_reference=False)["events"]
    assert set(events["source_url"]) == {"about:stored-before"}  # the defined default, not NULL
    (folder / "b.txt").write_text(ARTICLE.replace("Issue: 12", "Issue: 13"), encoding="utf-8")
    [result] = ingest_paths(store, [folder / "b.txt"])
    assert result.status == "added", result.message


@pytest.mark.parametrize("interned", [False, True], ids=["a plain column", "an interned column"])
def test_a_store_of_packed_records_gains_a_column_on_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interned: bool) -> None:
    """A later release adds a column to a clustered table: the rows kept in packed records (schema 7)
    read it as its default, every other cell as before, and new rows take it."""
    path = tmp_path / "s.sqlite"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    ingest_paths(Store(path), [folder])
    before = Store(path).load_raw()
    assert stored(path, "events") and not cells(path, "SELECT * FROM events")  # every row in a record
    monkeypatch.setitem(schema.TABLES, "events", [*schema.TABLES["events"], "later_note"])
    monkeypatch.setitem(schema.DEFAULTS, "events", {"later_note": "from before"})
    if interned:
        monkeypatch.setitem(schema.INTERNED, "events", (*schema.INTERNED["events"], "later_note"))
    after = Store(path).load_raw()
    assert set(after["events"]["later_note"]) == {"from before"}
    pd.testing.assert_frame_equal(after["events"].drop(columns="later_note"), before["events"])
    for table in schema.DERIVED_TABLES:
        if table != "events":
            pd.testing.assert_frame_equal(after[table], before[table], obj=table)
    assert stored(path, "events") and not cells(path, "SELECT * FROM events")  # packed again
    kinds = {type(v) for (v,) in stored(path, "events", "later_note")}
    assert kinds == ({int} if interned else {str})
    (folder / "b.txt").write_text(ARTICLE.replace("Issue: 12", "Issue: 13"), encoding="utf-8")
    [result] = ingest_paths(Store(path), [folder / "b.txt"])
    assert result.status == "added", result.message


def test_reopening_a_current_store_writes_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    before = store.version()
    Store(tmp_path / "s.sqlite")
    assert store.version() == before  # the dashboard's caches stay valid


def test_an_old_store_opened_read_only_is_read_without_migrating(tmp_path: Path) -> None:
    path = _old_store(tmp_path)
    store = Store(path, read_only=True)
    assert store.schema_version() == 0
    assert len(load_tables(store, include_reference=False)["articles"]) == 1


@pytest.mark.parametrize("table", ["texts", *schema.DERIVED_TABLES])
def test_a_new_store_has_exactly_the_defined_columns(tmp_path: Path, table: str) -> None:
    Store(tmp_path / "s.sqlite")
    assert _stored_columns(tmp_path / "s.sqlite", table) == schema.columns(table)


def test_resolution_tables_and_resolved_id_come_from_their_definitions(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    store = Store(path)
    assert tuple(_stored_columns(path, "resolution")) == resolve_store._STORED
    assert _stored_columns(path, "resolution_keys") == ["key", "rid"]
    tables = load_tables(store, include_reference=False)
    assert list(tables["events"].columns) == schema.TABLES["events"] + schema.EVENT_EXTRA
    assert list(tables["resolved_events"].columns) == schema.TABLES["resolved_events"]


@pytest.mark.parametrize(
    ("table", "values", "error"),
    [
        ("amounts", {"amount_id": "x", "debtor": "RUS"}, "debtor"),
        ("events", {"evt_id": "x"}, "evt_id"),
        ("found_actors", {"actor": "x"}, "actor"),
    ],
)
def test_row_refuses_a_column_the_table_lacks(table: str, values: dict, error: str) -> None:
    with pytest.raises(KeyError, match=error):
        schema.row(table, values)


def test_row_gives_every_column_in_order() -> None:
    r = schema.row("mentions", {"rule": "r", "article_id": "a"})
    assert list(r) == schema.TABLES["mentions"]
    assert (r["article_id"], r["rule"], r["text"]) == ("a", "r", "")


def test_importing_the_store_imports_neither_ingest_nor_table_assembly() -> None:
    layers = ("core.io.ingest", "core.query.tables", "core.extract.pipeline")
    code = f"import sys, core.storage.store; print(sorted(m for m in {layers!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[1])
    assert out.stdout.strip() == "[]"


def test_no_sql_outside_the_store() -> None:
    """SQL runs in core/storage/store.py (and core/storage/resolve_store.py, core/storage/packing.py and
    core/storage/changelog.py, which it calls) only, and
    the analytical queries in the DuckDB query layer, core/query/engine.py (issue 14)."""
    root = Path(__file__).parents[1]
    allowed = {
        Path("core/storage/store.py"),
        Path("core/storage/resolve_store.py"),
        Path("core/storage/packing.py"),
        Path("core/storage/clusters.py"),
        Path("core/storage/rowpack.py"),
        Path("core/storage/changelog.py"),
        Path("core/query/engine.py"),
    }
    offenders = []
    for folder in ("core", "ui", "pages", "benchmarks"):
        for f in (root / folder).rglob("*.py"):
            rel = f.relative_to(root)
            text = f.read_text(encoding="utf-8")
            if rel not in allowed and (".execute(" in text or "read_sql" in text or "sqlite3.connect" in text):
                offenders.append(str(rel))
    assert offenders == []


def test_a_copy_of_an_old_store_is_a_store_of_the_same_articles(tmp_path: Path) -> None:
    store = Store(_old_store(tmp_path))
    store.copy_to(tmp_path / "copy.sqlite")
    copied = Store(tmp_path / "copy.sqlite")
    assert copied.schema_version() == schema.SCHEMA_VERSION
    assert [t["article_id"] for t in copied.stored_texts()] == ["2f4df66f69cb"]


def test_two_openers_of_an_old_store_at_once_migrate_it_once(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    Store(path)
    con = sqlite3.connect(path)  # an older layout: one column fewer, no version
    con.execute("ALTER TABLE mentions DROP COLUMN rule")
    con.execute("PRAGMA user_version = 0")
    con.commit()
    con.close()
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            Store(path)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _stored_columns(path, "mentions") == schema.TABLES["mentions"]
    assert _user_version(path) == schema.SCHEMA_VERSION


def _pointer_nulls(path: Path) -> int:
    return sum(sum(v is None for (v,) in stored(path, t, f'"{c}"')) for t, cols in schema.POINTERS.items() for c in cols)


def _snapshot(path: Path) -> dict[str, object]:
    """What an opener could have changed: the version, every table's columns, every row."""
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {
            "user_version": con.execute("PRAGMA user_version").fetchone()[0],
            **{f"{t}:columns": [r[1] for r in con.execute(f"PRAGMA table_info({t})")] for t in tables},
            **{t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables},
        }
    finally:
        con.close()


@pytest.mark.parametrize("dump", [OLD_DUMP, V2_DUMP], ids=["8c137a2", "v2-4e002e5"])
def test_an_old_store_is_compacted_on_open_and_reads_and_exports_as_before(tmp_path: Path, dump: Path) -> None:
    """Evidence stored once (schema 3): the copies of an older store become pointers, the values do not change."""
    path = _old_store(tmp_path, dump)
    assert _pointer_nulls(path) == 0
    before_raw = Store(path, read_only=True).load_raw()  # read as that release stored it
    before = load_tables(Store(path, read_only=True), include_reference=False)
    store = Store(path)
    assert store.schema_version() == schema.SCHEMA_VERSION >= 3
    assert _pointer_nulls(path) > 0  # the evidence, sentence and mention copies became pointers
    after_raw = store.load_raw()
    for table in schema.DERIVED_TABLES:
        pd.testing.assert_frame_equal(before_raw[table], after_raw[table])
    after = load_tables(store, include_reference=False)
    out_before = {p.name: p.read_bytes() for p in write_csvs(before, tmp_path / "before")}
    out_after = {p.name: p.read_bytes() for p in write_csvs(after, tmp_path / "after")}
    assert out_before == out_after


@pytest.mark.parametrize("dump", [OLD_DUMP, V2_DUMP], ids=["8c137a2", "v2-4e002e5"])
def test_a_migration_that_fails_leaves_the_old_store_as_it_was(tmp_path: Path, dump: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One transaction: columns added, resolution and compaction all undone together when a step fails."""
    path = _old_store(tmp_path, dump)
    before = _snapshot(path)

    def broken(*args: object, **kwargs: object) -> list:
        raise RuntimeError("disk on fire")

    with monkeypatch.context() as m:
        m.setattr(evidence, "compact", broken)  # the last step: compacting the stored copies
        with pytest.raises(RuntimeError, match="disk on fire"):
            Store(path)
    assert _snapshot(path) == before
    assert Store(path).schema_version() == schema.SCHEMA_VERSION  # and it opens once the cause is gone
    assert _pointer_nulls(path) > 0
