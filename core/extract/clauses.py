"""Clauses inside a sentence: the scope within which cues, dates and actors attach to a verb.

A light, rule-based split on punctuation and conjunctions: enough to keep "apparently" in
"Some in Seoul apparently believe that this action–Moscow and Pyongyang signed a treaty–could…"
away from the signing, which is what status and date scope need.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from core.domain.rules import CLAUSE_SUBJECT_PRONOUNS
from core.text.document import DocView
from core.text.patterns import plain_case

_HE = "|".join(CLAUSE_SUBJECT_PRONOUNS)  # the pronouns that open a clause (data/pronouns.csv)

_SAY_VERBS = ("said", "says", "announced", "stated", "declared", "noted", "added", "warned", "insisted", "stressed", "claimed")
_BOUNDARY = re.compile(
    r"\s*[;:–—]\s*|\s+-{1,2}\s+"
    r"|,\s+(?=(?:and|but|while|whereas|which|where|who|whom|although|though|because|since|after|before|during which"
    r"|in which|under which|by which|as|so|yet)\b)"
    r"|\s+(?=(?:while|whereas|although|though|because)\s)"
    r"|(?<=\w)\s+(?=that\s)"
    r"|[,”\"]+\s+(?=(?:[\w’'-]+\s+){1,6}?(?:said|says|told|added|noted|stressed|declared|announced)\b)"
    rf"|\s+(?=and\s+(?:(?:{_HE})\s+)?(?:will|would|has|have|had|is|was|are|were)\b)"
    # last: after a say-verb when a new subject and verb follow ("said Moscow would …"), checked in code
    r"|(?<=d|s)\s+"
    rf"(?!(?:On|In|At|During|Last|This|Next)\b)(?=(?:{_HE}|[A-Z][a-z]+)(?:\s+[A-Z][\w.-]*){{0,12}}\s+"
    r"(?:would|will|was|were|is|are|had|has|have|could|should|must|might|did|does|\w+ed)\b)"
    # at most 12 capitalised words between the subject and its verb: bounded, so "Ds Ds Ds …" is not quadratic
)


# Where a boundary can start: a mark, or the first space of a run followed by what some branch of
# _BOUNDARY looks for (keep in step with it). Trying _BOUNDARY only there, instead of letting the
# engine try all its branches at every character, finds the same boundaries in half the time.
_CANDIDATE = re.compile(
    r"[\s;:–—,”\"](?:(?<=[;:–—,”\"])"
    r"|\s*(?=[;:–—-]|(?:while|whereas|although|though|because|that|and)\s)"
    rf"|(?<=[ds]\s)\s*(?={_HE}|[A-Z]))"
)
# Measured dead ends (xspeed3, 400 synthetic articles, CPU time): starting candidates only at the
# first space of a run, as a top-level alternation `[;:…]|(?<!\s)\s(?:…)`, is 1.5x slower (the
# engine loses the leading character set it skips ahead with); the same inside the group
# (`(?<!\s\s)`) is 4% slower; a first-letter lookahead `(?=[;:–—\-wtab])` before the word branch
# is 3% faster on clause_spans, about 0.05% of extraction. clause_spans is ~2% of extraction.
_SAY_END = re.compile(r"\b(?:" + "|".join(_SAY_VERBS) + r")$")


def clause_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Start and end offsets of each clause of ``text``, shifted by ``offset``."""
    spans, pos = [], 0
    scan = 0  # where _BOUNDARY.finditer(text) would go on looking
    match = _BOUNDARY.match
    for c in _CANDIDATE.finditer(text):
        q = c.start()
        if q < scan:
            if c.end() <= scan:
                continue
            q = scan  # inside a run of spaces: the same answer as at its first space
        m = match(text, q)
        if m is None:
            continue
        scan = m.end()
        if (
            m[0].strip() == ""
            and text[m.start() - 1 : m.start()] in ("d", "s")
            and not text.startswith("that ", m.end())
            and not _SAY_END.search(text, max(0, m.start() - 12), m.start())
        ):
            continue  # the say-verb branch: only after "said", "announced", …
        if m.start() > pos:
            spans.append((offset + pos, offset + m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((offset + pos, offset + len(text)))
    return spans or [(offset, offset + len(text))]


FUTURE = re.compile(
    r"\b(?:will|would|shall|'ll|is to|are to|was to|were to|is scheduled|are scheduled|was scheduled|"
    r"scheduled to|plans? to|planning to|planned|intends? to|expected to|is due|are due|upcoming|"
    r"is going to|are going to|was going to|next|hopes? to|hoping to|is set to|are set to|"
    r"will be|forthcoming|proposed)\b",
    re.I,
)
PAST = re.compile(r"\b(?:was|were|had|did|ago|last|earlier|previously|already|\w+ed)\b", re.I)


INTENT = re.compile(
    r"\b(?:invitation|agreed|agrees|agree|promised|pledged|decided|offered|plans|planned|intends|"
    r"intended|expects|expected|prepared|ready|scheduled|set)\s+to\b",
    re.I,
)


# (Measured, xspeed3: regrouping FUTURE's words by first letter so the engine gets a leading
# character set made each scan 20% slower; looks_future is ~2.5% of extraction.)
# FUTURE, PAST and INTENT without IGNORECASE, for lower-cased text (see core.text.patterns.plain_case)
_FUTURE_LOWER, _PAST_LOWER, _INTENT_LOWER = (re.compile(rx.pattern) for rx in (FUTURE, PAST, INTENT))
if any(rx.pattern != rx.pattern.lower() for rx in (FUTURE, PAST, INTENT)):
    raise ValueError("the tense patterns must be lower-case to run on lower-cased text")


def looks_future(before: str, after: str = "", folded: bool = False) -> bool | None:
    """Does a date at the end of ``before`` (and start of ``after``) look ahead or back?

    The tense cue nearest before the date decides ("accepted an invitation to visit Seoul in
    June": the invitation looks ahead); with none before it, the first one after it does.
    ``folded``: both are already lower-cased, from a text that passes core.text.patterns.plain_case.
    """
    if folded:
        future, past, intent = _FUTURE_LOWER, _PAST_LOWER, _INTENT_LOWER
    elif plain_case(before) and plain_case(after):
        future, past, intent = _FUTURE_LOWER, _PAST_LOWER, _INTENT_LOWER
        before, after = before.lower(), after.lower()
    else:
        future, past, intent = FUTURE, PAST, INTENT
    ahead = back = -1  # where the last cue of each kind ends; a tie goes to the future
    for m in future.finditer(before):
        ahead = m.end()
    for m in intent.finditer(before):
        ahead = max(ahead, m.end())
    for m in past.finditer(before):
        back = m.end()
    if ahead >= 0 or back >= 0:
        return ahead >= back
    if future.search(after) or intent.search(after):
        return True
    if past.search(after):
        return False
    return None


def clause_at(clauses: list[tuple[int, int]], pos: int, default: tuple[int, int]) -> tuple[int, int]:
    """The clause holding ``pos``, else ``default``.

    ``clauses`` are sorted and do not overlap (as :func:`clause_spans` gives them), so a bisection
    finds it: a scan of the list per lookup made a sentence of thousands of clauses quadratic.
    """
    if len(clauses) <= _LINEAR_CLAUSES:
        # (most sentences have a few clauses: walking back from the last one finds the same clause
        # as the bisection, the last starting at or before ``pos``, without comparing (int, float)
        # tuples, which cost more than the walk; tests/test_speedups_xspeed5.py)
        for clause in reversed(clauses):
            if clause[0] <= pos:
                return clause if pos < clause[1] else default
        return default
    i = bisect_right(clauses, (pos, _INF)) - 1
    if i >= 0 and clauses[i][0] <= pos < clauses[i][1]:
        return clauses[i]
    return default


_LINEAR_CLAUSES = 8  # clause lists up to this long are walked, longer ones bisected


_INF = float("inf")
_WORD = re.compile(r"\w")


class TenseIndex:
    """The tense cues of one clause, found once: :func:`looks_future` for every date of the clause
    without rescanning it per date (a clause of 3,000 dates was quadratic).

    Gives exactly what ``looks_future(clause[:start], clause[end:])`` gives: where a cue crosses a
    date's edge, or the edge falls inside a word (where cutting the text changes ``\\b``), it asks
    :func:`looks_future` itself.
    """

    def __init__(self, clause: str, folded: bool = False) -> None:
        self.clause, self.folded = clause, folded
        if folded:
            rxs, target = (_FUTURE_LOWER, _INTENT_LOWER, _PAST_LOWER), clause
        elif plain_case(clause):
            rxs, target = (_FUTURE_LOWER, _INTENT_LOWER, _PAST_LOWER), clause.lower()
        else:
            rxs, target = (FUTURE, INTENT, PAST), clause
        # per kind: match starts and ends, in order
        self.spans = [([m.start() for m in ms], [m.end() for m in ms]) for ms in ([*rx.finditer(target)] for rx in rxs)]

    def _edge_is_safe(self, pos: int) -> bool:
        text = self.clause
        if 0 < pos < len(text) and _WORD.match(text, pos - 1) and _WORD.match(text, pos):
            return False  # inside a word: cutting there changes what \b sees
        for starts, ends in self.spans:
            i = bisect_right(starts, pos) - 1  # the last cue starting at or before pos
            if i >= 0 and (starts[i] == pos or ends[i] >= pos):
                return False  # a cue touching or crossing the cut
        return True

    def looks_future(self, start: int, end: int) -> bool | None:
        """:func:`looks_future` of a date at [start, end) of the clause (offsets in the clause)."""
        if not (self._edge_is_safe(start) and self._edge_is_safe(end)):
            return looks_future(self.clause[:start], self.clause[end:], self.folded)
        (f_starts, f_ends), (i_starts, i_ends), (p_starts, p_ends) = self.spans

        def last_end(ends: list[int]) -> int:
            i = bisect_right(ends, start) - 1
            return ends[i] if i >= 0 else -1

        ahead = max(last_end(f_ends), last_end(i_ends))
        back = last_end(p_ends)
        if ahead >= 0 or back >= 0:
            return ahead >= back
        if bisect_left(f_starts, end) < len(f_starts) or bisect_left(i_starts, end) < len(i_starts):
            return True
        if bisect_left(p_starts, end) < len(p_starts):
            return False
        return None


#: Per (clause, folded): the clause's :class:`TenseIndex`.
TENSE_INDEXES: DocView[dict[tuple[tuple[int, int], bool], TenseIndex]] = DocView("tense indexes", dict)
#: The (clause, folded) pairs whose tense was asked about once already (the index is built at the second).
TENSE_ASKED: DocView[set[tuple[tuple[int, int], bool]]] = DocView("tense asked", set)


def tense_index(doc, view: str, clause: tuple[int, int], folded: bool) -> TenseIndex:
    """The :class:`TenseIndex` of a clause of ``view``, built once per document."""
    table = TENSE_INDEXES.table(doc)
    index = table.get((clause, folded))
    if index is None:
        index = table[(clause, folded)] = TenseIndex(view[clause[0] : clause[1]], folded)
    return index


def clause_looks_future(doc, view: str, clause: tuple[int, int], folded: bool, start: int, end: int) -> bool | None:
    """:func:`looks_future` of the date at [start, end) of ``view`` within ``clause``.

    Most clauses hold one date: reading around it directly scans the clause once, while building a
    :class:`TenseIndex` scans it whole and then bisects, about twice the work. The index is built at
    the second date of a clause, so a clause of thousands of dates stays linear (one direct read,
    then the index). Same answer either way (tests/test_speedups_clauses.py).
    """
    asked = TENSE_ASKED.table(doc)
    if (clause, folded) not in asked:
        asked.add((clause, folded))
        return looks_future(view[clause[0] : start], view[end : clause[1]], folded)
    return tense_index(doc, view, clause, folded).looks_future(start - clause[0], end - clause[0])


def sentence_clauses(doc, sent) -> list[tuple[int, int]]:
    """The clauses of a sentence, computed once per document (kept in ``doc.sentence_clauses``):
    dates, events and money figures all ask for them."""
    table = doc.sentence_clauses
    found = table.get(sent.idx)
    if found is None:
        found = table[sent.idx] = clause_spans(sent.text, sent.start)
    return found
