from datetime import date

import pytest

from core.pubdate import issue_estimate, next_publishing_day, parse_header_date
from tests.helpers import run


def test_pubdate_calendar_and_latest_note_give_the_day():
    doc = run("Publication: Monitor Volume: 7 Issue: 50\n\nMoscow and Seoul met (Interfax, March 8; "
              "Yonhap, March 9).", published=None)
    assert doc.meta.published == date(2001, 3, 12)  # March 9, 2001 was a Friday → next Monday
    assert doc.meta.date_method == "calendar+notes"
    assert doc.meta.date_precision == "day"


def test_pubdate_successor_publication_has_its_own_calendar():
    doc = run("Eurasia Daily Monitor Volume: 2 Issue: 100\n\nThe talks ended (RIA, May 24).", published=None)
    assert doc.meta.published == date(2005, 5, 25)


def test_pubdate_header_date_wins():
    doc = run("Title: X\nDate: 14 June 2006\n\nPutin met Roh (AP, June 12).", published=None)
    assert doc.meta.published == date(2006, 6, 14)
    assert doc.meta.date_method == "header"


def test_pubdate_calendar_alone_estimates_from_the_issue_number():
    doc = run("Publication: Monitor Volume: 5 Issue: 20\n\nNo notes in this text.", published=None)
    assert doc.meta.date_method == "calendar"
    assert doc.meta.published.year == 1999 and doc.meta.published.month == 1
    assert doc.meta.date_precision == "month"


def test_pubdate_unknown_is_flagged_not_fatal():
    doc = run("South Korea and Russia discussed debt (AP, May 3).", published=None)
    assert doc.meta.published is None
    assert doc.meta.date_method == "unknown"
    assert any("date" in w for w in doc.warnings)


def test_pubdate_full_date_in_text_is_a_fallback():
    doc = run("On March 3, 2004, the envoy arrived in Pyongyang.", published=None)
    assert doc.meta.published == date(2004, 3, 3)
    assert doc.meta.date_method == "text"


def test_pubdate_user_date_overrides():
    doc = run("Publication: Monitor Volume: 5 Issue: 160\n\nText (AP, August 30).", published="1999-09-02")
    assert doc.meta.published == date(1999, 9, 2)
    assert doc.meta.date_method == "user"


@pytest.mark.parametrize(("value", "expected"), [
    ("12 March 2003", date(2003, 3, 12)), ("March 12, 2003", date(2003, 3, 12)),
    ("2003-03-12", date(2003, 3, 12)), ("Wednesday, March 12, 2003", date(2003, 3, 12)),
])
def test_pubdate_header_formats(value, expected):
    assert parse_header_date(value)[0] == expected


def test_pubdate_weekday_calendar_helpers():
    assert issue_estimate(2000, 1, {"days": "weekdays"}) == date(2000, 1, 3)
    assert next_publishing_day(date(2000, 5, 19), {"days": "weekdays"}) == date(2000, 5, 22)
