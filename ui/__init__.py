"""Streamlit-side helpers shared by the pages: cached loading, the filter sidebar, table views.

Kept out of pages/ because Streamlit would take every file there for a page.
"""
