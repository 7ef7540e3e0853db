"""The document every pipeline step takes and returns, and the annotations it carries.

Steps only add annotations; the text itself never changes after reading, so every offset
stays valid from the first step to the exported row.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import pairwise
from typing import ClassVar, Generic, TypeVar

from core.text.patterns import lowered, plain_case


@dataclass(slots=True)
class Span:
    start: int
    end: int


class SpanSet:
    """Offsets covered by any of some [start, end) spans (source notes, mostly), by bisection.

    Same answer as ``any(a <= x < b for a, b in spans)`` without walking every span per question.
    """

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for a, b in sorted(sp for sp in spans if sp[0] < sp[1]):
            if self.ends and a <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], b)
            else:
                self.starts.append(a)
                self.ends.append(b)

    def __contains__(self, offset: int) -> bool:
        i = bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.ends[i]

    def __bool__(self) -> bool:
        return bool(self.starts)

    def meets(self, start: int, end: int) -> bool:
        """Does any span hold an offset of [start, end)? (``any(o in self for o in range(start, end))``
        in one bisection: a caller that asks about many offsets of one stretch, such as the mentions
        of a sentence, can skip the per-offset questions when the stretch meets no span.)"""
        i = bisect_right(self.starts, end - 1) - 1  # the last span starting before ``end``
        return start < end and i >= 0 and self.ends[i] > start


@dataclass(slots=True)
class Sentence(Span):
    idx: int
    paragraph: int
    text: str


@dataclass(slots=True)
class Mention(Span):
    actor_id: str
    text: str
    rule: str


@dataclass(slots=True)
class FoundActor:
    """An actor met in the text that the dictionary does not hold (a person, mostly)."""

    actor_id: str
    name: str
    kind: str
    country: str
    rule: str


@dataclass(slots=True)
class Citation(Span):
    agency: str
    raw: str
    month: int | None
    day: int | None
    end_month: int | None = None
    end_day: int | None = None
    cited: date | None = None
    cited_end: date | None = None
    kind: str = "note"  # "note": a source note in parentheses; "dateline": a dispatch's dateline
    year: int | None = None  # a year written with the day ("SEOUL, Oct. 10, 2003 (Yonhap)")


@dataclass(slots=True)
class Timex(Span):
    """A temporal expression resolved (or not) against the article's date."""

    text: str
    rule: str
    start_date: date | None = None
    end_date: date | None = None
    precision: str = ""
    anchor: bool = True  # may set the paragraph's reference time
    spec: dict = field(default_factory=dict)  # what was parsed, for resolving later
    sentence: int = -1


@dataclass(slots=True)
class Event(Span):
    """One act found in one sentence; ``start``/``end`` are the trigger's offsets."""

    sentence: int
    trigger: str
    cameo_code: str
    event_type: str
    type_rule: str
    actors: list[str] = field(default_factory=list)
    source_actor: str = ""
    target_actor: str = ""
    status: str = "occurred"
    status_rule: str = "default:past"
    start_date: date | None = None
    end_date: date | None = None
    date_precision: str = ""
    date_text: str = ""
    date_rule: str = ""
    location: str = ""
    sources: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    confidence: float = 0.5
    also_sentences: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Amount(Span):
    sentence: int
    raw_text: str
    value_usd: float | None
    category: str
    rule: str
    status: str = "occurred"
    status_rule: str = ""
    as_of_date: date | None = None
    as_of_end: date | None = None
    date_precision: str = ""
    from_actor: str = ""  # who owes, pays or delivers
    to_actor: str = ""  # who is owed or receives
    topics: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class ArticleMeta:
    publication: str = ""
    volume: int | None = None
    issue: int | None = None
    title: str = ""
    header_date: str = ""
    published: date | None = None
    date_method: str = "unknown"
    date_precision: str = ""
    date_note: str = ""
    date_line: str = ""  # the date (time, place) line under a headline: "June 19, 2024, 15:30, Pyongyang"
    place: str = ""  # the place that line or the dateline names
    citation_anchor: date | None = None  # the day the source notes' years were read against, when they dated the article


T = TypeVar("T")


class DocView(Generic[T]):
    """A value derived from a document that several calls (or steps) read: declared once, where it is
    computed, with a name and what it holds, and kept in ``Document.cache`` under this object.

    Why: per-document memos used to be tuple keys written inline (``("cues",)``, ``("note", dated)``);
    nothing listed them, a typo made a second memo, and a reader could not tell what a key held. Each
    is now a typed object (``DocView[dict[int, list[Mention]]]``); :data:`DocView.declared` lists them.
    ``factory`` makes the empty value of a view filled piece by piece (a table per sentence).
    """

    declared: ClassVar[list[DocView]] = []

    def __init__(self, name: str, factory: Callable[[], T] | None = None) -> None:
        self.name = name
        self.factory = factory
        DocView.declared.append(self)

    def __repr__(self) -> str:
        return f"DocView({self.name!r})"

    def of(self, doc: Document, make: Callable[[], T]) -> T:
        """The view's value for ``doc``, computed by ``make`` on first use."""
        return doc.memo(self, make)

    def table(self, doc: Document) -> T:
        """The view's value for ``doc``, started empty (``factory``) and filled by the caller."""
        try:
            return doc.cache[self]  # type: ignore[return-value]
        except KeyError:
            value = doc.cache[self] = self.factory()  # type: ignore[misc]
            return value

    def get(self, doc: Document) -> T | None:
        """The value if it was computed for ``doc``, else None."""
        return doc.cache.get(self)  # type: ignore[return-value]

    def drop(self, doc: Document) -> None:
        """Forget the value (a view valid only while one step runs)."""
        doc.cache.pop(self, None)


@dataclass
class Document:
    text: str
    source_file: str
    encoding: str = "utf-8"
    format: str = "txt"
    body_start: int = 0
    title_span: tuple[int, int] | None = None  # the headline in the header, read as the article's first sentence
    meta: ArticleMeta = field(default_factory=ArticleMeta)
    warnings: list[str] = field(default_factory=list)
    paragraphs: list[Span] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    found_actors: dict[str, FoundActor] = field(default_factory=dict)
    citations: list[Citation] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    dateline: object = None  # the dispatch's first dateline (core.extract.citations.Dateline), if it has one
    # per-document work shared by steps, one entry per declared DocView (never an ad-hoc key)
    cache: dict[DocView, object] = field(default_factory=dict, repr=False)
    # Per-document views that several steps read, each computed once on first use (typed, instead
    # of tuple keys in ``cache``). The text never changes, so the text views never go stale; the
    # per-sentence tables are filled by the steps that own them (see each one's docstring).
    # (Marked "scratch": derived working state, not an annotation, so no step contract names them.)
    sentence_clauses: dict[int, list[tuple[int, int]]] = field(default_factory=dict, repr=False, compare=False, metadata={"scratch": True})
    actor_kinds: dict[str, str] | None = field(default=None, repr=False, compare=False, metadata={"scratch": True})

    @cached_property
    def lower(self) -> str:
        """The text lower-cased with every offset kept (core.text.patterns.lowered): what the lexicon's
        lower-case patterns and word gates run on. Computed once: every step reads it."""
        return lowered(self.text)

    @cached_property
    def caseless(self) -> tuple[str, bool]:
        """(view, folded): the lower-cased text and True when case-insensitive matching and
        lower() agree on this text (no ſ, ı, İ or Kelvin sign), so lower-case patterns without
        IGNORECASE find the same on it; else the text as written and False
        (core.text.patterns.caseless_view)."""
        return (self.lower, True) if plain_case(self.text) else (self.text, False)

    def memo(self, view: DocView[T], make: Callable[[], T]) -> T:
        """The value of ``view`` for this document, computed by ``make`` on first use."""
        try:
            return self.cache[view]  # type: ignore[return-value]
        except KeyError:
            value = self.cache[view] = make()
            return value

    @property
    def text_start(self) -> int:
        """Where the article's sentences begin: its headline when the header holds one, else the body."""
        return self.title_span[0] if self.title_span is not None else self.body_start

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def article_id(self) -> str:
        """Stable id from the content: the same text gets the same id on every machine."""
        return self.content_hash[:12]

    def sentence_at(self, offset: int) -> Sentence | None:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None

    def sentence_finder(self):
        """``sentence_at`` for many offsets: bisection when the sentences are in order and apart."""
        sents = self.sentences
        starts = [s.start for s in sents]
        if any(s.start > s.end for s in sents) or any(a.end > b.start for a, b in pairwise(sents)):
            return self.sentence_at

        def at(offset: int) -> Sentence | None:
            i = bisect_right(starts, offset) - 1
            return sents[i] if i >= 0 and offset < sents[i].end else None

        return at
