"""Regular expressions built from word lists, as prefix tries.

A plain alternation of a thousand aliases makes the regex engine try every alternative at
every position; a trie shares prefixes ("South Korea|South Korean|South Koreans" becomes
"South\\ Korea(?:n(?:s)?)?"), which is what keeps actor matching fast on large corpora.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def trie_regex(words: Iterable[str]) -> str:
    """One non-capturing group matching exactly the given strings, longest first at each branch."""
    trie: dict = {}
    for word in set(words):
        if not word:
            continue
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True
    return _render(trie) or "(?!)"


def _render(node: dict) -> str:
    end = "" in node
    branches = [re.escape(ch) + _render(child) for ch, child in sorted(node.items()) if ch != ""]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if end:
        return f"(?:{body})?"
    return body
