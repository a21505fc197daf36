"""Slugs: the one rule that turns a title, tag or file name into a URL segment.

Slugs keep letters of every script (Korean stays Korean), fold case and
Latin accents, and turn every other run of characters into one hyphen, so
``"Café Society"`` and ``"cafe society"`` share ``cafe-society``.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")
MAX_LENGTH = 80


@functools.lru_cache(maxsize=65536)
def slugify(text: str, max_length: int = MAX_LENGTH) -> str:
    """Return the URL slug of ``text`` (may be empty if it has no letters or digits)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    folded = unicodedata.normalize("NFC", stripped).casefold()
    slug = _NOT_WORD.sub("-", folded).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug


def is_safe_slug(slug: str) -> bool:
    """Whether ``slug`` is one path segment that cannot leave its folder."""
    return bool(slug) and slug not in {".", ".."} and re.fullmatch(r"[\w][\w.-]*", slug) is not None
