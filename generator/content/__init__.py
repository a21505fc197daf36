"""Content: the editor's files into the typed model.

In: ``site.yaml``, ``content/articles/*.md``, ``content/topics.yaml`` and
``content/commentary/*.md``.  Out: a :class:`SiteConfig`, a :class:`Content` (articles and
topics) and :class:`Commentary` values, every bad file reported as a Diagnostic with its
line and column.  Also the rules every stage shares about content: the slug rule, the one
CommonMark parser (``markdown``) and the scaffolds of new files and new sites.
"""

from generator.content import markdown
from generator.content.aliases import ALIAS_HINT, ALIAS_MESSAGE, first_alias
from generator.content.commentary import CommentaryCache, load_commentary
from generator.content.config import SiteConfig, load_config, with_base_url
from generator.content.load import (
    ArticleCache,
    Content,
    Loaded,
    article_files,
    load_article,
    load_content,
    load_topics,
    topics_path,
    unknown_topic_hint,
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
from generator.content.newsite import FolderNotEmpty, NewSite, new_site
from generator.content.paths import check_site_links, inside, link_problem
from generator.content.plaintext import normalize_newlines
from generator.content.scaffold import commentary_path, commentary_text
from generator.content.slugs import is_safe_slug, slug_problem, slugify, spelling_key
from generator.content.weburl import is_http_url, split_url

__all__ = [
    "ALIAS_HINT",
    "ALIAS_MESSAGE",
    "ARTICLE_KEYS",
    "Article",
    "ArticleCache",
    "Commentary",
    "CommentaryCache",
    "Content",
    "FolderNotEmpty",
    "Image",
    "Loaded",
    "Motivation",
    "NewSite",
    "Note",
    "Reproduce",
    "SeedRef",
    "SiteConfig",
    "Tag",
    "Topic",
    "article_files",
    "check_site_links",
    "commentary_path",
    "commentary_text",
    "first_alias",
    "inside",
    "is_http_url",
    "is_safe_slug",
    "link_problem",
    "load_article",
    "load_commentary",
    "load_config",
    "load_content",
    "load_topics",
    "markdown",
    "new_site",
    "normalize_newlines",
    "slug_problem",
    "slugify",
    "spelling_key",
    "split_url",
    "topics_path",
    "unknown_topic_hint",
    "with_base_url",
]
