"""core.views.figures.reader: the annotated article reader escapes every piece of article text."""

from __future__ import annotations

import pandas as pd
import pytest

from core.views.figures import reader
from tests.factories import HOSTILE, article_text, empty_tables, make_tables

T = make_tables(seed=0)
AID = T["articles"]["article_id"].iloc[0]


def test_reader_rebuilds_text_with_offsets_intact() -> None:
    text = reader.text_from_sentences(T["sentences"], AID)
    m = T["mentions"][T["mentions"]["article_id"] == AID]
    for start, end, surface in zip(m["start_char"], m["end_char"], m["text"], strict=True):
        assert text[start:end] == surface
    assert " ".join(text.split()) == " ".join(article_text(T, AID).split())
    assert "\n\n" in text  # paragraph breaks survive


def test_reader_highlights_actors_amounts_and_source_notes() -> None:
    html = reader.article_html(T, AID)
    assert 'data-kind="actor"' in html and 'data-kind="amount"' in html and 'data-kind="citation"' in html
    assert ">Igor Sergeev</mark>" in html or ">Kim Dae-jung</mark>" in html


def test_reader_escapes_hostile_article_text() -> None:
    html = reader.article_html(T, AID)
    assert HOSTILE.split()[0] in html  # the hostile sentence is in this article
    assert "<script>" not in html and "<b>arms</b>" not in html
    assert "&lt;script&gt;" in html


def test_reader_escapes_labels_and_attributes() -> None:
    text = 'He said "hi" to <Bob>.'
    spans = [(0, 2, "actor", 'x" onmouseover="alert(1)'), (17, 22, "date", "<i>")]
    html = reader.annotate(text, spans)
    assert 'onmouseover="' not in html
    assert "&quot; onmouseover=&quot;" in html
    assert "<i>" not in html and "<Bob>" not in html
    assert "&lt;<mark" in html and "Bob&gt;.</mark>" in html


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([(0, 5, "actor", "a"), (2, 8, "date", "b")], 1),  # overlap: keep the first
        ([(0, 5, "actor", "a"), (6, 8, "date", "b")], 2),
        ([(3, 99, "actor", "out of range")], 0),
    ],
)
def test_reader_spans_do_not_overlap(spans, expected: int) -> None:
    tables = {
        "mentions": pd.DataFrame(
            [
                {"article_id": "a", "actor_id": "x", "text": None, "start_char": s, "end_char": e, "sentence_id": 0, "rule": ""}
                for s, e, *_ in spans
            ]
        )
    }
    got = reader.spans_for_article(tables, "a", "0123456789")
    assert len(got) == expected


def test_reader_without_text_says_so() -> None:
    assert "No text" in reader.article_html(empty_tables(), "nothing")
