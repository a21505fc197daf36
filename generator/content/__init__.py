"""Content: the editor's files into the typed model.

In: ``site.yaml``, ``content/articles/*.md``, ``content/topics.yaml`` and
``content/commentary/*.md``.  Out: a :class:`SiteConfig`, a :class:`Content` (articles and
topics) and :class:`Commentary` values, every bad file reported as a Diagnostic with its
line and column.  Also the rules every stage shares about content: the slug rule, the one
CommonMark parser (``markdown``) and the scaffolds of new files.
"""

from generator.content import markdown
from generator.content.commentary import load_commentary
from generator.content.config import SiteConfig, load_config, with_base_url
from generator.content.frontmatter import normalize_newlines
from generator.content.load import (
    ArticleCache,
    Content,
    Loaded,
    article_files,
    load_article,
    load_content,
    load_topics,
)
from generator.content.model import (
    ARTICLE_KEYS,
    Article,
    Commentary,
    Image,
    Motivation,
    Note,
    Reproduce,
    SeedRef,
    Tag,
    Topic,
)
from generator.content.scaffold import commentary_path, commentary_text
from generator.content.slugs import is_safe_slug, slugify

__all__ = [
    "ARTICLE_KEYS",
    "Article",
    "ArticleCache",
    "Commentary",
    "Content",
    "Image",
    "Loaded",
    "Motivation",
    "Note",
    "Reproduce",
    "SeedRef",
    "SiteConfig",
    "Tag",
    "Topic",
    "article_files",
    "commentary_path",
    "commentary_text",
    "is_safe_slug",
    "load_article",
    "load_commentary",
    "load_config",
    "load_content",
    "load_topics",
    "markdown",
    "normalize_newlines",
    "slugify",
    "with_base_url",
]
