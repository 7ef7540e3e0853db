"""Fifth-round speed-ups (xspeed5) give exactly what the plain way gives (differential tests).

The plain way of each is the code it replaced, kept here as the reference:

- ``clauses.clause_at`` walks back through a short clause list; the plain way bisects.
- ``events._triggers_in`` looks a match's clause up only once it has passed its tests, and reads
  ``Trigger.is_verb`` / ``Trigger.statement``, worked out once per trigger.
- ``events._annotate`` makes the event with its fields at once; ``events._set_status`` matches
  ``_OBJECT_NEGATION`` at the trigger's end in the text and slices only what a noun or a verb reads.
- ``status._clause_index``: a loop for the generator that found a position's clause.
- ``events._word_before`` finds the last comma (…) of its window in the text; ``events._passive_agents``
  looks for "by" without a slice; ``events._advance`` stops early with fewer than two persons.
- ``dating.date_sentences`` skips sentences where no date starts and asks a sentence's clauses once.

The pipeline runs with the plain functions put back (monkeypatched) and as it is, on sentences written
here (triggers at sentence edges, overlapping triggers, unicode, empty sentences, source notes, speakers)
and on synthetic articles; every table row must be the same.
"""

from __future__ import annotations

import random
import re
from bisect import bisect_right
from datetime import date

import pytest

from benchmarks.synthetic import generate
from core.domain.bounds import plausible_date
from core.domain.cameo import type_name
from core.domain.lexicon import candidate_triggers, sentence_topics, triggers
from core.extract import clauses as C
from core.extract import dating as D
from core.extract import events as E
from core.extract import status as S
from core.extract.clauses import clause_looks_future, sentence_clauses
from core.extract.events import (
    _ONGOING,
    _OPENERS,
    _PERFORMATIVE,
    _PRESUPPOSE,
    _PROSPECTIVE_NOUN,
    _THAT,
    _WORDISH,
    _YOU_AFTER,
    Event,
    Mention,
    Timex,
    _agencies,
    _be_before,
    _confidence,
    _Context,
    _folding,
    _Hit,
    _infinitive_after,
    _kind,
    _kind_follows,
    _location,
    _lower,
    _sentence_quotes,
    _set_date,
    _sources,
    _title_case,
    _two_sides,
    _used_as_noun,
    cues_reaching,
    decide,
    timexes_of,
)
from core.extract.pipeline import process, to_rows
from core.text.document import Document, Sentence, SpanSet
from core.text.patterns import caseless_view
from core.text.reading import RawText, read_path
from core.text.timeparse import find_timexes, resolve

_INF = float("inf")
_OLD_OBJECT_NEGATION = re.compile(r"^\s+(?:no|none of)\b", re.I)


# ----------------------------------------------------------------------------------- the plain way


def plain_clause_at(clauses: list[tuple[int, int]], pos: int, default: tuple[int, int]) -> tuple[int, int]:
    i = bisect_right(clauses, (pos, _INF)) - 1
    if i >= 0 and clauses[i][0] <= pos < clauses[i][1]:
        return clauses[i]
    return default


def plain_triggers_in(doc: Document, sent: Sentence, clauses: list[tuple[int, int]] | None, notes: SpanSet) -> list[_Hit]:
    """The lexicon's triggers in a sentence that pass their constraints, without overlaps, in text order.
    ``clauses``: the sentence's clauses, or None to have them split on the first trigger found (a
    sentence without one never needs them)."""
    candidates = candidate_triggers(doc.lower[sent.start : sent.end], folded=doc.caseless[1])
    if not candidates:
        return []
    hits: list[_Hit] = []
    text = doc.text
    lower = _lower(doc)
    view, folded = _folding(doc)
    s0, s1 = sent.start, sent.end
    scanned: dict[str, list[re.Match[str]]] = {}  # rows of one pattern (several codes) scan once
    headline: bool | None = None  # worked out only when a capitalised verb form asks (most sentences never do)
    needs_text: dict[tuple[int, int], str] = {}
    # lower is lowered() of the text; when folded (no İ and the like) it is what .lower() gives
    # (A sentence that meets no source note has no match start in one: asked once, not per match.
    # What each trigger is, is read once per trigger, not per match.)
    in_notes = notes.meets(s0, s1) if notes else False
    for trig in candidates:
        word_regex = trig.regex
        target = text if word_regex.case_sensitive else lower
        matches = scanned.get(word_regex.source)
        if matches is None:
            matches = scanned[word_regex.source] = list(word_regex.regex.finditer(target, s0, s1))
        if not matches:
            continue
        is_verb = trig.kind == "verb"
        statement = trig.code.startswith("01") and trig.needs is None
        needs, needs_kinds = trig.needs, trig.needs_kinds
        for m in matches:  # WordRegex.finditer, inlined
            start, end = m.start(), m.end()
            if start and (target[start - 1].isalnum() or target[start - 1] in "_-"):
                continue  # not at the start of a word
            if is_verb and text[start].isupper() and start != s0 and text[start - 2 : start].strip() not in _OPENERS:
                if headline is None:
                    headline = _title_case(sent.text)
                if not headline:
                    continue  # a capitalised word inside a sentence is a name ("Ban Ki-moon", "in March"), not a verb
            if in_notes and start in notes:
                continue
            if clauses is None:
                clauses = sentence_clauses(doc, sent)
            clause = plain_clause_at(clauses, start, (s0, s1))
            if is_verb and _used_as_noun(view, folded, start, m[0], trig):
                continue
            if statement and _be_before(view, folded, max(s0, start - 12), start):
                continue  # "is said to": a report, not a statement (a passive "the letter was delivered" stays)
            if needs is not None or needs_kinds:
                ok = False
                if needs is not None:
                    around = needs_text.get((start, end))
                    if around is None:
                        after = " ".join(text[end : min(end + 80, s1)].split()[:5])
                        passive = ""
                        if _be_before(view, folded, max(s0, start - 12), start):  # "contracts were signed"
                            passive = " ".join(text[max(s0, start - 60) : start].split()[-4:])
                        around = needs_text[(start, end)] = f"{passive} {text[start:end]} {after}"
                    ok = bool(needs.search(around))
                if not ok and not (needs_kinds and _kind_follows(doc, sent, end, needs_kinds)):
                    continue
            hits.append(_Hit(start, end, trig, clause))
    if len(hits) < 2:
        return hits
    hits.sort(
        key=lambda h: (
            -(h.end - h.start),
            h.trigger.kind != "verb",
            h.start,
            -len(h.trigger.code),
            -len(h.trigger.pattern),
            h.trigger.pattern,
        )
    )  # ties: the more specific code
    kept: list[_Hit] = []
    for h in hits:
        if not any(h.start < k.end and k.start < h.end for k in kept):
            kept.append(h)
    kept.sort(key=lambda h: h.start)
    return kept


def plain_annotate(
    doc: Document,
    sent: Sentence,
    hit: _Hit,
    mentions: list[Mention],
    usable: list[Mention],
    clauses: list[tuple[int, int]],
    owned: dict[int, Timex],
    made: list[Event],
    ctx: _Context,
) -> Event | None:
    text = doc.text
    code = hit.trigger.code
    ev = Event(
        hit.start,
        hit.end,
        sentence=sent.idx,
        trigger=text[hit.start : hit.end],
        cameo_code=code,
        event_type=hit.trigger.type_name or type_name(code),
        type_rule=f"{hit.trigger.kind}:{hit.trigger.pattern} → {code}",
    )
    c0, c1 = hit.clause
    in_clause = [m for m in usable if c0 <= m.start < c1]  # (``usable``: the sentence's mentions that are no media)
    sources, source_rule = _sources(doc, sent, hit, in_clause, mentions, made, ctx)
    targets = [m for m in in_clause if m.start >= hit.end and m.actor_id not in sources]
    target = next((m for m in targets if _kind(doc, m.actor_id) == "person"), targets[0] if targets else None)
    if hit.trigger.kind == "noun":
        inside = [m for m in in_clause if hit.start <= m.start < hit.end]
        target = target or (inside[0] if inside else None)
    ev.source_actor = sources[0] if sources else ""
    ev.target_actor = target.actor_id if target is not None else ""
    if len(ctx.speakers) > 1 and hit.trigger.kind == "verb" and _YOU_AFTER.match(text, hit.end):
        other = next((s for s in reversed(ctx.speakers) if s != ev.source_actor), "")
        ev.target_actor = other  # "I would like to invite you": the one the speaker addresses
    matrix: list[str] = []
    if not sources and not in_clause and _THAT.match(text[c0 : hit.start]):
        idx = clauses.index(hit.clause) if hit.clause in clauses else 0
        if idx:
            a, b = clauses[idx - 1]
            matrix = [m.actor_id for m in usable if a <= m.start < b]
    actors: list[str] = []
    for a in [*sources, ev.target_actor, *(m.actor_id for m in in_clause), *matrix]:
        if a and a not in actors:
            actors.append(a)
    ev.actors = actors
    ev.location = _location(text, hit, in_clause)
    ev.type_rule += f"; source:{source_rule}"
    plain_set_status(doc, sent, hit, clauses, ev)
    _set_date(doc, sent, hit, owned, ev, made, ctx)
    if ev.status == "occurred" and ev.start_date and doc.meta.published and ev.start_date > doc.meta.published:
        ev.status, ev.status_rule = "planned", ev.status_rule + "; date after the article → planned"
    ev.sources = _agencies(doc, sent)
    ev.topics = sentence_topics(doc, sent)
    ev.confidence = _confidence(ev)
    return ev


def plain_set_status(doc: Document, sent: Sentence, hit: _Hit, clauses: list[tuple[int, int]], ev: Event) -> None:
    text = doc.text
    view, folded = _folding(doc)
    before = view[max(sent.start, hit.start - 40) : hit.start]  # only for Caseless patterns
    presupposed = hit.trigger.kind == "noun" and bool(_PRESUPPOSE.on(folded).search(before))
    quotes = _sentence_quotes(doc, sent)
    blocked = tuple(q for q in quotes if not q[0] <= hit.start < q[1]) if quotes else ()
    found = cues_reaching(
        doc,
        sent,
        clauses,
        hit.start,
        ignore=("reported",) if presupposed else (),
        blocked=blocked,
        own=(hit.start, hit.end) if hit.trigger.code.startswith("03") else None,
    )
    window = view[max(sent.start, hit.start - 90) : hit.start]
    if hit.trigger.kind == "verb" and "like to" in window and _PERFORMATIVE.on(folded).search(window):
        found = [f for f in found if f[0] != "planned"]  # "I would like to invite you": done as it is said
        found.append(("occurred", "performative 'would like to' → occurred"))
    elif hit.trigger.kind == "verb" and not hit.trigger.code.startswith("03"):
        governor = _infinitive_after(window)
        if governor and governor not in _ONGOING:  # "invited Putin to visit Seoul", "Moon to visit Russia"
            found.append(("planned", f"infinitive after '{governor}' → planned"))
    if _OLD_OBJECT_NEGATION.match(text[hit.end : hit.end + 12]):
        found.append(("denied", "neg:object 'no' → denied"))
    if hit.trigger.kind == "noun" and _PROSPECTIVE_NOUN.on(folded).search(before):
        found.append(("planned", "prospective noun → planned"))
    if presupposed and not any(st == "planned" for st, _r in found):
        found.append(("occurred", "presupposed noun → occurred"))
    ev.status, ev.status_rule = decide(found)


def plain_word_before(text: str, pos: int, floor: int) -> str:
    """The nearest lower-case word before ``pos`` (titles and names skipped, not past a comma)."""
    window = text[max(floor, pos - 60) : pos]
    window = window[max(window.rfind(","), window.rfind(";"), window.rfind(":"), window.rfind("(")) + 1 :]
    for w in reversed(_WORDISH.findall(window)):
        if w[0].islower():
            return w.lower()
    return ""


def plain_passive_agents(doc: Document, sent: Sentence, hit: _Hit, mentions: list[Mention]) -> list[str]:
    """ "The document was signed by X, and Y": the agents after "by" of a passive verb."""
    text = doc.text
    if "by" not in text[hit.end : hit.end + 40]:
        return []
    view, folded = _folding(doc)
    if not _be_before(view, folded, max(sent.start, hit.start - 12), hit.start):
        return []
    by = E._PASSIVE_BY.match(text, hit.end, sent.end)
    if not by:
        return []
    agents: list[str] = []
    last_end = by.end()
    for m in mentions:
        if m.start < by.end() or _kind(doc, m.actor_id) != "person":
            continue
        gap = text[last_end : m.start]
        if agents and (not E._AGENT_JOIN.match(gap) or len(gap) > 90 or ". " in gap):
            break
        if not agents and len(gap) > 90:
            break
        if m.actor_id not in agents:
            agents.append(m.actor_id)
        last_end = m.end
    return agents


def plain_advance(doc: Document, sent: Sentence, mentions: list[Mention], made: list[Event], ctx: _Context, kinds: dict[str, str]) -> None:
    for tx in timexes_of(doc, sent):
        usable = (
            tx.anchor
            and tx.start_date
            and tx.precision in ("day", "month")
            and (doc.meta.published is None or tx.start_date <= doc.meta.published)
        )
        if usable:
            ctx.reference[sent.paragraph] = tx
    persons = [m.actor_id for m in mentions if kinds[m.actor_id] == "person"]
    event_persons = [e.source_actor for e in made if kinds[e.source_actor] == "person"]
    if event_persons:
        ctx.last_person = event_persons[0]
    elif persons:
        ctx.last_person = persons[0]
    for e in made:
        group = [a for a in (e.source_actor, e.target_actor) if a and kinds[a] in ("person", "state")]
        if _two_sides(doc, group):
            ctx.last_group = group
    distinct = list(dict.fromkeys(persons))
    if (
        len(distinct) >= 2
        and not any(len([a for a in (e.source_actor, e.target_actor) if a]) >= 2 for e in made)
        and _two_sides(doc, distinct[:2])
    ):
        ctx.last_group = distinct[:2]
    if len(distinct) >= 2:
        pair = next(([a, b] for i, a in enumerate(distinct) for b in distinct[i + 1 :] if _two_sides(doc, [a, b])), None)
        if pair:
            ctx.last_persons = pair


def plain_date_sentences(doc: Document) -> Document:
    notes = SpanSet((c.start, c.end) for c in doc.citations)
    anchor = doc.meta.published
    view, folded = caseless_view(doc)  # the text, lower-cased when that changes no tense cue found
    found = find_timexes(doc.text[doc.text_start :], doc.text_start)  # one scan of the whole text
    reference: dict[int, object] = {}  # paragraph → last point in time named ("the next day" counts from it)
    # a dispatch's dateline ("MOSCOW, May 12 (Itar-Tass) --") is a citation, not a date of the
    # sentence, but its day is the report date the sentence's "on Wednesday" counts from
    datelines = [(c.start, c.cited) for c in doc.citations if c.kind == "dateline" and c.cited is not None]
    i = 0
    for s in doc.sentences:
        while i < len(found) and found[i].start < s.start:
            i += 1
        mine = []
        while i < len(found) and found[i].start < s.end:
            tx = found[i]
            i += 1
            if tx.end > s.end or tx.start in notes:
                continue
            tx.sentence = s.idx
            if anchor is not None:
                clauses = sentence_clauses(doc, s)
                clause = plain_clause_at(clauses, tx.start, (s.start, s.end))
                future = clause_looks_future(doc, view, clause, folded, tx.start, tx.end)
                resolve(tx, anchor, future, reference.get(s.paragraph))
                if not (plausible_date(tx.start_date) and plausible_date(tx.end_date)):
                    tx.start_date = tx.end_date = None  # "in 9999": outside data/bounds.yaml's years, not a date
                    tx.rule += " (year outside the plausible window)"
                mine.append((tx, future))
                if tx.anchor and tx.start_date and tx.precision == "day":
                    reference[s.paragraph] = tx.end_date
            doc.timexes.append(tx)
        dated = next((d for at, d in datelines if s.start <= at < s.end), None)
        if len(mine) > 1 or (mine and dated is not None):
            D._against_report_date(doc, s, mine, anchor, dated)
    return doc


def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put every replaced function back (the module attributes the pipeline looks up)."""
    for module, name, fn in [
        (E, "clause_at", plain_clause_at),
        (D, "clause_at", plain_clause_at),
        (E, "_triggers_in", plain_triggers_in),
        (E, "_annotate", plain_annotate),
        (E, "_set_status", plain_set_status),
        (E, "_word_before", plain_word_before),
        (E, "_passive_agents", plain_passive_agents),
        (E, "_advance", plain_advance),
        (D, "date_sentences", plain_date_sentences),
    ]:
        monkeypatch.setattr(module, name, fn)
    # the steps hold the functions they were made with: the dates step is rebuilt around the plain one
    from core.extract import pipeline

    steps = [type(st)(st.name, plain_date_sentences, st.requires, st.assigns) if st.name == "dates" else st for st in pipeline.STEPS]
    monkeypatch.setattr(pipeline, "STEPS", steps)


# ------------------------------------------------------------------------------------- unit cases


@pytest.mark.parametrize("seed", range(6))
def test_clause_at_walk_is_the_bisection(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(300):
        n = rng.randint(0, 14)  # on both sides of the walk's limit
        clauses, pos = [], rng.randint(0, 5)
        for _k in range(n):
            a = pos + rng.randint(0, 3)  # touching, with gaps, and empty clauses
            b = a + rng.randint(0, 9)
            clauses.append((a, b))
            pos = b if rng.random() < 0.8 else max(a, b - 2)  # sometimes overlapping (still sorted)
        clauses.sort()
        for q in range(-2, pos + 4):
            assert C.clause_at(clauses, q, (-1, -1)) == plain_clause_at(clauses, q, (-1, -1)), (clauses, q)


@pytest.mark.parametrize("seed", range(4))
def test_clause_index_loop_is_the_generator(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(300):
        clauses = [(a, a + rng.randint(-1, 8)) for a in (rng.randint(0, 30) for _k in range(rng.randint(0, 7)))]  # any order, overlaps
        for q in range(-2, 42):
            for default in (0, -1):
                plain = next((i for i, (a, b) in enumerate(clauses) if a <= q < b), default)
                assert S._clause_index(clauses, q, default) == plain, (clauses, q)


@pytest.mark.parametrize(
    "text",
    [
        "signed no agreement",
        "signed  none of the deals",
        "signed No deal",
        "signed nobody",
        "signed\u00a0no",
        "signed no",
        "signed, no",
        "signed none ofthem",
        "İİ signed no ſ",
        "",
        "signed",
    ],
)
def test_object_negation_at_the_trigger_end(text: str) -> None:
    end = text.find("signed") + len("signed") if "signed" in text else 0
    for at in range(end, len(text) + 1):
        old = _OLD_OBJECT_NEGATION.match(text[at : at + 12]) is not None
        assert (E._OBJECT_NEGATION.match(text, at, at + 12) is not None) == old, (text, at)


def test_trigger_facts_are_the_expressions() -> None:
    for trig in triggers():
        assert trig.is_verb == (trig.kind == "verb")
        assert trig.statement == (trig.code.startswith("01") and trig.needs is None)


@pytest.mark.parametrize(
    "text",
    [
        "Moscow, said the minister of foreign affairs today that Putin (and Kim) would meet",
        "the visit; of: Kim (Jong-il) and the president’s talks, 'quoted' words.",
        "NoLowerCaseHere AT ALL",
        "",
        "a,b;c:d(e f g h i j k l m n o p q r s t u v w x y z aa bb cc dd ee ff gg hh ii jj kk ll mm",
        "Σ İstanbul ſ met, with… the – delegation",
    ],
)
def test_word_before_without_slices(text: str) -> None:
    for pos in range(len(text) + 1):
        for floor in (0, 3, pos, max(0, pos - 5), pos + 2):
            assert E._word_before(text, pos, floor) == plain_word_before(text, pos, floor), (text, pos, floor)


# --------------------------------------------------------------------------------- whole pipeline

SENTENCES = [
    "Putin met Kim Jong-il in Moscow on May 3.",
    "Met Putin.",  # a trigger at the sentence start
    "Russia and North Korea signed an agreement and held talks, and the two sides agreed to cooperate",  # no full stop
    "The meeting was arranged by President Kim Dae-jung, and Putin, on Friday (KCNA, May 4).",
    "Seoul signed no agreement with Moscow last week.",
    "Kim said he would visit Russia next month; the visit was later denied by Moscow.",
    "The Trans-Siberian railway talks were held in Vladivostok on 16 May 2001, it was reported.",
    "“We are ready to cooperate,” the minister said.",
    "Vladimir Putin: I would like to invite you to Moscow.",
    "Kim Jong-il: We will visit Russia in August.",
    "İstanbul talks: Russia and South Korea met; ΣΟΦΙΑ signed.",  # letters whose lower case is odd
    "Putin Meets Kim In Vladivostok",  # a headline in title case
    "The following documents were signed:",
    "Agreement between the Government of Russia and the Government of North Korea on cooperation",
    "There was no indication that the meeting took place.",
    "Russia delivered tanks, delivered arms and received a delegation from Pyongyang on May 5-7, 2000.",
    "South Korea is said to have protested; Moscow refused to comment",
    "Moscow invited Putin to visit Seoul and Pyongyang promised to release Mr. Kim.",
    ".",
    "",
]


def _articles(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        paras = []
        for _p in range(rng.randint(1, 4)):
            paras.append(" ".join(rng.choice(SENTENCES) for _s in range(rng.randint(1, 5))))
        out.append("\n\n".join(paras) + "\n")
    return out


def _rows(texts: list[str]) -> list[dict]:
    out = []
    for i, text in enumerate(texts):
        raw = RawText(text=text, source_file=f"t{i}.txt", encoding="utf-8", format="txt", warnings=[])
        out.append(to_rows(process(raw, date(2001, 5, 20))))
        out.append(to_rows(process(raw)))  # undated: the dates step without an anchor
    return out


@pytest.mark.parametrize("seed", range(4))
def test_pipeline_is_the_plain_way_on_written_sentences(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _articles(seed, 25)
    fast = _rows(texts)
    _plain(monkeypatch)
    assert _rows(texts) == fast


def test_pipeline_is_the_plain_way_on_synthetic_articles(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = generate(40, 7, tmp_path / "corpus")
    fast = [to_rows(process(read_path(p))) for p in paths]
    assert sum(len(r["events"]) for r in fast) > 100  # the corpus has events to compare
    _plain(monkeypatch)
    assert [to_rows(process(read_path(p))) for p in paths] == fast
