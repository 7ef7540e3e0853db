"""Every table the product keeps or exports, defined once: columns, types, defaults, row builder.

The store (its CREATE, INSERT and migrations), the CSV export, the dashboard, the pipeline's
``to_rows``, the reference layer and the test factories all read these definitions, so a column
added here shows up everywhere at once, and a store made before it gains it on open (see
:data:`SCHEMA_VERSION`). The first columns of each table are the export contract of
``shared/eval/README.md``; the rest are the product's own.
"""

from __future__ import annotations

from collections.abc import Mapping

TABLES: dict[str, list[str]] = {
    "articles": [
        "article_id",
        "source_file",
        "publication",
        "volume",
        "issue",
        "published_date",
        "title",
        "date_method",
        "date_precision",
        "date_note",
        "encoding",
        "format",
        "n_chars",
        "n_words",
        "content_hash",
        "warnings",
        "origin",
    ],
    "actors": [
        "actor_id",
        "name",
        "kind",
        "country",
        "source",
        "aliases",
        "roles",
    ],
    "mentions": [
        "article_id",
        "actor_id",
        "text",
        "start_char",
        "end_char",
        "sentence_id",
        "rule",
    ],
    "sentences": [
        "article_id",
        "sentence_id",
        "paragraph_id",
        "start_char",
        "end_char",
        "text",
    ],
    "citations": [
        "article_id",
        "agency",
        "cited_date",
        "cited_end",
        "raw",
        "start_char",
        "end_char",
        "sentence_id",
    ],
    "events": [
        "event_id",
        "article_id",
        "start_date",
        "end_date",
        "date_precision",
        "event_type",
        "cameo_root",
        "quad_class",
        "goldstein",
        "status",
        "actors",
        "location",
        "evidence",
        "sources",
        "cameo_code",
        "source_actor",
        "target_actor",
        "topics",
        "date_text",
        "date_rule",
        "type_rule",
        "status_rule",
        "confidence",
        "sentence_id",
        "evidence_start",
        "evidence_end",
        "also_sentences",
        "origin",
        "source_url",
    ],
    "amounts": [
        "amount_id",
        "article_id",
        "value_usd",
        "category",
        "status",
        "as_of_date",
        "evidence",
        "as_of_end",
        "date_precision",
        "raw_text",
        "from_actor",
        "to_actor",
        "topics",
        "rule",
        "sentence_id",
        "start_char",
        "end_char",
        "origin",
        "source_url",
        "note",
    ],
    "relations": [
        "source_actor",
        "target_actor",
        "n_events",
        "first_date",
        "last_date",
        "mean_goldstein",
        "level",
        "q1",
        "q2",
        "q3",
        "q4",
        "event_ids",
    ],
    # one row per happening told by one or more event rows (core.storage.resolve); events carry its resolved_id
    "resolved_events": [
        "resolved_id",
        "start_date",
        "end_date",
        "date_precision",
        "cameo_root",
        "event_type",
        "status",
        "actors",
        "n_reports",
        "n_articles",
        "n_publishers",
        "n_agencies",
        "merge_rule",
        "status_rule",
        "source_actor",
        "target_actor",
        "quad_class",
        "goldstein",
        "event_ids",
        "article_ids",
        "publishers",
        "agencies",
        "evidence",
        "date_rule",
        "origin",
    ],
}

#: Columns the events table gains when it is read or exported (not stored in the events table itself:
#: the grouping lives in the store's ``resolution`` table, so older stores keep working).
EVENT_EXTRA = ["resolved_id"]

#: Tables derived from article texts (everything but ``relations``, which is aggregated).
ARTICLE_TABLES = ("articles", "mentions", "sentences", "citations", "events", "amounts")

AMOUNT_CATEGORIES = ("debt", "arms_delivery", "arms_deal", "other")

ACTOR_KINDS = ("person", "state", "organization", "media")


#: Tables the store keeps besides the exported ones: the article texts (the source of truth) and the
#: people an article named that the actor dictionary does not know.
STORE_ONLY: dict[str, list[str]] = {
    "texts": [
        "article_id",
        "content_hash",
        "source_file",
        "text",
        "encoding",
        "format",
        "title",
        "header_date",
        "user_date",
        "added_at",
        "warnings",
    ],
    "found_actors": ["article_id", "actor_id", "name", "kind", "country", "rule"],
}

#: The stored tables rebuilt from an article's text (one article's rows are replaced together).
DERIVED_TABLES = (*ARTICLE_TABLES, "found_actors")

#: Columns that are not text: their pandas type when read. Every other column is text ("" when empty).
TYPES: dict[str, dict[str, str]] = {
    "articles": {"volume": "Int64", "issue": "Int64", "n_chars": "int", "n_words": "int"},
    "mentions": {"start_char": "int", "end_char": "int", "sentence_id": "int"},
    "sentences": {"sentence_id": "int", "paragraph_id": "int", "start_char": "int", "end_char": "int"},
    "citations": {"start_char": "int", "end_char": "int", "sentence_id": "int"},
    "events": {
        "quad_class": "Int64",
        "goldstein": "float",
        "confidence": "float",
        "sentence_id": "int",
        "evidence_start": "int",
        "evidence_end": "int",
    },
    "amounts": {"value_usd": "float", "sentence_id": "int", "start_char": "int", "end_char": "int"},
    "relations": {"n_events": "int", "mean_goldstein": "float", "q1": "int", "q2": "int", "q3": "int", "q4": "int"},
}

#: Types converted when stored rows become the product's tables (:func:`core.query.tables.assemble`);
#: the other typed columns keep what SQLite gives back, as they always have.
READ_AS: dict[str, dict[str, str]] = {
    "articles": {"volume": "Int64", "issue": "Int64"},
    "events": {"quad_class": "Int64", "goldstein": "float", "confidence": "float"},
    "amounts": {"value_usd": "float"},
}

#: The version of the stored tables' layout, kept in the store (``PRAGMA user_version``).
#: 1: the layout before versions were recorded (8c137a2 and earlier; ``meta.schema = '1'``).
#: 2: versions recorded; a store opened with fewer columns than :data:`TABLES` gains them (NULL).
#: 3: evidence stored once: a cell of :data:`POINTERS` is NULL when its value is the stored article
#:    text between the row's offsets (the rows of a version-2 store are compacted on open).
#: 4: slimmer resolution tables (:mod:`core.storage.resolve_store`): ``resolution`` rows get an integer
#:    ``rid``, day-number windows and sentence numbers; ``resolution_keys`` holds (key hash, rid) only;
#:    ``resolution_links`` is gone (links are found again in memory). Converted on open.
#: 5: repeated cells stored once and texts compressed (:mod:`core.storage.packing`): a cell of
#:    :data:`INTERNED` holds the id of its value in the ``strings`` table; ``texts.text`` is zlib. Packed on open.
#: 6: compact layout (:mod:`core.storage.packing`, :mod:`core.storage.clusters`): the article tables of
#:    :data:`CLUSTERED` keep no index on ``article_id``: an article's rows are one run of rowids, found
#:    through the ``clusters`` table, and their ``article_id`` cell is NULL (the run's article); a cell of
#:    :data:`SEQUENCE_IDS` is NULL when it is the id the pipeline gives (``{article_id}-e001``…); the
#:    Goldstein score and confidence are interned too (:data:`INTERNED_FROM`); ``strings`` is looked up
#:    by a hash of its value; texts are compressed with a preset dictionary. Converted on open.
#: 7: an article's rows of each :data:`CLUSTERED` table are one packed record (``{table}_packed``,
#:    :mod:`core.storage.rowpack`) holding the rowids and cells the rows had. Converted on open.
#: Raise it when a stored column is added, and give the column a default in :data:`DEFAULTS` if
#: NULL is not right for the rows already stored.
SCHEMA_VERSION = 7

#: Text columns the store keeps as a pointer into the article's stored text (``texts.text``) instead
#: of a copy, from schema version 3: the value is the text between two offset columns of the same row
#: (start, end), or, for ``"sentence"``, the text of the row's sentence (``sentence_id`` in the
#: ``sentences`` table of the same article). Why: the evidence sentence was repeated in every event,
#: amount, mention and citation row, and the sentences held the article text a second time — most of
#: the store's bytes. A value that is not that slice (edited, or offsets missing) is stored as it is.
POINTERS: dict[str, dict[str, tuple[str, str] | str]] = {
    "sentences": {"text": ("start_char", "end_char")},
    "events": {"evidence": ("evidence_start", "evidence_end")},
    "amounts": {"raw_text": ("start_char", "end_char"), "evidence": "sentence"},
    "mentions": {"text": ("start_char", "end_char")},
    "citations": {"raw": ("start_char", "end_char")},
}

#: Stored columns whose cells repeat across rows (rules, codes, statuses, dates, actor ids and lists):
#: from schema version 5 the store keeps each distinct value once, in its ``strings`` table, and the
#: cell an integer id (:mod:`core.storage.packing`). Why: these cells were most of an events row's
#: bytes — the three rule columns alone were a third — and ``article_id``, in every row and in the
#: index the store keeps on it (the store looks an article's rows up by its string id). Not here: row
#: ids and offsets, pointer cells (:data:`POINTERS`), and the tables other modules query directly
#: (``articles``, ``found_actors``).
INTERNED: dict[str, tuple[str, ...]] = {
    "events": (
        "article_id",
        "start_date",
        "end_date",
        "date_precision",
        "event_type",
        "cameo_root",
        "status",
        "actors",
        "location",
        "sources",
        "cameo_code",
        "source_actor",
        "target_actor",
        "topics",
        "date_text",
        "date_rule",
        "type_rule",
        "status_rule",
        "also_sentences",
        "origin",
        "source_url",
        "goldstein",  # from version 6 (INTERNED_FROM): 8 bytes as a REAL, a few dozen values
        "confidence",
    ),
    "mentions": ("article_id", "actor_id", "rule"),
    "sentences": ("article_id",),
    "citations": ("article_id", "agency", "cited_date", "cited_end"),
    "amounts": (
        "article_id",
        "category",
        "status",
        "as_of_date",
        "as_of_end",
        "date_precision",
        "from_actor",
        "to_actor",
        "topics",
        "rule",
        "origin",
        "source_url",
        "note",
    ),
}

#: Interned columns added by a later layout version (version → table → columns): a store of an earlier
#: version keeps these cells as values (read as stored) until it is converted.
INTERNED_FROM: dict[int, dict[str, tuple[str, ...]]] = {6: {"events": ("goldstein", "confidence")}}


def interned(table: str, version: int) -> tuple[str, ...]:
    """The columns of ``table`` whose cells are string ids in a store of layout ``version`` (none
    before version 5)."""
    if version < 5:
        return ()
    later = {c for v, t in INTERNED_FROM.items() if v > version for c in t.get(table, ())}
    return tuple(c for c in INTERNED.get(table, ()) if c not in later)


#: The article tables kept clustered from schema version 6 (no index on ``article_id``; an article's
#: rows are found by their rowids, :mod:`core.storage.clusters`). Why: the index on ``article_id`` held
#: a second copy of every row's key (1.6 KB per article). Not ``articles`` and ``found_actors``: the
#: event resolution queries those by ``article_id`` itself (and they hold one row or none per article).
CLUSTERED = ("mentions", "sentences", "citations", "events", "amounts")

#: Row ids the pipeline gives as ``{article_id}-{letter}{n:03d}`` (n: the row's place among its
#: article's rows of that table, from 1): from schema version 6 such a cell is stored as NULL and made
#: again when read; any other id is stored as it is. Why: ``event_id`` was 17 of an event row's ~100 bytes.
SEQUENCE_IDS: dict[str, tuple[str, str]] = {"events": ("event_id", "e"), "amounts": ("amount_id", "a")}


def sequence_id(article_id: str, letter: str, n: int) -> str:
    """The id the pipeline gives the ``n``-th row (from 1) of an article's table of :data:`SEQUENCE_IDS`
    (``letter``: the table's): the one spelling the extractor writes and the store leaves out."""
    return f"{article_id}-{letter}{n:03d}"


#: The value a column takes in rows stored before it existed (absent here: NULL, read as "").
DEFAULTS: dict[str, dict[str, object]] = {}


def columns(table: str) -> list[str]:
    """The columns of any table the product keeps or exports (``KeyError`` for an unknown one)."""
    return TABLES[table] if table in TABLES else STORE_ONLY[table]


def row(table: str, values: Mapping[str, object]) -> dict[str, object]:
    """One row of ``table``: exactly its columns, in order; a key the table does not have is an error
    (a misspelt column would otherwise vanish silently), a column not given takes its default."""
    cols = columns(table)
    if list(values) == cols:  # the usual case, a literal in the table's order: checked in one comparison
        return dict(values)
    unknown = set(values) - set(cols)
    if unknown:
        raise KeyError(f"{table} has no column(s) {sorted(unknown)}")
    defaults = DEFAULTS.get(table, {})
    return {c: values[c] if c in values else defaults.get(c, "") for c in cols}
