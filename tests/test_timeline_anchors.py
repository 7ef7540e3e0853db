"""Dates an analyst can trust: relative expressions resolved against the right anchor, with the
precision the text gives and no invented day. Sentences written for these tests; each row gives the
article's date, the text, and the start, end and precision of the first event's date."""

from __future__ import annotations

import pytest

from tests.helpers import iso, run

CASES = [
    # the article's date (Thursday 18 May 2000) is the anchor
    ("last-saturday", "2000-05-18", "Minister Ivan Petrov visited Seoul last Saturday.", "2000-05-13", "2000-05-13", "day"),
    ("earlier-this-month", "2000-05-18", "Minister Ivan Petrov visited Tokyo earlier this month.", "2000-05-01", "2000-05-17", "month"),
    ("early-next-year", "2000-05-18", "Minister Ivan Petrov will visit Tokyo early next year.", "2001-01-01", "2001-05-01", "month"),
    ("late-last-month", "2000-05-18", "Minister Ivan Petrov visited Tokyo late last month.", "2000-04-21", "2000-04-30", "month"),
    ("early-next-week", "2000-05-18", "Minister Ivan Petrov will visit Tokyo early next week.", "2000-05-22", "2000-05-23", "day"),
    ("first-half-of", "2000-05-18", "Minister Ivan Petrov visited Tokyo in the first half of April.", "2000-04-01", "2000-04-15", "month"),
    (
        "second-half-of",
        "2000-05-18",
        "Minister Ivan Petrov will visit Tokyo in the second half of June.",
        "2000-06-16",
        "2000-06-30",
        "month",
    ),
    (
        "end-of-month-year",
        "2000-05-18",
        "Minister Ivan Petrov will visit Tokyo at the end of June 2001.",
        "2001-06-21",
        "2001-06-30",
        "month",
    ),
    # a report date in the sentence is the anchor of its weekdays and "yesterday"
    (
        "reported-on-date",
        "2000-05-18",
        "Minister Ivan Petrov met Minister Kim Chol-su on Wednesday, Yonhap reported on May 12.",
        "2000-05-10",
        "2000-05-10",
        "day",
    ),
    (
        "reported-on-weekday",
        "2000-05-22",
        "Minister Ivan Petrov met Minister Kim Chol-su on Friday, KCNA reported on Saturday.",
        "2000-05-19",
        "2000-05-19",
        "day",
    ),
    (
        "dateline",
        "2000-05-18",
        "MOSCOW, May 12 (Itar-Tass) -- Minister Ivan Petrov met Minister Kim Chol-su on Wednesday.",
        "2000-05-10",
        "2000-05-10",
        "day",
    ),
    (
        "yesterday-reported",
        "2000-05-18",
        "Minister Ivan Petrov met Minister Kim Chol-su yesterday, Yonhap reported on May 12.",
        "2000-05-11",
        "2000-05-11",
        "day",
    ),
    # without a report date, the article's date stays the anchor
    ("weekday-article", "2000-05-18", "Minister Ivan Petrov met Minister Kim Chol-su on Wednesday.", "2000-05-17", "2000-05-17", "day"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_relative_dates_resolve_against_the_right_anchor(case):
    _id, published, text, start, end, precision = case
    doc = run(text, published=published)
    assert doc.events, text
    ev = doc.events[0]
    assert (iso(ev.start_date), iso(ev.end_date), ev.date_precision) == (start, end, precision), ev.date_rule


@pytest.mark.parametrize(
    "text",
    [
        "Minister Ivan Petrov will visit Tokyo next year.",
        "Minister Ivan Petrov visited Tokyo in 1998.",
        "Minister Ivan Petrov will visit Tokyo in June.",
    ],
)
def test_no_day_precision_is_invented(text):
    doc = run(text, published="2000-05-18")
    assert doc.events and all(e.date_precision in ("month", "year") for e in doc.events), [
        (e.date_precision, e.date_rule) for e in doc.events
    ]
