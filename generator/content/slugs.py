"""Slugs: the one rule that turns a title, tag or file name into a URL segment.

- Letters of every script are kept with their combining marks (NFC):
  Korean stays Korean, ``バス`` and ``パス`` stay apart, ``दिल्ली`` keeps its
  vowel signs.  Only Latin letters lose their accents, and case is folded, so
  ``"Café Society"`` and ``"cafe society"`` share ``cafe-society``.
- ``+`` and ``#`` after a letter or digit are spelled out (``C++`` is
  ``c-plus-plus``, ``C#`` is ``c-sharp``), so they stay apart from ``C``.
- Every other run of characters becomes one hyphen.
- A slug longer than :data:`MAX_BYTES` bytes of UTF-8 is cut at a character
  boundary and ends with eight hex digits of a hash of the whole slug, so two
  long names that differ late never share one.
- Names that Windows reserves (``con``, ``aux``, ``nul``, ``com1`` …) get a
  trailing ``_``, on every platform, so the built site can be checked out
  anywhere.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

MAX_BYTES = 100
"""Longest slug in bytes of UTF-8 (file systems count bytes: 255 per name)."""

_SPELLED = {"+": "plus", "#": "sharp"}
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)", re.I)
_SAFE = re.compile(r"[\w][\w.-]*")
_SAFE_ASCII = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_FILE_LIKE = re.compile(r"\.(html?|xml|json|jsonld|txt|css|js)$", re.I)


@functools.lru_cache(maxsize=65536)
def slugify(text: str, max_bytes: int = MAX_BYTES) -> str:
    """Return the URL slug of ``text`` (may be empty if it has no letters or digits).

    The result is at most ``max_bytes`` bytes of UTF-8 and never a reserved name.
    """
    words: list[str] = []
    word: list[str] = []
    spelled = False  # the last character was a spelled-out '+' or '#'
    for char in _letters(text):
        if char.isalnum() or (word and unicodedata.category(char).startswith("M")):
            word.append(char)
            spelled = False
            continue
        if word:
            words.append("".join(word))
            word = []
        elif not spelled:
            continue
        spelled = char in _SPELLED and bool(words)
        if spelled:
            words.append(_SPELLED[char])
    if word:
        words.append("".join(word))
    slug = unicodedata.normalize("NFC", "-".join(words))
    return _safe_name(_shorten(slug, max_bytes))


def _letters(text: str) -> str:
    """``text`` case-folded, with the accents of Latin letters dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept: list[str] = []
    latin = False
    for char in decomposed:
        if unicodedata.combining(char):
            if not latin:
                kept.append(char)
            continue
        latin = unicodedata.name(char, "").startswith("LATIN")
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)).casefold()


def spelling_key(name: str) -> str:
    """``name`` without what a reader would call spelling variants: case, Latin
    accents, and runs of spaces, hyphens and underscores.  Two names with one slug
    but different keys are different names, not variants of one."""
    return re.sub(r"[\s_-]+", " ", _letters(name)).strip()


def _shorten(slug: str, max_bytes: int) -> str:
    if len(slug.encode("utf-8")) <= max_bytes:
        return slug
    digest = hashlib.blake2b(slug.encode("utf-8"), digest_size=4).hexdigest()
    room = max_bytes - len(digest) - 1
    cut = slug.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    while cut and unicodedata.combining(cut[-1]):
        cut = cut[:-1]
    return f"{cut.rstrip('-')}-{digest}"


def _safe_name(slug: str) -> str:
    return f"{slug}_" if is_reserved(slug) else slug


def is_reserved(name: str) -> bool:
    """Whether Windows refuses ``name`` as a file or folder name (on any platform).

    Reserved device names (``con``, ``nul.txt`` …) and names ending in a dot or space.
    """
    stem = name.split(".", 1)[0].rstrip(" ")
    return bool(name) and (name[-1] in ". " or _RESERVED.fullmatch(stem) is not None)


def is_safe_id(text: str) -> bool:
    """Whether ``text`` is letters (with their marks), digits, ``_``, ``.`` and ``-``,
    starting with a letter or digit (safe as an HTML id and as a path segment that
    cannot climb)."""
    if text.isascii():  # the common case, in C: the same rule for ASCII letters and digits
        return _SAFE_ASCII.fullmatch(text) is not None
    return _SAFE.fullmatch(text[:1]) is not None and all(
        c.isalnum() or c in "_.-" or unicodedata.category(c)[0] == "M" for c in text
    )


def slug_problem(slug: str) -> str:
    """Why ``slug`` cannot be a URL path segment and folder name, or ``''`` when it can."""
    if not is_safe_id(slug):
        return "is not a safe URL path segment"
    if _FILE_LIKE.search(slug):
        return "ends like a file name, so its folder could clash with a page the site writes"
    if slug[-1] in ". ":
        return "ends with a dot, which Windows drops from file names"
    if is_reserved(slug):
        return "is a name that Windows reserves, so the site could not be checked out there"
    if len(slug.encode("utf-8")) > MAX_BYTES:
        return f"is longer than {MAX_BYTES} bytes, too long for a file name"
    return ""


def folder_key(slug: str) -> str:
    """What a file system may see of ``slug``: case folded (Windows, macOS) and NFC
    (macOS stores names decomposed), so two slugs with one key cannot share a folder."""
    return unicodedata.normalize("NFC", slug).casefold()


def is_safe_slug(slug: str) -> bool:
    """Whether ``slug`` is one path segment that cannot leave its folder, on any platform."""
    return not slug_problem(slug)
