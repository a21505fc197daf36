"""``digest new commentary SLUG``: a commentary file to start from."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from generator.content import markdown
from generator.content.model import Article

# The last line is the placeholder commentary.PLACEHOLDER recognises: never published.
TEMPLATE = """\
---
by: {editor}
created: {today}
# One line for lists, feeds and the top of the article.
why_it_matters: ""
notes:
  # Each note points at exact words of the article with 'quote'. Add 'prefix' (the words
  # just before) only if the quote occurs more than once. For a long passage, use
  # 'from' (its first words) and 'to' (its last words) instead of 'quote'.
  # motivation: commenting, questioning, assessing, describing, linking, highlighting
  # or correcting.
  #
  # - quote: {quote}
  #   motivation: commenting
  #   note: What the reader should know about these words.
---

Your overall note on "{title}" goes here, in Markdown.
"""


def commentary_text(article: Article, editor: str, today: dt.date) -> str:
    """The text of a new commentary file for ``article``."""
    first = next(iter(markdown.convert(article.body).paragraphs), "")
    words = " ".join(first.split()[:6]) or "exact words of the article"
    return TEMPLATE.format(
        editor=json.dumps(editor, ensure_ascii=False),
        today=today.isoformat(),
        quote=json.dumps(words, ensure_ascii=False),
        title=article.title,
    )


def commentary_path(root: Path, slug: str) -> Path:
    """Where the commentary of ``slug`` lives."""
    return root / "content" / "commentary" / f"{slug}.md"
