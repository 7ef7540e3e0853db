"""Pipeline step: temporal expressions of every sentence, resolved against the article's date.

Expressions inside source notes are the notes' business (see :mod:`core.extract.citations`), not the
sentence's, and are skipped. Each expression is resolved with the tense of its own clause, so
"May 16" in "will meet on May 16" and in "met on May 16" can fall in different years when the
article's date sits between them.
"""

from __future__ import annotations

import re

from core.domain.bounds import plausible_date
from core.extract.clauses import clause_at, clause_looks_future, sentence_clauses
from core.text.document import Document, SpanSet
from core.text.patterns import caseless_view
from core.text.timeparse import find_timexes, resolve


def date_sentences(doc: Document) -> Document:
    notes = SpanSet((c.start, c.end) for c in doc.citations)
    anchor = doc.meta.published
    view, folded = caseless_view(doc)  # the text, lower-cased when that changes no tense cue found
    found = find_timexes(doc.text[doc.text_start :], doc.text_start)  # one scan of the whole text
    reference: dict[int, object] = {}  # paragraph → last point in time named ("the next day" counts from it)
    # a dispatch's dateline ("MOSCOW, May 12 (Itar-Tass) --") is a citation, not a date of the
    # sentence, but its day is the report date the sentence's "on Wednesday" counts from
    datelines = [(c.start, c.cited) for c in doc.citations if c.kind == "dateline" and c.cited is not None]
    i = 0
    n = len(found)
    has_notes = bool(notes)
    for s in doc.sentences:
        s0, s1 = s.start, s.end
        while i < n and found[i].start < s0:
            i += 1
        if i == n or found[i].start >= s1:
            continue  # (no date starts in the sentence: nothing below would run)
        mine = []
        clauses = None  # the sentence's clauses, asked once for all its dates
        while i < n and found[i].start < s1:
            tx = found[i]
            i += 1
            if tx.end > s1 or (has_notes and tx.start in notes):
                continue
            tx.sentence = s.idx
            if anchor is not None:
                if clauses is None:
                    clauses = sentence_clauses(doc, s)
                clause = clause_at(clauses, tx.start, (s0, s1))
                future = clause_looks_future(doc, view, clause, folded, tx.start, tx.end)
                resolve(tx, anchor, future, reference.get(s.paragraph))
                if not (plausible_date(tx.start_date) and plausible_date(tx.end_date)):
                    tx.start_date = tx.end_date = None  # "in 9999": outside data/bounds.yaml's years, not a date
                    tx.rule += " (year outside the plausible window)"
                mine.append((tx, future))
                if tx.anchor and tx.start_date and tx.precision == "day":
                    reference[s.paragraph] = tx.end_date
            doc.timexes.append(tx)
        if not mine:
            continue  # (nothing to count again: the report date is asked only of a sentence with dates)
        dated = next((d for at, d in datelines if s.start <= at < s.end), None) if datelines else None
        if len(mine) > 1 or dated is not None:
            _against_report_date(doc, s, mine, anchor, dated)
    return doc


# "… on Friday, KCNA reported on Saturday": a weekday counts back from the day of the report the
# sentence names (after a reporting verb, or in a dateline opening it), not from the article's date.
_REPORTED = re.compile(r"\b(?:reported|said|says|announced|quoted|stated|told|wrote|added|reports|announces)\s+(?:on\s+)?$", re.I)
_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{1,30},\s*$")
_RELATIVE_DAY = ("weekday", "rel_word")


def _against_report_date(doc: Document, s, mine: list, anchor, dateline=None) -> None:
    """Relative days of the sentence counted from its report date: a reported/dateline date the
    sentence itself writes, else the day of the dispatch's dateline standing in it."""
    text = doc.text
    report = next(
        (
            tx
            for tx, _f in mine
            if tx.precision == "day"
            and tx.start_date
            and tx.start_date <= anchor
            and (_REPORTED.search(text, max(s.start, tx.start - 24), tx.start) or _DATELINE.match(text[s.start : tx.start]))
        ),
        None,
    )
    day = report.start_date if report is not None else dateline
    if day is None or day == anchor or day > anchor:
        return
    for tx, future in mine:
        if tx is not report and tx.spec.get("kind") in _RELATIVE_DAY and tx.start_date:
            resolve(tx, day, future, day)
            tx.rule += f" (counted from the report date {day.isoformat()})"
