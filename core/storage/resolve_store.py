"""Event resolution kept in the store, incrementally (the SQL side of :mod:`core.storage.resolve`).

Why: re-resolving the corpus for every added article would make ingest quadratic. The store keeps,
per event, what resolution needs (date window, level, roots, states, persons) in ``resolution``, and
its blocking keys (dyad, act, 8-day bucket, each as a 48-bit hash) in ``resolution_keys`` (keyed by
key). Adding an article looks up only the stored reports sharing a key with its events, keeps those
its reports link to, takes in the whole resolved events they belong to and resolves that part again;
the links among the part's stored reports are found again in memory (their blocking keys are kept on
the memoised reports, so this costs little more than reading stored links did, and the store keeps
no link table); the decisions of :func:`core.storage.resolve.resolve` depend only on linked reports,
so on the resolution key's corpus the groups come out as resolving everything at once (the tests
ingest one by one and all at once and compare). Not always elsewhere: a vague report ("early this
year") is re-checked only against the groups near the article being added, so one added later may
keep a happening that resolving the whole corpus would leave it out of as too many fit (a strict
xfail in tests/test_speedups_resolution.py shows it on the dense synthetic corpus). Removing an
article detaches its reports and resolves what they touched again.

Layout 5 (issue 14; read from the tables' columns, not from the schema version): a report's row is
keyed by ``rid`` = its article's number in ``resolution_articles`` shifted by :data:`SLOT_BITS`, plus
the event's own number (the extractor's ``<article>-e<nnn>``: neither id is stored in the row, and an
article's rows are one range of ``rid``, so no index of them is kept); its group is NULL when it is
alone, else the ``rid`` of the member naming it; its window a day number and a width; its sentence a
number within its article; its merge rule a code into ``resolution_rules``; a key row is (key hash,
``rid``), without a rowid. A store resolved in an older layout (4: text ids, an article index, schema
versions 4 and 5; or 3) is read as it is when opened read-only and converted when opened for writing
(:func:`ensure_schema`). 4.5 KB of resolution tables per synthetic article became 2.5 KB.

A bulk ingest resolves its articles in batches (:func:`deferred`): each article's transaction only
marks it pending (``resolution_pending``), and every :data:`BATCH_ARTICLES` articles the batch's reports
are resolved together, in one transaction: one candidate lookup for the whole batch, the links among
the batch's reports found in memory, one resolution of the part they reach and one write of each
table. Per-article lookups and commits cost ingest about half as much again as storing the rows; a
batch resolves as the whole corpus at once (the tests compare), and as its articles one by one
wherever that does too (on the key's corpus). A batch left
pending by a crash is resolved when the store is next opened for writing.

What a batch costs (issue 16: ingest with resolution within 10% of ingest without, near-linear). The
pairs compared grow with the corpus, not faster (blocks by dyad, act and 8-day bucket: 26,500 pairs
tested for 5,400 synthetic reports, 52,700 for 10,900). The time went to work per report, and to
Python's cyclic garbage collector: so an article's reports are made when its batch resolves (the
article's rows are kept until then, not copied), and a batch resolves with the collector held off
(:func:`gc_paused`); the actor sets' states, the dyad keys, the key hashes, the stored set texts and
the ISO dates are memoised; reports without a blocking key are written alone without linking.
Second round (what was left was ~30 µs of Python per report, spread out): an article's reports are
made in one loop, their date windows memoised per (dates, date rule, status, publication date); the
stored keys are the dyad-act-bucket keys only (an article's own keys, a quarter of the key rows, are
found by article like the sentence keys) and their codes memoised with the keys; the reasons of links
are memoised per (acts, acts, dyad); :func:`core.storage.resolve.resolve` sets aside the reports no
link touches; a part's rows are made in one pass. Fourth round: a report keeps its key codes as it
keeps its keys (a batch asks twice); the part indexes the batch's reports by the keys its candidates
have only; an article that found actors of its own reads the actor sets naming none of them from
the dictionary's memo (:class:`core.storage.resolve.ActorMemo`); a stored sentence number is read
without splitting. Sixth round (instructions of an isolated batch resolution of 400 synthetic
articles −10.5 %): the report and key rows are bound many to an INSERT (:func:`insert_many`: half
the cost per row); a batch's reports are linked without making each one's key list
(:func:`core.storage.resolve.links`, :func:`core.storage.resolve.has_block_keys`), their dyad keys
kept on them and their codes memoised by the shared key list; the part's links are merged into the
new reports' links instead of copied. Each speed-up has a differential test
(tests/test_speedups_resolution_writer.py); exports are unchanged.

Dead ends of the sixth round: key codes with the 8-day bucket in their high bits (so a batch's keys,
written in date order, land in a few pages of ``resolution_keys`` instead of all of them) saved 8 ms of
the key writes at 800 synthetic articles (a simulation: 35 against 26-33 ms) — not worth a change of
layout and the conversion of every stored key. A report made with its dict written whole
(``object.__setattr__(self, "__dict__", {...})``, or ``update`` from a dict display) costs more
instructions than the update from keywords (valgrind: 16.4k and 16.6k against 15.5k a report); only a
class with slots and plain assignments is cheaper (8.9k), and that would give up the frozen report.
"""

from __future__ import annotations

import gc
import itertools
import sqlite3
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from functools import cache, lru_cache
from hashlib import blake2b
from operator import itemgetter

import pandas as pd

from core.domain.schema import SEQUENCE_IDS
from core.errors import ArticleError, write_log
from core.storage import changelog
from core.storage import resolve as R

#: A stored report as the queries read it (:data:`_SELECT`), then its ``rid``: the ids as texts again,
#: ``resolved_id`` as stored (NULL, the ``rid`` of the member whose event id names the group, or a text).
_COLUMNS = ("event_id", "article_id", "resolved_id", "merge_rule", "lo", "hi", "level", "roots", "states", "sentence", "dated", "persons")
#: The columns of ``resolution`` as stored (layout 5, see :func:`ensure_schema`).
_STORED = ("rid", "event", "resolved_id", "merge_rule", "lo", "span", "level", "roots", "states", "sentence", "dated", "persons")
#: A row's ``rid`` is its article's number (``resolution_articles.n``) shifted by this many bits, plus
#: its slot: the event's own number for the extractor's ids (see :func:`_allot`).
SLOT_BITS = 12
_SLOTS = 1 << SLOT_BITS


#: what comes between the article id and the number in the extractor's event ids
#: (:func:`core.domain.schema.sequence_id`)
_MARK = "-" + SEQUENCE_IDS["events"][1]


def _event_sql(r: str, a: str) -> str:
    """The event id of a row of ``resolution`` aliased ``r``, its article's row aliased ``a``: NULL
    stands for ``<article>-e<slot, three digits at least>`` (the extractor's ids, :func:`_allot`)."""
    return f"COALESCE({r}.event, {a}.article_id || '{_MARK}' || printf('%03d', {r}.rid & {_SLOTS - 1}))"


_EVENT = _event_sql("r", "a")
#: ``resolution r`` with its article's row ``a`` (the queries of stored reports read its id), for a
#: query whose rows are found by ``r``; :data:`_BY_ARTICLE` for one that finds them by article
_FROM = f"resolution r JOIN resolution_articles a ON a.n = r.rid >> {SLOT_BITS}"
_BY_ARTICLE = f"resolution_articles a JOIN resolution r ON r.rid BETWEEN a.n << {SLOT_BITS} AND (a.n << {SLOT_BITS}) + {_SLOTS - 1}"
_SELECT = (
    f"{_EVENT}, a.article_id, r.resolved_id, r.merge_rule, r.lo, r.lo + r.span, r.level, r.roots, r.states,"
    " r.sentence, r.dated, r.persons, r.rid"  # the row's id last: _RID
)
#: SQL for the text id of the article of the row ``NEW`` of ``resolution`` (the change log's trigger,
#: :func:`core.storage.changelog.ensure_schema`, logs it when the row changes group).
REGROUPED_ARTICLE = f"(SELECT article_id FROM resolution_articles WHERE n = NEW.rid >> {SLOT_BITS})"
#: A new row (:func:`_encoded`): the int 0 for a NULL event or group (no rid is 0; a text, even "0", is
#: never equal to the int 0 in SQL)
_INSERT_HEAD = f"INSERT OR REPLACE INTO resolution ({', '.join(_STORED)}) VALUES "
_INSERT_ROW = f"(?, NULLIF(?, 0), NULLIF(?, 0), {', '.join('?' * 9)})"
_INSERT = _INSERT_HEAD + _INSERT_ROW
#: A key row (:func:`_key_rows`): a code shared with a row already there is that row (ignored)
_INSERT_KEY_HEAD = "INSERT OR IGNORE INTO resolution_keys VALUES "
_INSERT_KEY_ROW = "(?,?)"
#: Parameters one statement binds at most (SQLite's limit before 3.32; :func:`insert_many`)
_MAX_PARAMS = 999
_SENTENCE = _COLUMNS.index("sentence")
_RID = len(_COLUMNS)
#: Reports gathered for one re-resolution at most; past it the rest of the chain keeps its groups.
MAX_COMPONENT = 5000
#: Fast path (default): the links of the new reports with their candidates, found while gathering the
#: part, are not tested again, and only stored reports whose group or rule changed are rewritten.
#: False recomputes every link of the part being resolved and rewrites all of it (the plain path the
#: tests compare the fast one with).
FOUND_LINKS = True
#: Articles a bulk ingest marks pending before resolving them together (:func:`deferred`): large enough
#: that the lookups and writes of a batch cost little per article, small enough that a dashboard
#: reading the store meanwhile sees few articles whose reports are not yet resolved.
BATCH_ARTICLES = 128


def ensure_schema(con: sqlite3.Connection) -> None:
    """The resolution tables in their current layout (5); a store resolved in an older one is
    converted, in one write transaction (:func:`_convert_v3`, :func:`_convert_v4`). The layout is read
    from the tables' columns, not from the store's schema version.

    Layout 5 (issue 14: the resolution tables were 4.5 KB of an article's 17 KB): ``resolution`` has
    one row per report, keyed by ``rid`` = its article's number in ``resolution_articles`` (the
    article's id once, not in every row) shifted by :data:`SLOT_BITS`, plus the event's own number
    when its id is the extractor's ``<article>-e<nnn>`` (then ``event`` is NULL: the id is not stored
    either). An article's rows are thus one range of ``rid``: no index of an article's rows, and
    one b-tree fewer to write per report. Its group (``resolved_id``) is NULL for a report alone,
    otherwise the ``rid`` of the member whose event id names it (``"R" + event id``; a text only if
    none does); its window is a day number and a width; its merge rule a code into
    ``resolution_rules``; its sentence a number within its article. ``resolution_keys`` holds
    (48-bit key hash, ``rid``), without a rowid. The links between reports are not stored (found
    again in memory)."""
    if _columns(con, "resolution") >= {"event", "span"} and _has(con, "resolution_articles"):
        _create(con)  # the current layout: nothing is written (every statement is IF NOT EXISTS)
        return
    with _write_lock(con):
        cols = _columns(con, "resolution")  # again inside the lock: another writer may have converted it
        old = None
        if cols and "rid" not in cols:
            old = "resolution_v3"
        elif cols and "span" not in cols:
            old = "resolution_v4"
        if old:
            con.execute(f"ALTER TABLE resolution RENAME TO {old}")
            for index in ("resolution_article", "resolution_group"):
                con.execute(f"DROP INDEX IF EXISTS {index}")
        _create(con)
        if old == "resolution_v3":
            _convert_v3(con)
        elif old == "resolution_v4":
            _convert_v4(con)
        if old and _has(con, "meta"):
            # the change log's trigger on ``resolution`` went with the old table: made again for this one
            changelog.ensure_schema(con)


def _create(con: sqlite3.Connection) -> None:
    """The tables and indexes of layout 5 (see :func:`ensure_schema`), where missing."""
    # ``resolved_id`` holds a number or a text: declared without a type (no affinity), so a text of
    # digits stays a text
    con.execute(
        "CREATE TABLE IF NOT EXISTS resolution (rid INTEGER PRIMARY KEY, event TEXT, resolved_id, merge_rule INTEGER,"
        " lo INTEGER, span INTEGER, level INTEGER, roots TEXT, states TEXT, sentence INTEGER, dated INTEGER, persons TEXT)"
    )
    # an article's numbers: the first (smallest) holds its events by their own numbers, any other one
    # the events whose ids are of another shape (:func:`_allot`)
    con.execute("CREATE TABLE IF NOT EXISTS resolution_articles (n INTEGER PRIMARY KEY, article_id TEXT)")
    con.execute("CREATE INDEX IF NOT EXISTS resolution_articles_id ON resolution_articles (article_id)")
    if "event_id" in _columns(con, "resolution_keys"):
        con.execute("DROP TABLE resolution_keys")  # the layout before version 4: made again from the reports
    con.execute("CREATE TABLE IF NOT EXISTS resolution_keys (key INTEGER, rid INTEGER, PRIMARY KEY (key, rid)) WITHOUT ROWID")
    # a report alone keeps NULL (read as "R" + its event id): most reports, left out of this index
    con.execute("CREATE INDEX IF NOT EXISTS resolution_group ON resolution (resolved_id) WHERE resolved_id IS NOT NULL")
    con.execute("DROP TABLE IF EXISTS resolution_links")  # found again in memory (version 4)
    # the merge rules, each once: a row keeps the rule's code (a few hundred texts of ~40 characters)
    con.execute("CREATE TABLE IF NOT EXISTS resolution_rules (code INTEGER PRIMARY KEY, rule TEXT UNIQUE)")
    # articles stored by a deferred ingest whose reports are not resolved yet (:func:`deferred`)
    con.execute("CREATE TABLE IF NOT EXISTS resolution_pending (article_id TEXT PRIMARY KEY) WITHOUT ROWID")


def _columns(con: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in con.execute(f"PRAGMA table_info({table})")}


def _has(con: sqlite3.Connection, table: str) -> bool:
    return con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone() is not None


def _convert_v3(con: sqlite3.Connection) -> None:
    """The reports of a store resolved before version 4, in the new layout: each row read as that
    layout stored it (ISO dates, ``article#n`` sentences), written as :func:`_write_part` writes it
    (groups and merge rules kept as they were), its keys made again; the old table dropped."""
    old = _V3_COLUMNS
    rows = con.execute(f"SELECT {', '.join(old)} FROM resolution_v3 ORDER BY event_id").fetchall()
    rules = R.load_rules()
    reports = [_decode_v3(row[:2] + row[4:]) for row in rows]
    code = _rule_codes(con, {row[3] or "" for row in rows})
    sizes = Counter(row[2] for row in rows)
    _insert_reports(con, reports, {row[0]: (_group_cell(row[0], row[2], sizes), code[row[3] or ""]) for row in rows}, rules)
    con.execute("DROP TABLE resolution_v3")


def _convert_v4(con: sqlite3.Connection) -> None:
    """The rows of layout 4 (schema versions 4 and 5: text ids, ``hi`` a day number) in layout 5: each
    read as a report, written with its group and rule as they were, its keys made again (its ``rid``
    changes); the old table dropped."""
    rows = con.execute(
        "SELECT event_id, article_id, resolved_id, merge_rule, lo, hi, level, roots, states, sentence, dated, persons"
        " FROM resolution_v4 ORDER BY rid"
    ).fetchall()
    con.execute("DELETE FROM resolution_keys")
    _insert_reports(con, [_stored(row) for row in rows], {row[0]: (row[2], row[3]) for row in rows}, R.load_rules())
    con.execute("DROP TABLE resolution_v4")


#: The columns of ``resolution`` before schema version 4 (dates as ISO text, sentence as ``article#n``).
_V3_COLUMNS = _COLUMNS  # the same names; ``rid`` is new


def _seq(event_id: str, article_id: str) -> int | None:
    """The event's own number when its id is ``<article>-e<n>`` as the extractor writes it (``n`` with
    three digits at least, no other leading zero: :func:`_event_sql` writes it back) and it fits a
    slot, else None. The ending's number is memoised (:data:`_SEQ`): a corpus has few."""
    cut = len(article_id)
    if event_id[cut : cut + 2] != _MARK or not event_id.startswith(article_id):
        return None
    end = event_id[cut + 2 :]
    return _memoised(_SEQ, end, _slot_number)


def _slot_number(end: str) -> int | None:
    return int(end) if end.isascii() and end.isdigit() and f"{int(end):03d}" == end and int(end) < _SLOTS else None


def _int_as_written(end: str) -> int | None:
    """``end``'s number when it is written as int() writes it (ASCII digits, no leading zero)."""
    return int(end) if end.isascii() and end.isdigit() and (end[0] != "0" or end == "0") else None


def _memoised(cache: dict, key: str, parse: Callable[[str], int | None]) -> int | None:
    """``parse(key)``, held in ``cache`` (emptied past 10,000 entries: a corpus has few distinct keys)."""
    value = cache.get(key, cache)
    if value is cache:
        value = parse(key)
        if len(cache) >= 10_000:
            cache.clear()
        cache[key] = value
    return value


#: The ending of an event id after ``<article>-e`` → its slot, None when not one (:func:`_seq`).
_SEQ: dict = {}


def _allot(con: sqlite3.Connection, reports: list[R.Report]) -> tuple[list[int], list[str | None]]:
    """The ``rid`` and stored ``event`` of each report: the extractor's ids in the slot of their own
    number under the article's first number (the same event always gets the same ``rid``: written
    again, it replaces its row), any other id stored as text in a slot of another number of its
    article (the slot its event already holds, else a free one; numbers are added as they fill)."""
    number = _article_numbers(con, dict.fromkeys(r.article_id for r in reports))
    rids: list[int] = []
    events: list[str | None] = []
    odd: dict[str, list[int]] = {}
    for i, r in enumerate(reports):
        seq = _seq(r.event_id, r.article_id)
        if seq is None:
            rids.append(0)
            events.append(r.event_id)
            odd.setdefault(r.article_id, []).append(i)
        else:
            rids.append((number[r.article_id] << SLOT_BITS) | seq)
            events.append(None)
    for aid, members in odd.items():
        held = dict(
            con.execute(
                f"SELECT r.event, r.rid FROM {_BY_ARTICLE} WHERE a.article_id = ? AND a.n != ? AND r.event IS NOT NULL", (aid, number[aid])
            )
        )
        free: list[int] = []
        for i in members:
            rid = held.get(reports[i].event_id)
            if rid is None:
                if not free:
                    n = con.execute("SELECT COALESCE(MAX(n), 0) + 1 FROM resolution_articles").fetchone()[0]
                    con.execute("INSERT INTO resolution_articles (n, article_id) VALUES (?, ?)", (n, aid))
                    free = list(range(((n + 1) << SLOT_BITS) - 1, (n << SLOT_BITS) - 1, -1))
                rid = held[reports[i].event_id] = free.pop()
            rids[i] = rid
    return rids, events


def _group_ref(group: str | None, group_of: Mapping[str, str | None], rid_of: Mapping[str, int]) -> int | str | None:
    """``resolved_id`` as stored: the ``rid`` of the member whose event id names the group
    (``"R" + event id``, :func:`core.storage.resolve.resolve`), else the text; None stays None."""
    if group is None:
        return None
    name = group[1:]
    if group[:1] == "R" and group_of.get(name) == group:
        rid = rid_of.get(name)
        if rid is not None:
            return rid
    return group


def _article_numbers(con: sqlite3.Connection, article_ids: Collection[str]) -> dict[str, int]:
    """The first number of each article in ``resolution_articles``, an article not there yet added
    (numbered on from the largest, in the order given: a batch's rows then go in at the end of the
    table in ``rid`` order; inside the caller's transaction)."""
    return _numbered(con, list(article_ids), "resolution_articles", "n", "article_id")


def _numbered(con: sqlite3.Connection, values: list[str], table: str, code: str, column: str) -> dict[str, int]:
    """{value: its least ``code`` in ``table``}; a value not there yet is added, numbered on from the
    largest code in the order given (inside the caller's transaction, so a rolled-back write takes it
    along). One owner for the two small numbering tables, articles and merge rules."""
    out: dict[str, int] = {}
    for chunk in _chunks(values, 500):
        marks = ",".join("?" * len(chunk))
        out.update(con.execute(f"SELECT {column}, MIN({code}) FROM {table} WHERE {column} IN ({marks}) GROUP BY {column}", chunk))
    missing = [v for v in values if v not in out]
    if missing:
        first = con.execute(f"SELECT COALESCE(MAX({code}), 0) + 1 FROM {table}").fetchone()[0]
        added = {v: first + i for i, v in enumerate(missing)}
        con.executemany(f"INSERT INTO {table} ({code}, {column}) VALUES (?, ?)", [(n, v) for v, n in added.items()])
        out.update(added)
    return out


def _decode_v3(row: tuple) -> R.Report:
    """A report as the layout before version 4 stored it."""
    eid, aid, lo, hi, level, roots, states, sentence, dated, persons = row
    return _report(eid, aid, R._iso(lo), R._iso(hi), level, roots, states, sentence or "", dated, persons)


def key_code(key: str) -> int:
    """A blocking key as stored: a 48-bit hash (six bytes in SQLite, against 16 of the text). Two keys
    sharing a hash only bring an extra candidate to the lookup, which the keys computed in memory and
    :func:`core.storage.resolve.link_reason` then leave out: the groups cannot change. Memoised in a
    plain dict (an ``lru_cache`` cost more per hit than the lookups it served: most keys are met again)."""
    code = _CODES.get(key)
    if code is None:
        if len(_CODES) >= _CODES_MAX:
            _CODES.clear()
        code = _CODES[key] = int.from_bytes(blake2b(key.encode(), digest_size=6).digest(), "big")
    return code


_CODES: dict[str, int] = {}
_CODES_MAX = 1 << 18


@cache
def _dictionary_actors() -> tuple[dict[str, str], frozenset[str]]:
    """actor_id → country, and the ids of persons, of the actor dictionary."""
    from core.domain.actors import dictionary

    countries, persons = {}, set()
    for a in dictionary().values():
        c = a.country or (a.actor_id if a.kind == "state" else "")
        if c:
            countries[a.actor_id] = c
        if a.kind == "person":
            persons.add(a.actor_id)
    return countries, frozenset(persons)


def reports_of_rows(rows: Mapping[str, list[dict]], rules: R.Rules) -> list[R.Report]:
    """The reports of one article's rows (as :func:`core.extract.pipeline.to_rows` gives them)."""
    known, known_persons = _dictionary_actors()
    found_actors = rows.get("found_actors") or []
    found = {f["actor_id"]: f["country"] for f in found_actors if f.get("country")}
    countries = {**found, **known} if found else known  # the dictionary first, as the extractor reads it
    found_persons = {f["actor_id"] for f in found_actors if f.get("kind") == "person"}
    persons = _Either(known_persons, found_persons) if found_persons else known_persons
    # an article that found no actor of its own reads the dictionary alone: its actor sets' states are
    # kept from one article to the next (the memo belongs to the dictionary's map and persons); one
    # that did reads the sets naming none of its own actors from that memo too (R.ActorMemo)
    if countries is known and persons is known_persons:
        memo: dict = _KNOWN_MEMO
    else:
        memo = R.ActorMemo(found.keys() | found_persons, _KNOWN_MEMO)
    arts = rows.get("articles") or [{}]
    published = R._iso(arts[0].get("published_date"))
    return R.reports_of_events(rows.get("events", []), countries, published, rules, persons, memo)


#: The states of actor sets read with the dictionary alone (:func:`reports_of_rows`).
_KNOWN_MEMO: dict = {}


class _Either:
    """Membership in either of two sets, without copying the large one."""

    def __init__(self, a: Collection[str], b: Collection[str]) -> None:
        self.a, self.b = a, b

    def __contains__(self, x: object) -> bool:
        return x in self.a or x in self.b


def _split(value: str | None) -> frozenset[str]:
    return frozenset(x for x in (value or "").split(";") if x)


def _stored(row: tuple) -> R.Report:
    return _decode(row[:2] + row[4:_RID])


@lru_cache(maxsize=200_000)
def _decode(row: tuple) -> R.Report:
    """A stored report (memoised: the same stored rows are met again by later articles)."""
    eid, aid, lo, hi, level, roots, states, sentence, dated, persons = row
    return _report(
        eid,
        aid,
        date.fromordinal(lo) if lo is not None else None,
        date.fromordinal(hi) if hi is not None else None,
        level,
        roots,
        states,
        _sentence(aid, sentence),
        dated,
        persons,
    )


def _sentence(aid: str, stored: int | str | None) -> str:
    """``article#n`` from the stored number (a sentence id of another shape is stored as it is)."""
    if stored is None:
        return ""
    return stored if isinstance(stored, str) else f"{aid}#{stored}"


def _report(eid: str, aid: str, lo: date | None, hi: date | None, level, roots, states, sentence: str, dated, persons) -> R.Report:
    return R.Report(
        eid,
        aid,
        lo,
        hi,
        int(level if level is not None else 3),
        _split(roots),
        _split(states),
        "",
        sentence,
        bool((dated or 0) & 1),  # bit 1: dated by its own words; bit 2: anchored
        _split(persons),
        bool((dated or 0) & 2),
    )


def _group_cell(event_id: str, resolved_id: str, sizes: Mapping[str, int]) -> str | None:
    """``resolved_id`` as stored: NULL for a report alone in its resolved event (``"R" + event_id``,
    which :func:`load` gives back), the id otherwise (the index on it then holds groups only)."""
    return None if sizes[resolved_id] == 1 and resolved_id == "R" + event_id else resolved_id


def _encoded(r: R.Report, rid: int, resolved_id: int | str | None, rule: int, event: str | None = None) -> tuple:
    """A report's row as :data:`_INSERT` binds it (the columns of :data:`_STORED`); ``resolved_id`` as
    stored (:func:`_group_ref`), ``event`` as :func:`_allot` gives it. A NULL ``event`` or
    ``resolved_id`` (most rows) is bound as the int 0, which the statement turns back into NULL:
    Python's sqlite3 binds None through its adaptation protocol (two failed attribute lookups,
    ~2,000 instructions a cell), an int or a str directly."""
    sentence = None
    text = r.sentence
    if text:
        aid = r.article_id
        cut = len(aid)
        # <article>#<n>, n written as int() writes it (ASCII digits, no leading zero), as nearly every
        # sentence is: read without splitting, n's number memoised (the plain reading for every other shape)
        if text[cut : cut + 1] == "#" and text.startswith(aid):
            end = text[cut + 1 :]
            sentence = _memoised(_NUMBERS, end, _int_as_written)
            if sentence is None:
                sentence = _sentence_cell(text, aid)
        else:
            sentence = _sentence_cell(text, aid)
    joined = _JOINED.get
    roots, states, persons = joined(r.roots), joined(r.states), joined(r.persons)
    lo = r.lo.toordinal() if r.lo else None
    return (
        rid,
        0 if event is None else event,
        0 if resolved_id is None else resolved_id,
        rule,
        lo,
        r.hi.toordinal() - lo if lo is not None and r.hi else None,
        r.level,
        _joined(r.roots) if roots is None else roots,
        _joined(r.states) if states is None else states,
        sentence,
        int(r.dated) | 2 * int(r.anchored),  # bit 1 dated, bit 2 anchored
        _joined(r.persons) if persons is None else persons,
    )


#: The ending of a sentence id after ``<article>#`` → its number, None when not written as int() writes it.
_NUMBERS: dict = {}


def _sentence_cell(sentence: str, article_id: str) -> int | str:
    """A sentence as stored: its number when it is ``<article>#<n>``, else kept whole (never so
    today): nothing is lost."""
    aid, _, n = sentence.rpartition("#")
    return int(n) if aid == article_id and n.isdigit() and str(int(n)) == n else sentence


def _stored_keys(r: R.Report, rules: R.Rules) -> list[str]:
    """The blocking keys written to ``resolution_keys``: the dyad-act-bucket keys. The sentence key
    (``s/article#n``) and the article's own keys (``h/article/act``, a quarter of a report's keys) are
    shared by reports of one article only: :func:`_candidates` finds those by article instead."""
    return [k for k in R.block_keys(r, rules) if not k.startswith(_ARTICLE_KEYS)]


#: Blocking keys only reports of one article share (not stored; see :func:`_stored_keys`).
_ARTICLE_KEYS = ("s/", "h/")


def _key_codes(r: R.Report, rules: R.Rules) -> list[int]:
    """The stored keys of a report as stored (:func:`key_code`): its dyad-act-bucket keys, the only
    stored ones (:func:`_stored_keys`), which only a linkable report has. Memoised per rules as the
    keys are (:func:`core.storage.resolve.dyad_keys`), by their list of keys (shared by the reports of
    one dyad and act in the same days). Callers must not change the list."""
    cached = r.__dict__.get("_codes")
    if cached is not None and cached[0] is rules:
        return cached[1]  # a batch asks twice (its candidates, then its key rows)
    if not r.linkable:
        codes = _NO_CODES
    else:
        memo = rules.__dict__.get("_dyad_codes")
        if memo is None or len(memo) > 100_000:
            memo = {}
            object.__setattr__(rules, "_dyad_codes", memo)  # a cache, not a field
        # by the list of keys itself (the memo of dyad_keys shares one list among the reports of one
        # dyad, act and buckets): the memo holds the list, so its id is not reused while it is there
        keys = R.dyad_keys(r, rules)
        hit = memo.get(id(keys))
        if hit is not None and hit[0] is keys:
            codes = hit[1]
        else:
            codes = [key_code(k) for k in keys]
            memo[id(keys)] = (keys, codes)
    r.__dict__["_codes"] = (rules, codes)  # not a field: equality and hash stay the fields'
    return codes


_NO_CODES: list[int] = []


def _written_codes(r: R.Report, rules: R.Rules) -> list[int]:
    """Every key code a store may hold for a report: :func:`_key_codes`, and the article's own keys a
    store written before they were left out holds (a report detached from it leaves none behind)."""
    return _key_codes(r, rules) + [key_code(k) for k in R.block_keys(r, rules) if k.startswith("h/")]


def _candidates(con: sqlite3.Connection, reports: list[R.Report], rules: R.Rules) -> list[tuple]:
    """Stored reports sharing a blocking key with any of ``reports`` and a window overlapping theirs
    (one query per 500 keys), and stored reports of their articles sharing a sentence key or an
    article's own key (the keys not stored: one query by article, which finds nothing for an article
    being added)."""
    codes: set[int] = set()
    sentences: set[str] = set()
    own_articles: set[str] = set()
    first, last = reports[0].lo, reports[0].hi
    for r in reports:  # one pass over the reports (a batch holds thousands; each is datable)
        codes.update(_key_codes(r, rules))
        if r.sentence:
            sentences.add(r.sentence)
        if r.article_id:
            own_articles.add(r.article_id)
        if r.lo < first:
            first = r.lo
        if r.hi > last:
            last = r.hi
    keys = sorted(codes)
    lo, hi = first.toordinal(), last.toordinal()
    rows: dict[str, tuple] = {}
    for chunk in _chunks(keys, 500):
        marks = ",".join("?" * len(chunk))
        for row in con.execute(
            f"SELECT {_SELECT} FROM resolution_keys k JOIN resolution r ON r.rid = k.rid"
            f" JOIN resolution_articles a ON a.n = r.rid >> {SLOT_BITS} WHERE k.key IN ({marks}) AND r.lo <= ? AND r.lo + r.span >= ?",
            [*chunk, hi, lo],
        ):
            rows.setdefault(row[0], row)
    own: set[str] | None = None  # the reports' own keys, made when a stored report of their article is met
    articles = sorted({s.split("#", 1)[0] for s in sentences} | own_articles)
    for chunk in _chunks(articles, 500):
        marks = ",".join("?" * len(chunk))
        for row in con.execute(
            f"SELECT {_SELECT} FROM {_BY_ARTICLE} WHERE a.article_id IN ({marks}) AND r.lo <= ? AND r.lo + r.span >= ? AND r.level < 3",
            [*chunk, hi, lo],
        ):
            if row[0] in rows:
                continue
            if _sentence(row[1], row[_SENTENCE]) in sentences:
                rows[row[0]] = row
                continue
            if own is None:
                own = {k for r in reports for k in R.block_keys(r, rules) if k.startswith("h/")}
            if own and not own.isdisjoint(R.block_keys(_stored(row), rules)):
                rows[row[0]] = row
    return list(rows.values())


class _Part:
    """The part of the corpus a change can alter: its reports, the links already found between the
    start and its candidates, and each stored member's current (resolved_id, merge_rule code)."""

    def __init__(self) -> None:
        self.reports: dict[str, R.Report] = {}
        self.found: dict[str, dict[str, str]] = {}
        self.current: dict[str, tuple[int | str | None, int]] = {}
        self.rid: dict[str, int] = {}
        self.unlinkable = False  # True: new reports without a blocking key only (none links to any)

    def add_stored(self, row: tuple) -> R.Report:
        r = self.reports.get(row[0])
        if r is None:
            r = self.reports[row[0]] = _stored(row)
            self.current[row[0]] = (row[2], row[3])
            self.rid[row[0]] = row[_RID]
        return r


def _component(
    con: sqlite3.Connection, start: list[R.Report], rules: R.Rules, hops: int = 1, by_id: Mapping[str, R.Report] | None = None
) -> _Part:
    """``start``, the stored reports linked to it within ``hops`` links, and every member of the
    resolved events those belong to: the part of the corpus whose groups a change can alter (a
    change reaches farther only through a vague report whose fit changes; the tests compare).
    ``by_id``: ``start`` by event id when the caller has it already (copied whole, not remade)."""
    part = _Part()
    comp = part.reports
    comp.update(by_id if by_id is not None else ((r.event_id, r) for r in start))
    groups: set[str] = set()
    frontier = [r for r in start if r.datable]
    for hop in range(hops):
        # the cap bounds how far a change spreads, never whether the new reports meet the stored ones
        if not frontier or (hop and len(comp) >= MAX_COMPONENT):
            break
        reached = []
        met = [(row, _stored(row)) for row in _candidates(con, frontier, rules) if row[0] not in comp]
        # the frontier's reports by key, for the keys the candidates have only (a batch's reports hold
        # tens of keys for each candidate's one: indexing them all cost more than the tests below)
        wanted = {k for _, c in met for k in R.block_keys(c, rules)}
        keyed: dict[str, list[R.Report]] = {}
        if wanted:
            # a frontier report's sentence and own keys can be wanted only when a candidate shares its
            # sentence or its article: only then are its keys all made (else its dyad keys, memoised)
            near_articles = {c.article_id for _, c in met}
            near_sentences = {c.sentence for _, c in met}
            for r in frontier:
                if r.article_id in near_articles or r.sentence in near_sentences:
                    keys = R.block_keys(r, rules)
                elif r.linkable:
                    keys = R.dyad_keys(r, rules)
                else:
                    continue
                for k in keys:
                    if k in wanted:
                        keyed.setdefault(k, []).append(r)
        for row, c in met:
            near = {id(r): r for k in R.block_keys(c, rules) for r in keyed.get(k, ())}
            hit = False
            for r in near.values():
                why = R.link_reason(r, c, rules)
                if why:
                    hit = True
                    part.found.setdefault(r.event_id, {})[c.event_id] = why
                    part.found.setdefault(c.event_id, {})[r.event_id] = why
            if hit:
                part.add_stored(row)
                if row[2] is not None:  # NULL: alone, no other member to take in
                    groups.add(row[2])
                reached.append(c)
        frontier = reached
    for chunk in _chunks(sorted(groups, key=_cell_order), 500):
        marks = ",".join("?" * len(chunk))
        for row in con.execute(f"SELECT {_SELECT} FROM {_FROM} WHERE r.resolved_id IN ({marks})", chunk):
            part.add_stored(row)
    return part


def _cell_order(cell: int | str) -> tuple[bool, int | str]:
    """Stored groups (numbers, and texts) in one order."""
    return (type(cell) is str, cell)


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _links_of_part(part: _Part, rules: R.Rules, new: Mapping[str, R.Report]) -> dict[str, dict[str, str]]:
    """Every link among the part's reports. Fast path: the links among its stored reports (found
    again, in memory: a stored report keeps its blocking keys from one batch to the next), the links
    of the new reports with their candidates (found by :func:`_component`) and with each other; every
    linked pair shares a blocking key, and a new report met every stored report sharing one, so this
    is the same as :func:`core.storage.resolve.links` over the part (the tests compare both paths)."""
    comp = part.reports
    if not FOUND_LINKS:
        return R.links(list(comp.values()), rules)
    # the three sets of pairs (new with new, stored with stored, new with stored) are apart, so the
    # smaller two are merged into the largest, the new reports' links (not copied one by one into a
    # fresh dict); resolve reads each report's partners in sorted order, whatever their dict's order
    linked = R.links(list(new.values()), rules)
    stored = R.links([r for e, r in comp.items() if e not in new], rules) if len(comp) > len(new) else {}
    for found in (stored, part.found):
        for a, bs in found.items():
            mine = linked.get(a)
            if mine is None:
                linked[a] = dict(bs)
            else:
                mine.update(bs)
    return linked


#: Fast path (default): the reports of a part that no link touches (most of a batch) are written
#: alone without passing through :func:`core.storage.resolve.resolve` (which would set them aside
#: and give them the same group and rule); False passes every report through it (the plain path the
#: tests compare the fast one with).
LONE_APART = True
_ALONE = "alone: no other report fits"


def _resolve_part(con: sqlite3.Connection, part: _Part, rules: R.Rules, new: Mapping[str, R.Report]) -> None:
    """Resolve the part again and write its groups (new reports and their links inserted, stored
    reports updated when their group or rule changed)."""
    comp = part.reports
    if (len(comp) == 1 and all(eid in new for eid in comp)) or part.unlinkable:
        # reports that can meet no other (one alone, or reports without a blocking key): each is its
        # own resolved event, with the rule :func:`core.storage.resolve.resolve` gives a report alone
        _write_part(con, part, rules, new, R.Resolution(), set(comp))
        return
    linked = _links_of_part(part, rules, new)
    if not LONE_APART:
        _write_part(con, part, rules, new, R.resolve(list(comp.values()), rules, linked), set())
        return
    # resolve's decisions depend only on linked reports: those no link touches are alone whatever it
    # decides (it sets them aside first), so they are not passed to it
    touched = set(linked)
    for partners in linked.values():
        touched.update(partners)
    lone = {eid for eid in comp if eid not in touched}
    _write_part(con, part, rules, new, R.resolve([r for eid, r in comp.items() if eid in touched], rules, linked), lone)


def _write_part(
    con: sqlite3.Connection, part: _Part, rules: R.Rules, new: Mapping[str, R.Report], res: R.Resolution, lone: Collection[str]
) -> None:
    """Write a resolved part: its new reports and their keys inserted; stored reports updated when
    their group or rule changed. ``res`` holds the groups of the part's reports but those in
    ``lone``, which are each alone with the rule :func:`core.storage.resolve.resolve` gives a report
    no link touches (its reason to be alone, else :data:`_ALONE`)."""
    comp = part.reports
    group_of, rule_of = res.resolved_id, res.merge_rule  # one entry per report of the part but the lone
    code = _rule_codes(con, set(rule_of.values()) | {comp[eid].why_alone or _ALONE for eid in lone})
    sizes = Counter(group_of.values())  # a part holds its groups whole
    fresh, changed = [], []
    plain = not FOUND_LINKS
    # the rids of the new rows, so a group can name one
    fresh_reports = [r for eid, r in comp.items() if eid in new]
    rids, events = _allot(con, fresh_reports) if fresh_reports else ([], [])
    rid_of = dict(part.rid)
    rid_of.update((r.event_id, rid) for r, rid in zip(fresh_reports, rids, strict=True))
    current = part.current
    for eid, r in comp.items():
        if eid in lone:
            cell, rule = None, code[r.why_alone or _ALONE]
        else:
            group = group_of[eid]
            # resolved_id as stored: NULL for a report alone, the rid of the member naming it otherwise
            cell = None if sizes[group] == 1 and group == "R" + eid else _group_ref(group, group_of, rid_of)
            rule = code[rule_of[eid]]
        if eid in new:
            fresh.append((r, cell, rule))
        elif plain or current.get(eid) != (cell, rule):  # the plain path rewrites every one
            changed.append((cell, rule, part.rid[eid]))
    if fresh:
        _insert_rows(con, fresh, rules, rids, events)
    if changed:
        con.executemany("UPDATE resolution SET resolved_id=?, merge_rule=? WHERE rid=?", changed)


def _rule_codes(con: sqlite3.Connection, texts: Collection[str]) -> dict[str, int]:
    """The code of each merge rule in ``resolution_rules``, a rule not stored yet added (numbered on
    from the largest code; inside the caller's transaction, so a rolled-back write takes it along)."""
    return _numbered(con, sorted(texts), "resolution_rules", "code", "rule")


def _insert_reports(con: sqlite3.Connection, reports: list[R.Report], groups: Mapping[str, tuple[str | None, int]], rules: R.Rules) -> None:
    """New rows of ``resolution`` and their keys; ``groups``: event → (resolved_id, NULL for a report
    alone, and merge rule code)."""
    rids, events = _allot(con, reports)
    rid_of = {r.event_id: rid for r, rid in zip(reports, rids, strict=True)}
    group_of = {e: g for e, (g, _) in groups.items()}
    items = [(r, _group_ref(groups[r.event_id][0], group_of, rid_of), groups[r.event_id][1]) for r in reports]
    _insert_rows(con, items, rules, rids, events)


def _insert_rows(
    con: sqlite3.Connection, items: list[tuple[R.Report, int | str | None, int]], rules: R.Rules, rids: list[int], events: list[str | None]
) -> None:
    """New rows of ``resolution`` and their keys; ``items``: (report, resolved_id as stored, merge rule
    code), ``rids`` and ``events`` as :func:`_allot` gives them."""
    rows = [_encoded(r, rid, cell, rule, event) for (r, cell, rule), rid, event in zip(items, rids, events, strict=True)]
    rows.sort(key=itemgetter(0))  # in rid order: SQLite appends a sorted run to its b-tree faster
    insert_many(con, _INSERT_HEAD, _INSERT_ROW, rows)
    insert_many(con, _INSERT_KEY_HEAD, _INSERT_KEY_ROW, _key_rows(items, rids, rules))


def insert_many(con: sqlite3.Connection, head: str, row: str, rows: list[tuple]) -> None:
    """``con.executemany(head + row, rows)``, the rows bound many to a statement (``INSERT ... VALUES
    (row), (row), ...``, as many as :data:`_MAX_PARAMS` parameters allow), the last few one by one.

    Why: Python's sqlite3 pays for each row it steps (the statement reset, the GIL and SQLite's mutex
    released and taken again): a batch writes tens of thousands of report and key rows, and bound a
    hundred to a statement they cost half as much (21,800 report rows: 37 ms against 19; 40,000 key
    rows: 31 against 15). SQLite inserts the rows of one statement in order, one after another, as
    it would the statements one by one (``OR REPLACE`` and ``OR IGNORE`` included): the tables come
    out the same (tests/test_speedups_resolution_writer.py compares)."""
    if not rows:
        return
    width = len(rows[0])
    per = max(1, _MAX_PARAMS // max(width, 1))
    full = len(rows) - len(rows) % per if per > 1 else 0
    if full:
        sql = _many_sql(head, row, per)
        chain = itertools.chain.from_iterable
        con.executemany(sql, [tuple(chain(rows[i : i + per])) for i in range(0, full, per)])
    if full < len(rows):
        con.executemany(head + row, rows[full:])


@lru_cache(maxsize=16)
def _many_sql(head: str, row: str, per: int) -> str:
    return head + ",".join([row] * per)


def _key_rows(items: list[tuple[R.Report, int | str | None, int]], rids: list[int], rules: R.Rules) -> list[tuple[int, int]]:
    """The (key code, rid) rows of new reports, in (key, rid) order: the hashes are random, and SQLite
    inserts a sorted run into its b-tree faster. Made in rid order and sorted by the key alone,
    stably: that is their (key, rid) order, and comparing ints is cheaper than comparing tuples
    (tests/test_speedups_resolution_writer.py compares both)."""
    order = sorted(range(len(items)), key=rids.__getitem__)
    rows = []
    add = rows.extend
    for i in order:
        r = items[i][0]
        kept = r.__dict__.get("_codes")  # _key_codes' own cache, read here (a batch's reports have it)
        rid = rids[i]
        add([(k, rid) for k in (kept[1] if kept is not None and kept[0] is rules else _key_codes(r, rules))])
    rows.sort(key=itemgetter(0))
    return rows


def _joined(values: frozenset[str]) -> str:
    """A set as stored: its members sorted, joined by ";" (one member, the most common case, as it is).
    Memoised (:data:`_JOINED`): a corpus has few distinct sets of roots, states and persons."""
    text = _JOINED.get(values)
    if text is None:
        text = next(iter(values)) if len(values) == 1 else ";".join(sorted(values))
        if len(_JOINED) >= 50_000:
            _JOINED.clear()
        _JOINED[values] = text
    return text


_JOINED: dict[frozenset[str], str] = {}


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def attach(con: sqlite3.Connection, rows: Mapping[str, list[dict]], rules: R.Rules | None = None) -> None:
    """Resolve one stored article's events against the stored reports (inside the caller's transaction);
    under :func:`deferred` only mark the article pending, to be resolved with its batch."""
    rules = rules or R.load_rules()
    batch = _DEFERRED.get(id(con))
    if batch is not None and batch.con is con:
        batch.add_rows(rows)  # its reports made when the batch resolves
        return
    with gc_paused():
        new = reports_of_rows(rows, rules)
    if new:  # else nothing to resolve (the tables exist: Store() creates them when it opens a file)
        attach_reports(con, new, rules)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off for the block (restored as it was, error or not).

    Why: resolving a batch makes and drops hundreds of thousands of small objects (reports' keys,
    blocks, links, rows), none in reference cycles, so reference counting frees them all; but every
    few hundred allocations the collector runs, and its older generations walk every object the
    process holds (an ingest holds its articles' rows): measured on 400 synthetic articles, two
    fifths of the time resolution took, growing with the heap. A batch's memory is bounded by
    :data:`BATCH_ARTICLES`, so holding the collector off for one batch bounds what it can delay."""
    if not gc.isenabled():
        yield  # already off (the caller's choice, or an outer block): left as it is
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def attach_reports(con: sqlite3.Connection, new: list[R.Report], rules: R.Rules) -> None:
    """Resolve new reports (of one article or of a batch of articles) against the stored reports:
    the candidates of all of them found at once, the part they reach resolved once."""
    if not new:
        return
    with gc_paused():
        _attach_reports(con, new, rules)


def _attach_reports(con: sqlite3.Connection, new: list[R.Report], rules: R.Rules) -> None:
    # a report with no blocking key can meet no other: alone, written without resolving
    keyed, alone = [], []
    for r in new:
        # a datable report with a sentence has its sentence key (nearly all: no call for those)
        (keyed if (r.datable and r.sentence) or R.has_block_keys(r, rules) else alone).append(r)
    if alone:
        part = _Part()
        part.reports.update((r.event_id, r) for r in alone)
        part.unlinkable = len(part.reports) == len(alone)  # two rows of one event id: resolved the plain way
        _resolve_part(con, part, rules, {r.event_id: r for r in alone})
    if keyed:
        new = {r.event_id: r for r in keyed}
        _resolve_part(con, _component(con, keyed, rules, by_id=new), rules, new)


def detach(con: sqlite3.Connection, article_id: str, rules: R.Rules | None = None) -> None:
    """Take an article's reports out of their resolved events; what they touched is resolved again."""
    rules = rules or R.load_rules()
    ensure_schema(con)
    con.execute("DELETE FROM resolution_pending WHERE article_id=?", (article_id,))  # never resolved: nothing to undo
    gone = con.execute(f"SELECT {_SELECT} FROM {_BY_ARTICLE} WHERE a.article_id=?", (article_id,)).fetchall()
    groups = sorted({row[2] for row in gone if row[2] is not None}, key=_cell_order)
    touched = []
    for chunk in _chunks(groups, 500):
        marks = ",".join("?" * len(chunk))
        touched += con.execute(
            f"SELECT {_SELECT} FROM {_FROM} WHERE r.resolved_id IN ({marks}) AND a.article_id != ?", [*chunk, article_id]
        )
    con.executemany(
        "DELETE FROM resolution_keys WHERE key=? AND rid=?",
        [(k, row[_RID]) for row in gone for k in _written_codes(_stored(row), rules)],
    )
    for (n,) in con.execute("SELECT n FROM resolution_articles WHERE article_id=?", (article_id,)).fetchall():
        con.execute("DELETE FROM resolution WHERE rid BETWEEN ? AND ?", (n << SLOT_BITS, (n << SLOT_BITS) + _SLOTS - 1))
    con.execute("DELETE FROM resolution_articles WHERE article_id=?", (article_id,))
    if touched:
        part = _component(con, [_stored(t) for t in touched], rules)
        part.current.update((t[0], (t[2], t[3])) for t in touched)
        part.rid.update((t[0], t[_RID]) for t in touched)
        _resolve_part(con, part, rules, {})


def load(con: sqlite3.Connection, article_ids: Collection[str] | None = None) -> pd.DataFrame:
    """event_id → resolved_id and merge_rule, as stored (the caller checks the table exists: a store
    opened for writing has it from its migration; creating it here would write to a read-only store);
    with ``article_ids``, only those articles' events (:func:`core.query.tables.apply_changes`), with
    their ``article_id``. Reads every layout (:func:`ensure_schema`): a store of an older one opened
    read-only is not converted."""
    cols = _columns(con, "resolution")
    if "span" in cols:  # layout 5
        select = (
            f"SELECT {_EVENT} AS event_id, CASE WHEN r.resolved_id IS NULL THEN 'R' || {_EVENT}"
            f" WHEN typeof(r.resolved_id) = 'integer' THEN 'R' || {_event_sql('g', 'ga')} ELSE r.resolved_id END AS resolved_id,"
            " m.rule AS merge_rule{article} FROM {source}"
            " LEFT JOIN resolution g ON g.rid = r.resolved_id AND typeof(r.resolved_id) = 'integer'"
            f" LEFT JOIN resolution_articles ga ON ga.n = g.rid >> {SLOT_BITS} LEFT JOIN resolution_rules m ON m.code = r.merge_rule"
        )
        where = " WHERE a.article_id IN ({marks})"
    elif _has(con, "resolution_rules"):  # layout 4 (schema versions 4 and 5)
        select = (
            "SELECT r.event_id, COALESCE(r.resolved_id, 'R' || r.event_id) AS resolved_id, m.rule AS merge_rule{article}"
            " FROM resolution r LEFT JOIN resolution_rules m ON m.code = r.merge_rule"
        )
        where = " WHERE r.article_id IN ({marks})"
    else:  # the layout before version 4: the rule is stored as text
        select = "SELECT r.event_id, r.resolved_id, r.merge_rule{article} FROM resolution r"
        where = " WHERE r.article_id IN ({marks})"
    if article_ids is None:
        return pd.read_sql_query(select.format(article="", source=_FROM), con)
    ids = sorted(article_ids)
    select = select.format(article=", a.article_id" if "span" in cols else ", r.article_id", source=_BY_ARTICLE)
    frames = [
        pd.read_sql_query(select + where.format(marks=",".join("?" * len(chunk))), con, params=chunk) for chunk in _chunks(ids, 500) or [[]]
    ]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def stored_bytes(con: sqlite3.Connection) -> int | None:
    """Bytes of the pages the resolution tables and their indexes take (SQLite's ``dbstat``; None
    when this SQLite lacks it): the figure issue 14 tracks, printed by ``python -m benchmarks --resolution``."""
    try:
        rows = con.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
    except sqlite3.OperationalError:
        return None
    return sum(size for name, size in rows if name.startswith(("resolution", "sqlite_autoindex_resolution")))


def backfill(con: sqlite3.Connection, rules: R.Rules | None = None) -> int:
    """Resolve, once, the events of a store made before resolution existed (its ``resolution`` table
    empty while events are stored), or the articles a bulk ingest left pending (it stopped before
    resolving its last batch); returns the number of events, or articles, resolved. Later articles
    then resolve against these incrementally."""
    if con.execute("SELECT 1 FROM resolution LIMIT 1").fetchone() or not con.execute("SELECT 1 FROM events LIMIT 1").fetchone():
        if not con.execute("SELECT 1 FROM resolution_pending LIMIT 1").fetchone():
            return 0
        with _write_lock(con):  # checked again inside: another writer may have resolved them meanwhile
            n = resolve_pending(con, rules)
            if n:
                con.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'")
        return n
    rules = rules or R.load_rules()
    from core.storage.store import read_rows  # here: the store imports this module

    events = read_rows(con, ["events"])["events"]  # evidence as read, not the stored pointer (schema 3)
    articles = pd.read_sql_query("SELECT article_id, published_date FROM articles", con)
    found = pd.read_sql_query("SELECT actor_id, kind, country FROM found_actors", con)
    known, known_persons = _dictionary_actors()
    countries = {**{a: c for a, c in zip(found["actor_id"], found["country"], strict=True) if c}, **known}
    persons = _Either(known_persons, set(found.loc[found["kind"] == "person", "actor_id"]))
    reports = R.reports_from_rows(events.to_dict("records"), countries, R.published_map(articles), rules, persons)
    part = _Part()
    part.reports.update((r.event_id, r) for r in reports)
    _resolve_part(con, part, rules, part.reports)
    con.execute("DELETE FROM resolution_pending")  # every stored event is resolved now
    return len(reports)


@contextmanager
def _write_lock(con: sqlite3.Connection) -> Iterator[None]:
    """The caller's transaction, else one of our own (committed, or rolled back on an error)."""
    if con.in_transaction:
        yield
        return
    con.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


# ---- bulk ingest: articles resolved in batches ---------------------------------------------------

#: ``store.transaction``: opens a write transaction on a connection (committed at the block's end).
Transaction = Callable[[sqlite3.Connection], AbstractContextManager]
_DEFERRED: dict[int, Deferred] = {}


class Deferred:
    """The articles a bulk ingest stored on one connection whose reports wait to be resolved together.

    Why: resolving each article in its own transaction costs one set of candidate lookups, one
    resolution and one set of writes (and the pages they dirty at commit) per article; a batch pays
    them once. Each article is marked in ``resolution_pending`` inside its own transaction, so a
    batch cut short by a crash is still resolved (:func:`resolve_pending`, when the store opens)."""

    def __init__(self, con: sqlite3.Connection, transaction: Transaction, size: int, rules: R.Rules, inside: bool = False) -> None:
        self.con, self.transaction, self.size, self.rules = con, transaction, max(1, size), rules
        self.inside = inside  # True: the batches run inside the caller's one transaction, not their own
        self.reports: dict[str, list[R.Report]] = {}
        # articles' rows whose reports are made when the batch resolves: made there, with the
        # collector held off, they cost less than made one article at a time between the store's writes
        self.rows: dict[str, list[Mapping[str, list[dict]]]] = {}

    def add(self, new: list[R.Report]) -> None:
        """One article's reports, inside its transaction: marked pending, kept until the batch resolves."""
        aid = new[0].article_id
        self.con.execute("INSERT OR IGNORE INTO resolution_pending VALUES (?)", (aid,))
        self.reports.setdefault(aid, []).extend(new)

    def add_rows(self, rows: Mapping[str, list[dict]]) -> None:
        """One article's rows, inside its transaction: marked pending (when it has events), and what its
        reports are made of kept (its events, found actors and date: lists the caller made, not copied)."""
        events = rows.get("events") or []
        if not events:
            return
        aid = str(events[0].get("article_id") or "")  # as its reports read it (core.storage.resolve.report_of)
        self.con.execute("INSERT OR IGNORE INTO resolution_pending VALUES (?)", (aid,))
        kept = {"events": events, "found_actors": rows.get("found_actors") or [], "articles": (rows.get("articles") or [{}])[:1]}
        self.rows.setdefault(aid, []).append(kept)

    def _known(self) -> dict[str, list[R.Report]]:
        """The reports of every pending article held here (those kept as rows made now)."""
        known = {aid: list(reports) for aid, reports in self.reports.items()}
        for aid, kept in self.rows.items():
            for rows in kept:
                known.setdefault(aid, []).extend(_reports_or_alone(rows, self.rules))
        return known

    def flush_if_full(self) -> None:
        if (len(self.rows) if not self.reports else len(self.reports.keys() | self.rows.keys())) >= self.size:
            self.flush()

    def flush(self) -> None:
        """Resolve every pending article, in one transaction of its own (the ones kept here from memory).

        A storage error (a full disk, a lock that outlasts the wait) is logged and the batch kept: its
        articles are stored and marked pending, so the next flush, or the next opening of the store
        for writing, resolves them; the ingest goes on."""
        if not self.reports and not self.rows:
            return
        try:
            with self.transaction(self.con) as tx, gc_paused():
                resolve_pending(tx, self.rules, self._known())
        except (ArticleError, sqlite3.Error) as exc:
            if self.inside:
                raise  # the caller's one transaction must fail whole (SQLite may have ended it already)
            write_log(f"resolving a batch of {len(self.reports.keys() | self.rows.keys())} articles (left pending)", exc)
            return
        self.reports, self.rows = {}, {}


def _reports_or_alone(rows: Mapping[str, list[dict]], rules: R.Rules) -> list[R.Report]:
    """:func:`reports_of_rows`, where an event row it cannot read (never from the extractor) becomes a
    report alone that says so, its error logged. Why: made when its batch resolves, after the article
    was stored, an error would otherwise leave the batch pending and fail it again at every attempt
    (made while the article was stored, it failed that article alone)."""
    try:
        return reports_of_rows(rows, rules)
    except Exception:  # one bad row must not stop the batch: each row is tried below
        pass
    out = []
    for event in rows.get("events", []):
        try:
            out.extend(reports_of_rows({**rows, "events": [event]}, rules))
        except Exception as exc:  # logged, and the report kept alone
            write_log(f"reading event {event.get('event_id')!r} for resolution (kept alone)", exc)
            eid, aid = str(event.get("event_id")), str(event.get("article_id") or "")
            out.append(R.Report(eid, aid, None, None, 3, frozenset(), frozenset(), "alone: its row could not be read for resolution"))
    return out


@contextmanager
def deferred(con: sqlite3.Connection, transaction: Transaction, size: int | None = None, inside: bool = False) -> Iterator[Deferred]:
    """Within the block, :func:`attach` on ``con`` marks articles pending instead of resolving them;
    the caller calls :meth:`Deferred.flush_if_full` between articles (``transaction(con)`` opens the
    batch's own write transaction), and what is left is resolved when the block ends, error or not."""
    batch = Deferred(con, transaction, BATCH_ARTICLES if size is None else size, R.load_rules(), inside)
    outer = _DEFERRED.get(id(con))
    _DEFERRED[id(con)] = batch
    try:
        yield batch
    finally:
        if outer is None:
            _DEFERRED.pop(id(con), None)
        else:
            _DEFERRED[id(con)] = outer
        batch.flush()


def resolve_pending(con: sqlite3.Connection, rules: R.Rules | None = None, known: Mapping[str, list[R.Report]] | None = None) -> int:
    """Resolve the articles marked pending (inside the caller's transaction), all in one batch; their
    reports from ``known`` when given, else read back from the stored events. Returns their number."""
    pending = [a for (a,) in con.execute("SELECT article_id FROM resolution_pending ORDER BY article_id")]
    if not pending:
        return 0
    rules = rules or R.load_rules()
    known = known or {}
    new = [r for a in pending for r in known.get(a, ())]
    missing = [a for a in pending if a not in known]
    if missing:
        new += _reports_of_stored(con, missing, rules)
    attach_reports(con, new, rules)
    changelog.record_many(con, pending, changelog.REGROUPED)  # their events have stored groups now
    for chunk in _chunks(pending, 500):
        con.execute(f"DELETE FROM resolution_pending WHERE article_id IN ({','.join('?' * len(chunk))})", chunk)
    return len(pending)


def _reports_of_stored(con: sqlite3.Connection, article_ids: list[str], rules: R.Rules) -> list[R.Report]:
    """The reports of stored articles, from their stored rows (as :func:`backfill` reads them: the
    evidence through the store's reader, which fills the pointer cells of a version-3 store)."""
    from core.storage.store import read_rows  # here: the store imports this module

    frames = []
    for chunk in _chunks(article_ids, 500):
        marks = ",".join("?" * len(chunk))
        frames.append(
            (
                read_rows(con, ["events"], chunk)["events"],
                pd.read_sql_query(f"SELECT article_id, published_date FROM articles WHERE article_id IN ({marks})", con, params=chunk),
                pd.read_sql_query(f"SELECT actor_id, kind, country FROM found_actors WHERE article_id IN ({marks})", con, params=chunk),
            )
        )
    events, articles, found = (pd.concat([f[i] for f in frames], ignore_index=True) for i in range(3))
    known, known_persons = _dictionary_actors()
    countries = {**{a: c for a, c in zip(found["actor_id"], found["country"], strict=True) if c}, **known}
    persons = _Either(known_persons, set(found.loc[found["kind"] == "person", "actor_id"]))
    return R.reports_from_rows(events.to_dict("records"), countries, R.published_map(articles), rules, persons)
