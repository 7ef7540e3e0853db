"""Fourth-round speed-ups give exactly what the plain way gives (differential tests on generated text).

- ``SpanSet.meets``: one bisection for "does any span hold an offset of [start, end)"; the plain
  way asks every offset.
- ``events.set_annotations`` asks about each mention's start only in sentences that meet a source
  note; the plain way asks in every sentence (``meets`` always true).
- ``pipeline._to_rows`` builds its rows with comprehensions and dates written inline; the plain way
  is the field-by-field loop it replaced (kept here as the reference).
- ``pipeline.process`` drops the steps' scratch memos before returning (``drop_scratch``); the plain
  way keeps them: every annotation is the same.
- ``patterns._known`` answers whole texts per role (the first string asked): a pass for a role that
  asks many strings, finds for one that asks few; the plain way is ``s in text``.
- ``lexicon.candidate_triggers`` tests the other tokens' words in a loop; the plain way is the word
  test written out.
- ``patterns._ManyWordRegexes`` scans a pattern with a case-sensitive part from the lower-cased
  starts too; the plain way is the pattern's own full scan (``WordRegex.finditer``).
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date

import pytest

from benchmarks.synthetic import generate
from core.domain.cameo import goldstein, quad_class
from core.domain.schema import row
from core.extract import pipeline
from core.extract.pipeline import process, to_rows
from core.text import patterns as P
from core.text.document import Document, SpanSet
from core.text.patterns import lowered
from core.text.reading import RawText, read_path


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_span_set_meets_is_any_offset_inside(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(400):
        spans = []
        for _k in range(rng.randint(0, 6)):
            a = rng.randint(0, 60)
            spans.append((a, a + rng.randint(-2, 12)))  # empty and reversed spans too
        inside = SpanSet(spans)
        for _q in range(20):
            a = rng.randint(-3, 75)
            b = a + rng.randint(-2, 15)
            assert inside.meets(a, b) == any(o in inside for o in range(a, b)), (spans, a, b)


NOTE_PIECES = [
    "Putin met Kim Jong-il in Moscow",
    "(KCNA, May 3)",
    "(Itar-Tass, June 2, 2001; Yonhap, June 3)",
    "Russia and North Korea signed an agreement",
    "President Kim Dae-jung said Seoul would visit Moscow",
    "(Voice of Russia, May 3)",  # a state named inside a note
    "(Xinhua, Beijing, May 3)",
    "It agreed",  # "it": the earliest state or body named before
    "He said",
    "Russian Foreign Minister Igor Ivanov visited Pyongyang",
    "the two sides agreed",
    "Lavrov denied that",
    "on May 16",
]


def _note_texts(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        sentences = [" ".join(rng.choice(NOTE_PIECES) for _ in range(rng.randint(1, 5))) + "." for _ in range(rng.randint(2, 7))]
        head = rng.choice(["", "MOSCOW, May 20 (Itar-Tass) -- ", "SEOUL, Oct. 10, 2003 (Yonhap) -- "])
        out.append("Monitor, May 21, 2001\n\n" + head + " ".join(sentences))
    return out


def _raw(text: str) -> RawText:
    return RawText(text=text, source_file="t.txt", encoding="utf-8", format="txt")


@pytest.mark.parametrize("seed", [4, 5])
def test_events_asking_every_mention_about_notes_are_the_same(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _note_texts(seed, 40)
    fast = [to_rows(process(_raw(t))) for t in texts]
    monkeypatch.setattr(SpanSet, "meets", lambda self, start, end: True)  # the plain way: every sentence filtered
    plain = [to_rows(process(_raw(t))) for t in texts]
    assert fast == plain
    assert any(r["events"] for r in fast) and any(r["citations"] for r in fast)


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _reference_rows(doc: Document) -> dict[str, list[dict]]:
    """The rows as the field-by-field loop wrote them before (xspeed4), each through schema.row."""
    aid = doc.content_hash[:12]
    out = pipeline._to_rows(doc)  # articles, sentences and found actors are built as before
    sentence_at = doc.sentence_at
    out["mentions"] = [
        row(
            "mentions",
            {
                "article_id": aid,
                "actor_id": m.actor_id,
                "text": m.text,
                "start_char": m.start,
                "end_char": m.end,
                "sentence_id": sentence_at(m.start).idx if sentence_at(m.start) else None,
                "rule": m.rule,
            },
        )
        for m in doc.mentions
    ]
    out["citations"] = [
        row(
            "citations",
            {
                "article_id": aid,
                "agency": c.agency,
                "cited_date": _iso(c.cited),
                "cited_end": _iso(c.cited_end),
                "raw": c.raw,
                "start_char": c.start,
                "end_char": c.end,
                "sentence_id": sentence_at(c.start).idx if sentence_at(c.start) else None,
            },
        )
        for c in doc.citations
    ]
    events = []
    for i, e in enumerate(doc.events):
        sent = doc.sentences[e.sentence]
        values = {
            "event_id": f"{aid}-e{i + 1:03d}",
            "article_id": aid,
            "start_date": _iso(e.start_date),
            "end_date": _iso(e.end_date or e.start_date),
            "date_precision": e.date_precision,
            "event_type": e.event_type,
            "cameo_root": e.cameo_code[:2],
            "quad_class": quad_class(e.cameo_code),
            "goldstein": goldstein(e.cameo_code),
            "status": e.status,
            "actors": ";".join(e.actors),
            "location": e.location,
            "evidence": sent.text,
            "sources": ";".join(e.sources),
            "cameo_code": e.cameo_code,
            "source_actor": e.source_actor,
            "target_actor": e.target_actor,
            "topics": ";".join(e.topics),
            "date_text": e.date_text,
            "date_rule": e.date_rule,
            "type_rule": e.type_rule,
            "status_rule": e.status_rule,
            "confidence": round(e.confidence, 2),
            "sentence_id": e.sentence,
            "evidence_start": sent.start,
            "evidence_end": sent.end,
            "also_sentences": ";".join(str(x) for x in e.also_sentences),
            "origin": "article",
            "source_url": "",
        }
        events.append(row("events", values))
    out["events"] = events
    out["amounts"] = [
        row(
            "amounts",
            {
                "amount_id": f"{aid}-a{i + 1:03d}",
                "article_id": aid,
                "value_usd": a.value_usd,
                "category": a.category,
                "status": a.status,
                "as_of_date": _iso(a.as_of_date),
                "evidence": doc.sentences[a.sentence].text,
                "as_of_end": _iso(a.as_of_end),
                "date_precision": a.date_precision,
                "raw_text": a.raw_text,
                "from_actor": a.from_actor,
                "to_actor": a.to_actor,
                "topics": ";".join(a.topics),
                "rule": a.rule,
                "sentence_id": a.sentence,
                "start_char": a.start,
                "end_char": a.end,
                "origin": "article",
                "source_url": "",
                "note": a.note,
            },
        )
        for i, a in enumerate(doc.amounts)
    ]
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[RawText]:
    return [read_path(p) for p in generate(16, seed=11, out_dir=tmp_path_factory.mktemp("syn"))]


@pytest.mark.parametrize("source", ["generated", "notes"])
def test_rows_are_the_field_by_field_rows(source: str, generated: list[RawText]) -> None:
    raws = generated if source == "generated" else [_raw(t) for t in _note_texts(6, 30)]
    seen_also = False
    for raw in raws:
        doc = process(raw)
        fast = to_rows(doc)
        plain = _reference_rows(doc)
        assert fast == plain
        assert [list(r) for rs in fast.values() for r in rs] == [list(r) for rs in plain.values() for r in rs]  # column order too
        seen_also = seen_also or any(e["also_sentences"] for e in fast["events"])
    assert any(to_rows(process(r))["amounts"] for r in generated)
    if source == "generated":
        assert seen_also  # merged tellings: the also_sentences column is exercised


def test_dropping_the_scratch_memos_leaves_every_annotation(generated: list[RawText]) -> None:
    scratch = {"cache", "sentence_clauses", "actor_kinds"}
    for raw in [*generated[:8], *(_raw(t) for t in _note_texts(7, 10))]:
        kept = pipeline._process(raw, None)  # the plain way: the memos kept
        dropped = process(raw)
        assert kept.cache and not dropped.cache and not dropped.sentence_clauses
        for f in dataclasses.fields(Document):
            if f.name not in scratch:
                assert getattr(dropped, f.name) == getattr(kept, f.name), f.name


LOWER_WORDS = ["may", "june", "year", "week", " ago", "today", "monday", "the next day", "later", "spring", "decade", "zebra"]


def _whole_text(rng: random.Random) -> str:
    filler = ["talks", "Moscow", "said", "on", "the", "of", "in", "Seoul", "agreed", "visit", "MAY", "Year", "Spring"]
    return " ".join(rng.choice(LOWER_WORDS if rng.random() < 0.05 else filler) for _ in range(rng.randint(200, 400)))


@pytest.mark.parametrize("seed", [8, 9])
def test_whole_text_answers_by_role_are_the_plain_finds(seed: int) -> None:
    """Texts are told apart by their first question: a role that asks many strings gets them all from
    one pass at its first question, a role that asks few is answered by finds; the same answers."""
    rng = random.Random(seed)
    many = [f"{w}{k}" for w in ("zz", "qx", "word") for k in range(8)] + LOWER_WORDS  # (36 strings, first "zz0")
    few = [f"xy{seed}", "year", "spring"]  # (first asked: a string no other role starts with)
    passed = 0
    for _ in range(30):
        text = _whole_text(rng)
        if rng.random() < 0.5:
            text = text.replace("Seoul", rng.choice(many))  # some of the many strings occur
        for strings in (many, few):
            target = "".join([text[:1], text[1:]])  # a fresh object: a fresh whole-text answer table
            known = P._known(target, 0, len(target))
            assert P.occurs_any(target, strings[:1]) == (strings[0] in target)
            after_first = len(known)  # the first question's answers: its own, or its role's whole pass
            for g in strings:
                assert P.occurs_any(target, (g,)) == (g in target), g
            assert all(present == (g in target) for g, present in known.items())
            if strings is few:
                assert after_first <= 2  # finds only: the string (and its key word)
            elif after_first >= P._PASS_MIN:
                passed += 1  # the pass answered every string the role learnt
            assert P.occurs_any(target, strings) == any(g in target for g in strings)
    assert passed  # the many strings' role did get its pass
    assert len(P._whole_roles[many[0]].learnt) >= P._PASS_MIN > len(P._whole_roles[few[0]].learnt)


def _candidates_plain(text: str) -> set[tuple[str, str]]:
    """The triggers every one of whose words (each token's choices) occurs among the text's words."""
    from core.domain import lexicon as L

    tokens = set(L._WORD.findall(text.lower()))
    keys, rows = L._lookup()
    out = set()
    for word in keys & tokens:
        for key, _trig, others in rows[word]:
            if all(not tokens.isdisjoint(other) for other in others):
                out.add(key)
    return out


@pytest.mark.parametrize("seed", [12, 13])
def test_candidate_triggers_are_the_plain_word_test(seed: int) -> None:
    from core.domain import lexicon as L

    rng = random.Random(seed)
    keys, rows = L._lookup()
    others = {w for found in rows.values() for _k, _t, other in found for words in other for w in words}
    vocabulary = sorted(keys | others | {"the", "talks", "with", "said"})  # gate words and the words of the other tokens
    for _ in range(400):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 40)))
        fast = {(t.pattern, t.code) for t in L.candidate_triggers(text)}
        assert fast == _candidates_plain(text), text


CASE_PIECES = ["may", "May", "MAY", "could", "Could", "COULD", "might", "mIght", "mıght", "MİGHT", "be said", "not", "we go"]
CASE_PIECES += ["mayor", "-may"]
CASE_PIECES += ["US forces", "us forces", "US Forces", "UNited", "United", "talks", "İ", "ſ", "\u212a", "ı", " ", "  ", "\n", ","]


@pytest.mark.skipif(P._ahocorasick is None, reason="pyahocorasick is not installed")
@pytest.mark.parametrize("seed", [14, 15])
def test_patterns_that_need_case_are_scanned_from_the_lower_cased_starts(seed: int) -> None:
    """A pattern with a "(?-i:…)" part gets its starts from the lower-cased text too (when the text
    passes plain_case) and is matched on the text there: the same matches as its own full scan."""
    regexes = (
        P.WordRegex(r"(?:could|might|(?-i:may))(?= (?:\w+ )?\w)(?! be said)(?! not)"),
        P.WordRegex(r"(?-i:US) forces|(?-i:UN)ited"),
        P.WordRegex(r"talks?"),
    )
    many = P._ManyWordRegexes(regexes)
    assert many.starts[0] == ["could", "might", "may"] and many.starts[1] == ["us forces", "united"]
    rng = random.Random(seed)
    odd = 0
    for _ in range(300):
        text = "".join(rng.choice(CASE_PIECES) + rng.choice(["", " ", " "]) for _ in range(rng.randint(1, 40)))
        low = lowered(text)
        odd += not P.plain_case(text)
        for pos in (0, 3):
            expected = [[m.span() for m in r.finditer(text, low, pos)] for r in regexes]
            assert [[m.span() for m in ms] for ms in many.scan(regexes, text, low, pos)] == expected, text
            assert [[m.span() for m in ms] for ms in many.scan_by_regex(regexes, text, low, pos)] == expected, text
    assert odd  # texts with ſ, ı, İ or the Kelvin sign: scanned as before
