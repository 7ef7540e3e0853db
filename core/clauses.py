"""Clauses inside a sentence: the scope within which cues, dates and actors attach to a verb.

A light, rule-based split on punctuation and conjunctions: enough to keep "apparently" in
"Some in Seoul apparently believe that this action–Moscow and Pyongyang signed a treaty–could…"
away from the signing, which is what status and date scope need.
"""

from __future__ import annotations

import re

from core.patterns import plain_case

_SAY_VERBS = ("said", "says", "announced", "stated", "declared", "noted", "added", "warned", "insisted", "stressed",
              "claimed")
_BOUNDARY = re.compile(
    r"\s*[;:–—]\s*|\s+-{1,2}\s+"
    r"|,\s+(?=(?:and|but|while|whereas|which|where|who|whom|although|though|because|since|after|before|during which"
    r"|in which|under which|by which|as|so|yet)\b)"
    r"|\s+(?=(?:while|whereas|although|though|because)\s)"
    r"|(?<=\w)\s+(?=that\s)"
    r"|[,”\"]+\s+(?=(?:[\w’'-]+\s+){1,6}?(?:said|says|told|added|noted|stressed|declared|announced)\b)"
    r"|\s+(?=and\s+(?:(?:he|she|they|it|we)\s+)?(?:will|would|has|have|had|is|was|are|were)\b)"
    # last: after a say-verb when a new subject and verb follow ("said Moscow would …"), checked in code
    r"|(?<=d|s)\s+"
    r"(?!(?:On|In|At|During|Last|This|Next)\b)(?=(?:it|he|she|they|we|[A-Z][a-z]+)(?:\s+[A-Z][\w.-]*)*\s+"
    r"(?:would|will|was|were|is|are|had|has|have|could|should|must|might|did|does|\w+ed)\b)"
)


# Where a boundary can start: a mark, or the first space of a run followed by what some branch of
# _BOUNDARY looks for (keep in step with it). Trying _BOUNDARY only there, instead of letting the
# engine try all its branches at every character, finds the same boundaries in half the time.
_CANDIDATE = re.compile(
    r"[\s;:–—,”\"](?:(?<=[;:–—,”\"])"
    r"|\s*(?=[;:–—-]|(?:while|whereas|although|though|because|that|and)\s)"
    r"|(?<=[ds]\s)\s*(?=it|he|she|they|we|[A-Z]))")
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
        if m[0].strip() == "" and text[m.start() - 1:m.start()] in ("d", "s") and not text.startswith("that ", m.end()) \
                and not _SAY_END.search(text, max(0, m.start() - 12), m.start()):
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
    r"will be|forthcoming|proposed)\b", re.I)
PAST = re.compile(r"\b(?:was|were|had|did|ago|last|earlier|previously|already|\w+ed)\b", re.I)


INTENT = re.compile(r"\b(?:invitation|agreed|agrees|agree|promised|pledged|decided|offered|plans|planned|intends|"
                    r"intended|expects|expected|prepared|ready|scheduled|set)\s+to\b", re.I)


# FUTURE, PAST and INTENT without IGNORECASE, for lower-cased text (see core.patterns.plain_case)
_FUTURE_LOWER, _PAST_LOWER, _INTENT_LOWER = (re.compile(rx.pattern) for rx in (FUTURE, PAST, INTENT))
if any(rx.pattern != rx.pattern.lower() for rx in (FUTURE, PAST, INTENT)):
    raise ValueError("the tense patterns must be lower-case to run on lower-cased text")


def looks_future(before: str, after: str = "", folded: bool = False) -> bool | None:
    """Does a date at the end of ``before`` (and start of ``after``) look ahead or back?

    The tense cue nearest before the date decides ("accepted an invitation to visit Seoul in
    June": the invitation looks ahead); with none before it, the first one after it does.
    ``folded``: both are already lower-cased, from a text that passes core.patterns.plain_case.
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
    """The first clause holding ``pos``, else ``default`` (a loop is quicker than next() over a generator)."""
    for c in clauses:
        if c[0] <= pos < c[1]:
            return c
    return default


def sentence_clauses(doc, sent) -> list[tuple[int, int]]:
    """The clauses of a sentence, computed once per document."""
    return doc.memo(("clauses", sent.idx), lambda: clause_spans(sent.text, sent.start))
