"""Briefing: pick views under the current filters, add a title and a note, download a PowerPoint
and a one-page PDF sheet in which every chart says its filters, sources, date and link."""

from __future__ import annotations

from datetime import date

import streamlit as st

from core.query import filters as F
from core.query import frames
from core.views import briefing, images
from core.views import registry as views
from ui import state
from ui.tables import md_escape

corpus, filters, tables = state.page_setup(
    "briefing",
    intro="Choose views under the current filters (set them in the sidebar), add a title and a short note, then download "
    "a PowerPoint — a title slide and one slide per view, each captioned with its filters, sources and the link that "
    "rebuilds it — and a one-page PDF sheet with the views side by side.",
)
if corpus.is_empty:
    st.info("The corpus is empty: the views will say that nothing matches. Add articles first (see the README).", icon=":material/inbox:")

# widget state is dropped on other pages: keep the choices in shadow keys
for widget, default in (
    ("briefing_views", list(views.briefing_views())),
    ("briefing_title", "Russia–Korea relations: briefing"),
    ("briefing_note", ""),
):
    if widget not in st.session_state:
        st.session_state[widget] = st.session_state.get(f"_{widget}", default)
st.session_state["briefing_views"] = [k for k in st.session_state["briefing_views"] if k in views.briefing_views()]  # views renamed
left, right = st.columns([1, 1])
with left:
    keys = st.multiselect(
        "Views",
        list(views.briefing_views()),
        key="briefing_views",
        format_func=lambda k: views.briefing_views()[k].label,
        placeholder="Pick at least one view",
    )
    title = st.text_input("Title", key="briefing_title", max_chars=120)
    note = st.text_area(
        "Note", key="briefing_note", max_chars=600, height=110, placeholder="What the reader should take from these views (optional)."
    )
for widget in ("briefing_views", "briefing_title", "briefing_note"):
    st.session_state[f"_{widget}"] = st.session_state[widget]
with right:
    st.markdown("**In this briefing**")
    params = F.to_query_params(filters)
    base = state.base_url("briefing")
    for k in keys:
        spec = views.briefing_views()[k]
        url = images.view_url(base, spec.path, params)
        st.markdown(f"- **{spec.label}** — {md_escape(spec.what)} · [open the view]({url})")
    if not keys:
        st.caption("No views picked yet.")
    state.caption(filters, tables, "Under the filters")

ok, message = images.renderer_status()
if not ok:
    st.warning(message + " The deck will hold captions and links only.", icon=":material/warning:")

signature = (corpus.key, filters, tuple(keys), title, note)
if st.button("Build the briefing", type="primary", disabled=not keys, icon=":material/build:"):
    with st.spinner("Rendering the views…"):
        result = briefing.build_briefing(tables, filters, keys, title=title, note=note, base_url=base, exported=date.today())
    st.session_state["_briefing_result"] = (signature, result)

stored = st.session_state.get("_briefing_result")
if stored and stored[0] != signature:
    st.caption("The views, title, note or filters changed since the last build: build the briefing again.")
elif stored:
    result: briefing.Briefing = stored[1]
    for w in result.warnings:
        st.warning(md_escape(w), icon=":material/warning:")
    stem = briefing.file_stem(title, filters, frames.actor_names(corpus.tables["actors"]))
    c1, c2, _ = st.columns([1, 1, 2])
    c1.download_button(
        "Download PowerPoint",
        result.pptx,
        file_name=f"{stem}.pptx",
        mime=briefing.PPTX_MIME,
        on_click="ignore",
        icon=":material/download:",
        type="primary",
    )
    if result.sheet:
        c2.download_button(
            "Download sheet (PDF)",
            result.sheet,
            file_name=f"{stem}.pdf",
            mime=briefing.PDF_MIME,
            on_click="ignore",
            icon=":material/download:",
        )
    images = [(v, img) for v, img in zip(result.views, result.images, strict=True) if img]
    if images:
        st.subheader("Preview", anchor=False)
        cols = st.columns(2)
        for i, (view, img) in enumerate(images):
            cols[i % 2].image(img, caption=f"{view.label}: {view.context.subtitle}", width="stretch")
