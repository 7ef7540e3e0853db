"""Seeded random tables in the exact schema of core/domain/schema.py, for tests.

Texts, sentences, mentions, citations and amounts share real character offsets, so the
annotated reader can be tested on them; one sentence carries HTML to prove it is escaped.
"""

from __future__ import annotations

import random
from collections import defaultdict

import pandas as pd

from core.domain import cameo as C
from core.domain.rules import STATUSES
from core.domain.schema import TABLES, row
from core.storage.resolve import attach_resolution

STATES = [
    ("RUS", "Russia", "RUS"),
    ("KOR", "South Korea", "KOR"),
    ("PRK", "North Korea", "PRK"),
    ("USA", "United States", "USA"),
    ("JPN", "Japan", "JPN"),
    ("CHN", "China", "CHN"),
    ("SUN", "Soviet Union", "SUN"),
]
PEOPLE = [
    ("igor-sergeev", "Igor Sergeev", "RUS"),
    ("kim-dae-jung", "Kim Dae-jung", "KOR"),
    ("cho-sung-tae", "Cho Sung-tae", "KOR"),
    ("kim-jong-il", "Kim Jong-il", "PRK"),
    ("vladimir-putin", "Vladimir Putin", "RUS"),
    ("leonid-ivashov", "Leonid Ivashov", "RUS"),
    ("mikhail-gorbachev", "Mikhail Gorbachev", "SUN"),
]
AGENCIES = ["AP", "AFP", "ITAR-TASS", "UPI", "Reuters", "RIA", "Korea Herald"]
TOPICS = ["arms", "debt", "diplomacy", "security", "summit"]
#: Event types the factory draws from, by CAMEO root; QuadClass and Goldstein come from data/cameo.csv.
VERBS = [
    ("consult", "04"),
    ("appeal", "02"),
    ("statement", "01"),
    ("agree", "05"),
    ("cooperate_military", "06"),
    ("provide_aid", "07"),
    ("yield", "08"),
    ("disapprove", "11"),
    ("reject", "12"),
    ("demand", "10"),
    ("threaten", "13"),
    ("reduce_relations", "16"),
    ("coerce", "17"),
    ("assault", "18"),
]


def _event_types() -> dict[int, list[tuple[str, str, float]]]:
    """(type, root, Goldstein) by QuadClass, read from the CAMEO table for each root's code ``<root>0``."""
    by_quad: dict[int, list[tuple[str, str, float]]] = defaultdict(list)
    for etype, root in VERBS:
        by_quad[C.quad_class(root + "0")].append((etype, root, C.goldstein(root + "0")))
    return dict(by_quad)


EVENT_TYPES = _event_types()
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
HOSTILE = 'Pyongyang warned that <script>alert("x")</script> & <b>arms</b> talks would fail.'


def _frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """Rows built by the schema's own row builder (exact columns; a misspelt one fails)."""
    return pd.DataFrame([row(name, r) for r in rows], columns=TABLES[name])


def empty_tables() -> dict[str, pd.DataFrame]:
    """Every table with its columns and no rows."""
    return {name: _frame(name, []) for name in TABLES}


def make_tables(seed: int = 0, n_articles: int = 6, n_events: int = 40, n_reference: int = 3) -> dict[str, pd.DataFrame]:
    """A small, self-consistent corpus; the same seed always gives the same tables."""
    rng = random.Random(seed)
    actors = (
        [{"actor_id": a, "name": n, "kind": "state", "country": c, "source": "factory", "aliases": "", "roles": ""} for a, n, c in STATES]
        + [
            {"actor_id": a, "name": n, "kind": "person", "country": c, "source": "factory", "aliases": "", "roles": "minister"}
            for a, n, c in PEOPLE
        ]
        + [
            {
                "actor_id": "rus-mod",
                "name": "Russian Defense Ministry",
                "kind": "organization",
                "country": "RUS",
                "source": "factory",
                "aliases": "",
                "roles": "",
            },
            {
                "actor_id": "itar-tass",
                "name": "ITAR-TASS",
                "kind": "media",
                "country": "RUS",
                "source": "factory",
                "aliases": "",
                "roles": "",
            },
        ]
    )
    people = [p for p in PEOPLE]
    articles, sentences, mentions, citations, events, amounts = [], [], [], [], [], []
    article_sentences: dict[str, list[dict]] = defaultdict(list)

    for i in range(n_articles):
        year = 1999 + (i * 3) // max(n_articles, 1)
        month = 1 + (i * 5 + rng.randrange(3)) % 12
        day = 1 + rng.randrange(27)
        pub = f"{year}-{month:02d}-{day:02d}"
        aid = f"monitor-{year}-v{year - 1994}-i{100 + i}"
        paragraphs: list[list[tuple[str, list[str]]]] = []
        for p in range(3):
            para = []
            for _s in range(3):
                a, b = rng.sample(people, 2)
                agency = rng.choice(AGENCIES)
                cited_day = max(1, day - rng.randrange(3))
                sent = (
                    f"{a[1]} met {b[1]} to discuss arms and the debt on "
                    f"{MONTHS[month - 1]} {cited_day} ({agency}, {MONTHS[month - 1]} {cited_day})."
                )
                para.append((sent, [a[0], b[0]]))
            if i == 0 and p == 1:
                para.append((HOSTILE, ["PRK"]))
            if p == 2:
                para.append((f"Moscow's US$1.8 billion debt to Seoul was discussed in {MONTHS[month - 1]}.", ["RUS", "KOR"]))
            paragraphs.append(para)
        header = f"Publication: Monitor Volume: {year - 1994} Issue: {100 + i}\n\n"
        body = header
        sid = 0
        for p_idx, para in enumerate(paragraphs):
            for s_text, ids in para:
                start = len(body)
                body += s_text
                row = {
                    "article_id": aid,
                    "sentence_id": sid,
                    "paragraph_id": p_idx,
                    "start_char": start,
                    "end_char": start + len(s_text),
                    "text": s_text,
                }
                sentences.append(row)
                article_sentences[aid].append(row)
                names = {a: n for a, n, _ in PEOPLE + STATES}
                for actor_id in ids:
                    name = {"PRK": "Pyongyang", "RUS": "Moscow", "KOR": "Seoul"}.get(actor_id, names[actor_id])
                    pos = s_text.find(name)
                    if pos >= 0:
                        mentions.append(
                            {
                                "article_id": aid,
                                "actor_id": actor_id,
                                "text": name,
                                "start_char": start + pos,
                                "end_char": start + pos + len(name),
                                "sentence_id": sid,
                                "rule": "factory",
                            }
                        )
                if "(" in s_text and s_text != HOSTILE:
                    inner = s_text[s_text.index("(") + 1 : s_text.rindex(")")]
                    agency = inner.split(",")[0]
                    pos = s_text.index("(")
                    citations.append(
                        {
                            "article_id": aid,
                            "agency": agency,
                            "cited_date": pub,
                            "cited_end": "",
                            "raw": f"({inner})",
                            "start_char": start + pos,
                            "end_char": start + pos + len(inner) + 2,
                            "sentence_id": sid,
                        }
                    )
                if "US$1.8 billion" in s_text:
                    pos = s_text.index("US$1.8 billion")
                    amounts.append(
                        {
                            "amount_id": f"{aid}-a{sid}",
                            "article_id": aid,
                            "value_usd": 1.8e9 + rng.choice([0, 0.2e9, -0.3e9]),
                            "category": "debt",
                            "status": "reported",
                            "as_of_date": pub,
                            "evidence": s_text,
                            "as_of_end": "",
                            "date_precision": "day",
                            "raw_text": "US$1.8 billion",
                            "from_actor": "RUS",
                            "to_actor": "KOR",
                            "topics": "debt",
                            "rule": "factory",
                            "sentence_id": sid,
                            "start_char": start + pos,
                            "end_char": start + pos + len("US$1.8 billion"),
                            "origin": "article",
                            "source_url": "",
                            "note": "",
                        }
                    )
                sid += 1
                body += " "
            body = body.rstrip() + "\n\n"
        articles.append(
            {
                "article_id": aid,
                "source_file": f"{aid}.txt",
                "publication": "Monitor",
                "volume": year - 1994,
                "issue": 100 + i,
                "published_date": pub,
                "title": f"Monitor {year} issue {100 + i}",
                "date_method": "factory",
                "date_precision": "day",
                "date_note": "",
                "encoding": "utf-8",
                "format": "txt",
                "n_chars": len(body),
                "n_words": len(body.split()),
                "content_hash": f"h{i}",
                "warnings": "",
                "origin": "article",
            }
        )

    dyads = [
        ("RUS", "KOR"),
        ("KOR", "RUS"),
        ("RUS", "PRK"),
        ("PRK", "RUS"),
        ("igor-sergeev", "cho-sung-tae"),
        ("cho-sung-tae", "igor-sergeev"),
        ("kim-dae-jung", "vladimir-putin"),
        ("kim-jong-il", "vladimir-putin"),
        ("SUN", "KOR"),
        ("RUS", "USA"),
        ("leonid-ivashov", "KOR"),
    ]
    for j in range(n_events):
        art = rng.choice(articles)
        sent = rng.choice(article_sentences[art["article_id"]])
        pub = pd.Timestamp(art["published_date"])
        start = pub - pd.Timedelta(days=rng.randrange(0, 40))
        quad = rng.choice([1, 1, 2, 2, 3, 4])
        etype, cameo, gold = rng.choice(EVENT_TYPES[quad])
        src, tgt = rng.choice(dyads)
        status = STATUSES[j % len(STATUSES)]
        undated = j % 17 == 16
        is_range = j % 5 == 0
        end = start + pd.Timedelta(days=rng.randrange(2, 20)) if is_range else None
        extra = rng.choice(["", "", "RUS", "igor-sergeev"])
        acts = list(dict.fromkeys([src, tgt] + ([extra] if extra else [])))
        events.append(
            {
                "event_id": f"ev{j:03d}",
                "article_id": art["article_id"],
                "start_date": "" if undated else start.date().isoformat(),
                "end_date": "" if undated or end is None else end.date().isoformat(),
                "date_precision": "day",
                "event_type": etype,
                "cameo_root": cameo,
                "quad_class": quad,
                "goldstein": gold,
                "status": status,
                "actors": ";".join(acts),
                "location": rng.choice(["Moscow", "Seoul", ""]),
                "evidence": sent["text"],
                "sources": ";".join(sorted(rng.sample(AGENCIES, rng.randrange(0, 3)))),
                "cameo_code": cameo + "0",
                "source_actor": src,
                "target_actor": tgt,
                "topics": ";".join(sorted(rng.sample(TOPICS, rng.randrange(1, 3)))),
                "date_text": "",
                "date_rule": "factory",
                "type_rule": "factory",
                "status_rule": "factory",
                "confidence": 0.8,
                "sentence_id": sent["sentence_id"],
                "evidence_start": sent["start_char"],
                "evidence_end": sent["end_char"],
                "also_sentences": "",
                "origin": "article",
                "source_url": "",
            }
        )
    for k in range(n_reference):
        year = 1990 + 3 * k
        events.append(
            {
                "event_id": f"ref{k:02d}",
                "article_id": "",
                "start_date": f"{year}-06-04",
                "end_date": "",
                "date_precision": "day",
                "event_type": "consult",
                "cameo_root": "04",
                "quad_class": C.quad_class("040"),
                "goldstein": C.goldstein("040"),
                "status": "occurred",
                "actors": "mikhail-gorbachev;kim-dae-jung",
                "location": "",
                "evidence": f"Reference summit number {k}.",
                "sources": "",
                "cameo_code": "040",
                "source_actor": "SUN" if year < 1992 else "RUS",
                "target_actor": "KOR",
                "topics": "summit",
                "date_text": "",
                "date_rule": "reference",
                "type_rule": "reference",
                "status_rule": "reference",
                "confidence": 1.0,
                "sentence_id": "",
                "evidence_start": "",
                "evidence_end": "",
                "also_sentences": "",
                "origin": "reference",
                "source_url": f"https://example.org/ref/{k}",
            }
        )

    base = articles[0]["article_id"] if articles else ""
    ref_amounts = [
        ("debt", "reported", "1995-01-01", 1.47e9, ""),
        ("debt", "reported", "2003-09-01", 2.24e9, ""),
        ("arms_delivery", "occurred", "1996-06-01", 2.1e8, ""),
        ("arms_delivery", "reported", "1998-06-01", 2.4e8, ""),
        ("arms_delivery", "delivered", "2001-06-01", 5.0e8, ""),
        ("arms_deal", "planned", "1999-08-30", 1.0e9, ""),
        ("arms_deal", "denied", "1999-08-31", 1.0e9, ""),
        ("arms_deal", "proposed", "2000-05-16", 6.0e8, ""),
        ("other", "occurred", "2002-01-01", 15.0, "SIPRI TIV"),
    ]
    for k, (cat, status, when, value, note) in enumerate(ref_amounts):
        amounts.append(
            {
                "amount_id": f"ref-a{k}",
                "article_id": "" if k != 5 else base,
                "value_usd": value,
                "category": cat,
                "status": status,
                "as_of_date": when,
                "evidence": f"Reference figure {k} <i>({cat})</i>.",
                "as_of_end": "",
                "date_precision": "day",
                "raw_text": "",
                "from_actor": "RUS",
                "to_actor": "KOR",
                "topics": "debt" if cat == "debt" else "arms",
                "rule": "reference",
                "sentence_id": "",
                "start_char": "",
                "end_char": "",
                "origin": "reference" if k != 5 else "article",
                "source_url": f"https://example.org/amount/{k}" if k != 5 else "",
                "note": note,
            }
        )

    ev_df = _frame("events", events)
    relations = _relations(ev_df)
    tables = {
        "articles": _frame("articles", articles),
        "actors": _frame("actors", actors),
        "mentions": _frame("mentions", mentions),
        "sentences": _frame("sentences", sentences),
        "citations": _frame("citations", citations),
        "events": ev_df,
        "amounts": _frame("amounts", amounts),
        "relations": relations,
    }
    attach_resolution(tables)  # resolved_id on events and the resolved_events table, as the store gives them
    return tables


def _relations(events: pd.DataFrame) -> pd.DataFrame:
    rows = []
    ev = events[(events["source_actor"] != "") & (events["target_actor"] != "")]
    for (s, t), g in ev.groupby(["source_actor", "target_actor"], sort=True):
        dates = sorted(d for d in g["start_date"] if d)
        q = g["quad_class"].astype(int)
        rows.append(
            {
                "source_actor": s,
                "target_actor": t,
                "n_events": len(g),
                "first_date": dates[0] if dates else "",
                "last_date": dates[-1] if dates else "",
                "mean_goldstein": float(g["goldstein"].astype(float).mean()),
                "level": "actor",
                "q1": int((q == 1).sum()),
                "q2": int((q == 2).sum()),
                "q3": int((q == 3).sum()),
                "q4": int((q == 4).sum()),
                "event_ids": ";".join(g["event_id"]),
            }
        )
    return _frame("relations", rows)


def article_text(tables: dict[str, pd.DataFrame], article_id: str) -> str:
    """Rebuild one factory article's text from its sentences (offsets are exact)."""
    s = tables["sentences"]
    s = s[s["article_id"] == article_id].sort_values("start_char")
    out = ""
    for start, txt in zip(s["start_char"], s["text"], strict=False):
        out = out.ljust(int(start)) + txt
    return out
