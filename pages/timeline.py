"""Timeline: events on a time axis (lanes per actor or type); click an event to read its evidence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.query import filters as F
from core.query import frames
from core.views import registry as views
from core.views.figures import style, timeline
from ui import export_buttons, loader, queries, resolved, state
from ui.tables import events_column_config, events_view, md_escape, safe_url

VIEW = views.get("timeline")
corpus, filters, tables = state.page_setup(
    VIEW.key,
    intro="Colour is the QuadClass (cooperation in blues, conflict in oranges); shape is the status — a filled circle "
    "happened, hollow or crossed shapes were only planned, reported, unconfirmed or denied. Click an event to read it.",
    lazy=True,
)
lanes = {"actor": "One lane per actor", "type": "One lane per event type"}
if state.page_param("lane") not in (None, *lanes):
    st.caption(f"Ignored lane={md_escape(state.page_param('lane'))}: use 'actor' or 'type'.")
    state.set_page_param("lane", None)
state.seed_widget("timeline_lane", "lane", "actor", lambda v: v if v in lanes else None)
lane = st.segmented_control("Lanes", list(lanes), format_func=lanes.get, key="timeline_lane") or "actor"
state.publish_widget("timeline_lane", "lane", None if lane == "actor" else lane)
every = resolved.every_report("timeline")
engine = loader.engine_for(corpus)  # a large corpus: lanes and counts are queries, not filtered copies
shown = queries.shown_tables(corpus, tables, every, engine)


@st.cache_data(show_spinner=False, max_entries=32)
def _lanes(key: str, flt: F.Filters, lane: str, every: bool, _tables, _engine) -> pd.Series:
    if _engine is not None:
        return _engine.timeline_lanes(flt, lane, every=every)
    return timeline.lane_counts(_tables["events"], _tables["actors"], lane)


counts = _lanes(corpus.key, filters, lane, every, shown, engine)
n_all = len(counts)
c1, c2 = st.columns([1, 3])
n_lanes = n_all
picked: list[str] = []
if n_all > 5:
    default_n = min(timeline.MAX_LANES, n_all)
    state.seed_widget("timeline_nlanes", "lanes", default_n, lambda v: F.int_param(v, 1, n_all))
    if st.session_state.get("timeline_nlanes", 0) > n_all:
        st.session_state["timeline_nlanes"] = default_n
    n_lanes = c1.slider(f"Lanes shown (of {n_all:,}, busiest first)", 1, n_all, key="timeline_nlanes")
    n_lanes = int(n_lanes)
    state.publish_widget("timeline_nlanes", "lanes", None if n_lanes == default_n else str(n_lanes))
    picked = c2.multiselect(
        "Or pick the lanes",
        list(counts.index),
        key="timeline_pick",
        format_func=lambda k: f"{k} ({counts[k]:,})",
        placeholder="the busiest lanes, as many as set on the left",
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _view(key: str, flt: F.Filters, lane: str, every: bool, n_lanes: int, picked: tuple[str, ...], _tables, _engine) -> views.ViewResult:
    options = {"lane": lane, "max_lanes": n_lanes, "lanes": picked, "engine": _engine, "every": every}
    if _engine is not None:  # the few events drawn one by one: their rows, as the pandas path has them
        options["rows"] = lambda page: queries.page_rows(corpus, page, every)
    return VIEW.run(_tables, flt, options).for_cache()


view = _view(corpus.key, filters, lane, every, n_lanes, tuple(picked), shown, engine)
fig = view.figure
event = st.plotly_chart(
    fig,
    theme=None,
    width="stretch",
    key="timeline_chart",
    on_select="rerun",
    selection_mode="points",
    config=state.chart_config(view.name, filters, corpus),
)
export_buttons.render(fig, view.name, filters, corpus, shown, page=VIEW.key, key="timeline")
state.caption(filters, shown, described=None if engine is None else queries.describe(engine, filters, corpus.tables["actors"], every=every))
if view.empty:
    state.empty_state(view.empty_message)
    st.stop()

picked = timeline.selected_event_ids(event.selection if event else None, fig)
if picked:
    state.set_page_param("event", picked[0])
wanted = picked[0] if picked else state.page_param("event")
all_events = corpus.tables["events"]
row = all_events[frames.text(all_events["event_id"]) == str(wanted)] if wanted else all_events.iloc[0:0]
if wanted and row.empty:
    st.caption(f"Event {md_escape(wanted)} from the link is not in the corpus any more.")
    state.set_page_param("event", None)

st.subheader("Event detail", anchor=False)
if row.empty:
    st.caption("Click a point in the chart to see its evidence, sources and article here.")
    st.stop()

e = row.iloc[0]
names = frames.actor_names(corpus.tables["actors"])
ev = tables["events"]  # the reports under the filters (with the engine, filtered only now: an event was picked)
if wanted not in set(frames.text(ev["event_id"])):
    st.caption("This event is outside the current filters.")
when = frames.format_when(e["start_date"], e["end_date"], e.get("date_precision"))
when = "date unknown" if when == "?" else when
cols = st.columns(4)
cols[0].markdown(f"**Date**  \n{md_escape(when)}")
cols[1].markdown(f"**Type**  \n{md_escape(e['event_type'])} ({md_escape(style.quad_label(e['quad_class']))})")
cols[2].markdown(f"**Status**  \n{md_escape(e['status'])}")
cols[3].markdown("**Actors**  \n" + md_escape(", ".join(names.get(a, a) for a in frames.split_list(e["actors"])) or "—"))
same_day = ev[(frames.text(ev["start_date"]) == str(e["start_date"])) & (frames.text(ev["event_id"]) != str(wanted))]
if str(e["start_date"]) and not same_day.empty:  # markers on one date sit on each other: list them all
    with st.expander(f"{len(same_day)} other event(s) on the same date under the current filters"):
        st.dataframe(
            events_view(same_day, corpus.tables["actors"], state.link_params(filters))[
                ["when", "source", "target", "event_type", "status", "evidence", "article"]
            ],
            hide_index=True,
            width="stretch",
            column_config=events_column_config(),
        )
st.markdown("**Evidence**")
st.markdown("> " + md_escape(e["evidence"]))
agencies = frames.split_list(e["sources"])
st.markdown("**Sources cited**: " + (md_escape(", ".join(agencies)) if agencies else "none named in the sentence"))
article_id = "" if frames.is_missing(e["article_id"]) else str(e["article_id"])
if article_id:
    arts = corpus.tables["articles"]
    match = arts[frames.text(arts["article_id"]) == article_id]
    title = str(match.iloc[0]["title"]) if not match.empty and not frames.is_missing(match.iloc[0]["title"]) else article_id
    st.page_link(
        "pages/articles.py",
        label=f"Read the article: {md_escape(title)}",
        icon=":material/article:",
        query_params=state.link_params(filters, article=article_id),
    )
elif safe_url(e.get("source_url")):
    st.link_button("Open the reference source", safe_url(e.get("source_url")), icon=":material/open_in_new:")
if "resolved_id" in e.index and e["resolved_id"]:
    resolved.render_reports(corpus, str(e["resolved_id"]), state.link_params(filters))
