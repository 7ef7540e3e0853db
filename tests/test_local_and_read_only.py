"""Issue 17, item 10: the server is the user's own — start.sh listens on 127.0.0.1 only, and a
read-only mode hides every way to change the store from the browser."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120


def _start_sh(tmp_path: Path, *args: str) -> tuple[list[str], str]:
    """Run scripts/start.sh in a copy of the project whose .venv/bin/python only records how it
    was called (nothing is installed or started): the arguments and $RUSKOR_READ_ONLY."""
    (tmp_path / "scripts").mkdir()
    for name in ("start.sh", "_venv.sh"):
        shutil.copy(ROOT / "scripts" / name, tmp_path / "scripts" / name)
    shutil.copy(ROOT / "requirements.txt", tmp_path / "requirements.txt")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    fake = bin_dir / "python"
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$(dirname "$0")/args"\nprintf "%s" "${RUSKOR_READ_ONLY:-}" > "$(dirname "$0")/ro"\n')
    fake.chmod(0o755)
    stamp = tmp_path / ".venv" / ".installed-requirements.txt"
    stamp.touch()
    os.utime(stamp, (os.path.getmtime(stamp) + 60,) * 2)  # newer than requirements.txt: no install
    env = {k: v for k, v in os.environ.items() if k != "RUSKOR_READ_ONLY"}
    subprocess.run(["bash", str(tmp_path / "scripts" / "start.sh"), *args], cwd=tmp_path, env=env, check=True, timeout=60)
    return (bin_dir / "args").read_text().split("\n")[:-1], (bin_dir / "ro").read_text()


def _address(argv: list[str]) -> str:
    """The address streamlit ends up with: the last --server.address wins (click's rule)."""
    values = [argv[i + 1] for i, a in enumerate(argv) if a == "--server.address"]
    return values[-1] if values else "(all interfaces)"


@pytest.mark.parametrize(
    ("args", "address", "read_only"),
    [
        ((), "127.0.0.1", ""),
        (("--server.port", "8600"), "127.0.0.1", ""),
        (("--server.address", "0.0.0.0"), "0.0.0.0", ""),
        (("--read-only",), "127.0.0.1", "1"),
        (("--server.address", "0.0.0.0", "--read-only"), "0.0.0.0", "1"),
    ],
)
def test_local_start_sh_binds_loopback_unless_asked(tmp_path, args, address, read_only):
    argv, ro = _start_sh(tmp_path, *args)
    assert argv[:4] == ["-m", "streamlit", "run", "app.py"]
    assert _address(argv) == address
    assert "--read-only" not in argv and ro == read_only


def test_local_streamlit_config_listens_on_loopback():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"


@pytest.fixture
def store_with_article(monkeypatch, tmp_path):
    from core.cli import main

    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "a.txt").write_text(
        "Publication: Monitor Volume: 5 Issue: 3\n\nRussia and North Korea signed a treaty in Moscow on January 4 (AP, January 5).\n",
        encoding="utf-8",
    )
    db = tmp_path / "corpus.sqlite"
    assert main(["--db", str(db), "ingest", str(seed)]) == 0
    monkeypatch.setenv("RUSKOR_DB", str(db))
    monkeypatch.setenv("RUSKOR_SEED_DIR", str(tmp_path / "none"))
    return db


def _links(at: AppTest) -> list[str]:
    return [link.proto.label for link in at.get("page_link")]


@pytest.mark.parametrize("read_only", ["", "1"])
def test_local_read_only_mode_hides_the_add_articles_page(store_with_article, monkeypatch, read_only):
    monkeypatch.setenv("RUSKOR_READ_ONLY", read_only)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert ("Add articles" in _links(at)) is (not read_only)
    at.switch_page("pages/add_articles.py").run()
    assert not at.exception
    uploaders = at.get("file_uploader")
    buttons = [b.label for b in at.button]
    if read_only:
        assert not uploaders and not at.selectbox and "Remove the article" not in buttons
        assert any("read-only" in i.value for i in at.info)
    else:
        assert uploaders and at.selectbox(key="manage_pick") is not None


# ---------------------------------------------------------------- a store the server cannot write

_AS_A_USER = """
import json
from streamlit.testing.v1 import AppTest

at = AppTest.from_file("app.py", default_timeout=120).run()
out = {"exception": [str(e.value) for e in at.exception], "links": [l.proto.label for l in at.get("page_link")],
       "articles": [m.value for m in at.metric if m.label == "Articles"],
       "sidebar": [c.value for c in at.sidebar.caption]}
at.switch_page("pages/articles.py").run()
out["articles_page_exception"] = [str(e.value) for e in at.exception]
at.switch_page("pages/add_articles.py").run()
out["add_exception"] = [str(e.value) for e in at.exception]
out["uploaders"] = len(at.get("file_uploader"))
out["buttons"] = [b.label for b in at.button]
out["info"] = [i.value for i in at.info]
print("RESULT " + json.dumps(out))
"""


@pytest.fixture(params=["file", "folder", "both"])
def unwritable_store(request):
    """A store whose file, folder or both are read-only for the user who runs the dashboard
    (nobody, when the tests run as root: root may write anything)."""
    import tempfile

    from core.cli import main

    as_root = os.geteuid() == 0
    if as_root and shutil.which("setpriv") is None:
        pytest.skip("setpriv is needed to drop root for a read-only store")
    folder = Path(tempfile.mkdtemp(prefix="ro-dash-", dir="/tmp"))
    (folder / "a.txt").write_text(
        "Publication: Monitor Volume: 5 Issue: 3\n\nRussia and North Korea signed a treaty in Moscow on January 4 (AP, January 5).\n",
        encoding="utf-8",
    )
    db = folder / "corpus.sqlite"
    assert main(["--db", str(db), "ingest", str(folder / "a.txt")]) == 0
    home = folder / "home"
    home.mkdir()
    os.chmod(home, 0o777)  # the user's own home: Streamlit may keep its files there
    os.chmod(db, 0o666 if request.param == "folder" else 0o444)
    os.chmod(folder, 0o777 if request.param == "file" else 0o555)
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if as_root else []
    yield db, home, prefix
    os.chmod(folder, 0o755)
    shutil.rmtree(folder, ignore_errors=True)


def test_local_an_unwritable_store_makes_the_dashboard_read_only_by_itself(unwritable_store):
    """No --read-only and no RUSKOR_READ_ONLY: the dashboard sees that it cannot write its store,
    reads it (the article is listed, every view works), hides the Add articles page (upload,
    set-date, remove) and says why."""
    import json
    import sys

    db, home, prefix = unwritable_store
    before = db.read_bytes()
    env = {k: v for k, v in os.environ.items() if k != "RUSKOR_READ_ONLY"}
    env.update({"RUSKOR_DB": str(db), "HOME": str(home), "RUSKOR_LOG": str(home / "errors.log"), "RUSKOR_SEED_DIR": str(home / "none")})
    r = subprocess.run([*prefix, sys.executable, "-c", _AS_A_USER], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("RESULT ")]
    assert lines, r.stdout[-2000:] + r.stderr[-3000:]
    out = json.loads(lines[-1].removeprefix("RESULT "))
    assert not out["exception"] and not out["articles_page_exception"] and not out["add_exception"], out
    assert out["articles"] == ["1"]  # read, not called empty
    assert "Articles" in out["links"] and "Add articles" not in out["links"]
    assert any("Read-only" in c and "cannot be written" in c for c in out["sidebar"]), out["sidebar"]
    assert out["uploaders"] == 0 and "Remove the article" not in out["buttons"]
    assert any("read-only because" in i and "cannot be written" in i for i in out["info"]), out["info"]
    assert db.read_bytes() == before  # nothing written


def test_local_a_writable_store_keeps_the_add_articles_page(store_with_article, monkeypatch):
    """The same probe says a store the user can write is writable: nothing is hidden."""
    from ui import loader, state

    monkeypatch.delenv("RUSKOR_READ_ONLY", raising=False)
    assert loader.store_read_only() is False and state.read_only_reason() == ""


@pytest.mark.parametrize(
    "needle",
    [
        "127.0.0.1",  # local by default
        "--server.address 0.0.0.0",  # how to share it on a network
        "upload",  # what sharing exposes
        "remove",
        "--read-only",  # and how to share it for reading only
        "RUSKOR_READ_ONLY",
    ],
)
def test_local_readme_says_what_sharing_exposes(needle):
    """The README's section on sharing the dashboard names each of these (it once said nothing)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("**Sharing it on a network.**")
    section = readme[max(0, start - 1500) : start + 1500]
    assert needle in section
