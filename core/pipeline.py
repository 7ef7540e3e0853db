"""The extraction pipeline: a list of steps, each taking a document and returning it.

``process`` runs them in order; ``to_rows`` turns the annotated document into table rows
(built by :func:`core.schema.row`, so each has exactly its table's columns), each with its evidence.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

from core.amounts import find_amounts
from core.cameo import goldstein, quad_class
from core.citations import find_citations
from core.document import Document
from core.events import find_events
from core.header import parse_header
from core.mentions import find_mentions
from core.pubdate import infer_published
from core.reading import RawText
from core.schema import row
from core.segment import split_paragraphs, split_sentences
from core.timeline import date_sentences

Step = Callable[[Document], Document]

STEPS: list[tuple[str, Step]] = [
    ("header", parse_header),
    ("paragraphs", split_paragraphs),
    ("sentences", split_sentences),
    ("citations", find_citations),
    ("pubdate", infer_published),
    ("mentions", find_mentions),
    ("dates", date_sentences),
    ("events", find_events),
    ("amounts", find_amounts),
]


def make_document(raw: RawText) -> Document:
    return Document(text=raw.text, source_file=raw.source_file, encoding=raw.encoding, format=raw.format, warnings=list(raw.warnings))


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


def process(raw: RawText, user_date: date | None = None) -> Document:
    """Run every step; ``user_date`` overrides whatever date the text suggests."""
    with gc_paused():
        return _process(raw, user_date)


def _process(raw: RawText, user_date: date | None) -> Document:
    doc = make_document(raw)
    if raw.title:
        doc.meta.title = raw.title
    if raw.date:
        doc.meta.header_date = raw.date
    for name, step in STEPS:
        if name == "pubdate":
            doc = infer_published(doc, user_date)
        else:
            doc = step(doc)
    if not doc.text[doc.body_start :].strip():
        doc.warnings.append("the article has no text after its header")
    impossible = [tx.text for tx in doc.timexes if tx.spec.get("impossible")]
    if impossible:  # "February 30": left undated rather than guessed
        shown = ", ".join(repr(t) for t in dict.fromkeys(impossible[:5]))
        doc.warnings.append(f"{len(impossible)} date(s) that no calendar has were left undated ({shown})")
    return doc


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
            row(
                "articles",
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
                },
            )
        ],
        "sentences": [
            row(
                "sentences",
                {
                    "article_id": aid,
                    "sentence_id": s.idx,
                    "paragraph_id": s.paragraph,
                    "start_char": s.start,
                    "end_char": s.end,
                    "text": s.text,
                },
            )
            for s in doc.sentences
        ],
        "mentions": [],
        "citations": [],
        "events": [],
        "amounts": [],
        "found_actors": [
            row(
                "found_actors",
                {"article_id": aid, "actor_id": f.actor_id, "name": f.name, "kind": f.kind, "country": f.country, "rule": f.rule},
            )
            for f in doc.found_actors.values()
        ],
    }
    sentence_at = doc.sentence_finder()
    for m in doc.mentions:
        s = sentence_at(m.start)
        rows["mentions"].append(
            row(
                "mentions",
                {
                    "article_id": aid,
                    "actor_id": m.actor_id,
                    "text": m.text,
                    "start_char": m.start,
                    "end_char": m.end,
                    "sentence_id": s.idx if s else None,
                    "rule": m.rule,
                },
            )
        )
    for c in doc.citations:
        s = sentence_at(c.start)
        rows["citations"].append(
            row(
                "citations",
                {
                    "article_id": aid,
                    "agency": c.agency,
                    "cited_date": _iso(c.cited),
                    "cited_end": _iso(c.cited_end),
                    "raw": c.raw,
                    "start_char": c.start,
                    "end_char": c.end,
                    "sentence_id": s.idx if s else None,
                },
            )
        )
    cameo: dict[str, tuple[int, float]] = {}  # code → (quad class, Goldstein), looked up once per article
    for i, e in enumerate(doc.events):
        sent = doc.sentences[e.sentence]
        numbers = cameo.get(e.cameo_code)
        if numbers is None:
            numbers = cameo[e.cameo_code] = (quad_class(e.cameo_code), goldstein(e.cameo_code))
        rows["events"].append(
            row(
                "events",
                {
                    "event_id": f"{aid}-e{i + 1:03d}",
                    "article_id": aid,
                    "start_date": _iso(e.start_date),
                    "end_date": _iso(e.end_date or e.start_date),
                    "date_precision": e.date_precision,
                    "event_type": e.event_type,
                    "cameo_root": e.cameo_code[:2],
                    "quad_class": numbers[0],
                    "goldstein": numbers[1],
                    "status": e.status,
                    "actors": ";".join(e.actors),
                    "location": e.location,
                    "evidence": sent.text,
                    "sources": ";".join(e.sources),
                    "cameo_code": e.cameo_code,
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
                    "also_sentences": ";".join(str(x) for x in e.also_sentences),
                    "origin": "article",
                    "source_url": "",
                },
            )
        )
    for i, a in enumerate(doc.amounts):
        sent = doc.sentences[a.sentence]
        rows["amounts"].append(
            row(
                "amounts",
                {
                    "amount_id": f"{aid}-a{i + 1:03d}",
                    "article_id": aid,
                    "value_usd": a.value_usd,
                    "category": a.category,
                    "status": a.status,
                    "as_of_date": _iso(a.as_of_date),
                    "evidence": sent.text,
                    "as_of_end": _iso(a.as_of_end),
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
                },
            )
        )
    return rows


def _first_words(words: list[str], n: int = 12) -> str:
    return " ".join(words[:n]) + ("…" if len(words) > n else "")
