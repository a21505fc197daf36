"""Splitting a block into segments for nested and overlapping ``<mark>`` elements."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from generator.annotations.anchoring.model import Segment


def segment_block(text: str, marks: Sequence[tuple[str, int, int]]) -> tuple[Segment, ...]:
    """Cut ``text`` at every mark boundary; each segment carries the ids of the marks
    covering it.  ``marks`` are ``(note_id, start, end)`` offsets into ``text``; empty marks
    are ignored.  The segments cover the whole text, unmarked ones with no ids.
    """
    for note_id, start, end in marks:
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"mark {note_id!r} [{start}, {end}) is outside the text")
    live = sorted(
        (
            (start, end, order, note_id)
            for order, (note_id, start, end) in enumerate(marks)
            if start < end
        ),
        key=lambda mark: (mark[0], -mark[1], mark[2]),
    )
    cuts = sorted({0, len(text)} | {m[0] for m in live} | {m[1] for m in live})
    segments = []
    for lo, hi in itertools.pairwise(cuts):
        covering = [m for m in live if m[0] <= lo and hi <= m[1]]
        ids = tuple(dict.fromkeys(m[3] for m in covering))
        ends = tuple(dict.fromkeys(m[3] for m in covering if m[1] == hi))
        segments.append(Segment(lo, hi, ids, ends))
    return tuple(segments)
