"""Context around a match: W3C prefix/suffix, and the words that would disambiguate a quote."""

from __future__ import annotations

from collections.abc import Sequence

from generator.annotations.anchoring.myers import column_distances
from generator.annotations.anchoring.text import ArticleText
from generator.annotations.anchoring.words import WORD, is_cjk

CONTEXT_CHARS = 32  # as Hypothesis records
_PAD = 24  # at most this many more characters to reach a word boundary
_MAX_WORDS = 12  # longest suggested prefix/suffix, in words


def context_ok(text: ArticleText, start: int, end: int, prefix: str, suffix: str) -> bool:
    """True if the (normalised, stripped) prefix and suffix sit right next to [start, end)."""
    return (not prefix or text.before(start, len(prefix)) == prefix) and (
        not suffix or text.after(end, len(suffix)) == suffix
    )


def similarity(pattern: str, window: str) -> float:
    """How well ``pattern`` matches somewhere in ``window``: 1 - edits / len(pattern)."""
    if not pattern:
        return 1.0
    return max(0.0, 1 - min(column_distances(pattern, window)) / len(pattern))


def context_score(text: ArticleText, start: int, end: int, prefix: str, suffix: str) -> float:
    """The context part of a Hypothesis-style score: prefix and suffix similarity, 0..1."""
    scores = [similarity(prefix, text.before(start, len(prefix)))] if prefix else []
    if suffix:
        scores.append(similarity(suffix, text.after(end, len(suffix))))
    return sum(scores) / len(scores) if scores else 1.0


def w3c_context(text: ArticleText, start: int, end: int) -> tuple[str, str]:
    """A TextQuoteSelector prefix and suffix for [start, end): about 32 characters each,
    padded to word boundaries, longer where needed to tell the match from its other
    occurrences.  Returned as the article's own text.
    """
    doc, exact = text.text, text.text[start:end]
    others = [hit for hit in text.find_all(exact) if hit != start]
    size = CONTEXT_CHARS
    while True:
        left, right = _pad_left(doc, start, size), _pad_right(doc, end, size)
        before, after = doc[left:start], doc[end:right]
        clash = any(
            doc[max(0, hit - len(before)) : hit] == before
            and doc[hit + len(exact) : hit + len(exact) + len(after)] == after
            for hit in others
        )
        if not clash or (left == 0 and right == len(doc)):
            return text.original(left, start), text.original(end, right)
        size *= 2


def _boundary(doc: str, pos: int) -> bool:
    if pos <= 0 or pos >= len(doc):
        return True
    return doc[pos - 1] == " " or doc[pos] == " " or is_cjk(doc[pos - 1]) or is_cjk(doc[pos])


def _pad_left(doc: str, start: int, size: int) -> int:
    cut = pos = max(0, start - size)
    while pos > max(0, cut - _PAD) and not _boundary(doc, pos):
        pos -= 1
    pos = pos if _boundary(doc, pos) else cut
    return pos + 1 if 0 < pos < start and doc[pos] == " " else pos


def _pad_right(doc: str, end: int, size: int) -> int:
    cut = pos = min(len(doc), end + size)
    while pos < min(len(doc), cut + _PAD) and not _boundary(doc, pos):
        pos += 1
    pos = pos if _boundary(doc, pos) else cut
    return pos - 1 if end < pos < len(doc) and doc[pos - 1] == " " else pos


def suggest(
    text: ArticleText, target: tuple[int, int], others: Sequence[tuple[int, int]]
) -> tuple[str, str]:
    """The shortest run of whole words before ``target`` that no other match has before it
    (as a prefix), else the same after it (as a suffix).  ("", "") if neither exists.
    """
    start, end = target
    words = list(WORD.finditer(text.text, max(0, start - 400), start))[::-1][:_MAX_WORDS]
    for word in words:
        wanted = text.text[word.start() : start].strip()
        if all(text.before(other, len(wanted)) != wanted for other, _ in others):
            return text.original(word.start(), start), ""
    for word in list(WORD.finditer(text.text, end, end + 400))[:_MAX_WORDS]:
        wanted = text.text[end : word.end()].strip()
        if all(text.after(other_end, len(wanted)) != wanted for _, other_end in others):
            return "", text.original(end, word.end())
    return "", ""
