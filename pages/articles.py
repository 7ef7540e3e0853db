"""Articles: the corpus list, and an annotated reader (actors, dates, amounts, source notes
highlighted) with each article's citations and the events taken from it."""

from __future__ import annotations

import streamlit as st

from core.query import filters as F
from core.query import frames
from core.views.figures import reader
from ui import loader, state
from ui.tables import events_column_config, events_view, md_escape

corpus, filters, tables = state.page_setup(
    "articles",
    intro="The articles behind the data. Pick one to read it with its actors, dates, amounts and source notes "
    "highlighted, the agencies it cites and the events taken from it.",
)
full = corpus.tables
arts = tables["articles"]
all_arts = full["articles"]
ev_counts = frames.text(full["events"]["article_id"]).value_counts().to_dict() if not full["events"].empty else {}


def _number(value: object) -> str:
    """'12' for 12 or 12.0; '' for None, NaN, 'None'."""
    if frames.is_missing(value) or str(value).strip().lower() in ("", "none", "nan"):
        return ""
    try:
        return str(int(float(value)))
    except (TypeError, ValueError):
        return str(value)


st.subheader("Corpus", anchor=False)
st.caption(
    f"{len(arts):,} of {len(all_arts):,} article(s) under the current filters ({md_escape(F.describe(filters, tables))}): "
    "published in the range and naming the chosen actors or agencies, plus every article a shown event "
    "comes from."
)
if arts.empty:
    state.empty_state(
        "No articles match the current filters." if not all_arts.empty else "The corpus has no articles yet.",
        "Widen the filters in the sidebar." if not all_arts.empty else "Add article files to the store.",
    )
else:
    listing = arts.assign(
        published=frames.to_datetime(arts["published_date"]).dt.strftime("%Y-%m-%d").fillna(""),
        events=[int(ev_counts.get(a, 0)) for a in frames.text(arts["article_id"])],
        # a missing volume or issue is blank, never "None" or "nan"
        volume=[_number(v) for v in arts["volume"]],
        issue=[_number(v) for v in arts["issue"]],
    ).sort_values(["published", "article_id"], na_position="last")
    st.dataframe(
        listing[["published", "title", "publication", "volume", "issue", "n_words", "events", "article_id"]],
        hide_index=True,
        width="stretch",
        column_config={
            "published": st.column_config.TextColumn("Published", width="small"),
            "title": st.column_config.TextColumn("Title", width="large"),
            "publication": st.column_config.TextColumn("Publication", width="small"),
            "volume": st.column_config.TextColumn("Vol.", width="small"),
            "issue": st.column_config.TextColumn("Issue", width="small"),
            "n_words": st.column_config.NumberColumn("Words", width="small"),
            "events": st.column_config.NumberColumn("Events", width="small"),
            "article_id": st.column_config.TextColumn("Id", width="medium"),
        },
    )

# --- the reader -------------------------------------------------------------------------------
all_ids = list(frames.text(all_arts["article_id"]))
wanted = state.page_param("article")
if wanted and wanted not in all_ids:
    st.caption(f"Ignored article={md_escape(wanted)}: no such article in the corpus.")
    state.set_page_param("article", None)
    wanted = None
choices = ["", *list(frames.text(arts["article_id"]))]
if wanted and wanted not in choices:
    choices.append(wanted)
titles = {a: (t or a) for a, t in zip(all_ids, frames.text(all_arts["title"]), strict=False)}
dates = dict(zip(all_ids, frames.text(all_arts["published_date"]), strict=False))
if wanted and st.session_state.get("articles_pick") != wanted:
    st.session_state["articles_pick"] = wanted
if st.session_state.get("articles_pick") not in choices:
    st.session_state["articles_pick"] = ""

st.subheader("Read an article", anchor=False)
if len(choices) == 1:
    st.caption("No article to read under the current filters.")
    st.stop()
pick = st.selectbox(
    "Article",
    choices,
    key="articles_pick",
    format_func=lambda a: "Choose an article…" if not a else f"{dates.get(a) or '????'} · {titles.get(a, a)}",
)
state.set_page_param("article", pick or None)
if not pick:
    st.stop()

row = all_arts[frames.text(all_arts["article_id"]) == pick].iloc[0]
if pick not in set(frames.text(arts["article_id"])):
    st.caption("This article is outside the current filters; it is shown because the link asked for it.")
meta = [
    f"**{md_escape(row['publication'])}**" if not frames.is_missing(row["publication"]) else "",
    f"vol. {md_escape(row['volume'])}" if not frames.is_missing(row["volume"]) else "",
    f"issue {md_escape(row['issue'])}" if not frames.is_missing(row["issue"]) else "",
    f"published {md_escape(row['published_date'])}" if not frames.is_missing(row["published_date"]) else "date unknown",
    f"({md_escape(row['date_method'])})" if not frames.is_missing(row["date_method"]) else "",
]
st.markdown(" · ".join(m for m in meta if m))

text_col, side_col = st.columns([3, 2])
with text_col:
    body = loader.article_text(corpus, pick)
    st.html(reader.article_html(full, pick, body))
with side_col:
    st.markdown("**Sources cited in the article**")
    ci = full["citations"]
    cites = ci[frames.text(ci["article_id"]) == pick] if not ci.empty else ci
    if cites.empty:
        st.caption("No source notes were found in this article.")
    else:
        st.dataframe(
            cites[["agency", "cited_date", "raw"]],
            hide_index=True,
            width="stretch",
            column_config={"agency": "Agency", "cited_date": "Date", "raw": "As written"},
        )
    st.markdown("**Amounts**")
    am = full["amounts"]
    amts = am[frames.text(am["article_id"]) == pick] if not am.empty else am
    if amts.empty:
        st.caption("No amounts in this article.")
    else:
        st.dataframe(
            amts[["value_usd", "category", "status", "as_of_date", "raw_text"]],
            hide_index=True,
            width="stretch",
            column_config={
                "value_usd": st.column_config.NumberColumn("US$", format="dollar", width="medium"),
                "category": "Category",
                "status": "Status",
                "as_of_date": "As of",
                "raw_text": "As written",
            },
        )

st.markdown("**Events taken from this article**")
ev = full["events"]
mine = ev[frames.text(ev["article_id"]) == pick] if not ev.empty else ev
if mine.empty:
    st.caption("No events were extracted from this article.")
else:
    st.dataframe(
        events_view(mine, full["actors"])[["when", "source", "target", "event_type", "status", "evidence", "sources", "event_id"]],
        hide_index=True,
        width="stretch",
        column_config=events_column_config(),
    )
