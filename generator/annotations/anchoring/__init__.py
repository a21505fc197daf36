"""The anchoring engine: where in an article a note's quote is, or why it is not there.

Pure functions over plain text: no YAML, no files, no rendering.  The caller turns the
article into :class:`TextBlock` values (one per paragraph, inline formatting already gone),
builds an :class:`AnchorIndex` once per article and anchors every :class:`Selector` of its
commentary.  Matching ignores Unicode form (NFKC), quote and dash styles, no-break and other
spaces, whitespace runs, and invisible characters (soft hyphens, zero-width and direction
characters, variation selectors; an article's zero-width space may also stand for a space);
it is case-sensitive unless ``ignore_case``.

**The re-anchoring rule** (:mod:`.guard`, :mod:`.facts`): a note moves only to words that
say the same thing.  A candidate that is not the quote word for word in its recorded
context is refused when it changes a number, a name or a negation of the quote, or when
the note has ``prefix``/``suffix`` and the text next to the candidate disagrees with them;
the note is then ``NOT_FOUND`` with the candidate as ``closest`` and ``reason`` saying why.

Statuses (:class:`Status`):

* ``EXACT``: found once in its context (or every occurrence, with ``all``).
* ``CONTEXT_CHANGED``: the quote is found, but ``prefix``/``suffix`` no longer sit next to
  it; the hit whose context is most similar and passes the rule wins.  A warning.
* ``FUZZY``: no exact hit; the best close match (similarity >= threshold) that passes the
  rule re-anchors it, ``word_diff`` shows the change.  A warning.
* ``AMBIGUOUS``: several equally good places; ``occurrences`` lists them,
  ``suggested_prefix`` (or ``suggested_suffix``) would single out the first.  Unanchored.
* ``NOT_FOUND``: ``closest``/``closest_text``/``closest_similarity``/``word_diff`` show the
  nearest passage; ``reason`` is set when the rule refused it.  Unanchored.

Search is by substring (as Hypothesis does): exact hits first, never inside a word (a
hyphen followed by a letter continues one); without any, Myers' approximate search
allowing ``floor(0.25 * len)`` edits, ranked by quote (50), prefix (20) and suffix (20)
similarity; a close match inside a word is widened to the whole word.
``all=True`` ignores context and marks every non-overlapping hit.  A ``start``/``end``
passage runs from the first ``start`` (after ``prefix``) to the first ``end`` that follows
(before ``suffix``); each end may be fuzzy on its own.  A match crossing blocks has one
span per block and ``crosses_blocks``.

``similarity`` is ``1 - edits / len(quote)`` on the normalised text.  ``exact``, ``prefix``
and ``suffix`` are the article's own characters (in NFC) with whitespace runs shown as one
space; together they form a W3C TextQuoteSelector.
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
