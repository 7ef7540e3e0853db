"""Smoke test of the benchmark: it runs end to end at N=50, and its corpus generator is reproducible.

Timings are never asserted — they depend on the machine and on what else runs on it — only that the
script runs, that every measured figure is present and positive, and that the synthetic articles are
what the benchmark claims: reproducible, labelled, Monitor-shaped, and rich enough for the pipeline.
"""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import run, synthetic
from core.config import DATA_DIR
from core.extract.pipeline import process
from core.text.reading import read_path

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, dict]:
    work = tmp_path_factory.mktemp("bench")
    out = work / "results.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--n",
            "50",
            "--seed",
            "3",
            "--skip-browser",
            "--rebuild-scale",
            "--json",
            str(out),
            "--workdir",
            str(work / "work"),
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc, json.loads(out.read_text(encoding="utf-8"))


def test_the_script_runs_and_prints_the_table_with_targets(smoke):
    proc, _doc = smoke
    assert "Machine:" in proc.stdout
    assert "Extraction, 1 process" in proc.stdout
    assert "≥500 articles/s per core" in proc.stdout
    assert "Rebuild 2N / N" in proc.stdout


def test_the_json_has_every_measured_key_as_a_positive_number(smoke):
    _proc, doc = smoke
    results = doc["results"]
    for key in (*run.MEASURED, *run.REBUILD_MEASURED):
        assert key in results, key
        value = results[key]
        assert isinstance(value, (int, float)) and math.isfinite(value) and value > 0, (key, value)
    assert results["n_articles"] == 50
    assert doc["machine"]["cpu_count"] >= 1 and doc["machine"]["python"]
    assert not any(k in results for k in run.BROWSER_MEASURED)  # --skip-browser
    assert any("skipped" in n for n in doc["notes"])
    assert set(doc["targets"]) == {k for k, *_ in run.TARGETS}


def test_same_seed_gives_the_same_text_and_another_seed_another():
    assert synthetic.article_text(4, random.Random(11)) == synthetic.article_text(4, random.Random(11))
    assert synthetic.article_text(4, random.Random(11)) != synthetic.article_text(4, random.Random(12))


def test_generate_is_reproducible_across_folders_and_seeds(tmp_path):
    first = [p.read_text(encoding="utf-8") for p in synthetic.generate(5, 1, tmp_path / "a")]
    again = [p.read_text(encoding="utf-8") for p in synthetic.generate(5, 1, tmp_path / "b")]
    other = [p.read_text(encoding="utf-8") for p in synthetic.generate(5, 2, tmp_path / "c")]
    assert first == again
    assert all(x != y for x, y in zip(first, other, strict=True))
    longer = [p.read_text(encoding="utf-8") for p in synthetic.generate(8, 1, tmp_path / "d")]
    assert longer[:5] == first  # article i does not depend on how many are made


def test_articles_are_labelled_and_shaped_like_the_monitor(tmp_path):
    for path in synthetic.generate(10, 5, tmp_path):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        assert lines[0].startswith("Publication: Monitor Volume: ") and " Issue: " in lines[0]
        assert lines[1].startswith("Source: SYNTHETIC benchmark corpus")
        paragraphs = [p for p in text.split("\n\n")[1:] if p.strip()]
        assert 4 <= len(paragraphs) <= 7
        assert 450 <= len(text.split()) <= 800


def test_the_generator_refuses_the_projects_data_folder():
    with pytest.raises(ValueError):
        synthetic.generate(1, 1, DATA_DIR / "articles")
    with pytest.raises(ValueError):
        synthetic.generate(1, 1, DATA_DIR / "synthetic")
    assert not (DATA_DIR / "synthetic").exists()
    assert not list((DATA_DIR / "articles").glob("synthetic-*"))


def test_synthetic_articles_pass_through_the_pipeline(tmp_path):
    docs = [process(read_path(p)) for p in synthetic.generate(8, 9, tmp_path)]
    for doc in docs:
        assert doc.meta.publication == "Monitor"
        assert doc.meta.published is not None
        assert doc.events, doc.source_file
        assert doc.mentions, doc.source_file
        assert "SYNTHETIC" not in doc.text[doc.body_start :]  # the label stays in the header
    assert sum(len(d.citations) for d in docs) > 0
    assert sum(len(d.amounts) for d in docs) > 0
    kinds = {m.actor_id for d in docs for m in d.mentions}
    assert {"RUS", "KOR"} <= kinds or {"RUS", "PRK"} <= kinds
