"""Clean a plain-text page dump (a browser's select-all/copy) into an article.

No site-specific rules: the body is the densest run of blank-line-separated
prose (see :mod:`region`); headline, byline, dates, captions and outlet are
read from generic patterns around it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from generator.content import Image
from generator.ingest import bylines, captions
from generator.ingest.dates import find_dates, is_dateline, published_of
from generator.ingest.lines import (
    WORD,
    Line,
    bullet,
    email_domain,
    inline_chrome,
    is_barrier,
    is_chrome,
    is_signature,
    split_lines,
)
from generator.ingest.markdown import Block, render
from generator.ingest.region import densest_region, is_header
from generator.ingest.result import RemovedLine

_HEAD_REACH = 60
_TITLE_DISTANCE = 0.05
_HEADER_BONUS = 5.0
_SENTENCE_BREAK = re.compile(r"\b[a-z]{3,}[.!?] [A-Z]")
_MIN_BODY_WORDS = 25


@dataclass(frozen=True, slots=True)
class DumpArticle:
    """What a text dump yields before it becomes an :class:`Extraction`."""

    title: str
    authors: tuple[str, ...]
    published: dt.date | None
    outlet: str
    blocks: tuple[Block, ...]
    images: tuple[Image, ...]
    removed: tuple[RemovedLine, ...]

    @property
    def paywalled(self) -> bool:
        """A paywall notice was cut from the page: the body may be only a teaser."""
        return any(r.reason == "page chrome (paywall)" for r in self.removed)

    @property
    def body(self) -> str:
        """The body as Markdown."""
        return render(self.blocks)


def extract_dump(text: str) -> DumpArticle | None:
    """The article of a text dump, or None when the dump holds no article."""
    lines = split_lines(text)
    start, end = densest_region(lines)
    if sum(line.words for line in lines[start:end] if line.prose) < _MIN_BODY_WORDS:
        return None
    start = _skip_header(lines, start, end)
    lo = max(0, start - _HEAD_REACH)
    byline, authors = _find_byline(lines, lo, min(end, start + 3))
    anchor = byline if 0 <= byline < start else start
    caption_at, images = _captions(lines, lo, end)
    credited = caption_at - _twins(lines, lo, end)
    title = _find_title(lines, lo, anchor, credited)
    if not authors and title >= 0:
        byline, authors = _bare_byline(lines, title, start)
    credited_at, writers = _credit_line(lines, start, end)
    authors = authors or writers or _dateline_names(lines, start, end)
    blocks, reasons = _body(lines, start, end, caption_at)
    marks = _marks(lines, title, byline, start, caption_at)
    marks.update(dict.fromkeys(credited_at, "credit line"))
    return DumpArticle(
        title=lines[title].text if title >= 0 else "",
        authors=authors,
        published=_published(lines, title if title >= 0 else lo, start, end),
        outlet=_outlet(lines, start, end, text),
        blocks=tuple(blocks),
        images=tuple(images),
        removed=_removed(lines, start, end, reasons, marks),
    )


def _skip_header(lines: list[Line], start: int, end: int) -> int:
    """Move the start past a standfirst, byline or dateline heading the region."""
    new_start = start
    for index in range(start, min(start + 6, end - 1)):
        line = lines[index]
        if is_header(line) or bylines.byline_names(line.text):
            new_start = index + 1
    return new_start


def _find_byline(lines: list[Line], lo: int, hi: int) -> tuple[int, tuple[str, ...]]:
    """The last byline in ``[lo, hi)``: "By X", "... by X", or "By" then a names line."""
    found: tuple[int, tuple[str, ...]] = (-1, ())
    for index in range(lo, hi):
        text = lines[index].text
        names = bylines.byline_names(text) or bylines.inline_byline(text)
        if not names and bylines.is_byline_label(text) and index + 1 < len(lines):
            names = bylines.split_names(lines[index + 1].text)
        if names:
            found = (index, names)
    return found


def _dateline_names(lines: list[Line], start: int, end: int) -> tuple[str, ...]:
    """Reporters named by a wire dateline opening the body ("(서울=연합뉴스) 홍길동 기자 =")."""
    for line in lines[start : min(end, start + 2)]:
        names = bylines.dateline_names(line.text)
        if names:
            return names
    return ()


def _credit_line(lines: list[Line], start: int, end: int) -> tuple[list[int], tuple[str, ...]]:
    """Wire credit lines at the article's end ("Reporting by A; Editing by B") and their writers."""
    found: list[int] = []
    writers: tuple[str, ...] = ()
    for index in range(max(start, end - 3), min(len(lines), end + 4)):
        names = bylines.credit_names(lines[index].text) if lines[index].words <= 40 else None
        if names is not None:
            found.append(index)
            writers = writers or names
    return found, writers


def _bare_byline(lines: list[Line], title: int, start: int) -> tuple[int, tuple[str, ...]]:
    """A names-only line just below the headline ("Jane Doe", "Jane Doe, Staff Writer")."""
    for index in range(title + 1, min(start, title + 4)):
        names = bylines.bare_names(lines[index].text)
        if names:
            return index, names
    return -1, ()


def _find_title(lines: list[Line], lo: int, anchor: int, caption_at: set[int]) -> int:
    """The headline: a heading-like line close above the byline or body."""
    best, best_score = -1, -99.0
    doc = "\n".join(line.text for line in lines).casefold()
    for index in range(anchor - 1, lo - 1, -1):
        line = lines[index]
        if line.words < 2 or line.words > 40 or line.chrome or is_header(line):
            continue
        if index in caption_at or captions.credit_line(line.text) or _not_title(line.text):
            continue
        if captions.split_credit(line.text) or bylines.bare_names(line.text):
            continue
        score = _title_score(lines, index, doc) - _TITLE_DISTANCE * (anchor - index)
        if score > best_score:
            best, best_score = index, score
    return best


def _headerish(line: Line) -> bool:
    """A dateline or byline (what follows a headline)."""
    if line.words > 16:
        return False
    return is_header(line) or bool(bylines.inline_byline(line.text))


def _signed(lines: list[Line], index: int) -> bool:
    """A names-only line confirmed by a dateline or its own twin right after it."""
    if index + 1 >= len(lines) or not bylines.bare_names(lines[index].text):
        return False
    after = lines[index + 1]
    return after.text == lines[index].text or is_header(after)


def _not_title(text: str) -> bool:
    return is_barrier(text) or " > " in text or text.count(" | ") >= 2


def _title_score(lines: list[Line], index: int, doc: str) -> float:
    line = lines[index]
    score = 3.0 if 4 <= line.words <= 25 else 0.0
    following = lines[index + 1 : index + 4]
    for distance, after in enumerate(following):
        if _headerish(after) or after.text == line.text or _signed(lines, index + 1 + distance):
            score += _HEADER_BONUS - distance
            break
    if line.text.isupper() or line.text.endswith(":"):
        score -= 2.0
    if index > 0 and re.search(r"\s[»>/|]\s", lines[index - 1].text):
        score += 1.0  # right below a breadcrumb trail
    if following and following[0].words > line.words and not _headerish(following[0]):
        score += 1.0  # a longer standfirst follows the headline
    if line.text.endswith("."):
        score -= 3.0
    if line.spaced:
        score += 1.0
    if line.words <= 3:
        score -= 2.0
    if doc.count(line.text.casefold()) >= 2:
        score += 1.0
    score -= 2.0 * (line.words > 18) + 2.0 * bool(_SENTENCE_BREAK.search(line.text))
    return score


def _twins(lines: list[Line], lo: int, end: int) -> set[int]:
    """Lines printed twice in a row (a headline or an uncredited caption)."""
    return {i for i in range(lo, end) if i + 1 < len(lines) and lines[i + 1].text == lines[i].text}


def _captions(lines: list[Line], lo: int, end: int) -> tuple[set[int], list[Image]]:
    """Indexes of caption and credit lines in ``[lo, end)`` and the images they describe."""
    found: set[int] = set()
    images: dict[str, Image] = {}
    for index in range(lo, end):
        text = lines[index].text
        split = captions.split_credit(text) if lines[index].words <= 60 else None
        credit = captions.credit_line(text)
        is_twin = index + 1 < end and lines[index + 1].text == text and lines[index].words >= 3
        if split and len(WORD.findall(split[0])) >= 3:
            found.add(index)
            images.setdefault(split[0], captions.make_image(*split))
        elif credit and index > lo and lines[index - 1].words <= 60:
            found.update({index, index - 1})
            caption = lines[index - 1].text
            images.setdefault(caption, captions.make_image(caption, credit))
        elif is_twin:
            found.update({index, index + 1})
            images.setdefault(text, captions.make_image(text, ""))
        elif text in images or (index - 1 in found and lines[index - 1].text == text):
            found.add(index)
    return found, list(images.values())


def _body(
    lines: list[Line], start: int, end: int, caption_at: set[int]
) -> tuple[list[Block], dict[int, str]]:
    blocks: list[Block] = []
    reasons: dict[int, str] = {}
    in_box = False
    for index in range(start, end):
        line = lines[index]
        reason = _reject(line, index, caption_at)
        in_box = (in_box or line.box) and not line.prose and not line.cells
        if reason or in_box:
            reasons[index] = reason or "related box"
            continue
        if line.cells:
            _add_row(blocks, line.cells)
            continue
        item = bullet(line.text) or (line.text if line.listed else "")
        if item:
            blocks.append(Block("item", item))
        elif _paragraph(line) or (line.text.endswith(":") and _lists(lines, index + 1, end)):
            blocks.append(Block("para", line.text))
        elif _is_subhead(lines, index, end):
            blocks.append(Block("head", line.text))
        else:
            reasons[index] = "page chrome (short line)"
    return blocks, reasons


def _paragraph(line: Line) -> bool:
    return line.prose or (line.terminal and line.words >= 4) or line.text.startswith("http")


def _lists(lines: list[Line], index: int, end: int) -> bool:
    return index < end and lines[index].listed


def _add_row(blocks: list[Block], cells: tuple[str, ...]) -> None:
    """Append a tab-separated row to the table block being built (or start one)."""
    row = "\t".join(cells)
    if blocks and blocks[-1].kind == "table":
        blocks[-1] = Block("table", blocks[-1].text + "\n" + row)
    else:
        blocks.append(Block("table", row))


def _reject(line: Line, index: int, caption_at: set[int]) -> str:
    if index in caption_at:
        return "photo caption"
    if is_signature(line):
        return "signature"
    pitch = inline_chrome(line.text)
    if pitch:
        return f"page chrome ({pitch})"
    if line.barrier or line.chrome or (line.words > 6 and is_chrome(line.text)):
        return "page chrome"
    if bylines.byline_names(line.text):
        return "byline"
    if line.words <= 40 and bylines.credit_names(line.text) is not None:
        return "credit line"
    if line.words <= 8 and not line.text.startswith(("—", "-")) and find_dates(line.text):
        return "dateline"
    if is_dateline(line.text):
        return "dateline"
    return ""


def _is_subhead(lines: list[Line], index: int, end: int) -> bool:
    line = lines[index]
    following = lines[index + 1] if index + 1 < end else None
    return 2 <= line.words <= 16 and following is not None and following.prose and line.spaced


def _published(lines: list[Line], lo: int, start: int, end: int) -> dt.date | None:
    zones = (
        range(lo, min(end, start + 4)),
        range(max(0, lo - 4), lo),
        range(end, min(len(lines), end + 12)),
    )
    for zone in zones:
        texts = [lines[i].text for i in zone if lines[i].words <= 16 or is_dateline(lines[i].text)]
        day = published_of(texts)
        if day:
            return day
    return None


def _outlet(lines: list[Line], start: int, end: int, text: str) -> str:
    for line in reversed(lines[end:] or lines[-1:]):
        name = bylines.copyright_name(line.text)
        if name:
            return name
    for line in lines[start : min(len(lines), end + 10)]:
        domain = email_domain(line.text) if is_signature(line) else ""
        if domain and domain not in bylines.WEBMAIL:
            vocabulary = {w.casefold() for w in WORD.findall(text) if len(w) >= 2}
            return bylines.outlet_from_domain(domain, vocabulary)
    return ""


def _marks(
    lines: list[Line], title: int, byline: int, start: int, caption_at: set[int]
) -> dict[int, str]:
    """Reasons for the header lines above the body."""
    marks = dict.fromkeys(caption_at, "photo caption")
    for index in range(title + 1, start) if title >= 0 else ():
        if is_dateline(lines[index].text):
            marks[index] = "dateline"
        elif lines[index].prose and index not in marks:
            marks[index] = "standfirst"
    marks[byline] = "byline"
    marks[title] = "headline"
    marks.pop(-1, None)
    return marks


def _removed(
    lines: list[Line], start: int, end: int, reasons: dict[int, str], marks: dict[int, str]
) -> tuple[RemovedLine, ...]:
    out: list[RemovedLine] = []
    for index, line in enumerate(lines):
        if start <= index < end and index not in reasons:
            continue
        signature = "signature" if is_signature(line) else ""
        reason = (
            reasons.get(index)
            or marks.get(index)
            or signature
            or (
                "page chrome before the article"
                if index < start
                else "page chrome after the article"
            )
        )
        out.append(RemovedLine(line.number, line.text, reason))
    return tuple(out)
