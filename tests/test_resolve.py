"""Event resolution (core.storage.resolve, core.storage.resolve_store): rules, statuses, dates, the key, incremental store."""

from __future__ import annotations

import itertools
import random
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from core.io.ingest import ingest_paths
from core.query.tables import load_tables
from core.storage import resolve as R
from core.storage import resolve_store
from core.storage.store import Store

ROOT = Path(__file__).resolve().parents[1]
TEST_ARTICLES = ROOT / "tests" / "data" / "resolution_articles"
DEV = ROOT.parent / "shared" / "eval" / "dev-real" / "articles"
KEY = ROOT / "tests" / "data" / "resolution_key.yaml"
RULES = R.load_rules()


def _row(
    eid: str,
    start: str,
    end: str = "",
    *,
    root: str = "04",
    actors: str = "RUS;PRK",
    status: str = "occurred",
    rule: str = "date:clause",
    aid: str = "",
    evidence: str = "",
    precision: str = "day",
) -> dict:
    return {
        "event_id": eid,
        "article_id": aid or eid.split("-")[0],
        "start_date": start,
        "end_date": end or start,
        "cameo_root": root,
        "actors": actors,
        "status": status,
        "date_rule": rule,
        "evidence": evidence,
        "date_precision": precision,
        "source_actor": "",
        "target_actor": "",
    }


COUNTRY = {"vladimir-putin": "RUS", "kim-jong-un": "PRK", "moon-jae-in": "KOR", "sergei-lavrov": "RUS"}


def _groups(rows: list[dict], published: dict[str, date] | None = None) -> set[frozenset[str]]:
    reports = R.reports_from_rows(rows, COUNTRY, published or {}, RULES)
    res = R.resolve(reports, RULES)
    by: dict[str, set[str]] = {}
    for eid, rid in res.resolved_id.items():
        by.setdefault(rid, set()).add(eid)
    return {frozenset(g) for g in by.values()}


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (_row("a-1", "2019-04-25", actors="vladimir-putin;kim-jong-un"), _row("b-1", "2019-04-25"), True),  # person = state
        (_row("a-1", "2019-04-25"), _row("b-1", "2019-04-26"), True),  # a day apart: tolerance of a fine date
        (_row("a-1", "2019-04-25"), _row("b-1", "2019-04-29"), False),  # four days apart
        (_row("a-1", "2019-04-25"), _row("b-1", "2019-04-25", root="11"), False),  # another act
        (_row("a-1", "2019-04-25"), _row("b-1", "2019-04-25", actors="RUS;KOR"), False),  # another dyad
        (_row("a-1", "2019-04-25"), _row("b-1", "2019-04-25", actors="RUS"), False),  # no dyad: never on one state
        (_row("a-1", "2019-04-25"), _row("b-1", "2019-04-25", root="03"), True),  # listed pair of roots 03+04
        (
            _row("a-1", "2019-04-25", root="05", evidence="The deal was signed during the talks."),
            _row("b-1", "2019-04-25"),
            True,
        ),  # anchor noun
        (_row("a-1", "2019-04-25", root="05", evidence="The deal was signed."), _row("b-1", "2019-04-25"), False),
        (_row("a-1", "2001-08-04"), _row("b-1", "2002-08-23"), False),  # the 2001 and 2002 meetings
        (_row("a-1", "2019-04-01", "2019-04-30", precision="month", status="planned"), _row("b-1", "2019-04-25"), True),
        (_row("a-1", "1990-01-01", "1999-12-31", precision="year"), _row("b-1", "1995-04-25"), False),  # a decade
    ],
)
def test_pairs_link_only_when_act_dyad_and_date_fit(a, b, same):
    assert (len(_groups([a, b])) == 1) is same


@pytest.mark.xfail(
    strict=True,
    reason="known defect (2 Dec 2026): fine reports group by single linkage, so one act told on every day of a "
    "month chains into one resolved event; on 12,416 synthetic articles one resolved event held 59,744 reports "
    "over seven years, and a batch of 100 new articles then took 57 s CPU to resolve",
)
def test_daily_acts_of_one_dyad_do_not_chain_into_one_happening():
    """Thirty consecutive days, one report a day of the same act between the same states (a busy dyad's
    routine contacts): each day meets the next within the fine tolerance, but no happening told at day
    precision lasts a month, so no resolved event may span more than ten days."""
    rows = [_row(f"a{d:02d}-1", f"2019-04-{d:02d}") for d in range(1, 31)]
    for group in _groups(rows):
        days = sorted(int(eid[1:3]) for eid in group)
        assert days[-1] - days[0] <= 10, f"one resolved event from day {days[0]} to day {days[-1]}"


def _at(row: dict, article: str, sentence: int, **kw) -> dict:
    return {**row, "article_id": article, "sentence_id": sentence, **kw}


@pytest.mark.parametrize(
    ("rows", "published", "together"),
    [
        # "recently met" in a later article, dated only by that article: months back, not three days
        (
            [
                _row("a-1", "2019-04-25", actors="vladimir-putin;kim-jong-un"),
                _row("b-1", "2019-06-28", rule="date:article", actors="vladimir-putin;PRK", evidence="As you know, I recently met him."),
            ],
            {"b": date(2019, 6, 28)},
            True,
        ),
        (
            [
                _row("a-1", "2019-04-25", actors="vladimir-putin;kim-jong-un"),
                _row("b-1", "2019-06-28", rule="date:article", actors="vladimir-putin;PRK", evidence="As you know, I met him."),
            ],
            {"b": date(2019, 6, 28)},
            False,
        ),
        # a joint press conference is a part of the leaders' meeting
        (
            [
                _row("a-1", "2017-09-06", actors="moon-jae-in;vladimir-putin"),
                _row(
                    "b-1",
                    "2017-09-06",
                    root="05",
                    actors="vladimir-putin;moon-jae-in",
                    evidence="He praised Moon during a joint press conference.",
                ),
            ],
            {},
            True,
        ),
        (
            [
                _row("a-1", "2017-09-06", actors="moon-jae-in;vladimir-putin"),
                _row("b-1", "2017-09-06", root="05", actors="vladimir-putin;moon-jae-in", evidence="Putin praised Moon in a speech."),
            ],
            {},
            False,
        ),
    ],
)
def test_recent_acts_and_press_conferences(rows, published, together):
    assert (len(_groups(rows, published)) == 1) is together


def test_a_headline_naming_one_side_joins_the_act_its_article_tells():
    body = _at(_row("a-2", "2017-05-12", actors="vladimir-putin;moon-jae-in"), "a", 1)
    title = _at(_row("a-1", "2017-05-12", actors="moon-jae-in;KOR", rule="date:article"), "a", 0)
    assert _groups([title, body], {"a": date(2017, 5, 12)}) == {frozenset({"a-1", "a-2"})}
    # the same title in another article, or a body sentence naming one side, stays alone
    other = _at(_row("b-1", "2017-05-12", actors="moon-jae-in;KOR", rule="date:article"), "b", 0)
    lone_body = _at(_row("a-3", "2017-05-12", actors="moon-jae-in;KOR", rule="date:article"), "a", 2)
    groups = _groups([title, body, other, lone_body], {"a": date(2017, 5, 12), "b": date(2017, 5, 12)})
    assert frozenset({"b-1"}) in groups and frozenset({"a-3"}) in groups
    # a title that fits two happenings of its article (Moon's talks with Putin, and with Lavrov) joins neither
    second = _at(_row("a-4", "2017-05-09", actors="sergei-lavrov;moon-jae-in"), "a", 3)
    assert frozenset({"a-1"}) in _groups([title, body, second], {"a": date(2017, 5, 12)})


def test_a_vague_report_joins_only_the_one_happening_it_fits():
    rows = [_row("a-1", "2002-08-23"), _row("b-1", "2002-08-23"), _row("c-1", "2002-01-01", "2002-12-31", precision="year")]
    assert _groups(rows) == {frozenset({"a-1", "b-1", "c-1"})}
    rows.append(_row("d-1", "2002-03-10"))  # a second meeting that year: "in 2002" fits both, it stays alone
    assert frozenset({"c-1"}) in _groups(rows)
    assert frozenset({"a-1", "b-1"}) in _groups(rows)


def test_blocking_never_compares_all_pairs():
    rows = [_row(f"x{i}-1", date.fromordinal(730000 + 10 * i).isoformat()) for i in range(300)]
    reports = R.reports_from_rows(rows, COUNTRY, {}, RULES)
    blocks: dict = {}
    for r in reports:
        for k in R.block_keys(r, RULES):
            blocks.setdefault(k, []).append(r)
    compared = sum(len(v) * (len(v) - 1) // 2 for v in blocks.values())
    assert compared < 3 * len(rows)  # all pairs would be 44,850
    assert len(_groups(rows)) == 300


@pytest.mark.parametrize(
    ("statuses", "published", "start", "expected"),
    [
        (["occurred", "denied"], ["2023-09-14", "2023-09-15"], "2023-09-13", "contested"),
        (["planned", "occurred"], ["2024-04-10", "2024-06-20"], "2024-06-19", "occurred"),
        (["planned", "planned"], ["2024-04-10", "2024-05-01"], "2024-06-19", "planned"),
        (["reported", "unconfirmed"], ["2024-06-20", "2024-06-21"], "2024-06-19", "reported"),
    ],
)
def test_status_of_a_resolved_event_comes_from_its_reports(statuses, published, start, expected):
    reports = [{"status": s, "published_date": p} for s, p in zip(statuses, published, strict=True)]
    assert R.resolved_status(reports, date.fromisoformat(start))[0] == expected


def test_the_most_precise_date_wins_and_last_week_meets_an_exact_day():
    reports = [
        _row("a-1", "2019-04-22", "2019-04-28"),
        _row("b-1", "2019-04-25"),
        _row("c-1", "2019-04-01", "2019-04-30", precision="month"),
    ]
    assert R.best_window(reports)[:2] == ("2019-04-25", "2019-04-25")


@pytest.mark.parametrize(
    ("publication", "source_file", "url", "expected"),
    [
        ("Harbour Daily", "a.txt", "", "Harbour Daily"),
        ("", "a.txt", "https://www.kremlin.ru/events/1", "kremlin.ru"),
        ("", "a.txt", "", "a.txt"),
    ],
)
def test_publisher(publication, source_file, url, expected):
    assert R.publisher_of(publication, source_file, url) == expected


# ---- the resolution key -----------------------------------------------------------------------


def _corpus(tmp: Path) -> Path:
    folder = tmp / "corpus"
    folder.mkdir()
    for f in TEST_ARTICLES.glob("*.txt"):
        shutil.copy(f, folder / f.name)
    for f in DEV.glob("*.txt"):
        shutil.copy(f, folder / f.name)
    return folder


@pytest.fixture(scope="module")
def resolved_store(tmp_path_factory):
    if not DEV.is_dir():
        pytest.skip("shared/eval/dev-real is not beside the checkout")
    tmp = tmp_path_factory.mktemp("resolve")
    folder = _corpus(tmp)
    store = Store(tmp / "all.sqlite")
    ingest_paths(store, [folder])
    return store, folder, load_tables(store, include_reference=False)


def key_scores(tables: dict[str, pd.DataFrame], key: dict) -> tuple[float, float, int, list[str]]:
    """Pairwise precision and recall of the merges on the key's reports found in the tables.

    An anchor names a sentence that tells an act; the extractor merges an act told in several sentences
    of an article into one event (its evidence the first, the others in ``also_sentences``), so an event
    answers an anchor found in its evidence or in any sentence it also tells."""
    ev = tables["events"].merge(tables["articles"][["article_id", "source_file"]], on="article_id")
    sent = tables["sentences"]
    text_of = dict(zip(zip(sent["article_id"], sent["sentence_id"].astype(int), strict=True), sent["text"], strict=True))
    told = [
        " \n".join([str(e), *(text_of.get((a, int(x)), "") for x in str(also or "").split(";") if x.strip().isdigit())])
        for a, e, also in zip(ev["article_id"], ev["evidence"], ev["also_sentences"], strict=True)
    ]
    ev["told"] = told
    labels: dict[str, int] = {}
    missing = []
    for gi, group in enumerate(key["groups"]):
        for entry in group["reports"]:
            file, anchor = entry[0].split(":", 1)[1], entry[1]
            hit = ev[(ev["source_file"] == file) & ev["told"].str.contains(anchor, regex=False)]
            if len(entry) > 2:
                hit = hit[hit["cameo_root"].astype(str).str.zfill(2) == entry[2]]
            if hit.empty:
                missing.append(f"{file}: {anchor}")
            for eid in hit["event_id"]:
                labels[eid] = gi
    rid = dict(zip(ev["event_id"], ev["resolved_id"], strict=True))
    true_pairs = pred_pairs = both = 0
    for a, b in itertools.combinations(sorted(labels), 2):
        t, p = labels[a] == labels[b], rid[a] == rid[b]
        true_pairs += t
        pred_pairs += p
        both += t and p
    return both / max(pred_pairs, 1), both / max(true_pairs, 1), len(labels), missing


def test_resolution_key_precision_and_recall(resolved_store):
    _store, _folder, tables = resolved_store
    key = yaml.safe_load(KEY.read_text(encoding="utf-8"))
    assert len(key["groups"]) >= 20
    precision, recall, n, missing = key_scores(tables, key)
    print(
        f"\nresolution key: {len(key['groups'])} groups, {n} reports found, pairwise precision {precision:.2f},"
        f" recall {recall:.2f}; not extracted: {missing}"
    )
    assert precision >= 0.9
    assert recall >= 0.9


def test_key_traps(resolved_store):
    _store, _folder, tables = resolved_store
    ev = tables["events"].merge(tables["articles"][["article_id", "source_file"]], on="article_id")
    res = tables["resolved_events"].set_index("resolved_id")

    def rid(file_part: str, anchor: str) -> str:
        hit = ev[ev["source_file"].str.contains(file_part, regex=False) & ev["evidence"].str.contains(anchor, regex=False)]
        return hit["resolved_id"].iloc[0]

    assert rid("r03_", "August 4") != rid("r04_", "August 23")  # 2001 Moscow, 2002 Vladivostok
    visit = rid("r05_", "will visit Pyongyang")
    assert visit == rid("r06_", "June 19")  # announced in April, made in June: one event
    assert res.loc[visit, "status"] == "occurred" and res.loc[visit, "start_date"] == "2024-06-19"
    deal = rid("r07_", "signed an agreement")
    assert deal == rid("r08_", "denied")
    assert res.loc[deal, "status"] == "contested" and res.loc[deal, "n_publishers"] == 2
    summit = rid("26_kremlin", "Russky Island hosted talks")
    assert res.loc[summit, "n_articles"] >= 4 and res.loc[summit, "start_date"] == "2019-04-25"


def test_every_event_belongs_to_exactly_one_resolved_event(resolved_store):
    _store, _folder, tables = resolved_store
    ev, res = tables["events"], tables["resolved_events"]
    assert ev["resolved_id"].str.len().gt(0).all()
    assert set(ev["resolved_id"]) == set(res["resolved_id"])
    assert res["n_reports"].sum() == len(ev)
    members = res["event_ids"].str.split(";").explode()
    assert sorted(members) == sorted(ev["event_id"])


def _partition(tables: dict[str, pd.DataFrame]) -> set[frozenset[str]]:
    return {frozenset(g) for _, g in tables["events"].groupby("resolved_id")["event_id"]}


def test_incremental_ingest_gives_the_same_groups_as_all_at_once(resolved_store, tmp_path):
    _store, folder, tables = resolved_store
    files = sorted(folder.glob("*.txt"))
    random.Random(16).shuffle(files)
    one_by_one = Store(tmp_path / "one.sqlite")
    for f in files:
        ingest_paths(one_by_one, [f])
    again = load_tables(one_by_one, include_reference=False)
    assert _partition(again) == _partition(tables)
    batch = R.resolve_events(tables["events"], tables["actors"], tables["articles"])
    assert {frozenset(g) for g in pd.Series(batch.resolved_id).groupby(pd.Series(batch.resolved_id)).groups.values()} == _partition(tables)
    # removing an article detaches its reports: the same as never having added it
    gone = tables["articles"].loc[tables["articles"]["source_file"].str.startswith("26_"), "article_id"].iloc[0]
    assert one_by_one.delete_article(gone)
    without = Store(tmp_path / "without.sqlite")
    ingest_paths(without, [f for f in files if not f.name.startswith("26_")])
    assert _partition(load_tables(one_by_one, include_reference=False)) == _partition(load_tables(without, include_reference=False))


def test_a_store_made_before_resolution_is_resolved_once_when_opened(resolved_store, tmp_path):
    import sqlite3

    store, _folder, tables = resolved_store
    legacy = tmp_path / "legacy.sqlite"
    shutil.copy(store.path, legacy)
    with sqlite3.connect(legacy) as con:
        con.execute("DELETE FROM resolution")
        con.execute("DELETE FROM resolution_keys")
    reopened = Store(legacy)
    assert _partition(load_tables(reopened, include_reference=False)) == _partition(tables)


# ---- the fast incremental path (links found once) against the plain one (every link recomputed) --


def _resolution_rows(store: Store) -> tuple[set[tuple], set[tuple]]:
    """(event → group and rule, (key hash, event) pairs) as stored."""
    import sqlite3

    with sqlite3.connect(store.path) as con:
        groups = set(resolve_store.load(con).itertuples(index=False, name=None))
        keys = set(con.execute(f"SELECT k.key, {resolve_store._EVENT} FROM {resolve_store._FROM} JOIN resolution_keys k ON k.rid = r.rid"))
    return groups, keys


@pytest.fixture(scope="module")
def synthetic_files(tmp_path_factory):
    from benchmarks.synthetic import generate

    folder = tmp_path_factory.mktemp("synthetic")
    # 3 reports per happening, plus a second seed (2 reports each) whose happenings fall near the same days
    return generate(24, 5, folder, reports=3) + generate(12, 6, folder, reports=2)


@pytest.mark.parametrize("order_seed", [1, 2])
def test_links_found_once_give_the_same_groups_and_rules_as_recomputing_them(synthetic_files, tmp_path, monkeypatch, order_seed):
    from core.storage import resolve_store

    files = list(synthetic_files)
    random.Random(order_seed).shuffle(files)
    out = {}
    for fast in (True, False):
        monkeypatch.setattr(resolve_store, "FOUND_LINKS", fast)
        store = Store(tmp_path / f"{fast}.sqlite")
        for f in files:
            ingest_paths(store, [f])
        out[fast] = store
    fast_rows, plain_rows = _resolution_rows(out[True]), _resolution_rows(out[False])
    assert len(fast_rows[0]) > 100 and any(not r.startswith("alone") for _e, _r, r in fast_rows[0])
    assert fast_rows == plain_rows
    # a removed article takes its keys along, on both paths alike
    gone = load_tables(out[True], include_reference=False)["articles"]["article_id"].iloc[3]
    for fast, store in out.items():
        monkeypatch.setattr(resolve_store, "FOUND_LINKS", fast)
        assert store.delete_article(gone)
    assert _resolution_rows(out[True]) == _resolution_rows(out[False])
    # and the stored keys are exactly the keys of the stored reports, as computed from the tables
    tables = load_tables(out[True], include_reference=False)
    rules = R.load_rules()
    reports = R.reports_from_rows(
        tables["events"].to_dict("records"),
        R.country_map(tables["actors"]),
        R.published_map(tables["articles"]),
        rules,
        R.person_ids(tables["actors"]),
    )
    every = {(resolve_store.key_code(k), r.event_id) for r in reports for k in resolve_store._stored_keys(r, rules)}
    assert _resolution_rows(out[True])[1] == every and every


V3_DUMP = ROOT / "tests" / "data" / "store_v3_4753a6a.sql"  # 8 of the test articles, as schema 3 stored them


def test_a_store_of_the_version_3_layout_is_converted_once_and_resolves_on_as_a_fresh_one(tmp_path):
    """The layout before version 4 (text ids, ISO dates, a link table, keys with an article index):
    its groups and rules are kept, its keys made again, its link table dropped, and articles added
    after resolve as in a store made by this release."""
    import sqlite3

    path = tmp_path / "v3.sqlite"
    with sqlite3.connect(path) as con:
        con.executescript(V3_DUMP.read_text(encoding="utf-8"))
        old_groups = set(con.execute("SELECT event_id, resolved_id, merge_rule FROM resolution"))
    assert len(old_groups) > 10 and any(not r.startswith("alone") for _e, _r, r in old_groups)
    files = sorted(TEST_ARTICLES.glob("*.txt"))
    fresh = Store(tmp_path / "fresh.sqlite")
    ingest_paths(fresh, files[:8])
    reopened = Store(path)
    assert reopened.schema_version() >= 4
    with sqlite3.connect(path) as con:
        tables = {n for (n,) in con.execute("SELECT name FROM sqlite_master")}
    assert "resolution_links" not in tables and "resolution_v3" not in tables
    assert _resolution_rows(reopened) == _resolution_rows(fresh)
    assert _resolution_rows(reopened)[0] == old_groups
    ingest_paths(reopened, files[8:])
    ingest_paths(fresh, files[8:])
    assert _resolution_rows(reopened) == _resolution_rows(fresh)


def test_a_bigger_synthetic_corpus_covers_more_years_not_more_summits_a_year():
    from collections import Counter

    from benchmarks.synthetic import story_of

    stories = [s for s in (story_of(1, h) for h in range(300)) if s is not None]
    per_dyad_year = Counter((s.x, s.y, s.day.year) for s in stories)
    assert len(stories) > 250 and max(per_dyad_year.values()) <= 12
    assert len({s.day.year for s in stories}) > 20


def test_candidate_lookup_finds_every_stored_report_sharing_a_blocking_key(synthetic_files, tmp_path):
    """The store keeps no sentence keys and finds a sentence's reports by article instead: the lookup
    must return what comparing every stored report's keys (sentence keys included) returns."""
    import sqlite3

    from core.storage import resolve_store

    store = Store(tmp_path / "c.sqlite")
    ingest_paths(store, synthetic_files[:18])
    rules = R.load_rules()
    with sqlite3.connect(store.path) as con:
        stored = [resolve_store._stored(row) for row in con.execute(f"SELECT {resolve_store._SELECT} FROM {resolve_store._FROM}")]
        by_article: dict[str, list[R.Report]] = {}
        for r in stored:
            by_article.setdefault(r.article_id, []).append(r)
        checked = siblings = 0
        for reports in by_article.values():
            frontier = [r for r in reports if r.datable]
            if not frontier:
                continue
            keys = {k for r in frontier for k in R.block_keys(r, rules)}
            lo, hi = min(r.lo for r in frontier), max(r.hi for r in frontier)
            expected = {c.event_id for c in stored if c.lo and c.lo <= hi and c.hi >= lo and keys & set(R.block_keys(c, rules))}
            found = {row[0] for row in resolve_store._candidates(con, frontier, rules)}
            assert found == expected
            checked += 1
            siblings += sum(1 for c in stored if c.event_id in found and not resolve_store._stored_keys(c, rules))
    assert checked >= 10 and siblings > 0  # some found only through their sentence


@pytest.mark.parametrize(
    ("article", "sentence", "lo", "level", "persons"),
    [
        ("a1", "a1#0", date(2001, 8, 4), 0, frozenset({"RUS:vladimir-putin"})),
        ("a1", "a1#17", date(1999, 12, 31), 1, frozenset()),
        ("a1", "", date(2002, 8, 23), 2, frozenset()),
        ("a1", "other#3", date(2002, 8, 23), 0, frozenset()),  # not <article>#<n>: kept whole
        ("a#b", "a#b#4", None, 3, frozenset()),
    ],
)
def test_a_report_reads_back_from_its_stored_row_as_it_was_written(article, sentence, lo, level, persons):
    """Schema 4 stores day numbers, sentence numbers and a rule code: decoding a stored row must give
    the report that was written (every field resolution reads)."""
    import sqlite3
    from datetime import timedelta

    hi = lo + timedelta(days=3) if lo else None
    r = R.Report("e1", article, lo, hi, level, frozenset({"04"}), frozenset({"KOR", "RUS"}), "", sentence, True, persons, level == 1)
    con = sqlite3.connect(":memory:")
    resolve_store.ensure_schema(con)
    resolve_store._insert_reports(con, [r], {"e1": ("Re1", 1)}, R.load_rules())
    row = con.execute(f"SELECT {resolve_store._SELECT} FROM {resolve_store._FROM}").fetchone()
    back = resolve_store._stored(row)
    assert back == r
    assert back.datable == r.datable and back.partial_headline == r.partial_headline
