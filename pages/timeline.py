"""Timeline: events on a time axis (lanes per actor or type); click an event to read its evidence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import filters as F
from core.figures import style, timeline
from ui import export_buttons, state
from ui.tables import md_escape, safe_url

corpus, filters, tables = state.page_setup(
    "timeline", "Timeline", ":material/timeline:",
    "Colour is the QuadClass (cooperation in blues, conflict in oranges); shape is the status — a filled circle "
    "happened, hollow or crossed shapes were only planned, reported, unconfirmed or denied. Click an event to read it.",
)
ev = tables["events"]
lanes = {"actor": "One lane per actor", "type": "One lane per event type"}
if state.page_param("lane") not in (None, *lanes):
    st.caption(f"Ignored lane={md_escape(state.page_param('lane'))}: use 'actor' or 'type'.")
    state.set_page_param("lane", None)
state.seed_widget("timeline_lane", "lane", "actor", lambda v: v if v in lanes else None)
lane = st.segmented_control("Lanes", list(lanes), format_func=lanes.get, key="timeline_lane") or "actor"
state.publish_widget("timeline_lane", "lane", None if lane == "actor" else lane)


@st.cache_data(show_spinner=False, max_entries=32)
def _figure(key: str, flt: F.Filters, lane: str, _tables: dict[str, pd.DataFrame]):
    return timeline.timeline_figure(_tables["events"], _tables["actors"], lane=lane,
                                    subtitle=F.describe(flt, _tables), window=(flt.start, flt.end),
                                    source=style.source_line(_tables, [_tables["events"]]))


fig = _figure(corpus.key, filters, lane, tables)
event = st.plotly_chart(fig, theme=None, width="stretch", key="timeline_chart", on_select="rerun",
                        selection_mode="points", config=state.chart_config(f"timeline-by-{lane}", filters, corpus))
export_buttons.render(fig, f"timeline-by-{lane}", filters, corpus, tables, page="timeline", key="timeline")
state.caption(filters, tables)
if style.is_empty_figure(fig):
    state.empty_state("No dated events match the current filters.")
    st.stop()

picked = timeline.selected_event_ids(event.selection if event else None, fig)
if picked:
    state.set_page_param("event", picked[0])
wanted = picked[0] if picked else state.page_param("event")
all_events = corpus.tables["events"]
row = all_events[F.text(all_events["event_id"]) == str(wanted)] if wanted else all_events.iloc[0:0]
if wanted and row.empty:
    st.caption(f"Event {md_escape(wanted)} from the link is not in the corpus any more.")
    state.set_page_param("event", None)

st.subheader("Event detail", anchor=False)
if row.empty:
    st.caption("Click a point in the chart to see its evidence, sources and article here.")
    st.stop()

e = row.iloc[0]
names = F.actor_names(corpus.tables["actors"])
if wanted not in set(F.text(ev["event_id"])):
    st.caption("This event is outside the current filters.")
when = F.format_when(e["start_date"], e["end_date"], e.get("date_precision"))
when = "date unknown" if when == "?" else when
cols = st.columns(4)
cols[0].markdown(f"**Date**  \n{md_escape(when)}")
cols[1].markdown(f"**Type**  \n{md_escape(e['event_type'])} ({md_escape(style.quad_label(e['quad_class']))})")
cols[2].markdown(f"**Status**  \n{md_escape(e['status'])}")
cols[3].markdown("**Actors**  \n" + md_escape(", ".join(names.get(a, a) for a in F.split_list(e["actors"])) or "—"))
st.markdown("**Evidence**")
st.markdown("> " + md_escape(e["evidence"]))
agencies = F.split_list(e["sources"])
st.markdown("**Sources cited**: " + (md_escape(", ".join(agencies)) if agencies else "none named in the sentence"))
article_id = "" if F.is_missing(e["article_id"]) else str(e["article_id"])
if article_id:
    arts = corpus.tables["articles"]
    match = arts[F.text(arts["article_id"]) == article_id]
    title = str(match.iloc[0]["title"]) if not match.empty and not F.is_missing(match.iloc[0]["title"]) else article_id
    st.page_link("pages/articles.py", label=f"Read the article: {title}", icon=":material/article:",
                 query_params=state.link_params(filters, article=article_id))
elif safe_url(e.get("source_url")):
    st.link_button("Open the reference source", safe_url(e.get("source_url")), icon=":material/open_in_new:")
