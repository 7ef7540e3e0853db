"""Pipeline step: paragraphs and sentences, as character offsets into the article text.

A rule-based splitter: news prose is regular enough, and a statistical model would cost a
hundred times the time per article (see the benchmark) for little gain on this kind of text.
"""

from __future__ import annotations

import re
import string

from core.text.datafiles import cached_yaml
from core.text.document import Document, Sentence, Span

_BLANK = re.compile(r"\n[ \t]*\n+")
# A sentence ends at . ! ? (plus closing quotes/brackets) before a space and a capital,
# an opening quote, a digit or an opening bracket.
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "col",
    "lt",
    "maj",
    "capt",
    "adm",
    "sgt",
    "st",
    "jr",
    "sr",
    "no",
    "vol",
    "inc",
    "ltd",
    "co",
    "corp",
    "gov",
    "sen",
    "rep",
    "prof",
    "messrs",
    "vs",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.n",
    "u.k",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
    "approx",
    "est",
    "fig",
    "gens",
}
_LEADING_NOTE = re.compile(r"\([^()]{2,300}\)\s+")
_WORD_CHARS = frozenset(string.ascii_letters + ".")
_CAPITALS = frozenset(string.ascii_uppercase)


def split_paragraphs(doc: Document) -> Document:
    body = doc.text[doc.body_start :]
    spans: list[Span] = []
    title = _title_span(doc)
    if title is not None:  # a headline reports the article's main act ("Putin met with Kim Dae-jung")
        doc.title_span = title
        spans.append(Span(*title))
    if _BLANK.search(body) or _mostly_wrapped(body):
        pieces = _blocks(body, _BLANK)
    else:
        pieces = _blocks(body, re.compile(r"\n+"))
    limit = int(cached_yaml("bounds.yaml")["max_paragraphs"])
    if len(pieces) > limit:
        before = len(pieces)
        pieces = merge_short_runs(pieces, 40)
        doc.warnings.append(
            f"the text has {before:,} paragraphs (more than {limit:,}): runs of short lines were read "
            f"together in a cheaper mode ({len(pieces):,} paragraphs)"
        )
    for start, end in pieces:
        spans.append(Span(doc.body_start + start, doc.body_start + end))
    doc.paragraphs = spans
    return doc


def merge_short_runs(pieces: list[tuple[int, int]], short: int) -> list[tuple[int, int]]:
    """Consecutive paragraphs shorter than ``short`` characters joined into one (spanning the line
    breaks between them): the work guard for a text of hundreds of thousands of one-word lines,
    where the fixed cost of each paragraph and sentence, not the text, set the time."""
    out: list[tuple[int, int]] = []
    run_open = False
    for start, end in pieces:
        if end - start < short and run_open:
            out[-1] = (out[-1][0], end)
            continue
        out.append((start, end))
        run_open = end - start < short
    return out


def split_sentences(doc: Document) -> Document:
    sentences: list[Sentence] = []
    limit = max_sentence_chars()
    cut = 0
    for p_idx, para in enumerate(doc.paragraphs):
        text = doc.text[para.start : para.end]
        for start, end in _sentence_spans(text):
            pieces = cut_long(text, start, end, limit)
            cut += len(pieces) > 1
            for ps, pe in pieces:
                s, e = para.start + ps, para.start + pe
                sentences.append(Sentence(s, e, len(sentences), p_idx, doc.text[s:e]))
    doc.sentences = sentences
    if cut:
        doc.warnings.append(
            f"{cut} sentence(s) longer than {limit:,} characters were cut into pieces and read in a cheaper mode (each piece on its own)"
        )
    return doc


def max_sentence_chars() -> int:
    """The work guard of data/bounds.yaml: the longest sentence read whole."""
    return int(cached_yaml("bounds.yaml")["max_sentence_chars"])


def cut_long(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """[start, end) as is when it is at most ``limit`` long, else pieces of at most ``limit``
    characters cut after the last comma or semicolon, else at the last space (or anywhere, in a
    run without one).

    Why: every step's work per sentence grows with its length times what it holds (figures, dates,
    clauses); bounding the length keeps a hostile run-on "sentence" linear in the text.
    """
    if end - start <= limit:
        return [(start, end)]
    out = []
    while end - start > limit:
        # after the last comma or semicolon of the window, else at its last space: not inside "US$1.8 billion"
        lo, hi = start + limit // 2, start + limit
        mark = max(text.rfind(", ", lo, hi), text.rfind("; ", lo, hi))
        space = mark + 1 if mark > start else text.rfind(" ", lo, hi)
        stop = space if space > start else start + limit
        out.append((start, stop))
        start = stop
        while start < end and text[start] == " ":
            start += 1
    if start < end:
        out.append((start, end))
    return out


def _title_span(doc: Document) -> tuple[int, int] | None:
    """Where the header's title stands in the text (before the body), if it is written there."""
    title = doc.meta.title.strip()
    if not title or not doc.body_start:
        return None
    at = doc.text.find(title, 0, doc.body_start)
    if at < 0:
        return None
    return at, at + len(title)


def _blocks(text: str, sep: re.Pattern[str]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in sep.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    result = []
    for s, e in out:
        chunk = text[s:e]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk.rstrip())
        if trail > lead:
            result.append((s + lead, s + trail))
    return result


def _mostly_wrapped(text: str) -> bool:
    """Hard-wrapped text (short lines, no blank lines) keeps each run as one paragraph."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return bool(lines) and sum(len(ln) for ln in lines) / len(lines) < 90


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        if text[m.start()] == "." and _is_abbreviation_at(text, start, m.start()):
            continue
        spans.append((start, end))
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return _attach_bare_notes(text, spans)


def _is_abbreviation_at(text: str, lo: int, dot: int) -> bool:
    """Does text[lo:dot + 1] (text[dot] is ".") end in an abbreviation ("Gen.") or initials ("U.S.")?

    Read back from the dot, not searched from ``lo``: the same answer as ``([A-Za-z.]+)\\.$`` for
    the word and ``(?:^|[\\s(])(?:[A-Z]\\.)+$`` for initials, without rescanning the sentence so far
    at every full stop.
    """
    r = dot
    while r > lo and text[r - 1] in _WORD_CHARS:
        r -= 1
    if r == dot:
        return False
    if text[r:dot].lower() in _ABBREV:
        return True
    p = dot + 1  # initials: "X." pairs back from the end, after the start or a space or "("
    while p - 2 >= lo and text[p - 1] == "." and text[p - 2] in _CAPITALS:
        p -= 2
    return p <= dot and (p == lo or text[p - 1].isspace() or text[p - 1] == "(")


def _attach_bare_notes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A sentence that is only a parenthesised note, e.g. "(AFP, May 3)", joins the one before."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        lead = _LEADING_NOTE.match(text, s, e)
        if out and lead and lead.end() < e:
            out[-1] = (out[-1][0], s + len(lead.group(0).rstrip()))
            s = lead.end()
        chunk = text[s:e].strip()
        if out and chunk.startswith("(") and chunk.rstrip(".").endswith(")") and chunk.count("(") == 1:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out
