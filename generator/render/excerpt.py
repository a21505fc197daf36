"""``reproduce: excerpt``: publish the annotated passages, not the outlet's full text.

Each annotated paragraph is cut to the sentences that hold its marked passages,
shown as a quotation with the marks and notes, so readers get the passage, a
sentence of context and the commentary, and are sent to the original for the
rest.  Part of the views stage.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from markupsafe import Markup

from generator.annotations import PlacedNote, highlight, segment_block
from generator.render.models import BodyBlock, NoteView

_SENTENCE_END = re.compile(r"(?<=[.!?…。！？])[\"'”’)\]]*\s+")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The start of the sentence holding ``start`` and the end of the one holding ``end``."""
    lo, hi = 0, len(text)
    for match in _SENTENCE_END.finditer(text):
        if match.end() <= start:
            lo = match.end()
        elif match.start() >= end:
            hi = match.start()
            break
    return lo, hi


def excerpt_blocks(
    parsed: highlight.Parsed,
    notes: Sequence[PlacedNote],
    views: Mapping[str, NoteView],
    printed: set[str],
) -> tuple[BodyBlock, ...]:
    """One quotation per annotated paragraph, cut to its marked sentences."""
    marks: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    last_block: dict[str, int] = {}
    for placed in notes:
        if placed.anchored:
            for span in placed.anchor.spans:
                marks[span.block].append((placed.note.id, span.start, span.end))
            last_block[placed.note.id] = placed.anchor.spans[-1].block
    classes, refs = highlight.note_styles(
        (p.note.id, p.number, p.note.motivation.value) for p in notes
    )
    seen: set[str] = set()
    blocks = []
    for block, found in sorted(marks.items()):
        text = parsed.blocks[block].text
        lo, hi = sentence_bounds(text, min(m[1] for m in found), max(m[2] for m in found))
        segments = segment_block(text[lo:hi], [(n, s - lo, e - lo) for n, s, e in found])
        inner = highlight.render_text(text[lo:hi], segments, classes, refs, printed, seen)
        before, after = ("… " if lo > 0 else ""), (" …" if hi < len(text) else "")
        quote = f'<blockquote class="excerpt"><p>{before}{inner}{after}</p></blockquote>\n'
        here = tuple(views[n] for n, b in last_block.items() if b == block and n in printed)
        blocks.append(BodyBlock(Markup(quote), here))
    return tuple(blocks)
