"""The corpus store: SQLite, one file, raw texts as the source of truth.

Why SQLite: it ships with Python (nothing to install), a whole article goes in or not at all
in one transaction, WAL mode lets dashboard readers run while a writer adds articles, and the
store is one file a user can copy to back it up. Derived tables are rebuilt from the stored
texts whenever the extractor improves (``python -m core rebuild``).

Every table's columns come from :mod:`core.domain.schema`; every INSERT names its columns. The store
records the layout it was written with (``PRAGMA user_version``) and brings an older store up to
date when it opens it (missing columns added with their defined default), so a store from an
earlier release opens without a rebuild. The article text is stored once: the evidence, sentence and
mention cells that are slices of it are kept as pointers (NULL) and filled back when read
(:mod:`core.storage.evidence`, :func:`read_rows`). All SQL of the product runs here (and, for event
resolution, in :mod:`core.storage.resolve_store`, which this module calls); the store imports neither the
ingest nor the table assembly: :func:`core.io.ingest.open_store` seeds a new store and
:func:`core.query.tables.load_tables` turns the stored rows into the product's tables.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from core.domain.schema import CLUSTERED, DEFAULTS, DERIVED_TABLES, INTERNED, INTERNED_FROM, POINTERS, SCHEMA_VERSION, columns
from core.errors import ArticleError
from core.storage import changelog, clusters, evidence, packing, rowpack
from core.storage import resolve_store as resolution

_DERIVED = DERIVED_TABLES
#: SQL declarations of the ``texts`` columns that carry a constraint (the others are TEXT). The
#: derived tables' columns are declared without a type, as they always were: SQLite then keeps each
#: value as written (no affinity turning 5 into "5"), which the exports depend on.
_TEXTS_DECL = {"article_id": "TEXT PRIMARY KEY", "content_hash": "TEXT UNIQUE"}


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in names)


def _create_sql(table: str) -> str:
    if table == "texts":
        cols = ", ".join(f"{c} {_TEXTS_DECL.get(c, 'TEXT')}" for c in columns(table))
    else:
        cols = _quoted(columns(table))
        if table in CLUSTERED:
            cols = f'"{clusters.ROW}" INTEGER PRIMARY KEY, {cols}'  # rowids kept by VACUUM (clusters name them)
    return f"CREATE TABLE IF NOT EXISTS {table} ({cols})"


def _insert_sql(table: str, cols: list[str] | None = None) -> str:
    cols = columns(table) if cols is None else cols
    return f"INSERT INTO {table} ({_quoted(cols)}) VALUES ({','.join('?' * len(cols))})"


def _literal(value: object) -> str:
    """A column default as SQL (ALTER TABLE takes no parameters)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


@dataclass
class IngestResult:
    source_file: str
    status: str  # added | duplicate | rejected
    article_id: str = ""
    message: str = ""
    counts: dict[str, int] | None = None
    code: str = ""  # the error code of a rejection (E001…)


@contextmanager
def _committed(con: sqlite3.Connection) -> Iterator[None]:
    """COMMIT the open transaction when the block ends, ROLLBACK on any exception — attempted only
    while a transaction is still open (SQLite ends one itself on a full disk), so the error the user
    sees is the real one, not "cannot rollback"."""
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            with suppress(sqlite3.Error):
                con.execute("ROLLBACK")
        raise


class Store:
    """One SQLite file; every public method opens its own connection (thread-safe).

    A store whose file (or folder) cannot be written opens read-only: reading works, every write
    is refused with ``E014``. SQLite's own errors never reach the user raw: a folder or a file that
    is not SQLite is ``E013``, a full disk ``E015``, a lock that outlasts the wait ``E010``.
    """

    def __init__(self, path: str | Path, read_only: bool | None = None) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise ArticleError("E013", path=self.path, detail="it is a folder, not a file")
        if self.path.exists() and not _looks_like_sqlite(self.path):
            raise ArticleError("E013", path=self.path, detail="it is not an SQLite store")
        self.read_only = (not _writable(self.path)) if read_only is None else read_only
        self._immutable = False
        if self.read_only:
            if not self.path.exists():
                raise ArticleError("E016", path=self.path)
            self._check_readable()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ArticleError("E013", path=self.path, detail=exc.strerror or str(exc)) from None
        with _storage_errors(self.path):
            self._init()

    def _check_readable(self) -> None:
        """A read-only WAL store may lack its -shm file, which read-only SQLite cannot create:
        then it is opened as immutable (nothing can change it through us anyway)."""
        try:
            with self.connect() as con:
                con.execute("SELECT COUNT(*) FROM texts").fetchone()
        except ArticleError:
            self._immutable = True
            with self.connect() as con:
                con.execute("SELECT COUNT(*) FROM texts").fetchone()

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection; a bulk ingest or rebuild keeps one for all its transactions (opening one
        per article cost more than writing it)."""
        with _storage_errors(self.path):
            if self.read_only:
                flag = "immutable=1" if self._immutable else "mode=ro"
                con = sqlite3.connect(f"{self.path.resolve().as_uri()}?{flag}", uri=True, timeout=30, isolation_level=None)
            else:
                con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                if not self.read_only:
                    con.execute("PRAGMA journal_mode=WAL")
                    # WAL + NORMAL: a crash can lose the last commits but never corrupts the file;
                    # FULL syncs the disk on every article and halved ingest speed
                    con.execute("PRAGMA synchronous=NORMAL")
                con.execute("PRAGMA busy_timeout=30000")
                yield con
            finally:
                con.close()

    def _using(self, con: sqlite3.Connection | None) -> AbstractContextManager[sqlite3.Connection]:
        """The caller's connection when it has one, else a new one for this call."""
        return nullcontext(con) if con is not None else self.connect()

    @contextmanager
    def transaction(self, con: sqlite3.Connection | None = None) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception (on ``con`` when given).

        The rollback is attempted only while a transaction is open (SQLite ends one itself on a
        full disk), so the error the user sees is the real one, not "cannot rollback".
        """
        if self.read_only:
            raise ArticleError("E014", path=self.path, detail="its file or folder cannot be written")
        with self._using(con) as con, _storage_errors(self.path):
            for attempt in range(5):
                try:
                    con.execute("BEGIN IMMEDIATE")
                    break
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc):
                        raise
                    if attempt == 4:
                        raise ArticleError("E010") from None
                    time.sleep(0.2 * (attempt + 1))
            with _committed(con):
                yield con
                con.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'")
                changelog.trim(con)

    def _init(self) -> None:
        with self.connect() as con:
            if not self._current(con):
                con.execute("BEGIN IMMEDIATE")
                with _committed(con):
                    if not self._current(con):  # another opener may have migrated it while we waited
                        self._migrate(con)
            resolution.ensure_schema(con)
            resolution.backfill(con)  # a store made before event resolution: resolved once, here

    def _current(self, con: sqlite3.Connection) -> bool:
        """Whether the store is at :data:`core.domain.schema.SCHEMA_VERSION` (or newer) with every table and
        column defined: then opening it writes nothing."""
        if con.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            return False
        tables = ("meta", "texts", "strings", clusters.TABLE, changelog.TABLE, *_DERIVED)
        return all(_has_table(con, t) for t in tables) and rowpack.has_schema(con, CLUSTERED) and not self._missing_columns(con)

    def _missing_columns(self, con: sqlite3.Connection) -> list[tuple[str, str]]:
        """(table, column) pairs :mod:`core.domain.schema` defines that the stored tables lack."""
        missing = []
        for table in ("texts", *_DERIVED):
            present = {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
            missing += [(table, c) for c in columns(table) if c not in present]
        return missing

    def _migrate(self, con: sqlite3.Connection) -> None:
        """Create a new store, or bring one written by an earlier release up to
        :data:`core.domain.schema.SCHEMA_VERSION`, inside the caller's one write transaction (a failure
        anywhere leaves the store exactly as it was).

        Missing tables are created and missing columns added with their defined default (NULL unless
        :data:`core.domain.schema.DEFAULTS` names one), so rows stored before keep their values and read the
        new column as empty; a store from before event resolution is resolved (from its stored rows,
        before they are compacted); a store from before version 3 has its copies of the article text
        compacted into pointers (:meth:`_compact_stored`); the version is then recorded. Nothing is
        written when the store is current, so opening a store never invalidates the dashboard's
        caches; two processes opening the same old store at once migrate it once (the check is
        repeated inside the write lock). A store from a newer release is left as it is: its extra
        columns are ignored, as every INSERT names its columns.
        """
        stored = con.execute("PRAGMA user_version").fetchone()[0]
        if _has_table(con, clusters.TABLE):
            # the layout of version 6 whatever the recorded version says: its cells must not be converted again
            stored = max(stored, 6)
        con.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        con.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('version', '0')")
        con.execute(_create_sql("texts"))
        for table in _DERIVED:
            con.execute(_create_sql(table))
            if table not in CLUSTERED or stored < 6:  # (dropped again by the conversion to version 6)
                con.execute(f"CREATE INDEX IF NOT EXISTS {table}_article ON {table} (article_id)")
        added: dict[str, list[str]] = {}
        missing = self._missing_columns(con)
        # a version-7 store's records hold no cell for a new column: back to rows, added to, packed again below
        repack = rowpack.unpack(con, sorted({t for t, _ in missing if t in CLUSTERED})) if stored >= 7 else []
        for table, col in missing:
            default = DEFAULTS.get(table, {}).get(col)
            con.execute(f'ALTER TABLE {table} ADD COLUMN "{col}" DEFAULT {_literal(default)}')
            if col in INTERNED.get(table, ()):
                added.setdefault(table, []).append(col)
        resolution.ensure_schema(con)
        changelog.ensure_schema(con)  # starts at the current version (the log's trigger needs ``resolution``)
        resolution.backfill(con)  # reads the events as that release stored them
        if stored < 3:
            self._compact_stored(con)
        if stored < 5:
            packing.pack_stored(con)  # after the two above, which read the cells and texts as stored
        if stored < 6:
            self._compact_layout(con)
        if stored >= 5 and added:
            # an interned column added to a packed store holds its default as a value: made an id
            packing.intern_columns(con, added)
        if (stored < 7 and rowpack.PACK_ROWS) or repack:  # last: the steps above work on rows
            rowpack.convert(con, CLUSTERED if stored < 7 else repack, clusters.spans(con))
        packing.ensure_schema(con)
        clusters.ensure_schema(con)
        rowpack.ensure_schema(con, CLUSTERED)
        version = max(SCHEMA_VERSION, stored)
        con.execute(f"PRAGMA user_version = {int(version)}")
        con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)", (str(version),))

    def _compact_layout(self, con: sqlite3.Connection) -> None:
        """A store of version 5 (or an older one, just packed) in the layout of version 6: ``strings``
        looked up by hash, the columns interned from version 6 interned, the clustered tables' runs
        recorded and their indexes on ``article_id`` dropped (:mod:`core.storage.clusters`), the texts
        compressed with the preset dictionary. Values read back are unchanged."""
        packing.convert_strings(con)
        packing.intern_columns(con, INTERNED_FROM[6])
        cells = " UNION ".join(f"SELECT article_id FROM {t}" for t in CLUSTERED)
        article_of = dict(con.execute(f"SELECT id, value FROM strings WHERE id IN ({cells})").fetchall()) if packing.PACK else {}
        clusters.convert(con, article_of)
        packing.repack_texts(con)

    def _compact_stored(self, con: sqlite3.Connection) -> None:
        """The rows of a store from before version 3, evidence stored once: each cell of
        :data:`core.domain.schema.POINTERS` that is the stored text between its offsets becomes NULL (read back
        as that text), one article at a time; a NULL such a cell held (a column added later) becomes ""
        (it always read as empty), since NULL now means "slice". Values read are unchanged."""
        layout = {t: [r[1] for r in con.execute(f"PRAGMA table_info({t})")] for t in POINTERS}
        for table, pointers in POINTERS.items():
            for col in pointers:
                con.execute(f'UPDATE {table} SET "{col}" = \'\' WHERE "{col}" IS NULL')
        if not evidence.STORE_ONCE:
            return
        for (article_id,) in con.execute("SELECT article_id FROM texts").fetchall():
            text = packing.unpack_text(con.execute("SELECT text FROM texts WHERE article_id=?", (article_id,)).fetchone()[0]) or ""
            spans = {
                sid: (a, b)
                for sid, a, b in con.execute("SELECT sentence_id, start_char, end_char FROM sentences WHERE article_id=?", (article_id,))
            }
            for table, cols in layout.items():
                stored = con.execute(f"SELECT rowid, * FROM {table} WHERE article_id=?", (article_id,)).fetchall()
                if not stored:
                    continue
                compacted = evidence.compact(table, cols, [r[1:] for r in stored], text, spans)
                for col in POINTERS[table]:
                    i = cols.index(col)
                    ids = [(r[0],) for r, c in zip(stored, compacted, strict=True) if c[i] is None]
                    if ids:
                        con.executemany(f'UPDATE {table} SET "{col}" = NULL WHERE rowid=?', ids)

    def schema_version(self) -> int:
        """The layout version the store was written with (:data:`core.domain.schema.SCHEMA_VERSION` once opened
        for writing; 0 for a store from before versions were recorded, opened read-only)."""
        with self.connect() as con:
            return int(con.execute("PRAGMA user_version").fetchone()[0])

    # ---- reading -------------------------------------------------------------------------
    def version(self, con: sqlite3.Connection | None = None) -> int:
        with self._using(con) as c:
            return int(c.execute("SELECT value FROM meta WHERE key='version'").fetchone()[0])

    def changes_since(self, version: int, log_id: str | None = None, con: sqlite3.Connection | None = None) -> changelog.Changes | None:
        """What the writes after ``version`` changed, up to the current version (:mod:`core.storage.changelog`);
        None when the log cannot tell (trimmed past it, a store from before the log, another store's
        log than ``log_id`` names)."""
        with self._using(con) as c:
            return changelog.since(c, version, log_id)

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A connection inside one read transaction: every read on it sees the same store version
        (WAL: a writer may commit meanwhile without the reader seeing half of it)."""
        with self.connect() as con:
            con.execute("BEGIN")
            try:
                yield con
            finally:
                if con.in_transaction:
                    con.execute("COMMIT")

    def article_count(self) -> int:
        with self.connect() as con:
            return con.execute("SELECT COUNT(*) FROM texts").fetchone()[0]

    def has_hash(self, content_hash: str, con: sqlite3.Connection | None = None) -> str | None:
        with self._using(con) as c:
            row = c.execute("SELECT article_id FROM texts WHERE content_hash=?", (content_hash,)).fetchone()
        return row[0] if row else None

    def text_of(self, article_id: str) -> str | None:
        with self.connect() as con:
            row = con.execute("SELECT text FROM texts WHERE article_id=?", (article_id,)).fetchone()
        return packing.unpack_text(row[0]) if row else None

    def load_raw(self) -> dict[str, pd.DataFrame]:
        """The stored rows of every derived table (evidence and other pointer cells filled from the
        stored text), and the stored event resolution, as read in one connection
        (:func:`core.query.tables.load_tables` assembles them into the product's tables). One read
        transaction: every table of one version, even while a writer commits."""
        with self.snapshot() as con:
            raw = read_rows(con, _DERIVED)
            if not self.read_only or _has_table(con, "resolution"):
                raw["resolution"] = resolution.load(con)
            # else: an older store opened read-only has no stored resolution (nothing may be written);
            # its events are resolved in memory when the tables are assembled
        return raw

    def n_actors_of(self, article_id: str) -> int:
        """Distinct actors named in a stored article (its mentions count names, not actors)."""
        with self.connect() as con:
            mentions = read_rows(con, ["mentions"], [article_id], fill_evidence=False)["mentions"]
        return int(mentions["actor_id"].nunique()) if len(mentions) else 0

    def word_count(self) -> int:
        """Words in the stored articles' bodies (the benchmark's throughput unit)."""
        with self.connect() as con:
            return int(con.execute("SELECT COALESCE(SUM(n_words), 0) FROM articles").fetchone()[0])

    def page_bytes(self) -> dict[str, int]:
        """Bytes on disk per table and index (SQLite's ``dbstat``; empty when this SQLite lacks it):
        what the benchmarks report as the store's size per article."""
        with self.connect() as con:
            try:
                return {name: int(size) for name, size in con.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")}
            except sqlite3.OperationalError:
                return {}

    def vacuum(self) -> None:
        """Give the pages freed by removed or compacted rows back to the file system (SQLite's VACUUM,
        after a checkpoint of the WAL): the file then measures what the store holds."""
        if self.read_only:
            raise ArticleError("E014", path=self.path, detail="its file or folder cannot be written")
        with self.connect() as con:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            con.execute("VACUUM")
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def copy_to(self, dst: str | Path) -> None:
        """A consistent copy of the whole store at ``dst`` (SQLite's online backup: readers and a
        writer may keep working meanwhile)."""
        with self.connect() as con, _storage_errors(Path(dst)):
            target = sqlite3.connect(dst)
            try:
                con.backup(target)
            finally:
                target.close()

    def is_seeded(self) -> bool:
        """Whether the bundled articles were offered to this store once (a user's removal of them is kept)."""
        with self.connect() as con:
            return con.execute("SELECT value FROM meta WHERE key='seeded'").fetchone() is not None

    def mark_seeded(self) -> None:
        with self.connect() as con:
            con.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('seeded', '1')")

    # ---- writing -------------------------------------------------------------------------
    def write_article(self, rows: dict[str, list[dict]], raw_text: dict, con: sqlite3.Connection | None = None) -> None:
        """Insert one article's text and rows in one transaction."""
        with self.transaction(con) as tx:
            self._insert(tx, rows, raw_text)

    def add_article(self, rows: dict[str, list[dict]], raw_text: dict, con: sqlite3.Connection | None = None) -> str | None:
        """Insert one article unless the same text is stored: None when added, else the stored
        article's id. The check runs inside the write transaction, so of two writers adding the
        same text at once one adds it and the other is told it is already present."""
        with self.transaction(con) as tx:
            return self._add_new(tx, rows, raw_text)

    def add_articles(self, batch: Iterable[tuple[dict[str, list[dict]], dict]], con: sqlite3.Connection | None = None) -> list[str | None]:
        """Many articles in ONE transaction, each as :meth:`add_article` would add it (same duplicate
        rules, same resolution), in the order given: all of them are stored or none. ``batch`` may be a
        generator, so an archive's partitions are read one at a time while they are written. Returns,
        per article, None when added, else the id of the stored article with the same text (an
        article earlier in the same batch included)."""
        # Their events are resolved in batches, as a bulk ingest resolves them, inside this one
        # transaction (the batch's own "transaction" is the open one), so an adoption and an ingest
        # of the same files leave the same resolved events.
        with self.transaction(con) as tx, resolution.deferred(tx, nullcontext, inside=True) as pending:
            added = []
            for rows, raw_text in batch:
                added.append(self._add_new(tx, rows, raw_text))
                pending.flush_if_full()
            return added

    def _add_new(self, tx: sqlite3.Connection, rows: dict[str, list[dict]], raw_text: dict) -> str | None:
        """One article inside the caller's transaction unless its text (or id) is stored: the one place
        the duplicate rules live, for :meth:`add_article` and :meth:`add_articles` alike."""
        existing = self.has_hash(raw_text["content_hash"], tx)
        if existing is None:
            row = tx.execute("SELECT article_id FROM texts WHERE article_id=?", (raw_text["article_id"],)).fetchone()
            existing = row[0] if row else None
        if existing is not None:
            return existing
        self._insert(tx, rows, raw_text)
        return None

    def _insert(self, con: sqlite3.Connection, rows: dict[str, list[dict]], raw_text: dict) -> None:
        record = {**raw_text, "added_at": datetime.now(UTC).isoformat(timespec="seconds")}
        required = ("article_id", "content_hash", "source_file", "text", "encoding", "format")
        text = record["text"]
        record["text"] = packing.pack_text(text)
        con.execute(_insert_sql("texts"), tuple(record[c] if c in required else record.get(c, "") for c in columns("texts")))
        self._insert_derived(con, rows, text or "", record["article_id"])
        changelog.record(con, record["article_id"], changelog.ADDED)
        resolution.attach(con, rows)  # its events join the resolved events they tell (core.storage.resolve_store)

    def _insert_derived(
        self, con: sqlite3.Connection, rows: dict[str, list[dict]], text: str | None = None, article_id: str | None = None
    ) -> None:
        """One article's rows (its text already stored, or given as ``text``), their copies of that text
        kept as pointers, their repeated cells as string ids (:mod:`core.storage.packing`), and the rows
        of the clustered tables as one run of rowids (:mod:`core.storage.clusters`)."""
        if article_id is None:
            article_id = next((r.get("article_id") for t in _DERIVED for r in rows.get(t, [])[:1]), None)
        if text is None:
            row = con.execute("SELECT text FROM texts WHERE article_id=?", (article_id,)).fetchone() if article_id else None
            text = (packing.unpack_text(row[0]) or "") if row else ""
        spans = evidence.sentence_spans(rows.get("sentences", []))
        compacted = {}
        for table in _DERIVED:
            cols = columns(table)
            data = [_cells(r, cols) for r in rows.get(table, [])]
            if data:
                compacted[table] = (cols, evidence.compact(table, cols, data, text, spans))
        base = clusters.next_rowid(con) if isinstance(article_id, str) else None
        at = base
        for table, encoded in packing.encode_tables(con, compacted).items():
            cols, plain = compacted[table]
            if table in CLUSTERED and at is not None and isinstance(article_id, str):
                marked = clusters.mark(table, cols, plain, encoded, article_id)
                if rowpack.PACK_ROWS:
                    rowpack.insert(con, table, cols, at, marked)
                else:
                    con.executemany(_insert_sql(table, ["rowid", *cols]), [(at + i, *r) for i, r in enumerate(marked)])
                at += len(marked)
            else:
                con.executemany(_insert_sql(table, cols), encoded)
        if base is not None and at is not None and at > base:
            clusters.add(con, article_id, base, at - 1)  # type: ignore[arg-type]

    def replace_derived(self, con: sqlite3.Connection, article_id: str, rows: dict[str, list[dict]]) -> None:
        changelog.record(con, article_id, changelog.REWRITTEN)
        resolution.detach(con, article_id)
        _delete_rows(con, article_id)
        self._insert_derived(con, rows, article_id=article_id)
        resolution.attach(con, rows)

    def replace_if_unchanged(self, con: sqlite3.Connection, article_id: str, user_date: str, rows: dict[str, list[dict]]) -> bool:
        """A rebuild's rows for one article, written only when the article is still stored with the
        date they were computed from (a ``remove`` or ``set-date`` that ran meanwhile wins)."""
        with self.transaction(con) as tx:
            row = tx.execute("SELECT user_date FROM texts WHERE article_id=?", (article_id,)).fetchone()
            if row is None or (row[0] or "") != (user_date or ""):
                return False
            self.replace_derived(tx, article_id, rows)
        return True

    def delete_article(self, article_id: str) -> bool:
        with self.transaction() as con:
            cur = con.execute("DELETE FROM texts WHERE article_id=?", (article_id,))
            changelog.record(con, article_id, changelog.REMOVED)
            resolution.detach(con, article_id)
            _delete_rows(con, article_id)
        return cur.rowcount > 0

    def stored_texts(self) -> list[dict]:
        with self.connect() as con:
            con.row_factory = sqlite3.Row
            return [_text_row(r) for r in con.execute("SELECT * FROM texts ORDER BY added_at, article_id")]

    def stored_text(self, article_id: str) -> dict | None:
        """One article's ``texts`` row (as :meth:`stored_texts` gives it), or None when it is not stored."""
        with self.connect() as con:
            con.row_factory = sqlite3.Row
            r = con.execute("SELECT * FROM texts WHERE article_id=?", (article_id,)).fetchone()
        return _text_row(r) if r else None

    def set_user_date(self, article_id: str, value: date | None, rows: dict[str, list[dict]] | None = None) -> None:
        """Store a user's publication date (and, when given, the article's rows re-dated with it) in one
        transaction; ``E011`` when the article is not stored (it was removed meanwhile)."""
        with self.transaction() as con:
            cur = con.execute("UPDATE texts SET user_date=? WHERE article_id=?", (value.isoformat() if value else "", article_id))
            if cur.rowcount == 0:
                raise ArticleError("E011", article_id=article_id)
            changelog.record(con, article_id, changelog.REWRITTEN)
            if rows is not None:
                self.replace_derived(con, article_id, rows)


def read_rows(
    con: sqlite3.Connection,
    tables: tuple[str, ...] | list[str],
    article_ids: list[str] | None = None,
    *,
    in_order: bool = False,
    fill_evidence: bool = True,
) -> dict[str, pd.DataFrame]:
    """The stored rows of ``tables`` (derived tables) as frames, every pointer cell of a version-3 store
    (:data:`core.domain.schema.POINTERS`) filled with its stored text: what any reader of evidence must use
    instead of ``SELECT *`` (a store of an earlier version, opened read-only, holds copies: read as stored).
    With ``article_ids``, only those articles' rows (at most a few hundred ids per call); ``in_order``:
    in the order a whole-table read gives them (rowid), as :func:`core.query.tables.apply_changes` needs
    (always so from version 6). ``fill_evidence`` off: pointer cells left empty (a reader that does not
    read them)."""

    strings: dict = {}  # the strings table, read once for every table decoded here
    version = packing.layout_version(con)
    runs: dict[str, pd.DataFrame] = {}  # the clusters' runs, read once (version 6)

    def select(table: str, what: str = "*") -> pd.DataFrame:
        if version >= 6 and table in CLUSTERED:
            if "runs" not in runs:
                runs["runs"] = clusters.spans(con, article_ids)
            return _select_clustered(con, table, what, runs["runs"], article_ids, strings)
        where, params = "", ()
        if article_ids is not None:
            keys = packing.keys_of(con, table, article_ids)
            where, params = f" WHERE article_id IN ({','.join('?' * len(keys))})", tuple(keys)
            if in_order:
                where += " ORDER BY rowid"
        frame = pd.read_sql_query(f"SELECT {what} FROM {table}{where}", con, params=params)
        return packing.decode_frame(con, table, frame, whole=article_ids is None, shared=strings)

    frames = {t: select(t) for t in tables}
    if version >= 3 and fill_evidence:
        if any(p == "sentence" for t in tables for p in POINTERS.get(t, {}).values()) and "sentences" not in frames:
            # an amount's evidence points at its sentence: the sentences' offsets, not kept in the result
            sentences = select("sentences", "article_id, sentence_id, start_char, end_char")
            evidence.fill({**frames, "sentences": sentences}, lambda ids: _texts(con, ids))
        else:
            evidence.fill(frames, lambda ids: _texts(con, ids))
    return frames


def _select_clustered(
    con: sqlite3.Connection, table: str, what: str, runs: pd.DataFrame, article_ids: list[str] | None, strings: dict
) -> pd.DataFrame:
    """Rows of a clustered table of a version-6 store (all, or those of ``article_ids``, in rowid order)
    as :func:`read_rows` gives them: cells decoded, ``article_id`` and sequence ids filled in
    (:mod:`core.storage.clusters`)."""
    if what == "*":  # the stored columns, not the rowid's own
        what = _quoted([r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] != clusters.ROW])
    frame = clusters.select(con, table, what, None if article_ids is None else runs)
    rowids = frame.pop("_rowid_").to_numpy(dtype=np.int64)
    blank, skip = None, []
    if "article_id" in frame.columns:
        cells = frame["article_id"]
        blank = cells.isna().to_numpy()  # NULL: the run's article (filled after decoding)
        if blank.all():
            skip = ["article_id"]  # the usual case: nothing to decode there
        elif blank.any() and cells.dtype.kind in "fiu":
            frame["article_id"] = cells.fillna(0).astype(np.int64)  # all ids then, as the decoder wants them
    frame = packing.decode_frame(con, table, frame, whole=article_ids is None, shared=strings, skip=skip)
    return clusters.fill(frame, table, rowids, runs, article_ids, blank)


def _text_row(r: sqlite3.Row) -> dict:
    """A ``texts`` row as a dict, its text uncompressed."""
    return {**dict(r), "text": packing.unpack_text(r["text"])}


def _delete_rows(con: sqlite3.Connection, article_id: str) -> None:
    """Delete one article's rows from every derived table (a store open for writing is current: the
    clustered tables by their run, the others by ``article_id``)."""
    clusters.delete(con, article_id)
    for table in _DERIVED:
        if table not in CLUSTERED:
            con.execute(f"DELETE FROM {table} WHERE article_id=?", (article_id,))


def _texts(con: sqlite3.Connection, article_ids: list[str]) -> Iterator[tuple[str, str]]:
    """(article_id, text) of the stored articles asked for, one row at a time (the texts are never all
    held at once): by id when they are few, else one pass over the table."""
    if len(article_ids) <= 900:
        for i in range(0, len(article_ids), 450):
            chunk = article_ids[i : i + 450]
            for aid, text in con.execute(f"SELECT article_id, text FROM texts WHERE article_id IN ({','.join('?' * len(chunk))})", chunk):
                yield aid, packing.unpack_text(text)
    else:
        for aid, text in con.execute("SELECT article_id, text FROM texts"):
            yield aid, packing.unpack_text(text)


def _has_table(con: sqlite3.Connection, table: str) -> bool:
    return con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone() is not None


def _looks_like_sqlite(path: Path) -> bool:
    """An empty file (SQLite makes one) or one that starts with SQLite's magic string."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise ArticleError("E013", path=path, detail=exc.strerror or str(exc)) from None
    return head == b"" or head == b"SQLite format 3\x00"


def _writable(path: Path) -> bool:
    """Whether SQLite can write here: the file, and its folder (for the WAL and lock files)."""
    folder = path.parent if path.parent.exists() else next((p for p in path.parents if p.exists()), Path("."))
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(folder, os.W_OK)


def opens_read_only(path: str | Path) -> bool:
    """Whether the store at ``path`` opens read-only (its file or folder cannot be written), asked
    without opening it: the one probe :class:`Store` (hence the command line) and the dashboard
    (which then hides its page that writes) share."""
    return not _writable(Path(path))


@contextmanager
def _storage_errors(path: Path) -> Iterator[None]:
    """SQLite's and the file system's errors as the product's coded ones."""
    try:
        yield
    except ArticleError:
        raise
    except (sqlite3.Error, OSError) as exc:
        text = str(exc).lower()
        if isinstance(exc, sqlite3.IntegrityError):
            raise
        if "full" in text or getattr(exc, "errno", None) == errno.ENOSPC:
            raise ArticleError("E015", detail=str(exc)) from None
        if "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
            raise ArticleError("E014", path=path, detail=str(exc)) from None
        if "locked" in text or "busy" in text:
            raise ArticleError("E010") from None
        raise ArticleError("E013", path=path, detail=str(exc)) from None


#: the types a cell is stored as it is (:func:`_cell` returns them unchanged)
_STORED_AS_IS = frozenset({type(None), int, float, str, bool})


def _cells(row: Mapping[str, object], cols: Sequence[str]) -> tuple:
    """A row's cells in ``cols`` order, each as :func:`_cell` makes it: the usual row (every value
    None, a number or a string) in one pass, without a call per cell."""
    values = tuple(map(row.get, cols))
    if _STORED_AS_IS.issuperset(map(type, values)):
        return values
    return tuple(_cell(v) for v in values)


def _cell(v: object) -> object:
    if v is None or isinstance(v, (int, float, str)):
        return v
    if isinstance(v, date):
        return v.isoformat()
    return str(v)
