"""Speed-ups in core.extract.amounts give exactly what the plain way gives (differential tests on generated text).

- ``_category``: a sentence's first figure is categorised by the plain :func:`categorise` of its
  stretch (and the arms word looked up with one search); the way kept as reference finds every cue
  row's matches in the sentence first and bisects them (:func:`categorise_fast`) for every figure.
"""

from __future__ import annotations

import random

import pytest

from core.extract import amounts
from core.extract.pipeline import process, to_rows
from core.text.reading import RawText

WORDS = [
    "debt",
    "owes",
    "loan",
    "credits",
    "Soviet-era",
    "delivered",
    "supplied",
    "repaid",
    "in lieu of",
    "arms",
    "weapons",
    "tanks",
    "contract",
    "deal",
    "purchase",
    "sold",
    "worth",
    "price",
    "MiG-29",
    "for",
    "of",
    "to",
    "the",
    "and",
    "Moscow",
    "Seoul",
    "Russia",
    "South Korea",
    "$5 million",
    "US$1.8 billion",
    "$400 million",
    "30 percent",
    "12%",
    "dollars",
    "will",
    "possible",
    "said",
    ",",
    "–",
    "in 1999",
    "on May 16",
]


def _article(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(2, 8)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(4, 30))]
        sentences.append(" ".join(words).capitalize() + ".")
    return "Moscow, May 20, 2001\n\n" + " ".join(sentences) + "\n"


def _always_indexed(doc, sent, amt, lo):
    text = doc.text
    table = amounts.AMOUNT_CUES.table(doc)
    spans = table.get(sent.idx)
    if spans is None:
        spans = table[sent.idx] = amounts._cue_spans(text, sent.start, sent.end)
    category, rule = amounts.categorise_fast(text, amt.start, amt.end, lo, sent.end, spans, sent.start)
    return (
        category,
        rule,
        lambda: any(starts for (c, _rx, _w), (starts, _e, _x) in zip(amounts._cues(), spans, strict=True) if c == "arms_context"),
    )


@pytest.mark.parametrize("seed", range(30))
def test_first_figure_plain_equals_always_indexed(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    for k in range(6):
        raw = RawText(text=_article(rng), source_file=f"a{seed}-{k}.txt", encoding="utf-8", format="text")
        fast = to_rows(process(raw))["amounts"]
        with monkeypatch.context() as m:
            m.setattr(amounts, "_category", _always_indexed)
            plain = to_rows(process(raw))["amounts"]
        assert fast == plain


def test_generated_articles_hold_figures_of_several_categories() -> None:
    """The generator reaches the cases compared above: several figures in a sentence, several categories."""
    rng = random.Random(0)
    cats, multi = set(), 0
    for _ in range(40):
        doc = process(RawText(text=_article(rng), source_file="g.txt", encoding="utf-8", format="text"))
        cats |= {a.category for a in doc.amounts}
        per = [a.sentence for a in doc.amounts]
        multi += len(per) - len(set(per))
    assert len(cats) >= 3 and multi >= 10


ODD = ["Σ", "ΟΔΟΣ", "é", "İ", "K", "USD", "Dollars", "PER CENT", "per\\ncent", "%", "$"]


@pytest.mark.parametrize("seed", range(20))
def test_worded_sentences_is_the_per_sentence_test(seed: int) -> None:
    """One search of the whole text per word marks the sentences the per-sentence test would scan."""
    rng = random.Random(seed)
    seen = 0
    for k in range(10):
        text = _article(rng).replace("and", rng.choice(ODD)).replace("the", rng.choice(ODD))
        doc = process(RawText(text=text, source_file=f"w{seed}-{k}.txt", encoding="utf-8", format="text"))
        worded = amounts._worded_sentences(doc)
        if worded is None:
            assert not amounts.plain_case(doc.text)
            continue
        for i, sent in enumerate(doc.sentences):
            low = sent.text.lower()
            assert (i in worded[0]) == any(w in low for w in amounts._MONEY_WORDS), sent.text
            assert (i in worded[1]) == any(w in low for w in amounts._PERCENT_WORDS), sent.text
            seen += 1
    assert seen > 20


@pytest.mark.parametrize("seed", range(10))
def test_amounts_without_the_whole_text_search_are_the_same(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(100 + seed)
    for k in range(5):
        raw = RawText(text=_article(rng), source_file=f"b{seed}-{k}.txt", encoding="utf-8", format="text")
        fast = to_rows(process(raw))["amounts"]
        with monkeypatch.context() as m:
            m.setattr(amounts, "_worded_sentences", lambda doc: None)
            plain = to_rows(process(raw))["amounts"]
        assert fast == plain


GATE_WORDS = [
    *WORDS,
    "DEBT",
    "Arrears",
    "soviet era",
    "SOVIET-ERA",
    "debts-free",
    "sub-contract",
    "contracted",
    "undelivered",
    "in total",
    "so far",
    "since 1998",
    "since the mid-1990s",
    "between 1999 and 2001",
    "over the past two years",
    "ſold",
    "İn lieu of",
    "K",
    "\u212a",
    "tanks’",
    "-",
]


@pytest.mark.parametrize("seed", [21, 22, 23])
def test_categorise_gated_is_categorise(seed: int) -> None:
    """Skipping the cue rows whose words the stretch lacks changes no category or rule (odd-case letters
    such as ſ, İ and the Kelvin sign send the stretch to the plain scan)."""
    rng = random.Random(seed)
    checked = 0
    for _ in range(300):
        text = " ".join(rng.choice(GATE_WORDS) for _ in range(rng.randint(3, 40)))
        figures = [(m.start(), m.end()) for m in amounts._MONEY.finditer(text)] or [(len(text) // 2, len(text) // 2 + 1)]
        for start, end in figures:
            for lo in sorted({0, max(0, start - 120), max(0, start - 7), start}):
                for hi in sorted({len(text), min(len(text), end + 3)}):
                    expected = amounts.categorise(text, start, end, lo, hi)
                    assert amounts.categorise_gated(text, start, end, lo, hi) == expected, (text, start, end, lo, hi)
                    checked += 1
    assert checked > 500
