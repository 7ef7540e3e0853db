"""Pipeline step: money figures — value in US dollars, what they are, who owes or pays whom.

The category comes from the words around the figure (``data/amount_cues.csv``): the noun right
after it first ("US$1.8 billion debt"), then the nearest cue in its clause ("at a price of").
Status uses the same cue words as events; a debt figure is a stated fact, so plans and hopes
around it do not make it "planned".
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import lru_cache
from itertools import pairwise

from core.domain.bounds import money_flag
from core.domain.lexicon import _lower_literals, sentence_topics
from core.domain.rules import MONEY_MULTIPLIERS, MULTIPLIER_WORDS, SPELLED_MULTIPLIER_WORDS
from core.extract.clauses import clause_at, sentence_clauses
from core.extract.events import mentions_of
from core.extract.status import cues_reaching, decide
from core.text.datafiles import cached_csv
from core.text.document import Amount, Document, DocView, SpanSet
from core.text.patterns import plain_case, required_literals, string_automaton

_MULT = MONEY_MULTIPLIERS
_MONEY = re.compile(
    r"(?:(?P<cur>(?<![a-z])US\s?\$|(?<![a-z])U\.S\.\s?\$|\$|(?<![a-z])USD\s?)\s?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    rf"(?:\s*(?P<mult>{MULTIPLIER_WORDS})\b)?"
    rf"|(?P<num2>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)\s*(?P<mult2>{SPELLED_MULTIPLIER_WORDS})?\s+"
    r"(?:US\s+|U\.S\.\s+|American\s+)?dollars\b)",
    re.I,
)
_PERCENT = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?:percent|per cent|%)\s+of\s+(?P<what>(?:[\w’'-]+\s+){0,4}?)", re.I)
_EXPONENT = re.compile(r"[eE][+-]?\d+\b")
# a minus sign or the word right before the figure; not the dash of a range ("1.8-$2 billion")
_MINUS = re.compile(r"(?:(?<![\w.,$])[-−]|\bminus\s+)$", re.I)
_POSSIBLE = re.compile(r"\b(?:possible|proposed|potential)\b", re.I)
_HEAD_WORDS = re.compile(r"\s*((?:[\w’'-]+\s+){0,3}[\w’'-]+)")
_LINKING = re.compile(r"\b(?:for|of|from|by|with)\b")
_POSSESSIVE_GAP = re.compile(r"^['’]s\s*$")
_TO_BEFORE = re.compile(r"\bto\s+(?:the\s+)?$")
# Cheap tests before the regexes: every match of _MONEY holds "$", "usd" or "dollars" and every
# match of _PERCENT "%", "percent" or "per cent", in any case; the lower-cased sentence answers
# that when it passes core.text.patterns.plain_case (else the regexes run anyway).
_MONEY_WORDS = ("$", "usd", "dollars")
_PERCENT_WORDS = ("%", "percent", "per cent")


@lru_cache(maxsize=1)
def _cues() -> tuple[tuple[str, re.Pattern[str], float], ...]:
    return tuple(
        (r["category"], re.compile(r"(?<![\w-])(?:" + r["word"] + r")(?![\w-])", re.I), float(r["weight"]))
        for r in cached_csv("amount_cues.csv")
    )


def find_amounts(doc: Document) -> Document:
    notes = SpanSet((c.start, c.end) for c in doc.citations)
    worded = _worded_sentences(doc)
    for k, sent in enumerate(doc.sentences):
        scan_money = scan_percent = True
        if worded is not None:
            scan_money, scan_percent = k in worded[0], k in worded[1]
            if not scan_money and not scan_percent:
                continue
        elif plain_case(sent.text):
            low = sent.text.lower()
            scan_money = any(w in low for w in _MONEY_WORDS)
            scan_percent = any(w in low for w in _PERCENT_WORDS)
            if not scan_money and not scan_percent:
                continue
        clauses = sentence_clauses(doc, sent)
        for m in _MONEY.finditer(sent.text) if scan_money else ():
            start, end = sent.start + m.start(), sent.start + m.end()
            if start in notes:
                continue
            num = (m["num"] or m["num2"]).replace(",", "")
            mult = (m["mult"] or m["mult2"] or "").lower()
            exponent = _EXPONENT.match(doc.text, sent.start + m.end("num")) if m["num"] and not mult else None
            if exponent:  # "US$1e309": the number as written, not $1
                num += exponent[0]
                end = max(end, exponent.end())
            value = float(num) * _MULT.get(mult, 1.0)
            sign = _MINUS.search(doc.text, max(sent.start, start - 8), start)
            if sign:  # "-$5 million", "minus $5 million": a negative figure
                start, value = sign.start(), -value
            flag = money_flag(value)
            if not math.isfinite(value):
                value = None  # a 400-digit figure: kept as text, flagged, no value
            amt = Amount(start, end, sent.idx, doc.text[start:end], value, "other", "", note=flag)
            _annotate(doc, sent, clauses, amt)
            doc.amounts.append(amt)
        for m in _PERCENT.finditer(sent.text) if scan_percent else ():
            start, end = sent.start + m.start(), sent.start + m.end()
            amt = Amount(start, end, sent.idx, doc.text[start:end].strip(), None, "other", "", note=f"share: {m['num']} percent")
            _annotate(doc, sent, clauses, amt)
            if amt.category != "other":
                doc.amounts.append(amt)
    return doc


def _worded_sentences(doc: Document) -> tuple[set[int], set[int]] | None:
    """For a text that passes plain_case: the positions (in ``doc.sentences``) of the sentences whose
    lower-cased text holds a money word, and of those holding a percent word; None for other texts.

    The same answer as ``w in sent.text.lower()`` per sentence and word (the words are ASCII, and in
    such a text lower-casing maps characters one to one), from one search of the whole lower-cased
    text per word instead of a copy and six searches per sentence."""
    text = doc.text
    if not plain_case(text):
        return None
    lower = doc.lower
    starts = [s.start for s in doc.sentences]
    out: tuple[set[int], set[int]] = (set(), set())
    for found, words in zip(out, (_MONEY_WORDS, _PERCENT_WORDS), strict=True):
        for w in words:
            i = lower.find(w)
            while i >= 0:
                k = bisect_right(starts, i) - 1
                if k >= 0 and i + len(w) <= doc.sentences[k].end:
                    found.add(k)
                i = lower.find(w, i + 1)
    return out


#: The sentences whose first figure was categorised already (the cue spans are found at the second).
AMOUNT_CUES_ASKED: DocView[set[int]] = DocView("amount cues asked", set)
#: Per sentence: each cue row's match starts, ends and words (:func:`_cue_spans`).
AMOUNT_CUES: DocView[dict[int, list[tuple[list[int], list[int], list[str]]]]] = DocView("amount cues", dict)
#: Per number of dates found: their starts, in the order found.
TIMEX_STARTS: DocView[dict[int, list[int]]] = DocView("timex starts", dict)
#: Per number of dates: whether their starts are in text order (then bisection may be used).
TIMEX_SORTED: DocView[dict[int, bool]] = DocView("timex starts sorted", dict)


def _cue_spans(text: str, lo: int, hi: int) -> list[tuple[list[int], list[int], list[str]]]:
    """Per cue row, the starts, ends and lower-cased words of its matches in [lo, hi)."""
    out = []
    for _category, rx, _weight in _cues():
        ms = list(rx.finditer(text, lo, hi))
        out.append(([m.start() for m in ms], [m.end() for m in ms], [m[0].lower() for m in ms]))
    return out


def _head_cue(rx, weight: float, head_words, category: str, scores: dict[str, float], rules: dict[str, str]) -> None:
    """A cue word in the few words right after the figure ("US$500 million of arms") counts most."""
    if head_words and weight >= 2:
        hm = rx.search(head_words[1])
        if hm and not _LINKING.search(head_words[1][: hm.start()]):
            score = weight * 2 + 2
            if score > scores.get(category, 0):
                scores[category], rules[category] = score, f"head:{hm[0].lower()}"


def categorise_fast(
    text: str, start: int, end: int, lo: int, hi: int, spans: list[tuple[list[int], list[int], list[str]]], spans_lo: int
) -> tuple[str, str]:
    """:func:`categorise` with the cue matches of [spans_lo, hi) found once per sentence
    (``spans`` from :func:`_cue_spans`, ``spans_lo`` ≤ ``lo``): the nearest match of each cue row
    on either side of the figure, by bisection, instead of a scan of the sentence per figure
    (3,000 figures in one sentence were quadratic). Same result; a row whose match crosses ``lo``
    (where a scan from ``lo`` could find other matches) is scanned as before."""
    head = text[end : min(hi, end + 40)]
    head_words = _HEAD_WORDS.match(head)
    scores: dict[str, float] = {}
    rules: dict[str, str] = {}
    for (category, rx, weight), (starts, ends, words) in zip(_cues(), spans, strict=True):
        if weight <= 0:
            continue
        _head_cue(rx, weight, head_words, category, scores, rules)
        first = bisect_left(starts, lo)
        if spans_lo < lo and first > 0 and ends[first - 1] > lo:
            best = None  # a match crosses lo: scan this row from lo, as categorise does
            for m in rx.finditer(text, lo, hi):
                if start <= m.start() < end:
                    continue
                distance = max(0, start - m.end()) if m.end() <= start else max(0, m.start() - end)
                score = weight / (1 + distance / 25)
                if best is None or score > best[0]:
                    best = (score, m[0].lower())
        else:
            best = None
            before = bisect_left(starts, start) - 1  # the last match starting before the figure
            if before >= first:
                s0, e0 = starts[before], ends[before]
                distance = max(0, start - e0) if e0 <= start else max(0, s0 - end)
                best = (weight / (1 + distance / 25), words[before])
            after = bisect_left(starts, end, lo=max(first, before + 1))  # the first starting at or after its end
            if after < len(starts):
                score = weight / (1 + (starts[after] - end) / 25)
                if best is None or score > best[0]:
                    best = (score, words[after])
        if best is not None and best[0] > scores.get(category, 0):
            scores[category], rules[category] = best[0], f"cue:{best[1]}"
    if not scores:
        return "other", "no cue"
    top = max(scores, key=scores.get)
    return top, rules[top]


@lru_cache(maxsize=1)
def _cue_gates() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Per cue row of :func:`_cues`: strings of which every match holds one of each set, in lower case
    (core.text.patterns.required_literals of the row's lower-cased pattern); () when none is known."""
    return tuple(() if "(?-i:" in rx.pattern else required_literals(_lower_literals(rx.pattern)) for _c, rx, _w in _cues())


@lru_cache(maxsize=1)
def _cue_gate_index():
    """(an Aho–Corasick automaton of every gate string of :func:`_cue_gates` or None without
    pyahocorasick, each row's gates as sets)."""
    gates = _cue_gates()
    return string_automaton({g for row in gates for gate in row for g in gate}), [tuple(frozenset(gate) for gate in row) for row in gates]


def categorise_gated(text: str, start: int, end: int, lo: int, hi: int) -> tuple[str, str]:
    """:func:`categorise`, with a cue row skipped when its words are absent from [lo, hi).

    Why: the rows' patterns open with a look-behind and ignore case, so each scan tries every
    character of the stretch; most rows have no word in it, which a substring test of the lower-cased
    stretch tells at a fraction of the cost. Only for a stretch that passes
    core.text.patterns.plain_case (where the lower-case pattern on the lower-cased text finds what
    the case-ignoring one finds). Same result (tests/test_speedups_amounts.py)."""
    window = text[lo:hi]
    if not plain_case(window):
        return categorise(text, start, end, lo, hi)
    low = window.lower()
    automaton, gate_sets = _cue_gate_index()
    if automaton is not None:  # every gate string of every row in one pass over the stretch
        present = {g for _end, g in automaton.iter(low)}
        live = [all(not gate.isdisjoint(present) for gate in gates) for gates in gate_sets]
    else:
        live = [all(any(g in low for g in gate) for gate in gates) for gates in _cue_gates()]
    # a row none of whose words is in the stretch (the head is part of it) cannot match or score
    return _best_cue([row for row, ok in zip(_cues(), live, strict=True) if ok], text, start, end, lo, hi)


def categorise(text: str, start: int, end: int, lo: int, hi: int) -> tuple[str, str]:
    """Category of the figure at [start, end) from cue words in [lo, hi) (the plain scan, kept as
    the reference :func:`categorise_fast` is tested against)."""
    return _best_cue(_cues(), text, start, end, lo, hi)


def _best_cue(rows, text: str, start: int, end: int, lo: int, hi: int) -> tuple[str, str]:
    """The category whose cue rows score highest around the figure at [start, end) (a cue counts less
    the farther it stands), and the cue that won; ("other", "no cue") when none scores."""
    head = text[end : min(hi, end + 40)]
    head_words = _HEAD_WORDS.match(head)
    scores: dict[str, float] = {}
    rules: dict[str, str] = {}
    for category, rx, weight in rows:
        if weight <= 0:
            continue
        _head_cue(rx, weight, head_words, category, scores, rules)
        for m in rx.finditer(text, lo, hi):
            if start <= m.start() < end:
                continue
            distance = max(0, start - m.end()) if m.end() <= start else max(0, m.start() - end)
            score = weight / (1 + distance / 25)
            if score > scores.get(category, 0):
                scores[category], rules[category] = score, f"cue:{m[0].lower()}"
    if not scores:
        return "other", "no cue"
    best = max(scores, key=scores.get)
    return best, rules[best]


def _annotate(doc: Document, sent, clauses, amt: Amount) -> None:
    clause = clause_at(clauses, amt.start, (sent.start, sent.end))
    lo = min(clause[0], max(sent.start, amt.start - 120))
    category, rule, arms_word = _category(doc, sent, amt, lo)
    amt.category, amt.rule = category, rule
    if category in ("arms_delivery", "arms_deal") and not arms_word():
        amt.category, amt.rule = "other", rule + " (no arms word)"
    _status(doc, sent, clauses, amt)
    _date(doc, sent, clause, amt)
    _not_yet(doc, amt)
    _parties(doc, sent, clause, amt)
    amt.topics = sentence_topics(doc, sent)


def _category(doc: Document, sent, amt: Amount, lo: int) -> tuple[str, str, Callable[[], bool]]:
    """(category, rule, does the sentence hold an arms word?) of a figure.

    Most sentences hold one figure: for it the plain :func:`categorise` of its stretch is about half
    the work of finding every cue row's matches in the whole sentence. From a sentence's second
    figure on, those matches are found once and :func:`categorise_fast` bisects them, so a sentence
    of thousands of figures stays linear. Same result (tests/test_speedups_hostile.py,
    tests/test_speedups_amounts.py)."""
    text = doc.text
    asked = AMOUNT_CUES_ASKED.table(doc)
    if sent.idx not in asked:
        asked.add(sent.idx)
        category, rule = categorise_gated(text, amt.start, amt.end, lo, sent.end)
        return (
            category,
            rule,
            lambda: any(rx.search(text, sent.start, sent.end) is not None for c, rx, _w in _cues() if c == "arms_context"),
        )
    table = AMOUNT_CUES.table(doc)
    spans = table.get(sent.idx)
    if spans is None:
        spans = table[sent.idx] = _cue_spans(text, sent.start, sent.end)
    category, rule = categorise_fast(text, amt.start, amt.end, lo, sent.end, spans, sent.start)
    return category, rule, lambda: any(starts for (c, _rx, _w), (starts, _e, _x) in zip(_cues(), spans, strict=True) if c == "arms_context")


def _status(doc: Document, sent, clauses, amt: Amount) -> None:
    # a debt figure is a stated fact: plans and hopes around it do not make it "planned"
    ignore = ("planned",) if amt.category == "debt" else ()
    found = cues_reaching(doc, sent, clauses, amt.start, ignore)
    clause = clause_at(clauses, amt.start, (sent.start, sent.end))
    if amt.category == "arms_deal" and not found and _POSSIBLE.search(doc.text, clause[0], clause[1]):
        found.append(("planned", "cue:possible → planned"))
    amt.status, amt.status_rule = decide(found)
    amt.rule += f"; {amt.status_rule}"


def _not_yet(doc: Document, amt: Amount) -> None:
    """A figure dated after the article ("trade of US$30 billion by 2020" in a 2017 text) is a target
    or a plan, never a fact: the same rule as for events. Debt figures are left alone (a stated
    debt is a fact whatever date the text gives it)."""
    published = doc.meta.published
    if amt.status == "occurred" and amt.category != "debt" and published and amt.as_of_date and amt.as_of_date > published:
        amt.status = "planned"
        amt.status_rule = (amt.status_rule + "; " if amt.status_rule else "") + "dated after the article → planned"
        amt.rule += "; dated after the article → planned"


def _date(doc: Document, sent, clause: tuple[int, int], amt: Amount) -> None:
    table = TIMEX_STARTS.table(doc)  # keyed by the number of dates, so dates added later are seen
    starts = table.get(len(doc.timexes))
    if starts is None:
        starts = table[len(doc.timexes)] = [t.start for t in doc.timexes]
    if _sorted(doc, starts):
        # sorted by start (as core.extract.dating finds them): only the clause's own, not every date of the article
        lo, hi = bisect_left(starts, clause[0]), bisect_left(starts, clause[1])
        cands = [t for t in doc.timexes[lo:hi] if t.start_date]
    else:
        cands = [t for t in doc.timexes if clause[0] <= t.start < clause[1] and t.start_date]
    if cands:
        t = min(cands, key=lambda t: abs(t.start - amt.start))
        amt.as_of_date, amt.as_of_end, amt.date_precision = t.start_date, t.end_date, t.precision
        return
    if doc.meta.published:
        amt.as_of_date = doc.meta.published
        amt.date_precision = doc.meta.date_precision or "day"


def _sorted(doc: Document, starts: list[int]) -> bool:
    table = TIMEX_SORTED.table(doc)
    ok = table.get(len(starts))
    if ok is None:
        ok = table[len(starts)] = all(a <= b for a, b in pairwise(starts))
    return ok


def _parties(doc: Document, sent, clause: tuple[int, int], amt: Amount) -> None:
    """'Moscow’s US$1.8 billion debt to Seoul': the possessive owes, the 'to' is owed."""
    text = doc.text
    ms = mentions_of(doc, sent)
    before = [m for m in ms if m.end <= amt.start and m.start >= clause[0]]
    after = [m for m in ms if m.start >= amt.end and m.start < clause[1]]
    poss = [m for m in before if _POSSESSIVE_GAP.match(text[m.end : amt.start])]
    if poss:
        amt.from_actor = poss[-1].actor_id
    elif before:
        amt.from_actor = before[0].actor_id
    to = [m for m in after if _TO_BEFORE.search(text[max(amt.end, m.start - 8) : m.start])]
    if to:
        amt.to_actor = to[0].actor_id
    if amt.from_actor == amt.to_actor:
        amt.to_actor = ""
