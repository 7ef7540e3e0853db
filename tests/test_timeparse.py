from datetime import date

import pytest

from core.text.timeparse import find_timexes, resolve

ANCHOR = date(2000, 5, 18)  # a Thursday


@pytest.mark.parametrize(
    ("text", "future", "start", "end", "precision"),
    [
        ("talks from September 2-4", True, "2000-09-02", "2000-09-04", "day"),
        ("met on May 16", False, "2000-05-16", "2000-05-16", "day"),
        ("will meet on June 12-14", True, "2000-06-12", "2000-06-14", "day"),
        ("signed in February", False, "2000-02-01", "2000-02-29", "month"),
        ("will sign in February", True, "2001-02-01", "2001-02-28", "month"),
        ("left last week", None, "2000-05-08", "2000-05-14", "day"),
        ("arrives later this week", None, "2000-05-19", "2000-05-21", "day"),
        ("arrived earlier this week", None, "2000-05-15", "2000-05-17", "day"),
        ("visit early next year", True, "2001-01-01", "2001-05-01", "month"),
        ("in July of last year", None, "1999-07-01", "1999-07-31", "month"),
        ("last July", None, "1999-07-01", "1999-07-31", "month"),
        ("next month", None, "2000-06-01", "2000-06-30", "month"),
        ("during the past decade", None, "1990-05-18", "2000-05-18", "year"),
        ("over the past two years", None, "1998-05-18", "2000-05-18", "year"),
        ("three years ago", None, "1997-01-01", "1997-12-31", "year"),
        ("yesterday", None, "2000-05-17", "2000-05-17", "day"),
        ("in the 1990s", None, "1990-01-01", "1999-12-31", "year"),
        ("on December 14, 1990", None, "1990-12-14", "1990-12-14", "day"),
        ("on 30 September 1990", None, "1990-09-30", "1990-09-30", "day"),
        ("in 1996", None, "1996-01-01", "1996-12-31", "year"),
        ("in 1996-1998", None, "1996-01-01", "1998-12-31", "year"),
        ("in March 2003", None, "2003-03-01", "2003-03-31", "month"),
        ("late last year", None, "1999-09-02", "1999-12-31", "month"),
        ("on Monday", False, "2000-05-15", "2000-05-15", "day"),
        ("next spring", None, "2001-03-01", "2001-05-31", "month"),
        ("May 30-June 2", True, "2000-05-30", "2000-06-02", "day"),
        ("2000-05-16", None, "2000-05-16", "2000-05-16", "day"),
    ],
)
def test_timeparse_resolves_against_the_article_date(text, future, start, end, precision):
    found = find_timexes(text)
    assert found, f"nothing found in {text!r}"
    tx = resolve(found[0], ANCHOR, future)
    assert (tx.start_date.isoformat(), tx.end_date.isoformat(), tx.precision) == (start, end, precision)


def test_timeparse_the_next_day_counts_from_the_reference_time():
    (tx,) = find_timexes("the next day")
    resolve(tx, ANCHOR, None, reference=date(2000, 2, 9))
    assert tx.start_date == date(2000, 2, 10)
    (tx,) = find_timexes("the day before")
    resolve(tx, ANCHOR, None, reference=date(2000, 2, 9))
    assert tx.start_date == date(2000, 2, 8)


@pytest.mark.parametrize(
    "text",
    [
        "Seoul may buy tanks",
        "the May Day parade was cancelled",
        "US$500 million",
        "90 percent of the debt",
        "three Russian submarines",
    ],
)
def test_timeparse_ignores_words_that_are_not_dates(text):
    assert [t.text for t in find_timexes(text)] == []


def test_timeparse_spans_do_not_set_reference_time():
    (span,) = find_timexes("during the past decade")
    (point,) = find_timexes("on May 16")
    assert not span.anchor and point.anchor


def test_timeparse_is_deterministic_whatever_today_is():
    a = resolve(find_timexes("last week")[0], ANCHOR)
    b = resolve(find_timexes("last week")[0], ANCHOR)
    assert (a.start_date, a.end_date) == (b.start_date, b.end_date) == (date(2000, 5, 8), date(2000, 5, 14))
