"""Evidence stored once (schema version 3): pointer cells in the store, the same values read back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from core.domain import schema
from core.io.csv_export import write_csvs
from core.io.ingest import ingest_bytes, rebuild, set_article_date
from core.query.tables import load_tables
from core.storage import evidence
from core.storage.store import Store, read_rows
from tests.helpers import stored

TEXT = "Сеул, 3 мая. Minister Ivan Petrov’s visit to Seoul — “a success” 🎉. Moscow paid US$5 million."

TXT = (
    "Publication: Test Monitor Volume: 7 Issue: 21\n\n"
    "Russian Foreign Minister Igor Ivanov arrived in Pyongyang on March 3 for talks with Kim Jong Il. "
    "Moscow and Pyongyang signed a treaty on friendship (Itar-Tass, March 4).\n\n"
    "Russia’s debt to South Korea stands at US$1.7 billion, officials said. "
    "Seoul denied that it had agreed to buy Russian submarines (Yonhap, March 5).\n"
)
HTML = (
    "<html><head><title>Talks in Seoul</title></head><body><h1>Talks in Seoul</h1>"
    "<p>South Korean President Kim Dae-jung met Russian Prime Minister Mikhail Kasyanov in Seoul on "
    "February 27, 2001 &amp; the two sides signed an agreement on energy cooperation.</p>"
    "<p>Russia will deliver arms worth $450 million to South Korea, the ministry said (AP, February 28).</p>"
    "</body></html>"
)
MD = (
    "# Kozyrev in Seoul\n\nPublished: 1994-06-14\n\n"
    "Russian Foreign Minister Andrei Kozyrev visited Seoul on *June 2* and met South Korean Foreign "
    "Minister Han Sung-joo. North Korea criticised the visit (KCNA, June 3).\n"
)
ARTICLES = {"a.txt": TXT, "b.html": HTML, "c.md": MD}


def _store(path: Path, once: bool, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setattr(evidence, "STORE_ONCE", once)
    store = Store(path)
    for name, text in ARTICLES.items():
        [result] = ingest_bytes(store, text.encode("utf-8"), name)
        assert result.status == "added", result.message
    return store


def _null_pointers(path: Path) -> dict[str, int]:
    """How many pointer cells the store keeps as NULL (pointers), per table.column."""
    return {f"{t}.{c}": sum(v is None for (v,) in stored(path, t, f'"{c}"')) for t, cols in schema.POINTERS.items() for c in cols}


def _csv_bytes(tables: dict[str, pd.DataFrame], out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in write_csvs(tables, out)}


# ---- compact: which cells become pointers --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "start", "end", "stored"),
    [
        ("Minister Ivan Petrov’s", 13, 35, None),  # the slice, past non-ASCII letters: a pointer
        ("Сеул", 0, 4, None),
        ("🎉", 65, 66, None),  # one code point, as Python and SQLite count it
        ("", 5, 5, None),
        ("Minister Ivan Petrov", 13, 35, "Minister Ivan Petrov"),  # not the slice (edited): a copy
        ("Minister Ivan Petrov’s", 13, 400, "Minister Ivan Petrov’s"),  # past the text
        ("Minister Ivan Petrov’s", -1, 21, "Minister Ivan Petrov’s"),
        ("Minister Ivan Petrov’s", "13", "35", "Minister Ivan Petrov’s"),  # offsets that are not numbers
        ("Minister Ivan Petrov’s", 13.0, 35.0, "Minister Ivan Petrov’s"),
        ("Сеул", False, 4, "Сеул"),  # a bool is no offset
        (None, 0, 4, ""),  # NULL now means "slice": a missing value is stored as the "" it read as
        (7, 0, 1, 7),  # not text: kept
    ],
)
def test_compact_keeps_a_pointer_only_for_the_exact_slice(value: object, start: object, end: object, stored: object) -> None:
    assert TEXT[13:35] == "Minister Ivan Petrov’s" and TEXT[65:66] == "🎉"
    cols = schema.TABLES["mentions"]
    row = schema.row("mentions", {"article_id": "a1", "actor_id": "x", "start_char": start, "end_char": end, "sentence_id": 0})
    row["text"] = value
    [out] = evidence.compact("mentions", cols, [tuple(row.values())], TEXT)
    assert out[cols.index("text")] == stored if stored is not None else out[cols.index("text")] is None
    assert [v for c, v in zip(cols, out, strict=True) if c != "text"] == [v for c, v in row.items() if c != "text"]


@pytest.mark.parametrize(
    ("sentence_id", "spans", "value", "pointer"),
    [
        (1, {0: (0, 12), 1: (13, 67)}, TEXT[13:67], True),  # an amount's evidence is its sentence
        (1, {0: (0, 12), 1: (13, 67)}, TEXT[13:60], False),  # a shorter stretch is not
        (2, {0: (0, 12), 1: (13, 67)}, TEXT[13:67], False),  # no such sentence stored
        (1, {}, TEXT[13:67], False),
    ],
)
def test_an_amounts_evidence_points_at_its_sentence(sentence_id: int, spans: dict, value: str, pointer: bool) -> None:
    cols = schema.TABLES["amounts"]
    row = schema.row("amounts", {"amount_id": "a1-a001", "article_id": "a1", "evidence": value, "sentence_id": sentence_id})
    [out] = evidence.compact("amounts", cols, [tuple(row.values())], TEXT, spans)
    assert (out[cols.index("evidence")] is None) is pointer


def test_with_store_once_off_every_cell_is_a_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence, "STORE_ONCE", False)
    cols = schema.TABLES["sentences"]
    row = schema.row("sentences", {"article_id": "a1", "sentence_id": 0, "start_char": 0, "end_char": 12, "text": TEXT[:12]})
    assert evidence.compact("sentences", cols, [tuple(row.values())], TEXT) == [tuple(row.values())]


# ---- fill: pointers read back as the text ---------------------------------------------------------


def test_fill_reads_every_pointer_back_and_leaves_copies_alone() -> None:
    texts = {"a1": TEXT, "a2": "Short one. Second sentence here."}
    frames = {
        "sentences": pd.DataFrame(
            {
                "article_id": ["a1", "a1", "a2"],
                "sentence_id": [0, 1, 0],
                "start_char": [0, 13, 0],
                "end_char": [12, 67, 10],
                "text": [None, None, "Short one."],
            }
        ),
        "events": pd.DataFrame(
            {
                "article_id": ["a2", "a1", "a1", "zz"],
                "evidence": [None, "kept as written", None, None],
                "evidence_start": [11, 0, 13, 0],
                "evidence_end": [32, 4, 35, 3],
            }
        ),
        "amounts": pd.DataFrame(
            {
                "article_id": ["a1", "a1"],
                "sentence_id": [1, 5],
                "evidence": [None, None],
                "raw_text": ["US$5 million", None],
                "start_char": [80, 80],
                "end_char": [92, 92],
            }
        ),
    }
    asked: list[list[str]] = []

    def texts_of(ids: list[str]):
        asked.append(sorted(ids))
        return ((i, texts[i]) for i in ids if i in texts)

    evidence.fill(frames, texts_of)
    assert asked == [["a1", "a2", "zz"]]
    assert list(frames["sentences"]["text"]) == [TEXT[:12], TEXT[13:67], "Short one."]
    # an article whose text is gone reads "", as a NULL always read
    assert list(frames["events"]["evidence"]) == ["Second sentence here.", "kept as written", TEXT[13:35], ""]
    assert list(frames["amounts"]["evidence"]) == [TEXT[13:67], ""]  # sentence 5 is not stored
    assert list(frames["amounts"]["raw_text"]) == ["US$5 million", TEXT[80:92]]
    assert frames["events"]["evidence"].dtype == pd.Series(["x"]).dtype  # the dtype a column of copies reads as


def test_fill_without_pointers_asks_for_no_text() -> None:
    frames = {"events": pd.DataFrame({"article_id": ["a1"], "evidence": ["copy"], "evidence_start": [0], "evidence_end": [4]})}
    evidence.fill(frames, lambda ids: pytest.fail("no text should be read"))
    assert list(frames["events"]["evidence"]) == ["copy"]


# ---- the store: same tables, same exports, fewer bytes ---------------------------------------------


def test_a_store_of_pointers_reads_and_exports_exactly_as_a_store_of_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copies = _store(tmp_path / "copies.sqlite", False, monkeypatch)
    pointers = _store(tmp_path / "pointers.sqlite", True, monkeypatch)
    assert not any(_null_pointers(tmp_path / "copies.sqlite").values())
    nulls = _null_pointers(tmp_path / "pointers.sqlite")
    assert all(nulls[k] > 0 for k in ("sentences.text", "events.evidence", "mentions.text", "citations.raw", "amounts.evidence"))
    raw_c, raw_p = copies.load_raw(), pointers.load_raw()
    for table in schema.DERIVED_TABLES:
        pd.testing.assert_frame_equal(raw_c[table], raw_p[table])
    assert _csv_bytes(load_tables(copies), tmp_path / "c") == _csv_bytes(load_tables(pointers), tmp_path / "p")
    pointers.vacuum()  # VACUUM may renumber rows: the order read stays
    assert _csv_bytes(load_tables(copies), tmp_path / "c") == _csv_bytes(load_tables(pointers), tmp_path / "v")


def test_an_edited_row_is_stored_as_a_copy_and_read_back_as_written(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    [result] = ingest_bytes(store, TXT.encode("utf-8"), "a.txt")
    rows = store.load_raw()
    events = rows["events"].to_dict("records")
    events[0]["evidence"] = "An evidence sentence edited by hand."
    events[1]["evidence_start"], events[1]["evidence_end"] = "", ""  # offsets lost
    expected = [e["evidence"] for e in events]
    with store.transaction() as con:
        store.replace_derived(con, result.article_id, {**{t: rows[t].to_dict("records") for t in schema.DERIVED_TABLES}, "events": events})
    assert list(store.load_raw()["events"]["evidence"]) == expected


def test_re_dating_and_rebuilding_keep_the_pointers_right(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    for name, text in ARTICLES.items():
        ingest_bytes(store, text.encode("utf-8"), name)
    before = store.load_raw()
    aid = before["articles"]["article_id"].iloc[0]
    set_article_date(store, aid, date(2001, 3, 5))
    rebuild(store)
    after = store.load_raw()
    for table in ("sentences", "events", "amounts", "mentions", "citations"):
        for col in schema.POINTERS[table]:
            assert sorted(after[table][col]) == sorted(before[table][col]), (table, col)
    assert _null_pointers(tmp_path / "s.sqlite")["events.evidence"] == len(after["events"])


def test_read_rows_gives_resolution_the_evidence_not_the_pointer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = _store(tmp_path / "s.sqlite", True, monkeypatch)
    with store.connect() as con:
        events = read_rows(con, ["events"])["events"]
        amounts = read_rows(con, ["amounts"])["amounts"]  # its evidence needs the sentences: read alongside
    assert events["evidence"].str.len().gt(0).all()
    assert list(events["evidence"]) == list(store.load_raw()["events"]["evidence"])
    assert list(amounts["evidence"]) == list(store.load_raw()["amounts"]["evidence"]) and amounts["evidence"].ne("").all()


def test_a_synthetic_corpus_exports_the_same_bytes_from_pointers_and_from_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The benchmark's articles (many events, amounts and citations each) through both stores."""
    from benchmarks.synthetic import generate
    from core.io.ingest import ingest_paths

    corpus = generate(12, seed=5, out_dir=tmp_path / "corpus")
    out = {}
    for once in (False, True):
        monkeypatch.setattr(evidence, "STORE_ONCE", once)
        store = Store(tmp_path / f"{once}.sqlite")
        assert all(r.status == "added" for r in ingest_paths(store, corpus))
        out[once] = _csv_bytes(load_tables(store), tmp_path / f"out-{once}")
    assert _null_pointers(tmp_path / "True.sqlite")["events.evidence"] > 12
    assert out[True] == out[False]
