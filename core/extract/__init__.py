"""Extraction: the pipeline steps that turn one article's text into annotated spans, and its rows.

Owns the step list and its contracts (``pipeline``), and one module per step: header, segment,
citations, pubdate, mentions, dating, events (with clause scopes, ``clauses``, and status cues,
``status``) and amounts. Each step
takes a document and returns it; ``pipeline.to_rows`` turns the result into table rows built by
``core.domain.schema``. It may import ``core.domain`` and ``core.text``; it knows nothing of the store,
the dashboard or other articles, so an article's extraction is a pure function of its text and date.
"""

MAY_IMPORT = ("config", "errors", "text", "domain")
