"""The events step in two halves, each tested on its own (spaCy's EntityRuler: ``match`` then
``set_annotations``): matching says which words may be events; annotating turns exactly the
matches it is given into events, so a test can hand it matches built by hand."""

from __future__ import annotations

from datetime import date

import pytest

from core.extract import events as E
from core.extract.pipeline import STEPS, RunContext, make_document
from core.text.reading import RawText

_BEFORE_EVENTS = [s for s in STEPS[: [s.name for s in STEPS].index("events")]]


def _prepared(text: str):
    """A document carried through every step before the events step (sentences, mentions, dates)."""
    doc = make_document(RawText(text=text, source_file="t.txt", encoding="utf-8", format="txt"))
    ctx = RunContext(user_date=date(2020, 5, 4))
    for step in _BEFORE_EVENTS:
        doc = step(doc, ctx)
    return doc


def _words(doc, matches: E.Matches) -> list[tuple[int, str, str]]:
    return [(i, doc.text[h.start : h.end].lower(), h.trigger.code[:2]) for i, hits in sorted(matches.hits.items()) for h in hits]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one verb per sentence, each of a different CAMEO root
        ("Vladimir Putin met Kim Jong-un in Vladivostok on Thursday.", [(0, "met", "04")]),
        # a verb and an act named by a noun in one sentence; a verb whose pattern takes its object
        (
            "Russia condemned the missile launch.\nSeoul expelled two diplomats.",
            [(0, "condemned", "11"), (0, "missile launch", "15"), (1, "expelled two diplomats", "16")],
        ),
        # nothing in the lexicon: no match, and no sentence entry at all
        ("The weather in Moscow was mild.", []),
    ],
)
def test_match_finds_the_trigger_words_and_writes_nothing(text: str, expected: list) -> None:
    doc = _prepared(text)
    doc.actor_kinds = {}
    found = E.match(doc)
    got = _words(doc, found)
    assert [(i, w) for i, w, _ in got] == [(i, w) for i, w, _ in expected]
    assert [c for *_, c in got] == [c for *_, c in expected]
    assert doc.events == []  # matching annotates nothing


def test_annotations_come_only_from_the_matches_given() -> None:
    doc = _prepared("Russia condemned the missile launch.\nSeoul expelled two diplomats.")
    doc.actor_kinds = {}
    found = E.match(doc)
    # hand-built: keep only the second sentence's match
    only_second = E.Matches({1: found.hits[1]}, found.notes)
    out = E.set_annotations(doc, only_second)
    assert [(e.trigger.lower(), e.cameo_code[:2]) for e in out.events] == [("expelled two diplomats", "16")]
    assert out.events[0].source_actor == "KOR"


def test_no_matches_no_events() -> None:
    doc = _prepared("Vladimir Putin met Kim Jong-un in Vladivostok on Thursday.")
    doc.actor_kinds = {}
    assert E.set_annotations(doc, E.Matches({}, E.match(doc).notes)).events == []


def test_the_two_halves_give_what_the_step_gives() -> None:
    text = "Putin met Kim Jong-un on Thursday. The two leaders signed an agreement.\nMoscow denied reports of arms deliveries."
    whole = E.find_events(_prepared(text)).events
    doc = _prepared(text)
    doc.actor_kinds = {}
    halves = E.set_annotations(doc, E.match(doc)).events
    assert whole and [(e.start, e.cameo_code, e.status) for e in halves] == [(e.start, e.cameo_code, e.status) for e in whole]
