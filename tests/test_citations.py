from datetime import date

import pytest

from core.extract.citations import nearest_before, normalise_agency, parse_note
from tests.helpers import iso, run


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("AP, AFP, August 30", [("AP", 8, 30), ("AFP", 8, 30)]),
        ("Itar-Tass, August 29; AP, AFP, August 30", [("ITAR-TASS", 8, 29), ("AP", 8, 30), ("AFP", 8, 30)]),
        (
            "AP, May 12, 16; UPI, May 15-16; RIA, May 16; Reuters, The Korea Herald, May 17",
            [("AP", 5, 12), ("AP", 5, 16), ("UPI", 5, 15), ("RIA", 5, 16), ("Reuters", 5, 17), ("Korea Herald", 5, 17)],
        ),
        ("Kommersant daily, May 17", [("Kommersant", 5, 17)]),
        ("The Korea Herald, February 10, May 10", [("Korea Herald", 2, 10), ("Korea Herald", 5, 10)]),
        ("International agencies, May 28-30", [("International agencies", 5, 28)]),
        ("Yonhap, Dec. 30; KCNA, January 2", [("Yonhap", 12, 30), ("KCNA", 1, 2)]),
        ("RIA Novosti, 5 March", [("RIA", 3, 5)]),
        ("Interfax", [("Interfax", None, None)]),
    ],
)
def test_citations_parse_notes_into_agency_date_rows(note, expected):
    rows = parse_note(note)
    assert rows is not None
    assert [(a, d[0], d[1]) for a, d in rows] == expected


@pytest.mark.parametrize(
    "note",
    [
        "reports differ on the model",
        "see below",
        "ROK",
        "1999",
        "about US$1 billion",
        "in May",
        "the so-called Brown Bear programme",
        "Moscow and Seoul",
    ],
)
def test_citations_ignore_parentheses_that_are_not_notes(note):
    assert parse_note(note) is None


def test_citations_range_keeps_its_end_date():
    doc = run("Seoul and Moscow talked (UPI, May 15-16).", published="2000-05-18")
    (c,) = doc.citations
    assert (c.cited, c.cited_end) == (date(2000, 5, 15), date(2000, 5, 16))


def test_citations_years_cross_new_year_back_to_december():
    assert nearest_before(date(2001, 1, 4), 12, 30) == date(2000, 12, 30)
    assert nearest_before(date(2000, 5, 18), 5, 17) == date(2000, 5, 17)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("Itar-Tass", "ITAR-TASS"),
        ("TASS", "ITAR-TASS"),
        ("The Korea Herald", "Korea Herald"),
        ("Kommersant daily", "Kommersant"),
        ("RIA-Novosti", "RIA"),
        ("Some Local Paper", "Some Local Paper"),
    ],
)
def test_citations_agency_names_are_normalised(raw, canonical):
    assert normalise_agency(raw) == canonical


def test_citations_a_bad_part_does_not_spoil_the_good_ones():
    rows = parse_note("Segodnya, May 5; see the Monitor, April 30")
    assert [(a, d[0], d[1]) for a, d in rows] == [("Segodnya", 5, 5)]


def test_citations_dates_joined_by_and():
    rows = parse_note("Interfax, May 30 and 31")
    assert [(a, d[1]) for a, d in rows] == [("Interfax", 30), ("Interfax", 31)]


# Datelines of wire dispatches (sentences written for these tests): agency rows dated against the
# article's date, the way source notes are.
@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("MOSCOW, Aug. 4 (Xinhua) -- Russia and China agreed on trade.", "2001-08-05", [("Xinhua", "2001-08-04")]),
        ("SEOUL, Oct 10 (Yonhap) — South Korea protested.", "2006-10-10", [("Yonhap", "2006-10-10")]),
        ("PYONGYANG, June 19 (KCNA) Kim Jong Un received the guest.", "2024-06-20", [("KCNA", "2024-06-19")]),
        ("Seoul, Dec. 30 (Yonhap) -- Officials met.", "2002-01-02", [("Yonhap", "2001-12-30")]),
        ("VLADIVOSTOK, Russia, Sept. 6, 2017 (AP) – The presidents met.", "2017-09-07", [("AP", "2017-09-06")]),
        ("UNITED NATIONS, Oct. 3 (AP/Yonhap) -- The council met.", "2006-10-04", [("AP", "2006-10-03"), ("Yonhap", "2006-10-03")]),
        ("BEIJING, 4 August (Xinhua) - Talks opened.", "2005-08-04", [("Xinhua", "2005-08-04")]),
        ("WASHINGTON (AP) — The envoy left for Seoul.", "2003-05-02", [("AP", "2003-05-02")]),
        ("SEOUL, South Korea (AP) — The envoy left.", "2003-05-02", [("AP", "2003-05-02")]),
        ("MOSCOW, September 20. /TASS/. Russia offered aid.", "2016-09-21", [("ITAR-TASS", "2016-09-20")]),
        ("MOSCOW. Oct 10 (Interfax) - Russia offered aid.", "2016-10-10", [("Interfax", "2016-10-10")]),
        (
            "TOKYO, March 1 (Kyodo) -- Japan protested (Interfax, February 28).",
            "2004-03-01",
            [("Kyodo", "2004-03-01"), ("Interfax", "2004-02-28")],
        ),
    ],
)
def test_citations_datelines(text, published, expected):
    doc = run(text, published=published)
    assert [(c.agency, iso(c.cited)) for c in doc.citations] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Moscow and Seoul (Reuters) said the talks went well.",  # not at a line start in capitals
        "The minister said (in Moscow, May 4) that talks would go on.",
        "He met Putin, May 4 (Unknown Gazette) -- later.",  # no outlet known
        "August 4 (Xinhua) -- talks.",
    ],
)
def test_citations_no_dateline_without_place_and_known_agency(text):
    doc = run(text, published="2001-08-05")
    assert not [c for c in doc.citations if c.kind == "dateline"]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("MOSCOW, Aug. 4 (Xinhua) -- Talks opened.", "Moscow"),
        ("UNITED NATIONS, Oct. 3 (AP) -- The council met.", "United Nations"),
        ("Seoul, Oct. 10 (Yonhap) -- Officials met.", "Seoul"),
    ],
)
def test_citations_dateline_gives_the_place_filed_from(text, place):
    doc = run(text, published="2005-10-10")
    assert doc.meta.place == place and doc.dateline.place.lower() == place.lower()
