"""core.views.figures.network: relations fallback, graph, deterministic layout, figure, centralities."""

from __future__ import annotations

import numpy as np
import pytest

from core.views.figures import network, style
from tests.factories import empty_tables, make_tables

T = make_tables(seed=2)


def _graph(events=None):
    events = T["events"] if events is None else events
    rel = network.build_relations(events, T["actors"])
    return network.to_graph(rel, T["actors"], events)


def test_relations_from_events_counts_directed_pairs() -> None:
    rel = network.relations_from_events(T["events"], T["actors"])
    ev = T["events"]
    expected = ev[(ev["source_actor"] == "RUS") & (ev["target_actor"] == "KOR")]
    row = rel[(rel["source_actor"] == "RUS") & (rel["target_actor"] == "KOR")]
    assert int(row["n_events"].iloc[0]) == len(expected)
    assert set(row["event_ids"].iloc[0].split(";")) == set(expected["event_id"])


def test_graph_nodes_carry_name_country_and_event_count() -> None:
    g = _graph()
    assert g.nodes["igor-sergeev"]["name"] == "Igor Sergeev"
    assert g.nodes["igor-sergeev"]["country"] == "RUS"
    assert g.nodes["KOR"]["n_events"] > 0
    for _, _, d in g.edges(data=True):
        assert isinstance(d["event_ids"], list) and d["event_ids"]


@pytest.mark.parametrize("seed", [42, 7])
def test_network_layout_is_deterministic_for_a_seed(seed: int) -> None:
    assert network.layout(_graph(), seed=seed) == network.layout(_graph(), seed=seed)


def test_network_layout_differs_between_seeds_but_covers_all_nodes() -> None:
    g = _graph()
    a, b = network.layout(g, seed=42), network.layout(g, seed=1)
    assert set(a) == set(b) == set(g.nodes)


def test_network_figure_colours_nodes_by_country_and_edges_by_goldstein() -> None:
    g = _graph()
    fig = network.network_figure(g)
    node_traces = [t for t in fig.data if t.mode == "markers+text"]
    assert {t.marker.color for t in node_traces} >= {style.COUNTRY_COLORS["RUS"], style.COUNTRY_COLORS["KOR"]}
    edge_lines = [t for t in fig.data if t.mode == "lines"]
    # an edge is two finite points; NaN separates edges within one trace
    drawn = sum(int(np.isfinite(np.asarray(t.x, dtype=float)).sum()) // 2 for t in edge_lines)
    assert drawn == len(network.undirected_edges(g))
    assert len(edge_lines) <= drawn
    assert any(t.marker.showscale for t in fig.data if t.marker is not None and t.marker.colorscale)


@pytest.mark.parametrize(("goldstein", "channel"), [(-10.0, "red"), (10.0, "green")])
def test_goldstein_colour_runs_from_red_to_green(goldstein: float, channel: str) -> None:
    c = network._goldstein_color(goldstein)
    r, gr = int(c[1:3], 16), int(c[3:5], 16)
    assert (r > gr) if channel == "red" else (gr > r)


def test_network_figure_caps_labels() -> None:
    fig = network.network_figure(_graph(), max_labels=3)
    labels = [x for t in fig.data if t.mode == "markers+text" for x in t.text if x]
    assert len(labels) == 3
    assert "on hover only" in fig.layout.title.subtitle.text


def test_network_click_keys_map_back_to_events() -> None:
    g = _graph()
    fig = network.network_figure(g)
    keys = [c[0] for t in fig.data if t.customdata is not None for c in t.customdata]
    assert any(k.startswith("node:") for k in keys) and any(k.startswith("edge:") for k in keys)
    edge_key = next(k for k in keys if k.startswith("edge:"))
    ids = network.events_behind(g, edge_key)
    assert ids and set(ids) <= set(T["events"]["event_id"])
    assert network.events_behind(g, "node:KOR")
    assert network.events_behind(g, "node:nobody") == []


@pytest.mark.parametrize("depth", [1, 2])
def test_ego_view_limits_depth(depth: int) -> None:
    g = _graph()
    sub = network.ego(g, "KOR", depth)
    assert "KOR" in sub
    assert set(sub.nodes) <= set(g.nodes)
    if depth == 1:
        assert set(sub.nodes) == {"KOR", *g.successors("KOR"), *g.predecessors("KOR")}
    assert network.ego(g, "nobody", depth).number_of_nodes() == 0


def test_centrality_table_has_degree_and_betweenness() -> None:
    table = network.centrality_table(_graph())
    assert {"partners", "degree_centrality", "betweenness"} <= set(table.columns)
    assert table["betweenness"].is_monotonic_decreasing


@pytest.mark.parametrize("events", [empty_tables()["events"], T["events"].iloc[0:0]])
def test_network_empty_input_gives_annotated_figure(events) -> None:
    g = _graph(events)
    fig = network.network_figure(g)
    assert style.is_empty_figure(fig)
    assert network.centrality_table(g).empty
    assert network.layout(g) == {}


def test_network_centrality_of_a_big_graph_is_estimated_deterministically() -> None:
    import networkx as nx

    rnd = nx.gnm_random_graph(network.BETWEENNESS_EXACT + 60, 600, seed=5)
    g = nx.DiGraph()
    g.add_edges_from((f"a{s:03d}", f"a{t:03d}", {"n_events": 1}) for s, t in rnd.edges)
    first, again = network.centrality_table(g), network.centrality_table(g)
    assert first.equals(again)
    exact = nx.betweenness_centrality(g.to_undirected(), normalized=True)
    top_exact = set(sorted(exact, key=lambda n: (-exact[n], n))[:10])
    assert len(top_exact & set(first["actor_id"].head(10))) >= 7
    est = dict(zip(first["actor_id"], first["betweenness"], strict=True))
    assert max(abs(est[n] - exact[n]) for n in exact) < 0.05


# --------------------------------------------------------------------------- readable at size


def _boxes_overlap(boxes: list[list[float]]) -> bool:
    return any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3] for i, a in enumerate(boxes) for b in boxes[i + 1 :])


@pytest.mark.parametrize("seed", [0, 2, 5])
def test_network_labels_never_overlap(seed: int) -> None:
    t = make_tables(seed=seed, n_events=200)
    g = network.to_graph(network.build_relations(t["events"], t["actors"]), t["actors"], t["events"])
    fig = network.network_figure(g, max_labels=100)
    boxes = list(fig.layout.meta["label_boxes"].values())
    assert boxes and not _boxes_overlap(boxes)
    shown = [x for tr in fig.data if tr.mode == "markers+text" for x in tr.text if x]
    assert len(shown) == len(boxes)


def test_place_labels_drops_a_label_with_no_room() -> None:
    pos = {"a": (0.0, 0.0), "b": (0.001, 0.0), "c": (1.0, 1.0)}
    placed = network.place_labels(
        pos,
        {"a": "Alpha Ministry", "b": "Beta Ministry", "c": "Gamma"},
        {"a": 12, "b": 12, "c": 12},
        ["a", "b", "c"],
        width_px=200,
        height_px=200,
    )
    assert "a" in placed and "c" in placed
    assert not _boxes_overlap([b for _w, b in placed.values()])


def test_state_graph_folds_actors_into_their_countries() -> None:
    g = _graph()
    sg = network.state_graph(g)
    assert set(sg.nodes) <= {str(g.nodes[n].get("country", "")).upper() or network.NO_COUNTRY for n in g.nodes}
    assert all(s != t for s, t in sg.edges)
    assert sg.nodes["RUS"]["name"] == "Russia" and sg.nodes["KOR"]["name"] == "South Korea"
    # every cross-country interaction is kept: summed counts equal the actor graph's
    country = {n: str(g.nodes[n].get("country", "")).upper() or network.NO_COUNTRY for n in g.nodes}
    cross = sum(d["n_events"] for s, t, d in g.edges(data=True) if country[s] != country[t])
    assert sum(d["n_events"] for _, _, d in sg.edges(data=True)) == cross


def test_fold_others_keeps_top_n_and_one_others_node() -> None:
    g = _graph()
    folded = network.fold_others(g, top_n=4)
    assert len(folded) == 5 and network.OTHERS in folded
    assert sum(d["n_events"] for _, _, d in folded.edges(data=True)) <= sum(d["n_events"] for _, _, d in g.edges(data=True))


def test_co_mentions_are_drawn_apart_and_only_when_given() -> None:
    g = _graph()
    a, b = sorted(g.nodes)[:2]
    plain = network.network_figure(g)
    with_co = network.network_figure(g, co_edges=[(a, b, 2)])
    assert network.CO_MENTION_LABEL not in {t.name for t in plain.data}
    co = [t for t in with_co.data if t.name == network.CO_MENTION_LABEL]
    assert len(co) == 1 and co[0].line.dash == "dash"


_LAYOUT_IN_A_FRESH_INTERPRETER = """
import json
import networkx as nx
from core.views.figures import network
g = nx.DiGraph()
# components each smaller than half the graph (networkx then walks a component's nodes in set order)
for s, t in [("RUS", "PRK"), ("PRK", "KOR"), ("KOR", "USA"), ("USA", "RUS"), ("CHN", "PRK"),
             ("JPN", "UKR"), ("UKR", "POL"), ("POL", "DEU"), ("DEU", "JPN"), ("FRA", "DEU")]:
    g.add_edge(s, t, n_events=1)
for i in range(8):
    g.add_edge(f"A{i}", f"B{i}", n_events=1)
print(json.dumps(network.layout(g)))
"""


def test_network_layout_does_not_depend_on_the_hash_seed() -> None:
    """The same graph lays out the same in every server process (string hashing is salted per
    process, so anything walked in set order would move the nodes between runs)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    outs = {
        subprocess.run(
            [sys.executable, "-c", _LAYOUT_IN_A_FRESH_INTERPRETER],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": str(hash_seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in (0, 1, 2, 3, 4, 5)
    }
    assert len(outs) == 1, "the layout moved with PYTHONHASHSEED"
