from core.extract.segment import split_paragraphs, split_sentences
from core.text.document import Document


def _sentences(text: str) -> list[str]:
    doc = split_sentences(split_paragraphs(Document(text=text, source_file="x")))
    for s in doc.sentences:
        assert doc.text[s.start : s.end] == s.text  # offsets point at the text
    return [s.text for s in doc.sentences]


def test_segment_splits_sentences_but_not_abbreviations():
    got = _sentences("The U.S. Secretary of State met Gen. Ivanov in Moscow. Talks ended on Friday. Then Igor D. Sergeev flew home.")
    assert got == ["The U.S. Secretary of State met Gen. Ivanov in Moscow.", "Talks ended on Friday.", "Then Igor D. Sergeev flew home."]


def test_segment_keeps_source_note_with_its_sentence():
    got = _sentences("Seoul agreed to buy tanks. (Yonhap, March 3) Moscow welcomed the deal.")
    assert got[0] == "Seoul agreed to buy tanks. (Yonhap, March 3)"


def test_segment_paragraphs_by_blank_lines_with_offsets():
    text = "Header line\n\nFirst para one. First para two.\n\n  Second para.\n"
    doc = split_sentences(split_paragraphs(Document(text=text, source_file="x")))
    assert [doc.text[p.start : p.end] for p in doc.paragraphs] == ["Header line", "First para one. First para two.", "Second para."]
    assert [s.paragraph for s in doc.sentences] == [0, 1, 1, 2]


def test_segment_quotes_and_closing_marks():
    got = _sentences("“The talks were useful,” he said. “We will meet again.” The envoy left.")
    assert len(got) == 3
