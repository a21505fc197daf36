"""The article's normalised text: every block joined into one string, with maps back.

Blocks are joined with a single space, so a quote may run over a block boundary (the
anchor then has one span per block).  Offsets in this module are into :attr:`text`.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

from generator.annotations.anchoring.model import Span, TextBlock
from generator.annotations.anchoring.normalize import Normalized, normalize
from generator.annotations.anchoring.words import WORD, is_cjk

_WHITESPACE = re.compile(r"\s+")
_HYPHENS = "-\u2010\u2011"  # hyphen-minus, hyphen, non-breaking hyphen (not dashes)
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?= |$)|[。！？]+[\"')\]]*")


class ArticleText:
    """The normalised article text, its map to the blocks, and big-int character masks."""

    __slots__ = ("_codes", "_masks", "_sentences", "blocks", "norms", "starts", "text")

    def __init__(
        self, blocks: Sequence[TextBlock], *, ignore_case: bool = False, spaced: bool = False
    ) -> None:
        pairs = [(b, normalize(b.text, ignore_case=ignore_case, spaced=spaced)) for b in blocks]
        pairs = [(b, n) for b, n in pairs if n.text]
        self.blocks: tuple[TextBlock, ...] = tuple(b for b, _ in pairs)
        self.norms: tuple[Normalized, ...] = tuple(n for _, n in pairs)
        self.text = " ".join(n.text for n in self.norms)
        starts, pos = [], 0
        for norm in self.norms:
            starts.append(pos)
            pos += len(norm.text) + 1
        self.starts = tuple(starts)
        self._masks: dict[str, int] = {}
        self._codes: tuple[bytes, dict[str, int]] | None = None
        self._sentences: tuple[tuple[tuple[int, int], frozenset[str]], ...] | None = None

    # -- mapping back to the blocks -------------------------------------------------------

    def pieces(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """(block position, start, end) in each block's normalised text, for [start, end)."""
        result = []
        first = max(0, bisect.bisect_right(self.starts, start) - 1)
        for pos in range(first, len(self.norms)):
            base = self.starts[pos]
            if base >= end:
                break
            lo, hi = max(start, base) - base, min(end, base + len(self.norms[pos].text)) - base
            if lo < hi:
                result.append((pos, lo, hi))
        return result

    def spans(self, start: int, end: int) -> tuple[Span, ...]:
        """The original-text spans of [start, end), one per block it touches."""
        return tuple(
            Span(
                self.blocks[pos].index,
                self.norms[pos].original_start(lo),
                self.norms[pos].original_end(hi),
            )
            for pos, lo, hi in self.pieces(start, end)
        )

    def original(self, start: int, end: int) -> str:
        """The article's own text for [start, end), whitespace runs shown as one space."""
        parts: list[str] = []
        first = max(0, bisect.bisect_right(self.starts, start) - 1)
        for pos in range(first, len(self.norms)):
            base, norm = self.starts[pos], self.norms[pos]
            if base >= end:
                break
            lo, hi = max(start, base) - base, min(end, base + len(norm.text)) - base
            if lo < hi:
                chunk = self.blocks[pos].text[norm.original_start(lo) : norm.original_end(hi)]
                parts.append(_WHITESPACE.sub(" ", chunk))
            if start <= base + len(norm.text) < end and pos + 1 < len(self.norms):
                parts.append(" ")
        return "".join(parts)

    # -- searching ------------------------------------------------------------------------

    def find_all(self, needle: str, start: int = 0) -> list[int]:
        """Every (possibly overlapping) occurrence of ``needle`` at or after ``start``
        that does not begin or end in the middle of a word ("The Fed" is not found in
        "The Federal", "Kim Jin" not in "Kim Jin-ho"; scripts that glue words or particles
        together are exempt).
        """
        hits = []
        pos = self.text.find(needle, start)
        while pos >= 0:
            if not (self.glued(pos) or self.glued(pos + len(needle))):
                hits.append(pos)
            pos = self.text.find(needle, pos + 1)
        return hits

    def glued(self, pos: int) -> bool:
        """Whether ``pos`` falls inside a word: between two letters (see :func:`glued`) or
        next to a hyphen that joins a letter on to a word (``state-run``, ``Jin-ho``).
        """
        return glued(self.text, pos) or self.hyphen_joined(pos)

    def hyphen_joined(self, pos: int) -> bool:
        """Whether ``pos`` is just before or just after a hyphen (as written in the article,
        not a dash) that has a letter or digit before it and a letter after it.
        """
        text = self.text
        if 0 < pos < len(text) - 1 and text[pos] == "-":
            return text[pos - 1].isalnum() and text[pos + 1].isalpha() and self._hyphen(pos)
        if 1 < pos < len(text) and text[pos - 1] == "-":
            return text[pos - 2].isalnum() and text[pos].isalpha() and self._hyphen(pos - 1)
        return False

    def _hyphen(self, pos: int) -> bool:
        block = bisect.bisect_right(self.starts, pos) - 1
        norm, offset = self.norms[block], pos - self.starts[block]
        return self.blocks[block].text[norm.original_start(offset)] in _HYPHENS

    def before(self, pos: int, length: int) -> str:
        """Up to ``length`` characters ending at ``pos``, ignoring a space at ``pos``."""
        return self.text[max(0, pos - length - 1) : pos].rstrip()[-length:]

    def after(self, pos: int, length: int) -> str:
        """Up to ``length`` characters starting at ``pos``, ignoring a space at ``pos``."""
        return self.text[pos : pos + length + 1].lstrip()[:length]

    def sentence_words(self) -> tuple[tuple[tuple[int, int], frozenset[str]], ...]:
        """Every sentence and every two adjacent sentences of a block, with their words
        (built on first use): where to look for the passage closest to a missing quote.
        """
        if self._sentences is None:
            found: list[tuple[tuple[int, int], frozenset[str]]] = []
            for base, norm in zip(self.starts, self.norms, strict=True):
                sentences = self._block_sentences(base, base + len(norm.text))
                spans = sentences + [(a[0], b[1]) for a, b in pairwise(sentences)]
                found.extend((s, frozenset(WORD.findall(self.text, s[0], s[1]))) for s in spans)
            self._sentences = tuple(found)
        return self._sentences

    def _block_sentences(self, start: int, end: int) -> list[tuple[int, int]]:
        found, pos = [], start
        for match in _SENTENCE_END.finditer(self.text, start, end):
            found.append((pos, match.end()))
            pos = match.end() + (self.text[match.end() : match.end() + 1] == " ")
        if pos < end:
            found.append((pos, end))
        return found

    def mask(self, char: str) -> int:
        """A big int with bit ``j`` set where ``text[j] == char`` (cached)."""
        mask = self._masks.get(char)
        if mask is None:
            mask = self._masks[char] = self._build_mask(char)
        return mask

    def _build_mask(self, char: str) -> int:
        if not self.text:
            return 0
        if self._codes is None:
            self._codes = _encode(self.text)
        codes, code_of = self._codes
        code = code_of.get(char)
        if code is not None:
            table = bytearray(b"0" * 256)
            table[code] = ord("1")
            return int(codes.translate(table), 2)
        size = len(self.text)
        bits = bytearray(b"0" * size)
        for pos in self.find_all(char):
            bits[size - 1 - pos] = ord("1")
        return int(bits, 2)


def _encode(text: str) -> tuple[bytes, dict[str, int]]:
    """The text reversed, one byte per character (for the 255 most common characters;
    the others share byte 255 and get their masks by search).
    """
    if text.isascii():
        return text.encode("ascii")[::-1], {chr(code): code for code in range(128)}
    common = [char for char, _ in Counter(text).most_common(255)]
    code_of = {char: code for code, char in enumerate(common)}
    table = {ord(char): chr(code_of.get(char, 255)) for char in set(text)}
    return text.translate(table).encode("latin-1")[::-1], code_of


_GLUING = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def glued(text: str, pos: int) -> bool:
    """Whether ``pos`` falls between two letters of one word (in a spaced script)."""
    if pos <= 0 or pos >= len(text):
        return False
    before, after = text[pos - 1], text[pos]
    if not (before.isalnum() and after.isalnum()):
        return False
    return not any(is_cjk(c) or _GLUING.match(c) for c in (before, after))


def inside_word(text: ArticleText, pos: int) -> bool:
    """Whether ``pos`` is inside a word, for widening a fuzzy match (CJK exempt)."""
    doc = text.text
    if pos <= 0 or pos >= len(doc):
        return False
    before, after = doc[pos - 1], doc[pos]
    if before.isalnum() and after.isalnum():
        return not (is_cjk(before) or is_cjk(after))
    return text.hyphen_joined(pos)


def word_edge(text: ArticleText, pos: int, step: int, limit: int) -> int:
    """The edge of the word around ``pos`` in direction ``step`` (unless implausibly far)."""
    moved = pos
    while inside_word(text, moved) and abs(moved - pos) < limit:
        moved += step
    return pos if inside_word(text, moved) else moved
