"""Which status cues of ``data/status_cues.csv`` reach a position in a sentence.

Shared by events and money figures: a cue counts in its own clause; a reported cue at the
very start of a sentence ("According to some, …") covers the whole sentence; a cue with scope
``complement`` also covers the "that …" clauses right after it ("Moscow denied that …").
"""

from __future__ import annotations

from bisect import bisect_right

from core.document import Sentence
from core.lexicon import Cue, status_cues
from core.patterns import lowered

#: Most decisive first: a denial outweighs a report, a report outweighs a plan.
STATUS_RANK = {"denied": 5, "unconfirmed": 4, "reported": 3, "planned": 2, "occurred": 1}


def cue_matches(doc, sent: Sentence) -> list[tuple[Cue, int, int, str]]:
    """Every cue match of a sentence; the whole text is scanned once per cue and bucketed."""
    def scan() -> dict[int, list[tuple[Cue, int, int, str]]]:
        starts = [s.start for s in doc.sentences]
        out: dict[int, list[tuple[Cue, int, int, str]]] = {}
        lower = doc.memo(("lower",), lambda: lowered(doc.text))
        for cue in status_cues():
            for m in cue.regex.finditer(doc.text, lower, doc.body_start):
                i = bisect_right(starts, m.start()) - 1
                if i >= 0 and m.end() <= doc.sentences[i].end:
                    out.setdefault(i, []).append((cue, m.start(), m.end(), m[0]))
        return out
    return doc.memo(("cues",), scan).get(sent.idx, [])


def cues_reaching(doc, sent: Sentence, clauses: list[tuple[int, int]], pos: int,
                  ignore: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(status, rule) for every cue whose scope covers offset ``pos``."""
    text = doc.text
    idx = next((i for i, (a, b) in enumerate(clauses) if a <= pos < b), 0)
    first_comma = sent.text.find(",")
    opening = (sent.start, sent.start + first_comma) if 0 < first_comma < 40 else None
    found: list[tuple[str, str]] = []
    for cue, start, end, matched in cue_matches(doc, sent):
        if cue.status in ignore:
            continue
        c_idx = next((i for i, (a, b) in enumerate(clauses) if a <= start < b), -1)
        if c_idx < 0 or c_idx > idx:
            continue
        if cue.scope == "verb":
            if c_idx == idx and end <= pos and len(text[end:pos].split()) <= 2:
                found.append((cue.status, f"cue:{matched.lower()} (before the verb) → {cue.status}"))
            continue
        here = c_idx == idx
        from_opening = opening is not None and cue.status == "reported" and opening[0] <= start < opening[1]
        from_matrix = (cue.scope == "complement" and c_idx < idx <= c_idx + 2
                       and text[clauses[c_idx + 1][0]:clauses[c_idx + 1][0] + 5].lower().startswith("that"))
        if here or from_opening or from_matrix:
            found.append((cue.status, f"cue:{matched.lower()} → {cue.status}"))
    return found


def decide(found: list[tuple[str, str]]) -> tuple[str, str]:
    if not found:
        return "occurred", "default: asserted"
    return max(found, key=lambda f: STATUS_RANK[f[0]])
