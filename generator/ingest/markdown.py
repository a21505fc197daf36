"""Tiny Markdown writer for extracted bodies: paragraphs, subheads, list items, quotes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_NEEDS_ESCAPE = re.compile(r"^(?:[#>+*=-]|\d+[.)]\s)")


@dataclass(frozen=True, slots=True)
class Block:
    """One body block: ``kind`` is para, head, item or quote."""

    kind: str
    text: str


def render(blocks: Iterable[Block]) -> str:
    """Markdown: blocks separated by blank lines, consecutive list items kept together."""
    out: list[str] = []
    previous = ""
    for block in blocks:
        text = _escape(block.text)
        if block.kind == "item":
            line = f"- {block.text}"
        elif block.kind == "head":
            line = f"## {block.text}"
        elif block.kind == "quote":
            line = f"> {text}"
        else:
            line = text
        if out:
            out.append("\n" if block.kind == previous == "item" else "\n\n")
        out.append(line)
        previous = block.kind
    return "".join(out)


def plain(blocks: Iterable[Block]) -> str:
    """The body as plain text, one block per line."""
    return "\n".join(block.text for block in blocks)


def _escape(text: str) -> str:
    return "\\" + text if _NEEDS_ESCAPE.match(text) else text
