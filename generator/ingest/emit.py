"""Write ``content/articles/<slug>.md`` from an :class:`Extraction` (never over a file)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
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
        "seed": _seed(seed_path, extraction),
    }
    return {k: v for k, v in values.items() if v not in (None, "", [], {})}


def body_sha256(body: str) -> str:
    """Hex SHA-256 of an article body as ingest records it in ``seed.body_sha256``.

    The body is hashed as UTF-8 after turning CRLF and CR line ends into LF and
    stripping white space around it, so a file an editor's tools saved with CRLF
    (or with a byte-order mark, which sits before the front matter) still has
    the hash ingest recorded as long as its words are the same.
    """
    plain = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def _seed(seed_path: str | None, extraction: Extraction) -> dict[str, str] | None:
    if not seed_path:
        return None
    body = body_sha256(extraction.body)
    return {"path": seed_path, "sha256": extraction.sha256, "body_sha256": body}


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
        except OSError as error:
            raise IngestError.make(
                extraction.source,
                "ingest-unwritable",
                f"cannot write {path.name}: {error.strerror or error}",
                "check that content/articles/ is a folder you can write to",
            ) from None
        return path
    raise IngestError.make(
        extraction.source,
        "ingest-exists",
        f"too many articles named {slug}",
        "rename or remove some of them",
    )


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
