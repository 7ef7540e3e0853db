"""Relations between actors: events aggregated per ordered pair, and the graph drawn from them."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from core.domain.schema import TABLES


def event_edges(events: pd.DataFrame) -> pd.DataFrame:
    """One row per event with both a source and a target: the directed interaction it states.

    An edge is the source → target of an event and nothing else. An event with a source but no
    target ("Russia and China staunchly oppose the system") states no interaction between the
    actors it names; those appear only in :func:`co_mentions`, a separate undirected layer.
    """
    out_cols = ["event_id", "source", "target", "start_date", "goldstein", "quad_class"]
    if events is None or events.empty:
        return pd.DataFrame(columns=out_cols)
    src = events["source_actor"].astype(object).where(events["source_actor"].notna(), "").astype(str).str.strip()
    tgt = events["target_actor"].astype(object).where(events["target_actor"].notna(), "").astype(str).str.strip()
    keep = (src != "") & (tgt != "") & (src != tgt)
    out = pd.DataFrame(
        {
            "event_id": events["event_id"].astype(str)[keep].to_numpy(dtype=object),
            "source": src[keep].to_numpy(dtype=object),
            "target": tgt[keep].to_numpy(dtype=object),
            "start_date": events["start_date"][keep].to_numpy(dtype=object),
            "goldstein": pd.to_numeric(events["goldstein"], errors="coerce")[keep].to_numpy(),
            "quad_class": events["quad_class"][keep].to_numpy(dtype=object),
        }
    )
    return out[out_cols]


def co_mentions(events: pd.DataFrame) -> pd.DataFrame:
    """Undirected pairs of actors named in one event that the event does not link as source → target.

    Columns: actor_a, actor_b (sorted), n_events, event_ids. "Russia and China oppose" names both
    in one event: a co-mention, not an interaction — the network draws it only when asked, dashed.
    """
    cols = ["actor_a", "actor_b", "n_events", "event_ids"]
    if events is None or events.empty:
        return pd.DataFrame(columns=cols)
    pairs: dict[tuple[str, str], set[str]] = {}
    for eid, actors, s, t in zip(
        events["event_id"].astype(str),
        events["actors"].tolist(),
        events["source_actor"].tolist(),
        events["target_actor"].tolist(),
        strict=False,
    ):
        s = "" if s is None or s != s else str(s).strip()
        t = "" if t is None or t != t else str(t).strip()
        named = sorted({a.strip() for a in str(actors or "").split(";") if a.strip()} | ({s} if s else set()) | ({t} if t else set()))
        if len(named) < 2:
            continue
        linked = tuple(sorted((s, t))) if s and t else None
        for i, a in enumerate(named):
            for b in named[i + 1 :]:
                if (a, b) != linked:
                    pairs.setdefault((a, b), set()).add(eid)
    rows = [(a, b, len(ids), ";".join(sorted(ids))) for (a, b), ids in sorted(pairs.items())]
    return pd.DataFrame(rows, columns=cols)


def _aggregate(edges: pd.DataFrame, level: str) -> pd.DataFrame:
    if edges.empty:
        return pd.DataFrame(columns=TABLES["relations"])
    edges = edges.copy()
    edges["start_date"] = edges["start_date"].replace("", None)
    for q in (1, 2, 3, 4):
        edges[f"q{q}"] = (pd.to_numeric(edges["quad_class"], errors="coerce") == q).astype(int)
    g = edges.groupby(["source", "target"], sort=True)
    out = g.agg(
        n_events=("event_id", "nunique"),
        first_date=("start_date", "min"),
        last_date=("start_date", "max"),
        mean_goldstein=("goldstein", "mean"),
        q1=("q1", "sum"),
        q2=("q2", "sum"),
        q3=("q3", "sum"),
        q4=("q4", "sum"),
    ).reset_index()
    # the ids of each pair, sorted and distinct: one sort of the whole table, not a set per group
    ids = edges[["source", "target", "event_id"]].drop_duplicates().sort_values(["source", "target", "event_id"])
    joined = ids.groupby(["source", "target"], sort=True)["event_id"].agg(";".join)
    out["event_ids"] = joined.to_numpy()
    out = out.rename(columns={"source": "source_actor", "target": "target_actor"})
    out["mean_goldstein"] = out["mean_goldstein"].astype(float).round(2)
    out["level"] = level
    out[["first_date", "last_date"]] = out[["first_date", "last_date"]].fillna("")
    return out[TABLES["relations"]]


def build_relations(events: pd.DataFrame, actors: pd.DataFrame, state_level: bool = True) -> pd.DataFrame:
    """Actor-pair rows (level 'actor') and state-dyad rows (level 'state', via countries; left out
    with ``state_level=False``, as the network page needs only the actor pairs)."""
    edges = event_edges(events)
    actor_level = _aggregate(edges, "actor")
    if not state_level:
        return actor_level
    country = dict(zip(actors["actor_id"], actors["country"].fillna(""), strict=False)) if not actors.empty else {}
    dyads = edges.assign(source=edges["source"].map(country).fillna(""), target=edges["target"].map(country).fillna(""))
    dyads = dyads[(dyads["source"] != "") & (dyads["target"] != "") & (dyads["source"] != dyads["target"])]
    state_level = _aggregate(dyads, "state")
    return pd.concat([actor_level, state_level], ignore_index=True)


def to_graph(relations: pd.DataFrame, actors: pd.DataFrame, level: str = "actor") -> nx.DiGraph:
    """A directed graph of one level of the relations table; nodes carry name, kind, country."""
    g = nx.DiGraph()
    info = actors.set_index("actor_id").to_dict("index") if not actors.empty else {}
    rel = relations[relations["level"] == level] if not relations.empty else relations
    for r in rel.itertuples(index=False):
        for node in (r.source_actor, r.target_actor):
            if node not in g:
                a = info.get(node, {})
                g.add_node(
                    node,
                    name=a.get("name", node),
                    kind=a.get("kind", "state" if level == "state" else ""),
                    country=a.get("country", node if level == "state" else ""),
                    n_events=0,
                )
        g.add_edge(r.source_actor, r.target_actor, n_events=int(r.n_events), mean_goldstein=float(r.mean_goldstein), event_ids=r.event_ids)
        g.nodes[r.source_actor]["n_events"] += int(r.n_events)
        g.nodes[r.target_actor]["n_events"] += int(r.n_events)
    return g
