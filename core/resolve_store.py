"""Event resolution kept in the store, incrementally (the SQL side of :mod:`core.resolve`).

Why: re-resolving the corpus for every added article would make ingest quadratic. The store keeps,
per event, what resolution needs (its date window, level, roots, states) and the resolved event it
belongs to, in the ``resolution`` table. Adding an article looks up only the stored reports its
events can link to (by date window, through an index), follows links from those until no new report
is reached (the connected part of the link graph) and resolves that part again; every decision of
:func:`core.resolve.resolve` depends only on linked reports, so the groups are the same as resolving
everything at once. Removing an article detaches its reports and resolves what they touched again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache

import pandas as pd

from core import resolve as R

_COLUMNS = ("event_id", "article_id", "resolved_id", "merge_rule", "lo", "hi", "level", "roots", "states", "sentence", "dated")
#: Reports gathered for one re-resolution at most; past it the rest of the chain keeps its groups.
MAX_COMPONENT = 5000


def ensure_schema(con: sqlite3.Connection) -> None:
    con.execute(
        "CREATE TABLE IF NOT EXISTS resolution (event_id TEXT PRIMARY KEY, article_id TEXT,"
        " resolved_id TEXT, merge_rule TEXT, lo TEXT, hi TEXT, level INTEGER, roots TEXT, states TEXT,"
        " sentence TEXT, dated INTEGER)"
    )
    con.execute("CREATE INDEX IF NOT EXISTS resolution_lo ON resolution (lo)")
    con.execute("CREATE INDEX IF NOT EXISTS resolution_article ON resolution (article_id)")
    con.execute("CREATE INDEX IF NOT EXISTS resolution_group ON resolution (resolved_id)")


@cache
def _dictionary_countries() -> dict[str, str]:
    from core.actors import dictionary

    out = {}
    for a in dictionary().values():
        c = a.country or (a.actor_id if a.kind == "state" else "")
        if c:
            out[a.actor_id] = c
    return out


def reports_of_rows(rows: Mapping[str, list[dict]], rules: R.Rules) -> list[R.Report]:
    """The reports of one article's rows (as :func:`core.pipeline.to_rows` gives them)."""
    countries = dict(_dictionary_countries())
    for f in rows.get("found_actors", []):
        if f.get("country"):
            countries.setdefault(f["actor_id"], f["country"])
    arts = rows.get("articles") or [{}]
    published = R._iso(arts[0].get("published_date"))
    return [R.report_of(e, countries, published, rules) for e in rows.get("events", [])]


def _stored(row: tuple) -> R.Report:
    eid, aid, _rid, _rule, lo, hi, level, roots, states, sentence, dated = row
    return R.Report(
        eid,
        aid,
        R._iso(lo),
        R._iso(hi),
        int(level if level is not None else 3),
        frozenset(x for x in (roots or "").split(";") if x),
        frozenset(x for x in (states or "").split(";") if x),
        "",
        sentence or "",
        bool(dated),
    )


def _candidates(con: sqlite3.Connection, r: R.Report, rules: R.Rules) -> list[tuple]:
    lo = (r.lo - timedelta(days=rules.max_span)).isoformat()
    return con.execute(f"SELECT {', '.join(_COLUMNS)} FROM resolution WHERE lo BETWEEN ? AND ?", (lo, r.hi.isoformat())).fetchall()


def _component(con: sqlite3.Connection, start: list[R.Report], rules: R.Rules) -> dict[str, R.Report]:
    """``start`` and every stored report reachable from it through links."""
    comp = {r.event_id: r for r in start}
    frontier = [r for r in start if r.datable]
    while frontier and len(comp) < MAX_COMPONENT:
        r = frontier.pop()
        for row in _candidates(con, r, rules):
            if row[0] in comp:
                continue
            c = _stored(row)
            if R.link_reason(r, c, rules):
                comp[c.event_id] = c
                frontier.append(c)
    return comp


def _resolve_part(con: sqlite3.Connection, comp: dict[str, R.Report], rules: R.Rules, new: Mapping[str, R.Report]) -> None:
    """Resolve ``comp`` again and write its groups (new reports inserted, stored ones updated)."""
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
                    int(r.dated),
                )
            )
        else:
            changed.append((rid, rule, eid))
    if fresh:
        con.executemany(f"INSERT OR REPLACE INTO resolution VALUES ({','.join('?' * len(_COLUMNS))})", fresh)
    if changed:
        con.executemany("UPDATE resolution SET resolved_id=?, merge_rule=? WHERE event_id=?", changed)


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def attach(con: sqlite3.Connection, rows: Mapping[str, list[dict]], rules: R.Rules | None = None) -> None:
    """Resolve one stored article's events against the stored reports (inside the caller's transaction)."""
    rules = rules or R.load_rules()
    new = reports_of_rows(rows, rules)
    if not new:
        return
    ensure_schema(con)
    _resolve_part(con, _component(con, new, rules), rules, {r.event_id: r for r in new})


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
    if touched:
        _resolve_part(con, _component(con, [_stored(t) for t in touched], rules), rules, {})


def load(con: sqlite3.Connection) -> pd.DataFrame:
    """event_id → resolved_id and merge_rule, as stored."""
    ensure_schema(con)
    return pd.read_sql_query("SELECT event_id, resolved_id, merge_rule FROM resolution", con)
