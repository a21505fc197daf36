"""Whether two passages say the same thing: the words a close match may not change.

A re-anchor moves a note to words that differ from its quote.  That is safe for a fixed
typo or a reworded phrase, never for a changed fact.  :func:`conflict` compares the quote
with a candidate word by word (after matching normalisation, ignoring case, punctuation and
how a word is hyphenated or abbreviated) and names the first change that touches

* a **number**: any word with a digit, a number word (``twelve``, ``million``, ``third``),
  a currency or percent sign, or the unit right after a number (``12 km`` / ``12 miles``);
* a **name**: a capitalised word not at the start of a sentence, a capitalised word at the
  start of one that the article never writes in lower case, a word with a capital inside
  it (``iPhone``), and in Korean a three-syllable word starting with a common family name
  or a word the article puts before a title (``김지원``, ``지원 씨``);
* a **negation**: ``not``, ``no``, ``never``, ``n't`` and their kin (in English, French,
  German, Spanish, Korean);
* **letters a name may be written with**, in a script without capital letters (Han, kana,
  Arabic, Hebrew, Thai, Devanagari, Ethiopic...; Korean keeps its own name rules): there a
  name cannot be told from another word, so any changed letter is refused (``李明 → 王毅``).
  The optional vowel points of Arabic and Hebrew are already gone (matching normalisation);
  the vowel signs of Indic scripts and Thai are letters as written and count.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from generator.annotations.anchoring.words import CJK, is_cjk

_TOKEN = re.compile(rf"\d+(?:[.,:/]\d+)*|[{CJK}]|[^\W\d_{CJK}]+(?:['-][^\W\d_{CJK}]+)*|[%‰$€£¥₩₹¢]")
_HANGUL_CHARS = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff]")
_SENTENCE_END = re.compile(r"[.!?。！？]")
_CONTRACTION = re.compile(r"\b(can)'t\b|\bcannot\b|\b(won)'t\b|(\w)n't\b", re.IGNORECASE)
_PERCENT = re.compile(r"\bper ?cent\b|\bpct\b", re.IGNORECASE)
_NEGATIONS = frozenset(
    "not no never none nobody nothing nowhere neither nor without cannot "
    "ne pas jamais aucun aucune rien personne sans "
    "nicht kein keine keinen keinem keiner nie niemals ohne "
    "nunca nada ningún ninguna ninguno tampoco sin".split()
)
_KOREAN_NEGATION = re.compile("않|없|아니|^안$|^못$")
_NUMBER_WORDS = dict(
    (word, str(value))
    for value, words in enumerate(
        (
            "zero",
            "one first",
            "two second",
            "three third",
            "four fourth",
            "five fifth",
            "six sixth",
            "seven seventh",
            "eight eighth",
            "nine ninth",
            "ten tenth",
            "eleven eleventh",
            "twelve twelfth",
            "thirteen thirteenth",
            "fourteen fourteenth",
            "fifteen fifteenth",
            "sixteen sixteenth",
            "seventeen seventeenth",
            "eighteen eighteenth",
            "nineteen nineteenth",
            "twenty twentieth",
        )
    )
    for word in words.split()
)
_NUMBER_WORDS.update(
    (word, word)
    for word in "thirty forty fifty sixty seventy eighty ninety hundred thousand million "
    "billion trillion dozen half quarter percent "
    "dozens hundreds thousands millions billions".split()
)
_NUMBER_KEYS = frozenset(_NUMBER_WORDS.values())
_SIGNS = frozenset("%‰$€£¥₩₹¢")
_SURNAMES = frozenset(
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나엄채원천방공현함변염여추도석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예봉경"
)
_TITLES = frozenset(
    "씨 대통령 장관 의원 대표 총리 위원장 교수 기자 회장 "
    "사장 감독 선수 후보 총장 대사 시장 지사".split()
)
_PARTICLES = re.compile("(?:에게|으로|에서|이다|이며|은|는|이|가|을|를|의|에|와|과|도|로|씨)$")
_HANGUL = re.compile("^[\uac00-\ud7a3]+$")
_TITLED = "|".join(sorted(_TITLES, key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class Conflict:
    """A change of fact between a quote and a candidate: ``kind`` is "number", "name" or
    "negation"; ``old``/``new`` are the words on each side ("" when added or removed).
    """

    kind: str
    old: str
    new: str

    @property
    def change(self) -> str:
        """The change, as in "a number: 12 → 13"."""
        what = _KINDS.get(self.kind, f"a {self.kind}")
        return f"{what}: {self.old or '—'} → {self.new or '—'}"


_KINDS = {"letters": "letters a name may be written with"}


class Names:
    """What one article treats as a name, looked up word by word (on the normalised text)."""

    __slots__ = ("_lower", "_titled")

    def __init__(self, text: str) -> None:
        @lru_cache(maxsize=256)
        def lower(word: str) -> bool:
            pattern = r"(?<!\w)" + re.escape(word[:1].lower() + word[1:]) + r"(?!\w)"
            return re.search(pattern, text) is not None

        @lru_cache(maxsize=256)
        def titled(stem: str) -> bool:
            pattern = re.escape(stem) + f" ?(?:{_TITLED})"
            return re.search(pattern, text) is not None

        self._lower, self._titled = lower, titled

    def written_lower(self, word: str) -> bool:
        """Whether the article writes ``word`` with a lower-case first letter somewhere."""
        return self._lower(word)

    def before_title(self, stem: str) -> bool:
        """Whether the article puts a Korean title (씨, 장관...) right after ``stem``."""
        return self._titled(stem)


NO_NAMES = Names("")


@dataclass(frozen=True, slots=True)
class _Word:
    text: str  # as written (after matching normalisation)
    key: str  # what is compared: case-folded, hyphens and apostrophes dropped, numbers spelled
    starts: bool  # starts a sentence (or may: the first word of a quote)
    follows: str  # the next word, as written
    after_number: bool  # the previous word is a number: this one is its unit


def conflict(
    old: str, new: str, names: Names = NO_NAMES, *, new_lead: bool = True
) -> Conflict | None:
    """The first change of fact from ``old`` to ``new`` (normalised texts), or None.

    ``new_lead`` says whether ``new`` starts a sentence (``old``, a quote, may).
    """
    return _diff(_words(old, True), _words(new, new_lead), names)


def context_conflict(recorded: str, actual: str, names: Names, *, before: bool) -> Conflict | None:
    """A change of fact between a recorded prefix (``before``) or suffix and the article's
    text on that side of a candidate; ``actual`` may be longer: its far end is trimmed to
    as many words as were recorded, and a recorded word cut short there still matches.
    """
    want, have = _words(recorded, before), _words(actual, before)
    if not want or not have:
        return None
    have = have[-len(want) :] if before else have[: len(want)]
    edge = 0 if before else -1
    mine, theirs = want[edge].key, have[edge].key
    if theirs.endswith(mine) if before else theirs.startswith(mine):
        want[edge] = have[edge]
    return _diff(want, have, names)


def _diff(old: Sequence[_Word], new: Sequence[_Word], names: Names) -> Conflict | None:
    matcher = difflib.SequenceMatcher(
        None, [w.key for w in old], [w.key for w in new], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed, added = old[i1:i2], new[j1:j2]
        if "".join(w.key for w in removed) == "".join(w.key for w in added):
            continue  # "per cent" / "percent", "Ji won" / "Ji-won"
        kinds = {_kind(word, names) for word in (*removed, *added)}
        if _uncased(removed) != _uncased(added):
            kinds.add("letters")
        for kind in ("negation", "number", "name", "letters"):
            if kind in kinds:
                return Conflict(kind, _shown(removed), _shown(added))
    return None


def _shown(words: Iterable[_Word]) -> str:
    shown = ""
    for word in words:
        glued = not shown or (is_cjk(shown[-1]) and is_cjk(word.text[:1]))
        shown += word.text if glued else " " + word.text
    return shown


def _uncased(words: Sequence[_Word]) -> str:
    """The letters of ``words`` (keys) in scripts without case, but Hangul and numerals, with
    the marks that follow them: what a name in such a script is written with."""
    letters: list[str] = []
    kept = False
    for char in "".join(word.key for word in words):
        if char.isascii():
            kept = False
        elif unicodedata.category(char)[0] == "M":
            if kept:
                letters.append(char)
        else:
            kept = not char.isnumeric() and not _HANGUL_CHARS.match(char)
            category = unicodedata.category(char)
            kept = kept and (category == "Lo" or (category == "Lm" and is_cjk(char)))
            if kept:
                letters.append(char)
    return "".join(letters)


def _words(text: str, lead: bool) -> list[_Word]:
    text = _PERCENT.sub("%", _CONTRACTION.sub(_expand, text))
    words: list[_Word] = []
    last, starts, number = 0, lead, False
    ascii_only = text.isascii()
    tokens = list((_TOKEN if ascii_only else _marked_token()).finditer(text))
    for pos, match in enumerate(tokens):
        token = match.group()
        if words:
            starts = _SENTENCE_END.search(text, last, match.start()) is not None
        last = match.end()
        key = _NUMBER_WORDS.get(token.casefold(), token.casefold().replace("-", ""))
        key = key.replace("'", "") if ascii_only else _key(key)
        follows = tokens[pos + 1].group() if pos + 1 < len(tokens) else ""
        words.append(_Word(token, key, starts, follows, number))
        number = token not in _SIGNS and _is_number(token, key)  # "12 % rise": no unit
    return words


@cache
def _marked_token() -> re.Pattern[str]:
    """:data:`_TOKEN` for non-ASCII text: a word keeps its combining marks (a vowel sign of
    Devanagari or Thai, an Arabic vowel point) and any digit reads as one."""
    marks = "".join(chr(c) for c in range(0x300, 0x10000) if unicodedata.category(chr(c))[0] == "M")
    marks = re.escape(marks)
    letter = f"(?:[^\\W\\d_{CJK}]|[{marks}])"
    return re.compile(rf"\d+(?:[.,:/]\d+)*|[{CJK}]|{letter}+(?:['-]{letter}+)*|[%‰$€£¥₩₹¢]")


def _key(key: str) -> str:
    """A non-ASCII word's key: no apostrophes, digits and numerals (٣, 三) as ASCII digits
    (vowel points are already gone: see :mod:`.normalize`)."""
    key = key.replace("'", "")
    if len(key) == 1 and key.isnumeric() and not key.isdigit():
        value = unicodedata.numeric(key)
        return str(int(value)) if value == int(value) else key
    return "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in key)


def _expand(match: re.Match[str]) -> str:
    if match.group(1):
        return match.group(1) + " not"
    if match.group(2):
        return "will not"
    return match.group(3) + " not"


def _is_number(token: str, key: str) -> bool:
    return any(c.isnumeric() for c in token) or token in _SIGNS or key in _NUMBER_KEYS


def _kind(word: _Word, names: Names) -> str:
    """ "negation", "number" (a unit counts), "name" or ""."""
    if word.key in _NEGATIONS or _KOREAN_NEGATION.search(word.text):
        return "negation"
    if _is_number(word.text, word.key) or word.after_number:
        return "number"
    if _is_name(word, names):
        return "name"
    return ""


def _is_name(word: _Word, names: Names) -> bool:
    token = word.text
    if any(c.isupper() for c in token[1:]):
        return True
    if token[:1].isupper():
        return not word.starts or not names.written_lower(token)
    if _HANGUL.match(token):
        stem = _PARTICLES.sub("", token)
        if len(stem) == 3 and stem[0] in _SURNAMES:
            return True
        return _PARTICLES.sub("", word.follows) in _TITLES or names.before_title(stem)
    return False
