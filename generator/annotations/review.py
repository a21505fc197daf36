"""``digest anchors``: every note that needs an editor's attention, and what to do about it.

A note needs attention unless it anchors word for word in its context: it re-anchored
(context changed, close match), is ambiguous, or is not found (including a candidate the
re-anchoring rule refused).  Each item names the note (file, line, column), the article's
words it is on or would be on (the candidate) with their similarity, why it was refused,
and either the fixes ``digest anchors --fix`` would make or a hint for the editor.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.annotations.anchoring import Anchor, Status
from generator.annotations.annotate import (
    NOT_SAME_HINT,
    Annotations,
    PlacedNote,
    ambiguous_hint,
)
from generator.annotations.fix import Fix, note_fixes


@dataclass(frozen=True, slots=True)
class Attention:
    """One note that does not anchor exactly.

    ``similarity`` is 0..1 (1 - edits / length of the quote); ``candidate`` is "" when
    nothing in the article comes close; ``fixes`` is empty when ``hint`` says what to do.
    """

    path: str
    line: int
    col: int
    status: Status
    words: str
    candidate: str
    similarity: float
    reason: str
    fixes: tuple[Fix, ...]
    hint: str


def attention(annotations: dict[str, Annotations]) -> list[Attention]:
    """Every note of every article that is not anchored word for word, in file order."""
    found: list[Attention] = []
    for slug in sorted(annotations):
        item = annotations[slug]
        path = item.commentary.source
        for placed in sorted(item.notes, key=lambda p: (p.note.line, p.note.col)):
            if placed.anchor.status is not Status.EXACT:
                found.append(_attention(path, placed))
    return found


def _attention(path: str, placed: PlacedNote) -> Attention:
    note, found = placed.note, placed.anchor
    anchored = found.status.anchored
    words = f'quote "{note.quote}"' if note.quote else f'from "{note.start}" to "{note.end}"'
    fixes = tuple(note_fixes(path, placed))
    return Attention(
        path,
        note.line,
        note.col,
        found.status,
        words,
        found.exact if anchored else found.closest_text,
        found.similarity if anchored else found.closest_similarity,
        found.reason,
        fixes,
        "" if fixes else _hint(note.quote, found),
    )


def _hint(quote: str, found: Anchor) -> str:
    if found.status is Status.AMBIGUOUS:
        return ambiguous_hint(found)
    if found.status is Status.NOT_FOUND:
        return NOT_SAME_HINT if found.reason else "copy the exact words from the article"
    if not quote:
        return "update 'from'/'to' to the article's words shown above"
    return "the note already carries these words; nothing to rewrite"
