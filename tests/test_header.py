import pytest

from core.extract.header import parse_header
from core.text.document import Document


def _meta(text: str, fmt: str = "txt"):
    doc = parse_header(Document(text=text, source_file="x", format=fmt))
    return doc.meta, doc.text[doc.body_start :]


@pytest.mark.parametrize(
    ("text", "pub", "vol", "issue"),
    [
        ("Publication: Monitor Volume: 5 Issue: 160\n\nBody.", "Monitor", 5, 160),
        ("Publication: Eurasia Daily Monitor\nVolume: 3\nIssue: 12\n\nBody.", "Eurasia Daily Monitor", 3, 12),
        ("Eurasia Daily Monitor Volume: 2 Issue: 45\n\nBody.", "Eurasia Daily Monitor", 2, 45),
        ("Monitor, Vol. 4, No. 201\n\nBody.", "Monitor", 4, 201),
        ("Source: Jamestown Monitor Volume 6\nIssue: 9\n\nBody.", "Jamestown Monitor", 6, 9),
    ],
)
def test_header_reads_publication_volume_issue(text, pub, vol, issue):
    meta, body = _meta(text)
    assert (meta.publication, meta.volume, meta.issue) == (pub, vol, issue)
    assert body.strip() == "Body."


def test_header_reads_title_source_and_date_lines():
    meta, body = _meta("Title: Seoul and Moscow talk arms\nSource: Yonhap\nDate: 12 March 2003\n\nThe text.")
    assert meta.title == "Seoul and Moscow talk arms"
    assert meta.publication == "Yonhap"
    assert meta.header_date == "12 March 2003"
    assert body.strip() == "The text."


def test_header_absent_leaves_the_whole_text_as_body():
    text = "Russia and North Korea signed a treaty in February.\n\nSecond paragraph."
    meta, body = _meta(text)
    assert meta.publication == "" and meta.volume is None
    assert body == text


def test_header_markdown_title():
    meta, _ = _meta("# Arms for debt\n\nSouth Korea accepted tanks.", fmt="md")
    assert meta.title == "Arms for debt"


# The date, time and place lines that sites print under a headline (written for these tests).
@pytest.mark.parametrize(
    ("text", "date_line", "place", "body"),
    [
        ("Title: Talks\n\nJune 19, 2024, 15:30, Pyongyang\n\nThe leaders met.", "June 19, 2024", "Pyongyang", "The leaders met."),
        ("Title: Talks\n\nMarch 3, 2010\n09:15\nNovo-Ogaryovo\n\nThe leaders met.", "March 3, 2010", "Novo-Ogaryovo", "The leaders met."),
        ("Leaders confer by phone\n\nOctober 2, 2015\n18:00\n\nThe leaders talked.", "October 2, 2015", "", "The leaders talked."),
        ("Title: Talks\n\nPosted May 4th, 2012 at 9:05 am (UTC-5)\n\nOfficials said.", "May 4th, 2012", "", "Officials said."),
        ("Title: Talks\n\nNEWS | Nov. 1, 2022\n\nOfficials said.", "Nov. 1, 2022", "", "Officials said."),
        ("Title: Talks\n\nFriday, 4 August 2006\n\nOfficials said.", "Friday, 4 August 2006", "", "Officials said."),
    ],
)
def test_header_date_lines_under_the_headline(text, date_line, place, body):
    meta, rest = _meta(text)
    assert (meta.date_line, meta.place) == (date_line, place)
    assert rest.strip() == body


@pytest.mark.parametrize(
    "text",
    [
        "Title: Talks\n\nAnnouncement, June 22, 2018\n\nThe president will visit on June 22.",  # an event's date, not the page's
        "Talks resumed on June 19, 2024 in Pyongyang.\n\nMore text.",
        "Title: Talks\n\nThe talks ended.\n\nJune 19, 2024\n\nLate line.",
    ],
)
def test_header_date_lines_only_where_a_date_stands_alone_at_the_top(text):
    meta, _rest = _meta(text)
    assert meta.date_line == ""
