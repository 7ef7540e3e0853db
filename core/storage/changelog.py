"""The store's change log: which articles each write touched, so a reader holding the tables of
version V can bring them to version W by re-reading only those articles (issue 14, "Writes are
incremental"; :func:`core.query.tables.apply_changes`).

Why a log and not a diff: the dashboard re-read the whole corpus after every add, re-date or removal
(8 s at 5,000 articles) to learn what one write changed, which the writer knew. Each write
transaction records, under the version it is about to commit, one row per (article, what happened):

- ``added``, ``rewritten`` (re-dated, rebuilt), ``removed``: the article's rows changed or went;
- ``regrouped``: rows of the article's events in ``resolution`` changed group or merge rule (a trigger
  on ``resolution`` writes these, so every path that regroups stored reports is logged, whichever
  module runs it), or its events were resolved after it was stored (a bulk ingest's batch).

The resolved events a write touched are the groups of those articles' events before and after, which
the reader knows from its own tables and from the store: nothing else is logged. The log keeps
:data:`KEEP_VERSIONS` versions (trimmed every :data:`TRIM_EVERY` writes); a reader further behind, or
holding a store from before the log (``meta.changes_from`` absent), reads the whole corpus as before.
``meta.changes_id`` is a random token made with the log: tables read from one store file are never
brought forward with the log of another file put at the same path.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

TABLE = "changes"
ADDED, REWRITTEN, REMOVED, REGROUPED = "added", "rewritten", "removed", "regrouped"
#: Versions the log answers for behind the newest (a reader further behind reloads everything).
KEEP_VERSIONS = 4096
#: Trim the log once every this many versions (a DELETE on the version index; cheap, but not per write).
TRIM_EVERY = 256

_NEXT_VERSION = "SELECT CAST(value AS INTEGER) + 1 FROM meta WHERE key = 'version'"


@dataclass(frozen=True)
class Changes:
    """What the versions ``(since, version]`` changed: the articles whose rows were added, rewritten or
    removed (``rewritten``), and the other articles whose events changed resolved event (``regrouped``)."""

    since: int
    version: int
    log_id: str
    rewritten: frozenset[str]
    regrouped: frozenset[str]

    @property
    def empty(self) -> bool:
        return not self.rewritten and not self.regrouped


def ensure_schema(con: sqlite3.Connection) -> None:
    """The log table, the trigger that logs regrouped reports, and the version the log starts at (the
    current one: a store gaining the log answers only for the writes after it). Needs ``meta`` and
    ``resolution`` to exist; inside the caller's write transaction."""
    from core.storage.resolve_store import REGROUPED_ARTICLE  # here: that module imports this one

    con.execute(
        f"CREATE TABLE IF NOT EXISTS {TABLE} (version INTEGER NOT NULL, article_id TEXT NOT NULL, op TEXT NOT NULL,"
        " PRIMARY KEY (version, article_id, op)) WITHOUT ROWID"
    )
    con.execute(
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_regrouped AFTER UPDATE OF resolved_id, merge_rule ON resolution"
        " WHEN OLD.resolved_id IS NOT NEW.resolved_id OR OLD.merge_rule IS NOT NEW.merge_rule BEGIN"
        f" INSERT OR IGNORE INTO {TABLE} (version, article_id, op) SELECT CAST(value AS INTEGER) + 1, {REGROUPED_ARTICLE},"
        f" '{REGROUPED}' FROM meta WHERE key = 'version'; END"
    )
    con.execute("INSERT OR IGNORE INTO meta (key, value) SELECT 'changes_from', value FROM meta WHERE key = 'version'")
    con.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('changes_id', ?)", (secrets.token_hex(8),))


def record(con: sqlite3.Connection, article_id: str, op: str) -> None:
    """Log one article's change under the version the caller's write transaction will commit."""
    con.execute(
        f"INSERT OR IGNORE INTO {TABLE} (version, article_id, op) SELECT CAST(value AS INTEGER) + 1, ?, ? FROM meta WHERE key = 'version'",
        (article_id, op),
    )


def record_many(con: sqlite3.Connection, article_ids: Iterable[str], op: str) -> None:
    """:func:`record` for many articles of one transaction."""
    (version,) = con.execute(_NEXT_VERSION).fetchone()
    con.executemany(f"INSERT OR IGNORE INTO {TABLE} (version, article_id, op) VALUES (?, ?, ?)", [(version, a, op) for a in article_ids])


def trim(con: sqlite3.Connection) -> None:
    """Forget the versions more than :data:`KEEP_VERSIONS` behind (after the caller's version bump)."""
    (version,) = con.execute("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'version'").fetchone()
    if version % TRIM_EVERY or version <= KEEP_VERSIONS:
        return
    cut = version - KEEP_VERSIONS
    con.execute(f"DELETE FROM {TABLE} WHERE version <= ?", (cut,))
    con.execute("UPDATE meta SET value = CAST(MAX(CAST(value AS INTEGER), ?) AS TEXT) WHERE key = 'changes_from'", (cut,))


def since(con: sqlite3.Connection, version: int, log_id: str | None = None) -> Changes | None:
    """The changes of the versions after ``version`` up to the current one; None when the log cannot
    say (no log, trimmed past ``version``, ``version`` ahead of the store, or another log than ``log_id``)."""
    if con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (TABLE,)).fetchone() is None:
        return None
    meta = dict(con.execute("SELECT key, value FROM meta WHERE key IN ('version', 'changes_from', 'changes_id')").fetchall())
    if "changes_from" not in meta or (log_id is not None and meta.get("changes_id") != log_id):
        return None
    current, start = int(meta["version"]), int(meta["changes_from"])
    if version < start or version > current:
        return None
    rewritten: set[str] = set()
    regrouped: set[str] = set()
    for article_id, op in con.execute(f"SELECT article_id, op FROM {TABLE} WHERE version > ? AND version <= ?", (version, current)):
        (regrouped if op == REGROUPED else rewritten).add(article_id)
    return Changes(version, current, str(meta.get("changes_id", "")), frozenset(rewritten), frozenset(regrouped - rewritten))
