"""Tiny Markdown writer for extracted bodies: paragraphs, subheads, list items, quotes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_NEEDS_ESCAPE = re.compile(r"^(?:[#>+*=-]|\d+[.)]\s)")


@dataclass(frozen=True, slots=True)
class Block:
    """One body block: ``kind`` is para, head, item, quote or table.

    A table's ``text`` holds rows separated by newlines and cells by tabs.
    """

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
        elif block.kind == "table":
            line = table(row.split("\t") for row in block.text.split("\n"))
        else:
            line = text
        if out:
            out.append("\n" if block.kind == previous == "item" else "\n\n")
        out.append(line)
        previous = block.kind
    return "".join(out)


def table(rows: Iterable[list[str]]) -> str:
    """A GFM pipe table; the first row is the header, short rows are padded."""
    grid = [[" ".join(cell.split()).replace("|", "\\|") for cell in row] for row in rows]
    width = max((len(row) for row in grid), default=0)
    grid = [row + [""] * (width - len(row)) for row in grid]
    lines = ["| " + " | ".join(row) + " |" for row in grid]
    lines.insert(1, "|" + "---|" * width)
    return "\n".join(lines)


def plain(blocks: Iterable[Block]) -> str:
    """The body as plain text, one block per line (a table row per line, cells spaced)."""
    return "\n".join(block.text.replace("\t", " ") for block in blocks)


def _escape(text: str) -> str:
    return "\\" + text if _NEEDS_ESCAPE.match(text) else text
