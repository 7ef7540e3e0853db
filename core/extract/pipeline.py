"""The extraction pipeline: a list of steps, each taking a document and returning it.

Every step declares what it reads (``requires``) and what it writes (``assigns``) on the document,
by attribute name ("doc.sentences", "doc.meta.published", or "ctx.user_date" for what the caller
passed in the :class:`RunContext`), as spaCy's ``Language.component(requires=…, assigns=…)`` does;
:func:`analyze` checks at import that each step only reads what an earlier one wrote (``E018``),
so a reordered or new step fails loudly rather than reading an empty list. ``process`` runs the
steps in order; ``to_rows`` turns the annotated document into table rows (built by
:func:`core.domain.schema.row`, so each has exactly its table's columns), each with its evidence.
"""

from __future__ import annotations

import dataclasses
import gc
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from core.domain.cameo import goldstein, quad_class
from core.domain.schema import SEQUENCE_IDS, columns, row, sequence_id
from core.errors import ContractError
from core.extract.amounts import find_amounts
from core.extract.citations import date_citations, find_citations
from core.extract.dating import date_sentences
from core.extract.events import find_events
from core.extract.header import parse_header
from core.extract.mentions import find_mentions
from core.extract.pubdate import infer_published
from core.extract.segment import split_paragraphs, split_sentences
from core.text.document import ArticleMeta, Document
from core.text.reading import RawText

_EVENT_LETTER, _AMOUNT_LETTER = SEQUENCE_IDS["events"][1], SEQUENCE_IDS["amounts"][1]


@dataclass(frozen=True)
class RunContext:
    """What the caller knows about one run besides the text: a date the user set overrides
    whatever the text suggests. Steps that need it declare ``ctx.…`` in their ``requires``."""

    user_date: date | None = None


@dataclass(frozen=True)
class Step:
    """One pipeline step and its contract: the attributes it reads and the ones it writes.

    ``fn`` takes the document, and the run context too when the step requires a ``ctx.``
    attribute. ``doc.cache`` (the declared DocViews, memos any step may fill) is scratch, not part of a contract.
    """

    name: str
    fn: Callable[..., Document]
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # answered once, not per article (not a field: equality and repr stay the contract's)
        object.__setattr__(self, "_uses_context", any(a.startswith("ctx.") for a in self.requires))

    @property
    def uses_context(self) -> bool:
        return self._uses_context  # type: ignore[attr-defined]

    def __call__(self, doc: Document, ctx: RunContext) -> Document:
        return self.fn(doc, ctx) if self._uses_context else self.fn(doc)  # type: ignore[attr-defined]


def _pubdate(doc: Document, ctx: RunContext) -> Document:
    return infer_published(doc, ctx.user_date)


def _final_warnings(doc: Document) -> Document:
    """What the whole run found wanting: no text after the header, dates no calendar has."""
    if not doc.text[doc.body_start :].strip():
        doc.warnings.append("the article has no text after its header")
    impossible = [tx.text for tx in doc.timexes if tx.spec.get("impossible")]
    if impossible:  # "February 30": left undated rather than guessed
        shown = ", ".join(repr(t) for t in dict.fromkeys(impossible[:5]))
        doc.warnings.append(f"{len(impossible)} date(s) that no calendar has were left undated ({shown})")
    return doc


#: What :func:`make_document` fills from the file read, before any step runs.
READ_ASSIGNS: tuple[str, ...] = (
    "doc.text",
    "doc.source_file",
    "doc.encoding",
    "doc.format",
    "doc.warnings",
    "doc.meta.title",
    "doc.meta.header_date",
)
#: Parts of a document attribute with a contract of their own: the dates of the citations (``cited``,
#: ``cited_end``) are written after the article's date, by another step than the citations themselves.
PARTS: tuple[str, ...] = ("doc.citations.cited",)
#: What the caller's :class:`RunContext` holds.
CONTEXT_ASSIGNS: tuple[str, ...] = tuple(f"ctx.{f.name}" for f in dataclasses.fields(RunContext))

_META = ("doc.meta.publication", "doc.meta.volume", "doc.meta.issue")
STEPS: list[Step] = [
    Step(
        "header",
        parse_header,
        requires=("doc.text", "doc.format", "doc.meta.title"),
        assigns=("doc.body_start", *_META, "doc.meta.title", "doc.meta.header_date", "doc.meta.date_line", "doc.meta.place"),
    ),
    Step(
        "paragraphs",
        split_paragraphs,
        requires=("doc.text", "doc.body_start", "doc.meta.title"),
        assigns=("doc.paragraphs", "doc.title_span", "doc.warnings"),
    ),
    Step("sentences", split_sentences, requires=("doc.text", "doc.paragraphs"), assigns=("doc.sentences", "doc.warnings")),
    Step(
        "citations",
        find_citations,
        requires=("doc.text", "doc.body_start", "doc.meta.place"),
        assigns=("doc.citations", "doc.dateline", "doc.meta.place"),
    ),
    Step(
        "pubdate",
        _pubdate,
        requires=(
            "ctx.user_date",
            "doc.text",
            "doc.source_file",
            *_META,
            "doc.meta.header_date",
            "doc.meta.date_line",
            "doc.dateline",
            "doc.citations",
        ),
        assigns=(
            "doc.meta.published",
            "doc.meta.date_method",
            "doc.meta.date_precision",
            "doc.meta.date_note",
            "doc.meta.citation_anchor",
            "doc.warnings",
        ),
    ),
    Step(
        "citation_dates",
        date_citations,
        requires=("doc.citations", "doc.meta.published", "doc.meta.citation_anchor"),
        assigns=("doc.citations.cited",),
    ),
    Step(
        "mentions",
        find_mentions,
        # (body_start, title_span: where the text starts, from which the shared automaton pass also
        # leaves the status cues' starts for the events step, core.extract.mentions._shared_starts)
        requires=(
            "doc.text",
            "doc.body_start",
            "doc.title_span",
            "doc.citations",
            "doc.dateline",
            "doc.meta.publication",
            "doc.meta.published",
        ),
        assigns=("doc.mentions", "doc.found_actors"),
    ),
    Step(
        "dates",
        date_sentences,
        requires=(
            "doc.text",
            "doc.body_start",
            "doc.title_span",
            "doc.sentences",
            "doc.citations",
            "doc.citations.cited",
            "doc.meta.published",
        ),
        assigns=("doc.timexes",),
    ),
    Step(
        "events",
        find_events,
        requires=(
            "doc.text",
            "doc.body_start",
            "doc.title_span",
            "doc.paragraphs",
            "doc.sentences",
            "doc.citations",
            "doc.citations.cited",
            "doc.mentions",
            "doc.found_actors",
            "doc.timexes",
            "doc.meta.published",
            "doc.meta.date_precision",
        ),
        assigns=("doc.events",),
    ),
    Step(
        "amounts",
        find_amounts,
        requires=(
            "doc.text",
            "doc.body_start",
            "doc.title_span",
            "doc.sentences",
            "doc.citations",
            "doc.mentions",
            "doc.timexes",
            "doc.meta.published",
            "doc.meta.date_precision",
        ),
        assigns=("doc.amounts",),
    ),
    Step("warnings", _final_warnings, requires=("doc.text", "doc.body_start", "doc.timexes"), assigns=("doc.warnings",)),
]


def known_attributes() -> frozenset[str]:
    """Every name a contract may use: the document's fields, its meta's, the run context's."""
    doc = {f"doc.{f.name}" for f in dataclasses.fields(Document) if f.name not in ("meta", "cache")}
    meta = {f"doc.meta.{f.name}" for f in dataclasses.fields(ArticleMeta)}
    return frozenset(doc | meta | set(PARTS) | set(CONTEXT_ASSIGNS))


def analyze(steps: Iterable[Step], given: Iterable[str] = READ_ASSIGNS + CONTEXT_ASSIGNS) -> list[dict[str, object]]:
    """Check the steps' contracts in order and return one row per step (name, requires, assigns).

    Raises ``E019`` for a name that is no attribute (a typo would otherwise pass every check) and
    ``E018`` for the first step that requires what neither the reading nor an earlier step assigns.
    """
    known = known_attributes()
    available = set(given)
    table: list[dict[str, object]] = []
    for step in steps:
        for attribute in (*step.requires, *step.assigns):
            if attribute not in known:
                raise ContractError("E019", step=step.name, attribute=attribute)
        for attribute in step.requires:
            if attribute not in available:
                raise ContractError("E018", step=step.name, attribute=attribute)
        available.update(step.assigns)
        table.append({"step": step.name, "requires": step.requires, "assigns": step.assigns})
    return table


CONTRACTS = analyze(STEPS)


def make_document(raw: RawText) -> Document:
    """The document as read, before any step: text, file facts, and a title or date the page gave."""
    doc = Document(text=raw.text, source_file=raw.source_file, encoding=raw.encoding, format=raw.format, warnings=list(raw.warnings))
    if raw.title:
        doc.meta.title = raw.title
    if raw.date:
        doc.meta.header_date = raw.date
    return doc


# (Measured, xspeed3: the collector still costs 1-4% of the benchmark after a pause, walking the live
# Document it finds in the young generation; gc.freeze()+gc.unfreeze() at the end of a pause ages it
# without the walk, +0.8% in-process, but it also ages the caller's young garbage, which then waits
# for a full collection: not kept. Extraction itself leaves no reference cycles.)
_gc_lock = threading.Lock()
_gc_pauses = 0  # extractions running now that paused the cyclic garbage collector
_gc_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while an article is extracted.

    Why: extraction allocates hundreds of thousands of small objects that stay referenced until
    the article is done, and the collector kept re-walking them (and every long-lived object, such
    as the lexicon and the actor dictionary) as they piled up: a quarter of the time of a 2 MB
    article, growing faster than its length. Nothing in the pipeline relies on cycles being freed
    before it returns; the collector runs again afterwards as usual (reference counting frees
    everything else meanwhile). Re-entrant and thread-safe: the collector resumes, if it was on,
    when the last extraction running ends. Output is unaffected (tests/test_speedups_pipeline.py).
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def process(raw: RawText, user_date: date | None = None, *, context: RunContext | None = None) -> Document:
    """Run every step; ``user_date`` (or ``context.user_date``) overrides whatever date the text suggests.
    The steps' scratch memos are dropped before returning (see :func:`drop_scratch`)."""
    with gc_paused():
        doc = _process(raw, context or RunContext(user_date=user_date))
        drop_scratch(doc)
        return doc


def drop_scratch(doc: Document) -> None:
    """Forget what the steps memoised for each other (``doc.cache``, ``doc.sentence_clauses``).

    Why: nothing reads them once the last step has run (they are scratch, in no step's contract, and
    ``to_rows`` reads annotations only), but they are about half the objects an article leaves alive,
    and the collector, which runs again as the pause ends (see :func:`gc_paused`), walked them all:
    dropped here they are freed at once by reference counting instead, and the walk is half as long
    (xspeed4: 58 → 27 µs per synthetic article, about 0.8% of extraction). The annotations and the
    rows are the same (tests/test_speedups_pipeline.py)."""
    doc.cache.clear()
    doc.sentence_clauses.clear()


def _process(raw: RawText, context: RunContext | date | None) -> Document:
    ctx = context if isinstance(context, RunContext) else RunContext(user_date=context)
    doc = make_document(raw)
    for step in STEPS:
        doc = step(doc, ctx)
    return doc


def _checked(rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Every row as :func:`core.domain.schema.row` makes it. Each table's rows here come from one dict
    literal, so their keys are the same, in the same order: when the first row's are its table's
    columns, every row is already what ``row`` would return (a copy of it), and is kept as it is;
    otherwise each goes through ``row`` (which fills defaults, or names a column the table lacks)."""
    for table, found in rows.items():
        if found and list(found[0]) != columns(table):
            rows[table] = [row(table, values) for values in found]
    return rows


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def to_rows(doc: Document) -> dict[str, list[dict]]:
    """Table rows of one processed article, keyed by table name (the collector paused, see gc_paused)."""
    with gc_paused():
        return _to_rows(doc)


def _to_rows(doc: Document) -> dict[str, list[dict]]:
    content_hash = doc.content_hash
    aid = content_hash[:12]  # doc.article_id, without hashing the text twice
    meta = doc.meta
    body = doc.text[doc.body_start :]
    words = body.split()
    rows: dict[str, list[dict]] = {
        "articles": [
            {
                "article_id": aid,
                "source_file": doc.source_file,
                "publication": meta.publication,
                "volume": meta.volume,
                "issue": meta.issue,
                "published_date": _iso(meta.published),
                "title": meta.title or _first_words(words),
                "date_method": meta.date_method,
                "date_precision": meta.date_precision,
                "date_note": meta.date_note,
                "encoding": doc.encoding,
                "format": doc.format,
                "n_chars": len(doc.text),
                "n_words": len(words),
                "content_hash": content_hash,
                "warnings": "; ".join(doc.warnings),
                "origin": "article",
            }
        ],
        "sentences": [
            {
                "article_id": aid,
                "sentence_id": s.idx,
                "paragraph_id": s.paragraph,
                "start_char": s.start,
                "end_char": s.end,
                "text": s.text,
            }
            for s in doc.sentences
        ],
        "mentions": [],
        "citations": [],
        "events": [],
        "amounts": [],
        "found_actors": [
            {"article_id": aid, "actor_id": f.actor_id, "name": f.name, "kind": f.kind, "country": f.country, "rule": f.rule}
            for f in doc.found_actors.values()
        ],
    }
    sentence_at = doc.sentence_finder()
    # (comprehensions rather than append loops, dates written inline: the rows are the same, about
    # a fifth less time; tests/test_speedups_pipeline.py compares with the loop version)
    rows["mentions"] = [
        {
            "article_id": aid,
            "actor_id": m.actor_id,
            "text": m.text,
            "start_char": m.start,
            "end_char": m.end,
            "sentence_id": s.idx if (s := sentence_at(m.start)) is not None else None,
            "rule": m.rule,
        }
        for m in doc.mentions
    ]
    rows["citations"] = [
        {
            "article_id": aid,
            "agency": c.agency,
            "cited_date": c.cited.isoformat() if c.cited else "",
            "cited_end": c.cited_end.isoformat() if c.cited_end else "",
            "raw": c.raw,
            "start_char": c.start,
            "end_char": c.end,
            "sentence_id": s.idx if (s := sentence_at(c.start)) is not None else None,
        }
        for c in doc.citations
    ]
    cameo: dict[str, tuple[int, float]] = {}  # code → (quad class, Goldstein), looked up once per article
    sentences = doc.sentences
    events = rows["events"]
    for i, e in enumerate(doc.events, 1):
        sent = sentences[e.sentence]
        code = e.cameo_code
        numbers = cameo.get(code)
        if numbers is None:
            numbers = cameo[code] = (quad_class(code), goldstein(code))
        start_date = e.start_date
        end_date = e.end_date or start_date
        events.append(
            {
                "event_id": sequence_id(aid, _EVENT_LETTER, i),
                "article_id": aid,
                "start_date": start_date.isoformat() if start_date else "",
                "end_date": end_date.isoformat() if end_date else "",
                "date_precision": e.date_precision,
                "event_type": e.event_type,
                "cameo_root": code[:2],
                "quad_class": numbers[0],
                "goldstein": numbers[1],
                "status": e.status,
                "actors": ";".join(e.actors),
                "location": e.location,
                "evidence": sent.text,
                "sources": ";".join(e.sources),
                "cameo_code": code,
                "source_actor": e.source_actor,
                "target_actor": e.target_actor,
                "topics": ";".join(e.topics),
                "date_text": e.date_text,
                "date_rule": e.date_rule,
                "type_rule": e.type_rule,
                "status_rule": e.status_rule,
                "confidence": round(e.confidence, 2),
                "sentence_id": e.sentence,
                "evidence_start": sent.start,
                "evidence_end": sent.end,
                "also_sentences": ";".join(map(str, e.also_sentences)) if e.also_sentences else "",
                "origin": "article",
                "source_url": "",
            }
        )
    rows["amounts"] = [
        {
            "amount_id": sequence_id(aid, _AMOUNT_LETTER, i),
            "article_id": aid,
            "value_usd": a.value_usd,
            "category": a.category,
            "status": a.status,
            "as_of_date": a.as_of_date.isoformat() if a.as_of_date else "",
            "evidence": sentences[a.sentence].text,
            "as_of_end": a.as_of_end.isoformat() if a.as_of_end else "",
            "date_precision": a.date_precision,
            "raw_text": a.raw_text,
            "from_actor": a.from_actor,
            "to_actor": a.to_actor,
            "topics": ";".join(a.topics),
            "rule": a.rule,
            "sentence_id": a.sentence,
            "start_char": a.start,
            "end_char": a.end,
            "origin": "article",
            "source_url": "",
            "note": a.note,
        }
        for i, a in enumerate(doc.amounts, 1)
    ]
    return _checked(rows)


def _first_words(words: list[str], n: int = 12) -> str:
    return " ".join(words[:n]) + ("…" if len(words) > n else "")
