"""Query: the tables every consumer reads, and the filters, aggregates and helpers over them.

Owns table assembly from the store (``tables``), the dashboard's filter registry (``filters``), the
table helpers charts use (``frames``), relations between actors (``relations``), stocks and flows of
money (``money``) and per-table memoisation (``memo``). Pure functions of tables and filter values, no
Streamlit. It may import ``core.storage``, ``core.domain`` and ``core.text``; views and pages build on it.
"""

MAY_IMPORT = ("config", "errors", "text", "domain", "storage")
