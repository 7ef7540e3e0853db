"""Domain rules as data (core.domain.rules, core.domain.cameo.QUAD_NAMES): each read from one file in data/, used
by the steps through that one owner, and written nowhere else in the code."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from core.config import DATA_DIR
from core.domain import cameo
from core.domain import rules as domain
from core.extract.status import decide
from core.text.datafiles import read_csv_rows
from tests.helpers import run

ROOT = Path(__file__).resolve().parents[1]
DOMAIN_FILES = [
    "quad_classes.csv",
    "statuses.csv",
    "pronouns.csv",
    "anaphor_nouns.csv",
    "name_stop_words.csv",
    "money_multipliers.csv",
]


@pytest.mark.parametrize("name", DOMAIN_FILES)
def test_domain_files_open_with_their_sources(name: str) -> None:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    header = [ln for ln in lines if ln.startswith("#")]
    assert lines[0].startswith("#") and any("Source" in ln for ln in header), f"data/{name} needs a source note"
    rows = read_csv_rows(name)
    first = next(iter(rows[0]))
    keys = [r[first] for r in rows]
    assert rows and len(keys) == len(set(keys)), f"data/{name}: a {first} listed twice"


def test_domain_quad_class_ranges_cover_every_root_once() -> None:
    """Every CAMEO root falls in exactly one QuadClass range, so every code has one class."""
    roots = cameo.quad_roots()
    for code, row in cameo.cameo_table().items():
        holding = [q for q, (first, last) in roots.items() if first <= row["root"] <= last]
        assert len(holding) == 1, f"CAMEO {code} (root {row['root']}) is in QuadClass ranges {holding}"
        assert row["quad_class"] == str(holding[0]) and code.startswith(row["root"])
    assert sorted(cameo.QUAD_NAMES) == sorted(roots) and len(set(cameo.QUAD_NAMES.values())) == len(roots)


@pytest.mark.parametrize(
    ("root", "quad"), [("01", 1), ("05", 1), ("06", 2), ("09", 2), ("10", 3), ("14", 3), ("15", 4), ("20", 4), ("21", 0), ("00", 0)]
)
def test_domain_quad_of_root(root: str, quad: int) -> None:
    assert cameo.quad_of_root(root) == quad


@pytest.mark.parametrize("code", ["010", "0211", "057", "061", "0874", "112", "1384", "1712", "204"])
def test_domain_quad_name_of_a_code_is_that_of_its_root_range(code: str) -> None:
    quad = cameo.quad_class(code)
    first, last = cameo.quad_roots()[quad]
    assert first <= code[:2] <= last and cameo.QUAD_NAMES[quad]


def test_domain_status_orders_cover_the_same_statuses() -> None:
    assert set(domain.STATUSES) == set(domain.STATUS_CERTAINTY) == set(domain.STATUS_PRECEDENCE)
    ranks = [domain.STATUS_CERTAINTY[s] for s in domain.STATUSES]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    assert len(set(domain.STATUS_PRECEDENCE.values())) == len(domain.STATUS_PRECEDENCE)


@pytest.mark.parametrize("pair", list(itertools.permutations(domain.STATUSES, 2)))
def test_domain_status_precedence_decides_between_cues(pair: tuple[str, str]) -> None:
    """Two cues reach one act: the status of higher precedence in data/statuses.csv decides, in either order."""
    found = [(s, f"cue:{s}") for s in pair]
    expected = max(pair, key=domain.STATUS_PRECEDENCE.__getitem__)
    assert decide(found)[0] == expected == decide(found[::-1])[0]


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("Officials said that Moscow denied that it had signed the treaty with Seoul.", "denied"),
        ("Moscow reportedly signed a treaty with Seoul.", "reported"),
    ],
)
def test_domain_status_of_sentences_with_cues(sentence: str, status: str) -> None:
    assert [e.status for e in run(sentence).events] == [status]


@pytest.mark.parametrize("noun", domain.GROUP_NOUNS)
def test_domain_every_group_noun_is_read_after_the_two(noun: str) -> None:
    m = re.search(domain.PRONOUN_PATTERN, f"Later the two {noun.title()} agreed.", re.I)
    assert m is not None and m[1].lower() == f"the two {noun}"


@pytest.mark.parametrize("word", domain.PERSONAL_PRONOUNS)
def test_domain_personal_pronouns_are_whole_words(word: str) -> None:
    assert re.search(domain.PRONOUN_PATTERN, f"Then {word} left.", re.I)[1].lower() == word
    assert re.search(domain.PRONOUN_PATTERN, f"Zz{word}zz left.", re.I) is None


@pytest.mark.parametrize(("noun", "roots"), list(domain.ANAPHOR_NOUN_ROOTS.items()))
def test_domain_anaphor_nouns_name_cameo_roots(noun: str, roots: tuple[str, ...]) -> None:
    assert re.search(domain.ANAPHOR_NOUN_PATTERN, f"No one saw the {noun} happen.", re.I)[1] == noun
    assert roots and all(r in cameo.cameo_table() for r in roots)


def test_domain_an_anaphor_noun_turns_the_act_before_it() -> None:
    doc = run("Russia and North Korea held talks in Moscow on May 2. There was no indication that the talks took place.")
    meet = [e for e in doc.events if e.cameo_code.startswith("04")]
    assert meet and meet[0].status != "occurred" and "sentence 2" in meet[0].status_rule


@pytest.mark.parametrize(
    ("word", "factor", "spelled_out"),
    [(r["word"], float(r["factor"]), r["spelled_out"] == "yes") for r in read_csv_rows("money_multipliers.csv")],
)
def test_domain_every_money_multiplier_scales_a_figure(word: str, factor: float, spelled_out: bool) -> None:
    values = [a.value_usd for a in run(f"Russia owes South Korea US$3 {word} in debt.").amounts]
    assert values == [3 * factor]
    if spelled_out:
        values = [a.value_usd for a in run(f"Russia owes South Korea 7 {word} dollars in debt.").amounts]
        assert values == [7 * factor]


@pytest.mark.parametrize("word", sorted(domain.NAME_STOP_WORDS))
def test_domain_name_stop_words_are_single_capitalised_words(word: str) -> None:
    assert re.fullmatch(r"[A-Z][a-z]*", word)


@pytest.mark.parametrize(
    ("sentence", "person"),
    [
        ("Colonel Ivan Pavlovsky Ministry officials met in Seoul on Monday.", "Ivan Pavlovsky"),
        ("Defense Minister Pavel Orlovsky Summit talks began in Seoul.", "Pavel Orlovsky"),
    ],
)
def test_domain_a_name_stops_at_a_stop_word(sentence: str, person: str) -> None:
    names = [f.name for f in run(sentence).found_actors.values() if f.kind == "person"]
    assert names == [person]


# The rules are written once: no module but the owner spells the list out again.
@pytest.mark.parametrize(
    "literal",
    [
        r'"Verbal cooperation"',
        r'"occurred",\s*"reported",\s*"planned"',
        r'"denied":\s*\d',
        r"trillion\|billion",
        r"he\|she\|they",
        r"it\|he\|she",
        r"meeting\|visit\|talks",
        r'"Peninsula",',
    ],
)
def test_domain_rules_are_not_written_out_in_the_code(literal: str) -> None:
    found = [
        str(p.relative_to(ROOT))
        for folder in ("core", "ui", "pages")
        for p in (ROOT / folder).rglob("*.py")
        if re.search(literal, p.read_text(encoding="utf-8"))
    ]
    assert found == []
