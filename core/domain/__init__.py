"""Domain knowledge: the data files of ``data/`` as typed lookups, and the shape of every table.

Owns the actor dictionary and offices (``actors``), the gazetteer of states and successors
(``gazetteer``), CAMEO codes (``cameo``), the compiled lexicon and status cues (``lexicon``), sanity
bounds (``bounds``), the table definitions and schema version (``schema``) and the curated reference
rows (``reference``). A domain rule ("the USSR counts as Russia") is written here once, as data where
it can be. It may import ``core.text`` (loaders and pattern builders) and the base modules, never the
extraction steps, the store or the views.
"""

MAY_IMPORT = ("config", "errors", "text")
