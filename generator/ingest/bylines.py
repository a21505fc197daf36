"""Bylines and outlets: "By X and Y", "X, Reuters", copyright lines, e-mail domains."""

from __future__ import annotations

import re

from generator.ingest.dates import find_dates
from generator.ingest.lines import BYLINE, WORD, is_chrome

_CUT = re.compile(
    r"\s*(?:\||•|·|—|–|\s-\s|\bupdated\b|\bpublished\b|\bposted\b|\bon\s+(?=\w+\.?\s+\d)"
    r"|\bon\s+\d|\d{1,2}:\d\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d"
    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\b\d{4}-\d\d|\d+\s+(?:min|hours?|days?)\b"
    r"|\bphotos?\b|\bfollow\b|\bview\b|\bmore\b|\bemail\b|@|\bin\s+[A-Z][a-z]+,?\s*$)",
    re.I,
)
_ROLE = re.compile(
    r"\b(?:staff|senior|chief|contributing|special|political|national|business|tech(?:nology)?|"
    r"sports|science|health|deputy|associate|managing|executive|news|foreign|correspondent|"
    r"reporter|writer|editor|columnist|contributor|producer|analyst|journalist|bureau|press|agency|"
    r"wire|service|media|desk|team)\b.*$",
    re.I,
)
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\bund\b|\by\b|\be\b|\bet\b|\bog\b|\boch\b)\s*")
# "by" that credits someone other than the writer: "Editing by", "Photos by", "Translated by"
_NOT_WRITER = re.compile(
    r"(?:edit(?:ing|ed)|photo(?:graph)?s?|illustrations?|graphics?|translat(?:ion|ed)|design(?:ed)?|"
    r"video|produced|fact-checked|additional\s+editing)\s+by\b",
    re.I,
)
_CREDIT_PART = re.compile(
    r"^(?:additional\s+)?(?:reporting|writing|written|compiled|story|text|words)\s+by\s+(?P<names>.+)$",
    re.I,
)
_CAMEL = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z])")
_EMAIL = re.compile(r"[(<\[]?\s*(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*[)>\]]?")
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|[a-z]{1,3}|de|van|von|der|bin|al-\w+)$")
_COPYRIGHT = re.compile(
    r"(?:©|ⓒ|\(c\)|copyright)\s*(?:[©ⓒ]\s*)?(?:\d{4}\s*[-–]\s*)?(?:\d{4})?\s*[,.]?\s*"
    r"(?P<name>[^|.,©]{2,60}?)(?:\s*[,.]?\s*(?:inc|llc|ltd|limited|corp|co|plc|gmbh|s\.a)\b.*)?"
    r"(?:\s*[|.,].*|\s+all rights reserved.*)?$",
    re.I,
)
WEBMAIL = frozenset(
    (
        "gmail.com",
        "yahoo.com",
        "hotmail.com",
        "outlook.com",
        "aol.com",
        "icloud.com",
        "protonmail.com",
        "mail.com",
        "gmx.com",
        "gmx.de",
        "yandex.ru",
        "qq.com",
        "163.com",
        "naver.com",
        "daum.net",
        "live.com",
        "msn.com",
    )
)


# Korean and Japanese bylines: "홍길동 기자", "홍길동·김철수 기자 hong@x.kr", "글·사진=홍길동 기자",
# "山田太郎記者"; and the names in a wire dateline: "(서울=연합뉴스) 홍길동 기자 = ...",
# "【ワシントン=山田太郎】..."
_KO_NAMES = r"(?P<names>[가-힣]{2,4}(?:\s*[·,]\s*[가-힣]{2,4}|\s+[가-힣]{2,4})*?)"
_KO_ROLE = (
    r"\s*(?:선임|수석|인턴|객원|전문|사회부|정치부|경제부)?\s*(?:기자|특파원|통신원)(?![가-힣])"
)
_CJK_BYLINE = re.compile(
    r"^(?:\[[^\]]{1,20}\]\s*|(?:글|사진|영상|글·사진)\s*=\s*)?"
    + _KO_NAMES
    + _KO_ROLE
    + r"\s*(?:[\w.+-]+@[\w.-]+)?\s*$"
    + r"|^(?P<ja>[\u4e00-\u9fff]{2,6})\s*(?:記者|特派員|編集委員)\s*$"
)
_CJK_DATELINE = re.compile(
    r"^[(\[（【][^)\]）】=]{1,20}=[^)\]）】]{1,20}[)\]）】]\s*" + _KO_NAMES + _KO_ROLE + r"\s*="
    r"|^【[^=】]{1,12}=(?P<ja>[\u4e00-\u9fff\u3040-\u30ff]{2,8})】"
)


def cjk_names(match: re.Match[str] | None) -> tuple[str, ...]:
    """Names from a Korean or Japanese byline or dateline match."""
    if match is None:
        return ()
    if match.group("ja"):
        return (match.group("ja"),)
    return tuple(dict.fromkeys(re.split(r"\s*[·,]\s*|\s+", match.group("names"))))


def dateline_names(text: str) -> tuple[str, ...]:
    """Reporters named in a wire dateline opening the lead ("(서울=연합뉴스) 홍길동 기자 = ...")."""
    return cjk_names(_CJK_DATELINE.match(text))


def byline_names(text: str) -> tuple[str, ...]:
    """The person names of a byline line, or () when the line is not a byline."""
    cjk = _CJK_BYLINE.match(text)
    if cjk:
        return cjk_names(cjk)
    match = BYLINE.match(text)
    if not match or len(WORD.findall(text)) > 20 or _NOT_WRITER.match(text):
        return ()
    return split_names(match.group("names"))


_INLINE_BY = re.compile(r"(?:^|[\s|,;])by\s*:?\s+(?P<names>[A-Z].*)$", re.I)
_LABELS = frozenset({"by", "author", "authors", "written by", "posted by", "words by", "story by"})


def inline_byline(text: str) -> tuple[str, ...]:
    """Names after a "by" inside a short line ("11/19/2019 by Jane Doe", "| BY: Jane Doe")."""
    match = _INLINE_BY.search(text)
    if not match or len(WORD.findall(text)) > 20 or _NOT_WRITER.search(text[: match.end()]):
        return ()
    return split_names(match.group("names"))


def credit_names(text: str) -> tuple[str, ...] | None:
    """Writers named by a wire credit line ("Reporting by A and B; Editing by C"), or None.

    ``()`` means the line is a credit line naming no writer ("Editing by C" alone).
    """
    parts = [p.strip() for p in re.split(r"\s*[;|]\s*", text.strip(" ()[]."))]
    writers: list[str] = []
    for part in parts:
        match = _CREDIT_PART.match(part)
        if match:
            writers.extend(split_names(match.group("names")))
        elif not _NOT_WRITER.match(part):
            return None
    return tuple(dict.fromkeys(writers))


def is_byline_label(text: str) -> bool:
    """A line that only says "By" or "Author:" (the names follow on the next line)."""
    return text.casefold().strip(" :") in _LABELS


def bare_names(text: str) -> tuple[str, ...]:
    """Names when the whole line is a byline without "By" ("Jane Doe, Staff Writer",
    "Jane Doe | 12 March 2025")."""
    head, bar, rest = text.partition("|")
    if bar and find_dates(rest):
        text = head.strip()
    if not text[:1].isupper() or text.count(" ") > 8:
        return ()
    head = _serial_head(_CAMEL.sub(" ", text).split(","))
    cut = _CUT.search(head)
    head = head[: cut.start()] if cut else head
    heads = [h.split() for h in re.split(r"\s+(?:and|&)\s+", head)]
    if len(text.split()) > 8 or len(heads) > 3:
        return ()
    for words in heads:
        if not 2 <= len(words) <= 4 or any(
            not _NAME_WORD.match(w) or w[:1].islower() for w in words
        ):
            return ()
        if all(is_chrome(w) for w in words):
            return ()
    names = split_names(text)
    wanted = [" ".join(words) for words in heads]
    return names[: len(wanted)] if list(names[: len(wanted)]) == wanted else ()


def _serial_head(parts: list[str]) -> str:
    """The names before the role of "A, B and C, Staff Writers" (one name: "A, Role")."""
    closing = next((n for n, p in enumerate(parts) if re.search(r"\s(?:and|&)\s", p)), 0)
    head = parts[: closing + 1] if all(looks_like_name(p) for p in parts[1:closing]) else parts[:1]
    return " and ".join(p.strip() for p in head)


def _is_masthead(words: list[str]) -> bool:
    """Words that name a newspaper ("Harbour Gazette", "The Daily Star"), not a person."""
    return words[0].casefold() in _ARTICLES or words[-1].casefold() in _MASTHEAD_WORDS


# definite articles that open a newspaper's name, never a person's
_ARTICLES = frozenset(("the", "le", "la", "les", "el", "los", "las", "der", "die", "das", "il"))


def looks_like_name(text: str) -> bool:
    """2 to 4 capitalised words and no job title: "Jane Doe", not "Staff Writer"."""
    words = text.split()
    if not 2 <= len(words) <= 4 or _ROLE.search(text):
        return False
    return all(_NAME_WORD.match(w) for w in words) and words[0][:1].isupper()


def _strip_role(part: str) -> str:
    """Drop a trailing job title ("Jane Doe Staff Writer"), but keep "Staff Reports"."""
    match = _ROLE.search(part)
    if match and len(part[: match.start()].split()) >= 2:
        return part[: match.start()]
    return part


def split_names(text: str) -> tuple[str, ...]:
    """Split "Jane Doe and John Roe, Staff Writers" into names, dropping roles, agencies
    and e-mail addresses ("Jane Doe (jane@example.com)")."""
    text = _CAMEL.sub(" ", _EMAIL.sub(" ", text))
    cut = _CUT.search(text)
    if cut:
        text = text[: cut.start()]
    names: list[str] = []
    for index, part in enumerate(_SPLIT.split(text)):
        if index > 0 and _ROLE.search(part):
            continue
        part = _strip_role(part).strip(" .:-")
        words = part.split()
        if not words or len(words) > 4 or (index > 0 and "," in text and len(words) == 1):
            continue
        if index > 0 and len(words) >= 2 and _is_masthead(words):
            continue
        if all(_NAME_WORD.match(w) for w in words) and words[0][:1].isupper():
            names.append(part)
    return tuple(dict.fromkeys(n for n in names if len(n.split()) >= 2 or len(names) == 1))


def copyright_name(text: str) -> str:
    """The holder named by a copyright line ("© 2019 The Example Times"), or ''."""
    if not re.search(r"©|ⓒ|\(c\)|copyright", text, re.I) or len(text) > 200:
        return ""
    match = _COPYRIGHT.search(text)
    if not match:
        return ""
    name = match.group("name").strip(" -–")
    if not name or name[:1].isdigit() or len(name.split()) > 6 or "rights" in name.casefold():
        return ""
    return name


# generic words of newspaper names, to split a domain label such as "citynews" into words
_MASTHEAD_WORDS = frozenset(
    (
        "times",
        "post",
        "news",
        "daily",
        "herald",
        "journal",
        "tribune",
        "gazette",
        "observer",
        "guardian",
        "telegraph",
        "express",
        "mail",
        "star",
        "sun",
        "chronicle",
        "independent",
        "review",
        "today",
        "week",
        "weekly",
        "world",
        "globe",
        "standard",
        "courier",
        "record",
        "press",
        "insider",
        "wire",
        "report",
        "magazine",
        "monitor",
        "register",
        "examiner",
        "inquirer",
        "dispatch",
        "bulletin",
        "ledger",
        "sentinel",
        "mirror",
        "voice",
        "online",
        "tech",
        "sports",
        "business",
        "finance",
        "science",
        "city",
        "national",
        "international",
        "global",
        "local",
        "public",
        "radio",
        "tv",
        "media",
        "network",
        "group",
        "street",
        "economic",
        "financial",
        "morning",
        "evening",
        "sunday",
    )
)


def outlet_from_domain(domain: str, vocabulary: set[str]) -> str:
    """Turn "examplenews.co.uk" into "Example News" using words seen on the page."""
    labels = [p for p in domain.casefold().split(".") if p not in {"www", "mail", "news"}]
    if not labels or domain in WEBMAIL:
        return ""
    label = max(labels[:-1] or labels, key=len)
    words = _segment(label, (vocabulary | _MASTHEAD_WORDS) - {label})
    return " ".join(w.capitalize() for w in words) if words else label.capitalize()


def _segment(label: str, vocabulary: set[str]) -> list[str]:
    """Split ``label`` into the fewest known words (each of 2+ letters), or []."""
    best: list[list[str] | None] = [[]] + [None] * len(label)
    for end in range(1, len(label) + 1):
        for start in range(max(0, end - 20), end - 1):
            prefix = best[start]
            if prefix is not None and label[start:end] in vocabulary:
                candidate = [*prefix, label[start:end]]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[len(label)] or []
