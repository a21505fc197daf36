"""Words for diagnostics: tokens (a CJK character is a word of its own) and word diffs."""

from __future__ import annotations

import difflib
import re

from generator.annotations.anchoring.normalize import normalize_text

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_CJK = CJK  # scripts written without spaces: each character is a word
WORD = re.compile(f"[{_CJK}]|[^\\s{_CJK}]+")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_TOKEN = re.compile(f"(?:[{_CJK}]|[^\\s{_CJK}]+)\\s*")


def is_cjk(char: str) -> bool:
    """True for a Chinese or Japanese character (scripts written without spaces)."""
    return _CJK_CHAR.match(char) is not None


def word_diff(old: str, new: str) -> str:
    """A word diff of ``old`` to ``new``: ``[-removed-]{+added+}``, equal words from ``new``.

    Words compare after matching normalisation, so a curly quote is not a change.
    """
    old_tokens, new_tokens = _TOKEN.findall(old.strip()), _TOKEN.findall(new.strip())
    matcher = difflib.SequenceMatcher(
        None,
        [normalize_text(t) for t in old_tokens],
        [normalize_text(t) for t in new_tokens],
        autojunk=False,
    )
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append("".join(new_tokens[j1:j2]))
            continue
        removed, added = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        trailing = _trailing(added or removed)
        if removed.strip():
            parts.append(f"[-{removed.strip()}-]")
        if added.strip():
            parts.append(f"{{+{added.strip()}+}}")
        parts.append(trailing)
    return "".join(parts).strip()


def _trailing(text: str) -> str:
    return text[len(text.rstrip()) :]
