"""Issue 17, time linear in size: each speed-up gives exactly what the plain way gives, and the
work guard triggers (with its warning) on a run-on sentence while leaving ordinary text alone.

Timings are the benchmark's business (``python -m benchmarks --hostile``); these tests check
correctness only: differential tests on generated texts (fixed seeds) and the catalogue's texts.
"""

from __future__ import annotations

import random

import pytest

from benchmarks import hostile
from core.extract import amounts, clauses, events, segment
from core.extract.pipeline import process, to_rows
from core.io.ingest import extract_raw
from core.text.reading import RawText, read_bytes

CUE_WORDS = [
    "debt",
    "debts",
    "owes",
    "loan",
    "credits",
    "Soviet-era",
    "delivered",
    "deliveries",
    "supplied",
    "handed over",
    "repaid",
    "in lieu of",
    "arms",
    "weapons",
    "tanks",
    "contract",
    "deal",
    "purchase",
    "sold",
    "worth",
    "price",
    "MiG-29",
    "for",
    "of",
    "to",
    "the",
    "and",
    "Moscow",
    "Seoul",
    "$",
    "US$1.8",
    "billion",
    "million",
    "dollars",
    "1,000",
    "5",
    ",",
    ";",
    "–",
    "(",
    ")",
    "said",
    "will",
    "possible",
    "debtless",
    "re-debt",
    "-debt",
    "debt-",
    "x",
    "İ",
    "ſ",
]
TENSE_WORDS = [
    "will",
    "would",
    "shall",
    "'ll",
    "is",
    "to",
    "was",
    "were",
    "had",
    "did",
    "ago",
    "last",
    "next",
    "planned",
    "plans",
    "expected",
    "scheduled",
    "walked",
    "earlier",
    "agreed",
    "visit",
    "May",
    "16",
    "June",
    "1999",
    "in",
    "on",
    "Moscow",
    "the",
    "WILL",
    "Was",
    ",",
    "-",
    "x",
    "ed",
    "İ",
    "ſ",
    "upcoming",
]


def _texts(n: int, seed: int, words: list[str], lo: int = 3, hi: int = 40) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(words) for _ in range(rng.randint(lo, hi))) for _ in range(n)]


def test_categorise_fast_is_categorise() -> None:
    checked = 0
    for text in _texts(600, 11, CUE_WORDS):
        hi = len(text)
        spans = amounts._cue_spans(text, 0, hi)
        figures = [(m.start(), m.end()) for m in amounts._MONEY.finditer(text)] or [(len(text) // 2, len(text) // 2 + 1)]
        for start, end in figures:
            for lo in sorted({0, max(0, start - 120), max(0, start - 7), start}):
                assert amounts.categorise_fast(text, start, end, lo, hi, spans, 0) == amounts.categorise(text, start, end, lo, hi), (
                    text,
                    start,
                    end,
                    lo,
                )
                checked += 1
    assert checked > 1000


def test_tense_index_is_looks_future() -> None:
    checked = 0
    for i, text in enumerate(_texts(500, 12, TENSE_WORDS)):
        for folded in (False, True):
            clause = text.lower() if folded else text
            if folded and not clauses.plain_case(text):
                continue
            index = clauses.TenseIndex(clause, folded)
            cuts = sorted({0, len(clause), *(j for j in range(len(clause)) if j % 3 == i % 3)})
            for a in cuts[::2]:
                for b in (x for x in cuts if a <= x <= a + 12):
                    assert index.looks_future(a, b) == clauses.looks_future(clause[:a], clause[b:], folded), (clause, a, b)
                    checked += 1
    assert checked > 5000


@pytest.mark.parametrize("text", _texts(300, 13, ["said", "Moscow", "will", ",", "and", "that", "Ds", "he", "–"], 1, 60))
def test_clause_at_bisection_is_the_first_clause_holding_pos(text: str) -> None:
    spans = clauses.clause_spans(text)
    for pos in range(-1, len(text) + 2):
        plain = next((c for c in spans if c[0] <= pos < c[1]), (-5, -5))
        assert clauses.clause_at(spans, pos, (-5, -5)) == plain


def _rows(text: str, name: str = "a.txt") -> dict:
    return to_rows(process(RawText(text=text, source_file=name, encoding="utf-8", format="text")))


def test_guard_and_merge_window_change_nothing_on_ordinary_text(monkeypatch: pytest.MonkeyPatch) -> None:
    text = hostile.article_of(60_000)  # the samples, repeated: many tellings of the same acts
    fast = _rows(text)
    assert "cheaper mode" not in fast["articles"][0]["warnings"]
    monkeypatch.setattr(segment, "max_sentence_chars", lambda: 10**9)
    monkeypatch.setattr(events, "MERGE_WINDOW", 10**9)  # every earlier event of the root, as first written
    assert _rows(text) == fast


@pytest.mark.parametrize("label", list(hostile.CATALOGUE)[:4])
def test_guard_cuts_a_run_on_sentence_and_says_so(label: str) -> None:
    name, build = hostile.CATALOGUE[label]
    ex = extract_raw(read_bytes(build().encode("utf-8"), name))
    assert "cut into pieces" in ex.note and "cheaper mode" in ex.note
    rows = ex.rows
    limit = segment.max_sentence_chars()
    assert max(len(s["text"]) for s in rows["sentences"]) <= limit
    if "debt" in label:
        assert len(rows["amounts"]) == 3000  # every figure kept
        assert {a["category"] for a in rows["amounts"]} == {"debt"}
        assert {a["value_usd"] for a in rows["amounts"]} == {1.8e9}


@pytest.mark.parametrize(("length", "limit", "pieces"), [(10, 20, 1), (20, 20, 1), (45, 20, 3), (100, 10, 10)])
def test_cut_long_pieces_are_bounded_and_cover_the_words(length: int, limit: int, pieces: int) -> None:
    text = ("abcd " * 40)[:length]
    cut = segment.cut_long(text, 0, len(text), limit)
    assert len(cut) >= pieces if pieces > 1 else len(cut) == 1
    assert all(0 < e - s <= limit for s, e in cut)
    assert "".join(text[s:e] for s, e in cut).replace(" ", "") == text.replace(" ", "")


def _plain_add_surnames(doc, chosen, cover):
    """mentions._add_surnames as first written: every earlier full mention scanned per surname hit."""
    from core.domain.actors import describe, dictionary, surname_of
    from core.extract.mentions import _surname_hits

    people: dict[str, list[tuple[int, str]]] = {}
    for s, _e, a, _r in chosen:
        name, kind, _country = describe(a, doc.found_actors)
        if name and kind == "person" and len(name.split()) > 1:
            known = dictionary().get(a)
            people.setdefault(known.surname if known else surname_of(name), []).append((s, a))
    if not people:
        return chosen
    extra = []
    for start, end, surname in _surname_hits(doc.text, doc.body_start, people):
        if not cover.free(start, end):
            continue
        before = [(pos, a) for pos, a in people[surname] if pos < start]
        if before:
            extra.append((start, end, max(before)[1], "surname"))
    return sorted(chosen + extra)


@pytest.fixture(scope="module")
def synthetic_texts(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    from benchmarks.synthetic import generate

    paths = generate(40, 5, tmp_path_factory.mktemp("syn"))
    return [p.read_text(encoding="utf-8") for p in paths] + [hostile.article_of(40_000)]


def test_bisected_surnames_and_amount_dates_are_the_plain_scans(synthetic_texts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from core.extract import mentions

    fast = [_rows(t) for t in synthetic_texts]
    monkeypatch.setattr(mentions, "_add_surnames", _plain_add_surnames)
    monkeypatch.setattr(amounts, "_sorted", lambda doc, starts: False)  # every date of the article per figure
    assert [_rows(t) for t in synthetic_texts] == fast
    assert sum(len(r["amounts"]) for r in fast) > 20 and sum(len(r["mentions"]) for r in fast) > 500


def _plain_merge(events_in: list) -> list:
    """events.merge_duplicates as first written: every earlier event of the root, the list of other
    sentences re-sorted on every merge."""
    from core.extract.events import STATUS_RANK, _date_strength, _people, _same_act

    out: list = []
    by_root: dict[str, list[int]] = {}
    for ev in events_in:
        same_root = by_root.setdefault(ev.cameo_code[:2], [])
        twin = next((out[i] for i in same_root if _same_act(out[i], ev, _people)), None)
        if twin is None:
            same_root.append(len(out))
            out.append(ev)
            continue
        best, other = (ev, twin) if _date_strength(ev) > _date_strength(twin) else (twin, ev)
        merged = best
        merged.also_sentences = sorted({*best.also_sentences, *other.also_sentences, other.sentence} - {best.sentence})
        merged.actors = list(dict.fromkeys([*best.actors, *other.actors]))
        merged.sources = list(dict.fromkeys([*best.sources, *other.sources]))
        merged.topics = list(dict.fromkeys([*best.topics, *other.topics]))
        if STATUS_RANK[other.status] < STATUS_RANK[merged.status]:
            merged.status = other.status
            merged.status_rule = other.status_rule + " (merged)"
        merged.confidence = min(0.95, max(best.confidence, other.confidence) + 0.05)
        out[out.index(twin)] = merged
    return out


def test_merge_duplicates_is_the_plain_merge(synthetic_texts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import copy

    fast_merge = events.merge_duplicates
    compared = []

    def both(evs: list) -> list:
        plain = _plain_merge(copy.deepcopy(evs))
        fast = fast_merge(evs)
        assert fast == plain
        compared.append(len(evs) - len(fast))
        return fast

    monkeypatch.setattr(events, "merge_duplicates", both)
    meeting = "President Boris Yeltsin met President Kim Dae-jung in Seoul on May 16, 1999. "
    for text in [*synthetic_texts, hostile._HEAD + meeting * 30, hostile._HEAD + meeting.replace("May 16", "May 17") * 3]:
        _rows(text)
    assert sum(compared) > 30  # merges happened
