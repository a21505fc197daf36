"""Dates as news pages print them: ISO, "Nov. 19, 2019", "19 November 2019", "11/19/2019"."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "gen": 1,
    "gennaio": 1,
    "febbraio": 2,
    "marzo": 3,
    "aprile": 4,
    "maggio": 5,
    "giugno": 6,
    "luglio": 7,
    "agosto": 8,
    "settembre": 9,
    "ottobre": 10,
    "novembre": 11,
    "dicembre": 12,
    "mag": 5,
    "giu": 6,
    "lug": 7,
    "ago": 8,
    "set": 9,
    "ott": 10,
    "dic": 12,
    "janvier": 1,
    "février": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "septembre": 9,
    "octobre": 10,
    "décembre": 12,
    "januar": 1,
    "februar": 2,
    "märz": 3,
    "juni": 6,
    "juli": 7,
    "oktober": 10,
    "dezember": 12,
    "enero": 1,
    "febrero": 2,
    "marzo_": 3,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto_": 8,
    "septiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
    "janv": 1,
    "févr": 2,
    "fév": 2,
    "fevr": 2,
    "avr": 4,
    "juil": 7,
    "aoû": 8,
    "déc": 12,
    "mär": 3,
    "mrz": 3,
    "okt": 10,
    "dez": 12,
}
_MONTH = r"(?P<mon>[A-Za-zÀ-ÿ]{3,10})\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_MAYBE_DATE = re.compile(r"(?:19|20)\d\d|\d/\d\d\b")
# what a date on a news page is labelled as: first publication or a later update
_PUBLISHED = re.compile(
    r"(?:published|posted|first published|released|issued|publié|veröffentlicht|publicado|"
    r"입력|송고|등록|公開|配信|掲載|发布|發佈)\s*:?\s*(?:on|le|am|el|il|the)?\s*$",
    re.I,
)
_UPDATED = re.compile(
    r"(?:updated?|modified|edited|last updated|mis à jour|aktualisiert|actualizado|"
    r"수정|최종\s*수정|업데이트|更新|最終更新)\s*:?\s*(?:on|le|am|el|il|the)?\s*$",
    re.I,
)
_TIME = re.compile(
    r"\b\d{1,2}[:.h]\d\d(?::\d\d)?\s*(?:[ap]\.?\s?m\.?)?|\b\d{1,2}\s*[ap]\.?m\.?|"
    r"\b(?:[A-Z]{2,4}T|GMT|UTC|KST|JST|CET|CEST|ET|PT)\b(?:[+-]\d+)?|\([^)]*\)"
)
_FILLER = re.compile(
    r"\b(?:published|posted|updated?|modified|first|last|on|at|by|le|am|el|à|um|mis|jour|"
    r"publiée?|aktualisiert|veröffentlicht|actualizado|publicado)\b|"
    r"입력|송고|등록|수정|최종|업데이트|기사|公開|配信|更新|最終|日時|"
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b\.?",
    re.I,
)
_YEAR_END = r"(?:\b|(?=\d{1,2}:\d\d))"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_PATTERNS = (
    re.compile(rf"(?<![\d.-]){_YEAR}-(?P<m>[01]?\d)-{_DAY}(?!\d)"),
    re.compile(rf"(?<![\d/]){_YEAR}/(?P<m>[01]?\d)/{_DAY}(?!\d)"),
    re.compile(rf"(?<![\d.]){_YEAR}\.\s?(?P<m>[01]?\d)\.\s?{_DAY}(?!\d)"),
    re.compile(rf"(?<!\d){_YEAR}\s*[年년]\s*(?P<m>[01]?\d)\s*[月월]\s*{_DAY}\s*[日일]"),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}{_YEAR_END}"),
    re.compile(rf"\b{_DAY}\.?\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?{_YEAR}\b"),
    re.compile(rf"\b(?P<m>[01]?\d)/{_DAY}/{_YEAR}\b"),
    re.compile(rf"\b{_DAY}[./](?P<m>[01]?\d)[./]{_YEAR}\b"),
    re.compile(r"\b(?P<m>[01]?\d)/(?P<day>[0-3]?\d)/(?P<yy>[12]\d)\b"),
)


def find_date(text: str) -> dt.date | None:
    """The first plausible calendar date written in ``text``."""
    found = find_dates(text)
    return found[0][1] if found else None


def find_dates(text: str) -> list[tuple[int, dt.date]]:
    """Every date in ``text`` with its offset, in reading order."""
    hits: list[tuple[int, dt.date]] = []
    if not _MAYBE_DATE.search(text):
        return hits
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            day = _to_date(match.groupdict())
            if day is not None:
                hits.append((match.start(), day))
    hits.sort(key=lambda hit: hit[0])
    return hits


def labelled_dates(text: str) -> list[tuple[str, dt.date]]:
    """Dates of ``text`` as ``(label, date)``: label "published", "updated" or ""."""
    out: list[tuple[str, dt.date]] = []
    previous = 0
    for offset, day in find_dates(text):
        before = _TIME.sub(" ", text[previous:offset]).strip(" |·•,;/-–—")
        label = "published" if _PUBLISHED.search(before) else ""
        label = label or ("updated" if _UPDATED.search(before) else "")
        out.append((label, day))
        previous = offset
    return out


def published_of(texts: list[str]) -> dt.date | None:
    """The publication day among dated lines: a labelled one, else the first plain one."""
    found = [hit for text in texts for hit in labelled_dates(text)]
    for wanted in ("published", "", "updated"):
        for label, day in found:
            if label == wanted:
                return day
    return None


def is_dateline(text: str) -> bool:
    """A line that only gives dates and times ("Published March 3, 2025 at 6:42 a.m. | ...")."""
    if len(text) > 200 or text.startswith(("—", "-", "–")) or not find_dates(text):
        return False  # an embedded post's signature: "— Name (@handle) May 1, 2019"
    rest = text
    for pattern in _PATTERNS:
        rest = pattern.sub(" ", rest)
    rest = _FILLER.sub(" ", _TIME.sub(" ", rest))
    return len(re.findall(r"\w+", rest)) <= 2


def _to_date(groups: dict[str, str | None]) -> dt.date | None:
    month = _month(groups)
    short = groups.get("yy")
    year = groups.get("year") or (f"20{short}" if short else "0")
    try:
        return dt.date(int(year or 0), month, int(groups["day"] or 0))
    except (ValueError, TypeError):
        return None


def _month(groups: dict[str, str | None]) -> int:
    if groups.get("m"):
        return int(groups["m"] or 0)
    name = (groups.get("mon") or "").casefold()
    return _MONTHS.get(name, _MONTHS.get(name[:3], 0)) if len(name) >= 3 else 0


def parse_iso(value: str) -> dt.date | None:
    """The calendar day of an ISO date or date-time, as written (no zone shift)."""
    match = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if not match:
        return find_date(value)
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
