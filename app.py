"""Russia–Korea relations dashboard: entry point and router (``streamlit run app.py``).

The entry point draws what every page shares (the filter sidebar, synced with the URL) and then
runs the chosen page, so a filter set on one page holds on every other page.
"""

from __future__ import annotations

import streamlit as st

from ui import loader, state

PAGES = [
    # (file, title, icon, url_path)
    ("pages/overview.py", "Overview", ":material/dashboard:", "overview"),
    ("pages/timeline.py", "Timeline", ":material/timeline:", "timeline"),
    ("pages/network.py", "Network", ":material/hub:", "network"),
    ("pages/debt_arms.py", "Debt vs arms", ":material/payments:", "debt-arms"),
    ("pages/events.py", "Events", ":material/table_rows:", "events"),
    ("pages/articles.py", "Articles", ":material/article:", "articles"),
]

st.set_page_config(page_title="Russia–Korea relations", page_icon=":material/public:", layout="wide",
                   initial_sidebar_state="expanded")

pages = [st.Page(f, title=t, icon=i, url_path=u, default=(u == "overview")) for f, t, i, u in PAGES]
current = st.navigation(pages, position="sidebar")
page_key = next((u for f, t, i, u in PAGES if t == current.title), "overview")

corpus = loader.load()
st.session_state["_ruskor_corpus"] = corpus
state.sidebar(corpus, page_key)
current.run()
