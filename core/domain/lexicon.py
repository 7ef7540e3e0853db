"""Compiled forms of the event lexicon, status cues and topic keywords in ``data/``.

Everything is compiled once per process; matching a sentence is then a few regex scans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from core.text.datafiles import cached_csv
from core.text.document import DocView
from core.text.patterns import WordRegex, lowered, scan_many

_VOWELS = "aeiou"


@lru_cache(maxsize=1)
def _irregular() -> dict[str, tuple[str, str]]:
    return {r["lemma"]: (r["past"], r["participle"]) for r in cached_csv("irregular_verbs.csv")}


def verb_forms(lemma: str) -> list[str]:
    """Every inflected form of a verb: base, -s, past, participle, -ing."""
    if " " in lemma:
        head, rest = lemma.split(" ", 1)
        return [f"{f} {rest}" for f in verb_forms(head)]
    irregular = _irregular().get(lemma)
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        third = lemma + "es"
    elif lemma.endswith("y") and lemma[-2:-1] not in _VOWELS:
        third = lemma[:-1] + "ies"
    else:
        third = lemma + "s"
    double = len(lemma) <= 4 and len(lemma) >= 3 and lemma[-1] not in _VOWELS + "wxy" and lemma[-2] in _VOWELS and lemma[-3] not in _VOWELS
    stem = lemma + lemma[-1] if double else lemma
    if lemma.endswith("e"):
        past, ing = lemma + "d", (lemma[:-1] if not lemma.endswith("ee") else lemma) + "ing"
    elif lemma.endswith("y") and lemma[-2:-1] not in _VOWELS:
        past, ing = lemma[:-1] + "ied", lemma + "ing"
    else:
        past, ing = stem + "ed", stem + "ing"
    forms = {lemma, third, ing, past}
    if irregular:
        forms.discard(past)
        forms.update(irregular)
        if irregular[0] == lemma + lemma[-1] + "ed":  # "conferred" → "conferring"
            forms.discard(ing)
            forms.add(lemma + lemma[-1] + "ing")
    return sorted(forms, key=len, reverse=True)


@dataclass(frozen=True)
class Trigger:
    pattern: str
    regex: WordRegex
    code: str
    kind: str
    needs: re.Pattern[str] | None
    type_name: str
    needs_kinds: frozenset[str] = frozenset()  # "place", "person": a kind of word that may stand in for ``needs``
    # the pattern's first word (lower-case, without "@") with "s" and "es": the forms of it that may be
    # a noun ("the visit", "talks"), looked up per match by core.extract.events._used_as_noun
    lemma_forms: frozenset[str] = frozenset()
    # what core.extract.events._triggers_in asks of a trigger in every sentence it is a candidate in,
    # worked out once: a verb's form, and a statement ("01…") whose words need nothing around them
    is_verb: bool = field(init=False, repr=False, compare=False)
    statement: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "is_verb", self.kind == "verb")
        object.__setattr__(self, "statement", self.code.startswith("01") and self.needs is None)


def _pattern_regex(pattern: str) -> str:
    parts = []
    for tok in filter(None, pattern.split(" ")):  # not split(): that splits at the no-break spaces inside [a b|c]
        if tok == "...":
            parts.append(r"(?:[^\s.;:()]+\s+){0,6}?")
            continue
        if tok.startswith("[") and tok.endswith("]"):
            alts = [re.escape(a.lower()).replace(r"\ ", r"\s+") for a in tok[1:-1].split("|")]
            parts.append("(?:" + "|".join(alts) + r")\s+")
        elif tok.startswith("@"):
            parts.append("(?:" + "|".join(re.escape(f) for f in verb_forms(tok[1:].lower())) + r")\s+")
        else:
            parts.append(re.escape(tok.lower()) + r"\s+")
    body = "".join(parts)
    return body[: -len(r"\s+")] if body.endswith(r"\s+") else body


def _join_bracketed(pattern: str) -> str:
    """Let "[hot line|hotline]" hold spaces inside the brackets."""
    return re.sub(r"\[([^\]]*)\]", lambda m: "[" + m[1].replace(" ", "\u00a0") + "]", pattern)


@lru_cache(maxsize=1)
def triggers() -> tuple[Trigger, ...]:
    out = []
    for row in cached_csv("event_verbs.csv"):
        pattern = _join_bracketed(row["pattern"])
        regex = _pattern_regex(pattern).replace("\u00a0", r"\s+")
        words, kinds = _split_needs(row.get("needs") or "")
        needs = re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I) if words else None
        lemma = row["pattern"].split()[0].lstrip("@").lower()
        out.append(
            Trigger(
                row["pattern"],
                WordRegex(regex),
                row["code"],
                row.get("kind") or "verb",
                needs,
                row.get("type") or "",
                kinds,
                frozenset((lemma, lemma + "s", lemma + "es")),
            )
        )
    return tuple(out)


_KINDS = {"<place>": "place", "<person>": "person"}


def _split_needs(needs: str) -> tuple[list[str], frozenset[str]]:
    """The words of a ``needs`` cell and the kinds of word ("<place>", "<person>") it names."""
    parts = [p for p in needs.split("|") if p]
    unknown = [p for p in parts if p.startswith("<") and p not in _KINDS]
    if unknown:
        raise ValueError(f"data/event_verbs.csv: unknown kind of word {unknown[0]} (known: {', '.join(_KINDS)})")
    return [p for p in parts if p not in _KINDS], frozenset(_KINDS[p] for p in parts if p in _KINDS)


_COMMON = {
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "remain",
    "remains",
    "have",
    "has",
    "had",
    "having",
    "to",
    "the",
    "a",
    "an",
    "of",
    "in",
    "on",
    "at",
    "by",
    "for",
    "with",
    "from",
    "into",
    "and",
    "or",
}
_GATE_WORD = re.compile(r"[a-z][a-z’'-]*")


def _token_words(token: str) -> set[str] | None:
    """The words one pattern token can start with (every form of "@verb", each choice of "[a|b]"), or
    None for "..." and tokens whose words the sentence scan would not see whole (non-ASCII letters)."""
    if token == "...":
        return None
    if token.startswith("[") and token.endswith("]"):
        words = {alt.split("\u00a0")[0].lower() for alt in token[1:-1].split("|")}
    elif token.startswith("@"):
        words = {f.split()[0].lower() for f in verb_forms(token[1:])}
    else:
        words = {token.lower()}
    return words if all(_GATE_WORD.fullmatch(w) for w in words) else None


def _first_words(pattern: str) -> set[str]:
    """The words a trigger is looked up by: those of its rarest token (every token must occur for a
    match, so any one of them is a sound gate). A token of common words ("[is|are|was|were] ready to")
    would make the trigger a candidate in nearly every sentence; its longest-worded token gates it instead."""
    tokens = [t for t in _join_bracketed(pattern).split(" ") if t]
    best: set[str] | None = None
    best_key: tuple[int, int] = (-1, 0)
    for i, tok in enumerate(tokens):
        words = _token_words(tok)
        if not words:
            continue
        key = (0 if words & _COMMON else 1, min(len(w) for w in words))
        if key > best_key or (i == 0 and key == best_key):
            best, best_key = words, key
    if best is None:  # no usable token: the first one, as written
        first = tokens[0]
        best = {first.lower()} if not first.startswith(("[", "@")) else (_token_words(first) or {first.lower()})
    return best


@lru_cache(maxsize=1)
def trigger_index() -> dict[str, tuple[Trigger, ...]]:
    """First word of a trigger (every form) → the triggers that start with it."""
    index: dict[str, list[Trigger]] = {}
    for trig in triggers():
        for word in _first_words(trig.pattern):
            index.setdefault(word, []).append(trig)
    return {w: tuple(ts) for w, ts in index.items()}


_WORD = re.compile(r"[a-z][a-z’'-]*")


@lru_cache(maxsize=1)
def _lookup() -> tuple[frozenset[str], dict[str, tuple[tuple[tuple[str, str], Trigger, tuple[frozenset[str], ...]], ...]]]:
    """The index words, and for each the triggers it gates with the word sets of their other tokens."""
    rows: dict[str, list] = {}
    for trig in triggers():
        gate = _first_words(trig.pattern)
        tokens = [t for t in _join_bracketed(trig.pattern).split(" ") if t]
        others = tuple(frozenset(ws) for t in tokens if (ws := _token_words(t)) and ws != gate)
        for word in gate:
            rows.setdefault(word, []).append(((trig.pattern, trig.code), trig, others))
    return frozenset(rows), {w: tuple(r) for w, r in rows.items()}


def candidate_triggers(text: str, folded: bool = False) -> list[Trigger]:
    """Only the triggers all of whose words occur in ``text`` (looked up by the rarest): a few regexes
    instead of all, however long the lexicon grows. ``folded``: ``text`` is already lower-cased."""
    keys, rows = _lookup()
    tokens = _WORD.findall(text if folded else text.lower())
    gates = keys.intersection(tokens)  # (the sentence's index words, without a set of all its words first)
    if not gates:
        return []
    words: set[str] | None = None  # every word of the text, made only when a trigger has other tokens
    seen: dict[tuple[str, str], Trigger] = {}
    for word in gates:
        for key, trig, others in rows[word]:
            if key in seen:
                continue
            if others:
                if words is None:
                    words = set(tokens)
                for other in others:  # (a loop, not any(map(…)): most rows have one or two, xspeed4)
                    if words.isdisjoint(other):
                        break
                else:
                    seen[key] = trig
                continue
            seen[key] = trig
    return list(seen.values())


@dataclass(frozen=True)
class Cue:
    cue: str
    regex: WordRegex
    status: str
    scope: str


@lru_cache(maxsize=1)
def status_cues() -> tuple[Cue, ...]:
    return tuple(Cue(r["cue"], WordRegex(_lower_literals(r["cue"])), r["status"], r["scope"]) for r in cached_csv("status_cues.csv"))


def _lower_literals(source: str) -> str:
    """Lower-case a pattern's words but keep escapes (\\w, \\b, \\s) and "(?-i:…)" groups as written."""
    if "(?-i:" in source:
        return source
    return re.sub(r"(\\.|\?P<\w+>)|([A-Z]+)", lambda m: m[1] or m[2].lower(), source)


@lru_cache(maxsize=1)
def topic_patterns() -> tuple[tuple[str, WordRegex], ...]:
    grouped: dict[str, list[str]] = {}
    for r in cached_csv("topics.csv"):
        grouped.setdefault(r["topic"], []).append(_lower_literals(r["keyword"]))
    return tuple((t, WordRegex("|".join(ks))) for t, ks in grouped.items())


def topics_of(text: str) -> list[str]:
    low = lowered(text)
    return [t for t, rx in topic_patterns() if rx.search(text, low)]


#: The whole-text matches of every status cue and every topic pattern (one scan for both).
WHOLE_TEXT_MATCHES: DocView[tuple[list[list[re.Match[str]]], list[list[re.Match[str]]]]] = DocView("whole-text cue and topic matches")
#: Per sentence: the topics its words name.
TOPICS: DocView[dict[int, list[str]]] = DocView("sentence topics", dict)


#: (from where, per pattern of :func:`cue_topic_regexes` the offsets its matches may start at in the
#: lower-cased text): left by a step whose own automaton pass over that text held these strings too
#: (core.extract.mentions), so :func:`whole_text_matches` needs no pass of its own.
CUE_TOPIC_STARTS: DocView[tuple[int, list[list[int]]]] = DocView("status cue and topic starts")


@lru_cache(maxsize=1)
def cue_topic_regexes() -> tuple[WordRegex, ...]:
    """Every status cue's regex, then every topic's: what :func:`whole_text_matches` scans for."""
    return (*(c.regex for c in status_cues()), *(rx for _t, rx in topic_patterns()))


def whole_text_matches(doc) -> tuple[list[list[re.Match[str]]], list[list[re.Match[str]]]]:
    """The matches in the whole text of every status cue and of every topic pattern, in their order
    (what ``regex.finditer`` gives each), found together in one pass (core.text.patterns.scan_many)."""

    def scan() -> tuple[list, list]:
        pre = CUE_TOPIC_STARTS.get(doc)
        starts = pre[1] if pre is not None and pre[0] == doc.text_start else None
        found = scan_many(cue_topic_regexes(), doc.text, doc.lower, doc.text_start, starts)
        n = len(status_cues())
        return found[:n], found[n:]

    return WHOLE_TEXT_MATCHES.of(doc, scan)


def sentence_topics(doc, sent) -> list[str]:
    """Topics of a sentence; the whole text is scanned once for all topics and the hits bucketed."""
    table = doc.cache.get(TOPICS)  # (asked per event: the made view first)
    if table is None:
        table = TOPICS.of(doc, lambda: _topics_by_sentence(doc))
    return list(table.get(sent.idx, []))


def _topics_by_sentence(doc) -> dict[int, list[str]]:
    from bisect import bisect_right

    starts = [s.start for s in doc.sentences]
    out: dict[int, list[str]] = {}
    topics = topic_patterns()
    for (topic, _rx), found in zip(topics, whole_text_matches(doc)[1], strict=True):
        for m in found:
            i = bisect_right(starts, m.start()) - 1
            if i >= 0 and topic not in out.setdefault(i, []):
                out[i].append(topic)
    return {i: [t for t, _rx in topic_patterns() if t in ts] for i, ts in out.items()}
