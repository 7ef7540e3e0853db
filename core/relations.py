"""Relations between actors: events aggregated per ordered pair, and the graph drawn from them."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from core.schema import TABLES


def event_edges(events: pd.DataFrame) -> pd.DataFrame:
    """One row per (event, source, target): the directed interactions an event stands for.

    With a source and a target the edge is theirs; with a source only, the source acts on every
    other actor of the event; with neither, the event draws no edge.
    """
    rows = []
    cols = ["event_id", "source_actor", "target_actor", "actors", "start_date", "goldstein", "quad_class"]
    if events.empty:
        return pd.DataFrame(columns=["event_id", "source", "target", "start_date", "goldstein", "quad_class"])
    columns = [events[c].tolist() for c in cols]  # plain lists: row-wise access on Arrow columns is slow
    for event_id, src, tgt, actors, start, goldstein, quad in zip(*columns, strict=True):
        src, tgt = src or "", tgt or ""
        if src and tgt:
            pairs = [(src, tgt)]
        elif src:
            pairs = [(src, a) for a in str(actors or "").split(";") if a and a != src]
        else:
            continue
        for s, t in pairs:
            if s != t:
                rows.append((event_id, s, t, start, goldstein, quad))
    return pd.DataFrame(rows, columns=["event_id", "source", "target", "start_date", "goldstein", "quad_class"])


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
