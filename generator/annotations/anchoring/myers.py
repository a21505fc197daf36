"""Myers' bit-parallel edit distance (1999, in Hyyrö's formulation) over Python big ints.

Two directions:

* :func:`end_distances` runs *across the text*: the bits of each big int stand for the
  positions of the article, and the loop walks the quote, so a quote of ``m`` characters
  costs ``m`` rounds of a dozen big-int operations however long the article is.
* :func:`column_distances` is the textbook direction (bits = pattern positions, loop over
  the text), for short texts: context windows and finding where a match starts.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from itertools import accumulate


def end_distances(pattern: str, mask: Callable[[str], int], length: int) -> list[int]:
    """For each ``j`` in ``0..length``: the least edit distance between ``pattern`` and a
    substring of the text ending at ``j``.  ``mask(c)`` has bit ``j`` set where text[j] == c.
    """
    full = (1 << length) - 1
    pv = mv = 0  # deltas along the text of the current row, row 0 is all zeros
    for char in pattern:
        eq = mask(char)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & full) ^ pv) | eq
        ph = mv | (full ^ (xh | pv))
        mh = pv & xh
        ph = ((ph << 1) | 1) & full  # column 0 of the matrix grows by one per row
        mh = (mh << 1) & full
        pv = mh | (full ^ (xv | ph))
        mv = ph & xv
    plus = format(pv, f"0{length}b")[::-1].encode() if length else b""
    minus = format(mv, f"0{length}b")[::-1].encode() if length else b""
    return list(accumulate(map(operator.sub, plus, minus), initial=len(pattern)))


def column_distances(pattern: str, text: str, *, anchored: bool = False) -> list[int]:
    """For each ``j`` in ``0..len(text)``: the edit distance between ``pattern`` and the best
    substring of ``text`` ending at ``j`` (or, with ``anchored``, ``text[:j]`` itself).
    """
    length = len(pattern)
    if not length:
        return list(range(len(text) + 1)) if anchored else [0] * (len(text) + 1)
    peq: dict[str, int] = {}
    for bit, char in enumerate(pattern):
        peq[char] = peq.get(char, 0) | (1 << bit)
    full, top = (1 << length) - 1, 1 << (length - 1)
    pv, mv, score = full, 0, length
    scores = [length]
    shift_in = int(anchored)
    for char in text:
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & full) ^ pv) | eq
        ph = mv | (full ^ (xh | pv))
        mh = pv & xh
        score += 1 if ph & top else -1 if mh & top else 0
        ph = ((ph << 1) | shift_in) & full
        mh = (mh << 1) & full
        pv = mh | (full ^ (xv | ph))
        mv = ph & xv
        scores.append(score)
    return scores


def distance(pattern: str, text: str) -> int:
    """Levenshtein distance between two strings."""
    return column_distances(pattern, text, anchored=True)[-1]


def runs_within(row: list[int], limit: int) -> list[list[int]]:
    """Runs of consecutive positions whose value is at most ``limit``.  Neighbours differ
    by at most one, so a value ``v`` over the limit lets the scan skip ``v - limit`` places.
    """
    runs: list[list[int]] = []
    pos, size = 0, len(row)
    while pos < size:
        value = row[pos]
        if value > limit:
            pos += value - limit
            continue
        if runs and runs[-1][-1] == pos - 1:
            runs[-1].append(pos)
        else:
            runs.append([pos])
        pos += 1
    return runs
