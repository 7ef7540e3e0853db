"""How ``store_v5_166a2b1.sql`` was made: run at commit 166a2b1 (schema 5) from the project root,
``python tests/data/make_store_v5.py OUT.sql``. A schema-5 store with what the conversion to
version 6 must keep: articles ingested, one re-dated (its rows rewritten, so they follow the others),
one removed, and one article written with hand-made rows whose ids are not the pipeline's (an event id
out of sequence, an empty one, one of another article, a row of another article, a NULL Goldstein
score, an integer one).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from datetime import date
from pathlib import Path

from core.domain.schema import row
from core.io.ingest import ingest_bytes, set_article_date
from core.storage.store import Store

TEXTS = {
    "a.txt": "Publication: Test Monitor Volume: 7 Issue: 21\n\nRussian Foreign Minister Igor Ivanov arrived in Pyongyang on "
    "March 3 for talks with Kim Jong Il. Moscow and Pyongyang signed a treaty on friendship (Itar-Tass, March 4).\n\n"
    "Russia’s debt to South Korea stands at US$1.7 billion, officials said (Yonhap, March 5).\n",
    "b.txt": "Publication: Test Monitor Volume: 7 Issue: 22\n\nPresident Putin met South Korean President Kim Dae-jung in "
    "Seoul on February 27. Russia agreed to deliver arms worth US$500 million to South Korea (Interfax, February 28).\n",
    "c.txt": "Publication: Test Monitor Volume: 7 Issue: 23\n\nNorth Korea and Russia held talks in Moscow on April 2 "
    "(KCNA, April 3). The Russian foreign ministry criticized the United States.\n",
}


def _hand_made(store: Store) -> None:
    aid = "hand00000001"
    text = "Russia and North Korea met. Seoul objected."
    sentences = [
        row("sentences", {"article_id": aid, "sentence_id": 0, "paragraph_id": 0, "start_char": 0, "end_char": 27, "text": text[0:27]}),
        row("sentences", {"article_id": aid, "sentence_id": 1, "paragraph_id": 0, "start_char": 28, "end_char": 43, "text": text[28:43]}),
    ]
    ids = [f"{aid}-e001", f"{aid}-e003", "", "other-e004", f"{aid}-e5", f"{aid}-e006"]
    events = []
    for n, eid in enumerate(ids):
        events.append(
            row(
                "events",
                {
                    "event_id": eid,
                    "article_id": "elsewhere00001" if n == 5 else aid,
                    "start_date": "2001-01-0" + str(n + 1),
                    "event_type": "meet",
                    "goldstein": None if n == 1 else (3 if n == 2 else 1.5 * n),
                    "confidence": 0.5,
                    "sentence_id": n % 2,
                    "evidence_start": 0,
                    "evidence_end": 27,
                    "evidence": text[0:27],
                },
            )
        )
    amounts = [row("amounts", {"amount_id": "custom-1", "article_id": aid, "value_usd": 5.0, "sentence_id": 1})]
    rows = {"sentences": sentences, "events": events, "amounts": amounts}
    raw = {"article_id": aid, "content_hash": "h" * 64, "source_file": "hand.txt", "text": text, "encoding": "utf-8", "format": "txt"}
    store.write_article(rows, raw)


def main(out: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "v5.sqlite"
        store = Store(path)
        ids = {}
        for name, text in TEXTS.items():
            [result] = ingest_bytes(store, text.encode("utf-8"), name)
            ids[name] = result.article_id
        _hand_made(store)
        set_article_date(store, ids["a.txt"], date(2001, 3, 6))
        store.delete_article(ids["c.txt"])
        store.vacuum()
        con = sqlite3.connect(path)
        version = con.execute("PRAGMA user_version").fetchone()[0]
        lines = list(con.iterdump())
        con.close()
    Path(out).write_text("\n".join(lines) + f"\nPRAGMA user_version = {version};\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
