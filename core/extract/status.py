"""Which status cues of ``data/status_cues.csv`` reach a position in a sentence.

Shared by events and money figures: a cue counts in its own clause; a reported cue at the
very start of a sentence ("According to some, …") covers the whole sentence; a cue with scope
``complement`` also covers the "that …" clauses right after it ("Moscow denied that …").
"""

from __future__ import annotations

import re
from bisect import bisect_right

from core.domain.lexicon import Cue, status_cues, whole_text_matches
from core.domain.rules import STATUS_PRECEDENCE
from core.text.document import DocView, Sentence

#: Most decisive first: a denial outweighs a report, a report outweighs a plan.
STATUS_RANK = STATUS_PRECEDENCE


#: Per sentence: every status cue match in it (cue, start, end, words), from one scan of the text.
CUE_MATCHES: DocView[dict[int, list[tuple[Cue, int, int, str]]]] = DocView("status cue matches", dict)
#: Per sentence: (the clauses used, its cue matches with their clause and scope facts).
PLACED_CUES: DocView[dict[int, tuple[list[tuple[int, int]], list[tuple]]]] = DocView("placed status cues", dict)
#: The spans of quoted speech in the text.
QUOTATIONS: DocView[list[tuple[int, int]]] = DocView("quotations", list)


def cue_matches(doc, sent: Sentence) -> list[tuple[Cue, int, int, str]]:
    """Every cue match of a sentence; the whole text is scanned once for all cues and bucketed."""
    table = doc.cache.get(CUE_MATCHES)  # (asked per event: the made view first)
    if table is None:
        table = CUE_MATCHES.of(doc, lambda: _cue_matches_by_sentence(doc))
    return table.get(sent.idx, [])


def _cue_matches_by_sentence(doc) -> dict[int, list[tuple[Cue, int, int, str]]]:
    starts = [s.start for s in doc.sentences]
    out: dict[int, list[tuple[Cue, int, int, str]]] = {}
    for cue, found in zip(status_cues(), whole_text_matches(doc)[0], strict=True):
        for m in found:
            i = bisect_right(starts, m.start()) - 1
            if i >= 0 and m.end() <= doc.sentences[i].end:
                out.setdefault(i, []).append((cue, m.start(), m.end(), m[0]))
    return out


def cues_reaching(
    doc,
    sent: Sentence,
    clauses: list[tuple[int, int]],
    pos: int,
    ignore: tuple[str, ...] = (),
    blocked: tuple[tuple[int, int], ...] = (),
    own: tuple[int, int] | None = None,
) -> list[tuple[str, str]]:
    """(status, rule) for every cue whose scope covers offset ``pos``; a cue ending inside a
    ``blocked`` span (a quotation the position is not in) reaches nothing outside it."""
    cues = _placed_cues(doc, sent, clauses)
    if not cues:
        return []
    text = doc.text
    idx = _clause_index(clauses, pos, 0)
    found: list[tuple[str, str]] = []
    for cue, end, c_idx, from_opening, that_next, rule, verb_rule in cues:
        if cue.status in ignore or c_idx < 0 or c_idx > idx:
            continue
        if blocked and any(a < end <= b for a, b in blocked):
            continue
        if own is not None and own[0] < end <= own[1]:
            continue  # the trigger's own words ("intend to", "is ready to") are the act, not a cue about it
        if cue.scope == "verb":
            if c_idx == idx and end <= pos and len(text[end:pos].split()) <= 2:
                found.append((cue.status, verb_rule))
            continue
        if c_idx == idx or from_opening or (cue.scope == "complement" and c_idx < idx <= c_idx + 2 and that_next):
            found.append((cue.status, rule))
    return found


def _placed_cues(doc, sent: Sentence, clauses: list[tuple[int, int]]) -> list[tuple]:
    """The cue matches of a sentence with what does not depend on the position asked about: the
    clause each stands in, whether it opens the sentence, whether a "that" clause follows, its rules.
    Kept per sentence for the clauses it was worked out with."""
    placed = PLACED_CUES.table(doc)
    kept = placed.get(sent.idx)
    if kept is not None and kept[0] is clauses:
        return kept[1]
    text = doc.text
    first_comma = sent.text.find(",")
    opening = (sent.start, sent.start + first_comma) if 0 < first_comma < 40 else None
    out = []
    for cue, start, end, matched in cue_matches(doc, sent):
        c_idx = _clause_index(clauses, start, -1)
        from_opening = opening is not None and cue.status == "reported" and opening[0] <= start < opening[1]
        that_next = 0 <= c_idx < len(clauses) - 1 and text[clauses[c_idx + 1][0] : clauses[c_idx + 1][0] + 5].lower().startswith("that")
        out.append(
            (
                cue,
                end,
                c_idx,
                from_opening,
                that_next,
                f"cue:{matched.lower()} → {cue.status}",
                f"cue:{matched.lower()} (before the verb) → {cue.status}",
            )
        )
    placed[sent.idx] = (clauses, out)
    return out


def _clause_index(clauses: list[tuple[int, int]], pos: int, default: int) -> int:
    """``next((i for i, (a, b) in enumerate(clauses) if a <= pos < b), default)``, as a plain loop
    (asked per event and per cue: no generator made each time; tests/test_speedups_xspeed5.py)."""
    for i, (a, b) in enumerate(clauses):
        if a <= pos < b:
            return i
    return default


def quotations(doc) -> list[tuple[int, int]]:
    """Spans of quoted speech: “…” (a quotation left open runs to the end of its paragraph, as in a
    letter quoted over several paragraphs) and straight "…" pairs within a paragraph."""

    def find() -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        text = doc.text
        for para in doc.paragraphs:
            opened = -1
            straight = -1
            for m in _QUOTE_MARK.finditer(text, para.start, para.end):
                ch, at = m[0], m.start()
                if ch == "“" and opened < 0:
                    opened = at
                elif ch == "”" and opened >= 0:
                    out.append((opened, at + 1))
                    opened = -1
                elif ch == '"':
                    if straight < 0:
                        straight = at
                    else:
                        out.append((straight, at + 1))
                        straight = -1
            if opened >= 0:
                out.append((opened, para.end))
        return out

    return QUOTATIONS.of(doc, find)


_QUOTE_MARK = re.compile('[“”"]')


def decide(found: list[tuple[str, str]]) -> tuple[str, str]:
    if not found:
        return "occurred", "default: asserted"
    return max(found, key=lambda f: STATUS_RANK[f[0]])
