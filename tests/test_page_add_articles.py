"""The Add articles page: its logic (ui/ingest_view.py) on (name, bytes) pairs, and the page itself
under AppTest — uploads, preview and date correction, the paste box, removal behind a
confirmation, re-dating a stored article, and the other pages showing a new article at once."""

from __future__ import annotations

import itertools
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.errors import ArticleError
from core.query.tables import load_tables
from core.storage.store import Store
from tests.helpers import zip_bytes
from ui import ingest_view as iv


@pytest.fixture(autouse=True)
def _in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests replace core functions with fakes: run the page's jobs here, not in its worker
    process (the worker and its time budget are tested in tests/test_ingest_budget.py)."""
    monkeypatch.setattr(iv, "IN_PROCESS", True)


ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGE = "pages/add_articles.py"
TIMEOUT = 90

GOOD = b"Publication: Monitor Volume: 5 Issue: 3\n\nMoscow and Seoul signed a treaty on January 4 (AP, January 5).\n"
GOOD2 = (
    b"Publication: Monitor Volume: 6 Issue: 101\n\nRussian Defense Minister Igor Sergeev met South Korean "
    b"President Kim Dae-jung in Seoul on May 24 and signed a military cooperation agreement (AP, May 25).\n"
)
UNDATED = (
    b"Russian Foreign Minister Igor Ivanov met South Korean President Kim Dae-jung in Seoul last week and "
    b"signed an agreement on military cooperation, officials said.\n"
)
HTML = (
    b"<html><head><title>Talks</title><script>var x = 1;</script></head><body><nav>Home | About</nav>"
    b"<article><p>Seoul and Moscow talked about the debt and tanks today, officials said. South Korean "
    b"officials said Russia would deliver more tanks to repay its debt.</p></article></body></html>"
)
SAMPLE = (ROOT / "data" / "articles" / "monitor-1999-v5-i160.txt").read_bytes()
_n = itertools.count()


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Store:
    """An empty store at a temp RUSKOR_DB (nothing to seed from), as the page opens it; a 5000
    byte article limit so 'oversized' stays small."""
    seed = tmp_path / "no-articles"
    seed.mkdir()
    monkeypatch.setenv("RUSKOR_DB", str(tmp_path / f"corpus-{next(_n)}.sqlite"))
    monkeypatch.setenv("RUSKOR_SEED_DIR", str(seed))
    monkeypatch.setenv("RUSKOR_MAX_BYTES", "5000")
    return iv.current_store()


def _stored_ids(store: Store) -> set[str]:
    return {t["article_id"] for t in store.stored_texts()}


# --------------------------------------------------------------------------- the logic


def test_add_uploads_gives_each_file_its_own_line_and_stores_exactly_the_good_ones(store: Store) -> None:
    uploads = [
        ("good.txt", GOOD),
        ("copy-of-good.txt", GOOD),
        ("empty.txt", b""),
        ("binary.txt", b"\x00\x01\x02\xff" * 100),
        ("big.txt", b"word " * 2000),
        ("page.html", HTML),
        ("evil.zip", zip_bytes({"../evil.txt": GOOD2})),
        ("batch.zip", zip_bytes({"b.md": GOOD2, "c.txt": b"", "inner.zip": zip_bytes({"x.txt": GOOD})})),
        ("notes.pdf", b"%PDF-1.4"),
    ]
    seen: list[tuple[int, int, str]] = []
    out = {o.label: o for o in iv.add_uploads(store, uploads, progress=lambda i, n, label: seen.append((i, n, label)))}

    assert out["good.txt"].status == "added"
    assert out["good.txt"].counts["events"] >= 1 and out["good.txt"].counts["actors"] >= 2
    assert out["good.txt"].line.startswith("added: ") and "actor" in out["good.txt"].line
    assert out["copy-of-good.txt"].status == "duplicate"
    assert "already present" in out["copy-of-good.txt"].line and out["good.txt"].article_id in out["copy-of-good.txt"].line
    assert out["empty.txt"].status == "rejected" and "empty" in out["empty.txt"].line
    assert out["binary.txt"].status == "rejected" and "binary" in out["binary.txt"].line
    assert out["big.txt"].status == "rejected" and "too large" in out["big.txt"].line and "5,000" in out["big.txt"].line
    assert out["page.html"].status == "added"
    assert out["evil.zip:evil.txt"].status == "rejected" and "outside the archive" in out["evil.zip:evil.txt"].line
    assert out["batch.zip:b.md"].status == "added"
    assert out["batch.zip:c.txt"].status == "rejected"
    assert out["batch.zip:inner.zip"].status == "rejected" and "zip inside a zip" in out["batch.zip:inner.zip"].line
    assert out["notes.pdf"].status == "rejected" and "not supported" in out["notes.pdf"].line

    added = {o.article_id for o in out.values() if o.status == "added"}
    assert len(added) == 3 and _stored_ids(store) == added
    assert [s[0] for s in seen] == list(range(1, len(out) + 1)) and all(s[1] == len(out) for s in seen)
    # a second batch: the same content is recognised, nothing is touched
    again = iv.add_uploads(store, [("good-again.txt", GOOD)])
    assert [o.status for o in again] == ["duplicate"] and _stored_ids(store) == added


def test_expand_checks_the_size_before_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUSKOR_MAX_BYTES", "100")
    item = iv.expand([("big.txt", b"x" * 101)])[0]
    assert "too large" in item.error and "101" in item.error
    assert iv.preview(None, item).ok is False
    ok = iv.expand([("a/b/small.txt", b"x" * 100)], ids=["file-1"])[0]
    assert not ok.error and ok.label == "small.txt" and ok.key == "file-1"


@pytest.mark.parametrize(("exc", "needle"), [(ArticleError("E010"), "try again"), (RuntimeError("boom"), "unexpected error")])
def test_add_turns_any_exception_into_a_line_and_keeps_going(
    store: Store, monkeypatch: pytest.MonkeyPatch, exc: Exception, needle: str
) -> None:
    real = iv.ingest_bytes

    def flaky(st, data, name, user_date=None):
        if name == "bad.txt":
            raise exc
        return real(st, data, name, user_date)

    monkeypatch.setattr(iv, "ingest_bytes", flaky)
    out = iv.add_uploads(store, [("bad.txt", GOOD), ("good.txt", GOOD2)])
    assert [o.status for o in out] == ["rejected", "added"]
    assert needle in out[0].line
    assert store.article_count() == 1


def test_preview_shows_the_inferred_date_and_a_user_date_redates_the_events(store: Store) -> None:
    item = iv.expand([("undated.txt", UNDATED)])[0]
    p = iv.preview(store, item)
    assert p.ok and not p.published_date and iv.inferred_date(p) is None
    assert {"Igor Ivanov", "Kim Dae-jung"} <= set(p.actors or [])
    assert p.events and all(e["date"] == "" for e in p.events)
    fixed = iv.preview(store, item, date(2001, 5, 4))
    assert fixed.published_date == "2001-05-04" and fixed.date_method == "user"
    assert all(e["date"].startswith("2001-04") for e in fixed.events or [])  # "last week"
    assert store.article_count() == 0  # a preview stores nothing

    dated = iv.preview(store, iv.expand([("sample.txt", SAMPLE)])[0])
    assert dated.published_date.startswith("1999-") and iv.how_dated(dated.date_method) != dated.date_method
    assert iv.user_date_for(dated, iv.inferred_date(dated)) is None  # untouched: keep core's own dating
    assert iv.user_date_for(dated, date(1999, 1, 1)) == date(1999, 1, 1)

    [out] = iv.add(store, [item], {item.key: date(2001, 5, 4)})
    assert out.status == "added"
    tables = load_tables(store)
    art = tables["articles"].set_index("article_id").loc[out.article_id]
    assert art["published_date"].startswith("2001-05-04") and art["date_method"] == "user"
    ev = tables["events"][tables["events"]["article_id"] == out.article_id]
    assert len(ev) and all(str(d).startswith("2001-04") for d in ev["start_date"])


def test_add_text_and_stored_article_actions(store: Store) -> None:
    assert iv.add_text(store, "   ").status == "rejected"
    out = iv.add_text(store, UNDATED.decode(), "Ivanov in Seoul", date(2001, 5, 4))
    assert out.status == "added" and out.label == "Pasted text “Ivanov in Seoul”"
    assert iv.add_text(store, UNDATED.decode(), "Ivanov in Seoul").status == "duplicate"
    assert iv.change_date(store, out.article_id, date(2002, 3, 1)) == ""
    ev = load_tables(store)["events"]
    assert all(str(d).startswith("2002-02") for d in ev[ev["article_id"] == out.article_id]["start_date"])
    assert "No article" in iv.change_date(store, "no-such-id", date(2002, 3, 1))
    assert iv.remove(store, out.article_id) == "" and store.article_count() == 0
    assert "No article" in iv.remove(store, out.article_id)


# --------------------------------------------------------------------------- the page


def _page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE).run()
    _ok(at)
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _shown(elements) -> str:
    return "\n".join(str(e.value) for e in elements).replace("\\", "").replace("**", "")  # as read on screen


def _date_inputs(at: AppTest, prefix: str) -> list:
    return [d for d in at.date_input if d.key and d.key.startswith(prefix)]


def test_page_is_in_the_menu_and_renders_on_an_empty_store(store: Store) -> None:
    at = _page()
    assert at.title[0].value.endswith("Add articles")
    assert any(link.proto.page.endswith("add_articles.py") or "add_articles" in link.proto.page for link in at.get("page_link"))
    assert "no articles yet" in _shown(at.info)
    assert at.file_uploader[0].accept_multiple_files


def test_page_upload_preview_then_add(store: Store) -> None:
    at = _page()
    at.file_uploader[0].set_value(
        [
            ("good.txt", GOOD, "text/plain"),
            ("empty.txt", b"", "text/plain"),
            ("binary.txt", b"\x00\x01" * 64, "text/plain"),
            ("page.html", HTML, "text/html"),
            ("evil.zip", zip_bytes({"../../etc/evil.txt": GOOD2}), "application/zip"),
        ]
    ).run()
    _ok(at)
    labels = [e.label.replace("\\", "") for e in at.expander]
    assert any(lbl.startswith("good.txt — ready") for lbl in labels)
    assert any(lbl.startswith("empty.txt — cannot be added") for lbl in labels)
    assert any("evil.zip:evil.txt — cannot be added" in lbl and "outside the archive" in lbl for lbl in labels)
    assert at.button(key="add_go").label == "Add 2 articles"
    assert store.article_count() == 0  # the preview stores nothing
    assert "**Actors (3)**: Russia, South Korea" in str([m.value for m in at.markdown])  # the actors found

    at.button(key="add_go").click().run()
    _ok(at)
    assert "2 added, 0 already present, 3 rejected" in _shown(at.markdown)
    assert "good.txt — added: " in _shown(at.success)
    errors = _shown(at.error)
    assert "empty.txt — rejected: The file is empty." in errors and "binary" in errors and "outside the archive" in errors
    assert store.article_count() == 2
    assert not at.file_uploader[0].value  # emptied for the next batch
    assert len(at.selectbox(key="manage_pick").options) == 3  # "choose…" and the two new articles

    # the same file again: already present, nothing added
    at.file_uploader[0].set_value([("good.txt", GOOD, "text/plain")]).run()
    assert "already present" in "".join(e.label for e in at.expander)
    assert at.button(key="add_go").disabled
    assert store.article_count() == 2


def test_page_zip_batch_lists_members_and_adds_a_repeat_once(store: Store) -> None:
    at = _page()
    at.file_uploader[0].set_value(
        [
            ("batch.zip", zip_bytes({"a.txt": GOOD, "b.md": GOOD2, "nested/c.txt": UNDATED}), "application/zip"),
            ("again.txt", GOOD, "text/plain"),
        ]
    ).run()
    _ok(at)
    labels = [e.label.replace("\\", "") for e in at.expander]
    assert "again.txt — same text as batch.zip:a.txt in this batch, added once" in labels
    table = at.dataframe[0].value  # more than three: a summary table too
    assert list(table["file"]) == ["batch.zip:a.txt", "batch.zip:b.md", "batch.zip:c.txt", "again.txt"]
    assert at.button(key="add_go").label == "Add 3 articles"
    at.button(key="add_go").click().run()
    _ok(at)
    assert "3 added, 1 already present, 0 rejected" in _shown(at.markdown)
    assert store.article_count() == 3


def test_page_date_correction_in_the_preview_is_stored(store: Store) -> None:
    at = _page()
    at.file_uploader[0].set_value([("undated.txt", UNDATED, "text/plain")]).run()
    assert "No publication date was found" in _shown(at.warning)
    [picker] = _date_inputs(at, "add_date_")
    picker.set_value(date(2001, 5, 4)).run()
    _ok(at)
    assert "Dated 2001-05-04 as you set it" in _shown(at.caption)
    at.button(key="add_go").click().run()
    _ok(at)
    tables = load_tables(store)
    art = tables["articles"].iloc[0]
    assert art["published_date"].startswith("2001-05-04") and art["date_method"] == "user"
    ev = tables["events"][tables["events"]["article_id"] == art["article_id"]]
    assert len(ev) and all(str(d).startswith("2001-04") for d in ev["start_date"])


def test_page_paste_box_previews_and_adds(store: Store) -> None:
    at = _page()
    at.text_area(key="add_paste_text").set_value("   ")
    add = next(b for b in at.button if b.label == "Add the pasted text")
    add.click().run()
    _ok(at)
    assert "The text is empty." in _shown(at.error)

    at.text_input(key="add_paste_title").set_value("Ivanov in Seoul")
    at.text_area(key="add_paste_text").set_value(UNDATED.decode())
    next(b for b in at.button if b.label == "Preview").click().run()
    _ok(at)
    assert "No publication date was found" in _shown(at.warning) and store.article_count() == 0

    at.date_input(key="add_paste_date").set_value(date(2001, 5, 4))
    next(b for b in at.button if b.label == "Add the pasted text").click().run()
    _ok(at)
    assert "Pasted text “Ivanov in Seoul” — added: " in _shown(at.success)
    assert store.article_count() == 1
    assert at.text_area(key="add_paste_text").value == ""  # cleared after adding
    assert load_tables(store)["articles"].iloc[0]["date_method"] == "user"


def test_page_busy_store_asks_to_try_again(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def busy(*args, **kwargs):
        raise ArticleError("E010")

    monkeypatch.setattr(iv, "ingest_text", busy)
    at = _page()
    at.text_area(key="add_paste_text").set_value(GOOD.decode())
    next(b for b in at.button if b.label == "Add the pasted text").click().run()
    _ok(at)
    assert "try again" in _shown(at.error)
    assert store.article_count() == 0


def test_page_remove_needs_the_confirmation(store: Store) -> None:
    [keep, gone] = iv.add_uploads(store, [("keep.txt", GOOD), ("gone.txt", GOOD2)])
    at = _page()
    at.selectbox(key="manage_pick").set_value(gone.article_id).run()
    _ok(at)
    assert at.button(key="manage_remove").disabled
    at.checkbox(key=f"manage_confirm_{gone.article_id}").check().run()
    assert not at.button(key="manage_remove").disabled
    at.button(key="manage_remove").click().run()
    _ok(at)
    assert "Removed" in _shown(at.success)
    assert _stored_ids(store) == {keep.article_id}
    assert at.selectbox(key="manage_pick").value == ""
    assert len(at.selectbox(key="manage_pick").options) == 2  # "choose…" and the one left


def test_page_set_date_of_a_stored_article_redates_its_events(store: Store) -> None:
    [out] = iv.add_uploads(store, [("sample.txt", SAMPLE)])
    before = load_tables(store)["events"]
    before = dict(zip(before["event_id"], before["start_date"], strict=False))
    at = _page()
    at.selectbox(key="manage_pick").set_value(out.article_id).run()
    at.date_input(key=f"manage_date_{out.article_id}").set_value(date(2001, 8, 30)).run()
    at.button(key="manage_save").click().run()
    _ok(at)
    assert "2001-08-30" in _shown(at.success)
    tables = load_tables(store)
    art = tables["articles"].iloc[0]
    assert art["published_date"].startswith("2001-08-30") and art["date_method"] == "user"
    after = tables["events"][tables["events"]["article_id"] == out.article_id]
    moved = [e for e, d in zip(after["event_id"], after["start_date"], strict=False) if before.get(e) != d]
    assert moved and all(str(d).startswith("2001") for d in after["start_date"] if d)
    # and back to the date the text gives
    at.button(key="manage_unset").click().run()
    _ok(at)
    assert load_tables(store)["articles"].iloc[0]["published_date"].startswith("1999-")


def test_other_pages_show_a_new_article_at_once(store: Store) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/events.py").run()
    _ok(at)
    events_before = len(at.dataframe[0].value)
    at.switch_page("pages/articles.py").run()
    assert "no articles" in _shown([*at.info, *at.caption]).lower()

    at.switch_page(PAGE).run()
    at.file_uploader[0].set_value([("sample.txt", SAMPLE, "text/plain")]).run()
    at.button(key="add_go").click().run()
    _ok(at)
    aid = next(iter(_stored_ids(store)))

    at.switch_page("pages/events.py").run()  # same session: its caches were filled before the write
    _ok(at)
    shown = at.dataframe[0].value
    mine = shown[shown["article"].str.contains(aid)]
    # the page shows resolved events by default: one row per happening its reports tell (issue 16)
    happenings = load_tables(store)["events"].query("article_id == @aid")["resolved_id"].nunique()
    assert len(shown) > events_before and len(mine) == happenings
    assert any("Sergeev" in e for e in mine["evidence"])
    at.switch_page("pages/articles.py").run()
    _ok(at)
    assert aid in set(at.dataframe[0].value["article_id"])
    at.switch_page("app.py").run()
    assert at.metric[0].value == "1"


def test_page_shows_file_names_and_article_text_only_as_text(store: Store) -> None:
    evil_name = "<img src=x onerror=alert(1)> **bold**.txt"
    body = GOOD.decode().replace("signed a treaty", "signed a <script>alert(1)</script> **treaty** [x](javascript:alert(1))")
    at = _page()
    at.file_uploader[0].set_value([(evil_name, body.encode(), "text/plain")]).run()
    _ok(at)
    at.button(key="add_go").click().run()
    _ok(at)
    for el in [*at.markdown, *at.caption, *at.success, *at.error, *at.info, *at.warning]:
        value = str(el.value)
        assert not re.search(r"(?<!\\)<(img|script)|(?<!\\)\]\(javascript", value), value  # only escaped
        assert not getattr(el.proto, "allow_html", False), value
    for ex in at.expander:
        assert not re.search(r"(?<!\\)<(img|script)", ex.label), ex.label
    [added] = at.success
    assert "\\<img src" in added.value and "\\*\\*bold\\*\\*" in added.value  # the name, escaped
    assert added.value.replace("\\", "").startswith(f"**{evil_name}** — added")
    reader_pages = [h.value for h in at.get("html")]
    assert not any("<script" in h or "<img" in h for h in reader_pages)
