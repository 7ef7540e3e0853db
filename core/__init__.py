"""Core of the Russia–Korea relations dashboard: article files in, tables out.

Nothing here imports Streamlit, so every step can be tested without a browser.
"""

__version__ = "0.1.0"
