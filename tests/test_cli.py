"""The command line and the export contract of shared/eval/README.md."""

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import main
from core.io.csv_export import export_columns

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "articles"
CONTRACT = {
    "articles": ["article_id", "source_file", "publication", "volume", "issue", "published_date"],
    "actors": ["actor_id", "name", "kind", "country"],
    "mentions": ["article_id", "actor_id", "text", "start_char", "end_char"],
    "events": [
        "event_id",
        "article_id",
        "start_date",
        "end_date",
        "date_precision",
        "event_type",
        "cameo_root",
        "quad_class",
        "goldstein",
        "status",
        "actors",
        "location",
        "evidence",
        "sources",
    ],
    "amounts": ["amount_id", "article_id", "value_usd", "category", "status", "as_of_date", "evidence"],
    "citations": ["article_id", "agency", "cited_date"],
    "relations": ["source_actor", "target_actor", "n_events", "first_date", "last_date", "mean_goldstein"],
}


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as f:
        return next(csv.reader(f))


def test_cli_export_writes_the_contract_tables(tmp_path, monkeypatch):
    monkeypatch.setenv("RUSKOR_DB", str(tmp_path / "user.sqlite"))
    assert main(["export", str(SEEDS), "--out", str(tmp_path / "out")]) == 0
    for table, cols in CONTRACT.items():
        header = _header(tmp_path / "out" / f"{table}.csv")
        assert header[: len(cols)] == cols
        assert header == export_columns(table)
    assert not (tmp_path / "user.sqlite").exists()  # the user's store is untouched


def test_cli_export_scores_full_marks_on_the_samples(tmp_path):
    gold = ROOT.parent / "shared" / "eval" / "seeds-gold.json"
    if not gold.exists():
        pytest.skip("shared/eval is not beside the checkout")
    assert main(["export", str(SEEDS), "--out", str(tmp_path)]) == 0
    out = subprocess.run(
        [sys.executable, str(gold.parent / "score.py"), str(gold), str(tmp_path), "--articles", str(SEEDS)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    summary = out.strip().splitlines()[-1]
    figures = dict(part.split("=") for part in summary.split()[1:])
    for key, value in figures.items():
        if key == "must_not_violations":
            assert value == "0"
        else:
            assert float(value) == 1.0, summary


def test_cli_ingest_reports_each_file_and_fails_on_a_bad_one(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("Seoul and Moscow signed a treaty on May 2 (AP, May 3).", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    db = str(tmp_path / "s.sqlite")
    assert main(["--db", db, "ingest", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "added" in out and "rejected  bad.txt: The file is empty." in out
    assert main(["--db", db, "ingest", str(good)]) == 0
    assert "duplicate" in capsys.readouterr().out


def test_cli_set_date_rejects_a_bad_date(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "s.sqlite"), "set-date", "abc", "2001-13-45"]) == 2
    assert "E009" in capsys.readouterr().err


def test_cli_remove_unknown_article(tmp_path, capsys):
    from core.storage.store import Store

    Store(tmp_path / "s.sqlite")
    assert main(["--db", str(tmp_path / "s.sqlite"), "remove", "nope"]) == 2
    assert "E011" in capsys.readouterr().err


def test_cli_export_missing_input_is_an_error(tmp_path, capsys):
    assert main(["export", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_cli_export_of_files_holds_only_their_rows(tmp_path):
    assert main(["export", str(SEEDS), "--out", str(tmp_path)]) == 0
    with (tmp_path / "events.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and all(r["origin"] == "article" and r["article_id"] for r in rows)


def test_cli_export_of_the_corpus_includes_the_reference_layer(tmp_path, monkeypatch):
    monkeypatch.setenv("RUSKOR_DB", str(tmp_path / "user.sqlite"))
    monkeypatch.setenv("RUSKOR_SEED_DIR", str(SEEDS))
    assert main(["export", "--out", str(tmp_path / "all")]) == 0
    with (tmp_path / "all" / "events.csv").open(encoding="utf-8") as f:
        origins = {r["origin"] for r in csv.DictReader(f)}
    assert origins == {"article", "reference"}
    assert main(["export", "--articles-only", "--out", str(tmp_path / "art")]) == 0
    with (tmp_path / "art" / "events.csv").open(encoding="utf-8") as f:
        assert {r["origin"] for r in csv.DictReader(f)} == {"article"}
