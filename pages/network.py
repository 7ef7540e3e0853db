"""Network: who interacts with whom, how often, and how cooperatively; click to list the events."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import filters as F
from core.figures import network, style
from ui import export_buttons, state
from ui.tables import events_column_config, events_view, md_escape

corpus, filters, tables = state.page_setup(
    "network", "Network", ":material/hub:",
    "Actors are nodes (colour = country, size = number of events); a line joins two actors that acted toward "
    "each other, thicker for more interactions, from red (conflict) to green (cooperation) by mean Goldstein.",
)


@st.cache_data(show_spinner=False, max_entries=32)
def _graph(key: str, flt: F.Filters, _tables: dict[str, pd.DataFrame]):
    return network.graph_for_view(_tables, unfiltered=flt.is_empty())


@st.cache_data(show_spinner=False, max_entries=32)
def _centrality(key: str, flt: F.Filters, center: str, depth: int, _graph) -> pd.DataFrame:
    """Betweenness is the slow part of the page: once per view, not on every click."""
    return network.centrality_table(_graph)


@st.cache_data(show_spinner=False, max_entries=32)
def _layout(key: str, flt: F.Filters, _graph) -> dict:
    return network.layout(_graph, seed=42)


graph = _graph(corpus.key, filters, tables)
names = {n: graph.nodes[n].get("name", n) for n in graph.nodes}
choices = ["", *sorted(graph.nodes, key=lambda n: str(names[n]).lower())]

ego_param = state.page_param("ego")
if ego_param and ego_param not in graph:
    st.caption(f"Ignored ego={md_escape(ego_param)}: that actor has no interactions under the current filters.")
    state.set_page_param("ego", None)
    ego_param = None
state.seed_widget("network_ego", "ego", "", lambda v: v if v in choices else None)
if st.session_state.get("network_ego") not in choices:
    st.session_state["network_ego"] = ""
state.seed_widget("network_depth", "depth", 1, lambda v: int(v) if v in ("1", "2") else None)

c1, c2 = st.columns([3, 1])
center = c1.selectbox("Ego view: centre on an actor", choices, key="network_ego",
                      format_func=lambda n: "Whole network" if not n else f"{names[n]}")
depth = c2.radio("Depth (steps from the actor)", [1, 2], key="network_depth", horizontal=True, disabled=not center)
state.publish_widget("network_ego", "ego", center or None)
state.publish_widget("network_depth", "depth", str(depth) if center else None)

view_graph = network.ego(graph, center, depth) if center else graph
positions = _layout(corpus.key, filters, graph)  # one layout for the whole graph: ego views keep positions
title = f"Ego network of {names[center]} (depth {depth})" if center else "Network of interactions between actors"
fig = network.network_figure(view_graph, positions, subtitle=F.describe(filters, tables),
                             source=style.source_line(tables, [tables["events"]]), title=title,
                             highlight=center or None)
event = st.plotly_chart(fig, theme=None, width="stretch", key="network_chart", on_select="rerun",
                        selection_mode="points",
                        config=state.chart_config("network" + (f"-ego-{center}" if center else ""), filters, corpus))
export_buttons.render(fig, "network" + (f"-ego-{center}" if center else ""), filters, corpus, tables, page="network",
                      key="network")
state.caption(filters, tables)
if style.is_empty_figure(fig):
    state.empty_state("No interactions (events with a source and a target actor) match the current filters.")
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
        st.caption("Click a node (an actor) or the diamond in the middle of a line (a pair of actors) to list "
                   "the events behind it.")
    else:
        ids: list[str] = []
        for k in keys:
            ids += network.events_behind(view_graph, k)
        label = ", ".join(
            names.get(k[5:], k[5:]) if k.startswith("node:") else " – ".join(names.get(x, x) for x in k[5:].split("|"))
            for k in keys
        )
        ev = tables["events"]
        chosen = ev[F.text(ev["event_id"]).isin(set(ids))]
        st.caption(f"{len(chosen)} event(s) for {md_escape(label)}.")
        st.dataframe(events_view(chosen, corpus.tables["actors"], state.link_params(filters))
                     [["date", "event_type", "status", "actors", "evidence", "article"]],
                     hide_index=True, column_config=events_column_config(), width="stretch")
with right:
    st.subheader("Centrality", anchor=False)
    table = _centrality(corpus.key, filters, center or "", depth if center else 0, view_graph)
    st.dataframe(
        table[["name", "country", "events", "partners", "interactions", "betweenness"]], hide_index=True,
        width="stretch",
        column_config={
            "name": st.column_config.TextColumn("Actor"),
            "country": st.column_config.TextColumn("Country", width="small"),
            "events": st.column_config.NumberColumn("Events", width="small"),
            "partners": st.column_config.NumberColumn("Degree", help="number of distinct partners", width="small"),
            "interactions": st.column_config.NumberColumn("Interactions", width="small"),
            "betweenness": st.column_config.NumberColumn("Betweenness", format="%.3f", width="small",
                                                         help="share of shortest paths that pass through the actor (estimated from "
                                                              f"{network.BETWEENNESS_EXACT} sampled actors when the view has more)"),
        },
    )
    st.caption(f"{len(table)} actor(s) in this view, most central (betweenness) first.")
