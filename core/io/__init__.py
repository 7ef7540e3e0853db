"""Input and output: bringing article files into the store and writing the tables out.

Owns ingest (one result line per file, one transaction per article; ``ingest``), the Dask engine for
archives (``dask_ingest``) and the CSV export contract (``csv_export``). It is the only layer that joins
extraction to storage, so it may import ``core.extract``, ``core.storage``, ``core.query``,
``core.domain`` and ``core.text``; only the command line and the dashboard's Add articles page use it.
"""

MAY_IMPORT = ("config", "errors", "text", "domain", "extract", "storage", "query")
