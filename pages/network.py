"""Network: who interacts with whom, how often, and how cooperatively; click to list the events."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.query import filters as F
from core.query import frames
from core.views import registry as views
from core.views.figures import network
from ui import export_buttons, loader, queries, resolved, state
from ui.tables import events_column_config, events_view, md_escape

VIEW = views.get("network")
corpus, filters, tables = state.page_setup(
    VIEW.key,
    lazy=True,
    intro="Actors are nodes (colour = country, size = number of events); a line joins two actors that acted toward "
    "each other, thicker for more interactions, from red (conflict) to green (cooperation) by mean Goldstein.",
)


every = resolved.every_report("network")
engine = loader.engine_for(corpus)  # a large corpus: the pairs and counts are queries, not filtered copies
tables = queries.shown_tables(corpus, tables, every, engine)


@st.cache_data(show_spinner=False, max_entries=32)
def _centrality(key: str, flt: F.Filters, center: str, depth: int, level: str, top: int, _graph) -> pd.DataFrame:
    """Betweenness is the slow part of the page: once per view (everything that shapes the graph drawn
    is in the key: the level and the fold too), not on every click."""
    return network.centrality_table(_graph)


# the graph, its level and layout are the view's recipe (core.views.registry, memoised per table); the page
# reads them first only to offer its controls
graph = views.network_graph(tables, filters, stored_relations=every, engine=engine, every=every)
levels = {"actor": "Actors", "state": "States (countries)"}
default_level = views.network_level(graph)
state.seed_widget("network_level", "level", default_level, lambda v: v if v in levels else None)
c0, c1, c2 = st.columns([1.3, 3, 1])
level = c0.segmented_control("Nodes", list(levels), format_func=levels.get, key="network_level") or default_level
state.publish_widget("network_level", "level", None if level == default_level else level)
base = views.network_base(tables, filters, level, stored_relations=every, engine=engine, every=every)
names = {n: network.display_name(base, n) for n in base.nodes}
choices = ["", *sorted(base.nodes, key=lambda n: str(names[n]).lower())]

ego_param = state.page_param("ego")
if ego_param and ego_param not in base:
    st.caption(f"Ignored ego={md_escape(ego_param)}: that actor has no interactions under the current filters.")
    state.set_page_param("ego", None)
    ego_param = None
state.seed_widget("network_ego", "ego", "", lambda v: v if v in choices else None)
if st.session_state.get("network_ego") not in choices:
    st.session_state["network_ego"] = ""
state.seed_widget("network_depth", "depth", 1, lambda v: int(v) if v in ("1", "2") else None)

center = c1.selectbox(
    "Ego view: centre on an actor", choices, key="network_ego", format_func=lambda n: "Whole network" if not n else f"{names[n]}"
)
depth = c2.radio("Depth (steps from the actor)", [1, 2], key="network_depth", horizontal=True, disabled=not center)
state.publish_widget("network_ego", "ego", center or None)
state.publish_widget("network_depth", "depth", str(depth) if center else None)

c3, c4 = st.columns([3, 2])
n_base = base.number_of_nodes()
top = n_base
if views.network_top(base, level, center) < n_base:  # the view folds: offer how many to show
    state.seed_widget("network_top", "top", network.TOP_N, lambda v: F.int_param(v, 5, n_base))
    if st.session_state.get("network_top", 0) > n_base:
        st.session_state["network_top"] = min(network.TOP_N, n_base)
    top = c3.slider("Actors shown (most partners first; the rest fold into “others”)", 5, n_base, key="network_top")
    state.publish_widget("network_top", "top", None if top == network.TOP_N else str(top))
state.seed_widget("network_co", "co", False, lambda v: v == "1")
show_co = c4.toggle("Also show actors named together without a stated interaction (dashed)", key="network_co")
state.publish_widget("network_co", "co", "1" if show_co else None)

options = {"level": level, "center": center or "", "depth": depth, "top": top, "co": show_co, "stored_relations": every}
view = VIEW.run(tables, filters, {**options, "engine": engine, "every": every})
fig, view_graph = view.figure, view.extras["view"]
event = st.plotly_chart(
    fig,
    theme=None,
    width="stretch",
    key="network_chart",
    on_select="rerun",
    selection_mode="points",
    config=state.chart_config(view.name, filters, corpus),
)
export_buttons.render(fig, view.name, filters, corpus, tables, page=VIEW.key, key="network")
described = None if engine is None else queries.describe(engine, filters, corpus.tables["actors"], every=every)
state.caption(filters, tables, described=described)
if view.empty:
    state.empty_state(view.empty_message)
    st.stop()

points = (event.selection or {}).get("points", []) if event else []
keys = []
for p in points:
    cd = p.get("customdata")
    if isinstance(cd, (list, tuple)) and cd and str(cd[0]).startswith(("node:", "edge:")):
        keys.append(str(cd[0]))
left, right = st.columns([3, 2])
with left:
    st.subheader("Events behind the selection", anchor=False)
    if not keys:
        st.caption("Click a node (an actor) or the diamond in the middle of a line (a pair of actors) to list the events behind it.")
    else:
        ids: list[str] = []
        for k in keys:
            ids += network.events_behind(view_graph, k)
        label = ", ".join(
            names.get(k[5:], k[5:]) if k.startswith("node:") else " – ".join(names.get(x, x) for x in k[5:].split("|")) for k in keys
        )
        ev = tables["events"]
        chosen = ev[frames.text(ev["event_id"]).isin(set(ids))]
        st.caption(f"{len(chosen)} event(s) for {md_escape(label)}.")
        st.dataframe(
            events_view(chosen, corpus.tables["actors"], state.link_params(filters))[
                ["when", "source", "target", "event_type", "status", "evidence", "article"]
            ],
            hide_index=True,
            column_config=events_column_config(),
            width="stretch",
        )
with right:
    st.subheader("Centrality", anchor=False)
    table = _centrality(f"{corpus.key}|{every}", filters, center or "", depth if center else 0, level, top, view_graph)
    st.dataframe(
        table[["name", "betweenness", "partners", "events", "interactions", "country"]],
        hide_index=True,
        width="stretch",
        column_config={
            "name": st.column_config.TextColumn("Actor"),
            "country": st.column_config.TextColumn("Country", width="small"),
            "events": st.column_config.NumberColumn("Events", width="small"),
            "partners": st.column_config.NumberColumn("Degree", help="number of distinct partners", width="small"),
            "interactions": st.column_config.NumberColumn("Interactions", width="small"),
            "betweenness": st.column_config.NumberColumn(
                "Betweenness",
                format="%.3f",
                width="small",
                help="share of shortest paths that pass through the actor (estimated from "
                f"{network.BETWEENNESS_EXACT} sampled actors when the view has more)",
            ),
        },
    )
    st.caption(f"{len(table)} actor(s) in this view, most central (betweenness) first.")
