"""The values the anchoring engine takes and returns: frozen, slotted, no I/O."""

from __future__ import annotations

import enum
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TextBlock:
    """One block of the article's plain text (a paragraph, heading, list item...).

    ``index`` is the block's number, echoed in every :class:`Span`; ``line`` is its first
    line in the article source, for diagnostics only.
    """

    index: int
    text: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Selector:
    """What a note points at: a ``quote`` (with optional context) or a ``start``/``end`` passage.

    ``prefix`` and ``suffix`` must sit right next to the quote (or, for a passage, before
    ``start`` and after ``end``).  ``all`` marks every occurrence of the quote.
    """

    quote: str = ""
    prefix: str = ""
    suffix: str = ""
    start: str = ""
    end: str = ""
    all: bool = False

    def __post_init__(self) -> None:
        passage = bool(self.start or self.end)
        if self.quote and passage:
            raise ValueError("a selector has either a quote or start/end, not both")
        if passage and not (self.start and self.end):
            raise ValueError("a passage selector needs both start and end")
        if passage and self.all:
            raise ValueError("all=True applies to a quote, not to a start/end passage")
        if not (self.quote or passage):
            raise ValueError("a selector needs a quote or start and end")

    @property
    def is_passage(self) -> bool:
        """True for a ``start``/``end`` (from/to) selector."""
        return bool(self.start)


@dataclass(frozen=True, slots=True)
class Span:
    """A matched range of one block: offsets into ``TextBlock.text``, ``end`` exclusive.

    ``block`` is the :attr:`TextBlock.index` of the block.
    """

    block: int
    start: int
    end: int


class Status(enum.Enum):
    """How a selector anchored.  EXACT and the three warnings are anchored (``spans``)."""

    EXACT = "exact"
    CONTEXT_CHANGED = "context-changed"
    FUZZY = "fuzzy"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not-found"

    @property
    def anchored(self) -> bool:
        """True when the note has a place in the text (EXACT, CONTEXT_CHANGED, FUZZY)."""
        return self in (Status.EXACT, Status.CONTEXT_CHANGED, Status.FUZZY)


@dataclass(frozen=True, slots=True)
class Anchor:
    """The outcome of anchoring one selector; see the package docstring for the semantics."""

    status: Status
    spans: tuple[Span, ...] = ()
    similarity: float = 0.0
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    occurrences: tuple[Span, ...] = ()
    suggested_prefix: str = ""
    suggested_suffix: str = ""
    closest: Span | None = None
    closest_text: str = ""
    closest_similarity: float = 0.0
    word_diff: str = ""
    crosses_blocks: bool = False
    detail: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece ``text[start:end]`` of a block with the ids of the notes covering it.

    ``note_ids`` is ordered outermost first (earlier start, then longer mark); ``ends``
    lists the notes whose mark finishes at ``end`` (where a note reference goes).
    """

    start: int
    end: int
    note_ids: tuple[str, ...] = ()
    ends: tuple[str, ...] = ()
