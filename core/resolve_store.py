"""Event resolution kept in the store, incrementally (the SQL side of :mod:`core.resolve`).

Why: re-resolving the corpus for every added article would make ingest quadratic. The store keeps,
per event, what resolution needs (date window, level, roots, states, persons) in ``resolution``, and
its blocking keys (dyad, act, 8-day bucket) in the indexed ``resolution_keys``. Adding an article
looks up only the stored reports sharing a key with its events, follows links from those for two
steps, takes in the whole resolved events they reach and resolves that part again; the decisions of
:func:`core.resolve.resolve` depend only on linked reports, so the groups come out as resolving
everything at once (the tests ingest one by one and all at once and compare). Removing an article
detaches its reports and resolves what they touched again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Mapping
from datetime import date
from functools import cache, lru_cache

import pandas as pd

from core import resolve as R

_COLUMNS = ("event_id", "article_id", "resolved_id", "merge_rule", "lo", "hi", "level", "roots", "states", "sentence", "dated", "persons")
_SELECT = ", ".join(f"r.{c}" for c in _COLUMNS)
#: Reports gathered for one re-resolution at most; past it the rest of the chain keeps its groups.
MAX_COMPONENT = 5000


def ensure_schema(con: sqlite3.Connection) -> None:
    """The ``resolution`` table (one row per event) and ``resolution_keys`` (its blocking keys, indexed:
    the candidate lookup of a new report reads only the reports that share a key)."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS resolution (event_id TEXT PRIMARY KEY, article_id TEXT,"
        " resolved_id TEXT, merge_rule TEXT, lo TEXT, hi TEXT, level INTEGER, roots TEXT, states TEXT,"
        " sentence TEXT, dated INTEGER, persons TEXT)"
    )
    con.execute("CREATE TABLE IF NOT EXISTS resolution_keys (key TEXT, event_id TEXT, article_id TEXT)")
    con.execute("CREATE INDEX IF NOT EXISTS resolution_keys_key ON resolution_keys (key)")
    con.execute("CREATE INDEX IF NOT EXISTS resolution_keys_article ON resolution_keys (article_id)")
    con.execute("CREATE INDEX IF NOT EXISTS resolution_article ON resolution (article_id)")
    con.execute("CREATE INDEX IF NOT EXISTS resolution_group ON resolution (resolved_id)")


@cache
def _dictionary_actors() -> tuple[dict[str, str], frozenset[str]]:
    """actor_id → country, and the ids of persons, of the actor dictionary."""
    from core.actors import dictionary

    countries, persons = {}, set()
    for a in dictionary().values():
        c = a.country or (a.actor_id if a.kind == "state" else "")
        if c:
            countries[a.actor_id] = c
        if a.kind == "person":
            persons.add(a.actor_id)
    return countries, frozenset(persons)


def reports_of_rows(rows: Mapping[str, list[dict]], rules: R.Rules) -> list[R.Report]:
    """The reports of one article's rows (as :func:`core.pipeline.to_rows` gives them)."""
    known, known_persons = _dictionary_actors()
    found = {f["actor_id"]: f["country"] for f in rows.get("found_actors", []) if f.get("country")}
    countries = {**found, **known} if found else known  # the dictionary first, as the extractor reads it
    persons = _Either(known_persons, {f["actor_id"] for f in rows.get("found_actors", []) if f.get("kind") == "person"})
    arts = rows.get("articles") or [{}]
    published = R._iso(arts[0].get("published_date"))
    return [R.report_of(e, countries, published, rules, persons) for e in rows.get("events", [])]


class _Either:
    """Membership in either of two sets, without copying the large one."""

    def __init__(self, a: Collection[str], b: Collection[str]) -> None:
        self.a, self.b = a, b

    def __contains__(self, x: object) -> bool:
        return x in self.a or x in self.b


def _split(value: str | None) -> frozenset[str]:
    return frozenset(x for x in (value or "").split(";") if x)


def _stored(row: tuple) -> R.Report:
    return _decode(row[:2] + row[4:])


@lru_cache(maxsize=200_000)
def _decode(row: tuple) -> R.Report:
    """A stored report (memoised: the same stored rows are met again by later articles)."""
    eid, aid, lo, hi, level, roots, states, sentence, dated, persons = row
    return R.Report(
        eid,
        aid,
        R._iso(lo),
        R._iso(hi),
        int(level if level is not None else 3),
        _split(roots),
        _split(states),
        "",
        sentence or "",
        bool((dated or 0) & 1),  # bit 1: dated by its own words; bit 2: anchored
        _split(persons),
        bool((dated or 0) & 2),
    )


def _candidates(con: sqlite3.Connection, reports: list[R.Report], rules: R.Rules) -> list[tuple]:
    """Stored reports sharing a blocking key with any of ``reports`` and a window overlapping theirs
    (one query per 500 keys)."""
    keys = sorted({k for r in reports for k in R.block_keys(r, rules)})
    lo = min(r.lo for r in reports).isoformat()
    hi = max(r.hi for r in reports).isoformat()
    rows: dict[str, tuple] = {}
    for chunk in _chunks(keys, 500):
        marks = ",".join("?" * len(chunk))
        for row in con.execute(
            f"SELECT {_SELECT} FROM resolution_keys k JOIN resolution r USING (event_id) WHERE k.key IN ({marks})"
            " AND r.lo <= ? AND r.hi >= ?",
            [*chunk, hi, lo],
        ):
            rows.setdefault(row[0], row)
    return list(rows.values())


def _component(con: sqlite3.Connection, start: list[R.Report], rules: R.Rules, hops: int = 1) -> dict[str, R.Report]:
    """``start``, the stored reports linked to it within ``hops`` links, and every member of the
    resolved events those belong to: the part of the corpus whose groups a change can alter (a
    change reaches farther only through a vague report whose fit changes; the tests compare)."""
    comp = {r.event_id: r for r in start}
    groups: set[str] = set()
    frontier = [r for r in start if r.datable]
    for _ in range(hops):
        if not frontier or len(comp) >= MAX_COMPONENT:
            break
        keyed: dict[str, list[R.Report]] = {}
        for r in frontier:
            for k in R.block_keys(r, rules):
                keyed.setdefault(k, []).append(r)
        reached = []
        for row in _candidates(con, frontier, rules):
            if row[0] in comp:
                continue
            c = _stored(row)
            near = {id(r): r for k in R.block_keys(c, rules) for r in keyed.get(k, ())}
            if any(R.link_reason(r, c, rules) for r in near.values()):
                comp[c.event_id] = c
                groups.add(row[2])
                reached.append(c)
        frontier = reached
    for chunk in _chunks(sorted(groups), 500):
        marks = ",".join("?" * len(chunk))
        for row in con.execute(f"SELECT {_SELECT} FROM resolution r WHERE r.resolved_id IN ({marks})", chunk):
            comp.setdefault(row[0], _stored(row))
    return comp


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _resolve_part(con: sqlite3.Connection, comp: dict[str, R.Report], rules: R.Rules, new: Mapping[str, R.Report]) -> None:
    """Resolve ``comp`` again and write its groups (new reports inserted, stored ones updated)."""
    if all(eid in new for eid in comp) and len(comp) == 1:
        res = R.Resolution({e: "R" + e for e in comp}, {e: r.why_alone or "alone: no other report fits" for e, r in comp.items()})
    else:
        res = R.resolve(list(comp.values()), rules)
    fresh, changed = [], []
    for eid, r in comp.items():
        rid, rule = res.resolved_id[eid], res.merge_rule[eid]
        if eid in new:
            fresh.append(
                (
                    eid,
                    r.article_id,
                    rid,
                    rule,
                    _d(r.lo),
                    _d(r.hi),
                    r.level,
                    ";".join(sorted(r.roots)),
                    ";".join(sorted(r.states)),
                    r.sentence,
                    int(r.dated) | 2 * int(r.anchored),  # bit 1 dated, bit 2 anchored
                    ";".join(sorted(r.persons)),
                )
            )
        else:
            changed.append((rid, rule, eid))
    if fresh:
        con.executemany(f"INSERT OR REPLACE INTO resolution VALUES ({','.join('?' * len(_COLUMNS))})", fresh)
        con.executemany(
            "INSERT INTO resolution_keys VALUES (?,?,?)",
            [(k, r.event_id, r.article_id) for r in new.values() for k in R.block_keys(r, rules)],
        )
    if changed:
        con.executemany("UPDATE resolution SET resolved_id=?, merge_rule=? WHERE event_id=?", changed)


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def attach(con: sqlite3.Connection, rows: Mapping[str, list[dict]], rules: R.Rules | None = None) -> None:
    """Resolve one stored article's events against the stored reports (inside the caller's transaction)."""
    rules = rules or R.load_rules()
    new = reports_of_rows(rows, rules)
    if not new:
        return  # the tables exist: Store() creates them when it opens a file
    # a report with no blocking key can meet no other: alone, written without resolving
    keyed = [r for r in new if R.block_keys(r, rules)]
    alone = [r for r in new if not R.block_keys(r, rules)]
    if alone:
        _resolve_part(con, {r.event_id: r for r in alone}, rules, {r.event_id: r for r in alone})
    if keyed:
        _resolve_part(con, _component(con, keyed, rules), rules, {r.event_id: r for r in keyed})


def detach(con: sqlite3.Connection, article_id: str, rules: R.Rules | None = None) -> None:
    """Take an article's reports out of their resolved events; what they touched is resolved again."""
    rules = rules or R.load_rules()
    ensure_schema(con)
    touched = con.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM resolution WHERE resolved_id IN"
        " (SELECT resolved_id FROM resolution WHERE article_id=?) AND article_id != ?",
        (article_id, article_id),
    ).fetchall()
    con.execute("DELETE FROM resolution WHERE article_id=?", (article_id,))
    con.execute("DELETE FROM resolution_keys WHERE article_id=?", (article_id,))
    if touched:
        _resolve_part(con, _component(con, [_stored(t) for t in touched], rules), rules, {})


def load(con: sqlite3.Connection) -> pd.DataFrame:
    """event_id → resolved_id and merge_rule, as stored."""
    ensure_schema(con)
    return pd.read_sql_query("SELECT event_id, resolved_id, merge_rule FROM resolution", con)


def backfill(con: sqlite3.Connection, rules: R.Rules | None = None) -> int:
    """Resolve, once, the events of a store made before resolution existed (its ``resolution`` table
    empty while events are stored); returns the number of events resolved. Later articles then
    resolve against these incrementally."""
    if con.execute("SELECT 1 FROM resolution LIMIT 1").fetchone() or not con.execute("SELECT 1 FROM events LIMIT 1").fetchone():
        return 0
    rules = rules or R.load_rules()
    events = pd.read_sql_query("SELECT * FROM events", con)
    articles = pd.read_sql_query("SELECT article_id, published_date FROM articles", con)
    found = pd.read_sql_query("SELECT actor_id, kind, country FROM found_actors", con)
    known, known_persons = _dictionary_actors()
    countries = {**{a: c for a, c in zip(found["actor_id"], found["country"], strict=True) if c}, **known}
    persons = _Either(known_persons, set(found.loc[found["kind"] == "person", "actor_id"]))
    reports = R.reports_from_rows(events.to_dict("records"), countries, R.published_map(articles), rules, persons)
    by_id = {r.event_id: r for r in reports}
    _resolve_part(con, by_id, rules, by_id)
    return len(reports)
