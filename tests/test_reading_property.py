"""Property-based: the reader never raises anything but the product's own error type."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import ArticleError
from core.extract.pipeline import process
from core.text.reading import read_bytes

near_article = st.builds(
    lambda head, body, notes: f"{head}\n\n{body} ({notes})",
    st.sampled_from(
        [
            "Publication: Monitor Volume: 5 Issue: 160",
            "Publication: Volume: Issue:",
            "Title:",
            "Eurasia Daily Monitor Volume: 99999 Issue: 0",
            "",
            "Date: 31 February 2001",
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400),
    st.sampled_from(["AP, May 12, 16", "Itar-Tass, Febtember 40", "AP, May 99-1", ";;", "RIA, 31 June"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from(["a.txt", "b.html", "c.md"]))
def test_reading_property_random_bytes(data, name):
    try:
        raw = read_bytes(data, name)
    except ArticleError:
        return
    process(raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(near_article)
def test_reading_property_near_articles(text):
    try:
        raw = read_bytes(text.encode("utf-8"), "n.txt")
    except ArticleError:
        return
    doc = process(raw)
    for m in doc.mentions:
        assert doc.text[m.start : m.end] == m.text
