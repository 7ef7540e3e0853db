"""Speed-ups in core.extract.events give exactly what the plain way gives (differential tests on generated text).

- ``_sentence_quotes`` files each quotation under the sentences it overlaps by bisection; the plain
  way tests every sentence against every quotation.
- ``merge_duplicates`` compares no earlier events for an event of fewer than two persons; the plain
  way compares it with its window and finds no twin (``_same_act`` needs two persons).
"""

from __future__ import annotations

import copy
import random

import pytest

from core.extract import events
from core.extract.pipeline import process
from core.text.reading import RawText

QUOTE_WORDS = [
    "Putin",
    "met",
    "Kim",
    "in",
    "Seoul",
    "said",
    "“",
    "”",
    '"',
    "that",
    "the",
    "talks",
    "will",
    "visit",
    "Moscow",
    "on",
    "May",
    "16.",
    "agreed.",
    "Yonhap",
    "reported.",
    "\n\n",
    "It",
    "Mr.",
    "Lee",
    "signed",
]
HEAD = "Publication: Monitor Volume: 5 Issue: 100\nDate: May 18, 1999\n\n"


def _texts(n: int, seed: int, lo: int = 5, hi: int = 220) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = [rng.choice(QUOTE_WORDS) for _ in range(rng.randint(lo, hi))]
        # capitalised sentence starts and title-case runs, so both headline answers come up
        if rng.random() < 0.3:
            words = [w.capitalize() for w in words]
        out.append(HEAD + " ".join(words))
    return out


def _plain_sentence_quotes(doc, sent) -> tuple[tuple[int, int], ...]:
    quotes = events.quotations(doc)
    return tuple(q for q in quotes if q[0] < sent.end and sent.start < q[1])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sentence_quotes_fast_is_plain(seed: int) -> None:
    checked = 0
    for text in _texts(60, seed):
        doc = process(RawText(text=text, source_file="q.txt", encoding="utf-8", format="txt"))
        events.SENTENCE_QUOTES.drop(doc)
        for sent in doc.sentences:
            plain = _plain_sentence_quotes(doc, sent)
            assert events._sentence_quotes(doc, sent) == plain, (text, sent.idx)
            checked += bool(plain)
    assert checked > 50  # the generated texts do put quotations in sentences


def _plain_merge(evs: list) -> list:
    """merge_duplicates' choice of what stays as it was: every event compared with its window."""
    out: list = []
    by_root: dict = {}
    for ev in evs:
        same_root = by_root.setdefault((ev.cameo_code[:2], events._people(ev)), [])
        at = next((i for i in same_root[-events.MERGE_WINDOW :] if events._same_act(out[i], ev)), None)
        if at is None:
            same_root.append(len(out))
            out.append(ev)
        else:
            out.append(None)  # a merge: the fast path must have merged it too (compared below by count)
    return [e for e in out if e is not None]


def _events_of(text: str) -> list:
    saved = events.merge_duplicates
    events.merge_duplicates = lambda evs: evs  # the events before merging
    try:
        return process(RawText(text=text, source_file="m.txt", encoding="utf-8", format="txt")).events
    finally:
        events.merge_duplicates = saved


SENTENCES = [
    "President Boris Yeltsin met President Kim Dae-jung in Seoul on May 16, 1999.",
    "Yeltsin met Kim Dae-jung in Moscow.",
    "Russia signed an agreement with South Korea.",
    "Foreign Minister Igor Ivanov visited Pyongyang.",
    "Ivanov said the talks went well.",
    "Putin and Kim Jong-il held talks on May 17.",
    "Seoul will host the talks next week.",
]


@pytest.mark.parametrize("seed", [4, 5])
def test_merge_skip_for_fewer_than_two_persons_is_plain(seed: int) -> None:
    rng = random.Random(seed)
    merged_somewhere = lonely = 0
    for _ in range(12):
        text = HEAD + " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 30)))
        evs = _events_of(text)
        lonely += sum(len(events._people(e)) < 2 for e in evs)
        fast = events.merge_duplicates(copy.deepcopy(evs))
        plain_kept = _plain_merge(copy.deepcopy(evs))
        # the same events stay unmerged (merging itself is shared code): same sentences, codes, triggers
        kept_fast = [(e.sentence, e.start, e.cameo_code) for e in fast]
        kept_plain = [(e.sentence, e.start, e.cameo_code) for e in plain_kept]
        assert kept_fast == kept_plain, text
        merged_somewhere += len(fast) < len(evs)
    assert lonely and merged_somewhere  # both paths were exercised
