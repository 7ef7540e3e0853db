"""The per-document views and the isolated parser use give what the code they replace gave.

Each case compares the new way (a typed view on ``Document``, a precomputed form, the parse tree
through one function) with the plain way it replaced, on hand-written and generated texts, hostile
ones included (characters whose lower case is longer or folds differently).
"""

from __future__ import annotations

import random

import pytest

from core.domain.lexicon import candidate_triggers, status_cues, topic_patterns, triggers
from core.extract.clauses import clause_spans, sentence_clauses
from core.extract.events import _used_as_noun, find_events
from core.extract.pipeline import process
from core.text import patterns
from core.text.document import Citation, Document, Event, Mention, Sentence, Span, Timex
from core.text.patterns import (
    Alternatives,
    WordRegex,
    literal_prefix,
    lowered,
    parse_regex,
    plain_case,
    required_literals,
    scan_many,
)
from core.text.reading import read_bytes

WORDS = [
    "visit",
    "visits",
    "visited",
    "visiting",
    "talks",
    "met",
    "meet",
    "meeting",
    "signed",
    "the",
    "a",
    "Putin",
    "Kim",
    "Seoul",
    "said",
    "reportedly",
    "not",
    "is",
    "was",
    "to",
    "sell",
    "arms",
    "support",
    "agreement",
    "on",
    "May",
    "16",
    "İstanbul",
    "ſaid",
    "\u212a",
    "KIM",
    "Visit",
    "’s",
    "-",
    ",",
    ".",
    "\n",
]


def _texts(n: int, seed: int, words: list[str] = WORDS) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(words) for _ in range(rng.randrange(1, 30))) for _ in range(n)]


def _spans(matches) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m[0]) for m in matches]


# --------------------------------------------------------------------------- parse_regex


@pytest.mark.parametrize("source", ["(", "a{2,1}", "[z-a]", "(?P<x>a)(?P<x>b)"])
def test_parse_regex_gives_none_for_a_pattern_it_cannot_parse(source: str) -> None:
    assert parse_regex(source) is None
    assert required_literals(source) == ()
    assert literal_prefix(source) == ""


@pytest.mark.parametrize("source, prefix", [("abc(?:d|e)", "abc"), (r"(?:is|was) said", ""), ("visit(?:s|ed)?", "visit")])
def test_parse_regex_gives_the_tree_the_helpers_read(source: str, prefix: str) -> None:
    assert parse_regex(source) is not None
    assert literal_prefix(source) == prefix


def test_patterns_without_the_private_parser_find_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another Python without ``re._parser``: no gates, no prefixes, a plain scan, the same matches."""
    regexes = (*(c.regex for c in status_cues()), *(rx for _t, rx in topic_patterns()))
    texts = _texts(120, 1, [*WORDS, "apparently", "denied", "according", "could", "expected", "arms", "debt"])
    before = [[_spans(found) for found in scan_many(regexes, t, lowered(t))] for t in texts]
    alternatives = [_spans(Alternatives(r"(?:is|was) said|visit(?:s|ed)?").finditer(t)) for t in texts]
    monkeypatch.setattr(patterns, "_sre_p", None)
    assert parse_regex("abc") is None and required_literals("abc") == () and literal_prefix("abc") == ""
    patterns._many.clear()  # built again without the parser
    fresh = tuple(WordRegex(r.source) for r in regexes)
    after = [[_spans(found) for found in scan_many(fresh, t, lowered(t))] for t in texts]
    assert after == before
    assert [_spans(Alternatives(r"(?:is|was) said|visit(?:s|ed)?").finditer(t)) for t in texts] == alternatives
    patterns._many.clear()


# --------------------------------------------------------------------------- Document views


@pytest.mark.parametrize("text", ["Putin met Kim.", "İstanbul and Seoul", "ſaid the \u212aelvin", "", "ÀÉÎ straße"])
def test_document_lower_and_caseless_are_what_the_helpers_give(text: str) -> None:
    doc = Document(text=text, source_file="t.txt")
    assert doc.lower == lowered(text) and len(doc.lower) == len(text)
    assert doc.caseless == ((lowered(text), True) if plain_case(text) else (text, False))
    assert patterns.caseless_view(doc) is doc.caseless  # one view, computed once


def test_document_sentence_clauses_are_clause_spans_kept_once() -> None:
    text = "Putin said Moscow would help, and Kim agreed; the talks, which began on May 16, went well."
    doc = Document(text=text, source_file="t.txt")
    sent = Sentence(0, len(text), 0, 0, text)
    first = sentence_clauses(doc, sent)
    assert first == clause_spans(text, 0)
    assert sentence_clauses(doc, sent) is first and doc.sentence_clauses[0] is first


@pytest.mark.parametrize(
    "cls, args",
    [
        (Span, (0, 1)),
        (Sentence, (0, 1, 0, 0, "x")),
        (Mention, (0, 1, "RUS", "x", "alias")),
        (Timex, (0, 1, "May", "time:md")),
        (Event, (0, 1, 0, "met", "040", "meeting", "verb:meet")),
        (Citation, (0, 1, "AP", "(AP)", None, None)),
    ],
)
def test_document_spans_take_only_their_fields(cls, args) -> None:
    """Slots: a mistyped field name fails at once instead of adding an attribute nobody reads."""
    obj = cls(*args)
    obj.start = 5
    assert obj.start == 5
    with pytest.raises(AttributeError):
        obj.stat = 1  # (a typo for "start")


# --------------------------------------------------------------------------- lexicon


def test_candidate_triggers_on_lowered_text_are_those_of_the_text() -> None:
    for text in _texts(300, 2):
        folded = plain_case(text)
        expected = candidate_triggers(text)
        given = candidate_triggers(lowered(text), folded=True) if folded else candidate_triggers(text, folded=False)
        assert given == expected, text


def test_trigger_lemma_forms_are_the_pattern_head_and_its_plurals() -> None:
    for trig in triggers():
        lemma = trig.pattern.split()[0].lstrip("@").lower()
        assert trig.lemma_forms == {lemma, lemma + "s", lemma + "es"}, trig.pattern


def _used_as_noun_plain(text: str, folded: bool, start: int, matched: str, trig) -> bool:
    """The check as it was written before the forms were precomputed."""
    first = matched.split()[0].lower()
    lemma = trig.pattern.split()[0].lstrip("@").lower()
    if first not in (lemma, lemma + "s", lemma + "es") and not first.endswith("ing"):
        return False
    return _used_as_noun(text, folded, start, matched, trig)


def test_used_as_noun_agrees_with_the_plain_lemma_check() -> None:
    verbs = [t for t in triggers() if t.kind == "verb"][:60]
    for text in _texts(80, 3, [*WORDS, "his", "their", "will", "is"]):
        low = lowered(text)
        for trig in verbs:
            for m in trig.regex.finditer(text, low):
                assert _used_as_noun(low, True, m.start(), m[0], trig) == _used_as_noun_plain(low, True, m.start(), m[0], trig)


# --------------------------------------------------------------------------- whole pipeline


def test_actor_kinds_live_only_while_events_are_found() -> None:
    text = "Publication: Monitor\nDate: 2000-05-18\n\nPutin met Kim Jong-il in Moscow on May 16. They signed a treaty.\n"
    doc = process(read_bytes(text.encode(), "t.txt"))
    assert doc.events and doc.actor_kinds is None
    again = find_events(doc)
    assert again.actor_kinds is None


@pytest.mark.parametrize("odd", ["İ", "ſ", "\u212a", ""])
def test_pipeline_on_odd_case_text_matches_itself_written_plainly(odd: str) -> None:
    """A text with a character whose case folds oddly takes the unfolded paths; the events of the
    rest of the text do not change (the odd word sits in a sentence of its own)."""
    body = "Putin met Kim Dae-jung in Seoul on May 16. Russia reportedly sold arms to South Korea."
    plain = process(read_bytes(f"Date: 2000-05-18\n\n{body}\n".encode(), "a.txt"))
    with_odd = process(read_bytes(f"Date: 2000-05-18\n\n{body}\n\nThe word {odd}x stands here.\n".encode(), "b.txt"))
    shape = [(e.cameo_code, e.status, e.actors, e.start_date) for e in plain.events]
    assert [(e.cameo_code, e.status, e.actors, e.start_date) for e in with_odd.events][: len(shape)] == shape
    assert with_odd.caseless[1] == (odd == "")  # the odd character turns the lower-cased paths off
