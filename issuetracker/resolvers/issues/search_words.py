"""An issue's searchable words, kept beside it (`issues.search_text`), and a search's words,
both normalised here in Python, so PostgreSQL and SQLite compare the very same text.

Normalised text is lower case (Unicode case folding), without accents (NFKD, combining marks
dropped: "Café" is "cafe"), and only words (runs of letters and digits) with one space between
them. The kept text is ` name | tag | tag | description `: a space before every word, so a
word's start is "a space, then the word"; and bars between the parts, so a phrase never runs
from one part into the next, and the name's end is the first ` | `.
"""

import re
import unicodedata
from collections.abc import Iterable

WORD = re.compile(r"[^\W_]+")
SEPARATOR = " | "


def words(text: str) -> list[str]:
    """The normalised words of `text`."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return WORD.findall(plain)


def search_text_of(name: str, description: str, tags: Iterable[str]) -> str:
    """What `issues.search_text` holds for an issue with this name, description and tags."""
    parts = [name, *sorted(tags), description]
    return " " + SEPARATOR.join(" ".join(words(part)) for part in parts) + " "
