"""Speed-ups in core.extract.clauses give exactly what the plain way gives (differential tests on generated text).

- ``clause_looks_future`` reads the first date of a clause directly and builds the clause's
  ``TenseIndex`` from the second date on; the plain way is ``looks_future`` of the text before and
  after each date.
"""

from __future__ import annotations

import random

import pytest

from core.extract import clauses
from core.extract.pipeline import process
from core.text.reading import RawText

WORDS = [
    "will",
    "would",
    "'ll",
    "is",
    "to",
    "was",
    "were",
    "had",
    "ago",
    "last",
    "next",
    "planned",
    "plans",
    "expected",
    "scheduled",
    "walked",
    "earlier",
    "agreed",
    "visit",
    "May",
    "16",
    "June",
    "1999",
    "in",
    "on",
    "Moscow",
    "the",
    "WILL",
    "Was",
    ",",
    "x",
    "ed",
    "İ",
    "ſ",
    "upcoming",
    "said",
    "that",
]


class _Doc:
    """What clause_looks_future needs of a document: its cache."""

    def __init__(self) -> None:
        self.cache: dict = {}

    def memo(self, key: tuple, make):
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]


def _dates(rng: random.Random, lo: int, hi: int) -> list[tuple[int, int]]:
    """Random spans inside [lo, hi], several per clause, in text order as date_sentences asks."""
    cuts = sorted(rng.sample(range(lo, hi + 1), min(hi - lo + 1, rng.randint(1, 8))))
    return [(a, min(hi, a + rng.randint(0, 9))) for a in cuts]


@pytest.mark.parametrize("seed", range(30))
def test_clause_looks_future_is_looks_future(seed: int) -> None:
    rng = random.Random(seed)
    checked = 0
    for _ in range(30):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 40)))
        for folded in (False, True):
            if folded and not clauses.plain_case(text):
                continue
            view = text.lower() if folded else text
            doc = _Doc()
            spans = clauses.clause_spans(view)
            for clause in spans:
                for start, end in _dates(rng, *clause):
                    plain = clauses.looks_future(view[clause[0] : start], view[end : clause[1]], folded)
                    assert clauses.clause_looks_future(doc, view, clause, folded, start, end) == plain, (view, clause, start, end)
                    checked += 1
    assert checked > 50


@pytest.mark.parametrize(
    ("text", "future"),
    [
        ("Putin will visit Seoul on May 16 and meet Moon on May 17.", [True, True]),
        ("Putin visited Seoul on May 16 and met Moon on May 17.", [False, False]),
    ],
)
def test_second_date_of_a_clause_uses_the_index(text: str, future: list[bool]) -> None:
    """Both dates of one clause get the clause's tense; the second is read from its TenseIndex."""
    doc = _Doc()
    found = [(text.index("May 16"), text.index("May 16") + 6), (text.index("May 17"), text.index("May 17") + 6)]
    clause = (0, len(text))
    got = [clauses.clause_looks_future(doc, text, clause, False, a, b) for a, b in found]
    assert got == future
    assert isinstance(clauses.TENSE_INDEXES.table(doc)[(clause, False)], clauses.TenseIndex)


def test_dates_of_an_article_unchanged_against_the_index_only_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dates step with the direct first read equals the one that always asks the TenseIndex."""
    text = (
        "Moscow, May 3 — Putin will go to Seoul on May 16, and on May 17 he met Moon. "
        "He had visited Pyongyang in June 1999, earlier than planned, and will return next month."
    )
    raw = RawText(text=text, source_file="a.txt", encoding="utf-8", format="text")

    def rows() -> list[tuple]:
        return [(t.start, t.end, t.start_date, t.end_date, t.rule) for t in process(raw).timexes]

    fast = rows()
    with monkeypatch.context() as m:
        m.setattr(
            "core.extract.dating.clause_looks_future",
            lambda doc, view, clause, folded, start, end: clauses.tense_index(doc, view, clause, folded).looks_future(
                start - clause[0], end - clause[0]
            ),
        )
        plain = rows()
    assert fast == plain and len(fast) >= 4
