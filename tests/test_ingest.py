from pathlib import PurePosixPath

import pytest

from core.domain.schema import CLUSTERED
from core.errors import ArticleError
from core.io.ingest import ingest_bytes, ingest_paths, ingest_text, safe_zip_members
from core.query.tables import load_tables
from core.storage.store import Store
from tests.helpers import stored, zip_bytes

GOOD = b"Publication: Monitor Volume: 5 Issue: 3\n\nMoscow and Seoul signed a treaty on January 4 (AP, January 5).\n"


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "s.sqlite")


def test_ingest_folder_gives_one_result_per_file_and_keeps_going(store, tmp_path, monkeypatch):
    monkeypatch.setenv("RUSKOR_MAX_BYTES", "5000")
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_bytes(GOOD)
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (d / "big.txt").write_bytes(b"word " * 2000)
    (d / "page.html").write_bytes(
        b"<html><body><p>Seoul and Moscow talked about the debt and tanks today, officials said.</p></body></html>"
    )
    results = {r.source_file: r for r in ingest_paths(store, [d])}
    assert results["good.txt"].status == "added"
    assert results["page.html"].status == "added"
    assert results["empty.txt"].status == "rejected" and "empty" in results["empty.txt"].message
    assert results["binary.txt"].status == "rejected" and "binary" in results["binary.txt"].message
    assert results["big.txt"].status == "rejected" and "too large" in results["big.txt"].message
    assert store.article_count() == 2


def test_ingest_zip_members_each_get_a_result(store):
    data = zip_bytes(
        {"a.txt": GOOD, "b.md": GOOD.replace(b"Issue: 3", b"Issue: 4"), "c.txt": b"", "__MACOSX/._a.txt": b"junk", "notes.pdf": b"%PDF"}
    )
    results = {r.source_file.split(":", 1)[1]: r.status for r in ingest_bytes(store, data, "batch.zip")}
    assert results == {"a.txt": "added", "b.md": "added", "c.txt": "rejected", "notes.pdf": "rejected"}


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/passwd", "a/../../evil.txt", "C:/win.txt"])
def test_ingest_zip_refuses_a_path_leaving_the_archive_alone(name):
    out = dict(safe_zip_members(zip_bytes({"ok.txt": GOOD, name: GOOD})))
    assert out["ok.txt"] == GOOD
    refused = out[PurePosixPath(name).name]
    assert isinstance(refused, ArticleError) and refused.code == "E020" and "outside" in refused.message


def test_ingest_zip_refuses_a_bomb_alone():
    out = dict(safe_zip_members(zip_bytes({"bomb.txt": b"a" * 5_000_000, "ok.txt": GOOD})))
    assert out["ok.txt"] == GOOD
    assert isinstance(out["bomb.txt"], ArticleError) and out["bomb.txt"].code == "E020"
    assert "compressed" in out["bomb.txt"].message


def test_ingest_zip_refuses_too_many_members(monkeypatch):
    import core.io.ingest as ing

    monkeypatch.setattr(ing, "ZIP_MAX_MEMBERS", 3)
    with pytest.raises(ArticleError):
        safe_zip_members(zip_bytes({f"{i}.txt": GOOD for i in range(4)}))


def test_ingest_not_azip_bytes(store):
    (r,) = ingest_bytes(store, b"PK\x03\x04 broken", "x.zip")
    assert r.status == "rejected" and "zip" in r.message


def test_ingest_pasted_text_with_title(store):
    r = ingest_text(store, "Moscow welcomed Seoul's plan on March 3 (Yonhap, March 4).", title="Pasted note")
    assert r.status == "added"
    assert load_tables(store)["articles"].loc[0, "title"] == "Pasted note"


def test_ingest_preview_stores_nothing_and_shows_what_was_found(store):
    from core.io.ingest import preview_bytes

    (p,) = preview_bytes(store, GOOD, "good.txt")
    assert p.ok and p.publication == "Monitor" and p.volume == 5 and p.issue == 3
    assert p.published_date == "1999-01-06" and p.date_method == "calendar+notes"
    assert "Russia" in p.actors and "South Korea" in p.actors
    assert any(e["type"] == "agreement" for e in p.events)
    assert store.article_count() == 0
    ingest_bytes(store, GOOD, "good.txt")
    (again,) = preview_bytes(store, GOOD, "good.txt")
    assert again.duplicate_of == p.article_id


def test_ingest_preview_with_a_corrected_date_redates_events(store):
    from datetime import date

    from core.io.ingest import preview_bytes

    (p,) = preview_bytes(store, b"Seoul and Moscow talked about the debt on May 3.", "x.txt", date(2003, 5, 9))
    assert p.published_date == "2003-05-09" and p.date_method == "user"
    assert {e["date"] for e in p.events} == {"2003-05-03"}


def test_ingest_preview_of_bad_files_says_why(store):
    from core.io.ingest import preview_bytes

    (p,) = preview_bytes(store, b"", "empty.txt")
    assert not p.ok and "empty" in p.message


def _store_rows(store: Store) -> dict[str, list[tuple]]:
    with store.connect() as con:
        out = {}
        for t in ("texts", "events", "mentions", "sentences", "citations", "amounts", "found_actors"):
            cols = [r[1] for r in con.execute(f"PRAGMA table_info({t})") if r[1] != "added_at"]
            if t in CLUSTERED:  # kept as packed records (schema 7): the cells as stored
                out[t] = sorted(stored(store.path, t, ", ".join(f'"{c}"' for c in cols)), key=repr)
            else:  # (the columns' values: a single-quoted name would be a string literal)
                out[t] = sorted(map(tuple, con.execute(f"SELECT {', '.join(f'{chr(34)}{c}{chr(34)}' for c in cols)} FROM {t}")), key=repr)
    return out


def test_ingest_parallel_workers_store_exactly_what_one_process_stores(tmp_path):
    from benchmarks.synthetic import generate

    corpus = tmp_path / "corpus"
    first = generate(10, seed=4, out_dir=corpus)[0]
    (corpus / "bad.txt").write_bytes(b"")  # a rejected file in the middle of the batch
    (corpus / "copy.txt").write_bytes(first.read_bytes())
    serial, parallel = Store(tmp_path / "one.sqlite"), Store(tmp_path / "two.sqlite")
    r1 = ingest_paths(serial, [corpus], workers=1)
    r2 = ingest_paths(parallel, [corpus], workers=2)
    assert [(r.source_file, r.status, r.article_id) for r in r1] == [(r.source_file, r.status, r.article_id) for r in r2]
    assert sorted(r.status for r in r1).count("added") == 10
    assert {r.status for r in r1} == {"added", "rejected", "duplicate"}
    rows = _store_rows(serial)
    assert rows == _store_rows(parallel) and len(rows["events"]) > 50

    from core.io.ingest import rebuild

    assert rebuild(parallel, workers=2) == 10
    assert _store_rows(parallel) == rows
