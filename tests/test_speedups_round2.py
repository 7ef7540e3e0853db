"""Second-round speed-ups give exactly what the plain way gives (differential tests on generated text).

- ``events._be_before``: a suffix test of the lower-cased window before the ``_BE_BEFORE`` regex;
  the plain way is the regex search alone.
- ``patterns._known`` for a whole text: the answers for every learnt gate string come from one
  Aho–Corasick pass; the plain way is ``s in text`` for each.
- ``events.set_annotations`` assigns no dates in a sentence without triggers: what it skipped
  (``assign_timexes`` with no hits) holds nothing a trigger reads.
"""

from __future__ import annotations

import inspect
import random
import re
import textwrap

import pytest

from core.extract import events as E
from core.extract.pipeline import process
from core.text import patterns as P
from core.text.reading import RawText

BE_PIECES = ["is", "are", "was", "were", "be", "been", "being", "also", "Is", "WAS", "İs", "bees", "this", "said", "x"]
SPACES = [" ", "  ", "\n", "\t", "\u00a0", ""]


def _window(rng: random.Random) -> str:
    words = [rng.choice(BE_PIECES) + rng.choice(SPACES) for _ in range(rng.randint(0, 5))]
    return ("".join(words))[-rng.randint(0, 14) :]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_be_before_is_the_plain_search(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(3000):
        window = _window(rng)
        pad = "".join(rng.choice("ab ") for _ in range(rng.randint(0, 4)))
        view = pad + window
        for folded, text in ((True, view.lower()), (False, view)):
            if folded and not P.plain_case(view):
                continue  # a folded view is only made of text that passes plain_case
            plain = E._BE_BEFORE.on(folded).search(text[len(pad) :]) is not None
            assert E._be_before(text, folded, len(pad), len(text)) == plain, (text, folded)


GATE_WORDS = ["may", "june", "year", "week", " ago", "0s", "0's", "today", "monday", "the next day", "later", "spring", "decade"]


def _long_text(rng: random.Random) -> str:
    filler = ["talks", "Moscow", "said", "on", "the", "of", "in", "Seoul", "agreed", "visit", "MAY", "Year"]
    words = [rng.choice(GATE_WORDS if rng.random() < 0.05 else filler) for _ in range(rng.randint(150, 400))]
    return " ".join(words)


@pytest.mark.parametrize("seed", [4, 5])
def test_whole_text_answers_are_the_plain_finds(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(40):
        text = _long_text(rng)
        target = text.lower() if rng.random() < 0.5 else text
        asked = rng.sample(GATE_WORDS, rng.randint(1, len(GATE_WORDS)))
        for g in asked:
            assert P.occurs_any(target, (g,)) == (g in target), g
        assert P.occurs_any(target, asked) == any(g in target for g in asked)
        # a fresh object of the same text: its answers come from the pass (every string learnt by now)
        again = "".join([target[:1], target[1:]])
        assert again is not target
        known = P._known(again, 0, len(again))
        assert P.occurs_any(again, asked[:1]) == (asked[0] in again)  # its first question fills the pass's answers
        for g, present in known.items():
            assert present == (g in again), g


@pytest.mark.parametrize("seed", [6, 7])
def test_alternatives_on_whole_texts_match_the_regex(seed: int) -> None:
    rng = random.Random(seed)
    source = r"\b(?:the (?:next|following) day|(?P<n>\d+|two) (?:day|week)s? (?:later|earlier)|last year|early may)\b"
    alt = P.Alternatives(source, 0, "", limit=12)
    regex = re.compile(source)
    extra = ["the next day", "two weeks later", "3 days earlier", "last year", "early may", "the following day"]
    for _ in range(30):
        text = _long_text(rng).lower()
        cut = [rng.randrange(len(text)) for _ in range(3)]
        for c in cut:
            text = text[:c] + " " + rng.choice(extra) + " " + text[c:]
        assert [m.span() for m in alt.finditer(text)] == [m.span() for m in regex.finditer(text)]


SENTENCES = [
    "Putin met Kim Jong-un in Vladivostok on May 16.",
    "The weather was mild on Tuesday.",
    "Nothing happened in June 2001.",
    "Moscow and Seoul signed a treaty in February.",
    "On May 3, crowds gathered.",
    "The two sides will hold talks next week.",
    "It rained for two days.",
]


def _plain_set_annotations():
    """set_annotations as it was: dates assigned in every sentence, triggers or not."""
    source = inspect.getsource(E.set_annotations)
    skip = "assign_timexes(doc, sent, hits) if hits else {}"
    assert skip in source
    namespace = dict(vars(E))
    exec(textwrap.dedent(source.replace(skip, "assign_timexes(doc, sent, hits)")), namespace)
    return namespace["set_annotations"]


@pytest.mark.parametrize("seed", [10, 11])
def test_no_date_assignment_without_triggers_is_plain(seed: int) -> None:
    rng = random.Random(seed)
    plain = _plain_set_annotations()
    compared = 0
    for _ in range(15):
        body = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 9)))
        raw = RawText(f"Moscow, May 20, 2001\n\n{body}\n", "generated.txt", "utf-8", "txt")
        fast = process(raw)
        doc = process(raw)
        doc.events = []
        doc.actor_kinds = None
        plain(doc, E.match(doc))
        assert doc.events == fast.events
        compared += len(fast.events)
    assert compared  # events were made and compared
