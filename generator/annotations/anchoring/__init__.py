"""The anchoring engine: where in an article a note's quote is, or why it is not there.

Pure functions over plain text: no YAML, no files, no rendering.  The caller turns the
article into :class:`TextBlock` values (one per paragraph, inline formatting already gone),
builds an :class:`AnchorIndex` once per article and anchors every :class:`Selector` of its
commentary.  Matching ignores Unicode form (NFKC), quote and dash styles, no-break and other
spaces, whitespace runs, soft hyphens and zero-width characters; it is case-sensitive unless
``ignore_case``.

Statuses (:class:`Status`):

* ``EXACT``: found once in its context (or every occurrence, with ``all``).
* ``CONTEXT_CHANGED``: the quote is found, but ``prefix``/``suffix`` no longer sit next to
  it; the hit whose context is most similar wins.  A warning.
* ``FUZZY``: no exact hit; a unique close match (similarity >= threshold) re-anchors it,
  ``word_diff`` shows the change.  A warning.
* ``AMBIGUOUS``: several equally good places; ``occurrences`` lists them,
  ``suggested_prefix`` (or ``suggested_suffix``) would single out the first.  Unanchored.
* ``NOT_FOUND``: ``closest``/``closest_text``/``closest_similarity``/``word_diff`` show the
  nearest passage.  Unanchored.

Search is by substring (as Hypothesis does): exact hits first; without any, Myers'
approximate search allowing ``floor(0.25 * len)`` edits, ranked by quote (50), prefix (20)
and suffix (20) similarity; a close match inside a word is widened to the whole word.
``all=True`` ignores context and marks every non-overlapping hit.  A ``start``/``end``
passage runs from the first ``start`` (after ``prefix``) to the first ``end`` that follows
(before ``suffix``); each end may be fuzzy on its own.  A match crossing blocks has one
span per block and ``crosses_blocks``.

``similarity`` is ``1 - edits / len(quote)`` on the normalised text.  ``exact``, ``prefix``
and ``suffix`` are the article's own characters with whitespace runs shown as one space;
together they form a W3C TextQuoteSelector.
"""

from __future__ import annotations

from generator.annotations.anchoring.index import AnchorIndex, anchor
from generator.annotations.anchoring.model import Anchor, Segment, Selector, Span, Status, TextBlock
from generator.annotations.anchoring.normalize import normalize_text
from generator.annotations.anchoring.segments import segment_block
from generator.annotations.anchoring.words import word_diff

__all__ = [
    "Anchor",
    "AnchorIndex",
    "Segment",
    "Selector",
    "Span",
    "Status",
    "TextBlock",
    "anchor",
    "normalize_text",
    "segment_block",
    "word_diff",
]
