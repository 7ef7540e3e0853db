"""Views: what the dashboard shows, as pure functions from filtered tables to figures and rows.

Owns the view registry (``registry``), the chart builders (``figures``), server-side chart images
(``images``) and the briefing pack (``briefing``). No Streamlit here: pages read filters, call a view's
``build`` and render, so each view is unit-testable. It may import ``core.query``, ``core.domain`` and
``core.text``, never the store's SQL or the extraction steps.
"""

MAY_IMPORT = ("config", "errors", "text", "domain", "query")
