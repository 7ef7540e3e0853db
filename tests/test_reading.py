import pytest

from core.errors import ArticleError
from core.text.reading import read_bytes, read_path


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "empty.txt", "E001"),
        (b"   \n\n  ", "blank.txt", "E001"),
        (b"\x00\x01\x02\x03binary\x00" * 50, "blob.txt", "E003"),
        (bytes(range(256)) * 20, "random.txt", "E003"),
        (b"text", "picture.png", "E005"),
        (b"<html><body><script>var x=1;</script><nav>menu</nav></body></html>", "page.html", "E004"),
    ],
)
def test_reading_rejects_bad_input_with_a_code(data, name, code):
    with pytest.raises(ArticleError) as info:
        read_bytes(data, name)
    assert info.value.code == code
    assert info.value.message


def test_reading_refuses_files_over_the_limit(monkeypatch, tmp_path):
    monkeypatch.setenv("RUSKOR_MAX_BYTES", "1000")
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 1001)
    with pytest.raises(ArticleError) as info:
        read_path(big)
    assert info.value.code == "E002"
    assert "1,001" in info.value.message


def test_reading_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ArticleError) as info:
        read_path(tmp_path / "nope.txt")
    assert info.value.code == "E006"


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("cp1252", "Moscow’s debt to Seoul – “US$1.8 billion” was discussed at length by both sides."),
        ("latin-1", "Les ministres se sont rencontrés à Séoul pour discuter de la dette soviétique."),
        ("utf-16", "Russian Defense Minister Igor Sergeev visited Seoul in September."),
    ],
)
def test_reading_detects_other_encodings_and_says_so(encoding, text):
    raw = read_bytes((text * 3).encode(encoding), "a.txt")
    assert text in raw.text
    if encoding != "utf-16":
        assert any("decoded as" in w for w in raw.warnings)


def test_reading_utf8_bom_and_crlf_are_normalised():
    raw = read_bytes("\ufeffPublication: Monitor\r\n\r\nBody text here.\r\n".encode("utf-8-sig"), "a.txt")
    assert raw.text.startswith("Publication: Monitor\n")
    assert "\r" not in raw.text


HTML_PAGE = """<!DOCTYPE html><html><head><title>Sergeev to visit Seoul</title>
<meta property="article:published_time" content="1999-08-31"><script>alert(1)</script></head>
<body><nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<article><h1>Sergeev to visit Seoul</h1>
<p>Russian Defense Minister Igor Sergeev is scheduled to travel to South Korea later this week,
where he will hold talks with President Kim Dae-jung and other top South Korean officials.</p>
<p>Russian officials are hoping to promote a series of possible arms deals which would see South
Korea purchase Russian military hardware in partial repayment for Moscow's debt.</p></article>
<footer>Copyright 1999</footer></body></html>"""


def test_reading_html_keeps_article_text_and_drops_scripts_and_navigation():
    raw = read_bytes(HTML_PAGE.encode(), "page.html")
    assert raw.format == "html"
    assert "Igor Sergeev is scheduled" in raw.text
    assert "alert(1)" not in raw.text
    assert "About" not in raw.text
    assert raw.title == "Sergeev to visit Seoul"


def test_reading_html_in_a_txt_file_is_recognised_and_flagged():
    raw = read_bytes(HTML_PAGE.encode(), "saved.txt")
    assert raw.format == "html"
    assert any("HTML" in w for w in raw.warnings)
    assert "<p>" not in raw.text
