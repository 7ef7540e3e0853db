"""The test factories (tests/factories.py) agree with data/cameo.csv and the schema: a fixture that
contradicts the code table (root 05 as QuadClass 2, say) would make every chart test check the wrong thing."""

from __future__ import annotations

import pytest

from core.domain import cameo
from core.domain.rules import STATUSES
from tests.factories import EVENT_TYPES, make_tables


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_factories_events_take_quad_class_and_goldstein_from_cameo_csv(seed: int) -> None:
    ev = make_tables(seed=seed, n_events=80)["events"]
    assert not ev.empty
    for r in ev.itertuples():
        assert r.cameo_root == r.cameo_code[:2], r.event_id
        assert int(r.quad_class) == cameo.quad_class(r.cameo_code), (r.event_id, r.cameo_code, r.quad_class)
        assert float(r.goldstein) == cameo.goldstein(r.cameo_code), (r.event_id, r.cameo_code, r.goldstein)
        assert r.status in STATUSES


def test_factories_event_types_are_grouped_by_their_roots_quad_class() -> None:
    for quad, types in EVENT_TYPES.items():
        first, last = cameo.quad_roots()[quad]
        assert types and all(first <= root <= last for _etype, root, _g in types), quad


@pytest.mark.parametrize("seed", [0, 3])
def test_factories_relations_count_the_events_quad_classes(seed: int) -> None:
    tables = make_tables(seed=seed, n_events=60)
    ev, rel = tables["events"], tables["relations"]
    for r in rel.itertuples():
        pair = ev[(ev["source_actor"] == r.source_actor) & (ev["target_actor"] == r.target_actor)]
        counts = pair["quad_class"].astype(int).value_counts()
        assert [r.q1, r.q2, r.q3, r.q4] == [int(counts.get(q, 0)) for q in (1, 2, 3, 4)]
        assert r.n_events == len(pair)
