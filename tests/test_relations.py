"""core.query.relations: events aggregated per ordered pair, at actor and at state level."""

from __future__ import annotations

import pytest

from core.query.relations import build_relations
from tests.factories import make_tables


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_relations_actor_level_alone_equals_the_actor_rows_of_both(seed: int) -> None:
    t = make_tables(seed=seed, n_events=150)
    both = build_relations(t["events"], t["actors"])
    alone = build_relations(t["events"], t["actors"], state_level=False)
    assert set(alone["level"]) == {"actor"} and set(both["level"]) == {"actor", "state"}
    assert alone.reset_index(drop=True).equals(both[both["level"] == "actor"].reset_index(drop=True))


@pytest.mark.parametrize("seed", [0, 3])
def test_relations_event_ids_are_sorted_distinct_and_counted(seed: int) -> None:
    t = make_tables(seed=seed, n_events=150)
    rel = build_relations(t["events"], t["actors"])
    for ids, n in zip(rel["event_ids"], rel["n_events"], strict=True):
        parts = ids.split(";")
        assert parts == sorted(set(parts)) and len(parts) == n


# --------------------------------------------------------------------------- edges are source → target only

import pandas as pd  # noqa: E402

from core.query.relations import co_mentions, event_edges  # noqa: E402
from tests.helpers import run  # noqa: E402


def _events_of(text: str) -> pd.DataFrame:
    doc = run(text)
    return pd.DataFrame(
        [
            {
                "event_id": f"e{i}",
                "source_actor": e.source_actor or "",
                "target_actor": e.target_actor or "",
                "actors": ";".join(e.actors),
                "start_date": "2000-05-18",
                "goldstein": -2.0,
                "quad_class": 3,
            }
            for i, e in enumerate(doc.events)
        ]
    )


@pytest.mark.parametrize(
    ("sentence", "not_an_edge"),
    [
        ("Russia and China staunchly oppose the system, the Foreign Ministry said on Monday.", {("RUS", "CHN"), ("CHN", "RUS")}),
        ("Kim Jong Un praised Russia's struggle in Ukraine on Tuesday.", {("RUS", "UKR"), ("kim-jong-un", "UKR")}),
    ],
)
def test_relations_no_edge_that_no_sentence_states(sentence: str, not_an_edge: set) -> None:
    ev = _events_of(sentence)
    assert not ev.empty
    edges = set(zip(event_edges(ev)["source"], event_edges(ev)["target"], strict=True))
    assert not edges & not_an_edge
    rel = build_relations(ev, pd.DataFrame(columns=["actor_id", "country"]), state_level=False)
    assert not set(zip(rel["source_actor"], rel["target_actor"], strict=True)) & not_an_edge


def test_relations_co_mention_is_a_separate_undirected_layer() -> None:
    ev = pd.DataFrame(
        [
            {
                "event_id": "a",
                "source_actor": "RUS",
                "target_actor": "",
                "actors": "RUS;CHN",
                "start_date": "",
                "goldstein": 1,
                "quad_class": 1,
            },
            {
                "event_id": "b",
                "source_actor": "CHN",
                "target_actor": "RUS",
                "actors": "CHN;RUS;USA",
                "start_date": "",
                "goldstein": 1,
                "quad_class": 1,
            },
        ]
    )
    co = co_mentions(ev)
    pairs = {(a, b): n for a, b, n in zip(co["actor_a"], co["actor_b"], co["n_events"], strict=True)}
    # event a names both without linking them; event b links CHN→RUS (an edge, not a co-mention) and names USA
    assert pairs == {("CHN", "RUS"): 1, ("CHN", "USA"): 1, ("RUS", "USA"): 1}
    assert list(zip(event_edges(ev)["source"], event_edges(ev)["target"], strict=True)) == [("CHN", "RUS")]


def test_relations_one_aggregator_for_store_and_network() -> None:
    from core.views.figures import network

    t = make_tables(seed=1, n_events=120)
    a = build_relations(t["events"], t["actors"], state_level=False).reset_index(drop=True)
    b = network.relations_from_events(t["events"], t["actors"]).reset_index(drop=True)
    assert a.equals(b)
