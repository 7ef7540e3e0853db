"""Filters shared by every page: sidebar widgets <-> session_state <-> URL query params.

Streamlit drops query params when the page changes, so the widgets' session_state is the
memory and the URL is rewritten from it on every run; a URL whose filter params differ from
what this session last wrote (a pasted link, a fresh tab) wins and re-seeds the widgets. Bad or
stale params become a small notice in the sidebar.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core.query import filters as F
from core.query import frames
from core.query.filters import Filters
from core.views import registry as views
from ui.loader import Corpus
from ui.tables import md_escape

#: session_state keys of the sidebar widgets (each filter of the registry names its own).
KEYS = {spec.name: spec.widget.key for spec in F.REGISTRY}
_WRITTEN = "_ruskor_qp_written"
_FILTERS = "_ruskor_filters"
_NOTICES = "_ruskor_notices"
_CORPUS = "_ruskor_corpus"

#: (script, title, icon, page key) of every page, in menu order (the view registry, core.views.registry).
NAV = [(v.script, v.title, v.icon, v.key) for v in views.VIEWS]

#: Pages that change the store (upload, set a date, remove): hidden in read-only mode.
WRITE_PAGES = frozenset(v.key for v in views.VIEWS if v.writes)


def read_only() -> bool:
    """Whether the dashboard runs read-only (see :func:`read_only_reason`)."""
    return bool(read_only_reason())


def read_only_reason() -> str:
    """Why the dashboard runs read-only, in plain words ('' when it may write): it was started so
    ($RUSKOR_READ_ONLY, set by ``start.sh --read-only``), or its store cannot be written by the
    server (file or folder read-only), which is then read as it is, never changed."""
    from core.config import read_only_mode, store_path
    from ui import loader

    if read_only_mode():
        return "it was started read-only (start.sh --read-only, or RUSKOR_READ_ONLY)"
    if loader.store_read_only():
        return f"its store {store_path()} cannot be written by the dashboard (the file or its folder is read-only)"
    return ""


def _read_only_notice(page: str) -> None:
    """Say why the Add articles page is missing, on every page; on that page (reached by its URL:
    the menu has no link to it) say it instead of the page and stop."""
    reason = read_only_reason()
    if not reason:
        return
    if page in WRITE_PAGES:
        st.info(
            f"This dashboard is read-only because {md_escape(reason)}: articles cannot be added, re-dated "
            "or removed here. Use `python -m core ingest`, `set-date` or `remove` on the machine that holds "
            "the store, as a user who may write it.",
            icon=":material/lock:",
        )
        st.stop()
    st.sidebar.caption(f"Read-only: {md_escape(reason)}.")


FAVICONS = {v.key: v.favicon for v in views.VIEWS}

#: Less empty space above the title, so more of each page fits a 1440x900 screen.
_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 2rem; }
[data-testid="stSidebarUserContent"] { padding-top: 1rem; }
</style>"""

#: Params each page owns besides the filters (kept in the URL only on that page).
PAGE_PARAMS: dict[str, frozenset[str]] = {v.key: v.params for v in views.VIEWS}
_EMBED = frozenset({"embed", "embed_options"})


# --------------------------------------------------------------------------- query params


def read_query_params() -> dict[str, list[str]]:
    """Current URL params, every value as a list (repeated keys kept)."""
    return {k: st.query_params.get_all(k) for k in st.query_params}


def _norm(params: Mapping[str, object]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in params.items():
        vals = [v] if isinstance(v, str) else list(v)  # type: ignore[arg-type]
        if vals:
            out[k] = [str(x) for x in vals]
    return out


# --------------------------------------------------------------------------- widgets <-> Filters


def _seed_widgets(filters: Filters, corpus: Corpus) -> None:
    """Put a filter set into the widgets' session_state (before they are drawn).

    Done on every run, so the widgets show the session's filters whichever page drew them last.
    A half-picked date range (one date clicked) is left alone so the second click can land.
    """
    span = frames.corpus_span(corpus.tables)
    for spec in F.REGISTRY:
        key = spec.widget.key
        if spec.widget.kind != "date_range":
            st.session_state[key] = list(getattr(filters, spec.field_name))
        elif span is not None:
            lo, hi = (name for name, *_ in spec.field_specs())  # the range filter's two fields
            wanted = (getattr(filters, lo) or span[0], getattr(filters, hi) or span[1])
            current = st.session_state.get(key)
            half_picked = isinstance(current, (list, tuple)) and len(current) == 1 and current[0] == wanted[0]
            if not half_picked:
                st.session_state[key] = wanted
        else:
            st.session_state.pop(key, None)


def _sanitize(filters: Filters, corpus: Corpus, opts: dict[str, list]) -> tuple[Filters, list[str]]:
    """Drop values the corpus no longer has (a store rebuilt under an open session)."""
    notes: list[str] = []
    changes: dict[str, tuple] = {}
    for spec in F.list_filters():
        current = getattr(filters, spec.field_name)
        valid = set(opts[spec.field_name])
        kept = tuple(v for v in current if v in valid)
        if kept != current:
            changes[spec.field_name] = kept
            notes.append(f"Dropped {spec.field_name.replace('_', ' ')} no longer in the corpus.")
    filters = replace(filters, **changes)  # type: ignore[arg-type]
    filters, date_notes = F.clamp_dates(filters, frames.corpus_span(corpus.tables))
    return filters, notes + date_notes


def _read_widgets(corpus: Corpus) -> Filters:
    span = frames.corpus_span(corpus.tables)
    kwargs: dict[str, object] = {}
    for spec in F.REGISTRY:
        value = st.session_state.get(spec.widget.key)
        if spec.widget.kind == "date_range":
            if span is not None and value:
                vals = list(value) if isinstance(value, (list, tuple)) else [value]
                lo, hi = (name for name, *_ in spec.field_specs())
                kwargs[lo] = vals[0] if len(vals) >= 1 else None
                kwargs[hi] = vals[1] if len(vals) >= 2 else None
        else:
            kwargs[spec.field_name] = tuple(spec.coerce(v) for v in value or ())
    filters, _ = F.clamp_dates(Filters(**kwargs), span)
    return filters


def _reset() -> None:
    st.session_state[_FILTERS] = Filters()


def _on_change() -> None:
    """Widget callback: the widgets' values become the session's filters before the rerun."""
    corpus = st.session_state.get(_CORPUS)
    if isinstance(corpus, Corpus):
        st.session_state[_FILTERS] = _read_widgets(corpus)


def _draw_widget(where: DeltaGenerator, spec: F.FilterSpec, corpus: Corpus, opts: dict[str, list]) -> None:
    """One filter's widget, as its registry entry describes it."""
    w = spec.widget
    if w.kind == "date_range":
        span = frames.corpus_span(corpus.tables)
        if span is not None:
            where.date_input(
                w.label, on_change=_on_change, key=w.key, min_value=span[0], max_value=span[1], format="YYYY-MM-DD", help=w.help
            )
        else:
            where.caption(f"{w.label}: the corpus has no dated records yet.")
        return
    assert isinstance(spec, F.ListFilter)
    selected = tuple(st.session_state.get(w.key) or ())
    choices, fmt = spec.widget_choices(corpus.tables, opts, selected)
    where.multiselect(w.label, choices, on_change=_on_change, key=w.key, format_func=fmt or str, placeholder=w.placeholder, help=w.help)


def _draw_sidebar(corpus: Corpus, opts: dict[str, list]) -> None:
    sb = st.sidebar
    sb.header("Filters")
    more = [spec for spec in F.REGISTRY if spec.widget.group == "more"]
    for spec in F.REGISTRY:
        if spec.widget.group == "main":
            _draw_widget(sb, spec, corpus, opts)
    if more:
        title = ", ".join(spec.widget.short for spec in more)
        more_active = any(st.session_state.get(spec.widget.key) for spec in more)
        with sb.expander(title[:1].upper() + title[1:], expanded=more_active):
            for spec in more:
                _draw_widget(st, spec, corpus, opts)  # type: ignore[arg-type]
    sb.button("Reset filters", on_click=_reset, width="stretch")


def sidebar(corpus: Corpus, page: str) -> Filters:
    """Sync URL and session, draw navigation and filters, rewrite the URL; returns the filters."""
    raw = read_query_params()
    opts = F.options(corpus.tables)
    notices: list[str] = list(corpus.notices)
    filter_part = {k: v for k, v in raw.items() if k in F.FILTER_PARAMS}
    last = st.session_state.get(_WRITTEN)
    filters: Filters = st.session_state.get(_FILTERS, Filters())
    if filter_part and _norm(filter_part) != (last or {}):
        # a pasted link or a fresh tab: the URL wins
        filters, url_notes = F.from_query_params(filter_part, corpus.tables)
        notices += url_notes
    # else: no params (cleared by a page change) or our own: the session carries the filters
    own = PAGE_PARAMS.get(page, frozenset())
    unknown = [
        k for k in raw if k not in F.FILTER_PARAMS and k not in own and k not in _EMBED and not any(k in p for p in PAGE_PARAMS.values())
    ]
    if unknown:
        notices.append("Ignored unknown link parameter(s): " + ", ".join(sorted(unknown)) + ".")
    filters, stale = _sanitize(filters, corpus, opts)
    notices += stale
    st.session_state[_CORPUS] = corpus
    _seed_widgets(filters, corpus)

    nav = st.sidebar.container()
    _draw_sidebar(corpus, opts)
    filters = _read_widgets(corpus)

    written = F.to_query_params(filters)
    page_part = {k: v for k, v in raw.items() if k in own}
    desired = _norm({**page_part, **written})
    if desired != raw:
        st.query_params.from_dict(desired)
    st.session_state[_WRITTEN] = _norm(written)
    st.session_state[_FILTERS] = filters
    st.session_state[_NOTICES] = notices
    _draw_nav(nav, written)
    for note in notices:
        st.sidebar.info(md_escape(note), icon=":material/info:")  # notices quote URL values: plain text
    st.session_state[_LINK] = (st.sidebar.empty(), page)
    _draw_link()
    return filters


def _draw_nav(container: DeltaGenerator, params: dict[str, str | list[str]]) -> None:
    """Links to every page that carry the current filters in the URL."""
    with container:
        for path, title, icon, key in NAV:
            if key in WRITE_PAGES and read_only():
                continue
            st.page_link(path, label=title, icon=icon, query_params=params or None)
        st.divider()


# --------------------------------------------------------------------------- copy link to this view

_LINK = "_ruskor_link_slot"


def page_path(page: str) -> str:
    """URL path of a page ('' for the home page): Streamlit names a page after its script."""
    spec = views.BY_KEY.get(page)
    return spec.path if spec is not None else page


def base_url(page: str) -> str:
    """The dashboard's root URL as the browser sees it (st.context.url without the page), else
    built from the server config (browser.serverAddress/serverPort, server.baseUrlPath)."""
    url = (getattr(st.context, "url", None) or "").rstrip("/")
    if url:
        path = page_path(page)
        return url.removesuffix("/" + path) if path else url
    from streamlit import config

    host = config.get_option("browser.serverAddress") or "localhost"
    port = config.get_option("browser.serverPort") or config.get_option("server.port") or 8501
    root = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"http://{host}:{port}" + (f"/{root}" if root else "")


def share_url(page: str) -> str:
    """The full link to the current view: this page with its filters and page params."""
    from core.views.images import view_url

    return view_url(base_url(page), page_path(page), read_query_params())


def _draw_link() -> None:
    """'Copy link to this view' at the foot of the sidebar (st.code has a copy button); redrawn
    when a page changes its own params later in the run, so the link is never a run behind."""
    slot, page = st.session_state.get(_LINK, (None, None))
    if slot is None:
        return
    with slot.container():
        st.caption("Copy link to this view", help="The URL carries the filters: a colleague opening it sees this view.")
        st.code(share_url(page), language=None, wrap_lines=True)


# --------------------------------------------------------------------------- for pages


def current_filters() -> Filters:
    """The filters the sidebar settled on in this run (pages call this)."""
    return st.session_state.get(_FILTERS, Filters())


def page_param(key: str) -> str | None:
    """A page-owned URL param (last value), or None."""
    vals = st.query_params.get_all(key)
    return vals[-1] if vals else None


def set_page_param(key: str, value: str | None) -> None:
    """Write (or remove) a page-owned URL param without touching the filters."""
    if value is None or value == "":
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get_all(key) != [value]:
        st.query_params[key] = value
    else:
        return
    _draw_link()


def seed_widget(key: str, param: str, default: object, parse=lambda v: v) -> None:
    """Give the widget ``key`` its value before it is drawn: from the URL when the URL changed since
    this session last wrote it (a pasted link, the back button), else keep what the user chose.

    Re-seeding from the URL on every run undid each click (the URL still held the old value when
    the click's rerun started): a control could switch one way only. ``parse`` turns the URL text
    into a widget value, or None when it does not fit (then the URL is ignored).
    """
    raw = page_param(param)
    value = parse(raw) if raw is not None else None
    seen = st.session_state.get("_param_seen", {})
    if key not in st.session_state:
        if value is not None:
            st.session_state[key] = value
        else:
            st.session_state[key] = st.session_state.get("_kept_" + key, default)
    elif value is not None and (param not in seen or raw != seen[param]):
        st.session_state[key] = value


def publish_widget(key: str, param: str, url_value: str | None) -> None:
    """Write a widget's value into the URL and remember it (see :func:`seed_widget`)."""
    set_page_param(param, url_value)
    st.session_state.setdefault("_param_seen", {})[param] = url_value or None
    st.session_state["_kept_" + key] = st.session_state.get(key)


def link_params(filters: Filters, **extra: str) -> dict[str, str | list[str]]:
    """Query params for a link to another page that keeps the current filters."""
    out: dict[str, str | list[str]] = dict(F.to_query_params(filters))
    out.update({k: v for k, v in extra.items() if v})
    return out


def chart_config(name: str, filters: Filters, corpus: Corpus) -> dict:
    """Plotly config: PNG export at 3x named after the chart and the filters, no logo."""
    slug = F.slug(filters, frames.actor_names(corpus.tables["actors"]))
    return {
        "toImageButtonOptions": {"format": "png", "scale": 3, "filename": f"{name}_{slug}"},
        "displaylogo": False,
    }


def caption(filters: Filters, tables: Mapping[str, pd.DataFrame], what: str = "Showing", described: str | None = None) -> None:
    """The 'what does this show' line under a chart or table (``described``: the line's text when the
    page has it already, e.g. from the query engine, so the tables are not read for it)."""
    text = F.describe(filters, tables) if described is None else described
    st.caption(f"{what}: {md_escape(text)}.")  # names come from the articles


def empty_state(message: str, hint: str = "Widen the date range or clear a filter in the sidebar.") -> None:
    """Helpful note instead of a blank chart or table."""
    st.info(f"{message} {hint}", icon=":material/filter_alt_off:")


def page_setup(
    page: str, title: str | None = None, icon: str | None = None, intro: str = "", lazy: bool = False
) -> tuple[Corpus, Filters, Mapping[str, pd.DataFrame]]:
    """What every page starts with: wide layout, the shared sidebar (filters synced with the
    URL), the title and a one-line intro; returns the corpus, the filters and the filtered tables.
    The title and icon default to the page's entry in the view registry (``core.views.registry``).
    ``lazy``: the filtered tables are computed when first read (a page that reads the query engine
    may never need them)."""
    from ui import loader

    spec = views.BY_KEY.get(page)
    if spec is not None:
        title = title or spec.heading or spec.title
        icon = icon or spec.heading_icon or spec.icon
    title, icon = title or page, icon or ""

    # the tab icon is an emoji: a material icon there is fetched from a web font host, and the
    # dashboard must work offline
    site = "Russia–Korea relations"
    tab = title if site.lower() in title.lower() else f"{title} · {site}"  # never "X · X"
    st.set_page_config(page_title=tab, page_icon=FAVICONS.get(page, "🌏"), layout="wide", initial_sidebar_state="expanded")
    st.html(_CSS)
    corpus = loader.load()
    filters = sidebar(corpus, page)
    st.title(f"{icon} {title}", anchor=False)
    _read_only_notice(page)
    st.caption(intro)
    return corpus, filters, loader.LazyFiltered(corpus, filters) if lazy else loader.filtered_for(corpus, filters)
