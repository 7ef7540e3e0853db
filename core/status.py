"""Which status cues of ``data/status_cues.csv`` reach a position in a sentence.

Shared by events and money figures: a cue counts in its own clause; a reported cue at the
very start of a sentence ("According to some, …") covers the whole sentence; a cue with scope
``complement`` also covers the "that …" clauses right after it ("Moscow denied that …").
"""

from __future__ import annotations

from core.document import Sentence
from core.lexicon import status_cues

#: Most decisive first: a denial outweighs a report, a report outweighs a plan.
STATUS_RANK = {"denied": 5, "unconfirmed": 4, "reported": 3, "planned": 2, "occurred": 1}


def cues_reaching(text: str, sent: Sentence, clauses: list[tuple[int, int]], pos: int,
                  ignore: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(status, rule) for every cue whose scope covers offset ``pos``."""
    idx = next((i for i, (a, b) in enumerate(clauses) if a <= pos < b), 0)
    first_comma = sent.text.find(",")
    opening = (sent.start, sent.start + first_comma) if 0 < first_comma < 40 else None
    found: list[tuple[str, str]] = []
    for cue in status_cues():
        if cue.status in ignore:
            continue
        for c_idx, (a, b) in enumerate(clauses):
            if c_idx > idx:
                break
            for m in cue.regex.finditer(text, a, b):
                if cue.scope == "verb":
                    if c_idx == idx and m.end() <= pos and len(text[m.end():pos].split()) <= 2:
                        found.append((cue.status, f"cue:{m[0].lower()} (before the verb) → {cue.status}"))
                    continue
                here = c_idx == idx
                from_opening = opening is not None and cue.status == "reported" and opening[0] <= m.start() < opening[1]
                from_matrix = (cue.scope == "complement" and c_idx < idx <= c_idx + 2
                               and text[clauses[c_idx + 1][0]:clauses[c_idx + 1][0] + 5].lower().startswith("that"))
                if here or from_opening or from_matrix:
                    found.append((cue.status, f"cue:{m[0].lower()} → {cue.status}"))
    return found


def decide(found: list[tuple[str, str]]) -> tuple[str, str]:
    if not found:
        return "occurred", "default: asserted"
    return max(found, key=lambda f: STATUS_RANK[f[0]])
