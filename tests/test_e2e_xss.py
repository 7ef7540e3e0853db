"""Article text is never markup: an article carrying ``<script>`` and ``<img onerror>`` is stored
through core, then shown by the Articles reader, the Events table and the Timeline detail — as
escaped text in AppTest output, and in a real browser (Debian Chromium) with no script run, no
dialog, the literal tags visible and no exception box. An upload through the Add articles page,
with a hostile file name, is checked the same way."""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.io.ingest import ingest_bytes, ingest_raw
from core.query.tables import load_tables
from core.storage.store import Store
from core.text.reading import RawText
from tests import test_markdown_injection as MD
from tests.app_server import chromium, needs_chromium, running_app, settle

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TIMEOUT = 90
SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=2">'
TEXT = (
    "Publication: Monitor Volume: 5 Issue: 3\n\n"
    f"Russian Defense Minister Igor Sergeev met South Korean President Kim Dae-jung in Seoul on January 4 {SCRIPT} "
    "and signed a military cooperation agreement (AP, January 5).\n\n"
    f"South Korea will buy Russian tanks {IMG} worth US$50 million, officials said (Itar-Tass, January 6).\n"
)
UNESCAPED = re.compile(r"(?<![\\&])<(script|img)", re.I)  # a tag that is neither markdown- nor HTML-escaped


@pytest.fixture(scope="module")
def xss_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A store holding the hostile article (added through core, as any upload would be), and the
    article of Markdown payloads of tests/test_markdown_injection.py (its title is all payloads)."""
    tmp = tmp_path_factory.mktemp("xss")
    db = tmp / "corpus.sqlite"
    [result] = ingest_bytes(Store(db), TEXT.encode("utf-8"), "xss.txt")
    assert result.status == "added", result.message
    md = ingest_raw(Store(db), RawText(text=MD.TEXT, source_file="md.txt", encoding="utf-8", format="text", title=MD.TITLE))
    assert md.status == "added", md.message
    return db, result.article_id


@pytest.fixture
def app_env(xss_store: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    db, aid = xss_store
    (tmp_path / "no-seed").mkdir()
    monkeypatch.setenv("RUSKOR_DB", str(db))
    monkeypatch.setenv("RUSKOR_SEED_DIR", str(tmp_path / "no-seed"))
    return aid


def _at(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(page)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _no_raw_markup(at: AppTest) -> None:
    for el in [*at.markdown, *at.caption, *at.info, *at.warning, *at.error, *at.success]:
        assert not UNESCAPED.search(str(el.value)), el.value
        assert not getattr(el.proto, "allow_html", False), el.value


# --------------------------------------------------------------------------- AppTest output


def test_xss_articles_reader_escapes_the_article_text(app_env: str) -> None:
    at = _at("pages/articles.py", article=app_env)
    reader = [h.value for h in at.get("html") if "ruskor-reader" in h.value]
    assert len(reader) == 1
    html = reader[0]
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;window.__xss=2&quot;&gt;" in html
    assert not UNESCAPED.search(html) and 'onerror="' not in html
    _no_raw_markup(at)
    # the events table under the reader holds the sentence as data (a grid cell is text)
    evidence = " ".join(at.dataframe[-1].value["evidence"])
    assert SCRIPT in evidence and IMG in evidence


def test_xss_events_table_and_timeline_detail_show_text(app_env: str) -> None:
    # every report: the Markdown-payload article tells the same happenings, so the resolved view
    # would show one sentence per happening, and this test reads every sentence
    at = _at("pages/events.py", reports="all")
    table = at.dataframe[0].value
    mine = table[table["article"].str.contains(app_env)]
    assert any(SCRIPT in e for e in mine["evidence"]) and any(IMG in e for e in mine["evidence"])
    _no_raw_markup(at)

    event_id = next(e for e, ev in zip(mine["event_id"], mine["evidence"], strict=False) if SCRIPT in ev)
    at = _at("pages/timeline.py", event=event_id)
    _no_raw_markup(at)
    shown = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert SCRIPT in shown  # escaped in the markdown source, so it reads as the literal tag


# --------------------------------------------------------------------------- the real browser


@pytest.fixture(scope="module")
def server(xss_store: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a free loopback port reading the hostile store; stopped after the module."""
    db, _ = xss_store
    tmp = tmp_path_factory.mktemp("xss-server")
    (tmp / "no-seed").mkdir()
    with running_app(tmp, {"RUSKOR_DB": str(db), "RUSKOR_SEED_DIR": str(tmp / "no-seed")}) as base:
        yield base


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator:
    with chromium() as b:
        yield b


def _open(browser, url: str) -> tuple[object, list[str]]:
    """A page that records (and dismisses) every dialog an injected script might open."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    dialogs: list[str] = []

    def on_dialog(d) -> None:
        dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", on_dialog)
    page.goto(url, wait_until="domcontentloaded")
    settle(page)
    return page, dialogs


def _clean(page, dialogs: list[str]) -> None:
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert dialogs == []
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()


@needs_chromium
def test_xss_browser_articles_reader_runs_no_script(browser, server: str, xss_store: tuple[Path, str]) -> None:
    _, aid = xss_store
    page, dialogs = _open(browser, f"{server}/articles?article={aid}")
    try:
        reader = page.locator(".ruskor-reader")
        reader.first.wait_for(timeout=30_000)
        _clean(page, dialogs)
        assert reader.locator("script, img").count() == 0  # no element made from the article
        assert page.get_by_text(SCRIPT).first.is_visible()
        assert page.get_by_text(IMG).first.is_visible()
        time.sleep(1.0)  # an <img onerror> would fire on its failed load by now
        _clean(page, dialogs)
    finally:
        page.close()


@needs_chromium
def test_xss_browser_events_and_timeline_run_no_script(browser, server: str, xss_store: tuple[Path, str]) -> None:
    db, aid = xss_store
    events = load_tables(Store(db))["events"]
    event_id = next(
        e for e, a, ev in zip(events["event_id"], events["article_id"], events["evidence"], strict=False) if a == aid and SCRIPT in ev
    )
    for path in ("events", f"timeline?event={event_id}"):
        page, dialogs = _open(browser, f"{server}/{path}")
        try:
            _clean(page, dialogs)
            if path.startswith("timeline"):
                assert page.get_by_text(SCRIPT).first.is_visible()
        finally:
            page.close()


@needs_chromium
def test_xss_browser_upload_with_hostile_name_and_text(browser, server: str) -> None:
    name = "<img src=x onerror=window.__xss=3>.txt"  # no quotes: the browser sends them %-encoded
    body = TEXT.replace("January", "February").replace("__xss=1", "__xss=4").encode("utf-8")
    page, dialogs = _open(browser, f"{server}/add_articles")
    try:
        page.locator('input[type="file"]').first.set_input_files(files=[{"name": name, "mimeType": "text/plain", "buffer": body}])
        add = page.get_by_role("button", name="Add 1 article")
        add.wait_for(timeout=60_000)
        settle(page)
        _clean(page, dialogs)
        page.screenshot(path=str(Path(tempfile.gettempdir()) / "ruskor-upload.png"), full_page=True)
        assert page.get_by_text(f"{name} — ready to add").first.is_visible()  # the name, as text
        add.click()
        page.get_by_text("1 added, 0 already present, 0 rejected").wait_for(timeout=60_000)
        settle(page)
        _clean(page, dialogs)
        assert page.get_by_text(f"{name} — added", exact=False).first.is_visible()
    finally:
        page.close()


# What the page may not hold once drawn: an element made from a payload (a link or image to the
# other host, KaTeX maths), and text of the colour directive shown without its ":red[" (interpreted).
_PAYLOAD_DOM = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('a[href], img[src], iframe[src], source[src], link[href]')) {
    const url = el.getAttribute('href') || el.getAttribute('src') || '';
    if (url.includes('evil.example')) {
      const box = el.closest('[data-testid]');
      bad.push((box ? box.getAttribute('data-testid') + ': ' + box.textContent.slice(0, 120) + ' :: ' : '') + el.outerHTML.slice(0, 200));
    }
  }
  if (document.querySelector('.katex, math')) bad.push('maths: ' + document.querySelector('.katex, math').outerHTML.slice(0, 200));
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n.textContent;
    if (t.includes('FORGED') && !t.includes(':red[')) bad.push('coloured: ' + t.slice(0, 200));
  }
  return bad;
}"""
_LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@needs_chromium
@pytest.mark.parametrize(
    ("page_path", "own"),
    [
        ("", {}),
        ("timeline", {"event": "{eid}", "lane": MD.PAYLOADS[1]}),
        ("network", {"ego": MD.PAYLOADS[0]}),
        ("debt_arms", {}),
        ("events", {}),
        ("articles", {"article": "{aid}"}),
        ("add_articles", {}),
        ("briefing", {}),
    ],
)
def test_xss_browser_markdown_payloads_render_as_text(
    browser, server: str, xss_store: tuple[Path, str], page_path: str, own: dict[str, str]
) -> None:
    """Every page, payloads in the URL (a filter value, an unknown parameter's name and value, the
    page's own parameters) and in a stored article's title and text: no link, image, colour or
    maths appears from them, and the browser asks no other host for anything."""
    from urllib.parse import urlencode, urlsplit

    db, _ = xss_store
    tables = load_tables(Store(db))
    arts = tables["articles"]
    aid = str(arts[arts["source_file"] == "md.txt"]["article_id"].iloc[0])
    events = tables["events"]
    eid = str(events[events["article_id"] == aid]["event_id"].iloc[0])
    params = {
        "to": MD.PAYLOADS[1],
        "from": MD.PAYLOADS[3],
        "agencies": MD.PAYLOADS[0],
        MD.PAYLOADS[2]: MD.PAYLOADS[4],
        **{k: v.format(aid=aid, eid=eid) for k, v in own.items()},
    }
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(f"{server}/{page_path}?{urlencode(params)}", wait_until="domcontentloaded")
        settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text("Ignored", exact=False).count() > 0  # the notices are drawn, as text
        assert page.evaluate(_PAYLOAD_DOM) == []
        if page_path == "timeline":
            assert page.get_by_text("Read the article: ![pixel](http:", exact=False).count() == 1  # as text
        time.sleep(1.0)  # an image would have been requested by now
        foreign = [u for u in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname not in _LOCAL_HOSTS]
        assert foreign == []
    finally:
        page.close()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://a.example/x; https://b.example/y", "https://a.example/x"),  # ';'-joined: the first link only
        ("javascript:alert(1); https://b.example/y", "https://b.example/y"),  # never a script link
        ("data:text/html,<script>alert(1)</script>", ""),
        ("https://", ""),
        ("https://a.example/x y", ""),
        (None, ""),
    ],
)
def test_xss_safe_url_gives_one_http_link_or_none(raw: object, expected: str) -> None:
    from ui.tables import safe_url

    assert safe_url(raw) == expected
