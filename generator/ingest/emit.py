"""Write and update ``content/articles/<slug>.md`` from an :class:`Extraction`."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from generator.content import ARTICLE_KEYS, is_safe_slug, slugify, split_url
from generator.ingest.errors import IngestError
from generator.ingest.result import Extraction

KEY_ORDER = tuple(key for key in ARTICLE_KEYS if key != "slug")
_MAX_SUFFIX = 999


class _Dumper(yaml.SafeDumper):
    """Safe dumper that writes repeated values out instead of as YAML aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def front_matter(
    extraction: Extraction,
    *,
    seed_path: str | None,
    tags: Sequence[str] = (),
    topics: Sequence[str] = (),
    today: dt.date,
) -> dict[str, Any]:
    """The front matter keys for a new article, in order, only those with a value."""
    values: dict[str, Any] = {
        "title": extraction.title or _fallback_title(extraction),
        "date": today,
        "outlet": extraction.outlet or _host(extraction.source_url) or "Unknown outlet",
        "source_url": extraction.source_url,
        "authors": list(extraction.authors),
        "published": extraction.published,
        "retrieved": today,
        "tags": list(tags),
        "topics": list(topics),
        "images": [_image(i.caption, i.credit) for i in extraction.images],
        "seed": {"path": seed_path, "sha256": extraction.sha256} if seed_path else None,
    }
    return {k: v for k, v in values.items() if v not in (None, "", [], {})}


def render_article(meta: dict[str, Any], body: str) -> str:
    """``---`` YAML ``---``, a blank line, the body ending with one newline."""
    ordered = {k: meta[k] for k in KEY_ORDER if k in meta}
    ordered.update({k: v for k, v in meta.items() if k not in ordered})
    text = yaml.dump(ordered, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{text}---\n\n{body.strip()}\n"


def write_article(
    extraction: Extraction,
    articles_dir: Path,
    *,
    seed_path: str | None,
    tags: Sequence[str] = (),
    topics: Sequence[str] = (),
    today: dt.date,
) -> Path:
    """Create ``<slug>.md`` (or ``<slug>-2.md``...); never overwrites a file."""
    existing = seed_hashes(articles_dir).get(extraction.sha256)
    if existing is not None:
        raise IngestError.make(
            extraction.source,
            "ingest-exists",
            f"this page was already ingested as {existing}",
            f"use `digest ingest --update {existing.stem}` to re-extract it",
        )
    meta = front_matter(extraction, seed_path=seed_path, tags=tags, topics=topics, today=today)
    text = render_article(meta, extraction.body)
    slug = _slug(extraction, str(meta["title"]))
    articles_dir.mkdir(parents=True, exist_ok=True)
    for number in range(1, _MAX_SUFFIX + 1):
        path = articles_dir / (f"{slug}.md" if number == 1 else f"{slug}-{number}.md")
        try:
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except FileExistsError:
            continue
        return path
    raise IngestError.make(
        extraction.source,
        "ingest-exists",
        f"too many articles named {slug}",
        "rename or remove some of them",
    )


def update_article(path: Path, extraction: Extraction, *, write: bool = True) -> tuple[str, str]:
    """Re-extract an article's body, keeping every front matter key already in the file.

    Keys missing from the file are filled from ``extraction``; the seed's sha256
    is refreshed.  Returns ``(old_text, new_text)``; writes the file unless
    ``write`` is false or nothing changed.
    """
    old_text = _read(path)
    meta, _body = split_front_matter(old_text, str(path))
    date = meta.get("date")
    today = date if isinstance(date, dt.date) else dt.date.today()
    fresh = front_matter(extraction, seed_path=None, today=today)
    merged = {**fresh, **meta}
    seed = meta.get("seed")
    if isinstance(seed, dict) and seed.get("path"):
        merged["seed"] = {**seed, "sha256": extraction.sha256}
    new_text = render_article(merged, extraction.body)
    if write and new_text != old_text:
        _replace(path, new_text)
    return old_text, new_text


def seed_hashes(articles_dir: Path) -> dict[str, Path]:
    """``sha256 -> article path`` for every article whose front matter records a seed."""
    found: dict[str, Path] = {}
    if not articles_dir.is_dir():
        return found
    for path in sorted(articles_dir.rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        # Read as text, not YAML: an article whose front matter an editor has just
        # broken still claims its seed, so the seed is never ingested a second time.
        for match in _SEED_HASH.finditer(text.split("\n---", 1)[0]):
            found.setdefault(match.group(1), path)
    return found


_SEED_HASH = re.compile(r"^\s*sha256:\s*['\"]?([0-9a-f]{64})\b", re.MULTILINE)


def split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    """``(front matter, body)`` of an article file, or raise :class:`IngestError`."""
    if not text.startswith("---"):
        raise _bad_file(source, "the file has no front matter")
    head, sep, body = text[3:].partition("\n---")
    if not sep:
        raise _bad_file(source, "the front matter is not closed by ---")
    try:
        meta = yaml.safe_load(head)
    except yaml.YAMLError as error:
        raise _bad_file(source, f"the front matter is not valid YAML: {error}") from None
    if not isinstance(meta, dict):
        raise _bad_file(source, "the front matter is not a mapping")
    return meta, body.partition("\n")[2].lstrip("\n")


def _bad_file(source: str, message: str) -> IngestError:
    return IngestError.make(source, "ingest-bad-article", message, "fix the file by hand first")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise IngestError.make(
            str(path), "ingest-unreadable", f"cannot read the article: {error}", "check the path"
        ) from None


def _replace(path: Path, text: str) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _slug(extraction: Extraction, title: str) -> str:
    parts = split_url(extraction.source)
    stem = Path(parts.path).stem if parts is not None else ""
    for candidate in (slugify(title), slugify(stem)):
        if is_safe_slug(candidate):
            return candidate
    return "article-" + extraction.sha256[:12]


def _host(url: str) -> str:
    parts = split_url(url)
    host = (parts.hostname if parts is not None else None) or ""
    return host.removeprefix("www.")


def _fallback_title(extraction: Extraction) -> str:
    first = extraction.text.split("\n", 1)[0]
    words = first.split()
    return " ".join(words[:12]) + ("…" if len(words) > 12 else "")


def _image(caption: str, credit: str) -> dict[str, str]:
    return {"caption": caption, "credit": credit} if credit else {"caption": caption}
