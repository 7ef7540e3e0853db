"""Speed-ups of event resolution give exactly what the plain way gives (differential tests).

- A bulk ingest resolves its articles in batches (``core.storage.resolve_store.deferred``): one candidate
  lookup, one resolution and one write per batch. One batch of every article must leave what
  resolving the whole corpus at once (``core.storage.resolve.resolve``) gives: the same groups, merge rules
  and keys, on the resolution key's corpus and on a synthetic corpus with several reports per
  happening. On the key's corpus, batches of any size and articles one by one give the same too.
  (On the dense synthetic corpus one by one does not: see the strict xfail at the end.)
- ``core.storage.resolve.links`` compares, in an article's own block (``h/``), only the pairs with a partial
  headline; the plain way tests every pair of reports.
- A report's flags (datable, linkable, partial headline, persons by state) are derived once when it
  is made; the plain way is their definition, applied to its fields.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from core.io.ingest import extract_raw, write_extracted
from core.storage import resolve as R
from core.storage import resolve_store
from core.storage.store import Store
from core.text.reading import read_path

ROOT = Path(__file__).resolve().parents[1]
TEST_ARTICLES = ROOT / "tests" / "data" / "resolution_articles"
DEV = ROOT.parent / "shared" / "eval" / "dev-real" / "articles"


def _resolution_rows(store: Store) -> tuple[set[tuple], set[tuple], int]:
    """(event → group and rule, (key hash, event) pairs, articles still pending) as stored."""
    with sqlite3.connect(store.path) as con:
        groups = set(resolve_store.load(con).itertuples(index=False, name=None))
        keys = set(con.execute(f"SELECT k.key, {resolve_store._EVENT} FROM {resolve_store._FROM} JOIN resolution_keys k ON k.rid = r.rid"))
        pending = con.execute("SELECT COUNT(*) FROM resolution_pending").fetchone()[0]
    return groups, keys, pending


def _one_by_one(path: Path, extracted: list) -> Store:
    """The plain way: each article resolved in its own transaction as it is stored."""
    store = Store(path)
    with store.connect() as con:
        for ex in extracted:
            assert store.add_article(ex.rows, ex.record, con) is None
    return store


def _batched(path: Path, extracted: list, size: int, monkeypatch: pytest.MonkeyPatch, store: Store | None = None) -> Store:
    monkeypatch.setattr(resolve_store, "BATCH_ARTICLES", size)
    store = store or Store(path)
    with store.connect() as con:
        results = write_extracted(store, [(ex.record["article_id"], ex) for ex in extracted], con)
    assert [r.status for r in results] == ["added"] * len(extracted)
    return store


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    from benchmarks.synthetic import generate

    folder = tmp_path_factory.mktemp("synthetic")
    # 3 reports per happening, plus a second seed (2 reports each) whose happenings fall near the same days
    paths = generate(30, 7, folder, reports=3) + generate(14, 8, folder, reports=2)
    return [extract_raw(read_path(p)) for p in paths]


@pytest.fixture(scope="module")
def key_corpus(tmp_path_factory):
    if not DEV.is_dir():
        pytest.skip("shared/eval/dev-real is not beside the checkout")
    folder = tmp_path_factory.mktemp("key")
    for f in [*TEST_ARTICLES.glob("*.txt"), *DEV.glob("*.txt")]:
        shutil.copy(f, folder / f.name)
    return [extract_raw(read_path(p)) for p in sorted(folder.glob("*.txt"))]


def _whole(extracted: list) -> tuple[set[tuple], set[tuple], int]:
    """Resolving every report of ``extracted`` at once, in memory: the reference."""
    rules = R.load_rules()
    reports = _reports(extracted)
    linked = R.links(reports, rules)
    res = R.resolve(reports, rules, linked)
    groups = {(e, res.resolved_id[e], res.merge_rule[e]) for e in res.resolved_id}
    keys = {(resolve_store.key_code(k), r.event_id) for r in reports for k in resolve_store._stored_keys(r, rules)}
    return groups, keys, 0


def _multi(rows: tuple[set[tuple], set[tuple], int]) -> int:
    sizes: dict[str, int] = {}
    for _e, rid, _rule in rows[0]:
        sizes[rid] = sizes.get(rid, 0) + 1
    return sum(1 for n in sizes.values() if n > 1)


@pytest.mark.parametrize(("corpus", "order_seed"), [("synthetic", 1), ("synthetic", 2), ("key", 3)])
def test_one_batch_resolves_as_the_whole_corpus_at_once(corpus, order_seed, synthetic, key_corpus, tmp_path, monkeypatch):
    extracted = list(synthetic if corpus == "synthetic" else key_corpus)
    random.Random(order_seed).shuffle(extracted)
    whole = _whole(extracted)
    assert _multi(whole) >= 10  # the corpus has happenings told several times
    assert _resolution_rows(_batched(tmp_path / "fast.sqlite", extracted, 1000, monkeypatch)) == whole


@pytest.mark.parametrize(("size", "order_seed"), [(1000, 4), (5, 5), (1, 6)])
def test_on_the_key_batches_resolve_as_articles_one_by_one(size, order_seed, key_corpus, tmp_path, monkeypatch):
    extracted = list(key_corpus)
    random.Random(order_seed).shuffle(extracted)
    plain = _resolution_rows(_one_by_one(tmp_path / "plain.sqlite", extracted))
    assert _multi(plain) >= 10
    assert _resolution_rows(_batched(tmp_path / "fast.sqlite", extracted, size, monkeypatch)) == plain


def test_a_batch_added_to_a_resolved_store_joins_its_happenings(key_corpus, tmp_path, monkeypatch):
    """Batches resolve against what is stored: half the key's corpus stored one by one, the rest in batches of 6."""
    extracted = list(key_corpus)
    random.Random(9).shuffle(extracted)
    half = len(extracted) // 2
    plain = _resolution_rows(_one_by_one(tmp_path / "plain.sqlite", extracted))
    store = _one_by_one(tmp_path / "mixed.sqlite", extracted[:half])
    assert _resolution_rows(_batched(tmp_path / "mixed.sqlite", extracted[half:], 6, monkeypatch, store)) == plain


def test_a_batch_cut_short_is_resolved_when_the_store_is_next_opened(synthetic, tmp_path, monkeypatch):
    """A crash before the batch resolves leaves its articles marked pending, never unresolved; the
    reports read back from the stored rows are the ones the ingest held in memory."""
    extracted = synthetic[:20]
    monkeypatch.setattr(resolve_store.Deferred, "flush", lambda self: None)  # the process dies first
    cut = _batched(tmp_path / "cut.sqlite", extracted, 1000, monkeypatch)
    groups, _links, pending = _resolution_rows(cut)
    assert pending == len({ex.record["article_id"] for ex in extracted if ex.rows["events"]}) and not groups
    monkeypatch.undo()
    assert _resolution_rows(Store(cut.path)) == _whole(extracted)


def test_a_batch_that_cannot_be_written_stays_pending_and_the_ingest_goes_on(synthetic, tmp_path, monkeypatch):
    extracted = synthetic[:10]

    def locked(*_a, **_k):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(resolve_store, "resolve_pending", locked)
    monkeypatch.setattr(resolve_store, "write_log", lambda *_a, **_k: None)
    store = _batched(tmp_path / "busy.sqlite", extracted, 4, monkeypatch)
    assert _resolution_rows(store)[2] == len(extracted)
    monkeypatch.undo()
    assert _resolution_rows(Store(store.path)) == _whole(extracted)


def test_removing_a_pending_article_leaves_nothing_of_it(synthetic, tmp_path, monkeypatch):
    extracted = synthetic[:12]
    gone = extracted[3].record["article_id"]
    store = Store(tmp_path / "s.sqlite")
    monkeypatch.setattr(resolve_store, "BATCH_ARTICLES", 1000)
    with store.connect() as con, resolve_store.deferred(con, store.transaction):
        for ex in extracted:
            store.add_article(ex.rows, ex.record, con)
        store.delete_article(gone)  # another connection: the article and its pending mark go together
    assert _resolution_rows(store) == _whole([ex for ex in extracted if ex.record["article_id"] != gone])


@pytest.mark.xfail(
    strict=True,
    reason="known, older than batching: resolving one article at a time re-resolves a vague report with"
    " the groups inside the part the new article reaches, so one whose partners' other happenings lie"
    " outside it keeps 'joined' where the whole corpus says 'fits N happenings'",
)
def test_on_the_dense_synthetic_corpus_one_by_one_resolves_as_the_whole_corpus(synthetic, tmp_path):
    extracted = list(synthetic)
    random.Random(1).shuffle(extracted)
    assert _resolution_rows(_one_by_one(tmp_path / "plain.sqlite", extracted)) == _whole(extracted)


# ---- links: blocking against every pair ---------------------------------------------------------


def _reports(extracted: list) -> list[R.Report]:
    rules = R.load_rules()
    return [r for ex in extracted for r in resolve_store.reports_of_rows(ex.rows, rules)]


def test_links_through_the_blocks_are_every_linked_pair(synthetic, key_corpus):
    rules = R.load_rules()
    reports = _reports(synthetic[:10] + key_corpus)
    every: dict[str, dict[str, str]] = {}
    for i, a in enumerate(reports):
        for b in reports[i + 1 :]:
            why = R.link_reason(a, b, rules)
            if why:
                every.setdefault(a.event_id, {})[b.event_id] = why
                every.setdefault(b.event_id, {})[a.event_id] = why
    headlines = sum(r.partial_headline for r in reports)
    assert len(every) > 50 and headlines > 0
    assert {a: dict(bs) for a, bs in R.links(reports, rules).items()} == every


def test_a_reports_flags_are_their_definitions(synthetic, key_corpus):
    reports = _reports(synthetic) + _reports(key_corpus)
    assert len({(r.datable, r.linkable, r.partial_headline) for r in reports}) >= 3
    for r in reports:
        datable = r.lo is not None and r.level < 3
        assert r.datable == datable
        assert r.linkable == (datable and len(r.states) >= 2)
        assert r.partial_headline == (r.sentence.endswith("#0") and len(r.states) == 1 and bool(r.roots) and datable)
        assert {p for ps in r.persons_by_state.values() for p in ps} == r.persons
        assert all(p.startswith(s + ":") for s, ps in r.persons_by_state.items() for p in ps)


def test_reports_read_back_from_the_store_are_the_ones_held_in_memory(key_corpus, tmp_path, monkeypatch):
    """A pending batch recovered from the stored rows must see the evidence (a pointer cell in a
    version-3 store): reading ``SELECT *`` gave NULL evidence, and reports lost their anchors."""
    extracted = list(key_corpus)
    store = _one_by_one(tmp_path / "store.sqlite", extracted)
    rules = R.load_rules()
    ids = sorted({ex.record["article_id"] for ex in extracted if ex.rows["events"]})
    with store.connect() as con:
        stored = resolve_store._reports_of_stored(con, ids, rules)
    held = _reports(extracted)
    assert len(stored) == len(held) > 100
    assert sorted(stored, key=lambda r: r.event_id) == sorted(held, key=lambda r: r.event_id)


def test_a_batch_bigger_than_the_component_cap_still_meets_the_stored_events(key_corpus, tmp_path, monkeypatch):
    """The cap on a component bounds how far a change spreads, never whether new reports are compared
    with the stored ones at all: with the cap at 1, the second half still joins the first half's groups."""
    extracted = list(key_corpus)
    random.Random(9).shuffle(extracted)
    half = len(extracted) // 2
    plain = _resolution_rows(_one_by_one(tmp_path / "plain.sqlite", extracted))
    assert _multi(plain) >= 3
    store = _one_by_one(tmp_path / "capped.sqlite", extracted[:half])
    monkeypatch.setattr(resolve_store, "MAX_COMPONENT", 1)
    capped = _resolution_rows(_batched(tmp_path / "capped.sqlite", extracted[half:], 1000, monkeypatch, store))
    assert _multi(capped) == _multi(plain)


def test_an_adoption_whose_resolution_fails_stores_nothing(synthetic, tmp_path, monkeypatch):
    """``Store.add_articles`` is one transaction: a storage error while resolving its batch fails it
    whole (nothing stored), it is not logged and skipped as a bulk ingest's own batch is."""
    extracted = synthetic[:6]
    store = Store(tmp_path / "adopt.sqlite")

    def full(*_a, **_k):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(resolve_store, "resolve_pending", full)
    with pytest.raises(Exception, match="full"):
        store.add_articles((ex.rows, ex.record) for ex in extracted)
    with sqlite3.connect(store.path) as con:
        assert con.execute("SELECT COUNT(*) FROM texts").fetchone()[0] == 0
        assert con.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0


def test_links_passes_over_only_pairs_whose_dates_do_not_meet(synthetic, key_corpus):
    """``links`` skips a pair whose windows do not meet before calling ``link_reason``: every such pair
    of a shared block is one ``link_reason`` refuses, and there are such pairs to skip."""
    rules = R.load_rules()
    reports = _reports(synthetic + key_corpus)
    by_key: dict[str, list[R.Report]] = {}
    for r in reports:
        for k in R.block_keys(r, rules):
            by_key.setdefault(k, []).append(r)
    skipped = [(a, b) for rs in by_key.values() for i, a in enumerate(rs) for b in rs[i + 1 :] if a.lo > b.hi or b.lo > a.hi]
    assert skipped, "the corpus must hold pairs of one block whose dates do not meet"
    assert all(R.link_reason(a, b, rules) is None for a, b in skipped)
    every = {a.event_id: b.event_id for a, b in skipped}
    linked = R.links(reports, rules)
    assert not any(b in linked.get(a, {}) for a, b in every.items())
