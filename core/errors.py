"""The product's own error type, with codes, so a user sees one clear sentence per problem."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "E001": "The file is empty.",
    "E002": "The file is too large ({size:,} bytes; the limit is {limit:,} bytes).",
    "E003": "The file is not text: it looks like binary data ({detail}).",
    "E004": "No article text was found in the HTML page.",
    "E005": "The file type {suffix!r} is not supported; use .txt, .md or .html.",
    "E006": "The file could not be read: {detail}.",
    "E007": "The article has no text after its header.",
    "E008": "The zip archive was refused: {detail}.",
    "E009": "The date {value!r} is not a date in the form YYYY-MM-DD.",
    "E010": "The store is busy with another write; try again in a moment.",
    "E011": "No article with id {article_id!r} is in the store.",
}


class ArticleError(ValueError):
    """A problem with one input that the user can act on; carries a stable code."""

    def __init__(self, code: str, **details: object) -> None:
        self.code = code
        self.details = details
        template = MESSAGES.get(code, "{detail}")
        try:
            text = template.format(**details)
        except (KeyError, IndexError, ValueError):
            text = template
        self.message = text
        super().__init__(f"[{code}] {text}")
