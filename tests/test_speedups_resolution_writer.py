"""Speed-ups of the resolution writer give exactly what the plain way gives (differential tests).

Each speed-up of issue 16's ingest cost is compared here with the plain computation it replaces:

- a report is written in one go (``Report.__init__``) instead of field by field: it equals the report
  the dataclass fields make, flags included;
- the states and persons of an event's actors are memoised per actor set (shared across articles that
  read the dictionary alone): every report equals the one made without the memo;
- the dyad-act-bucket keys are memoised per (states, roots, buckets), the key hashes and the stored
  set texts in plain dicts: each equals its definition;
- reports without a blocking key are written alone without linking: the groups and rules equal those
  :func:`core.storage.resolve.resolve` gives them;
- the garbage collector is held off while a batch resolves and restored as it was, error or not;
- (second round) an article's reports are made in one loop with their date windows memoised: each
  equals report_of as written before; the reasons of links are memoised per (acts, acts, dyad): each
  equals the reason as written before; an article's own keys are no longer stored, and detaching from
  a store that holds them leaves no key row behind.
- (third round) the key rows of a batch are sorted by their key alone, stably: the same sequence as
  sorting the (key, rid) tuples.
- (fourth round) an article with actors of its own reads the sets naming none of them from the
  dictionary's memo: each report equals the plain one; a stored sentence read without splitting
  equals the plain reading; codes kept on a report equal their definition, under other rules too; the
  part found through the keys its candidates have equals the plain part and links.
"""

from __future__ import annotations

import dataclasses
import gc
import random
import sqlite3
from collections import defaultdict
from contextlib import nullcontext
from datetime import date
from hashlib import blake2b
from pathlib import Path

import pytest

from core.io.ingest import extract_raw
from core.storage import resolve as R
from core.storage import resolve_store
from core.storage.store import Store
from core.text.reading import read_path

ROOT = Path(__file__).resolve().parents[1]
TEST_ARTICLES = ROOT / "tests" / "data" / "resolution_articles"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Synthetic articles with several reports per happening, and the key's own test articles."""
    from benchmarks.synthetic import generate

    folder = tmp_path_factory.mktemp("writer")
    paths = generate(24, 11, folder, reports=3) + sorted(TEST_ARTICLES.glob("*.txt"))
    return [extract_raw(read_path(p)) for p in paths]


def _plain_report(row: dict, countries: dict, persons, published, rules: R.Rules) -> R.Report:
    """report_of without the actor-set memo, its states and persons by their definitions."""
    r = R.report_of(row, countries, published, rules, persons, None)
    ids = [*R._split(row.get("actors")), str(row.get("source_actor") or ""), str(row.get("target_actor") or "")]
    assert r.states == R.states_of(ids, countries)
    assert r.persons == frozenset(f"{countries[a]}:{a}" for a in ids if a in persons and countries.get(a))
    return r


def _plain_block_keys(r: R.Report, rules: R.Rules) -> list[str]:
    """The blocking keys as written before the dyad keys were memoised."""
    if not r.datable:
        return []
    own = [f"h/{r.article_id}/{rules.root_class(x)}" for x in sorted(r.roots)] if r.article_id else []
    if not r.linkable:
        return ([f"s/{r.sentence}"] if r.sentence else []) + (own if r.partial_headline else [])
    states = sorted(r.states)
    pairs = [f"{s}+{t}" for i, s in enumerate(states) for t in states[i + 1 :]]
    acts = sorted({rules.root_class(x) for x in r.roots})
    buckets = range(r.lo.toordinal() // R.BUCKET_DAYS, r.hi.toordinal() // R.BUCKET_DAYS + 1)
    keys = [f"{p}/{c}/{b}" for p in pairs for c in acts for b in buckets]
    return keys + ([f"s/{r.sentence}"] if r.sentence else []) + own


def _fresh(r: R.Report) -> R.Report:
    """The same report made again (no keys or codes kept on it yet)."""
    return dataclasses.replace(r)


def test_reports_made_with_the_memos_equal_the_plain_ones(extracted):
    rules = R.load_rules()
    known, known_persons = resolve_store._dictionary_actors()
    seen = 0
    for _round in range(2):  # the second round reads every actor set from the memo
        for ex in extracted:
            fast = resolve_store.reports_of_rows(ex.rows, rules)
            found = ex.rows.get("found_actors") or []
            countries = {**{f["actor_id"]: f["country"] for f in found if f.get("country")}, **known}
            persons = known_persons | {f["actor_id"] for f in found if f.get("kind") == "person"}
            published = R._iso((ex.rows.get("articles") or [{}])[0].get("published_date"))
            plain = [_plain_report(e, countries, persons, published, rules) for e in ex.rows.get("events", [])]
            assert fast == plain
            seen += len(fast)
    assert seen > 500


@pytest.mark.parametrize(
    ("lo", "hi", "level", "states", "sentence", "persons"),
    [
        (date(2019, 4, 24), date(2019, 4, 26), 0, {"RUS", "PRK"}, "a1#3", {"RUS:putin", "PRK:kim"}),
        (date(2019, 4, 1), date(2019, 5, 30), 1, {"RUS", "KOR"}, "a2#0", set()),
        (None, None, 3, {"RUS"}, "", set()),
        (date(2001, 1, 1), date(2001, 12, 31), 2, {"KOR"}, "a3#0", {"KOR:kim-dae-jung"}),
    ],
)
def test_a_report_written_in_one_go_equals_the_one_its_fields_make(lo, hi, level, states, sentence, persons):
    r = R.Report("e1", "a1", lo, hi, level, frozenset({"04"}), frozenset(states), "", sentence, True, frozenset(persons), False)
    by_field = object.__new__(R.Report)
    for f in dataclasses.fields(R.Report):
        if f.init:
            object.__setattr__(by_field, f.name, getattr(r, f.name))
    datable = lo is not None and level < 3
    assert r == by_field and hash(r) == hash(by_field)
    assert (r.datable, r.linkable) == (datable, datable and len(states) >= 2)
    assert r.partial_headline == (sentence.endswith("#0") and len(states) == 1 and datable)
    assert {p for ps in r.persons_by_state.values() for p in ps} == frozenset(persons)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.level = 1  # type: ignore[misc]


def test_memoised_keys_codes_and_texts_equal_their_definitions(extracted):
    rules = R.load_rules()
    reports = [r for ex in extracted for r in resolve_store.reports_of_rows(ex.rows, rules)]
    assert sum(bool(R.dyad_keys(r, rules)) for r in reports if r.linkable) > 100
    for r in reports + [_fresh(r) for r in reports]:  # fresh copies meet the memo filled by the first
        keys = _plain_block_keys(r, rules)
        assert R.block_keys(r, rules) == keys
        stored = [k for k in keys if not k.startswith(("s/", "h/"))]  # keys of one article: not stored
        plain = [int.from_bytes(blake2b(k.encode(), digest_size=6).digest(), "big") for k in stored]
        assert resolve_store._key_codes(r, rules) == plain
        for values in (r.roots, r.states, r.persons):
            assert resolve_store._joined(values) == ";".join(sorted(values))


def test_the_memos_are_bounded(monkeypatch):
    monkeypatch.setattr(resolve_store, "_CODES_MAX", 3)
    resolve_store._CODES.clear()
    codes = [resolve_store.key_code(f"KOR+RUS/04/{b}") for b in range(10)]
    assert len(resolve_store._CODES) <= 3
    assert codes == [int.from_bytes(blake2b(f"KOR+RUS/04/{b}".encode(), digest_size=6).digest(), "big") for b in range(10)]


def _rows(path: Path) -> set[tuple]:
    with sqlite3.connect(path) as con:
        return set(resolve_store.load(con).itertuples(index=False, name=None))


def test_reports_without_a_key_are_written_with_the_rules_resolve_gives_them(extracted, tmp_path):
    rules = R.load_rules()
    reports = [r for ex in extracted for r in resolve_store.reports_of_rows(ex.rows, rules)]
    keyless = [r for r in reports if not R.block_keys(r, rules)]
    assert len({r.why_alone for r in keyless}) >= 2  # several reasons to stand alone, and none
    random.Random(3).shuffle(keyless)
    store = Store(tmp_path / "alone.sqlite")
    with store.connect() as con, store.transaction(con) as tx:
        resolve_store.attach_reports(tx, keyless, rules)
    res = R.resolve(keyless, rules)
    assert _rows(store.path) == {(e, res.resolved_id[e], res.merge_rule[e]) for e in res.resolved_id}


@pytest.mark.parametrize("fails", [False, True])
@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_held_off_for_the_block_and_restored_as_it_was(enabled, fails):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with pytest.raises(RuntimeError) if fails else nullcontext(), resolve_store.gc_paused():
            assert not gc.isenabled()
            if fails:
                raise RuntimeError("a batch failed")
        assert gc.isenabled() == enabled
    finally:
        gc.enable() if was else gc.disable()


@pytest.mark.parametrize(
    "bad", [{"sentence_id": "first"}, {"start_date": "0001-01-01", "end_date": "0001-01-01", "date_rule": "date:clause x"}]
)
def test_a_row_resolution_cannot_read_is_kept_alone_and_the_batch_goes_on(extracted, tmp_path, monkeypatch, bad):
    """Reports are made when their batch resolves, after the articles are stored: a row no report can
    be made of (the extractor never writes one) is logged and kept alone, the rest resolved as usual."""
    import copy

    from core.io.ingest import write_extracted

    logged: list[str] = []
    monkeypatch.setattr(resolve_store, "write_log", lambda what, exc: logged.append(what))
    articles = copy.deepcopy(extracted[:9])
    spoiled = articles[4].rows["events"][0]
    spoiled.update(bad)
    store = Store(tmp_path / "bad.sqlite")
    with store.connect() as con:
        results = write_extracted(store, [(ex.record["article_id"], ex) for ex in articles], con)
    assert [r.status for r in results] == ["added"] * len(articles)
    stored = {e: (rid, rule) for e, rid, rule in _rows(store.path)}
    assert len(stored) == sum(len(ex.rows["events"]) for ex in articles)
    assert stored[spoiled["event_id"]] == ("R" + spoiled["event_id"], "alone: its row could not be read for resolution")
    assert logged and spoiled["event_id"] in logged[0]
    assert sum(rule.startswith(("root", "joined")) for _rid, rule in stored.values()) >= 3  # the others still merge
    with sqlite3.connect(store.path) as con:
        assert con.execute("SELECT COUNT(*) FROM resolution_pending").fetchone()[0] == 0


# ---- resolve: the reference as written before ---------------------------------------------------


def _resolve_reference(reports: list[R.Report], linked: dict[str, dict[str, str]]) -> R.Resolution:
    """core.storage.resolve.resolve as written before its loops were shortened (the reference)."""
    by_id = {r.event_id: r for r in reports}
    parent: dict[str, str] = {r.event_id: r.event_id for r in reports}
    rule: dict[str, str] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: str, y: str) -> None:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)

    placed: set[str] = set()  # reports already in a group of a finer level
    for level in range(3):
        here = sorted(r.event_id for r in reports if r.datable and r.level == level)
        pool = []
        for eid in here:
            partners = linked.get(eid, {})
            if level == 0:
                pool.append(eid)
                continue
            groups = sorted({find(p) for p in partners if p in placed})
            if len(groups) > 1:
                # several happenings fit: the one whose date the texts state (not only a publication
                # date) wins when it is the only such one
                dated = sorted({find(p) for p in partners if p in placed and by_id[p].dated})
                if len(dated) == 1:
                    groups = dated
            if len(groups) == 1:
                rule[eid] = f"joined the one happening its {R.LEVELS[level]} date fits: " + next(
                    partners[p] for p in sorted(partners) if p in placed and find(p) == groups[0]
                )
                union(eid, groups[0])
            elif len(groups) > 1:
                rule[eid] = f"alone: its {R.LEVELS[level]} date fits {len(groups)} happenings"
            else:
                pool.append(eid)
        pool_set = set(pool)
        for eid in pool:
            for p in sorted(linked.get(eid, {})):
                if p in pool_set:
                    union(eid, p)
                    rule.setdefault(eid, linked[eid][p])
        placed.update(eid for eid in here if not rule.get(eid, "").startswith("alone"))
    members: dict[str, list[str]] = defaultdict(list)
    for eid in parent:
        members[find(eid)].append(eid)
    out = R.Resolution()
    for group in members.values():
        rid = "R" + min(group)
        for eid in group:
            out.resolved_id[eid] = rid
            if len(group) == 1:
                out.merge_rule[eid] = by_id[eid].why_alone or (
                    rule[eid] if rule.get(eid, "").startswith("alone") else "alone: no other report fits"
                )
            else:
                out.merge_rule[eid] = rule.get(eid, "")
        for eid in group:
            if len(group) > 1 and not out.merge_rule[eid]:
                # a report that others linked to (the first of its pairs): name one of its links
                partner = next((p for p in sorted(linked.get(eid, {})) if p in group), None)
                out.merge_rule[eid] = linked[eid][partner] if partner else "linked"
    return out


def test_resolve_gives_what_the_reference_gives(extracted):
    rules = R.load_rules()
    reports = [r for ex in extracted for r in resolve_store.reports_of_rows(ex.rows, rules)]
    linked = R.links(reports, rules)
    fast, plain = R.resolve(reports, rules, linked), _resolve_reference(reports, linked)
    assert len(set(plain.resolved_id.values())) < len(reports) - 30  # happenings with several reports
    assert len({rule for rule in plain.merge_rule.values() if rule.startswith("joined")}) >= 1
    assert fast == plain


@pytest.mark.parametrize("value", ["2019-04-25", "2019-04-25T10:00", "", "not a date", None, float("nan"), date(2001, 8, 4), "2019-02-30"])
def test_memoised_iso_dates_equal_their_definition(value):
    for _ in range(2):  # the second read comes from the memo
        assert R._iso_memo(value) == R._iso(value)


# ---- report_of: the date window memoised per rules ------------------------------------------------


def _window_reference(row: dict, published, states, named, roots: set, sentence: str, evidence: str, rules: R.Rules):
    """The window, level and reason of report_of as written before the window was memoised."""
    from datetime import timedelta

    start, end = R._iso(row.get("start_date")), R._iso(row.get("end_date"))
    end = end or start
    if start is None:
        return None, None, 3, "alone: no date"
    date_rule = str(row.get("date_rule") or "")
    dated = date_rule.startswith(("date:clause", "date:sentence"))
    if not date_rule.startswith("date:article"):
        published = None
    if published is not None:
        if row.get("status") in ("planned", "unconfirmed"):
            start, end = published, published + timedelta(days=rules.planned_days)
        elif rules.recent is not None and rules.recent.search(evidence):
            start, end = published - timedelta(days=rules.recent_days), published
        else:
            start, end = published - timedelta(days=rules.past_days), published
    width = (end - start).days + 1
    fine, medium, coarse = rules.widths
    level = 0 if width <= fine else 1 if width <= medium else 2 if width <= coarse else 3
    if level == 0 and not dated and not named:
        level = 1
    headline = sentence.endswith("#0") and len(states) == 1 and bool(roots) and level < 3
    if headline:
        level = 2
    why = ""
    if level == 3:
        why = f"alone: date window of {width} days is too vague to merge"
    elif len(states) < 2 and not headline:
        why = "alone: no dyad of states to match"
    elif not roots:
        why = "alone: no CAMEO root"
    tol = timedelta(days=rules.tolerance[level]) if level < 3 else timedelta(0)
    return start - tol, end + tol, level, why


def _check_window(row: dict, countries: dict, persons, published, rules: R.Rules) -> R.Report:
    r = R.report_of(row, countries, published, rules, persons, None)
    lo, hi, level, why = _window_reference(
        row, published, r.states, r.persons, set(r.roots), r.sentence, str(row.get("evidence") or ""), rules
    )
    assert (r.lo, r.hi, r.level, r.why_alone) == (lo, hi, level, why)
    return r


def test_memoised_windows_equal_the_plain_ones_on_the_corpus(extracted):
    rules = R.load_rules()
    known, known_persons = resolve_store._dictionary_actors()
    levels = set()
    for _round in range(2):  # the second round reads every window from the memo
        for ex in extracted:
            published = R._iso((ex.rows.get("articles") or [{}])[0].get("published_date"))
            for e in ex.rows.get("events", []):
                levels.add(_check_window(e, known, known_persons, published, rules).level)
    assert levels >= {0, 1, 2}  # fine, medium and coarse windows all met


_BASE = {
    "event_id": "x-e1",
    "article_id": "x",
    "actors": "RUS;PRK",
    "source_actor": "RUS",
    "target_actor": "PRK",
    "cameo_root": "04",
    "evidence": "The two sides held talks.",
    "sentence_id": 2,
    "status": "occurred",
}


@pytest.mark.parametrize(
    "change",
    [
        {"start_date": "2019-04-25", "end_date": "2019-04-25", "date_rule": "date:clause 'on 25 April'"},
        {"start_date": "2019-04-25", "end_date": "", "date_rule": "date:paragraph"},
        {"start_date": "2019-04-25", "end_date": None, "date_rule": "date:article", "status": "planned"},
        {"start_date": "2019-04-25", "end_date": "2019-04-25", "date_rule": "date:article", "evidence": "Putin recently met Kim."},
        {"start_date": "2019-04-25", "end_date": "2019-04-25", "date_rule": "date:article"},
        {"start_date": "2019-04-01", "end_date": "2019-04-30", "date_rule": "date:clause 'in April'"},
        {"start_date": "2019-01-01", "end_date": "2019-12-31", "date_rule": "date:clause 'this year'"},
        {"start_date": "2015-01-01", "end_date": "2019-12-31", "date_rule": "date:clause 'since 2015'"},
        {
            "start_date": "2019-04-25",
            "end_date": "2019-04-25",
            "date_rule": "date:clause",
            "sentence_id": 0,
            "actors": "RUS",
            "target_actor": "",
        },
        {"start_date": "2019-04-25", "end_date": "2019-04-25", "date_rule": "date:clause", "actors": "RUS", "target_actor": ""},
        {"start_date": "2019-04-25", "end_date": "2019-04-25", "date_rule": "date:clause", "cameo_root": ""},
        {"start_date": "not a date", "end_date": "2019-04-25", "date_rule": "date:clause"},
        {"start_date": float("nan"), "end_date": float("nan"), "date_rule": "date:clause"},
        {"start_date": date(2019, 4, 25), "end_date": date(2019, 4, 27), "date_rule": "date:sentence"},
    ],
)
@pytest.mark.parametrize("published", [date(2019, 4, 26), None])
def test_memoised_windows_equal_the_plain_ones(change, published):
    rules = R.load_rules()
    countries = {"RUS": "RUS", "PRK": "PRK"}
    for _ in range(2):  # the second call reads the window from the memo
        _check_window({**_BASE, **change}, countries, frozenset(), published, rules)


# ---- link_reason: the reason memoised per (acts, acts, dyad) -------------------------------------


def _reason_reference(a: R.Report, b: R.Report, rules: R.Rules) -> str | None:
    """The end of link_reason as written before its reason was memoised (both reports linkable and
    past the article and persons tests)."""
    shared = a.states & b.states
    act = a.roots & b.roots
    if act:
        why_act = f"root {min(act)}"
        if (
            not ({r for r in a.roots if r != rules.anchor_root} & {r for r in b.roots if r != rules.anchor_root})
            and len(a.roots | b.roots) > 1
        ):
            why_act += " (anchor noun)"
    else:
        pair = next((p for p in rules.root_pairs if len(p) == 2 and p & a.roots and p & b.roots and (p - a.roots) & b.roots), None)
        if pair is None:
            return None
        why_act = "roots " + "+".join(sorted(pair))
    return f"{why_act}, dyad {'+'.join(sorted(shared))}, dates overlap"


def _linkable(eid: str, roots: set[str], states: set[str]) -> R.Report:
    return R.Report(eid, "art-" + eid, date(2019, 4, 24), date(2019, 4, 26), 0, frozenset(roots), frozenset(states), "", "", True)


@pytest.mark.parametrize(
    ("roots_a", "roots_b", "states_a", "states_b"),
    [
        ({"04"}, {"04"}, {"RUS", "PRK"}, {"RUS", "PRK"}),
        ({"04", "03"}, {"04"}, {"RUS", "PRK", "CHN"}, {"RUS", "PRK", "CHN"}),
        ({"04"}, {"05"}, {"RUS", "KOR"}, {"RUS", "KOR"}),
        ({"19"}, {"04"}, {"RUS", "KOR"}, {"RUS", "KOR"}),
        ({"04", "06"}, {"04", "03"}, {"RUS", "KOR"}, {"RUS", "KOR", "JPN"}),
        ({"04"}, {"04"}, {"RUS", "KOR"}, {"RUS", "PRK"}),
    ],
)
def test_memoised_reasons_equal_the_plain_ones(roots_a, roots_b, states_a, states_b):
    rules = R.load_rules()
    roots_a = roots_a | ({rules.anchor_root} if "04" in roots_a else set())  # the anchor's act among them
    a, b = _linkable("a", roots_a, states_a), _linkable("b", roots_b, states_b)
    expected = _reason_reference(a, b, rules) if len(a.states & b.states) >= 2 else None
    for _ in range(2):  # the second call reads the memo
        assert R.link_reason(a, b, rules) == expected
        assert R.link_reason(b, a, rules) == (_reason_reference(b, a, rules) if expected else None)


def test_memoised_reasons_equal_the_plain_ones_on_the_corpus(extracted):
    rules = R.load_rules()
    reports = [r for ex in extracted for r in resolve_store.reports_of_rows(ex.rows, rules)]
    blocks = defaultdict(list)
    for r in reports:
        for k in R.block_keys(r, rules):
            blocks[k].append(r)
    checked = 0
    for members in blocks.values():
        for x, a in enumerate(members):
            for b in members[x + 1 :]:
                why = R.link_reason(a, b, rules)
                if why and why.endswith("dates overlap"):
                    assert why == _reason_reference(a, b, rules)
                    checked += 1
    assert checked > 100


# ---- reports made in one loop per article --------------------------------------------------------


def _report_reference(row: dict, countries, published, rules: R.Rules, persons) -> R.Report:
    """report_of as written before it became one loop over an article's rows (its window part is
    :func:`_window_reference`)."""
    eid, aid = str(row["event_id"]), str(row.get("article_id") or "")
    states, named = R._actor_states(row.get("actors"), row.get("source_actor"), row.get("target_actor"), countries, persons, None)
    root = row.get("cameo_root")
    root = "" if R._missing(root) else str(root or "").zfill(2)
    roots = {root} if root.strip("0") else set()
    evidence = str(row.get("evidence") or "")
    anchored = R._anchored(evidence, rules)
    if anchored:
        roots.add(rules.anchor_root)
    sid = row.get("sentence_id")
    sentence = f"{aid}#{int(sid)}" if aid and not R._missing(sid) and str(sid) != "" else ""
    lo, hi, level, why = _window_reference(row, published, states, named, roots, sentence, evidence, rules)
    dated = lo is not None and str(row.get("date_rule") or "").startswith(("date:clause", "date:sentence"))
    return R.Report(eid, aid, lo, hi, level, frozenset(roots), states, why, sentence, dated, named, anchored)


def _same(fast: R.Report, plain: R.Report) -> None:
    assert fast == plain
    derived = ("partial_headline", "linkable", "datable", "persons_by_state")
    assert [getattr(fast, f) for f in derived] == [getattr(plain, f) for f in derived]


def test_reports_made_in_one_loop_equal_the_plain_ones_on_the_corpus(extracted):
    rules = R.load_rules()
    known, known_persons = resolve_store._dictionary_actors()
    seen = 0
    for ex in extracted:
        published = R._iso((ex.rows.get("articles") or [{}])[0].get("published_date"))
        events = ex.rows.get("events", [])
        fast = R.reports_of_events(events, known, published, rules, known_persons, {})
        assert len(fast) == len(events)
        for f, e in zip(fast, events, strict=True):
            _same(f, _report_reference(e, known, published, rules, known_persons))
        seen += len(fast)
    assert seen > 500


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"cameo_root": "4"},
        {"cameo_root": 4},
        {"cameo_root": "0"},
        {"cameo_root": float("nan")},
        {"cameo_root": None},
        {"sentence_id": 0, "actors": "RUS", "target_actor": ""},
        {"sentence_id": 3.0},
        {"sentence_id": "7"},
        {"sentence_id": None},
        {"sentence_id": float("nan")},
        {"article_id": ""},
        {"article_id": None},
        {"evidence": "During the talks the two sides signed a deal.", "cameo_root": "05"},
        {"actors": float("nan"), "source_actor": None, "target_actor": None},
        {"start_date": None},
        {"status": "planned", "date_rule": "date:article"},
    ],
)
def test_reports_made_in_one_loop_equal_the_plain_ones(change):
    rules = R.load_rules()
    countries = {"RUS": "RUS", "PRK": "PRK", "putin": "RUS"}
    row = {**_BASE, "start_date": "2019-04-25", "end_date": "2019-04-25", "date_rule": "date:clause 'on 25 April'", **change}
    memo: dict = {}
    for _ in range(2):  # the second round reads the memos
        fast = R.reports_of_events([row, {**row, "event_id": "x-e2"}], countries, date(2019, 4, 26), rules, {"putin"}, memo)
        _same(fast[0], _report_reference(row, countries, date(2019, 4, 26), rules, {"putin"}))
        _same(fast[1], _report_reference({**row, "event_id": "x-e2"}, countries, date(2019, 4, 26), rules, {"putin"}))


# ---- an article's own keys are not stored; a store that holds them loses them on detach --------


def test_detaching_from_a_store_that_kept_the_articles_own_keys_leaves_no_key_row_behind(extracted):
    rules = R.load_rules()
    reports = [r for ex in extracted for r in resolve_store.reports_of_rows(ex.rows, rules)]
    con = sqlite3.connect(":memory:")
    resolve_store.ensure_schema(con)
    resolve_store.attach_reports(con, reports, rules)
    stored = {k for (k,) in con.execute("SELECT key FROM resolution_keys")}
    assert stored and not stored & {resolve_store.key_code(k) for r in reports for k in R.block_keys(r, rules) if k[:2] in ("h/", "s/")}
    # the rows a store written before the article's own keys were left out holds
    rid = dict(con.execute(f"SELECT {resolve_store._EVENT}, r.rid FROM {resolve_store._FROM}"))
    old = [(resolve_store.key_code(k), rid[r.event_id]) for r in reports for k in R.block_keys(r, rules) if k.startswith("h/")]
    con.executemany("INSERT OR IGNORE INTO resolution_keys VALUES (?,?)", old)
    article = next(r.article_id for r in reports if r.linkable and r.article_id)
    assert any(k.startswith(f"h/{article}/") for r in reports for k in R.block_keys(r, rules))
    resolve_store.detach(con, article, rules)
    assert con.execute(f"SELECT COUNT(*) FROM {resolve_store._FROM} WHERE a.article_id=?", (article,)).fetchone()[0] == 0
    orphans = con.execute("SELECT COUNT(*) FROM resolution_keys k LEFT JOIN resolution r ON r.rid = k.rid WHERE r.rid IS NULL")
    assert orphans.fetchone()[0] == 0


@pytest.mark.parametrize("dup_every", [0, 3, 1])
def test_key_rows_sorted_by_key_alone_are_the_rows_sorted_whole(extracted, dup_every, monkeypatch):
    """The key rows in the order written equal the (key, rid) tuples sorted whole, also when two
    reports share a code (``dup_every``: every n-th report given its neighbour's codes) or one holds
    a code twice."""
    rules = R.load_rules()
    reports = [r for ex in extracted for r in resolve_store.reports_of_rows(ex.rows, rules) if r.linkable]
    assert len(reports) > 20
    codes = {r.event_id: list(resolve_store._key_codes(r, rules)) for r in reports}
    if dup_every:
        for i in range(dup_every, len(reports), dup_every + 1):
            codes[reports[i].event_id] = codes[reports[i - 1].event_id] + codes[reports[i].event_id][:1]
    monkeypatch.setattr(resolve_store, "_key_codes", lambda r, _rules: codes[r.event_id])
    for r in reports:
        r.__dict__.pop("_codes", None)  # _key_rows reads the codes kept on a report before asking
    random.Random(dup_every).shuffle(reports)
    items = [(r, None, 1) for r in reports]
    expected = sorted((k, 7 + i) for i, r in enumerate(reports) for k in codes[r.event_id])
    got = resolve_store._key_rows(items, [7 + i for i in range(len(items))], rules)
    assert got == expected
    assert len({k for k, _ in got}) < len(got) or not dup_every  # shared codes were there to order


# ---- fourth round: articles with actors of their own, stored sentences, cached codes, the part ----


_OWN_ARTICLES = {
    # found actors (id, kind, country) of the article, and the actor cells of its events
    "none": ([], ["RUS;PRK", "putin;PRK"]),
    "a person of its own": ([("ivan-petrov", "person", "RUS")], ["ivan-petrov;PRK", "RUS;PRK", "putin;kim-jong-un"]),
    "its own id padded in a cell": ([("ivan-petrov", "person", "RUS")], [" ivan-petrov;PRK", "ivan-petrov ;PRK"]),
    "a person without a country": ([("ivan-petrov", "person", "")], ["ivan-petrov;RUS;PRK", "RUS;PRK"]),
    "a body of its own": ([("pyongyang-radio", "organization", "PRK")], ["RUS;pyongyang-radio", "RUS;PRK"]),
    "an id the dictionary knows": ([("RUS", "state", "KOR")], ["RUS;PRK", "putin;PRK"]),
}


@pytest.mark.parametrize("case", sorted(_OWN_ARTICLES))
def test_reports_of_an_article_with_actors_of_its_own_equal_the_plain_ones(case):
    """An article that found actors of its own reads the actor sets naming none of them from the
    dictionary's shared memo (``R.ActorMemo``): each report equals the one made without any memo, in
    that article and in an article without actors of its own naming the same sets, before and after."""
    rules = R.load_rules()
    known, known_persons = resolve_store._dictionary_actors()
    found, cells = _OWN_ARTICLES[case]

    def article(aid: str, own: bool) -> dict:
        events = [
            {**_BASE, "event_id": f"{aid}-e{i}", "article_id": aid, "actors": c, "source_actor": "", "target_actor": "", "sentence_id": i}
            for i, c in enumerate(cells)
        ]
        for e in events:
            e.update(start_date="2019-04-25", end_date="2019-04-25", date_rule="date:clause 'on 25 April'")
        actors = [{"actor_id": a, "kind": k, "country": c} for a, k, c in found] if own else []
        return {"events": events, "found_actors": actors, "articles": [{"published_date": "2019-04-26"}]}

    for rows in (article("plain1", False), article("own1", True), article("plain2", False), article("own2", True)):
        own = {f["actor_id"]: f["country"] for f in rows["found_actors"] if f["country"]}
        countries = {**own, **known}
        persons = set(known_persons) | {f["actor_id"] for f in rows["found_actors"] if f["kind"] == "person"}
        fast = resolve_store.reports_of_rows(rows, rules)
        assert len(fast) == len(cells)
        for f, e in zip(fast, rows["events"], strict=True):
            _same(f, _report_reference(e, countries, date(2019, 4, 26), rules, persons))


def _sentence_reference(sentence: str, article_id: str) -> int | str | None:
    """The stored sentence cell as written before the fast reading."""
    if not sentence:
        return None
    aid, _, n = sentence.rpartition("#")
    return int(n) if aid == article_id and n.isdigit() and str(int(n)) == n else sentence


@pytest.mark.parametrize(
    ("article_id", "sentence"),
    [
        ("a1", "a1#3"),
        ("a1", "a1#0"),
        ("a1", "a1#12"),
        ("a1", "a1#03"),
        ("a1", "a1#00"),
        ("a1", "a1#"),
        ("a1", "a1#x"),
        ("a1", "a1#-3"),
        ("a1", "a1#+3"),
        ("a1", "a1# 3"),
        ("a1", "a1#3 "),
        ("a1", "b2#3"),
        ("a1", "a12#3"),
        ("a1", "a1#3#4"),
        ("a#1", "a#1#2"),
        ("", "#5"),
        ("", "5"),
        ("a1", "a1#\u0663"),  # an Arabic-Indic digit: int() reads it, str() writes "3"
        ("a1", "a1"),
        ("a1", ""),
    ],
)
def test_a_sentence_stored_by_the_fast_reading_equals_the_plain_one(article_id, sentence):
    r = R.Report("e1", article_id, None, None, 3, frozenset(), frozenset(), "", sentence)
    for _ in range(2):  # the second time the ending's number comes from the memo
        assert resolve_store._encoded(r, 1, None, 1)[resolve_store._STORED.index("sentence")] == _sentence_reference(sentence, article_id)


def test_codes_kept_on_a_report_equal_their_definition_under_other_rules(extracted):
    """The codes kept on a report are read again only under the rules they were made with: asked
    under rules whose act classes differ (04 and 05 one class), they are those rules' codes."""
    rules = R.load_rules()
    other = dataclasses.replace(rules, root_pairs=rules.root_pairs | {frozenset({"04", "05"})})
    reports = [r for ex in extracted for r in resolve_store.reports_of_rows(ex.rows, rules) if r.linkable]
    assert len(reports) > 100
    changed = 0
    for r in reports:
        for rs in (rules, other, rules):
            stored = [k for k in _plain_block_keys(r, rs) if not k.startswith(("s/", "h/"))]
            plain = [int.from_bytes(blake2b(k.encode(), digest_size=6).digest(), "big") for k in stored]
            assert resolve_store._key_codes(r, rs) == plain
            assert resolve_store._key_codes(r, rs) == plain  # the second time from the report
        changed += resolve_store._key_codes(r, rules) != resolve_store._key_codes(r, other)
    assert changed > 0


def _component_reference(con: sqlite3.Connection, start: list[R.Report], rules: R.Rules) -> tuple[set[str], dict]:
    """The reports and links :func:`resolve_store._component` finds (one hop), the plain way: every
    candidate tested against every new report sharing any blocking key with it."""
    reports = {r.event_id for r in start}
    found: dict[str, dict[str, str]] = {}
    groups = set()
    frontier = [r for r in start if r.datable]
    for row in resolve_store._candidates(con, frontier, rules):
        if row[0] in reports:
            continue
        c = resolve_store._stored(row)
        hit = False
        for r in frontier:
            if set(R.block_keys(r, rules)) & set(R.block_keys(c, rules)):
                why = R.link_reason(r, c, rules)
                if why:
                    hit = True
                    found.setdefault(r.event_id, {})[c.event_id] = why
                    found.setdefault(c.event_id, {})[r.event_id] = why
        if hit:
            reports.add(c.event_id)
            if row[2] is not None:
                groups.add(row[2])
    for g in groups:
        reports.update(e for (e,) in con.execute(f"SELECT {resolve_store._EVENT} FROM {resolve_store._FROM} WHERE r.resolved_id=?", (g,)))
    return reports, found


@pytest.mark.parametrize("cut", [0.25, 0.5, 0.75])
def test_the_part_found_through_the_candidates_keys_is_the_plain_one(extracted, cut):
    """``_component`` indexes the new reports by the keys its candidates have only: the part and the
    links it finds equal those of testing each candidate against every new report sharing a key."""
    rules = R.load_rules()
    order = list(extracted)
    random.Random(int(cut * 100)).shuffle(order)
    half = int(len(order) * cut)
    con = sqlite3.connect(":memory:")
    resolve_store.ensure_schema(con)
    resolve_store.attach_reports(con, [r for ex in order[:half] for r in resolve_store.reports_of_rows(ex.rows, rules)], rules)
    new = [r for ex in order[half:] for r in resolve_store.reports_of_rows(ex.rows, rules) if R.block_keys(r, rules)]
    part = resolve_store._component(con, new, rules)
    reports, found = _component_reference(con, new, rules)
    assert set(part.reports) == reports
    assert part.found == found
    assert sum(len(v) for v in found.values()) > 10  # links with stored reports were there to find


# ---- fifth round (layout 5): reports no link touches written without passing through resolve ----


@pytest.mark.parametrize("order_seed", [0, 1, 2])
def test_reports_no_link_touches_written_apart_equal_the_plain_resolution(extracted, order_seed, monkeypatch):
    """``LONE_APART``: the rows (groups, rules, everything stored) equal those of passing every report
    of a part through :func:`core.storage.resolve.resolve`, over batches that meet stored reports and
    an article detached."""
    rules = R.load_rules()
    order = list(extracted)
    random.Random(order_seed).shuffle(order)
    out = {}
    for apart in (True, False):
        monkeypatch.setattr(resolve_store, "LONE_APART", apart)
        con = sqlite3.connect(":memory:")
        resolve_store.ensure_schema(con)
        for chunk in (order[:8], order[8:20], order[20:]):
            resolve_store.attach_reports(con, [r for ex in chunk for r in resolve_store.reports_of_rows(ex.rows, rules)], rules)
        rows = set(con.execute("SELECT * FROM resolution"))
        article = str(order[order_seed].rows["events"][0]["article_id"])
        resolve_store.detach(con, article, rules)
        out[apart] = (rows, set(con.execute("SELECT * FROM resolution")), set(resolve_store.load(con).itertuples(index=False, name=None)))
    assert out[True] == out[False]
    groups = out[True][2]
    assert any(not rule.startswith("alone") for _e, _g, rule in groups) and any(rule.startswith("alone") for _e, _g, rule in groups)


# ---- sixth round: blocks without each report's key list, dyad keys kept on the report ----------

_STATES = ("KOR", "RUS", "PRK", "USA")
_ARTICLES = ("a1", "a2", "h/odd", "b#1", "")


def _random_reports(seed: int, n: int = 160) -> list[R.Report]:
    """Reports of every shape links meet: several articles (one id starting as an article's own key
    does, one holding the sentence mark, one empty), shared and odd sentences, partial headlines
    (a title naming one side), windows of every level (one ending before it starts), persons."""
    rnd = random.Random(seed)
    base = date(2020, 3, 1).toordinal()
    out = []
    for i in range(n):
        aid = rnd.choice(_ARTICLES)
        sentence = (
            rnd.choice(["", f"{aid}#0", f"{aid}#{rnd.randrange(4)}", f"{aid}#{rnd.randrange(4)}", "odd sentence"])
            if aid
            else rnd.choice(["", "x#1"])
        )
        states = frozenset(rnd.sample(_STATES, rnd.choice([1, 2, 2, 2, 3])))
        roots = frozenset(rnd.sample(["04", "05", "03"], rnd.choice([0, 1, 1, 1, 2])))
        lo = base + rnd.randrange(40)
        width = rnd.choice([0, 1, 3, 10, 40, 200, -2])
        level = rnd.choice([0, 0, 1, 2, 3]) if width >= 0 else 0
        persons = frozenset(f"{s}:p{rnd.randrange(2)}" for s in states if rnd.random() < 0.3)
        dated = rnd.random() < 0.5
        window = (date.fromordinal(lo), date.fromordinal(lo + width)) if rnd.random() < 0.95 else (None, None)
        out.append(R.Report(f"{aid}-e{i:03d}", aid, *window, level, roots, states, "", sentence, dated, persons, rnd.random() < 0.2))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_links_made_without_key_lists_equal_the_links_of_the_block_keys(seed):
    """:func:`core.storage.resolve.links` (dyad keys from their memo, sentence blocks by the sentence,
    an article's own keys only beside a headline) finds the links of the blocks of
    :func:`core.storage.resolve.block_keys`, reason for reason."""
    rules = R.load_rules()
    reports = _random_reports(seed)
    assert any(r.partial_headline for r in reports)
    plain = R.links_by_block_keys([_fresh(r) for r in reports], rules)
    fast = R.links(reports, rules)
    assert fast == plain
    assert sum(len(v) for v in plain.values()) > 10
    assert R.links(reports, rules) == plain  # the second time with the keys kept on the reports


def test_links_made_without_key_lists_equal_the_links_of_the_block_keys_on_the_corpus(extracted):
    rules = R.load_rules()
    reports = [r for ex in extracted for r in resolve_store.reports_of_rows(ex.rows, rules)]
    plain = R.links_by_block_keys([_fresh(r) for r in reports], rules)
    assert R.links(reports, rules) == plain
    assert sum(len(v) for v in plain.values()) > 50


@pytest.mark.parametrize("seed", range(6))
def test_whether_a_report_has_keys_is_whether_its_key_list_is_empty(seed, extracted):
    rules = R.load_rules()
    reports = _random_reports(seed) + [r for ex in extracted[seed::6] for r in resolve_store.reports_of_rows(ex.rows, rules)]
    assert {R.has_block_keys(r, rules) for r in reports} == {True, False}
    for r in reports:
        assert R.has_block_keys(_fresh(r), rules) == bool(_plain_block_keys(r, rules))


@pytest.mark.parametrize("seed", range(3))
def test_dyad_keys_kept_on_a_report_equal_their_definition_under_other_rules(seed):
    rules = R.load_rules()
    other = dataclasses.replace(rules, root_pairs=rules.root_pairs | {frozenset({"04", "05"})})
    reports = [r for r in _random_reports(seed) if r.linkable]
    for r in reports:
        for rs in (rules, other, rules):
            plain = [k for k in _plain_block_keys(r, rs) if not k.startswith(("s/", "h/"))]
            assert R.dyad_keys(r, rs) == plain
            assert R.dyad_keys(r, rs) == plain  # the second time from the report


@pytest.mark.parametrize("order_seed", [0, 1, 2])
def test_batches_linked_without_key_lists_store_what_the_block_keys_store(extracted, order_seed, monkeypatch):
    """The whole writer, its batches linked by :func:`core.storage.resolve.links` or by the plain
    :func:`core.storage.resolve.links_by_block_keys` (and sorted by their key lists): the same rows,
    also after an article is detached."""
    rules = R.load_rules()
    order = list(extracted)
    random.Random(order_seed).shuffle(order)
    out = {}
    for fast in (True, False):
        if not fast:
            monkeypatch.setattr(R, "links", R.links_by_block_keys)
            monkeypatch.setattr(R, "has_block_keys", lambda r, rs: bool(R.block_keys(r, rs)))
        con = sqlite3.connect(":memory:")
        resolve_store.ensure_schema(con)
        for chunk in (order[:8], order[8:20], order[20:]):
            resolve_store.attach_reports(con, [r for ex in chunk for r in resolve_store.reports_of_rows(ex.rows, rules)], rules)
        rows = set(con.execute("SELECT * FROM resolution"))
        keys = set(con.execute("SELECT * FROM resolution_keys"))
        resolve_store.detach(con, str(order[order_seed].rows["events"][0]["article_id"]), rules)
        out[fast] = (rows, keys, set(con.execute("SELECT * FROM resolution")))
    assert out[True] == out[False]
    assert any(g is not None for _rid, _e, g, *_ in out[True][0])


@pytest.mark.parametrize("n", [0, 1, 82, 83, 84, 166, 499, 500, 1201])
@pytest.mark.parametrize("table", ["resolution", "resolution_keys"])
def test_rows_bound_many_to_a_statement_equal_rows_inserted_one_by_one(n, table):
    """``insert_many`` (many rows to one INSERT) leaves the table as ``executemany`` of one row a
    statement leaves it: rows already there replaced (reports) or kept (keys), repeated rows inside one
    statement taken in order, NULLs bound as 0 turned back into NULL."""
    rnd = random.Random(n)
    if table == "resolution":
        head, row = resolve_store._INSERT_HEAD, resolve_store._INSERT_ROW

        def make(i: int) -> tuple:
            rid = rnd.randrange(max(n // 2, 1)) if i % 3 == 0 else 10_000 + i  # a third replace an earlier row
            cells = (rnd.choice([0, f"e{i}"]), rnd.choice([0, 5, "R-x"]), i % 7, 730_000 + i, i % 4, i % 3, "04", "KOR;RUS", i, i % 4)
            return (rid, *cells, rnd.choice(["", "KOR:p"]))
    else:
        head, row = resolve_store._INSERT_KEY_HEAD, resolve_store._INSERT_KEY_ROW

        def make(i: int) -> tuple:
            return (rnd.randrange(max(n // 3, 1)), rnd.randrange(max(n // 3, 1)))  # many repeated rows

    before = [make(i) for i in range(n // 4)]
    rows = [make(i) for i in range(n)]
    out = []
    for fast in (True, False):
        con = sqlite3.connect(":memory:")
        resolve_store.ensure_schema(con)
        con.executemany(head + row, before)
        if fast:
            resolve_store.insert_many(con, head, row, rows)
        else:
            con.executemany(head + row, rows)
        out.append(con.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall())
    assert out[0] == out[1]
    assert len(out[0]) >= (n > 0)


@pytest.mark.parametrize("cut", [0.3, 0.6])
def test_the_part_found_for_reports_of_stored_articles_is_the_plain_one(extracted, cut):
    """``_component`` makes every key of a new report whose article or sentence a candidate shares
    (its sentence and own keys can then be wanted), its dyad keys only for the others: with new
    reports of articles already stored (their events under other ids), the part and its links equal
    the plain ones."""
    rules = R.load_rules()
    order = list(extracted)
    random.Random(int(cut * 10)).shuffle(order)
    half = int(len(order) * cut)
    con = sqlite3.connect(":memory:")
    resolve_store.ensure_schema(con)
    stored = [r for ex in order[:half] for r in resolve_store.reports_of_rows(ex.rows, rules)]
    resolve_store.attach_reports(con, stored, rules)
    again = [dataclasses.replace(r, event_id=r.event_id + "-again") for r in stored[::3]]
    new = [r for ex in order[half:] for r in resolve_store.reports_of_rows(ex.rows, rules)] + again
    new = [r for r in new if R.block_keys(_fresh(r), rules)]
    part = resolve_store._component(con, [_fresh(r) for r in new], rules)
    reports, found = _component_reference(con, new, rules)
    assert set(part.reports) == reports
    assert part.found == found
    assert any(a.endswith("-again") and b.split("-again")[0] == b for a, bs in found.items() for b in bs)  # met its own stored self
