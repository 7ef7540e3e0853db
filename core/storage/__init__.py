"""Storage: the SQLite corpus store and the event resolution kept in it.

Owns every SQL statement of the product (``store``, ``resolve_store``, ``packing``, ``clusters``,
``rowpack``), the migrations between schema versions, how cells are kept on disk (``evidence``:
pointers into the text; ``packing``: repeated values once, texts compressed; ``clusters``: an article's
rows as one run of rowids; ``rowpack``: those rows kept as one packed record per article and table),
and the pure cross-article resolution rules (``resolve``) that the store applies
incrementally as articles come and go. It may import ``core.domain`` (table definitions, actors) and
``core.text``, never the extraction steps (ingest calls extraction, then hands rows to the store) and
never the query or view layers.
"""

MAY_IMPORT = ("config", "errors", "text", "domain")
