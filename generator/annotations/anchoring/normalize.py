"""Matching normalisation, with a map from normalised offsets back to the original text.

Both the article and every selector go through :func:`normalize`, so that matching ignores
Unicode normalisation form (NFKC), curly vs straight quotes, dash styles, no-break and other
spaces, runs of whitespace, the optional vowel points of Arabic and Hebrew, and what a reader
cannot see: soft hyphens, zero-width and
direction characters, variation selectors, zero-width spaces (or, in the article's second
reading, a zero-width space as a space).  ASCII
text and already normal non-ASCII runs are copied whole; only the characters that change are
visited one by one.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

_QUOTES = "‘’‚‛′‵‹›＇" + "“”„‟″‶«»＂"
_DASHES = "‐‑‒–—―−⁃﹘﹣－"
# What a reader cannot see: soft hyphen, joiners, direction marks, word joiner and
# invisible operators, byte order mark, combining grapheme joiner, variation selectors.
_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x180E, 0x180E), (0x200C, 0x200F),
    (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x2069), (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF), (0xE0100, 0xE01EF),
)  # fmt: skip
# Optional vowel points and cantillation of the abjads (Hebrew, Arabic and its tatweel,
# Syriac, Thaana): a text reads the same with or without them.
_POINTS = (
    (0x0591, 0x05BD), (0x05BF, 0x05BF), (0x05C1, 0x05C2), (0x05C4, 0x05C5), (0x05C7, 0x05C7),
    (0x0610, 0x061A), (0x0640, 0x0640), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06DC),
    (0x06DF, 0x06E4), (0x06E7, 0x06E8), (0x06EA, 0x06ED), (0x0730, 0x074A), (0x07A6, 0x07B0),
    (0x08D3, 0x08E1), (0x08E3, 0x08FF),
)  # fmt: skip
_INVISIBLE = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _INVISIBLE_RANGES)
_VARIATION = re.compile("[\u034f\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_FOLD: dict[int, str | None] = {
    **{ord(c): "'" for c in _QUOTES[:9]},
    **{ord(c): '"' for c in _QUOTES[9:]},
    **{ord(c): "-" for c in _DASHES},
    **{c: None for lo, hi in _INVISIBLE_RANGES + _POINTS for c in range(lo, hi + 1)},
    0x200B: None,
}
_FOLD_SPACED = {**_FOLD, 0x200B: " "}  # a zero-width space read as the word break it marks
_SPECIAL = re.compile(
    "[" + _QUOTES + _DASHES + "\u200b" + _INVISIBLE
    + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _POINTS) + "]"
)  # fmt: skip
# Whitespace other than a lone space, and non-ASCII runs together with the character before
# them (which a combining mark may compose with).  Between two matches: ASCII, NFKC-stable
# text with single spaces, copied as it is.
_RUNS = re.compile(r"(\s{2,}|[^\S ])|(\S?[^\x00-\x7f\s]+)")


@dataclass(frozen=True, slots=True)
class Piece:
    """``original[orig_start:orig_end]`` became ``text[norm_start:norm_end]``.

    In an identity piece the two correspond character by character.
    """

    norm_start: int
    norm_end: int
    orig_start: int
    orig_end: int
    identity: bool


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised text and the pieces that map it back to its original."""

    text: str
    pieces: tuple[Piece, ...]
    starts: tuple[int, ...]

    def _piece(self, pos: int) -> Piece:
        return self.pieces[bisect.bisect_right(self.starts, pos) - 1]

    def original_start(self, pos: int) -> int:
        """Original offset of the character at normalised offset ``pos``."""
        piece = self._piece(pos)
        return piece.orig_start + (pos - piece.norm_start if piece.identity else 0)

    def original_end(self, pos: int) -> int:
        """Original (exclusive) end offset for a normalised (exclusive) end ``pos`` > 0."""
        piece = self._piece(pos - 1)
        return piece.orig_start + (pos - piece.norm_start) if piece.identity else piece.orig_end


class _Builder:
    """Accumulates normalised output and its pieces, collapsing whitespace as it goes."""

    __slots__ = ("fold", "ignore_case", "length", "out", "pieces", "space")

    def __init__(self, ignore_case: bool, spaced: bool = False) -> None:
        self.ignore_case = ignore_case
        self.fold = _FOLD_SPACED if spaced else _FOLD
        self.out: list[str] = []
        self.pieces: list[list[int]] = []  # [norm_start, norm_end, orig_start, orig_end, identity]
        self.length = 0
        self.space = True  # drop whitespace at the start

    def add(self, text: str, orig_start: int, orig_end: int, identity: bool) -> None:
        if not text:
            return
        last = self.pieces[-1] if self.pieces else None
        end = self.length + len(text)
        if identity and last and last[4] and last[1] == self.length and last[3] == orig_start:
            last[1], last[3] = end, orig_end
        else:
            self.pieces.append([self.length, end, orig_start, orig_end, int(identity)])
        self.out.append(text)
        self.length = end
        self.space = text[-1] == " "

    def whitespace(self, run: str, orig_start: int) -> None:
        if not self.space:
            self.add(" ", orig_start, orig_start + len(run), run == " ")

    def plain(self, run: str, orig_start: int) -> None:
        if self.space and run.startswith(" "):
            run, orig_start = run[1:], orig_start + 1
        text = run.casefold() if self.ignore_case else run
        self.add(text, orig_start, orig_start + len(run), True)

    def special(self, run: str, orig_start: int) -> None:
        if not _SPECIAL.search(run) and unicodedata.is_normalized("NFKC", run):
            text = run.casefold() if self.ignore_case else run
            if len(text) == len(run):
                self.add(text, orig_start, orig_start + len(run), True)
                return
        for start, end in _clusters(run):
            self.cluster(run[start:end], orig_start + start, orig_start + end)

    def cluster(self, chars: str, orig_start: int, orig_end: int) -> None:
        text = unicodedata.normalize("NFKC", chars).translate(self.fold)
        if self.ignore_case:
            text = text.casefold()
        if text == chars:
            self.add(text, orig_start, orig_end, True)
            return
        kept: list[str] = []
        for char in text:
            if not (char.isspace() or unicodedata.category(char) == "Zs"):
                kept.append(char)
            elif not (kept[-1] == " " if kept else self.space):
                kept.append(" ")
        self.add("".join(kept), orig_start, orig_end, False)

    def result(self) -> Normalized:
        if self.out and self.out[-1].endswith(" "):
            self.out[-1] = self.out[-1][:-1]
            last = self.pieces[-1]
            last[1] -= 1
            if last[4]:
                last[3] -= 1
            if last[1] == last[0]:
                self.pieces.pop()
        pieces = tuple(Piece(a, b, c, d, bool(e)) for a, b, c, d, e in self.pieces)
        return Normalized("".join(self.out), pieces, tuple(p.norm_start for p in pieces))


def _is_continuation(char: str) -> bool:
    """A combining mark, a Hangul medial/final jamo or a half-width kana sound mark that
    composes with what precedes it, or a variation selector (kept with its character so a
    mark never splits an emoji)."""
    return (
        unicodedata.combining(char) != 0
        or "\u1160" <= char <= "\u11ff"
        or char in "\uff9e\uff9f"  # half-width (semi-)voiced sound mark: ﾀﾞ is ダ
        or _VARIATION.match(char) is not None
    )


def _clusters(run: str) -> list[tuple[int, int]]:
    """Split ``run`` into base characters with their combining marks."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for pos in range(1, len(run) + 1):
        if pos == len(run) or not _is_continuation(run[pos]):
            bounds.append((start, pos))
            start = pos
    return bounds


def normalize(text: str, *, ignore_case: bool = False, spaced: bool = False) -> Normalized:
    """Normalise ``text`` for matching; strip it and collapse its whitespace to single spaces.

    A zero-width space is dropped, or with ``spaced`` read as a space (an article is
    searched both ways, so a quote may have a space there or nothing).
    """
    builder = _Builder(ignore_case, spaced)
    pos = 0
    for match in _RUNS.finditer(text):
        if match.start() > pos:
            builder.plain(text[pos : match.start()], pos)
        if match.group(1) is not None:
            builder.whitespace(match.group(1), match.start())
        else:
            builder.special(match.group(2), match.start())
        pos = match.end()
    if pos < len(text):
        builder.plain(text[pos:], pos)
    return builder.result()


def normalize_text(text: str, *, ignore_case: bool = False) -> str:
    """Just the normalised string (for selectors, which need no offset map)."""
    return normalize(text, ignore_case=ignore_case).text
