import pytest

from core.document import Document
from core.header import parse_header


def _meta(text: str, fmt: str = "txt"):
    doc = parse_header(Document(text=text, source_file="x", format=fmt))
    return doc.meta, doc.text[doc.body_start:]


@pytest.mark.parametrize(("text", "pub", "vol", "issue"), [
    ("Publication: Monitor Volume: 5 Issue: 160\n\nBody.", "Monitor", 5, 160),
    ("Publication: Eurasia Daily Monitor\nVolume: 3\nIssue: 12\n\nBody.", "Eurasia Daily Monitor", 3, 12),
    ("Eurasia Daily Monitor Volume: 2 Issue: 45\n\nBody.", "Eurasia Daily Monitor", 2, 45),
    ("Monitor, Vol. 4, No. 201\n\nBody.", "Monitor", 4, 201),
    ("Source: Jamestown Monitor Volume 6\nIssue: 9\n\nBody.", "Jamestown Monitor", 6, 9),
])
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
