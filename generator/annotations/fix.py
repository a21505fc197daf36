"""``digest anchors --fix``: rewrite stale quotes to the article's current words.

Only what the anchoring engine re-anchored under the re-anchoring rule (the new
words say the same thing) is rewritten: a quote found as a close match
(``anchor-fuzzy``) gets the article's exact words,
and stale ``prefix``/``suffix`` values (``anchor-context-changed``) get the
current context.  Each value is replaced in place, at the character range the
YAML parser reported, so the rest of the file (comments, order, other notes)
stays as it was.  Ambiguous and missing quotes are left for the editor.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.annotations.anchoring import Status
from generator.annotations.annotate import Annotations, PlacedNote
from generator.content import normalize_newlines


@dataclass(frozen=True, slots=True)
class Fix:
    """One value to rewrite in a commentary file."""

    path: str
    line: int
    key: str
    start: int
    end: int
    old: str
    new: str


def plan_fixes(annotations: dict[str, Annotations]) -> list[Fix]:
    """Every rewrite that would bring a re-anchored note up to date."""
    fixes: list[Fix] = []
    for slug in sorted(annotations):
        item = annotations[slug]
        for placed in item.notes:
            fixes.extend(note_fixes(item.commentary.source, placed))
    return fixes


def note_fixes(path: str, placed: PlacedNote) -> Iterator[Fix]:
    """The rewrites one note needs: none unless its re-anchor passed the rule."""
    note, found = placed.note, placed.anchor
    wanted: dict[str, str] = {}
    if found.status is Status.FUZZY and note.quote:
        wanted["quote"] = found.exact
    if found.status is Status.CONTEXT_CHANGED:
        wanted.update({"prefix": found.prefix, "suffix": found.suffix})
    current = {"quote": note.quote, "prefix": note.prefix, "suffix": note.suffix}
    for key, start, end in note.positions:
        if key in wanted and wanted[key] and wanted[key] != current.get(key):
            yield Fix(path, note.line, key, start, end, current.get(key, ""), wanted[key])


def apply_fixes(fixes: list[Fix]) -> list[str]:
    """Rewrite the files; return the paths changed."""
    by_path: dict[str, list[Fix]] = defaultdict(list)
    for fix in fixes:
        by_path[fix.path].append(fix)
    for path, edits in sorted(by_path.items()):
        file = Path(path)
        raw = file.read_bytes().decode("utf-8")
        text = normalize_newlines(raw)
        for fix in sorted(edits, key=lambda f: f.start, reverse=True):
            text = text[: fix.start] + _scalar(fix.new, text[fix.start : fix.end]) + text[fix.end :]
        if "\r\n" in raw:  # offsets count LF line ends; put the file's own back
            text = text.replace("\n", "\r\n")
        if raw.startswith("\ufeff"):
            text = "\ufeff" + text
        file.write_bytes(text.encode("utf-8"))
    return sorted(by_path)


def _scalar(value: str, replaced: str) -> str:
    """A double-quoted YAML scalar, keeping a line break the old value ended with."""
    quoted = json.dumps(value, ensure_ascii=False)
    return quoted + "\n" if replaced.endswith("\n") else quoted
