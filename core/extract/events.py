"""Pipeline step: events — who did what to whom, when, and how sure the text is.

Matching and annotating are kept apart: the lexicon (``data/event_verbs.csv``) finds triggers;
then each trigger is annotated in its clause with actors (source, target, others), a date
(its clause's own expression, else the paragraph's reference time, else its source note's date,
else the article's), a status from cue words (``data/status_cues.csv``), topics and the
agencies cited. Every decision is written to the event's ``*_rule`` fields, so an analyst can
see why a row exists. Duplicates within an article are merged last.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from core.domain.actors import describe, dictionary
from core.domain.cameo import type_name
from core.domain.lexicon import Cue, Trigger, candidate_triggers, sentence_topics, status_cues
from core.domain.rules import ANAPHOR_NOUN_PATTERN, ANAPHOR_NOUN_ROOTS, PRONOUN_PATTERN
from core.extract.clauses import clause_at, sentence_clauses
from core.extract.status import STATUS_RANK, cues_reaching, decide, quotations
from core.text.document import Citation, Document, DocView, Event, Mention, Sentence, SpanSet, Timex
from core.text.patterns import Caseless, required_literals

DATE_RULE_RANK = {"clause": 6, "sentence": 5, "paragraph": 4, "source-note": 3, "article": 1}
PRECISION_RANK = {"day": 3, "month": 2, "year": 1, "": 0}
_PREPOSITIONS = {
    "in",
    "to",
    "at",
    "from",
    "of",
    "for",
    "with",
    "by",
    "regarding",
    "over",
    "on",
    "about",
    "against",
    "into",
    "toward",
    "towards",
    "between",
    "among",
    "under",
    "like",
    "unlike",
    "including",
    "as",
    "than",
    "via",
}
# Case-insensitive patterns as Caseless: run on lower-cased text when that finds the same, faster
_PROSPECTIVE_NOUN = Caseless(
    r"\b(?:upcoming|forthcoming|planned|proposed|scheduled|possible|potential|expected|future|prospective)"
    r"\s+(?:[\w-]+\s+){0,2}$"
)
_PRESUPPOSE = Caseless(
    r"(?:during|after|following|before|prior to|since|on)\s+"
    r"(?:(?:a|an|the|his|her|their|its|this|that)\s+)?(?:[\w’'-]+\s+){0,2}$"
)
_PRONOUN = Caseless(PRONOUN_PATTERN)
_OBJECT_NEGATION = re.compile(r"\s+(?:no|none of)\b", re.I)  # matched at a trigger's end (what follows it)
_ANAPHOR_NOUN = Caseless(ANAPHOR_NOUN_PATTERN)
_THAT = re.compile(r"\s*that\b")
_YOU_AFTER = re.compile(r"\s+(?:\w+\s+){0,2}?you\b", re.I)


def _infinitive_after(before: str) -> str:
    """The word that governs an infinitive ending ``before`` ("invited Putin to [actively] …"), else ""."""
    words = before.rsplit(None, 4)
    if len(words) >= 2 and words[-1].lower() == "to":
        return words[-2].lower()
    if len(words) >= 3 and words[-2].lower() == "to" and words[-1].lower().endswith("ly"):
        return words[-3].lower()
    return ""


# "to" after these does not look ahead: the act goes on or has begun ("continues to support")
_ONGOING = {
    "continue",
    "continues",
    "continued",
    "continuing",
    "began",
    "begin",
    "begins",
    "begun",
    "started",
    "start",
    "starts",
    "proceeded",
    "proceeding",
    "proceeds",
    "managed",
    "used",
    "went",
    "came",
    "moved",
    "due",
    "tried",
    "tries",
    "attempted",
    "attempts",
    "sought",
    "seeks",
    "pleased",
    "glad",
    "happy",
    "delighted",
    "honoured",
    "honored",
    "grateful",
}  # "glad to meet you": now
# "I would like to thank you …": the speaker does it in saying it (a performative), nothing is planned
_PERFORMATIVE = Caseless(
    r"\b(?:i|we)\s+(?:would|should)\s+(?:also\s+)?like\s+to\s+"
    r"(?:take\s+(?:this|the)\s+opportunity\s+to\s+)?(?:[a-z]+ly\s+)?$"
)
_WHO = re.compile(r"\s*(?:who|which)\b")
_MODAL_BEFORE = Caseless(r"\b(?:to|will|would|shall|can|could|may|might|must|should|did|does|do)\s+$")
_WORDISH = re.compile(r"[A-Za-z’'.-]+")
_BY_AGENT = re.compile(r"\s*(?:[\w’'-]+\s+){0,6}?by\s+")
_POSSESSIVE_GAP = re.compile(r"^['’]s\s+(?:[\w-]+\s+){0,2}$")
_POSSESSIVE = re.compile(r"^['’]s\b")
_JOINER = re.compile(r"\s*(?:,|and|,\s*and)\s*")
_LOCATIVE = re.compile(r"\b(?:in|to|at)\s+$")
_ANAPHOR_ROOTS = ANAPHOR_NOUN_ROOTS


#: Per (position, floor): the word before it (every trigger of a clause asks).
WORD_BEFORE: DocView[dict[tuple[int, int], str]] = DocView("word before", dict)
#: Per actor id: its country, while the events step runs (the found actors are settled by then).
COUNTRIES: DocView[dict[str, str]] = DocView("actor countries", dict)
#: Per sentence: the quotations that overlap it, in their own order.
SENTENCE_QUOTES: DocView[dict[int, tuple[tuple[int, int], ...]]] = DocView("sentence quotations", dict)
#: Per sentence: its mentions, in text order.
MENTIONS_BY_SENTENCE: DocView[dict[int, list[Mention]]] = DocView("mentions by sentence", dict)
#: Per sentence: its dates, in the order found.
TIMEXES_BY_SENTENCE: DocView[dict[int, list[Timex]]] = DocView("dates by sentence", dict)
#: Per "dated only" flag: per sentence the source note covering it (-1: the notes and their starts).
COVERING_NOTES: DocView[dict[bool, dict[int, object]]] = DocView("covering source notes", dict)
#: Per sentence: the agencies of the note covering it.
AGENCIES: DocView[dict[int, list[str]]] = DocView("sentence agencies", dict)


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    trigger: Trigger
    clause: tuple[int, int]


@dataclass
class _Context:
    """What the narrative carries from sentence to sentence."""

    reference: dict[int, Timex] = field(default_factory=dict)  # paragraph → latest anchor date
    last_person: str = ""
    last_group: list[str] = field(default_factory=list)
    last_persons: list[str] = field(default_factory=list)  # the latest two persons of different countries
    planned: tuple[int, Event] | None = None  # (sentence, event): the latest plan with a date of its own
    speakers: list[str] = field(default_factory=list)  # "Vladimir Putin: …" lines of a transcript, latest last


def find_events(doc: Document) -> Document:
    """The events step: :func:`match` finds the trigger words, :func:`set_annotations` turns them into
    events (spaCy's EntityRuler splits its work the same way), so each half is testable on its own."""
    doc.actor_kinds = _ActorFacts(doc.found_actors, 1)  # actor id → kind for this run (the found actors are settled by now)
    try:
        return set_annotations(doc, match(doc))
    finally:
        doc.actor_kinds = None


@dataclass
class Matches:
    """What :func:`match` found: per sentence (by index), the lexicon's triggers that survived their
    constraints, in text order, without overlaps; and the citation notes' spans, where nothing is an event."""

    hits: dict[int, list[_Hit]]
    notes: SpanSet


def match(doc: Document) -> Matches:
    """Every trigger word of the event lexicon in every sentence, with its code and clause: which words
    may be events. Reads the text, sentences, citations and found actors; writes nothing on ``doc``."""
    notes = SpanSet((c.start, c.end) for c in doc.citations)
    hits = {}
    for sent in doc.sentences:
        found = _triggers_in(doc, sent, None, notes)  # (the clauses are split only where a trigger is found)
        if found:
            hits[sent.idx] = found
    return Matches(hits, notes)


def set_annotations(doc: Document, matches: Matches) -> Document:
    """Events from the matched triggers: who did it to whom, when, with what status, sentence by
    sentence (the narrative context, such as the last person named, runs through the article)."""
    ctx = _Context()
    notes = matches.notes
    kinds = doc.actor_kinds
    if not isinstance(kinds, _ActorFacts):  # a plain dict (or None) a caller set: one that fills itself
        kinds = _ActorFacts(doc.found_actors, 1)
        if doc.actor_kinds is not None:
            kinds.update(doc.actor_kinds)
            doc.actor_kinds = kinds
    listing: tuple[int, Event] | None = None  # "The following documents were signed:" (its paragraph, its event)
    for sent in doc.sentences:
        mentions = mentions_of(doc, sent)
        if notes and notes.meets(sent.start, sent.end):  # (most sentences hold no source note: no question per mention)
            mentions = [m for m in mentions if m.start not in notes]
        _note_speaker(doc, sent, mentions, ctx)
        hits = matches.hits.get(sent.idx, [])
        clauses = sentence_clauses(doc, sent) if hits else []  # (read only through the hits)
        owned = assign_timexes(doc, sent, hits) if hits else {}  # (read only through the hits)
        made: list[Event] = []
        usable = [m for m in mentions if kinds[m.actor_id] != "media"] if hits else []
        for hit in hits:
            ev = _annotate(doc, sent, hit, mentions, usable, clauses, owned, made, ctx)
            if ev is not None and ev.cameo_code.startswith("057") and sent.text.rstrip().endswith(":"):
                listing = (sent.paragraph, ev)
            if ev is not None and ev.actors:
                made.append(ev)
                if ev.source_actor and ev.target_actor:
                    pair = [a for a in (ev.source_actor, ev.target_actor) if kinds[a] in ("person", "state")]
                    if _two_sides(doc, pair):  # "… held talks with X, and the two sides agreed …"
                        ctx.last_group = pair
        if listing is not None and sent.paragraph > listing[0]:
            item = None if hits else _list_item(doc, sent, mentions, listing[1], ctx)
            if item is None:
                listing = None
            else:
                made.append(item)
        for ev in made:
            if ev.status == "planned" and ev.date_rule.startswith(("date:clause", "date:sentence")):
                ctx.planned = (sent.idx, ev)
        if not made:
            _update_by_anaphor(doc, sent)
        doc.events.extend(made)
        _advance(doc, sent, mentions, made, ctx, kinds)
    COUNTRIES.drop(doc)
    doc.events = merge_duplicates(doc.events)
    return doc


def _lower(doc: Document) -> str:
    return doc.lower


def _folding(doc: Document) -> tuple[str, bool]:
    """The text the Caseless patterns run on, and whether it is lower-cased (Document.caseless)."""
    return doc.caseless


def _triggers_in(doc: Document, sent: Sentence, clauses: list[tuple[int, int]] | None, notes: SpanSet) -> list[_Hit]:
    """The lexicon's triggers in a sentence that pass their constraints, without overlaps, in text order.
    ``clauses``: the sentence's clauses, or None to have them split on the first trigger found (a
    sentence without one never needs them)."""
    candidates = candidate_triggers(doc.lower[sent.start : sent.end], folded=doc.caseless[1])
    if not candidates:
        return []
    hits: list[_Hit] = []
    text = doc.text
    lower = _lower(doc)
    view, folded = _folding(doc)
    s0, s1 = sent.start, sent.end
    scanned: dict[str, list[re.Match[str]]] = {}  # rows of one pattern (several codes) scan once
    headline: bool | None = None  # worked out only when a capitalised verb form asks (most sentences never do)
    needs_text: dict[tuple[int, int], str] = {}
    # lower is lowered() of the text; when folded (no İ and the like) it is what .lower() gives
    # (A sentence that meets no source note has no match start in one: asked once, not per match.
    # What each trigger is, is read once per trigger, not per match.)
    in_notes = notes.meets(s0, s1) if notes else False
    for trig in candidates:
        word_regex = trig.regex
        target = text if word_regex.case_sensitive else lower
        matches = scanned.get(word_regex.source)
        if matches is None:
            matches = scanned[word_regex.source] = list(word_regex.regex.finditer(target, s0, s1))
        if not matches:
            continue
        is_verb, statement = trig.is_verb, trig.statement
        needs, needs_kinds = trig.needs, trig.needs_kinds
        for m in matches:  # WordRegex.finditer, inlined
            start, end = m.span()
            if start and (target[start - 1].isalnum() or target[start - 1] in "_-"):
                continue  # not at the start of a word
            if is_verb and start != s0 and text[start].isupper() and text[start - 2 : start].strip() not in _OPENERS:
                if headline is None:
                    headline = _title_case(sent.text)
                if not headline:
                    continue  # a capitalised word inside a sentence is a name ("Ban Ki-moon", "in March"), not a verb
            if in_notes and start in notes:
                continue
            if is_verb and _used_as_noun(view, folded, start, m[0], trig):
                continue
            if statement and _be_before(view, folded, max(s0, start - 12), start):
                continue  # "is said to": a report, not a statement (a passive "the letter was delivered" stays)
            if needs is not None or needs_kinds:
                ok = False
                if needs is not None:
                    around = needs_text.get((start, end))
                    if around is None:
                        after = " ".join(text[end : min(end + 80, s1)].split()[:5])
                        passive = ""
                        if _be_before(view, folded, max(s0, start - 12), start):  # "contracts were signed"
                            passive = " ".join(text[max(s0, start - 60) : start].split()[-4:])
                        around = needs_text[(start, end)] = f"{passive} {text[start:end]} {after}"
                    ok = bool(needs.search(around))
                if not ok and not (needs_kinds and _kind_follows(doc, sent, end, needs_kinds)):
                    continue
            # (the clause is looked up only for a match that stays: its tests above never read it)
            if clauses is None:
                clauses = sentence_clauses(doc, sent)
            hits.append(_Hit(start, end, trig, clause_at(clauses, start, (s0, s1))))
    if len(hits) < 2:
        return hits
    hits.sort(
        key=lambda h: (
            -(h.end - h.start),
            h.trigger.kind != "verb",
            h.start,
            -len(h.trigger.code),
            -len(h.trigger.pattern),
            h.trigger.pattern,
        )
    )  # ties: the more specific code
    kept: list[_Hit] = []
    for h in hits:
        if not any(h.start < k.end and k.start < h.end for k in kept):
            kept.append(h)
    kept.sort(key=lambda h: h.start)
    return kept


_TITLES_ONLY = re.compile(r"(?:[A-Z][\w.’'-]*\s+){1,6}")  # "Minister ", "Mr. ", "Pastor Kim's" titles before a name
_OPENERS = {"", ".", ":", "“", '"', "‘", "(", "-", "—", "–"}


def _title_case(sentence: str) -> bool:
    """A headline in title case ("Putin Meets Kim in Vladivostok"): every longer word capitalised."""
    words = [w for w in sentence.split() if len(w) > 3 and w[0].isalpha()]
    return bool(words) and all(w[0].isupper() for w in words)


_LEAD_IN = re.compile(r"\s*(?:(?:the|a|an|his|her|their|its|our|my|two|three|several)\s+)?")


def _kind_follows(doc: Document, sent: Sentence, end: int, kinds: frozenset[str]) -> bool:
    """Does a word of the given kind stand right after a trigger? "place": a state or capital the
    gazetteer knows, or a capitalised name (not in a headline written in title case); "person": a
    person named within a few words."""
    text = doc.text
    pos = _LEAD_IN.match(text, end, sent.end).end()
    if pos >= sent.end:
        return False
    for m in mentions_of(doc, sent):
        if m.start < pos:
            continue
        if m.start > pos + 40:
            break
        kind = _kind(doc, m.actor_id)
        if "place" in kinds and m.start == pos and kind == "state":
            return True
        if (
            "person" in kinds
            and kind == "person"
            and (m.start == pos or _TITLES_ONLY.fullmatch(text, pos, m.start))
            and not _POSSESSIVE.match(text[m.end : m.end + 2])
        ):
            return True  # the person acted on ("released Mr. Kim"), not "Kim's statement" or an agent after "by"
    if "place" in kinds and text[pos].isupper():  # a name, unless the sentence is a headline in title case
        return any(w[0].islower() for w in sent.text.split() if len(w) > 3 and w[0].isalpha())
    return False


_DETERMINER = Caseless(
    r"(?:\b(?:a|an|the|his|her|its|their|our|this|that|any|each|every|no)\s+(?:[\w-]+\s+){0,2}"
    r"|['’]s\s+(?:[\w-]+\s+){0,1})$"
)
_BE_BEFORE = Caseless(r"\b(?:is|are|was|were|be|been|being)\s+(?:also\s+)?$")
_BE_TAILS = ("is", "are", "was", "were", "be", "been", "being", "also")  # what _BE_BEFORE's match ends with, spaces off


def _be_before(view: str, folded: bool, lo: int, hi: int) -> bool:
    """``_BE_BEFORE`` found in view[lo:hi] ("is said to", "were signed"). Why not the search alone: it
    runs for every statement verb and the regex tries each position of the window; a match ends in
    one of _BE_TAILS and spaces, which a suffix test of the lower-cased (``folded``) text rules out
    first (tests/test_speedups_events.py). On text as written (case may differ) the regex decides."""
    window = view[lo:hi]
    if folded and not window.rstrip().endswith(_BE_TAILS):
        return False
    return _BE_BEFORE.on(folded).search(window) is not None


def _used_as_noun(text: str, folded: bool, start: int, matched: str, trig: Trigger) -> bool:
    """'the visit', 'Sergeev’s visit', 'the summit meeting': a verb's form used as a noun."""
    first = matched.split()[0].lower()
    if first not in trig.lemma_forms and not first.endswith("ing"):
        return False
    before = text[max(0, start - 40) : start]
    if first.endswith("ing") and _be_before(before, folded, 0, len(before)):
        return False  # "the DPRK is seeking": a progressive verb, not a noun
    # Both patterns end in \s+$, so they need trailing spaces, and they can only start in the last
    # few characters (a modal is at most six letters) or the last three words (a determiner and
    # two more): searching from there finds the same match in a fraction of the time.
    spaces = len(before) - len(before.rstrip())
    if not spaces:
        return False
    if _MODAL_BEFORE.on(folded).search(before, max(0, len(before) - spaces - 6)):
        return False
    words = before.rsplit(None, 3)
    return bool(_DETERMINER.on(folded).search(before, before.index(words[1], len(words[0])) if len(words) == 4 else 0))


def _annotate(
    doc: Document,
    sent: Sentence,
    hit: _Hit,
    mentions: list[Mention],
    usable: list[Mention],
    clauses: list[tuple[int, int]],
    owned: dict[int, Timex],
    made: list[Event],
    ctx: _Context,
) -> Event | None:
    text = doc.text
    trig = hit.trigger
    code, kind = trig.code, trig.kind
    h0, h1 = hit.start, hit.end
    c0, c1 = hit.clause
    in_clause = [m for m in usable if c0 <= m.start < c1]  # (``usable``: the sentence's mentions that are no media)
    sources, source_rule = _sources(doc, sent, hit, in_clause, mentions, made, ctx)
    targets = [m for m in in_clause if m.start >= h1 and m.actor_id not in sources]
    target = next((m for m in targets if _kind(doc, m.actor_id) == "person"), targets[0] if targets else None)
    if kind == "noun" and target is None:
        target = next((m for m in in_clause if h0 <= m.start < h1), None)
    target_actor = target.actor_id if target is not None else ""
    source_actor = sources[0] if sources else ""
    if len(ctx.speakers) > 1 and kind == "verb" and _YOU_AFTER.match(text, h1):
        target_actor = next(
            (s for s in reversed(ctx.speakers) if s != source_actor), ""
        )  # "I would like to invite you": the one the speaker addresses
    matrix: list[str] = []
    if not sources and not in_clause and _THAT.match(text[c0:h0]):
        idx = clauses.index(hit.clause) if hit.clause in clauses else 0
        if idx:
            a, b = clauses[idx - 1]
            matrix = [m.actor_id for m in usable if a <= m.start < b]
    actors: list[str] = []
    for a in (*sources, target_actor, *[m.actor_id for m in in_clause], *matrix):
        if a and a not in actors:
            actors.append(a)
    # (the fields set as the event is made, not one by one after: the same event, fewer steps)
    ev = Event(
        h0,
        h1,
        sentence=sent.idx,
        trigger=text[h0:h1],
        cameo_code=code,
        event_type=trig.type_name or type_name(code),
        type_rule=f"{kind}:{trig.pattern} → {code}; source:{source_rule}",
        actors=actors,
        source_actor=source_actor,
        target_actor=target_actor,
        location=_location(text, hit, in_clause),
        sources=_agencies(doc, sent),
        topics=sentence_topics(doc, sent),
    )
    _set_status(doc, sent, hit, clauses, ev)
    _set_date(doc, sent, hit, owned, ev, made, ctx)
    published = doc.meta.published
    if ev.status == "occurred" and ev.start_date and published and ev.start_date > published:
        ev.status, ev.status_rule = "planned", ev.status_rule + "; date after the article → planned"
    ev.confidence = _confidence(ev)
    return ev


class _ActorFacts(dict):
    """Actor id → one part of :func:`describe` (1: kind, 2: country), looked up on first use.

    Why a dict that fills itself: the events step asks for the kind of an actor a few hundred times
    per article; ``facts[actor_id]`` answers a repeated question as a plain dict lookup."""

    def __init__(self, found: dict, part: int) -> None:
        super().__init__()
        self.found, self.part = found, part

    def __missing__(self, actor_id: str) -> str:
        value = self[actor_id] = describe(actor_id, self.found)[self.part]
        return value


def _kind(doc: Document, actor_id: str) -> str:
    """The kind of an actor (person, state, …), kept in ``doc.actor_kinds`` while events are found."""
    kinds = doc.actor_kinds
    if kinds is None:
        return describe(actor_id, doc.found_actors)[1]
    kind = kinds.get(actor_id)
    if kind is None:
        kind = kinds[actor_id] = describe(actor_id, doc.found_actors)[1]
    return kind


def _word_before(text: str, pos: int, floor: int) -> str:
    """The nearest lower-case word before ``pos`` (titles and names skipped, not past a comma)."""
    lo = max(floor, pos - 60)
    # (the last comma, semicolon, colon or bracket of text[lo:pos] found in the text itself, and the
    # words read from just after it: the same words as from the window sliced twice)
    cut = max(text.rfind(",", lo, pos), text.rfind(";", lo, pos), text.rfind(":", lo, pos), text.rfind("(", lo, pos))
    for w in reversed(_WORDISH.findall(text, cut + 1 if cut >= 0 else lo, pos)):
        if w[0].islower():
            return w.lower()
    return ""


def _word_before_in(doc: Document, pos: int, floor: int) -> str:
    """_word_before of the document's text, kept per (pos, floor): every trigger of a clause asks."""
    table = WORD_BEFORE.table(doc)
    word = table.get((pos, floor))
    if word is None:
        word = table[(pos, floor)] = _word_before(doc.text, pos, floor)
    return word


def _sources(
    doc: Document, sent: Sentence, hit: _Hit, in_clause: list[Mention], mentions: list[Mention], made: list[Event], ctx: _Context
) -> tuple[list[str], str]:
    text = doc.text
    cs = hit.clause[0]
    before = [m for m in in_clause if m.end <= hit.start]
    if hit.trigger.kind == "noun":
        after = text[hit.end : hit.clause[1]]
        by = _BY_AGENT.match(after)
        if by:
            agents = [m for m in in_clause if m.start >= hit.end + by.end() - 1]
            if agents:
                return [agents[0].actor_id], "by-agent"
        poss = [m for m in before if _POSSESSIVE_GAP.match(text[m.end : hit.start])]
        if poss:
            return [poss[-1].actor_id], "possessive"
        subject = [m for m in before if _word_before_in(doc, m.start, cs) not in _PREPOSITIONS]
        if subject:
            return [subject[0].actor_id], "clause subject"
    else:
        agents = _passive_agents(doc, sent, hit, mentions)
        if agents:
            return agents, "by-agent (passive)"
        for i in range(len(before) - 1, -1, -1):
            m = before[i]
            word = _word_before_in(doc, m.start, cs)
            if (word in _PREPOSITIONS and not (word == "as" and text[cs : m.start].lstrip()[:3].lower() == "as ")) or _POSSESSIVE.match(
                text[m.end : m.end + 2]
            ):
                continue  # (a clause opening "as Putin congratulates …" keeps its subject)
            group = [m.actor_id]
            j = i
            while j > 0 and _JOINER.fullmatch(text[before[j - 1].end : before[j].start]):
                group.insert(0, before[j - 1].actor_id)
                j -= 1
            return group, "nearest subject"
    clause_text = text[cs : hit.start]
    view, folded = _folding(doc)
    pron = None
    for found in _PRONOUN.on(folded).finditer(view, max(cs, hit.start - 90), hit.start):  # the nearest before it
        pron = found
    if pron is None and hit.start - 90 > cs:
        pron = _PRONOUN.on(folded).search(view, cs, hit.start)
    if pron:
        word = pron[1].lower()
        if word in ("i", "we"):
            quoted = _quote_speaker(doc, sent, hit, made)
            if quoted:  # “We are ready to cooperate …”, the message said: the speaker's own act
                return [quoted], f"speaker of the quotation:{word}"
            if ctx.speakers:
                return [ctx.speakers[-1]], f"speaker:{word}"
        if word == "you" and len(ctx.speakers) > 1:
            return [ctx.speakers[-2]], "speaker:you"
        if word != "it" and " " in word:
            people = any(w in word for w in ("leader", "president", "minister", "official", "heads"))
            if people and ctx.last_persons:
                return list(ctx.last_persons), "pronoun:the two"
            word = "they"
        if word == "they" and ctx.last_group:
            if ctx.last_persons and _countries(doc, ctx.last_group) <= _countries(doc, ctx.last_persons):
                return list(ctx.last_persons), "pronoun:they (the two persons of those sides)"
            return list(ctx.last_group), "pronoun:they"
        if word in ("he", "she"):
            sayer = next(
                (
                    e.source_actor
                    for e in reversed(made)
                    if e.cameo_code.startswith("01") and e.source_actor and _kind(doc, e.source_actor) == "person"
                ),
                "",
            )
            if sayer:  # "Kim said he appreciated …": the one who speaks
                return [sayer], f"pronoun:{word} (the speaker of the sentence)"
            if ctx.last_person:
                return [ctx.last_person], f"pronoun:{word}"
        if word == "it":
            earlier = [m for m in mentions if m.end <= cs and _kind(doc, m.actor_id) in ("state", "organization")]
            if earlier:
                return [earlier[0].actor_id], "pronoun:it"
    if _WHO.match(clause_text):
        earlier = [m for m in mentions if m.end <= cs]
        if earlier:
            return [earlier[-1].actor_id], "relative clause"
    if made and made[0].source_actor and not _THAT.match(clause_text):
        return [made[0].source_actor], "sentence subject"
    return [], "none"


_PASSIVE_BY = re.compile(r"\s+(?:[\w’'-]+\s+){0,3}?by\s+")
_AGENT_JOIN = re.compile(r"\s*,?\s*and\s")


def _passive_agents(doc: Document, sent: Sentence, hit: _Hit, mentions: list[Mention]) -> list[str]:
    """ "The document was signed by X, and Y": the agents after "by" of a passive verb."""
    text = doc.text
    if text.find("by", hit.end, hit.end + 40) < 0:  # ("by" in text[end:end + 40], without the slice)
        return []
    view, folded = _folding(doc)
    if not _be_before(view, folded, max(sent.start, hit.start - 12), hit.start):
        return []
    by = _PASSIVE_BY.match(text, hit.end, sent.end)
    if not by:
        return []
    agents: list[str] = []
    last_end = by.end()
    for m in mentions:
        if m.start < by.end() or _kind(doc, m.actor_id) != "person":
            continue
        gap = text[last_end : m.start]
        if agents and (not _AGENT_JOIN.match(gap) or len(gap) > 90 or ". " in gap):
            break
        if not agents and len(gap) > 90:
            break
        if m.actor_id not in agents:
            agents.append(m.actor_id)
        last_end = m.end
    return agents


def _country(doc: Document, actor_id: str) -> str:
    return _countries_table(doc)[actor_id]


def _countries_table(doc: Document) -> dict[str, str]:
    """Actor id → country while the events step runs (filled on first use, see _ActorFacts)."""
    table = COUNTRIES.get(doc)
    if table is None:
        table = COUNTRIES.of(doc, lambda: _ActorFacts(doc.found_actors, 2))
    return table


def _sentence_quotes(doc: Document, sent: Sentence) -> tuple[tuple[int, int], ...]:
    """The quotations that overlap a sentence (kept per sentence: every trigger of it asks)."""
    table = SENTENCE_QUOTES.get(doc)
    if table is None:
        table = SENTENCE_QUOTES.table(doc)
        quotes = quotations(doc)
        if quotes:
            # each quotation is filed under the sentences it overlaps (found by bisection on the
            # sentences' bounds, which are in text order), not every sentence tested against every
            # quotation: a long text full of quotations stays linear
            starts = [s.start for s in doc.sentences]
            ends = [s.end for s in doc.sentences]
            filed: dict[int, list[int]] = {}
            for qi, (q0, q1) in enumerate(quotes):
                for si in range(bisect_right(ends, q0), bisect_left(starts, q1)):
                    filed.setdefault(si, []).append(qi)
            for si in sorted(filed):
                table[doc.sentences[si].idx] = tuple(quotes[qi] for qi in filed[si])  # the quotations' own order
    return table.get(sent.idx, ())


def _list_item(doc: Document, sent: Sentence, mentions: list[Mention], intro: Event, ctx: _Context) -> Event | None:
    """One line of a list of documents signed ("Agreement between the Government of … on …"): an
    agreement of its own, signed by the parties it names (else those of the signing), then."""
    para = doc.paragraphs[sent.paragraph]
    if sent.start != para.start or sent.end < para.end - 2 or len(sent.text) > 400 or sent.text.rstrip().endswith(":"):
        return None  # a list item is a paragraph of one short line
    named = [m.actor_id for m in mentions if _kind(doc, m.actor_id) != "media"]
    actors = list(dict.fromkeys([*named, *intro.actors] or ctx.last_group))
    if not actors:
        return None
    ev = Event(
        sent.start,
        min(sent.end, sent.start + 80),
        sentence=sent.idx,
        trigger=sent.text[:80].strip(),
        cameo_code=intro.cameo_code,
        event_type=intro.event_type,
        type_rule=f"list item after '{intro.trigger}' (sentence {intro.sentence + 1}) → {intro.cameo_code}",
    )
    ev.actors = actors
    ev.source_actor = actors[0]
    ev.target_actor = next((a for a in actors[1:] if _two_sides(doc, [actors[0], a])), "")
    ev.status, ev.status_rule = intro.status, intro.status_rule + " (the list's)"
    ev.start_date, ev.end_date, ev.date_precision = intro.start_date, intro.end_date, intro.date_precision
    ev.date_text, ev.date_rule = intro.date_text, intro.date_rule + " (the list's)"
    ev.sources, ev.topics = list(intro.sources), sentence_topics(doc, sent)
    ev.confidence = _confidence(ev)
    return ev


def _quote_speaker(doc: Document, sent: Sentence, hit: _Hit, made: list[Event]) -> str:
    """Who speaks in the quotation around a trigger: the source of the statement that introduces it
    (in the sentence where it opens, or the one before, ending in a colon) or follows it (“…,” said X)."""
    quote = next((q for q in quotations(doc) if q[0] <= hit.start < q[1]), None)
    if quote is None:
        return ""
    opening = doc.sentence_at(quote[0])
    first = opening.idx if opening is not None else sent.idx
    told = [e for e in (*doc.events, *made) if e.cameo_code.startswith("01") and e.source_actor and first - 1 <= e.sentence <= sent.idx]
    before = [e for e in told if e.start < quote[0]]
    if before:
        return before[-1].source_actor
    after = [e for e in made if e.start >= quote[1]]
    return after[0].source_actor if after else ""


def _countries(doc: Document, actors: list[str]) -> set[str]:
    return {_country(doc, a) for a in actors}


def _two_sides(doc: Document, pair: list[str]) -> bool:
    """Two actors that can be "the two sides": distinct, and of different countries."""
    if len(pair) != 2 or pair[0] == pair[1]:
        return False
    countries = _countries_table(doc)
    a, b = countries[pair[0]], countries[pair[1]]
    return not (a and b and a == b)


_SPEAKER_LINE = re.compile(r"\s*(?:\([^()]{1,30}\))?\s*:")


def _note_speaker(doc: Document, sent: Sentence, mentions: list[Mention], ctx: _Context) -> None:
    """A transcript line "President of Russia Vladimir Putin: …" names who says "I" and "we" until the next one."""
    para = doc.paragraphs[sent.paragraph]
    if sent.start != para.start:
        return
    for m in mentions:
        if m.start - sent.start > 120:
            break
        if _kind(doc, m.actor_id) == "person" and _SPEAKER_LINE.match(doc.text, m.end, sent.end):
            if not ctx.speakers or ctx.speakers[-1] != m.actor_id:
                ctx.speakers = [*[s for s in ctx.speakers if s != m.actor_id], m.actor_id][-4:]
            return


def _location(text: str, hit: _Hit, in_clause: list[Mention]) -> str:
    for m in in_clause:
        if m.start >= hit.start and _LOCATIVE.search(text[max(hit.start, m.start - 4) : m.start]):
            a = dictionary().get(m.actor_id)
            if a is not None and a.kind == "state":
                return m.text
    return ""


def _set_status(doc: Document, sent: Sentence, hit: _Hit, clauses: list[tuple[int, int]], ev: Event) -> None:
    view, folded = _folding(doc)
    start, s0 = hit.start, sent.start
    trig = hit.trigger
    noun, own_act = trig.kind == "noun", trig.code.startswith("03")
    before = view[max(s0, start - 40) : start] if noun else ""  # only for Caseless patterns (read for nouns only)
    presupposed = noun and bool(_PRESUPPOSE.on(folded).search(before))
    quotes = _sentence_quotes(doc, sent)
    blocked = tuple(q for q in quotes if not q[0] <= start < q[1]) if quotes else ()
    found = cues_reaching(
        doc,
        sent,
        clauses,
        start,
        ignore=("reported",) if presupposed else (),
        blocked=blocked,
        own=(start, hit.end) if own_act else None,
    )
    if trig.is_verb:
        window = view[max(s0, start - 90) : start]
        if "like to" in window and _PERFORMATIVE.on(folded).search(window):
            found = [f for f in found if f[0] != "planned"]  # "I would like to invite you": done as it is said
            found.append(("occurred", "performative 'would like to' → occurred"))
        elif not own_act:
            governor = _infinitive_after(window)
            if governor and governor not in _ONGOING:  # "invited Putin to visit Seoul", "Moon to visit Russia"
                found.append(("planned", f"infinitive after '{governor}' → planned"))
    if _OBJECT_NEGATION.match(doc.text, hit.end, hit.end + 12):
        found.append(("denied", "neg:object 'no' → denied"))
    if noun and _PROSPECTIVE_NOUN.on(folded).search(before):
        found.append(("planned", "prospective noun → planned"))
    if presupposed and not any(st == "planned" for st, _r in found):
        found.append(("occurred", "presupposed noun → occurred"))
    ev.status, ev.status_rule = decide(found)


def mentions_of(doc: Document, sent: Sentence) -> list[Mention]:
    table = doc.cache.get(MENTIONS_BY_SENTENCE)  # (asked per sentence and per trigger: the made view first)
    if table is None:
        table = MENTIONS_BY_SENTENCE.of(doc, lambda: _mentions_index(doc))
    return table.get(sent.idx, [])


def _mentions_index(doc: Document) -> dict[int, list[Mention]]:
    out: dict[int, list[Mention]] = {}
    j = 0
    for m in doc.mentions:  # both lists are in text order
        while j < len(doc.sentences) and doc.sentences[j].end <= m.start:
            j += 1
        if j < len(doc.sentences) and doc.sentences[j].start <= m.start:
            out.setdefault(j, []).append(m)
    return out


def timexes_of(doc: Document, sent: Sentence) -> list[Timex]:
    table = doc.cache.get(TIMEXES_BY_SENTENCE)
    if table is None:
        table = TIMEXES_BY_SENTENCE.of(doc, lambda: _timexes_index(doc))
    return table.get(sent.idx, [])


def _timexes_index(doc: Document) -> dict[int, list[Timex]]:
    out: dict[int, list[Timex]] = {}
    for tx in doc.timexes:
        out.setdefault(tx.sentence, []).append(tx)
    return out


def assign_timexes(doc: Document, sent: Sentence, hits: list[_Hit]) -> dict[int, Timex]:
    """Each date of the sentence goes to the nearest trigger of its own clause.

    Returns a map from a hit's start offset to its date; dates whose clause holds no trigger are
    left for the sentence as a whole (key -1, the first such date).
    """
    owned: dict[int, Timex] = {}
    view, folded = _folding(doc)
    presuppose = _PRESUPPOSE.on(folded)
    objects = {
        h.start: v
        for h in hits
        for v in hits
        if h.trigger.kind == "noun"
        and v.trigger.kind == "verb"
        and v.clause == h.clause
        and v.start < h.start
        and not presuppose.search(view[max(sent.start, h.start - 40) : h.start])
    }
    for tx in timexes_of(doc, sent):
        if tx.start_date is None:
            continue
        same = [h for h in hits if h.clause[0] <= tx.start < h.clause[1] and h.start not in objects]
        if not same:
            if tx.anchor and tx.precision in ("day", "month"):
                owned.setdefault(-1, tx)
            continue
        # a time adverbial follows the verb phrase it dates: nearest trigger before it, else after it
        before = [h for h in same if h.start < tx.start]
        best = max(before, key=lambda h: h.start) if before else min(same, key=lambda h: h.start)
        current = owned.get(best.start)
        if current is None or abs(tx.start - best.start) < abs(current.start - best.start):
            owned[best.start] = tx
    for noun_start, verb in objects.items():  # "discussed the sale of tanks on May 5"
        if verb.start in owned:
            owned[noun_start] = owned[verb.start]
    return owned


def _set_date(doc: Document, sent: Sentence, hit: _Hit, owned: dict[int, Timex], ev: Event, made: list[Event], ctx: _Context) -> None:
    article = doc.meta.published
    tx, rule = owned.get(hit.start), "clause"
    if tx is None:
        tx, rule = owned.get(-1), "sentence"
    if tx is not None:
        ev.start_date, ev.end_date, ev.date_precision = tx.start_date, tx.end_date, tx.precision
        ev.date_text, ev.date_rule = tx.text, f"date:{rule} '{tx.text}' ({tx.rule})"
        return
    if ev.status == "planned" and ctx.planned is not None and sent.idx - ctx.planned[0] <= 3:
        ref = ctx.planned[1]  # "Moon will pay a visit on June 21-24 … He will meet Medvedev": the visit's dates
        ev.start_date, ev.end_date, ev.date_precision = ref.start_date, ref.end_date, ref.date_precision
        ev.date_text, ev.date_rule = ref.date_text, f"date:planned reference '{ref.date_text}' (an earlier plan)"
        return
    dated = [e for e in made if e.date_rule.startswith("date:clause")]
    if ev.status != "planned" and dated:  # "held talks on May 3, and the two sides agreed …"
        first = dated[0]
        ev.start_date, ev.end_date, ev.date_precision = first.start_date, first.end_date, first.date_precision
        ev.date_text, ev.date_rule = first.date_text, f"date:sentence '{first.date_text}' (an earlier event of the sentence)"
        return
    if ev.status != "planned" and sent.paragraph in ctx.reference:
        ref = ctx.reference[sent.paragraph]
        ev.start_date, ev.end_date, ev.date_precision = ref.start_date, ref.end_date, ref.precision
        ev.date_text, ev.date_rule = ref.text, f"date:paragraph reference '{ref.text}'"
        return
    if ev.status != "planned":
        note = _note_date(doc, sent)
        if note is not None:
            ev.start_date = ev.end_date = note
            ev.date_precision, ev.date_rule = "day", f"date:source-note {note.isoformat()}"
            return
    if article is not None:
        ev.start_date = ev.end_date = article
        ev.date_precision = doc.meta.date_precision or "day"
        ev.date_rule = "date:article"


def _covering_note(doc: Document, sent: Sentence, dated: bool) -> list[Citation]:
    """The source note that covers a sentence: its own, else the next one in its paragraph."""
    if not doc.citations:
        return []
    notes = COVERING_NOTES.table(doc)
    table = notes.get(dated)
    if table is None:
        cites = [c for c in doc.citations if c.cited or not dated]
        starts = [c.start for c in cites]
        table = notes[dated] = {-1: (cites, starts, starts == sorted(starts))}
    found = table.get(sent.idx)
    if found is None:
        cites, starts, in_order = table[-1]
        para = doc.paragraphs[sent.paragraph]
        if in_order:  # the notes in text order (as found): slices by bisection
            i, j = bisect_left(starts, sent.start), bisect_left(starts, sent.end)
            k = max(j, bisect_left(starts, para.end))
            found = cites[i:j] or (cites[j : bisect_right(starts, starts[j], j, k)] if j < k else [])
        else:
            found = [c for c in cites if sent.start <= c.start < sent.end]
            if not found:
                later = [c for c in cites if sent.end <= c.start < para.end]
                first = min((c.start for c in later), default=None)
                found = [c for c in later if c.start == first]
        table[sent.idx] = found
    return found


def _note_date(doc: Document, sent: Sentence) -> date | None:
    """Latest date of the source note that covers the sentence."""
    dates = [c.cited_end or c.cited for c in _covering_note(doc, sent, dated=True)]
    return max(dates) if dates else None


def _agencies(doc: Document, sent: Sentence) -> list[str]:
    table = AGENCIES.table(doc)
    found = table.get(sent.idx)
    if found is None:
        found = table[sent.idx] = list(dict.fromkeys(c.agency for c in _covering_note(doc, sent, dated=False)))
    return list(found)


def _confidence(ev: Event) -> float:
    score = 0.5
    if ev.date_rule.startswith("date:clause") or ev.date_rule.startswith("date:sentence"):
        score += 0.2
    if ev.source_actor and ev.target_actor:
        score += 0.15
    if not ev.source_actor:
        score -= 0.2
    if ev.sources:
        score += 0.1
    return max(0.05, min(score, 0.95))


def _advance(doc: Document, sent: Sentence, mentions: list[Mention], made: list[Event], ctx: _Context, kinds: dict[str, str]) -> None:
    for tx in timexes_of(doc, sent):
        usable = (
            tx.anchor
            and tx.start_date
            and tx.precision in ("day", "month")
            and (doc.meta.published is None or tx.start_date <= doc.meta.published)
        )
        if usable:
            ctx.reference[sent.paragraph] = tx
    persons = [m.actor_id for m in mentions if kinds[m.actor_id] == "person"]
    event_persons = [e.source_actor for e in made if kinds[e.source_actor] == "person"]
    if event_persons:
        ctx.last_person = event_persons[0]
    elif persons:
        ctx.last_person = persons[0]
    for e in made:
        group = [a for a in (e.source_actor, e.target_actor) if a and kinds[a] in ("person", "state")]
        if _two_sides(doc, group):
            ctx.last_group = group
    if len(persons) < 2:
        return  # (fewer than two distinct persons: neither the group nor the pair below changes)
    distinct = list(dict.fromkeys(persons))
    if (
        len(distinct) >= 2
        and not any(len([a for a in (e.source_actor, e.target_actor) if a]) >= 2 for e in made)
        and _two_sides(doc, distinct[:2])
    ):
        ctx.last_group = distinct[:2]
    if len(distinct) >= 2:
        pair = next(([a, b] for i, a in enumerate(distinct) for b in distinct[i + 1 :] if _two_sides(doc, [a, b])), None)
        if pair:
            ctx.last_persons = pair


def _update_by_anaphor(doc: Document, sent: Sentence) -> None:
    """'There was no indication that the meeting took place' changes the meeting's status."""
    view, folded = _folding(doc)  # (the document's view, sliced: no lower() and case test per sentence)
    noun = _ANAPHOR_NOUN.on(folded).search(view[sent.start : sent.end])
    if not noun:
        return
    low = None
    for cue, gates in _live_anaphor_cues(doc):
        if gates:  # the cue's words are absent from the sentence: no match (a substring test, not a scan)
            if low is None:
                low = _lower(doc)[sent.start : sent.end]
            if not all(any(g in low for g in gate) for gate in gates):
                continue
        m = cue.regex.search(doc.text, _lower(doc), sent.start, sent.end)
        if not m:
            continue
        roots = _ANAPHOR_ROOTS[noun[1].lower()]
        for ev in reversed(doc.events):
            if ev.sentence < sent.idx - 2:
                break
            if ev.cameo_code[:2] in roots:
                ev.status = cue.status
                ev.status_rule += f"; cue:{m[0].lower()} (sentence {sent.idx + 1}) → {cue.status}"
                ev.also_sentences.append(sent.idx)
                return


@lru_cache(maxsize=1)
def anaphor_cues() -> tuple[tuple[Cue, tuple[tuple[str, ...], ...]], ...]:
    """The status cues of scope "anaphor", in their order, each with the lower-case strings every match
    holds (core.text.patterns.required_literals; () for a cue that needs case, which runs on the text).

    Why: every sentence that names "the meeting" or "the visit" without an event of its own asks each
    of these cues; most sentences hold none of their words, which a substring test tells far faster
    than a regex search per cue."""
    return tuple(
        (cue, () if cue.regex.case_sensitive else required_literals(cue.regex.regex.pattern))
        for cue in status_cues()
        if cue.scope == "anaphor"
    )


#: The anaphor cues (as :func:`anaphor_cues` gives them) that may match somewhere in the text.
LIVE_ANAPHOR_CUES: DocView[tuple] = DocView("anaphor cues the text may hold")
_LETTER_RUN = re.compile(r"[a-z]+")


@lru_cache(maxsize=1)
def _anaphor_keys() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Per anaphor cue, per gate of it: strings one of which every string of the gate holds (the
    longest word all of them share, else the strings themselves), to ask of the whole text once."""
    out = []
    for _cue, gates in anaphor_cues():
        keys = []
        for gate in gates:
            shared = set.intersection(*(set(_LETTER_RUN.findall(g)) for g in gate))
            keys.append((max(shared, key=lambda w: (len(w), w)),) if shared else gate)
        out.append(tuple(keys))
    return tuple(out)


def _live_anaphor_cues(doc: Document) -> tuple[tuple[Cue, tuple[tuple[str, ...], ...]], ...]:
    """:func:`anaphor_cues` less those a gate of which has no string in the whole lower-cased text.

    Why: every sentence without an event of its own that names "the meeting" tested each cue's gate
    strings (16 for "could not be confirmed" and its kin); a gate none of whose strings is in the text
    is in none of its sentences, which one search per shared word tells once per article (xspeed4:
    44 µs an article on the synthetic benchmark, about 1% of extraction, before)."""

    def live() -> tuple[tuple[Cue, tuple[tuple[str, ...], ...]], ...]:
        lower = _lower(doc)
        return tuple(
            row
            for row, keys in zip(anaphor_cues(), _anaphor_keys(), strict=True)
            if all(any(k in lower for k in gate_keys) for gate_keys in keys)
        )

    return LIVE_ANAPHOR_CUES.of(doc, live)


#: Earlier events of the same root and persons that a new event is compared with (see merge_duplicates).
MERGE_WINDOW = 32


def merge_duplicates(events: list[Event]) -> list[Event]:
    """The same act told twice in one article becomes one row, dated by its best telling."""
    out: list[Event] = []
    # only events of one CAMEO root and the same persons (at least two) can be the same act, and a
    # merge keeps its persons: one list per (root, persons), so a long article is not quadratic
    by_root: dict[tuple[str, frozenset[str]], list[int]] = {}
    people: dict[int, frozenset[str]] = {}  # event id → _people(event), kept while its actors stand
    also: dict[int, set[int]] = {}  # event id → the other sentences telling it (see below)

    def persons(e: Event) -> frozenset[str]:
        found = people.get(id(e))
        if found is None:
            found = people[id(e)] = _people(e)
        return found

    for ev in events:
        mine = persons(ev)
        same_root = by_root.setdefault((ev.cameo_code[:2], mine), [])
        # the most recent MERGE_WINDOW candidates only: a text of thousands of tellings stays linear;
        # with fewer than two persons nothing is the same act (_same_act), so none is compared
        at = None if len(mine) < 2 else next((i for i in same_root[-MERGE_WINDOW:] if _same_act(out[i], ev, persons)), None)
        if at is None:
            same_root.append(len(out))
            out.append(ev)
            continue
        twin = out[at]
        best, other = (ev, twin) if _date_strength(ev) > _date_strength(twin) else (twin, ev)
        merged = best
        # kept as a set while merging and sorted once at the end: re-sorting the growing list on
        # every merge was quadratic in the number of tellings
        told = also.pop(id(best), None)
        told = set(best.also_sentences) if told is None else told
        from_other = also.pop(id(other), None)
        told |= set(other.also_sentences) if from_other is None else from_other
        told.add(other.sentence)
        told.discard(best.sentence)
        also[id(merged)] = told
        merged.actors = list(dict.fromkeys([*best.actors, *other.actors]))
        merged.sources = list(dict.fromkeys([*best.sources, *other.sources]))
        merged.topics = list(dict.fromkeys([*best.topics, *other.topics]))
        if STATUS_RANK[other.status] < STATUS_RANK[merged.status]:
            merged.status = other.status
            merged.status_rule = other.status_rule + " (merged)"
        merged.confidence = min(0.95, max(best.confidence, other.confidence) + 0.05)
        people[id(merged)] = _people(merged)
        out[at] = merged
    for ev in out:
        if id(ev) in also:
            ev.also_sentences = sorted(also[id(ev)])
    return out


def _people(ev: Event) -> frozenset[str]:
    """The persons of an event: dictionary persons, and actors found in the text (always persons)."""
    known = dictionary()
    return frozenset(a for a in ev.actors if a and (a not in known or (known[a].kind or "person") == "person"))


_TOLD = ("occurred", "reported")


def _same_act(a: Event, b: Event, people=_people) -> bool:
    if a.cameo_code[:2] != b.cameo_code[:2] or a.sentence == b.sentence:
        return False
    if a.status not in _TOLD or b.status not in _TOLD:
        return False
    pa, pb = people(a), people(b)
    if len(pa) < 2 or pa != pb:
        return False
    weak = {"date:article", "date:paragraph", "date:source-note"}
    if any(a.date_rule.startswith(w) for w in weak) or any(b.date_rule.startswith(w) for w in weak):
        return True
    if a.start_date and b.start_date and a.end_date and b.end_date:
        return a.start_date <= b.end_date and b.start_date <= a.end_date
    return False


def _date_strength(ev: Event) -> tuple[int, int]:
    rule = ev.date_rule.split(" ")[0].removeprefix("date:")
    return DATE_RULE_RANK.get(rule, 0), PRECISION_RANK.get(ev.date_precision, 0)
