"""Pipeline step: temporal expressions of every sentence, resolved against the article's date.

Expressions inside source notes are the notes' business (see :mod:`core.citations`), not the
sentence's, and are skipped. Each expression is resolved with the tense of its own clause, so
"May 16" in "will meet on May 16" and in "met on May 16" can fall in different years when the
article's date sits between them.
"""

from __future__ import annotations

from core.clauses import clause_at, looks_future, sentence_clauses
from core.document import Document, SpanSet
from core.patterns import caseless_view
from core.timeparse import find_timexes, resolve


def date_sentences(doc: Document) -> Document:
    notes = SpanSet((c.start, c.end) for c in doc.citations)
    anchor = doc.meta.published
    view, folded = caseless_view(doc)  # the text, lower-cased when that changes no tense cue found
    found = find_timexes(doc.text[doc.text_start:], doc.text_start)  # one scan of the whole text
    reference: dict[int, object] = {}  # paragraph → last point in time named ("the next day" counts from it)
    i = 0
    for s in doc.sentences:
        while i < len(found) and found[i].start < s.start:
            i += 1
        while i < len(found) and found[i].start < s.end:
            tx = found[i]
            i += 1
            if tx.end > s.end or tx.start in notes:
                continue
            tx.sentence = s.idx
            if anchor is not None:
                clauses = sentence_clauses(doc, s)
                clause = clause_at(clauses, tx.start, (s.start, s.end))
                resolve(tx, anchor, looks_future(view[clause[0]:tx.start], view[tx.end:clause[1]], folded),
                        reference.get(s.paragraph))
                if tx.anchor and tx.start_date and tx.precision == "day":
                    reference[s.paragraph] = tx.end_date
            doc.timexes.append(tx)
    return doc
