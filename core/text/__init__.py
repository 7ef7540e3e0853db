"""Text tools: the document type and everything that reads characters without knowing the domain.

Owns the :class:`~core.text.document.Document` every step passes along, file reading and decoding
(``reading``), the readable data-file loader (``datafiles``), word-list regexes and fast scanning
(``patterns``) and temporal expressions (``timeparse``). It may import only ``core.config`` and
``core.errors``: every other layer builds on it, so it must not know about actors, events or stores.
"""

MAY_IMPORT = ("config", "errors")
