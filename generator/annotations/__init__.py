"""Annotations: commentary notes placed on the exact words of their article.

In: an :class:`Article` and its :class:`Commentary`.  Out: :class:`Annotations` (each note
with its anchor, or the reason it has none, as W3C Web Annotation TextQuote selectors) and
diagnostics for notes that moved or no longer anchor.  ``anchoring`` is the pure text
engine; ``highlight`` turns article Markdown into text blocks and puts ``<mark>`` into
them; ``attention`` lists the notes that need an editor (``digest anchors``) and
``plan_fixes``/``apply_fixes`` rewrite re-anchored quotes (``digest anchors --fix``).
"""

from generator.annotations import highlight
from generator.annotations.anchoring import Status, segment_block
from generator.annotations.annotate import (
    AnchorCache,
    Annotations,
    PlacedNote,
    annotate,
    annotate_one,
)
from generator.annotations.fix import Fix, apply_fixes, plan_fixes
from generator.annotations.review import Attention, attention

__all__ = [
    "AnchorCache",
    "Annotations",
    "Attention",
    "Fix",
    "PlacedNote",
    "Status",
    "annotate",
    "annotate_one",
    "apply_fixes",
    "attention",
    "highlight",
    "plan_fixes",
    "segment_block",
]
