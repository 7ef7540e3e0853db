"""Substring gates in front of regex searches (core.extract.events.anaphor_cues) change no result.

A cue is skipped in a sentence that lacks its words; the differential test runs the gated step and a
copy of the ungated search on generated sentences full of the cues' words, their near misses and
odd-case letters.
"""

from __future__ import annotations

import random

import pytest

from core.extract import events as E
from core.extract.pipeline import process
from core.text.reading import RawText

PIECES = [
    "There was no indication that",
    "no indication, officials said, that",
    "little indication",
    "no confirmation",
    "could not be confirmed",
    "has not yet been confirmed",
    "can not be confirmed",
    "it remains unclear whether",
    "unclear",
    "whether",
    "remains to be seen",
    "the invention of reporters",
    "is not true",
    "were not true",
    "Not True",
    "NO INDICATION THAT",
    "the meeting",
    "the visit",
    "the talks",
    "the summit",
    "Putin met Kim Jong-un in Vladivostok.",
    "Moscow and Seoul signed a treaty.",
    "ſ",
    "İs not true",
    ",",
    "took place",
]


def _article(rng: random.Random) -> str:
    sentences = [" ".join(rng.choice(PIECES) for _ in range(rng.randint(2, 9))).rstrip(".") + "." for _ in range(rng.randint(3, 10))]
    return "Moscow, May 20, 2001\n\n" + " ".join(sentences) + "\n"


def _ungated(doc, sent) -> None:
    """The step as it was: every anaphor cue searched in the sentence."""
    noun = E._ANAPHOR_NOUN.search(sent.text)
    if not noun:
        return
    for cue in E.status_cues():
        if cue.scope != "anaphor":
            continue
        m = cue.regex.search(doc.text, doc.lower, sent.start, sent.end)
        if not m:
            continue
        roots = E._ANAPHOR_ROOTS[noun[1].lower()]
        for ev in reversed(doc.events):
            if ev.sentence < sent.idx - 2:
                break
            if ev.cameo_code[:2] in roots:
                ev.status = cue.status
                ev.status_rule += f"; cue:{m[0].lower()} (sentence {sent.idx + 1}) → {cue.status}"
                ev.also_sentences.append(sent.idx)
                return


def _events(text: str) -> list[tuple]:
    doc = process(RawText(text=text, source_file="t.txt", encoding="utf-8", format="txt"))
    return [(e.start, e.cameo_code, e.status, e.status_rule, tuple(e.also_sentences)) for e in doc.events]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_anaphor_cue_gates_change_no_status(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    texts = [_article(rng) for _ in range(40)]
    gated = [_events(t) for t in texts]
    monkeypatch.setattr(E, "_update_by_anaphor", _ungated)
    plain = [_events(t) for t in texts]
    assert gated == plain
    assert any("cue:" in rule for evs in gated for *_x, rule, _a in evs)  # the cues did fire somewhere


def test_anaphor_cues_gate_on_lower_case_words() -> None:
    cues = E.anaphor_cues()
    assert cues and all(gates for cue, gates in cues if not cue.regex.case_sensitive)
    assert all(g == g.lower() for _c, gates in cues for gate in gates for g in gate)
