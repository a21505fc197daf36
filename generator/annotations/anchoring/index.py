"""Anchoring a selector in an article: exact search first, then Myers approximate search."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from generator.annotations.anchoring.context import context_ok, context_score, suggest, w3c_context
from generator.annotations.anchoring.guard import Guard
from generator.annotations.anchoring.model import Anchor, Selector, Status, TextBlock
from generator.annotations.anchoring.myers import (
    column_distances,
    distance,
    end_distances,
    runs_within,
)
from generator.annotations.anchoring.normalize import normalize_text
from generator.annotations.anchoring.text import ArticleText, word_edge
from generator.annotations.anchoring.words import WORD, word_diff

QUOTE_WEIGHT, PREFIX_WEIGHT, SUFFIX_WEIGHT = 50, 20, 20  # as Hypothesis ranks candidates
ERROR_RATE = 0.25  # approximate search allows floor(0.25 * len) edits
MAX_CANDIDATES = 20
TIE = 1e-9
MAX_SNAP = 20  # widen a fuzzy match by at most this much to reach a word edge


# A unique close match at least this similar (1 - edits / length) re-anchors a note.
FUZZY_THRESHOLD = 0.85


@dataclass(frozen=True, slots=True)
class _Query:
    """A normalised quote (or passage end) and the context it should sit in."""

    original: str
    text: str
    prefix: str
    suffix: str


@dataclass(frozen=True, slots=True)
class _Match:
    """A candidate range of the normalised text, its edit distance and its score."""

    start: int
    end: int
    distance: int
    score: float = 1.0


class AnchorIndex:
    """One article, normalised once, to anchor any number of selectors against."""

    __slots__ = ("_blocks", "_guard", "_spaced", "_text", "ignore_case")

    def __init__(
        self, blocks: Sequence[TextBlock], *, ignore_case: bool = False, spaced: bool = False
    ) -> None:
        self.ignore_case = ignore_case
        self._text = ArticleText(blocks, ignore_case=ignore_case, spaced=spaced)
        self._guard = Guard(self._text)
        zero_width = not spaced and any("\u200b" in b.text for b in blocks)
        self._blocks = tuple(blocks) if zero_width else ()
        self._spaced: AnchorIndex | None = None

    @property
    def text(self) -> str:
        """The normalised article text that selectors are matched against."""
        return self._text.text

    def anchor(self, selector: Selector, *, threshold: float = FUZZY_THRESHOLD) -> Anchor:
        """Find ``selector`` in the article; see the package docstring for the statuses."""
        found = self._anchor(selector, threshold)
        if found.status is Status.EXACT or not self._blocks:
            return found
        if self._spaced is None:  # the article has zero-width spaces: read them as spaces too
            self._spaced = AnchorIndex(self._blocks, ignore_case=self.ignore_case, spaced=True)
        other = self._spaced.anchor(selector, threshold=threshold)
        return other if _rank(other) > _rank(found) else found

    def _anchor(self, selector: Selector, threshold: float) -> Anchor:
        if selector.is_passage:
            return self._passage(selector, threshold)
        query = self._query(selector.quote, selector.prefix, selector.suffix)
        if not query.text:
            return Anchor(Status.NOT_FOUND, detail="the quote is empty")
        hits = self._text.find_all(query.text)
        if not hits:
            return self._approximate(query, threshold)
        if selector.all:
            return self._every(query, hits)
        return self._exact(query, hits)

    def _query(self, text: str, prefix: str, suffix: str) -> _Query:
        fold = self.ignore_case
        return _Query(
            text,
            normalize_text(text, ignore_case=fold),
            normalize_text(prefix, ignore_case=fold),
            normalize_text(suffix, ignore_case=fold),
        )

    # -- exact hits -------------------------------------------------------------------------

    def _every(self, query: _Query, hits: list[int]) -> Anchor:
        size = len(query.text)
        chosen: list[int] = []
        for hit in hits:
            if not chosen or hit >= chosen[-1] + size:
                chosen.append(hit)
        spans = [self._text.spans(hit, hit + size) for hit in chosen]
        return Anchor(
            Status.EXACT,
            spans=tuple(span for group in spans for span in group),
            similarity=1.0,
            exact=self._text.original(chosen[0], chosen[0] + size),
            occurrences=tuple(group[0] for group in spans),
            crosses_blocks=any(len(group) > 1 for group in spans),
        )

    def _exact(self, query: _Query, hits: list[int]) -> Anchor:
        size = len(query.text)
        matches = [_Match(hit, hit + size, 0) for hit in hits]
        if query.prefix or query.suffix:
            fitting = [m for m in matches if self._fits(m, query)]
        else:
            fitting = matches
        if len(fitting) == 1:
            return self._anchored(Status.EXACT, fitting[0], query)
        if fitting:
            return self._ambiguous(fitting, matches, query)
        ranked = self._rank(matches, query)
        accepted, reason = self._accepted(ranked, query)
        if not accepted:
            return self._not_found(query, ranked[0], reason=reason)
        if len(accepted) > 1:
            return self._ambiguous(accepted, matches, query)
        changed = self._anchored(Status.CONTEXT_CHANGED, accepted[0], query)
        return replace(changed, detail="the prefix/suffix no longer sits next to the quote")

    def _fits(self, match: _Match, query: _Query) -> bool:
        return context_ok(self._text, match.start, match.end, query.prefix, query.suffix)

    def _rejection(self, match: _Match, query: _Query) -> str:
        """Why a re-anchor to ``match`` would not say the same thing ("" if it would)."""
        exact = not match.distance
        if exact and self._fits(match, query):
            return ""
        return self._guard.rejection(
            match.start,
            match.end,
            query.text,
            query.prefix,
            query.suffix,
            word_for_word=exact and self._text.text[match.start : match.end] == query.text,
        )

    # -- approximate search -----------------------------------------------------------------

    def _approximate(self, query: _Query, threshold: float) -> Anchor:
        ranked = self._rank(self._candidates(query.text), query)
        close = [m for m in ranked if self._similarity(m, query) >= threshold]
        if not close:
            return self._not_found(query, ranked[0] if ranked else None)
        accepted, reason = self._accepted(close, query)
        if not accepted:
            return self._not_found(query, close[0], reason=reason)
        best = [m for m in accepted if accepted[0].score - m.score < TIE]
        if len(best) > 1:
            ambiguous = self._ambiguous(best, best, query)
            return replace(ambiguous, similarity=self._similarity(best[0], query))
        return self._anchored(Status.FUZZY, accepted[0], query)

    def _accepted(self, ranked: list[_Match], query: _Query) -> tuple[list[_Match], str]:
        """The candidates that pass the re-anchoring rule, best first, and why the best
        candidate failed it ("" if it passed).
        """
        accepted: list[_Match] = []
        first = ""
        for match in ranked:
            if accepted and accepted[0].score - match.score >= TIE:
                break  # only ties with the best accepted candidate matter
            why = self._rejection(match, query)
            first = first or (why if match is ranked[0] else "")
            if not why:
                accepted.append(match)
        return accepted, first

    def _candidates(self, needle: str, start: int = 0) -> list[_Match]:
        """Best approximate matches of ``needle``, at most ``ERROR_RATE`` edits each."""
        limit, doc = int(ERROR_RATE * len(needle)), self._text.text
        if not limit or not doc:
            return []
        row = end_distances(needle, self._text.mask, len(doc))
        runs = runs_within(row, limit)
        best_ends = sorted(
            (min(run, key=lambda e: (row[e], not self._word_end(e))) for run in runs),
            key=row.__getitem__,
        )
        found = [
            self._snap(self._match_start(needle, end, limit), needle)
            for end in best_ends[:MAX_CANDIDATES]
        ]
        return [m for m in found if m.start >= start]

    def _word_end(self, end: int) -> bool:
        doc = self._text.text
        return end >= len(doc) or not doc[end].isalnum()

    def _match_start(self, needle: str, end: int, limit: int, lo: int = 0) -> _Match:
        """Where the best match of ``needle`` ending at ``end`` starts (a reversed pass)."""
        doc = self._text.text
        begin = max(lo, end - len(needle) - limit)
        scores = column_distances(needle[::-1], doc[begin:end][::-1], anchored=True)
        best = min(scores)
        lengths = [size for size, score in enumerate(scores) if score == best and size]
        boundary = [n for n in lengths if end - n == 0 or doc[end - n - 1] == " "]
        size = (boundary or lengths or [0])[0]
        return _Match(end - size, end, best)

    def _rank(self, matches: Sequence[_Match], query: _Query) -> list[_Match]:
        """Score like Hypothesis: quote similarity 50, prefix 20, suffix 20; best first."""
        scored = []
        for match in matches:
            total = QUOTE_WEIGHT * self._similarity(match, query)
            weight = QUOTE_WEIGHT + PREFIX_WEIGHT * bool(query.prefix)
            weight += SUFFIX_WEIGHT * bool(query.suffix)
            context = context_score(self._text, match.start, match.end, query.prefix, query.suffix)
            total += (weight - QUOTE_WEIGHT) * context
            scored.append(replace(match, score=total / weight))
        return sorted(scored, key=lambda m: (-m.score, m.start))

    @staticmethod
    def _similarity(match: _Match, query: _Query) -> float:
        return max(0.0, 1 - match.distance / len(query.text))

    # -- results ----------------------------------------------------------------------------

    def _anchored(self, status: Status, match: _Match, query: _Query) -> Anchor:
        spans = self._text.spans(match.start, match.end)
        exact = self._text.original(match.start, match.end)
        prefix, suffix = w3c_context(self._text, match.start, match.end)
        return Anchor(
            status,
            spans=spans,
            similarity=self._similarity(match, query),
            exact=unicodedata.normalize("NFC", exact),
            prefix=unicodedata.normalize("NFC", prefix),
            suffix=unicodedata.normalize("NFC", suffix),
            word_diff=word_diff(query.original, exact) if match.distance else "",
            crosses_blocks=len(spans) > 1,
        )

    def _ambiguous(self, chosen: list[_Match], every: list[_Match], query: _Query) -> Anchor:
        target = chosen[0]
        others = [(m.start, m.end) for m in every if m.start != target.start]
        prefix, suffix = suggest(self._text, (target.start, target.end), others)
        text = self._text.original(target.start, target.end)
        return Anchor(
            Status.AMBIGUOUS,
            similarity=1.0,
            occurrences=tuple(self._text.spans(m.start, m.end)[0] for m in chosen),
            suggested_prefix=prefix,
            suggested_suffix=suffix,
            closest=self._text.spans(target.start, target.end)[0],
            closest_text=text,
            closest_similarity=self._similarity(target, query),
            word_diff=word_diff(query.original, text) if target.distance else "",
            detail=f"the quote occurs {len(chosen)} times",
        )

    def _not_found(
        self, query: _Query, best: _Match | None, start: int = 0, *, reason: str = ""
    ) -> Anchor:
        match = best or self._closest_sentence(query.text, start)
        spans = self._text.spans(match.start, match.end) if match is not None else ()
        if match is None or not spans:
            return Anchor(Status.NOT_FOUND, detail="not found")
        text = self._text.original(match.start, match.end)
        return Anchor(
            Status.NOT_FOUND,
            closest=spans[0],
            closest_text=text,
            closest_similarity=self._similarity(match, query),
            word_diff=word_diff(query.original, text) if match.distance else "",
            detail="not found",
            reason=reason,
        )

    def _closest_sentence(self, needle: str, start: int = 0) -> _Match | None:
        """The best passage of the sentence (or pair of sentences) most like ``needle``."""
        words = set(WORD.findall(needle))
        doc = self._text.text
        ranked = sorted(
            (
                (-len(words & a_words), a)
                for a, a_words in self._text.sentence_words()
                if a[0] >= start
            ),
        )[:5]
        if not ranked:
            return None
        lo, hi = max(
            (span for _, span in ranked),
            key=lambda s: difflib.SequenceMatcher(None, needle, doc[s[0] : s[1]]).ratio(),
        )
        row = column_distances(needle, doc[lo:hi])
        end = lo + min(range(len(row)), key=row.__getitem__)
        return self._snap(self._match_start(needle, end, len(needle), lo), needle)

    def _snap(self, match: _Match, needle: str) -> _Match:
        """Widen a match that starts or ends inside a word to the whole word (when the
        needle itself starts or ends with a letter), and count its edits again.
        """
        doc = self._text.text
        start, end = match.start, match.end
        if needle[:1].isalnum():
            start = word_edge(self._text, start, -1, MAX_SNAP)
        if needle[-1:].isalnum():
            end = word_edge(self._text, end, 1, MAX_SNAP)
        if (start, end) == (match.start, match.end):
            return match
        return _Match(start, end, distance(needle, doc[start:end]))

    # -- from/to passages -------------------------------------------------------------------

    def _passage(self, selector: Selector, threshold: float) -> Anchor:
        first = self._query(selector.start, selector.prefix, "")
        located = self._locate(first, threshold, 0, 0)
        if isinstance(located, Anchor):
            return replace(located, detail="the `from` text is not found")
        start, start_status = located
        last = self._query(selector.end, "", selector.suffix)
        found = self._locate(last, threshold, start.start, start.end)
        if isinstance(found, Anchor):
            where = "occurs only before" if self._text.find_all(last.text) else "is not found after"
            return replace(found, detail=f"the `to` text {where} the `from` text")
        end, end_status = found
        whole = _Match(start.start, end.end, 0)
        anchored = self._anchored(max(start_status, end_status, key=_severity), whole, first)
        diffs = [
            f"{label}: {word_diff(query.original, self._text.original(m.start, m.end))}"
            for label, query, m in (("from", first, start), ("to", last, end))
            if m.distance
        ]
        similarity = min(self._similarity(start, first), self._similarity(end, last))
        return replace(anchored, similarity=similarity, word_diff="; ".join(diffs))

    def _locate(
        self, query: _Query, threshold: float, lo: int, min_end: int
    ) -> tuple[_Match, Status] | Anchor:
        """The first occurrence of a passage end at or after ``lo`` (ending at or after
        ``min_end``), preferring one in its context, else the best close match.
        """
        if not query.text:
            return Anchor(Status.NOT_FOUND)
        size = len(query.text)
        hits = [h for h in self._text.find_all(query.text, lo) if h + size >= min_end]
        matches = [_Match(hit, hit + size, 0) for hit in hits]
        fitting = [m for m in matches if self._fits(m, query)]
        if fitting:
            return fitting[0], Status.EXACT
        if matches:
            accepted, reason = self._accepted(matches, query)
            if accepted:
                return accepted[0], Status.CONTEXT_CHANGED
            return self._not_found(query, matches[0], lo, reason=reason)
        candidates = [m for m in self._candidates(query.text, lo) if m.end >= min_end]
        ranked = self._rank(candidates, query)
        close = [m for m in ranked if self._similarity(m, query) >= threshold]
        accepted, reason = self._accepted(close, query) if close else ([], "")
        if accepted:
            return accepted[0], Status.FUZZY
        best = close[0] if close else ranked[0] if ranked else None
        return self._not_found(query, best, lo, reason=reason)


def _rank(found: Anchor) -> tuple[int, float]:
    order = (Status.NOT_FOUND, Status.AMBIGUOUS, Status.FUZZY, Status.CONTEXT_CHANGED)
    return (order.index(found.status) if found.status in order else len(order), found.similarity)


def _severity(status: Status) -> int:
    return (Status.EXACT, Status.CONTEXT_CHANGED, Status.FUZZY).index(status)


def anchor(
    blocks: Sequence[TextBlock], selector: Selector, *, threshold: float = FUZZY_THRESHOLD
) -> Anchor:
    """Anchor one selector in an article (builds a throwaway :class:`AnchorIndex`)."""
    return AnchorIndex(blocks).anchor(selector, threshold=threshold)
