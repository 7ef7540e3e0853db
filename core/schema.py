"""Column lists of every table the product keeps, in one place.

The store, the CSV export, the dashboard and the reference layer all read these lists, so a
column added here shows up everywhere at once. The first columns of each table are the export
contract of ``shared/eval/README.md``; the rest are the product's own.
"""

from __future__ import annotations

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
    # one row per happening told by one or more event rows (core.resolve); events carry its resolved_id
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

#: Event statuses, most certain first; the order is used when merging duplicate events.
STATUSES = ("occurred", "reported", "planned", "unconfirmed", "denied")

AMOUNT_CATEGORIES = ("debt", "arms_delivery", "arms_deal", "other")

ACTOR_KINDS = ("person", "state", "organization", "media")
