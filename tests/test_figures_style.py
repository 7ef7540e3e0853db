"""core.views.figures.style: one template, colour and symbol maps, title/subtitle/source furniture."""

from __future__ import annotations

import random
import textwrap

import plotly.graph_objects as go
import pytest

from core.domain.rules import STATUSES
from core.views.figures import style
from tests.factories import empty_tables, make_tables


def test_style_every_status_has_its_own_symbol() -> None:
    symbols = [style.status_symbol(s) for s in STATUSES]
    assert len(set(symbols)) == len(STATUSES)
    assert style.status_symbol("unheard-of") == style.UNKNOWN_SYMBOL


@pytest.mark.parametrize(("q", "expected"), [(1, "#56B4E9"), ("2", "#0072B2"), (3.0, "#E69F00"), (None, style.UNKNOWN_COLOR)])
def test_style_quad_color(q: object, expected: str) -> None:
    assert style.quad_color(q) == expected


def test_style_finish_sets_template_title_subtitle_and_source() -> None:
    fig = style.finish(go.Figure(), "A <title>", "what it shows", "Source: 2 articles")
    assert fig.layout.template.layout.font.family == style.FONT
    assert fig.layout.title.text == "A &lt;title&gt;"
    assert fig.layout.title.subtitle.text == "what it shows"
    assert fig.layout.annotations[-1].text == "Source: 2 articles"


def test_style_source_line_counts_articles_and_agencies() -> None:
    t = make_tables(seed=5)
    line = style.source_line(t, [t["events"]])
    n = t["events"].loc[t["events"]["article_id"] != "", "article_id"].nunique()
    assert line.startswith(f"Source: {n} articles (Monitor)")
    assert "reference rows" in line and "agencies: " in line
    assert style.source_line(empty_tables(), []) == "Source: 0 articles, agencies: none cited"


@pytest.mark.parametrize(("text", "width"), [("<script>x</script> " * 10, 30), ("", 10), (None, 10)])
def test_style_wrap_escapes_and_breaks(text, width: int) -> None:
    out = style.wrap(text, width)
    assert "<script>" not in out
    assert all(len(line) <= width + 12 for line in out.split("<br>"))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("width", [20, 40, 70])
def test_style_wrap_matches_textwrap_on_plain_prose(seed: int, width: int) -> None:
    rng = random.Random(seed)
    words = [
        "Moscow",
        "agreed",
        "to",
        "supply",
        "MiG-29",
        "fighters",
        "and",
        "the",
        "debt",
        "of",
        "$1.7",
        "billion",
        "Pyongyang",
        "rejected",
        "talks",
        "Ivanov",
        "said",
        "on",
        "August",
        "29",
    ]
    prose = " ".join(rng.choice(words) for _ in range(rng.randint(1, 60)))
    expected = [x.replace("&", "&amp;") for x in textwrap.wrap(prose, width=width, break_on_hyphens=False)][:8]
    got = style.wrap(prose, width, 8).split("<br>")
    assert [g.removesuffix(" …") for g in got] == expected


def test_style_empty_figure_is_recognisable() -> None:
    fig = style.empty_figure("T")
    assert style.is_empty_figure(fig)
    assert not style.is_empty_figure(go.Figure())
