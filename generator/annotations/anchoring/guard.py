"""The re-anchoring rule: a note moves only to words that say the same thing.

A candidate that is not word for word the quote, or not in the quote's recorded context,
is checked before a note may move to it.  It is refused when its words change a fact of
the quote (a number, a name or a negation, see :mod:`.facts`), or when the note has a
``prefix``/``suffix`` and the text next to the candidate disagrees with it: less than
half of it matches (:data:`CONTEXT_AGREEMENT`), or it changes a fact there.
"""

from __future__ import annotations

import re

from generator.annotations.anchoring.context import similarity
from generator.annotations.anchoring.facts import Names, conflict, context_conflict
from generator.annotations.anchoring.text import ArticleText

CONTEXT_AGREEMENT = 0.5  # recorded prefix/suffix at least this similar to the text there
_LEAD = re.compile(r"(?:^|[.!?。！？][\"')\]]*)$")
_REACH = 24  # read this many more characters of context, to whole words


class Guard:
    """Checks candidates in one article; ``names`` is built once per article."""

    __slots__ = ("names", "text")

    def __init__(self, text: ArticleText) -> None:
        self.text = text
        self.names = Names(text.text)

    def rejection(
        self, start: int, end: int, quote: str, prefix: str, suffix: str, *, word_for_word: bool
    ) -> str:
        """Why [start, end) may not carry a note quoting ``quote`` (normalised) with this
        context, or "" when it may.  ``word_for_word`` skips the quote's own comparison.
        """
        if not word_for_word:
            lead = start in self.text.starts or _LEAD.search(self.text.before(start, 4))
            changed = conflict(quote, self.text.text[start:end], self.names, new_lead=bool(lead))
            if changed:
                return f"the closest passage differs in {changed.change}"
        for side, recorded in (("prefix", prefix), ("suffix", suffix)):
            if recorded and (problem := self._context(side, recorded, start, end)):
                return problem
        return ""

    def _context(self, side: str, recorded: str, start: int, end: int) -> str:
        before = side == "prefix"
        size = len(recorded) + _REACH
        actual = self.text.before(start, size) if before else self.text.after(end, size)
        near = actual[-len(recorded) :] if before else actual[: len(recorded)]
        where = "before" if before else "after"
        if similarity(recorded, near) < CONTEXT_AGREEMENT:
            return f'the text {where} it does not match its {side} "{recorded}"'
        changed = context_conflict(recorded, actual, self.names, before=before)
        if changed:
            return f'the text {where} it differs from its {side} "{recorded}" in {changed.change}'
        return ""
