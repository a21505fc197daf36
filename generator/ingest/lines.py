"""Line-level signals for text dumps: prose, chrome, bylines, captions, signatures."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

WORD = re.compile(r"\w+")
_TERMINAL_CHARS = frozenset(".!?…:;\"”’')]»。！？」』")
_BULLET = re.compile(r"^(?:[•·▪●◦‣∙*\-–]|\d{1,2}[.)])\s+")
_EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
BYLINE = re.compile(
    r"^(?:(?:written|posted|words|story|reported|reporting|text|photos?)\s+)?"
    r"(?:by|von|por|par|di|oleh|door|av|af)\s*:?\s+(?P<names>\S.*)$",
    re.I,
)
_BARRIER_START = re.compile(
    r"(?:copyright\b|©|\(c\)\s*\d{4})|more\b.{0,30}$"
    r"|(?:trending|most (?:read|popular|viewed)|you (?:may|might) also)\b"
    r"|\d+\s+(?:responses?|comments?|replies)\b|(?:leave a (?:comment|reply)"
    r"|comments?|read these next|join the discussion)$",
    re.I,
)


# a teaser box label: "Related", "RELATED: <headline>", "Also read: ...", "See also"
_BOX = re.compile(
    r"^(?:related(?:\s+(?:stories|articles|news|links?|content|coverage|reading))?"
    r"|more(?:\s+(?:on|from|about)\b.*)?|(?:also|read|see|must)\s+(?:read|also|more)|read\s+next|recommended(?:\s+stories)?"
    r"|(?:more|top)\s+stories|don'?t miss|editor'?s picks?|watch)"
    r"\s*(?:[:|>»–—-]\s*(?P<teaser>.*))?$",
    re.I,
)


def box_label(text: str) -> bool:
    """A teaser box label ("Related", "RELATED: Taxi fares to rise", "Also read: ...")."""
    match = _BOX.match(text)
    return match is not None and len(WORD.findall(match.group("teaser") or "")) <= 20


# copyright notices of Korean, Japanese and Chinese outlets
_RIGHTS = re.compile(
    r"저작권자|무단\s*전재|무단\s*복제|재배포\s*금지|ⓒ|無断転載|無断複製|版权所有|版權所有"
)


# chrome sentences inside an article: ad markers, newsletter and app pitches, paywall notices
_AD_NOTE = re.compile(
    r"^\W*(?:the\s+)?(?:story|article)\s+continues\s+(?:below|after)\b|^advertisement\b.{0,30}$"
    r"|^continue\s+reading\s+(?:below|after\b|(?:the\s+)?(?:main\s+)?(?:story|article)\W*$)"
    r"|^(?:scroll|continue)\s+(?:down\s+)?to\s+(?:continue|keep)\s+reading",
    re.I,
)
_PITCH = re.compile(
    r"\bnewsletters?\b.*\b(?:sign\s*up|subscribe|inbox|delivered|get)\b"
    r"|\b(?:sign\s*up|subscribe)\b.*\bnewsletters?\b|\bdownload\s+(?:our|the)\s+app\b"
    r"|\bfollow\s+us\s+on\b",
    re.I,
)
_PAYWALL = re.compile(
    r"\b(?:exclusive(?:ly)?\s+(?:to|for)\s+(?:our\s+)?(?:subscribers|members)"
    r"|(?:subscribers|members)[- ]only|subscribe\s+(?:now\s+)?to\s+(?:continue|keep)\s+reading"
    r"|to\s+continue\s+reading,?\s+(?:please\s+)?(?:subscribe|log\s*in|sign\s*in)"
    r"|already\s+a\s+subscriber|free\s+articles?\s+(?:left|remaining)"
    r"|reached\s+your\s+(?:free\s+)?(?:article\s+)?limit|유료\s*회원|有料会員)",
    re.I,
)


_CHROME_HINTS = (
    "subscri",
    "member",
    "newsletter",
    "advertis",
    "continues",
    "reading",
    "download",
    "follow",
    "limit",
    "회원",
    "会員",
)


def inline_chrome(text: str) -> str:
    """Why a sentence-like line is page chrome: "advertisement", "newsletter", "paywall", or ''."""
    if len(text) > 400:
        return ""
    low = text.casefold()
    if not any(hint in low for hint in _CHROME_HINTS) or len(WORD.findall(text)) > 40:
        return ""
    if _PAYWALL.search(text):
        return "paywall"
    if _AD_NOTE.search(text):
        return "advertisement"
    return "newsletter" if _PITCH.search(text) else ""


def is_barrier(text: str) -> bool:
    """Where an article ends: copyright lines, comment sections, related-story lists."""
    if _BARRIER_START.match(text):
        return True
    low = text.casefold()
    return "all rights reserved" in low or low.endswith("says:") or bool(_RIGHTS.search(text))


_GALLERY = re.compile(r"(?:image|photo|slide|picture)\s+\d+\s*(?:of|/)\s*\d*$")
_NUMBERS = re.compile(r"[\d\s.,:/|-]+|\d+\s*(?:comments?|shares?|views?|min read)")
# generic chrome labels of news pages (menus, share bars, ads, teasers), case-folded
_CHROME_PHRASES = frozenset(
    (
        "advertisement",
        "advertisements",
        "ad",
        "ads",
        "sponsored",
        "sponsored content",
        "share",
        "shares",
        "tweet",
        "email",
        "e-mail",
        "print",
        "comment",
        "comments",
        "subscribe",
        "sign in",
        "login",
        "log in",
        "log out",
        "register",
        "menu",
        "search",
        "close",
        "home",
        "more",
        "next",
        "previous",
        "prev",
        "related",
        "read more",
        "see also",
        "recommended",
        "trending",
        "popular",
        "most popular",
        "most read",
        "newsletter",
        "follow us",
        "facebook",
        "twitter",
        "linkedin",
        "whatsapp",
        "pinterest",
        "reddit",
        "instagram",
        "youtube",
        "telegram",
        "copy link",
        "link copied",
        "top",
        "back to top",
        "skip to content",
        "skip to main content",
        "share this",
        "share this article",
        "share this story",
        "save",
        "bookmark",
        "listen",
        "font size",
        "settings",
        "text size",
        "continue reading",
        "show comments",
        "hide comments",
        "load more",
        "view comments",
        "accept",
        "i accept",
        "cookie settings",
        "privacy policy",
        "terms of use",
        "contact us",
        "about us",
        "sitemap",
        "site map",
        "loading",
        "photo",
        "video",
        "watch",
        "gallery",
        "image",
        "also read",
        "don't miss",
        "top stories",
        "latest news",
        "latest",
        "more stories",
        "related stories",
        "related articles",
        "you may also like",
        "you might also like",
        "editor's picks",
        "x",
        "ok",
        "go",
        "up",
        "down",
        "next article",
        "previous article",
        "leave a comment",
        "leave a reply",
        "reply",
        "tags",
        "topics",
        "filed under",
        "categories",
    )
)


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank line of a dump: 1-based number, stripped text, signals."""

    number: int
    text: str
    words: int
    terminal: bool
    spaced: bool = False
    chrome: bool = False
    barrier: bool = False
    box: bool = False
    cells: tuple[str, ...] = ()
    listed: bool = False

    @property
    def prose(self) -> bool:
        """A sentence-like line: several words ending like a sentence, or a long line."""
        return (self.words >= 8 and self.terminal) or self.words >= 18

    @property
    def short(self) -> bool:
        """A line too short to be a paragraph (menu entries, labels, subheads)."""
        return self.words < 8


def wrap_width(raws: list[str]) -> int:
    """The column a hard-wrapped dump was wrapped at (e.g. 70), or 0 when it is not wrapped.

    Wrapped when at least half of the lines of 30+ characters (CJK lines aside) end
    within 12 columns of the widest of them, that width is 50 to 100, and there are at
    least 5 such lines.
    """
    lengths = [len(r.rstrip()) for r in raws if len(r.strip()) >= 30 and not _CJK.search(r)]
    if len(lengths) < 5:
        return 0
    width = sorted(lengths)[int(len(lengths) * 0.95) - 1 if len(lengths) > 20 else -1]
    band = sum(width - 12 <= n <= width for n in lengths)
    return width if 50 <= width <= 100 and band >= max(5, len(lengths) / 2) else 0


def unwrap(raws: list[str]) -> list[tuple[int, str]]:
    """``(first line number, text)`` of logical lines: wrapped lines joined again.

    A line continues on the next when the next line's first word would not have
    fitted on it (greedy wrapping at :func:`wrap_width`); unwrapped dumps keep
    their lines.
    """
    width = wrap_width(raws)
    # without blank lines a sentence ending at a line's end may end a paragraph too
    tight = sum(not raw.strip() for raw in "\n".join(raws).strip().split("\n")) == 0
    out: list[tuple[int, str]] = []
    joining = False
    for index, raw in enumerate(raws):
        if joining and raw.strip() and not _BULLET.match(raw.strip()):
            number, text = out[-1]
            out[-1] = (number, text.rstrip() + " " + raw.strip())
        else:
            out.append((index + 1, raw))
        following = raws[index + 1].split() if index + 1 < len(raws) else []
        fits = following and len(raw.rstrip()) + 1 + len(following[0]) <= width
        ends = tight and raw.rstrip()[-1:] in _TERMINAL_CHARS and following[:1] != []
        ends = ends and following[0][:1].isupper()
        joining = bool(width and following and raw.strip() and not fits and not ends)
    return out


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text`` with their 1-based line numbers."""
    numbered = unwrap(text.split("\n"))
    raws = [raw for _, raw in numbered]
    out: list[Line] = []
    for index, (number, raw) in enumerate(numbered):
        stripped = " ".join(raw.split())
        if stripped:
            before = index == 0 or not raws[index - 1].strip()
            after = index + 1 >= len(raws) or not raws[index + 1].strip()
            line = make_line(number, stripped, before or after)
            cells = tuple(c.strip() for c in raw.strip().split("\t"))
            if len(cells) >= 2 and all(cells):
                line = dataclasses.replace(line, cells=cells)
            out.append(line)
    out = _mark_lists(out)
    blanks = sum(not raw.strip() for raw in "\n".join(raws).strip().split("\n"))
    if blanks <= len(out) // 10:  # no blank lines between paragraphs at all
        out = [dataclasses.replace(line, spaced=True) for line in out]
    return out


_LIST_MAX_WORDS = 12


def _list_item(line: Line) -> bool:
    return line.words <= _LIST_MAX_WORDS and not (line.terminal or line.chrome or line.box)


def _mark_lists(lines: list[Line]) -> list[Line]:
    """Mark the unbulleted items of a list introduced by a line ending in a colon.

    "New routes serve:" followed by a block of 2+ short lines with no blank line
    between them (each of at most ``_LIST_MAX_WORDS`` words, none ending like a sentence) is a list.
    """
    out = list(lines)
    for index, line in enumerate(lines):
        if not line.text.endswith(":") or line.words > 30 or line.cells:
            continue
        block = [index + 1]
        while block[-1] + 1 < len(lines) and lines[block[-1] + 1].number == (
            lines[block[-1]].number + 1
        ):
            block.append(block[-1] + 1)
        items = [lines[i] for i in block if i < len(lines)]
        if len(items) >= 2 and all(_list_item(i) for i in items):
            for i in block:
                out[i] = dataclasses.replace(lines[i], listed=True)
    return out


def make_line(number: int, text: str, spaced: bool = False) -> Line:
    """Measure one stripped line; ``spaced``: a blank line next to it (a paragraph)."""
    words = len(WORD.findall(text)) + len(_CJK.findall(text)) // 2
    terminal = text[-1] in _TERMINAL_CHARS
    chrome = (words <= 6 and is_chrome(text)) or bool(inline_chrome(text))
    barrier = words <= 40 and is_barrier(text)
    box = words <= 24 and box_label(text)
    return Line(number, text, words, terminal, spaced, chrome, barrier, box)


def is_chrome(text: str) -> bool:
    """Menu, share-bar, ad or teaser label text (generic words only)."""
    low = text.casefold().strip(" :|•·»›>-–—")
    if low in _CHROME_PHRASES or not WORD.search(low):
        return True
    if low.startswith(("share ", "follow ", "sign up", "subscribe", "read more", "click here")):
        return True
    return bool(_NUMBERS.fullmatch(low) or _GALLERY.match(low))


def bullet(text: str) -> str:
    """The item text when ``text`` is a bulleted or numbered list item, else ''."""
    match = _BULLET.match(text)
    return text[match.end() :] if match else ""


def email_domain(text: str) -> str:
    """The domain of the first e-mail address in ``text``, or ''."""
    match = _EMAIL.search(text)
    return match.group(1).casefold() if match else ""


def is_signature(line: Line) -> bool:
    """A short line holding an e-mail address or a handle: the reporter's signature."""
    if line.words > 12 or "@" not in line.text:
        return False
    return line.text.startswith("@") or bool(_EMAIL.search(line.text))
