"""Photo captions and credits: "Caption / Agency", "(Photo: X)", a caption printed twice."""

from __future__ import annotations

import re

from generator.content import Image

_SLASH_CREDIT = re.compile(r"^(?P<caption>.+?)\s+/\s+(?P<credit>[^/]{2,60})$")
_PAREN_CREDIT = re.compile(
    r"^(?P<caption>.*?)\s*[(\[](?P<credit>(?:photo|image|picture|credit|foto|illustration|"
    r"courtesy)\b[^)\]]{0,80}|[^()\[\]]{2,60}/[^()\[\]]{2,60})[)\]]$",
    re.I,
)
_TRAILING_CREDIT = re.compile(
    r"^(?P<caption>.{20,}?[.!?”\"')])\s+(?:photo\s+)?(?P<label>credit|photo|image|picture|foto)s?(?:\s*:|\s+by)\s*"
    r"(?P<credit>[^:]{2,60})$",
    re.I,
)
_LABELLED_CREDIT = re.compile(
    r"^(?:\(?(?:photo|image|picture|credit|foto|illustration|photograph)s?"
    r"(?:\s+(?:by|credit|courtesy(?:\s+of)?))?\s*[:|]\s*|photo(?:graph)?\s+by\s+|courtesy\s+of\s+)"
    r"(?P<credit>.{2,80}?)\)?$",
    re.I,
)
_WORD = re.compile(r"\w+")
# a wire or handout credit after the caption's last sentence: ". Yonhap", ". AP-Yonhap",
# "[YONHAP]", "(Yonhap)", ". Courtesy of X"
_NAME = r"[A-Z][\w&'’]*(?:[ /-](?:[A-Z][\w&'’.]*|of|the|and|de))*?"
_TAIL_CREDIT = re.compile(
    r"^(?P<caption>.{20,}?(?:[.!?”\"]|\d))\s*(?:(?P<open>[(\[])(?P<boxed>" + _NAME + r")[)\]]"
    r"|\s(?i:(?:photo\s+)?courtesy\s+of)\s+(?P<courtesy>.{2,60}?)\.?"
    r"|(?<=[.!?])\s(?P<bare>" + _NAME + r"))$"
)


def split_credit(text: str) -> tuple[str, str] | None:
    """``(caption, credit)`` when ``text`` ends with a photo credit, else None."""
    if ":" in text or " by " in text:
        trailing = _TRAILING_CREDIT.match(text)
        if trailing and _credit_like(trailing.group("credit")):
            return trailing.group("caption").strip(), trailing.group("credit").strip(" .")
    tail = _tail_credit(text)
    if tail:
        return tail
    if text.startswith(("(", "[")) or not ("/" in text or "(" in text or "[" in text):
        return None
    patterns = (_PAREN_CREDIT, _SLASH_CREDIT) if text.endswith((")", "]")) else (_SLASH_CREDIT,)
    for pattern in patterns:
        match = pattern.match(text)
        if match and _credit_like(match.group("credit")):
            return match.group("caption").strip(), _clean_credit(match.group("credit"))
    return None


def _tail_credit(text: str) -> tuple[str, str] | None:
    """A caption whose last sentence is followed by a bare, boxed or courtesy credit."""
    match = _TAIL_CREDIT.match(text)
    if not match or len(_WORD.findall(match.group("caption"))) < 6:
        return None
    credit = match.group("boxed") or match.group("bare") or match.group("courtesy") or ""
    if match.group("courtesy") is None and not _credit_like(credit):
        return None
    caption = match.group("caption")
    if match.group("bare") and (len(_WORD.findall(credit)) > 3 or _abbreviated(caption)):
        return None
    return caption.strip(), credit.strip(" .")


def _abbreviated(caption: str) -> bool:
    """Ends with a short abbreviation ("Rep.", "Mr."): the period ends no sentence."""
    last = caption.rstrip(".!?").rsplit(None, 1)[-1]
    return not last[-1:].isdigit() and len(last) <= 3 and last[:1].isupper()


def credit_line(text: str) -> str:
    """The credit when the whole line is a credit ("Photo: X", "Name/Agency"), else ''."""
    if len(text) > 120:
        return ""
    match = _LABELLED_CREDIT.match(text)
    if match:
        return match.group("credit").strip(" .")
    words = _WORD.findall(text)
    inner = text.strip("()[] ")
    if 1 <= len(words) <= 8 and "/" in inner and not text.rstrip().endswith("."):
        parts = [p.strip() for p in inner.split("/") if p.strip()]
        if (
            len(parts) >= 2
            and all(p[:1].isupper() and len(p.split()) <= 4 for p in parts)
            and "://" not in text
        ):
            return inner
    if re.fullmatch(r"[\w\s.&-]{0,40}\bImages?\b", inner):
        return inner
    return ""


def _credit_like(credit: str) -> bool:
    words = _WORD.findall(credit)
    return (0 < len(words) <= 8 and credit[:1].isupper()) or credit.casefold().startswith("photo")


def _clean_credit(credit: str) -> str:
    credit = re.sub(
        r"^(?:photo|image|picture|credit|foto)s?\s*(?:by)?\s*[:|]?\s*", "", credit, flags=re.I
    )
    return credit.strip(" .")


def make_image(caption: str, credit: str) -> Image:
    """An :class:`Image` known by its caption and credit."""
    return Image(caption=caption.strip(), credit=credit.strip())
