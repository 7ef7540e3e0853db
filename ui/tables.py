"""Display versions of the tables (names instead of ids, real dates) shared by several pages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote_plus, urlencode, urlsplit

import pandas as pd
import streamlit as st

from core.domain import cameo
from core.query import frames

# Every ASCII punctuation mark that Streamlit's Markdown (CommonMark, GFM autolinks, its :colour[…]
# and :material/…: directives, $…$ maths, HTML and entities) gives a meaning to; a backslash before
# any ASCII punctuation is a valid escape, so escaping one mark too many only costs a byte.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$=:&/@%^'\"])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
# Streamlit links bare URLs and e-mail addresses in the rendered text, after the escapes are read:
# a word joiner (U+2060, invisible) inside "://", after "www" and after "@" stops that.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=\bwww)(?=\.)|(?<=@)", re.I)
_JOINER = "\u2060"


def md_escape(value: object) -> str:
    """Text a user, a URL or an article supplied, made safe for every Streamlit call that renders
    Markdown (st.markdown, st.caption, st.info/warning/error/success, widget and link labels):
    shown as the plain characters it holds — no link, image, HTML, colour, icon or maths — and on
    one line (a line break could start a heading, list or code block). Bare URLs and e-mail
    addresses get an invisible word joiner so they are not made links."""
    raw = "" if frames.is_missing(value) else str(value)
    return _MD_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(_JOINER, _LINE_BREAKS.sub(" ", raw)))


def article_url(article_id: str, params: Mapping[str, object] | None = None) -> str:
    """Relative link to the Articles page reading one article (keeps the given filter params)."""
    query = dict(params or {})
    query["article"] = article_id
    return "articles?" + urlencode(query, doseq=True)


def safe_url(value: object) -> str:
    """The first http(s) URL of a cell, or '' (never a javascript: or data: link).

    Reference rows keep several source addresses ';'-joined, best first; a link can only open
    one, so the first usable one is taken rather than the whole joined string.
    """
    raw = "" if frames.is_missing(value) else str(value)
    for part in raw.split(";"):
        url = part.strip()
        if not url.lower().startswith(("http://", "https://")) or any(c.isspace() or ord(c) < 32 for c in url):
            continue
        try:
            host = urlsplit(url).netloc
        except ValueError:  # e.g. a malformed IPv6 host
            continue
        if host:
            return url
    return ""


def events_view(
    events: pd.DataFrame,
    actors: pd.DataFrame,
    link_params: Mapping[str, object] | None = None,
    limit: int | None = None,
    *,
    newest_first: bool = False,
    offset: int = 0,
) -> pd.DataFrame:
    """Events as analysts read them: who did what to whom (source → target, CAMEO code and name,
    Goldstein, QuadClass), when (at the precision the text gave), how sure (status, confidence),
    where, the sources and the sentence.

    Sorted by date (undated last) then id, oldest first unless ``newest_first``; ``offset`` and
    ``limit`` cut one page of that order before any formatting, so every event can be reached a page
    at a time and a page of 150,000 events costs what a page of 500 does.
    """
    cols = [
        "when",
        "date",
        "end",
        "source",
        "target",
        "cameo_code",
        "cameo_name",
        "event_type",
        "goldstein",
        "quad_class",
        "status",
        "confidence",
        "location",
        "actors",
        "evidence",
        "sources",
        "n_sources",
        "origin",
        "article",
        "event_id",
    ]
    if events is None or events.empty:
        return pd.DataFrame(columns=cols)
    names = frames.actor_names(actors)
    start, end = frames.event_dates(events)
    key = pd.DataFrame(
        {"undated": start.isna().to_numpy(), "start": start.to_numpy(), "event_id": frames.text(events["event_id"]).to_numpy(dtype=object)}
    )
    order = key.sort_values(["undated", "start", "event_id"], ascending=[True, not newest_first, True], kind="stable").index.to_numpy()
    order = order[max(0, int(offset)) :]
    if limit is not None:
        order = order[:limit]
    events, start, end = events.iloc[order], start.iloc[order], end.iloc[order]
    article_ids = frames.text(events["article_id"]).to_numpy(dtype=object)
    urls = frames.text(events["source_url"]).to_numpy(dtype=object) if "source_url" in events.columns else [""] * len(events)
    # the filter part of every article link is the same: encode it once, not per row
    link = article_url("", link_params)  # ends in "article="
    sources = [frames.split_list(v) for v in events["sources"].to_numpy(dtype=object)]
    codes = frames.text(events["cameo_code"]) if "cameo_code" in events.columns else pd.Series("", index=events.index)
    table = cameo.cameo_table()

    def col(name: str) -> pd.Series:
        return frames.text(events[name]) if name in events.columns else pd.Series("", index=events.index)

    out = pd.DataFrame(
        {
            "when": frames.when_column(events).to_numpy(dtype=object) if len(events) else [],
            # ISO text, not date objects: sorts the same, and a missing end shows blank, not "None"
            "date": start.dt.strftime("%Y-%m-%d").fillna(""),
            "end": end.where(end.notna() & (end > start)).dt.strftime("%Y-%m-%d").fillna(""),
            "source": [names.get(a, a) for a in col("source_actor").str.strip()],
            "target": [names.get(a, a) for a in col("target_actor").str.strip()],
            "cameo_code": codes,
            "cameo_name": [table.get(c, {}).get("name", "") for c in codes],
            "event_type": frames.text(events["event_type"]),
            "goldstein": pd.to_numeric(events["goldstein"], errors="coerce") if "goldstein" in events.columns else float("nan"),
            "quad_class": [
                cameo.QUAD_NAMES.get(int(q), "") if q == q else ""
                for q in pd.to_numeric(events["quad_class"], errors="coerce").to_numpy(dtype=float)
            ],
            "status": frames.text(events["status"]),
            "confidence": pd.to_numeric(events["confidence"], errors="coerce") if "confidence" in events.columns else float("nan"),
            "location": [names.get(a, a) for a in col("location").str.strip()],
            "actors": [", ".join(names.get(a, a) for a in frames.split_list(v)) for v in events["actors"].to_numpy(dtype=object)],
            "evidence": frames.text(events["evidence"]),
            "sources": [", ".join(v) for v in sources],
            "n_sources": [len(v) for v in sources],
            "origin": frames.origin_of(events),
            "article": [link + quote_plus(a) if a else safe_url(u) for a, u in zip(article_ids, urls, strict=False)],
            "event_id": frames.text(events["event_id"]),
        },
        index=events.index,
    )
    return out.reset_index(drop=True)


def top_events(events: pd.DataFrame, by: str, n: int) -> pd.DataFrame:
    """The ``n`` latest dated events (``by="recent"``) or the ``n`` citing most agencies (``"cited"``,
    then latest), chosen before any formatting so the Overview costs the same at any corpus size."""
    start, _ = frames.event_dates(events)
    key = pd.DataFrame({"start": start.to_numpy(), "event_id": frames.text(events["event_id"]).to_numpy(dtype=object)})
    if by == "recent":
        key = key[key["start"].notna()]
        order = key.sort_values(["start", "event_id"], ascending=[False, True], kind="stable")
    else:
        key["n_sources"] = frames.source_counts(events)
        order = key.sort_values(["n_sources", "start", "event_id"], ascending=[False, False, True], kind="stable", na_position="last")
    return events.iloc[order.index.to_numpy()[:n]]


def events_column_config() -> dict:
    """Column headings, widths and types for :func:`events_view` frames."""
    return {
        "when": st.column_config.TextColumn(
            "When", width="medium", help="the date as precise as the text gives it (a month, a year, a range)"
        ),
        "date": st.column_config.TextColumn("Date", width="small", help="start of the event (YYYY-MM-DD)"),
        "source": st.column_config.TextColumn("Source actor", width="medium", help="who acts (GDELT Actor1)"),
        "target": st.column_config.TextColumn("Target actor", width="medium", help="acted upon (GDELT Actor2)"),
        "cameo_code": st.column_config.TextColumn("CAMEO", width="small"),
        "cameo_name": st.column_config.TextColumn("CAMEO name", width="medium"),
        "goldstein": st.column_config.NumberColumn("Goldstein", format="%+.1f", width="small", help="-10 conflict … +10 cooperation"),
        "confidence": st.column_config.NumberColumn("Confidence", format="%.2f", width="small"),
        "location": st.column_config.TextColumn("Location", width="small"),
        "end": st.column_config.TextColumn("Until", width="small", help="end of a multi-day event"),
        "event_type": st.column_config.TextColumn("Type", width="medium"),
        "quad_class": st.column_config.TextColumn("QuadClass", width="medium"),
        "status": st.column_config.TextColumn("Status", width="small", help="occurred / reported / planned / unconfirmed / denied"),
        "actors": st.column_config.TextColumn("Actors", width="medium"),
        "evidence": st.column_config.TextColumn("Evidence (sentence)", width="large"),
        "sources": st.column_config.TextColumn("Sources", width="small"),
        "n_sources": st.column_config.NumberColumn("Agencies", width="small", help="number of agencies cited"),
        "origin": st.column_config.TextColumn("Origin", width="small"),
        "article": st.column_config.LinkColumn("Article / source", display_text="open", width="small"),
        "event_id": st.column_config.TextColumn("Event id", width="small"),
    }
