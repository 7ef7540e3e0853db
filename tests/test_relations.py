"""core.relations: events aggregated per ordered pair, at actor and at state level."""

from __future__ import annotations

import pytest

from core.relations import build_relations
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
