"""Pipeline step contracts (core.extract.pipeline): the import-time check, and each declaration against what
the step really reads and writes on documents written for these tests."""

from __future__ import annotations

import copy
import dataclasses
from datetime import date

import pytest

from core.errors import ContractError
from core.extract import pipeline as P
from core.extract import segment
from core.extract.citations import date_citations
from core.text.document import ArticleMeta, Citation, Document
from core.text.reading import RawText

STEP = {s.name: s for s in P.STEPS}


def _without(name: str) -> list[P.Step]:
    return [s for s in P.STEPS if s.name != name]


def _moved(name: str, before: str) -> list[P.Step]:
    rest = _without(name)
    i = [s.name for s in rest].index(before)
    return [*rest[:i], STEP[name], *rest[i:]]


def test_contracts_the_real_pipeline_passes_and_lists_every_step() -> None:
    table = P.analyze(P.STEPS)
    # written out by hand: the order a reader of the README expects (a step moved or dropped shows here)
    assert [r["step"] for r in table] == [
        "header", "paragraphs", "sentences", "citations", "pubdate", "citation_dates",
        "mentions", "dates", "events", "amounts", "warnings",
    ]  # fmt: skip
    by_step = {r["step"]: r for r in table}
    # a few contract facts a change must not lose silently
    assert "doc.sentences" in by_step["sentences"]["assigns"] and "doc.paragraphs" in by_step["sentences"]["requires"]
    assert "ctx.user_date" in by_step["pubdate"]["requires"]
    assert "doc.citations.cited" in by_step["citation_dates"]["assigns"]
    assert {"doc.mentions", "doc.timexes"} <= set(by_step["events"]["requires"])


@pytest.mark.parametrize(
    ("steps", "step", "attribute"),
    [
        (_moved("sentences", before="paragraphs"), "sentences", "doc.paragraphs"),
        (_moved("events", before="mentions"), "events", "doc.mentions"),
        (_moved("pubdate", before="citations"), "pubdate", "doc.dateline"),
        (_moved("citation_dates", before="pubdate"), "citation_dates", "doc.meta.published"),
        (_moved("dates", before="citation_dates"), "dates", "doc.citations.cited"),
        (_without("citation_dates"), "dates", "doc.citations.cited"),
        (_without("dates"), "events", "doc.timexes"),
        (_without("header"), "paragraphs", "doc.body_start"),
        ([P.Step("reader", lambda d: d, requires=("doc.events",))], "reader", "doc.events"),
    ],
    ids=[
        "sentences-first",
        "events-before-mentions",
        "pubdate-before-citations",
        "citation-dates-first",
        "dates-before-citation-dates",
        "no-citation-dates",
        "no-dates",
        "no-header",
        "lone-reader",
    ],
)
def test_contracts_a_step_reading_what_nothing_before_it_writes_is_e018(steps, step, attribute) -> None:
    with pytest.raises(ContractError) as err:
        P.analyze(steps)
    assert err.value.code == "E018"
    assert (err.value.details["step"], err.value.details["attribute"]) == (step, attribute)
    assert step in str(err.value) and attribute in str(err.value)


@pytest.mark.parametrize(
    ("requires", "assigns", "attribute"),
    [
        (("doc.sentnces",), (), "doc.sentnces"),
        (("doc.text",), ("doc.meta.pubdate",), "doc.meta.pubdate"),
        (("ctx.today",), (), "ctx.today"),
        (("doc.cache",), (), "doc.cache"),
    ],
)
def test_contracts_a_name_that_is_no_attribute_is_e019(requires, assigns, attribute) -> None:
    with pytest.raises(ContractError) as err:
        P.analyze([P.Step("typo", lambda d: d, requires=requires, assigns=assigns)])
    assert err.value.code == "E019" and err.value.details["attribute"] == attribute


def test_contracts_a_later_step_may_read_what_an_earlier_one_assigns() -> None:
    steps = [
        P.Step("a", lambda d: d, requires=("doc.text",), assigns=("doc.events",)),
        P.Step("b", lambda d: d, requires=("doc.events", "ctx.user_date"), assigns=("doc.amounts",)),
    ]
    assert [r["step"] for r in P.analyze(steps)] == ["a", "b"]


# --- the declarations against reality -------------------------------------------------------------

# The document's annotations; scratch fields (working state a step keeps for itself, like ``cache``)
# are no part of any contract.
_DOC_FIELDS = {f.name for f in dataclasses.fields(Document) if not f.metadata.get("scratch")} - {"meta", "cache"}
_META_FIELDS = {f.name for f in dataclasses.fields(ArticleMeta)}
_READS: list[str] = []


class _ReadDoc(Document):
    """A document that notes every field read (the meta through :class:`_ReadMeta`)."""

    def __getattribute__(self, name: str):
        if name in _DOC_FIELDS:
            _READS.append("doc." + name)
        return object.__getattribute__(self, name)


class _ReadMeta(ArticleMeta):
    def __getattribute__(self, name: str):
        if name in _META_FIELDS:
            _READS.append("doc.meta." + name)
        return object.__getattribute__(self, name)


class _ReadCitation(Citation):
    """A citation that notes reads of its dates (a contract part of their own: ``doc.citations.cited``)."""

    __slots__ = ()  # Citation has slots: the same layout, so a citation's class can be swapped

    def __getattribute__(self, name: str):
        if name in ("cited", "cited_end"):
            _READS.append("doc.citations.cited")
        return object.__getattribute__(self, name)


_DATES = ("cited", "cited_end")


def _snapshot(doc: Document) -> dict[str, object]:
    out = {"doc." + n: copy.deepcopy(object.__getattribute__(doc, n)) for n in _DOC_FIELDS - {"citations"}}
    meta = object.__getattribute__(doc, "meta")
    out |= {"doc.meta." + n: copy.deepcopy(object.__getattribute__(meta, n)) for n in _META_FIELDS}
    citations = object.__getattribute__(doc, "citations")
    fields = [f.name for f in dataclasses.fields(Citation)]
    out["doc.citations"] = [tuple(object.__getattribute__(c, f) for f in fields if f not in _DATES) for c in citations]
    dates = [tuple(object.__getattribute__(c, f) for f in _DATES) for c in citations]
    out["doc.citations.cited"] = [(i, d) for i, d in enumerate(dates) if d != (None, None)]
    return out


# Written for these tests: each way of giving a date, notes, datelines, pronouns, money, a bad date.
TEXTS = [
    (
        "monitor.txt",
        "Publication: Monitor Volume: 6 Issue: 40\n\nIgor Sergeev met Cho Sung-tae in Seoul on "
        "February 24 (Itar-Tass, February 25; Yonhap, February 26). He said Moscow would deliver US$50 million of "
        "helicopters to Seoul against its debt.\n\nThe talks went on until February 30.",
    ),
    (
        "wire.txt",
        "SEOUL, Oct. 10, 2003 (Yonhap) -- North Korea and Russia signed a railway agreement on Thursday. "
        "The deal is worth $2 billion, officials said.",
    ),
    ("plain.txt", "WASHINGTON (AP) — The United States criticized North Korea's missile launch on Monday."),
    (
        "2012-03-04_page.txt",
        "Title: A visit\nDate: 2012-03-04\n\nPresident Putin will visit Pyongyang in May. Kim Jong-un welcomed the plan.",
    ),
    (
        "island.txt",
        "Talks on the island\n\nApril 25, 2019\n14:30\nVladivostok\n\nColonel General Pavel Orlovsky met "
        "Minister Pak Chol-min. Orlovsky praised him.",
    ),
    ("undated.txt", "Tokyo and Seoul discussed the talks (AP, May 3)."),
    ("header-only.txt", "Title: Nothing else\nDate: 2001-01-01\n\n"),
    ("long.txt", "Moscow and Seoul agreed " + "and agreed " * 250 + "on May 4.\n\n" + "a\n\n" * 12),
]


def _observe(user_date: date | None) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Per step: the attributes it read and those it changed, over every text (memos cleared
    before each step, so a step cannot borrow what another computed)."""
    reads: dict[str, set[str]] = {s.name: set() for s in P.STEPS}
    changed: dict[str, set[str]] = {s.name: set() for s in P.STEPS}
    ctx = P.RunContext(user_date=user_date)
    for name, text in TEXTS:
        doc = P.make_document(RawText(text=text, source_file=name, encoding="utf-8", format="txt"))
        doc.__class__ = _ReadDoc
        doc.meta.__class__ = _ReadMeta
        for step in P.STEPS:
            object.__getattribute__(doc, "cache").clear()
            before = _snapshot(doc)
            _READS.clear()
            doc = step(doc, ctx)
            reads[step.name].update(_READS)
            after = _snapshot(doc)
            changed[step.name].update(k for k in before if before[k] != after[k])
            for c in object.__getattribute__(doc, "citations"):
                c.__class__ = _ReadCitation
    return reads, changed


@pytest.fixture(scope="module")
def observed():
    """Both ways of running: the date inferred, and given by the user; the paragraph guard at 10
    (the real limit is 20,000) so a short text exercises it."""
    mp = pytest.MonkeyPatch()
    real = segment.cached_yaml
    mp.setattr(segment, "cached_yaml", lambda n: {**real(n), "max_paragraphs": 10} if n == "bounds.yaml" else real(n))
    try:
        inferred = _observe(None)
        given = _observe(date(2003, 10, 11))
    finally:
        mp.undo()
    return inferred, given


@pytest.mark.parametrize("step", [s.name for s in P.STEPS])
def test_contracts_a_step_writes_only_what_it_assigns(step, observed) -> None:
    for _reads, changed in observed:
        assert changed[step] <= set(STEP[step].assigns), f"{step} writes undeclared {changed[step] - set(STEP[step].assigns)}"


@pytest.mark.parametrize("step", [s.name for s in P.STEPS])
def test_contracts_a_step_reads_only_what_it_requires_or_assigns(step, observed) -> None:
    declared = set(STEP[step].requires) | set(STEP[step].assigns)
    for reads, _changed in observed:
        assert reads[step] <= declared, f"{step} reads undeclared {reads[step] - declared}"


@pytest.mark.parametrize("step", [s.name for s in P.STEPS])
def test_contracts_every_declared_assignment_happens_on_some_text(step, observed) -> None:
    seen = set().union(*(changed[step] for _reads, changed in observed))
    assert set(STEP[step].assigns) <= seen, f"{step} never wrote {set(STEP[step].assigns) - seen}"


@pytest.mark.parametrize("step", [s.name for s in P.STEPS if s.requires])
def test_contracts_every_declared_requirement_is_read(step, observed) -> None:
    seen = set().union(*(reads[step] for reads, _changed in observed))
    document_reads = {a for a in STEP[step].requires if a.startswith("doc.")}
    assert document_reads <= seen, f"{step} never read {document_reads - seen}"


# --- the run context and the citation dates ------------------------------------------------------


@pytest.mark.parametrize("user_date", [date(2004, 2, 3), None])
def test_contracts_the_user_date_travels_in_the_run_context(user_date) -> None:
    raw = RawText(text="Seoul and Moscow agreed on a loan on Monday.", source_file="x.txt", encoding="utf-8", format="txt")
    by_arg = P.process(raw, user_date)
    by_ctx = P.process(raw, context=P.RunContext(user_date=user_date))
    assert by_ctx.meta.published == by_arg.meta.published == user_date
    assert by_ctx.meta.date_method == ("user" if user_date else "unknown")
    assert [e.start_date for e in by_ctx.events] == [e.start_date for e in by_arg.events]


def _doc_with_notes(published: date | None, anchor: date | None) -> Document:
    doc = Document(text="x", source_file="x.txt")
    doc.meta.published, doc.meta.citation_anchor = published, anchor
    doc.citations = [
        Citation(0, 1, "AP", "(AP, Dec. 30)", 12, 30),
        Citation(0, 1, "Reuters", "(Reuters, Jan. 2-4)", 1, 2, 1, 4),
        Citation(0, 1, "AP", "WASHINGTON (AP) —", None, None, kind="dateline"),
    ]
    return doc


@pytest.mark.parametrize(
    ("published", "anchor", "expected"),
    [
        # the notes dated the article: their years come from the calendar's anchor
        (date(2001, 1, 8), date(2001, 2, 15), [("2000-12-30", ""), ("2001-01-02", "2001-01-04"), ("2001-01-08", "")]),
        # dated otherwise: from the article's own date
        (date(2001, 1, 8), None, [("2000-12-30", ""), ("2001-01-02", "2001-01-04"), ("2001-01-08", "")]),
        (date(2005, 6, 1), None, [("2004-12-30", ""), ("2005-01-02", "2005-01-04"), ("2005-06-01", "")]),
        # no date at all: nothing is guessed
        (None, None, [("", ""), ("", ""), ("", "")]),
    ],
)
def test_contracts_citation_dates_step_reads_years_from_the_article_date(published, anchor, expected) -> None:
    doc = date_citations(_doc_with_notes(published, anchor))
    got = [(c.cited.isoformat() if c.cited else "", c.cited_end.isoformat() if c.cited_end else "") for c in doc.citations]
    assert got == expected


def test_contracts_pubdate_leaves_the_citations_as_it_found_them() -> None:
    raw = RawText(
        text="Publication: Monitor Volume: 7 Issue: 50\n\nMoscow and Seoul met (Interfax, March 8; Yonhap, March 9).",
        source_file="m.txt",
        encoding="utf-8",
        format="txt",
    )
    doc = P.make_document(raw)
    ctx = P.RunContext()
    for step in P.STEPS[: [s.name for s in P.STEPS].index("pubdate")]:
        doc = step(doc, ctx)
    before = copy.deepcopy(doc.citations)
    doc = STEP["pubdate"](doc, ctx)
    assert doc.citations == before and doc.meta.published == date(2001, 3, 12)
    doc = STEP["citation_dates"](doc, ctx)
    assert [c.cited for c in doc.citations] == [date(2001, 3, 8), date(2001, 3, 9)]
