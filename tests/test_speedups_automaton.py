"""The Aho–Corasick paths (core.text.patterns, pyahocorasick) find exactly what the regex paths find.

Each fast path is compared with the reference it replaced on generated texts (fixed seeds) and on
hand-written hostile ones: overlapping strings, strings inside longer words, long runs of one letter,
non-ASCII letters and a start offset inside the text.
"""

from __future__ import annotations

import random

import pytest

from core.domain.lexicon import status_cues, topic_patterns
from core.text import patterns as P
from core.text.patterns import WordRegex, lowered

WORDS = [
    "is", "are", "was", "were", "not", "never", "will", "would", "expected", "plans", "planned", "reportedly",
    "reported", "apparently", "denied", "according", "to", "debt", "defense", "defence", "arms", "talks",
    "unclear", "whether", "it", "the", "summit", "sub", "subs", "submarine", "nota", "otab", "inter-korean",
    "n't", "didn't", "ſ", "İ", "é", "-", ",", ".", "\n", "  ", "’s", "x", "_",
]  # fmt: skip

HOSTILE = [
    "",
    "a" * 500,
    "areareare are are arearea",
    "notnotnot not-not _not not_ nota otab notab",
    "it was it was unclear unclear whether whether",
    "reportedreported reportedly reported-ly",
    "İs ıs ſ is İS is",
    "defendefence defence" * 20,
]


def _texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(WORDS) + rng.choice(["", " ", " ", "  ", "\n", "-"]) for _ in range(rng.randrange(1, 60))) for _ in range(n)]


def _spans(found) -> list[list[tuple[int, int]]]:
    return [[m.span() for m in ms] for ms in found]


REGEXES = (
    *(c.regex for c in status_cues()),
    *(rx for _t, rx in topic_patterns()),
    WordRegex("sub|subs|submarines?"),
    WordRegex("nota|not|otab"),
    WordRegex("are|area|rea"),
)


@pytest.mark.skipif(P._ahocorasick is None, reason="pyahocorasick is not installed")
@pytest.mark.parametrize("pos", [0, 1, 7])
def test_automaton_scan_many_matches_the_regex_trie(pos: int) -> None:
    many = P._ManyWordRegexes(REGEXES)
    assert many.automaton is not None
    for text in [*_texts(300, 11), *HOSTILE]:
        low = lowered(text)
        fast = many.scan(REGEXES, text, low, pos)
        assert _spans(fast) == _spans(many.scan_by_regex(REGEXES, text, low, pos)), text
        assert _spans(fast) == _spans([r.finditer(text, low, pos) for r in REGEXES]), text


@pytest.mark.skipif(P._ahocorasick is None, reason="pyahocorasick is not installed")
def test_automaton_prefixes_find_every_occurrence_as_the_regex_trie() -> None:
    strings = {"are", "area", "rea", "not", "nota", "otab", "a", "it was ", "was "}
    prefixes = P._Prefixes(strings)
    for text in [*_texts(200, 12), *HOSTILE]:
        low = lowered(text)
        for pos in (0, 3):
            fast = prefixes.find(low, pos)
            slow = {s: sorted(set(qs)) for s, qs in prefixes.find_by_regex(low, pos).items()}
            assert {s: sorted(set(qs)) for s, qs in fast.items()} == slow, text
            # every occurrence, by brute force
            brute = {s: [i for i in range(pos, len(low)) if low.startswith(s, i)] for s in strings}
            assert {s: qs for s, qs in brute.items() if qs} == {s: sorted(qs) for s, qs in fast.items()}, text


def test_automaton_absent_the_regex_paths_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(P, "_ahocorasick", None)
    many = P._ManyWordRegexes(REGEXES)
    assert many.automaton is None and P._Prefixes({"abc"}).automaton is None
    for text in _texts(50, 13):
        low = lowered(text)
        assert _spans(many.scan(REGEXES, text, low, 0)) == _spans([r.finditer(text, low) for r in REGEXES]), text


def _word_edge(text: str):
    return lambda pos: P.at_word_boundary(text, pos)


@pytest.mark.skipif(P._ahocorasick is None, reason="pyahocorasick is not installed")
@pytest.mark.parametrize(
    ("strings", "suffix"),
    [
        (["are", "area", "rea", "not", "nota", "otab"], r"(?![\w-])"),
        (["it was", "was", "it"], r"\b"),
        (["Kim", "Kimura", "Park", "O'Neil"], r"(?=[\s,])"),
        (["not", "no", "n"], ""),
    ],
)
def test_literal_starts_find_what_the_regex_finds(strings: list[str], suffix: str) -> None:
    guard = r"(?<![\w.].)"
    regex = P.re.compile("(?:" + P.trie_regex(strings, guard) + ")" + suffix)
    scanner = P.LiteralStarts(regex, strings)
    for text in [*_texts(200, 14), *HOSTILE, "Kimura Kim, Park Kim O'Neil. xKim Kim"]:
        for pos in (0, 2):
            expected = [m.span() for m in regex.finditer(text, pos)]
            assert [m.span() for m in scanner.finditer(text, pos)] == expected, text
            accept = _word_edge(text)
            assert [m.span() for m in scanner.finditer(text, pos, accept=accept)] == [
                m.span() for m in scanner.finditer_by_regex(text, pos, accept=accept)
            ], text


def test_literal_starts_role_phrases_and_titles_match_the_regex_scans() -> None:
    """The two scans of core.extract.mentions that use it: offices without a name, titles before one."""
    from core.extract import mentions as M

    texts = [
        *_texts(100, 15),
        "the South Korean president met the Russian Foreign Minister; making, speaking, asking the king. Prime Minister Kim",
        "President Putin, Foreign Minister Lavrov and Defence Minister Sergeyev; the premier of the State Council; leaders",
    ]
    for text in texts:
        low = lowered(text)
        expected = [m.span() for m in M._role_phrase_pattern().finditer(text, 0, accept=M._word_edge(text), lower=low)]
        assert [m.span() for m in M._role_phrases(text, 0, low, True)] == expected, text
        assert [m.span() for m in M._title_scanner().finditer(text, 3)] == [m.span() for m in M._title_pattern().finditer(text, 3)]


@pytest.mark.parametrize("seed", [16, 17])
def test_gate_strings_ruled_out_by_their_longest_word_as_by_a_search(seed: int) -> None:
    """core.text.patterns._passes asks a gate string's longest word first: same answers as a plain search."""
    rng = random.Random(seed)
    strings = [" days later", " day later", "the day after", "the previous", "previous", "later", "first half", "n't", "Monday", "x"]
    for text in [*_texts(150, seed), "the day afte", " days late", "later days", "Monday's first halves"]:
        known: dict[str, bool] = {}  # shared by the questions on one text, as in Alternatives.finditer
        for _ in range(10):
            gates = tuple(tuple(rng.sample(strings, rng.randint(1, 3))) for _ in range(rng.randint(1, 2)))
            pos, end = rng.randint(0, 3), len(text) - rng.randint(0, 3)
            expected = all(any(g in text[pos:end] for g in gate) for gate in gates)
            assert P._passes(text, pos, end, known if (pos, end) == (0, len(text)) else {}, gates) == expected, (text, gates)


def test_is_named_is_the_word_edged_regex() -> None:
    from core.extract import mentions as M

    names = ["Kim", "Lee", "O'Neil", "Kim Jong-il", "-ov", "é", "Putin’s"]
    for text in [*_texts(100, 18), "Kimura Kim_ Kim. xKim Lee-Lee O'Neil's -ov é Putin’s", "Kim"]:
        for name in names:
            assert M._is_named(text, name) == (M._named_in(name).search(text) is not None), (text, name)


def test_one_pass_for_titles_offices_and_cues_finds_the_same_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """find_mentions scans titles and unnamed offices from one automaton pass over the lower-cased text,
    which also leaves the status cues' and topics' starts for the events step (mentions._shared_starts);
    every row comes out the same as from the scans of their own."""
    from core.domain import lexicon as L
    from core.extract import mentions as M
    from core.extract.pipeline import process, to_rows
    from core.text.reading import RawText

    rng = random.Random(19)
    pieces = [
        "President Putin",
        "the South Korean president",
        "PRESIDENT KIM",
        "Foreign Minister Lavrov",
        "the Russian foreign minister",
        "Prime Minister",
        "president-elect Moon",
        "Defence Minister Sergeyev said",
        "the premier",
        "Chairman of the National Defence Commission Kim Jong-il",
        "met",
        "will visit",
        "reportedly",
        "denied that",
        "arms deliveries",
        "debt",
        "in Seoul",
        ",",
        "making",
        "kingdom",
        "leaders",
        "ſ",
    ]
    texts = [
        "Moscow, May 20, 2001\n\n" + " ".join(" ".join(rng.choice(pieces) for _ in range(8)) + "." for _ in range(6)) for _ in range(30)
    ]

    from core.extract import pipeline

    def rows(text: str) -> tuple[dict, bool]:
        used: list[bool] = []  # whether the shared pass left its starts (seen before process drops the memos)
        drop = pipeline.drop_scratch
        with monkeypatch.context() as m:
            m.setattr(pipeline, "drop_scratch", lambda doc: (used.append(L.CUE_TOPIC_STARTS.get(doc) is not None), drop(doc)))
            doc = process(RawText(text=text, source_file="t.txt", encoding="utf-8", format="txt"))
        return to_rows(doc), used[0]

    shared = [rows(t) for t in texts]
    assert M._lower_automaton() is not None
    assert any(used for _r, used in shared) and not all(used for _r, used in shared)  # ("ſ": no shared pass)
    monkeypatch.setattr(M, "_shared_starts", lambda doc, view, pos: None)
    alone = [rows(t) for t in texts]
    assert not any(used for _r, used in alone)
    assert [r for r, _u in alone] == [r for r, _u in shared]
    assert any(e["status_rule"].startswith("cue:") for r, _u in shared for e in r["events"])
    assert any(m["rule"].startswith(("role", "title")) for r, _u in shared for m in r["mentions"])


def test_occurs_any_is_a_substring_test() -> None:
    groups = [("jan", "feb", "may"), (" days later", "later"), ("n't",), ("Monday", "Sunday"), ()]
    for text in [*_texts(100, 20), "January", "two days later", "didn't", ""]:
        for strings in groups:
            assert P.occurs_any(text, strings) == any(s in text for s in strings), (text, strings)
