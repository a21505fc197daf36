"""Find the article in a text dump: the densest contiguous run of prose lines."""

from __future__ import annotations

import re

from generator.ingest.dates import find_date, is_dateline
from generator.ingest.lines import BYLINE, Line

_MAX_GAIN = 60
_RELATIVE = re.compile(
    r"^(?:updated\s+)?\d+\s*(?:m|mins?|minutes?|h|hrs?|hours?|days?|weeks?)\s+ago\b", re.I
)
_GAIN_OFFSET = 8
_RUN_PENALTY = (2.0, 8.0, 12.0)
_ANCHOR_BONUS = 1.8
_ANCHOR_REACH = 12
_POSITION_WEIGHT = 0.5
_TIGHT_FACTOR = 0.0
_BOX_PENALTY = 10.0


def line_gain(line: Line) -> float:
    """Gain of keeping a prose line in the article region."""
    gain = float(min(line.words, _MAX_GAIN) - _GAIN_OFFSET)
    return gain if line.spaced else gain * _TIGHT_FACTOR


def is_header(line: Line) -> bool:
    """A byline or a short dated line: what sits right above an article body."""
    if line.words > 16:
        return is_dateline(line.text)
    if BYLINE.match(line.text) or _RELATIVE.search(line.text):
        return True
    return find_date(line.text) is not None


def densest_region(lines: list[Line]) -> tuple[int, int]:
    """Indexes ``(start, end)`` (end exclusive) of the article's run of lines.

    Prose lines gain by their length; runs of non-prose lines cost more the longer
    they get, so one subhead or ad label inside an article is cheap while teaser
    lists and menus break the run.  Of the runs found, one that follows a byline
    or a dateline is preferred.
    """
    best, best_span = 0.0, (0, 0)
    for score, start, end in candidate_runs(lines):
        lead = lines[max(0, start - _ANCHOR_REACH) : start + 2]
        if any(is_header(line) for line in lead):
            score *= _ANCHOR_BONUS
        score *= 1.0 - _POSITION_WEIGHT * start / len(lines)
        if score > best:
            best, best_span = score, (start, end)
    return best_span


def candidate_runs(lines: list[Line]) -> list[tuple[float, int, int]]:
    """The best-scoring ``(score, start, end)`` of each positive stretch of lines."""
    runs: list[tuple[float, int, int]] = []
    best, best_span = 0.0, (0, 0)
    total, start, run = 0.0, 0, 0
    for index, line in enumerate(lines):
        if total <= 0:
            if best > 0:
                runs.append((best, *best_span))
            best, total, start, run = 0.0, 0.0, index, 0
        if line.prose and not line.barrier:
            total += line_gain(line)
            run = 0
        else:
            total -= _penalty(line, run)
            run = 0 if line.spaced else run + 1
        if total > best:
            best, best_span = total, (start, index + 1)
    if best > 0:
        runs.append((best, *best_span))
    return runs


def _penalty(line: Line, run: int) -> float:
    if line.barrier:
        return 40.0
    if line.cells or line.listed:
        return 0.0  # a table row or list item: part of whatever it stands in
    if line.box:
        return _BOX_PENALTY
    base = _RUN_PENALTY[min(run, len(_RUN_PENALTY) - 1)]
    if line.chrome:
        return base + 1.0
    if line.spaced:
        return 1.0 if line.terminal or line.words < 4 else 2.0
    return base
