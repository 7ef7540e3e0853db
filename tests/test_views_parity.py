"""Differential test of the view registry (issue 15): every view's ``build`` draws exactly the figure
the old recipes drew — the page's, the briefing's — for the same tables, filters and options.

The old recipes are kept here verbatim as written in pages/*.py, app.py and core/views/briefing.py before
the registry (commit 4e002e5), so a change to a view's recipe that changes its figure fails here
with the view, the options and the filters named. Figures are compared as ``fig.to_json()``.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from core.query import filters as F
from core.query import frames
from core.storage import resolve as R
from core.views import registry as views
from core.views.figures import debt_arms, dyad, network, style, timeline
from tests.factories import make_tables

# --------------------------------------------------------------------------- the old recipes


def old_overview(flt: F.Filters, t: dict) -> object:  # app.py: _dyad
    subtitle = F.describe(flt, t) + "; Σ Goldstein per direction (USSR counted as Russia)"
    return dyad.dyad_figure(t["events"], t["actors"], subtitle=subtitle, source=style.source_line(t, [t.get("reports", t["events"])]))


def old_timeline_page(flt: F.Filters, t: dict, lane: str, n_lanes: int, picked: tuple[str, ...]) -> object:
    return timeline.timeline_figure(
        t["events"],
        t["actors"],
        lane=lane,
        max_lanes=n_lanes,
        lanes_wanted=list(picked) or None,
        subtitle=F.describe(flt, t),
        window=(flt.start, flt.end),
        source=style.source_line(t, [t.get("reports", t["events"])]),
    )


def old_network_page(
    flt: F.Filters, tables: dict, every: bool, level: str | None, center: str, depth: int, top: int | None, show_co: bool
) -> object:
    graph = network.graph_for_view(tables, unfiltered=flt.is_empty() and every)
    default_level = "state" if graph.number_of_nodes() > network.STATE_VIEW_ABOVE else "actor"
    level = level or default_level
    base = network.state_graph(graph) if level == "state" else graph
    names = {n: network.display_name(base, n) for n in base.nodes}
    n_base = base.number_of_nodes()
    if top is None:
        top = network.TOP_N if level == "actor" and not center and n_base > network.TOP_N + 1 else n_base
    if center:
        view_graph = network.ego(base, center, depth)
    elif level == "actor" and top < n_base:
        view_graph = network.fold_others(base, top)
    else:
        view_graph = base
    positions = network.layout(base if center or view_graph is base else view_graph, seed=42)
    co_edges = _old_co_edges(level, tables, view_graph, graph) if show_co else None
    what = "states" if level == "state" else "actors"
    title = f"Ego network of {names[center]} (depth {depth})" if center else f"Network of interactions between {what}"
    return network.network_figure(
        view_graph,
        positions,
        subtitle=F.describe(flt, tables),
        source=style.source_line(tables, [tables.get("reports", tables["events"])]),
        title=title,
        highlight=center or None,
        co_edges=co_edges,
    )


def _old_co_edges(level: str, _tables: dict, view, actor_graph) -> list[tuple[str, str, int]]:
    from core.query.relations import co_mentions

    co = co_mentions(_tables["events"])
    country = {n: (str(actor_graph.nodes[n].get("country", "")) or "").upper() for n in actor_graph.nodes}
    out: dict[tuple[str, str], int] = {}
    for a, b, k in zip(co["actor_a"], co["actor_b"], co["n_events"], strict=False):
        if level == "state":
            a, b = country.get(a, a if len(a) == 3 else ""), country.get(b, b if len(b) == 3 else "")
        else:
            a = a if a in view else (network.OTHERS if network.OTHERS in view else "")
            b = b if b in view else (network.OTHERS if network.OTHERS in view else "")
        if a and b and a != b and a in view and b in view:
            pair = tuple(sorted((a, b)))
            out[pair] = out.get(pair, 0) + int(k)
    return [(a, b, k) for (a, b), k in sorted(out.items())]


def old_debt_arms_page(flt: F.Filters, t: dict) -> object:
    shown = debt_arms.dollar_rows(t["amounts"])
    n = len(shown)
    subtitle = f"{n} dollar figure{'s' if n != 1 else ''}; filters: {F.describe(flt, t)}"
    return debt_arms.debt_arms_figure(t["amounts"], t["articles"], subtitle=subtitle, source=style.source_line(t, [shown]))


def old_briefing_view(key: str, tables: dict, filters: F.Filters) -> tuple[object, list[pd.DataFrame]]:
    ev, actors = tables["events"], tables["actors"]
    describe = F.describe(filters, tables)
    if key == "timeline":
        return timeline.timeline_figure(ev, actors, lane="actor", subtitle=describe, source=style.source_line(tables, [ev])), [ev]
    if key == "network":
        graph = network.to_graph(network.build_relations(ev, actors), actors, ev)
        fig = network.network_figure(graph, network.layout(graph, seed=42), subtitle=describe, source=style.source_line(tables, [ev]))
        return fig, [ev]
    if key == "debt_arms":
        shown = debt_arms.dollar_rows(tables["amounts"])
        n = len(shown)
        fig = debt_arms.debt_arms_figure(
            tables["amounts"],
            tables["articles"],
            subtitle=f"{n} dollar figure{'s' if n != 1 else ''}",
            source=style.source_line(tables, [shown]),
        )
        return fig, [shown]
    top = views.key_events(ev)
    return views.key_events_figure(ev, actors, subtitle=describe, source=style.source_line(tables, [top])), [top]


# --------------------------------------------------------------------------- corpora


def _many_actors(seed: int = 5, n_actors: int = 90) -> dict[str, pd.DataFrame]:
    """Factory tables whose events are re-cast among ``n_actors`` people of six countries: a network
    past the state-view and folding thresholds."""
    t = make_tables(seed=seed, n_events=300)
    rnd = random.Random(seed)
    countries = ["RUS", "KOR", "PRK", "USA", "CHN", "JPN"]
    people = pd.DataFrame({c: [""] * n_actors for c in t["actors"].columns})
    people["actor_id"] = [f"person-{i:03d}" for i in range(n_actors)]
    people["name"] = [f"Person {i:03d}" for i in range(n_actors)]
    people["kind"] = "person"
    people["country"] = [countries[i % len(countries)] for i in range(n_actors)]
    ev = t["events"].copy()
    src = [people["actor_id"][rnd.randrange(n_actors)] for _ in range(len(ev))]
    tgt = [people["actor_id"][rnd.randrange(n_actors)] for _ in range(len(ev))]
    ev["source_actor"], ev["target_actor"] = src, tgt
    ev["actors"] = [f"{s};{g}" for s, g in zip(src, tgt, strict=True)]
    out = {**t, "actors": pd.concat([t["actors"], people], ignore_index=True), "events": ev}
    return frames.ensure_tables(out)


@pytest.fixture(scope="module")
def sample() -> dict[str, pd.DataFrame]:
    """The bundled sample articles, through the real store."""
    from core.io.ingest import open_store
    from core.query.tables import load_tables

    with pytest.MonkeyPatch.context() as mp:
        import tempfile

        mp.delenv("RUSKOR_SEED_DIR", raising=False)
        tmp = Path(tempfile.mkdtemp(prefix="views-parity-"))
        return frames.ensure_tables(load_tables(open_store(tmp / "corpus.sqlite")))


CORPORA = {"factory": lambda: frames.ensure_tables(make_tables(seed=0)), "many_actors": _many_actors}
FILTERS = [F.Filters(), F.Filters(start=date(2000, 1, 1), end=date(2001, 6, 30)), F.Filters(quad_classes=(1, 3))]


@pytest.fixture(params=["sample", *CORPORA])
def corpus(request: pytest.FixtureRequest) -> dict[str, pd.DataFrame]:
    if request.param == "sample":
        return request.getfixturevalue("sample")
    return CORPORA[request.param]()


def _page_tables(full: dict, flt: F.Filters, every: bool) -> dict:
    """What the Overview, Timeline and Network pages hand their recipe: resolved events unless every report."""
    t = F.apply(full, flt)
    ev = t["events"] if every or t["events"].empty else R.collapse(t["events"], full.get("resolved_events", pd.DataFrame()))
    return {**t, "events": ev, "reports": t["events"]}


def _same(old, new) -> None:
    assert new.to_json() == old.to_json()


# --------------------------------------------------------------------------- the pages


@pytest.mark.parametrize("flt", FILTERS, ids=["all", "dates", "quad"])
@pytest.mark.parametrize("every", [False, True], ids=["resolved", "every"])
def test_views_overview_as_before(corpus, flt, every) -> None:
    t = _page_tables(corpus, flt, every)
    _same(old_overview(flt, t), views.get("overview").run(t, flt).figure)


@pytest.mark.parametrize("flt", FILTERS, ids=["all", "dates", "quad"])
@pytest.mark.parametrize(("lane", "n_lanes", "picked"), [("actor", None, ()), ("type", None, ()), ("actor", 3, ()), ("actor", 5, ("RUS",))])
def test_views_timeline_page_as_before(corpus, flt, lane, n_lanes, picked) -> None:
    t = _page_tables(corpus, flt, every=False)
    n_all = len(timeline.lane_counts(t["events"], t["actors"], lane))
    n = n_lanes or (min(timeline.MAX_LANES, n_all) if n_all > 5 else n_all)  # the page's slider default
    opts = {"lane": lane, "max_lanes": n, "lanes": picked}
    _same(old_timeline_page(flt, t, lane, n, picked), views.get("timeline").run(t, flt, opts).figure)


NETWORK_OPTIONS = [
    {},
    {"level": "actor"},
    {"level": "state"},
    {"level": "actor", "top": 8},
    {"co": True},
    {"level": "state", "co": True},
    {"level": "actor", "co": True, "top": 6},
    {"center": "RUS", "depth": 1},
    {"center": "RUS", "depth": 2, "co": True},
    {"level": "state", "center": "KOR", "depth": 1},
]


@pytest.mark.parametrize("flt", FILTERS[:2], ids=["all", "dates"])
@pytest.mark.parametrize("every", [False, True], ids=["resolved", "every"])
@pytest.mark.parametrize("opts", NETWORK_OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "default")
def test_views_network_page_as_before(corpus, flt, every, opts) -> None:
    t = _page_tables(corpus, flt, every)
    spec = views.get("network")
    full = {**spec.defaults, **opts}
    base = views.network_base(t, flt, views.network_level(views.network_graph(t, flt, every), full["level"]), every)
    if full["center"] and full["center"] not in base:
        pytest.skip(f"{full['center']} is not in this network")  # the page offers only the nodes drawn
    old = old_network_page(flt, t, every, full["level"], full["center"], full["depth"], full["top"], full["co"])
    new = spec.run(t, flt, {**opts, "stored_relations": every})
    _same(old, new.figure)


@pytest.mark.parametrize("flt", FILTERS, ids=["all", "dates", "quad"])
def test_views_debt_arms_page_as_before(corpus, flt) -> None:
    t = F.apply(corpus, flt)
    _same(old_debt_arms_page(flt, t), views.get("debt-arms").run(t, flt).figure)


# --------------------------------------------------------------------------- the briefing

BRIEFING_KEYS = {"timeline": "timeline", "network": "network", "debt_arms": "debt-arms", "key_events": "events"}


@pytest.mark.parametrize("flt", FILTERS, ids=["all", "dates", "quad"])
@pytest.mark.parametrize("old_key", list(BRIEFING_KEYS))
def test_views_briefing_as_before(corpus, flt, old_key) -> None:
    from core.views import briefing

    t = F.apply(corpus, flt)
    old_fig, old_rows = old_briefing_view(old_key, t, flt)
    fig, rows = briefing.view_figure(BRIEFING_KEYS[old_key], t, flt)
    _same(old_fig, fig)
    assert len(rows) == len(old_rows) and all(a.equals(b) for a, b in zip(rows, old_rows, strict=True))


def test_views_many_actors_reach_the_state_view_and_folding() -> None:
    """The big corpus above does exercise the defaults that depend on size (else the parity is hollow)."""
    t = _page_tables(_many_actors(), F.Filters(), every=True)
    result = views.get("network").run(t, F.Filters(), {"level": "actor"})
    assert result.extras["graph"].number_of_nodes() > network.STATE_VIEW_ABOVE
    assert network.OTHERS in result.extras["view"]
    assert views.get("network").run(t, F.Filters()).extras["level"] == "state"
