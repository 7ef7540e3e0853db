from datetime import date

import pytest

from core.extract.pubdate import issue_estimate, next_publishing_day, parse_header_date
from tests.helpers import run


def test_pubdate_calendar_and_latest_note_give_the_day():
    doc = run("Publication: Monitor Volume: 7 Issue: 50\n\nMoscow and Seoul met (Interfax, March 8; Yonhap, March 9).", published=None)
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


def test_pubdate_a_date_the_text_only_mentions_is_never_borrowed():
    doc = run("On March 3, 2004, the envoy arrived in Pyongyang.", published=None)
    assert doc.meta.published is None
    assert doc.meta.date_method == "unknown"
    assert any("date unknown" in w for w in doc.warnings)


# Each way an article gives its date, in the order of trust (header > date line > dateline > file name).
@pytest.mark.parametrize(
    ("text", "name", "expected", "method"),
    [
        ("Title: Talks\nDate: 2019-04-25\n\nThe leaders met on Thursday.", "x.txt", date(2019, 4, 25), "header"),
        ("Title: Talks\nPublished: April 25, 2019\n\nThe leaders met.", "2018-01-01-x.txt", date(2019, 4, 25), "header"),
        ("Talks on the island\n\nApril 25, 2019\n14:30\nVladivostok\n\nThe leaders met.", "x.txt", date(2019, 4, 25), "date line"),
        (
            "Title: Talks\n\nJune 19, 2024, 15:30, Pyongyang\n\nThe two leaders signed a treaty.",
            "20230101.txt",
            date(2024, 6, 19),
            "date line",
        ),
        ("VLADIVOSTOK, Russia, Sept. 6, 2017 (AP) -- The two presidents met.", "x.txt", date(2017, 9, 6), "dateline"),
        (
            "MOSCOW, Aug. 4 (Xinhua) -- The two leaders met. A treaty of July 19, 2000 was cited.",
            "wire_2001-08-05.txt",
            date(2001, 8, 4),
            "dateline+file name",
        ),
        ("SEOUL, Jan. 2 (Yonhap) -- Officials met.", "wire-20020104.txt", date(2002, 1, 2), "dateline+file name"),
        ("SEOUL, Dec. 30 (Yonhap) -- Officials met.", "wire-20020102.txt", date(2001, 12, 30), "dateline+file name"),
        ("The two leaders met in Moscow on August 4, 2001.", "kremlin_2001-08-04_talks.txt", date(2001, 8, 4), "file name"),
        ("The two leaders met in Moscow.", "20010804-talks.html", date(2001, 8, 4), "file name"),
    ],
)
def test_pubdate_each_source_of_the_date(text, name, expected, method):
    doc = run(text, published=None, name=name)
    assert (doc.meta.published, doc.meta.date_method) == (expected, method)


@pytest.mark.parametrize("name", ["2001-13-45_x.txt", "x_20011345.txt", "report-12345678.txt", "v2001.txt"])
def test_pubdate_file_names_without_a_valid_date_give_none(name):
    doc = run("The two leaders met.", published=None, name=name)
    assert doc.meta.published is None and doc.meta.date_method == "unknown"


def test_pubdate_dateline_without_a_year_or_file_date_asks_and_says_what_it_saw():
    doc = run("MOSCOW, Aug. 4 (Xinhua) -- The two leaders met on July 19, 2000.", published=None)
    assert doc.meta.published is None
    assert any("08-04" in w for w in doc.warnings)


def test_pubdate_user_date_overrides():
    doc = run("Publication: Monitor Volume: 5 Issue: 160\n\nText (AP, August 30).", published="1999-09-02")
    assert doc.meta.published == date(1999, 9, 2)
    assert doc.meta.date_method == "user"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12 March 2003", date(2003, 3, 12)),
        ("March 12, 2003", date(2003, 3, 12)),
        ("2003-03-12", date(2003, 3, 12)),
        ("Wednesday, March 12, 2003", date(2003, 3, 12)),
    ],
)
def test_pubdate_header_formats(value, expected):
    assert parse_header_date(value)[0] == expected


def test_pubdate_weekday_calendar_helpers():
    assert issue_estimate(2000, 1, {"days": "weekdays"}) == date(2000, 1, 3)
    assert next_publishing_day(date(2000, 5, 19), {"days": "weekdays"}) == date(2000, 5, 22)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("MOSCOW, Aug. 4 (Xinhua) -- The two leaders met on Friday.", "2001-08-05", date(2001, 8, 4)),
        ("Title: X\nDate: 2001-08-05\n\nThe two leaders met on Friday.", None, date(2001, 8, 5)),
        ("MOSCOW, July 1 (Xinhua) -- Old copy.", "2001-08-05", date(2001, 8, 5)),  # too far back: the article's date
    ],
)
def test_pubdate_reference_date_is_the_datelines_day(text, published, expected):
    from core.extract.pubdate import reference_date

    assert reference_date(run(text, published=published)) == expected


_PAGE = (
    "<html><head><title>Talks</title>{meta}</head><body><article><h1>Talks</h1>"
    "<p>Russian and South Korean officials met in Seoul on March 3, 2004 to discuss railways and gas.</p>"
    "<p>The two sides agreed to meet again in the spring, the foreign ministry said in a statement.</p>"
    "</article></body></html>"
)


@pytest.mark.parametrize(
    ("meta", "name", "expected", "method"),
    [
        ('<meta property="article:published_time" content="2004-03-05T10:00:00Z">', "page.html", date(2004, 3, 5), "header"),
        ("", "page.html", None, "unknown"),  # only the text mentions a date: not borrowed
        ("", "page_2004-03-06.html", date(2004, 3, 6), "file name"),
    ],
)
def test_pubdate_html_page_metadata_then_file_name(meta, name, expected, method):
    from core.extract.pipeline import process
    from core.text.reading import read_bytes

    doc = process(read_bytes(_PAGE.format(meta=meta).encode(), name))
    assert (doc.meta.published, doc.meta.date_method) == (expected, method)
