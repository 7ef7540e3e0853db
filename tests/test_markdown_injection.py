"""Nothing a user, a URL or an article supplied is rendered as Markdown (issue 17, finding 5).

An article whose title, actors' sentence and source note carry Markdown payloads (an image from
another host, a forged link, Streamlit's colour directive, LaTeX, a bare URL, HTML) is stored; every
page is opened through AppTest with payloads in the URL too (as a filter value, an unknown parameter
name and value, and each page's own parameters). Every Markdown string the pages send (markdown,
captions, notices, labels of links and expanders) must hold the payloads only as escaped text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.io.ingest import ingest_raw
from core.query.tables import load_tables
from core.storage.store import Store
from core.text.reading import RawText
from ui.tables import md_escape

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TIMEOUT = 90

#: Markdown/HTML/URL payloads, each of which renders as something other than its characters.
PAYLOADS = [
    "![pixel](http://evil.example/p.png)",
    "[Session expired - log in again](http://evil.example/login)",
    ":red[**FORGED**]",
    "$\\int_0^1 x\\,dx$",
    "http://evil.example/bare",
    "www.evil.example",
    '<img src="http://evil.example/i.png">',
    ":material/warning: <b>bold</b>",
]
TITLE = " ".join(PAYLOADS)
TEXT = (
    "Publication: Monitor Volume: 5 Issue: 3\nJanuary 10, 1999\n\n"
    "Russian Defense Minister Igor Sergeev met South Korean President Kim Dae-jung in Seoul on January 4 "
    f"and signed a military cooperation agreement, see {PAYLOADS[4]} and {PAYLOADS[0]} "
    f"(AP {PAYLOADS[1]}, January 5).\n\n"
    f"South Korea will buy Russian tanks worth US$50 million {PAYLOADS[2]} {PAYLOADS[3]}, officials said "
    "(Itar-Tass, January 6).\n"
)

#: What each payload carries whatever its escaping: a string holding one came from a payload.
MARKERS = ("evil.example", "FORGED", "int_0", "material/warning", "<b>")

# Markup that is live once the backslash escapes are taken out: a link or image, a colour or icon
# directive, maths, an HTML tag, a bare URL that autolinks.
_ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]")
LIVE = re.compile(r"\]\(|!\[|:[a-z]+\[|:material/|\$|<[a-z/]|https?://|www\.|\w@\w", re.I)


def live_markup(markdown: str) -> list[str]:
    """Pieces of ``markdown`` that Streamlit would render as markup (escaped characters removed)."""
    return LIVE.findall(_ESCAPED.sub("", markdown))


@pytest.mark.parametrize("payload", [*PAYLOADS, "a\n# heading", "1. list\n- item", "&lt;b&gt;", "x@evil.example"])
def test_md_escape_leaves_no_live_markup(payload: str) -> None:
    escaped = md_escape(payload)
    assert live_markup(escaped) == []
    assert "\n" not in escaped
    shown = _ESCAPED.sub(lambda m: m[0][1], escaped)
    assert shown.replace("\u2060", "") == payload.replace("\n", " ")  # the same visible characters


def test_the_checker_sees_each_payload_unescaped() -> None:
    assert all(live_markup(p) for p in PAYLOADS)


@pytest.fixture(scope="module")
def md_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    tmp = tmp_path_factory.mktemp("md")
    db = tmp / "corpus.sqlite"
    store = Store(db)
    result = ingest_raw(store, RawText(text=TEXT, source_file="md.txt", encoding="utf-8", format="text", title=TITLE))
    assert result.status == "added", result.message
    events = load_tables(store)["events"]
    mine = events[events["article_id"] == result.article_id]
    assert len(mine), "the hostile article should give at least one event"
    return db, result.article_id, str(mine["event_id"].iloc[0])


@pytest.fixture
def env(md_store: tuple[Path, str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[str, str]:
    db, aid, eid = md_store
    (tmp_path / "no-seed").mkdir()
    monkeypatch.setenv("RUSKOR_DB", str(db))
    monkeypatch.setenv("RUSKOR_SEED_DIR", str(tmp_path / "no-seed"))
    return aid, eid


def _rendered_markdown(at: AppTest) -> list[str]:
    """Every string of the page that Streamlit renders as Markdown."""
    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and getattr(node, "type", "") != "html":  # st.html: the reader, tested in test_e2e_xss
            for field in ("body", "label"):
                value = getattr(proto, field, None)
                if isinstance(value, str) and value:
                    out.append(value)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


PAGES = [
    ("app.py", {}),
    ("pages/timeline.py", {"event": "{eid}", "lane": PAYLOADS[1]}),
    ("pages/network.py", {"ego": PAYLOADS[0]}),
    ("pages/debt_arms.py", {}),
    ("pages/events.py", {}),
    ("pages/articles.py", {"article": "{aid}"}),
    ("pages/articles.py", {"article": PAYLOADS[1]}),
    ("pages/add_articles.py", {}),
    ("pages/briefing.py", {}),
]


@pytest.mark.parametrize(("page", "own"), PAGES, ids=[f"{p}-{i}" for i, (p, _) in enumerate(PAGES)])
def test_no_page_renders_a_payload_as_markdown(env: tuple[str, str], page: str, own: dict[str, str]) -> None:
    aid, eid = env
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    if page != "app.py":
        at.switch_page(page)
    params = {
        "to": PAYLOADS[1],
        "from": PAYLOADS[3],
        "agencies": PAYLOADS[0],
        PAYLOADS[2]: PAYLOADS[4],
        **{k: v.format(aid=aid, eid=eid) for k, v in own.items()},
    }
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    texts = _rendered_markdown(at)
    shown = " ".join(texts)
    assert "Ignored" in shown  # the notices about the payload parameters are drawn …
    from_payloads = [t for t in texts if any(m in _ESCAPED.sub(lambda m: m[0][1], t) for m in MARKERS)]
    assert from_payloads
    live = {t: live_markup(t) for t in from_payloads if live_markup(t)}
    if page == "pages/briefing.py":  # … and the only links are the product's own "open the view" links
        live = {t: v for t, v in live.items() if not t.startswith("- **")}
    assert live == {}


def test_the_timeline_link_to_the_article_shows_its_title_as_text(env: tuple[str, str]) -> None:
    _aid, eid = env
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/timeline.py")
    at.query_params["event"] = eid
    at.run()
    labels = [t for t in _rendered_markdown(at) if t.startswith("Read the article")]
    assert labels == [f"Read the article: {md_escape(TITLE)}"]
