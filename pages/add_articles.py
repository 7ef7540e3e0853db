"""Add articles: upload files or paste text, check what was found (and correct the publication
date) before anything is stored, then add; fix the date of, or remove, a stored article.

The work is done in ui/ingest_view.py (tested without a browser); this page reads the widgets,
calls it and renders. Article text and file names reach the page only as text — in dataframes,
or in markdown with every piece escaped — never as HTML. Every write changes the store's
version, which every page keys its cached tables on, so the other pages show the change at once.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from core.config import max_article_bytes
from core.query import frames
from ui import ingest_view as iv
from ui import state
from ui.tables import md_escape

corpus, filters, tables = state.page_setup(
    "add-articles",
    intro="Bring articles into the store: upload files or paste text, check what was found and correct the "
    "publication date, then add them — every page shows them at once. Below, fix the date of a stored "
    "article or remove it.",
)

NONCE = "add_nonce"  # bumped after a batch, which empties the uploader
RESULTS = "add_results"  # result lines of the last batch
PREVIEWS = "_add_previews"  # (item key, user date, store version) -> Preview
PASTE_RESULT = "add_paste_result"
PASTE_PREVIEW = "add_paste_preview"
MANAGE_MSG = "manage_msg"
MAX_DETAILS = 50  # previews drawn in full; a big zip lists the rest in the table only

if corpus.key.startswith("unavailable:"):
    st.error(
        "The store cannot be opened, so nothing can be added or changed now. " + md_escape(" ".join(corpus.notices)),
        icon=":material/error:",
    )
    st.stop()


def _show_outcomes(outcomes: list[iv.Outcome], title: str = "Last batch") -> None:
    """One line per article; many lines become a table so the page stays short."""
    n = {s: sum(o.status == s for o in outcomes) for s in ("added", "duplicate", "rejected")}
    st.markdown(f"**{title}:** {n['added']} added, {n['duplicate']} already present, {n['rejected']} rejected.")
    if len(outcomes) > 20:
        st.dataframe(
            pd.DataFrame({"file": [o.label for o in outcomes], "result": [o.line for o in outcomes]}), hide_index=True, width="stretch"
        )
        return
    for o in outcomes:
        line = f"**{md_escape(o.label)}** — {md_escape(o.line)}"
        if o.status == "added":
            st.success(line, icon=":material/check_circle:")
        elif o.status == "duplicate":
            st.info(line, icon=":material/content_copy:")
        else:
            st.error(line, icon=":material/block:")


def _preview(store: iv.Store, version: int, item: iv.Item, user_date: date | None) -> iv.Preview:
    """Previews are kept per (file, date, store version): a date change re-reads one file only."""
    cache: dict = st.session_state.setdefault(PREVIEWS, {})
    key = (item.key, user_date.isoformat() if user_date else "", version)
    if key not in cache:
        cache[key] = iv.preview(store, item, user_date)
    return cache[key]


def _show_preview(p: iv.Preview, inferred: date | None, names: dict[str, str], date_key: str | None, user_date: date | None) -> None:
    """What was found in one article; with ``date_key``, a date input to correct its date."""
    head = [
        md_escape(p.publication) if p.publication else "",
        f"vol. {md_escape(p.volume)}" if p.volume else "",
        f"issue {md_escape(p.issue)}" if p.issue else "",
        f"*{md_escape(p.title)}*" if p.title else "",
    ]
    st.markdown(" · ".join(h for h in head if h) or "No publication header was found.")
    if user_date:
        found = f" (found from the text: {inferred.isoformat()})" if inferred else ""
        st.caption(f"Dated {user_date.isoformat()} as you set it{found}; the events below are dated from it.")
    elif p.published_date:
        st.caption(
            f"Publication date {md_escape(p.published_date)}, found from {md_escape(iv.how_dated(p.date_method))}"
            + (f": {md_escape(p.date_note)}" if p.date_note else "")
            + "."
        )
    else:
        st.warning("No publication date was found: set one, or the article's relative dates stay unresolved.", icon=":material/event_busy:")
    if date_key:
        st.date_input(
            "Publication date",
            value=iv.in_range(inferred),
            min_value=iv.MIN_DATE,
            max_value=iv.MAX_DATE,
            key=date_key,
            format="YYYY-MM-DD",
            help="Correct it when it is missing or wrong: it is stored with the article and the article's events are dated from it.",
        )
    for w in p.warnings or []:
        if p.published_date or "date" not in w:  # a missing date already has its warning above
            st.caption(f"Note: {md_escape(w)}")
    actors = p.actors or []
    st.markdown(f"**Actors ({len(actors)})**: " + (md_escape(", ".join(actors)) if actors else "none found"))
    events = p.events or []
    st.markdown(f"**Events ({len(events)})** · amounts: {p.n_amounts}")
    if events:
        ev = pd.DataFrame(events)
        ev["actors"] = [", ".join(names.get(a, a) for a in frames.split_list(v)) for v in ev["actors"]]
        st.dataframe(
            ev[["date", "type", "status", "actors", "evidence"]],
            hide_index=True,
            width="stretch",
            column_config={"evidence": st.column_config.TextColumn("evidence", width="large")},
        )


@st.fragment
def upload_section() -> None:
    """A fragment: choosing dates re-runs only this part, and the batch runs here with its bar."""
    st.subheader("Upload files", anchor=False)
    if st.session_state.get(RESULTS):
        _show_outcomes(st.session_state[RESULTS])
        st.button(
            "Clear these results", key="add_clear_results", icon=":material/close:", on_click=lambda: st.session_state.pop(RESULTS, None)
        )
    limit_mb = st.get_option("server.maxUploadSize")
    files = st.file_uploader(
        "Article files (.txt, .md, .html, or a .zip of them)",
        accept_multiple_files=True,
        key=f"add_files_{st.session_state.get(NONCE, 0)}",
        help=f"Up to {limit_mb} MB per upload; each article at most {max_article_bytes():,} bytes. "
        "HTML saved from a browser is reduced to its article text.",
    )
    if not files:
        st.caption("Nothing is stored until you press the Add button under the preview.")
        return
    items = iv.expand([(f.name, f.getvalue()) for f in files], [f.file_id for f in files])
    try:
        store = iv.current_store()
        version = store.version()
    except Exception as exc:
        st.error(f"The store cannot be opened: {md_escape(iv.reason_for(exc, 'opening the store'))}", icon=":material/error:")
        return
    cache = st.session_state.get(PREVIEWS, {})
    live = {i.key for i in items}
    st.session_state[PREVIEWS] = {k: v for k, v in cache.items() if k[0] in live and k[2] == version}

    names = frames.actor_names(corpus.tables["actors"])
    dates: dict[str, date | None] = {}  # key -> the user's date, for every item ready to add
    seen: dict[str, str] = {}
    checked = []
    for item in items:
        base = _preview(store, version, item, None)
        date_key = f"add_date_{item.key}"
        user_date = iv.user_date_for(base, st.session_state.get(date_key, iv.inferred_date(base))) if base.ok else None
        p = _preview(store, version, item, user_date) if user_date else base
        if not p.ok:
            check, icon = f"cannot be added: {p.message}", ":material/block:"
        elif p.duplicate_of:
            check, icon = f"already present (article {p.duplicate_of}), nothing to add", ":material/content_copy:"
        elif p.article_id in seen:
            check, icon = f"same text as {seen[p.article_id]} in this batch, added once", ":material/content_copy:"
        else:
            check, icon = "ready to add", ":material/check_circle:"
            seen[p.article_id] = item.label
            dates[item.key] = user_date
        checked.append((item, base, p, check, icon, date_key, user_date))

    st.markdown(f"**Preview of {len(items)} article file(s)** — check each one, correct a date if needed.")
    if len(items) > 3:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "file": item.label,
                        "check": check,
                        "publication": p.publication,
                        "date": p.published_date,
                        "dated by": p.date_method,
                        "actors": len(p.actors or []),
                        "events": len(p.events or []),
                        "amounts": p.n_amounts,
                    }
                    for item, _, p, check, *_ in checked
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    if len(items) > MAX_DETAILS:
        st.caption(f"The first {MAX_DETAILS} are shown in detail below; the others are added with the dates found.")
    for item, base, p, check, icon, date_key, user_date in checked[:MAX_DETAILS]:
        ready = item.key in dates
        with st.expander(
            f"{md_escape(item.label)} — {md_escape(check)}", icon=icon, expanded=ready and (len(items) <= 3 or not p.published_date)
        ):
            if ready:
                _show_preview(p, iv.inferred_date(base), names, date_key, user_date)
            else:
                st.caption(md_escape(check[0].upper() + check[1:]) + ".")

    n = len(dates)
    go = st.button(f"Add {n} article{'s' if n != 1 else ''}", type="primary", disabled=n == 0, key="add_go", icon=":material/library_add:")
    if not go:
        return
    bar = st.progress(0.0, text=f"Adding {len(items)} file(s)…")
    lines = st.container()
    outcomes: list[iv.Outcome] = []
    st.session_state[RESULTS] = outcomes  # filled as it goes: a run cut short still shows what was done
    for i, item in enumerate(items):
        outcome = iv.add(store, [item], dates)[0]
        outcomes.append(outcome)
        lines.caption(f"{md_escape(item.label)}: {md_escape(outcome.line)}")
        bar.progress((i + 1) / len(items), text=f"{i + 1} of {len(items)}: {md_escape(item.label)}")
    st.session_state[NONCE] = st.session_state.get(NONCE, 0) + 1
    st.session_state.pop(PREVIEWS, None)
    st.rerun(scope="app")  # every part of the page (and the sidebar) reads the new store version


upload_section()

# --- paste ----------------------------------------------------------------------------------------


def _paste_values() -> tuple[str, str, date | None]:
    return (
        st.session_state.get("add_paste_text") or "",
        st.session_state.get("add_paste_title") or "",
        st.session_state.get("add_paste_date"),
    )


def _add_pasted() -> None:
    """Form callback: runs before the page, so the page below already reads the new article."""
    text, title, day = _paste_values()
    try:
        outcome = iv.add_text(iv.current_store(), text, title, day)
    except Exception as exc:  # the store could not even be opened
        outcome = iv.Outcome("Pasted text", "rejected", iv.reason_for(exc, "opening the store"))
    st.session_state[PASTE_RESULT] = outcome
    st.session_state.pop(PASTE_PREVIEW, None)
    if outcome.status == "added":
        st.session_state["add_paste_text"] = ""
        st.session_state["add_paste_title"] = ""
        st.session_state["add_paste_date"] = None


def _preview_pasted() -> None:
    text, title, day = _paste_values()
    item = iv.text_item(text, title)
    try:
        store = iv.current_store()
    except Exception as exc:
        found = iv.Preview(item.label, False, iv.reason_for(exc, "opening the store"))
    else:
        found = iv.preview(store, item, day)
    st.session_state[PASTE_PREVIEW] = (item, found, day)
    st.session_state.pop(PASTE_RESULT, None)


st.subheader("Or paste an article", anchor=False)
with st.form("add_paste", border=True):
    st.text_input("Title (optional)", key="add_paste_title")
    st.text_area(
        "Article text",
        key="add_paste_text",
        height=180,
        placeholder="Paste the article here, with its header lines (Publication:, Date:) if it has them.",
    )
    st.date_input(
        "Publication date (optional)",
        value=None,
        min_value=iv.MIN_DATE,
        max_value=iv.MAX_DATE,
        key="add_paste_date",
        format="YYYY-MM-DD",
        help="Leave empty to let the date be found from the text; set it when it cannot be found.",
    )
    c1, c2 = st.columns(2)
    c1.form_submit_button("Preview", on_click=_preview_pasted, icon=":material/preview:", width="stretch")
    c2.form_submit_button("Add the pasted text", on_click=_add_pasted, type="primary", icon=":material/library_add:", width="stretch")
if st.session_state.get(PASTE_RESULT):
    _show_outcomes([st.session_state[PASTE_RESULT]], "Pasted text")
elif st.session_state.get(PASTE_PREVIEW):
    _item, p, day = st.session_state[PASTE_PREVIEW]
    if not p.ok:
        st.error(md_escape(p.message), icon=":material/block:")
    elif p.duplicate_of:
        st.info(f"This text is already in the store (article {md_escape(p.duplicate_of)}).", icon=":material/content_copy:")
    else:
        with st.container(border=True):
            _show_preview(p, None if day else iv.inferred_date(p), frames.actor_names(corpus.tables["actors"]), None, day)
            st.caption("To add it with another date, set the date in the form above and press Add.")

# --- stored articles ------------------------------------------------------------------------------


def _save_date(article_id: str, clear: bool = False) -> None:
    """Button callback: set (or clear) the date, so the page below already reads the new version."""
    value = None if clear else st.session_state.get(f"manage_date_{article_id}")
    if value is None and not clear:
        st.session_state[MANAGE_MSG] = ("error", "Choose a date first.")
        return
    try:
        err = iv.change_date(iv.current_store(), article_id, value)
    except Exception as exc:
        err = iv.reason_for(exc, "opening the store")
    if err:
        st.session_state[MANAGE_MSG] = ("error", f"The date was not changed: {err}")
    else:
        st.session_state.pop(f"manage_date_{article_id}", None)
        done = f"set to {value.isoformat()}" if value else "found from the text again"
        st.session_state[MANAGE_MSG] = ("success", f"The publication date of {article_id} is {done}; its events are re-dated.")


def _remove(article_id: str, label: str) -> None:
    """Button callback; the confirmation is checked again here, not only by the disabled button."""
    if not st.session_state.get(f"manage_confirm_{article_id}"):
        st.session_state[MANAGE_MSG] = ("error", "Tick the confirmation first.")
        return
    try:
        err = iv.remove(iv.current_store(), article_id)
    except Exception as exc:
        err = iv.reason_for(exc, "opening the store")
    st.session_state.pop(f"manage_confirm_{article_id}", None)
    if err:
        st.session_state[MANAGE_MSG] = ("error", f"Nothing was removed: {err}")
    else:
        st.session_state["manage_pick"] = ""
        st.session_state[MANAGE_MSG] = ("success", f"Removed “{label}” and every row taken from it.")


st.subheader("Stored articles", anchor=False)
arts = corpus.tables["articles"]
if "origin" in arts.columns:
    arts = arts[frames.text(arts["origin"]) != "reference"]
ev_all = corpus.tables["events"]
ev_counts = frames.text(ev_all["article_id"]).value_counts().to_dict() if not ev_all.empty else {}
if arts.empty:
    st.info("The store holds no articles yet: add some above.", icon=":material/inbox:")
    st.stop()

ids = list(frames.text(arts["article_id"]))
titles = {a: (t or s or a) for a, t, s in zip(ids, frames.text(arts["title"]), frames.text(arts["source_file"]), strict=False)}
pub = dict(zip(ids, frames.text(arts["published_date"]), strict=False))
methods = dict(zip(ids, frames.text(arts["date_method"]), strict=False))
st.caption(f"All {len(ids):,} article(s) in the store (the sidebar filters do not apply here).")
st.dataframe(
    pd.DataFrame(
        {
            "published": [pub[a][:10] for a in ids],
            "dated by": [methods[a] for a in ids],
            "title": [titles[a] for a in ids],
            "file": list(frames.text(arts["source_file"])),
            "events": [int(ev_counts.get(a, 0)) for a in ids],
            "article_id": ids,
        }
    ).sort_values(["published", "article_id"]),
    hide_index=True,
    width="stretch",
    column_config={"title": st.column_config.TextColumn("title", width="large")},
)
if st.session_state.get("manage_pick") not in ["", *ids]:
    st.session_state["manage_pick"] = ""
pick = st.selectbox(
    "Article to change",
    ["", *ids],
    key="manage_pick",
    format_func=lambda a: "Choose an article…" if not a else f"{pub.get(a, '')[:10] or '????'} · {titles[a]}",
)
msg = st.session_state.pop(MANAGE_MSG, None)
if msg:
    (st.success if msg[0] == "success" else st.error)(md_escape(msg[1]))
if pick:
    left, right = st.columns(2)
    with left, st.container(border=True):
        st.markdown("**Publication date**")
        current = iv.in_range(frames.parse_date(pub.get(pick, "")[:10]))
        st.caption(f"Now {md_escape(pub.get(pick) or 'unknown')}, dated by {md_escape(methods.get(pick) or '?')}.")
        st.date_input(
            "New publication date",
            value=current,
            min_value=iv.MIN_DATE,
            max_value=iv.MAX_DATE,
            key=f"manage_date_{pick}",
            format="YYYY-MM-DD",
        )
        st.button(
            "Save this date",
            key="manage_save",
            on_click=_save_date,
            args=(pick,),
            icon=":material/event:",
            help="Stored with the article; its events are dated again from it.",
        )
        if methods.get(pick) == "user":
            st.button(
                "Find the date from the text again", key="manage_unset", on_click=_save_date, args=(pick, True), icon=":material/undo:"
            )
    with right, st.container(border=True):
        st.markdown("**Remove this article**")
        st.caption("Its text and every event, mention, amount and citation taken from it leave the store.")
        sure = st.checkbox("Yes, remove it", key=f"manage_confirm_{pick}")
        st.button(
            "Remove the article",
            key="manage_remove",
            type="primary",
            disabled=not sure,
            on_click=_remove,
            args=(pick, titles[pick]),
            icon=":material/delete:",
        )
    st.page_link(
        "pages/articles.py",
        label="Read it on the Articles page",
        icon=":material/article:",
        query_params=state.link_params(filters, article=pick),
    )
