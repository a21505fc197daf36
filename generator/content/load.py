"""Stage 1: ``content/`` into typed Articles and Topics.

Every file is read and every problem in every file is reported before the
stage fails, so one run shows the editor all there is to fix.
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.content import frontmatter, paths
from generator.content.frontmatter import read_text
from generator.content.model import ARTICLE_KEYS, Article, Image, Reproduce, SeedRef, Topic
from generator.content.slugs import folder_key, is_safe_id, slug_problem, slugify
from generator.content.weburl import is_http_url
from generator.diagnostics import Diagnostic, Diagnostics, Location, did_you_mean

TOPIC_KEYS = ("slug", "title", "description")
IMAGE_KEYS = ("caption", "credit", "src")
SEED_KEYS = ("path", "sha256", "body_sha256")


@dataclass(frozen=True, slots=True)
class Content:
    """Everything loaded from ``content/``, articles sorted by source path."""

    articles: tuple[Article, ...]
    topics: tuple[Topic, ...]
    key_lines: Mapping[str, Mapping[str, int]]
    failed: tuple[str, ...] = ()
    topics_file: bool = True  # whether content/topics.yaml exists

    def line_of(self, article: Article, key: str) -> int:
        """The line of ``key`` in ``article``'s front matter (1 when absent)."""
        return self.key_lines.get(article.source, {}).get(key, 1)


Loaded = tuple[Article, tuple[tuple[str, int], ...]] | None


class ArticleCache:
    """Parsed article files by path, reused while a file's size and mtime are unchanged.

    A long-running ``digest serve`` keeps one, so an edit re-reads one file, not all.
    """

    def __init__(self) -> None:
        self._items: dict[str, tuple[tuple[int, int], Loaded, tuple[Diagnostic, ...]]] = {}

    def load(self, root: Path, path: str, diags: Diagnostics) -> Loaded:
        """Load ``path`` (or reuse the last result), recording its diagnostics."""
        info = os.stat(path)
        stamp = (info.st_mtime_ns, info.st_size)
        cached = self._items.get(path)
        if cached is None or cached[0] != stamp:
            own = Diagnostics()
            cached = (stamp, load_article(root, Path(path), own), tuple(own.items))
            self._items[path] = cached
        if cached[2]:
            diags.extend(cached[2])
        return cached[1]


def load_content(
    root: Path,
    diags: Diagnostics,
    cache: ArticleCache | None = None,
    paths: list[str] | None = None,
) -> Content:
    """Load all articles under ``root/content/articles`` (or ``paths``) and ``topics.yaml``."""
    topics = load_topics(root, diags)
    files = cache or ArticleCache()
    found = paths if paths is not None else article_files(root)
    loaded = [files.load(root, path, diags) for path in found]
    articles = [item for item in loaded if item is not None]
    failed = tuple(path for path, item in zip(found, loaded, strict=True) if item is None)
    _check_unique_slugs([a for a, _ in articles], diags)
    return Content(
        articles=tuple(a for a, _ in articles),
        topics=topics,
        key_lines={a.source: dict(lines) for a, lines in articles},
        failed=failed,
        topics_file=topics_path(root).is_file(),
    )


def article_files(root: Path) -> list[str]:
    """Every article file, as a path string, in a stable order."""
    return content_files(root, root / "content" / "articles")


def content_files(root: Path, folder: Path) -> list[str]:
    """Every ``.md`` file under ``folder`` that is a regular file inside the site.

    Folder links are not followed; a file link counts only if it stays in the site.
    Hidden files and folders (names starting with a dot, such as macOS ``._x.md``
    copies or an editor's backup) are skipped.  One ``scandir`` per folder: a plain file
    costs no ``stat`` (10,000 articles are listed on every preview rebuild).
    """
    if not folder.is_dir() or not inside(str(folder), root, want_file=False):
        return []
    found: list[str] = []
    pending = [str(folder)]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif entry.name.endswith(".md") and _regular_or_inside(entry, root):
                    found.append(entry.path)
    return sorted(found)


def _regular_or_inside(entry: os.DirEntry[str], root: Path) -> bool:
    if entry.is_symlink():
        return inside(entry.path, root)
    return entry.is_file(follow_symlinks=False)


def inside(path: str, root: Path, want_file: bool = True) -> bool:
    """Whether ``path`` (following links) stays inside ``root`` and is a file (or folder)."""
    kind_ok = os.path.isfile(path) if want_file else os.path.isdir(path)
    return kind_ok and paths.inside(path, root)


def shown_path(path: Path) -> str:
    """A path as the user named it (the site folder they gave, then the file), with slashes."""
    return path.as_posix()


def load_article(root: Path, path: Path, diags: Diagnostics) -> Loaded:
    """Load one article file; ``None`` (with diagnostics) when it is unusable."""
    shown = shown_path(path)
    text = read_text(path, shown, diags)
    doc = frontmatter.split(shown, text, diags) if text is not None else None
    if doc is None:
        return None
    node = frontmatter.compose(shown, doc.yaml_text, doc.yaml_line, diags)
    if node is None:
        return None
    fields = frontmatter.Fields(shown, node, doc.yaml_line, diags, ARTICLE_KEYS)
    if not fields.ok:
        return None
    article = _article(fields, path, doc)
    lines = tuple((key, fields.line(key)) for key in fields.key_nodes)
    return (article, lines) if article is not None else None


def _article(fields: frontmatter.Fields, path: Path, doc: frontmatter.Document) -> Article | None:
    title = fields.text("title", required=True)
    date = fields.date("date", required=True)
    outlet = fields.text("outlet", required=True)
    slug = _slug(fields, path)
    reproduce = fields.choice("reproduce", [r.value for r in Reproduce])
    article = Article(
        slug=slug or "",
        source=doc.path,
        title=title or "",
        date=date or dt.date.min,
        outlet=outlet or "",
        body=doc.body,
        body_line=doc.body_line,
        source_url=_url(fields, "source_url"),
        authors=fields.text_list("authors"),
        published=fields.date("published"),
        retrieved=fields.date("retrieved"),
        tags=fields.text_list("tags"),
        topics=fields.text_list("topics"),
        summary=fields.text("summary") or "",
        images=_images(fields),
        seed=_seed(fields),
        reproduce=Reproduce(reproduce) if reproduce else None,
        times=_times(fields),
    )
    if slug is None or title is None or date is None or outlet is None:
        return None
    return article


def _times(fields: frontmatter.Fields) -> tuple[tuple[str, dt.datetime], ...]:
    """Each date written with a time of day (already checked by ``fields.date``)."""
    found = ((key, fields.timestamp(key)) for key in ("date", "published", "retrieved"))
    return tuple((key, moment) for key, moment in found if moment is not None)


def _slug(fields: frontmatter.Fields, path: Path) -> str | None:
    given = fields.text("slug")
    slug = unicodedata.normalize("NFC", given if given is not None else path.stem)
    problem = slug_problem(slug)
    if not problem:
        return slug
    node = fields.nodes.get("slug")
    where = fields.loc(node) if node is not None else Location(fields.path)
    suggestion = slugify(slug) or "my-article"
    source = "'slug'" if given is not None else "the file name"
    diags = fields.diags
    diags.error(
        where,
        "bad-slug",
        f"{source} gives the slug '{slug}', which {problem}",
        f"{_slug_advice(slug)}, e.g. '{suggestion}'",
    )
    return None


def _slug_advice(slug: str) -> str:
    return "use letters, digits and hyphens only" if not is_safe_id(slug) else "choose another"


def _url(fields: frontmatter.Fields, key: str) -> str:
    value = fields.text(key)
    if not value:
        return ""
    if is_http_url(value):
        return value
    fields.diags.error(
        fields.loc(fields.nodes[key]),
        "bad-url",
        f"'{key}' must be an absolute http(s) URL, got '{value}'",
        "copy the address of the original article from the browser",
    )
    return ""


def _images(fields: frontmatter.Fields) -> tuple[Image, ...]:
    images = []
    for node in fields.items("images"):
        item = fields.sub(node, IMAGE_KEYS, "an image")
        if item is None:
            continue
        caption = item.text("caption", required=True)
        if caption is not None:
            images.append(Image(caption, item.text("credit") or "", _image_src(item)))
    return tuple(images)


def _image_src(item: frontmatter.Fields) -> str:
    value = item.text("src") or ""
    if value and not is_http_url(value):
        item.diags.error(
            item.loc(item.nodes["src"]),
            "bad-url",
            f"an image 'src' must be an absolute http(s) URL, got '{value}'",
            "link the image on the original site, or leave 'src' out",
        )
        return ""
    return value


def _seed(fields: frontmatter.Fields) -> SeedRef | None:
    seed = fields.mapping("seed", SEED_KEYS)
    if seed is None:
        return None
    path, sha = seed.text("path", required=True), seed.text("sha256", required=True)
    body_sha = seed.text("body_sha256") or ""
    return SeedRef(path, sha, body_sha) if path and sha else None


def _check_unique_slugs(articles: Iterable[Article], diags: Diagnostics) -> None:
    seen: dict[str, Article] = {}
    for article in articles:
        key = folder_key(article.slug)
        first = seen.setdefault(key, article)
        if first is not article:
            diags.error(
                Location(article.source),
                "duplicate-slug",
                f"slug '{article.slug}' is already used by {first.source}",
                "rename one of the files, or give one a different 'slug:'",
            )


def topics_path(root: Path) -> Path:
    """Where the controlled topic list lives."""
    return root / "content" / "topics.yaml"


def unknown_topic_hint(name: str, known: Iterable[str], topics_file: bool) -> str:
    """How to fix an article or command naming the topic ``name``, which is not listed."""
    if not topics_file:
        return (
            f"there is no content/topics.yaml: create it with '- slug: {name}' and "
            "'title: ...' under it, or leave the topic out"
        )
    choice = did_you_mean(name, known)
    if not choice:
        return "list it in content/topics.yaml, or remove it from the article"
    end = "" if choice.endswith("?") else "."
    return f"{choice}{end} Topics are defined in content/topics.yaml."


def load_topics(root: Path, diags: Diagnostics) -> tuple[Topic, ...]:
    """Read the controlled topic list, ``content/topics.yaml`` (optional)."""
    path = topics_path(root)
    shown = shown_path(path)
    text = read_text(path, shown, diags) if path.is_file() else None
    node = frontmatter.compose(shown, text, 1, diags) if text else None
    if node is None or (isinstance(node, yaml.MappingNode) and not node.value):
        return ()
    if not isinstance(node, yaml.SequenceNode):
        diags.error(
            Location(shown, 1, 1),
            "type",
            f"the topic list must be a list of topics, got {frontmatter.kind_of(node)}",
            "write each topic as '- slug: ...' with 'title:' and 'description:' under it",
        )
        return ()
    topics = (_topic(shown, item, diags) for item in node.value)
    return _unique_topics([t for t in topics if t is not None], shown, diags)


def _topic(shown: str, node: yaml.Node, diags: Diagnostics) -> tuple[Topic, int] | None:
    fields = frontmatter.Fields(shown, node, 1, diags, TOPIC_KEYS, "a topic")
    slug = fields.text("slug", required=True) if fields.ok else None
    title = fields.text("title", required=True) if fields.ok else None
    if slug is None or title is None:
        return None
    problem = slug_problem(slug)
    if problem:
        diags.error(
            fields.loc(fields.nodes["slug"]),
            "bad-slug",
            f"topic slug '{slug}' {problem}",
            f"{_slug_advice(slug)}, e.g. '{slugify(slug) or 'my-topic'}'",
        )
        return None
    return Topic(slug, title, fields.text("description") or ""), fields.line("slug")


def _unique_topics(
    topics: list[tuple[Topic, int]], shown: str, diags: Diagnostics
) -> tuple[Topic, ...]:
    seen: dict[str, int] = {}
    unique = []
    for topic, line in topics:
        key = folder_key(topic.slug)  # 'AI' and 'ai' would share a folder on some systems
        if key in seen:
            diags.error(
                Location(shown, line, 1),
                "duplicate-topic",
                f"topic '{topic.slug}' is already defined on line {seen[key]}",
                "keep one definition per topic",
            )
            continue
        seen[key] = line
        unique.append(topic)
    return tuple(unique)
