"""The faster scanning helpers give exactly what the plain regular expressions give.

Each helper is compared with the straightforward way on generated texts full of the words the
patterns look for (a fixed seed: the same cases on every run).
"""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from core.domain.lexicon import status_cues, topic_patterns
from core.extract import clauses
from core.extract.mentions import _surname_hits
from core.extract.segment import _ABBREV, _is_abbreviation_at
from core.text import timeparse
from core.text.document import Document, Sentence, SpanSet
from core.text.patterns import (
    Alternatives,
    Caseless,
    WordRegex,
    lowered,
    matches_at,
    plain_case,
    required_literals,
    scan_many,
    split_alternatives,
    trie_regex,
)
from core.text.reading import _CONTROL, _control_share

WORDS = [
    "is",
    "was",
    "were",
    "said",
    "to",
    "reportedly",
    "not",
    "never",
    "will",
    "would",
    "May",
    "may",
    "June",
    "16",
    "2000",
    "1999",
    "early",
    "mid-",
    "late",
    "in",
    "of",
    "last",
    "next",
    "year",
    "the",
    "day",
    "later",
    "two",
    "days",
    "ago",
    "arms",
    "sales",
    "summit",
    "talks",
    "Kim",
    "Kimura",
    "O'Neil",
    "’s",
    "-",
    ",",
    ";",
    "–",
    "(",
    ")",
    ".",
    "\n",
    "  ",
    "x",
    "_",
    "é",
    "İ",
    "ſ",
    "n't",
    "didn't",
    "could",
    "Could",
    "MIGHT",
    "be",
]


def _texts(n: int, seed: int, words: list[str] = WORDS) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(words) + rng.choice(["", " ", " ", " ", "  ", "\n", "-"]) for _ in range(rng.randrange(1, 40))) for _ in range(n)
    ]


_WORD_EDGE = re.compile(r"\b")


def _spans(matches) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m[0]) for m in matches]


@pytest.mark.parametrize(
    "source",
    [
        r"(?:a|b)c|d",
        r"(?:x(?:y|z))?y",
        r"(?P<w>ab|a)b?",
        r"(?:it (?:is|was) )?unclear(?: whether)?",
        r"(?:is|are|was|were) (?:also )?said (?:also )?to",
        r"(?:the\s+)?(?P<part>early|mid|late)?\s*-?\s*(?P<y>(?:19|20)\d0)'?s\b",
        r"[|(]|\(|x",
        r"(?:a|)b",
        r"not|never|no longer|\w+n't",
    ],
)
def test_patterns_alternatives_find_what_the_regex_finds(source: str) -> None:
    plain = re.compile(source)
    fast = Alternatives(source)
    for text in _texts(300, 1, [*WORDS, "a", "b", "c", "d", "xy", "y", "unclear", "whether", "1990s", "it"]):
        for pos in (0, 3):
            assert _spans(fast.finditer(text, pos)) == _spans(plain.finditer(text, pos)), (source, text)


def test_patterns_split_alternatives_keeps_the_engine_order() -> None:
    assert split_alternatives(r"(?:a|b)c|d") == ["(?:a)c", "(?:b)c", "d"]
    assert split_alternatives(r"(?:x)?y") == ["(?:x)y", "y"]
    assert split_alternatives(r"a\1|b") == [r"a\1|b"]  # back-references stay whole


def test_patterns_required_literals_hold_for_every_match() -> None:
    for source in [r"(?:is|are) (?:set|due) to", r"reports?\b(?:\s+\w+){0,3}?\s+said", r"(?:a|b)c|d"]:
        gates = required_literals(source)
        assert gates
        for text in _texts(200, 2, [*WORDS, "are", "set", "due", "reports", "ac", "bc", "d"]):
            for m in re.finditer(source, text):
                assert all(any(g in m[0] for g in gate) for gate in gates), (source, m[0])


def test_patterns_alternatives_accept_acts_as_a_look_behind() -> None:
    source = r"(?:[Tt]he\s+)?(?:Kim|Park)\s+\w+"
    plain = re.compile(r"\b" + source)
    fast = Alternatives(source, limit=2)
    for text in _texts(300, 3, [*WORDS, "The", "Park", "xKim", "the"]):

        def accept(pos: int, t: str = text) -> bool:
            return _WORD_EDGE.match(t, pos) is not None

        assert _spans(fast.finditer(text, accept=accept)) == _spans(plain.finditer(text)), text


def test_patterns_trie_regex_check_after_the_first_letter_is_a_look_behind() -> None:
    words = ["Kim", "Kimura", "Park", "Seoul", "S"]
    before = re.compile(r"(?<![\w.])" + trie_regex(words))
    after = re.compile(trie_regex(words, r"(?<![\w.].)"))
    for text in _texts(300, 4, [*words, "x", ".", " ", "-"]):
        assert _spans(after.finditer(text)) == _spans(before.finditer(text)), text


def test_patterns_scan_many_finds_what_each_word_regex_finds() -> None:
    regexes = (
        *(c.regex for c in status_cues()),
        *(rx for _t, rx in topic_patterns()),
        WordRegex("sub|subs|submarines?"),
        WordRegex("nota|not|otab"),
    )
    for text in _texts(200, 5, [*WORDS, "sub", "subs", "submarine", "nota", "otab", "apparently", "denied", "inter-korean"]):
        low = lowered(text)
        expected = [_spans(r.finditer(text, low)) for r in regexes]
        assert [_spans(found) for found in scan_many(regexes, text, low)] == expected, text


def test_patterns_matches_at_is_finditer_given_the_starts() -> None:
    regex = re.compile(r"ab+|b")
    text = "abbb b ab abab"
    starts = [m.start() for m in re.finditer(r"(?=[ab])", text)]
    assert _spans(matches_at(regex, text, starts)) == _spans(regex.finditer(text))


def test_patterns_caseless_finds_what_ignorecase_finds() -> None:
    pattern = r"\b(he|she|(?:the|both)\s+(?:two\s+)?sides)\b"
    caseless, ignorecase = Caseless(pattern), re.compile(pattern, re.I)
    for text in _texts(300, 6, [*WORDS, "He", "SHE", "The", "two", "Sides", "ſhe", "K"]):
        a, b = caseless.search(text), ignorecase.search(text)
        assert (a and (a.span(), a[1].lower())) == (b and (b.span(), b[1].lower())), text
    assert not plain_case("ſ") and plain_case("Seoul’s")
    with pytest.raises(ValueError):
        Caseless("Upper")


def test_document_spanset_holds_what_any_span_holds() -> None:
    spans = [(5, 9), (7, 12), (20, 20), (30, 31), (12, 14)]
    inside = SpanSet(spans)
    assert [x in inside for x in range(40)] == [any(a <= x < b for a, b in spans) for x in range(40)]


def test_document_sentence_finder_agrees_with_sentence_at() -> None:
    doc = Document(text="x" * 60, source_file="t.txt")
    doc.sentences = [Sentence(2, 10, 0, 0, ""), Sentence(12, 20, 1, 0, ""), Sentence(20, 31, 2, 0, "")]
    at = doc.sentence_finder()
    assert [at(x) for x in range(40)] == [doc.sentence_at(x) for x in range(40)]
    doc.sentences = [Sentence(2, 10, 0, 0, ""), Sentence(5, 20, 1, 0, "")]  # overlapping: the linear scan
    at = doc.sentence_finder()
    assert [at(x) for x in range(25)] == [doc.sentence_at(x) for x in range(25)]


def _plain_clause_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in clauses._BOUNDARY.finditer(text):
        if (
            m[0].strip() == ""
            and text[m.start() - 1 : m.start()] in ("d", "s")
            and not text.startswith("that ", m.end())
            and not clauses._SAY_END.search(text, max(0, m.start() - 12), m.start())
        ):
            continue
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans or [(0, len(text))]


def test_clauses_clause_spans_match_a_plain_scan() -> None:
    words = [*WORDS, "said", "says", "announced", "and", "that", "while", "because", "he", "they", "Moscow", "—", "--", "”", '"', "which"]
    for text in _texts(2000, 7, words):
        assert clauses.clause_spans(text) == _plain_clause_spans(text), text


def test_clauses_looks_future_is_the_same_folded() -> None:
    for before, after in zip(_texts(500, 8), _texts(500, 9), strict=True):
        expected = clauses.looks_future(before, after)
        if plain_case(before + after):
            assert clauses.looks_future(before.lower(), after.lower(), folded=True) == expected


def _plain_timexes(text: str) -> list[tuple]:
    """find_timexes as first written: every pattern scanned in full, overlaps checked one by one."""
    taken: list[tuple[int, int]] = []
    found = []
    lower = lowered(text)
    for name, pattern, caseless, word_start in timeparse._PATTERNS:
        gate = timeparse._GATES.get(name)
        if gate and not any(g in lower for g in gate):
            continue
        target = lower if caseless else text
        for m in pattern.finditer(target):
            s, e = m.span()
            if word_start and s and (target[s - 1].isalnum() or target[s - 1] == "_"):
                continue
            if any(s < te and ts < e for ts, te in taken) or (name == "md" and timeparse._looks_like_may_verb(text, m)):
                continue
            taken.append((s, e))
            found.append((s, e, name, sorted((k, v) for k, v in m.groupdict().items() if v)))
    return sorted(found)


def test_timeparse_find_timexes_matches_a_plain_scan() -> None:
    words = [
        *WORDS,
        "January",
        "Jan.",
        "janov",
        "Sept.",
        "Dec",
        "3rd",
        "5th",
        "through",
        "and",
        "percent",
        "million",
        "during",
        "since",
        "until",
        "the past",
        "previous",
        "coming",
        "weekend",
        "decade",
        "1990s",
        "2000s",
        "yesterday",
        "tomorrow",
        "Monday",
        "spring",
        "of next year",
        "2000-05-17",
        "a few",
        "before",
        "after",
    ]
    for text in _texts(1500, 10, words):
        fast = sorted(
            (t.start, t.end, t.spec["kind"], sorted((k, v) for k, v in t.spec.items() if k != "kind")) for t in timeparse.find_timexes(text)
        )
        assert fast == _plain_timexes(text), text


def test_mentions_surname_hits_match_the_regex() -> None:
    names = ["Kim", "Kimura", "Ki", "Park", "O'Neil", "Ivanov", "Ivanova"]
    for text in _texts(500, 11, [*names, "-a", "-A", "’s", ".", "1"]):
        pattern = re.compile(r"(?<!\w)" + trie_regex(names) + r"(?![\w]|-[a-z])")
        assert _surname_hits(text, 0, names) == [(m.start(), m.end(), m[0]) for m in pattern.finditer(text)], text


def test_segment_abbreviation_read_back_matches_the_regexes() -> None:
    initial = re.compile(r"(?:^|[\s(])(?:[A-Z]\.)+$")
    for text in _texts(2000, 12, ["U.S", "U", "S", ".", "Gen", "Mr", "x", "A", "B.", "(", " ", "\n", "e.g", "Inc", "A.B.C"]):
        upto_dot = text + "."
        word = re.search(r"([A-Za-z.]+)\.$", upto_dot)
        expected = bool(word) and (word[1].lower() in _ABBREV or bool(initial.search(upto_dot)))
        assert _is_abbreviation_at(upto_dot, 0, len(upto_dot) - 1) == expected, upto_dot


def _control_by_category(sample: str) -> int:
    return sum(1 for c in sample if unicodedata.category(c) in ("Cc", "Cs", "Co") and c not in "\n\r\t\f")


def test_reading_control_share_counts_controls_surrogates_and_private_use() -> None:
    every_bmp = "".join(chr(cp) for cp in range(0x10000)) + "\U000f0000\U0010fffd\U0001f600"
    assert len(_CONTROL.findall(every_bmp)) == _control_by_category(every_bmp)
    for start in range(0, len(every_bmp), 20000):
        sample = every_bmp[start : start + 20000]
        assert _control_share(sample) == _control_by_category(sample) / len(sample)
