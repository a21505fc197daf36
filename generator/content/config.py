"""``site.yaml``: the site's settings, validated into a frozen :class:`SiteConfig`."""

from __future__ import annotations

import datetime as dt
import urllib.parse
import zoneinfo
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from generator.content import frontmatter
from generator.content.model import Reproduce
from generator.content.paths import check_site_links
from generator.content.plaintext import normalize_newlines
from generator.content.weburl import is_http_url, split_url
from generator.diagnostics import Diagnostics, Location

CONFIG_FILE = "site.yaml"
KEYS = (
    "title",
    "description",
    "base_url",
    "language",
    "timezone",
    "editors",
    "per_page",
    "reproduce",
    "domain",
    "links",
)
LINK_STYLES = ("clean", "files")
DEFAULT_EDITORS = (("editor", "The Editors"),)


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Settings of one digest site; ``root`` is the site folder as the user named it."""

    root: Path
    title: str
    base_url: str
    description: str = ""
    language: str = "en"
    timezone: str = "UTC"
    editors: tuple[tuple[str, str], ...] = ()
    per_page: int = 20
    reproduce: Reproduce = Reproduce.FULL
    domain: str = ""
    file_links: bool = False

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``, e.g. ``/repo/`` for a project page."""
        return urllib.parse.urlsplit(self.base_url).path or "/"

    @property
    def content_dir(self) -> Path:
        """Where articles, commentary and topics live."""
        return self.root / "content"

    @property
    def layouts_dir(self) -> Path:
        """The site's own templates, which override the bundled ones."""
        return self.root / "layouts"

    @property
    def seeds_dir(self) -> Path:
        """Raw pages waiting to be (or already) ingested."""
        return self.root / "seeds"

    def today(self) -> dt.date:
        """Today's date in the site's time zone (for new files; builds never read it)."""
        return dt.datetime.now(zoneinfo.ZoneInfo(self.timezone)).date()

    def editor_name(self, editor_id: str) -> str:
        """The display name of an editor id (the id itself if unknown)."""
        return dict(self.editors).get(editor_id, editor_id)


def load_config(root: Path, diags: Diagnostics) -> SiteConfig | None:
    """Read ``root/site.yaml``; report every problem; ``None`` if unusable."""
    path = root / CONFIG_FILE
    shown = path.as_posix()
    if not path.is_file():
        diags.error(
            Location(shown),
            "config-missing",
            f"no {CONFIG_FILE} in {root}",
            "run digest in the site's folder, or pass --site DIR",
        )
        return None
    if not check_site_links(root, diags):
        return None
    text = frontmatter.read_text(path, shown, diags)
    if text is None:
        return None
    node = frontmatter.compose(shown, normalize_newlines(text), 1, diags)
    if node is None:
        return None
    fields = frontmatter.Fields(shown, node, 1, diags, KEYS, CONFIG_FILE)
    if not fields.ok:
        return None
    return _read(root, fields)


def _read(root: Path, fields: frontmatter.Fields) -> SiteConfig | None:
    title = fields.text("title", required=True)
    base_url = _base_url(fields)
    reproduce = fields.choice("reproduce", [r.value for r in Reproduce])
    links = fields.choice("links", LINK_STYLES)
    config = SiteConfig(
        root=root,
        title=title or "",
        base_url=base_url or "",
        description=fields.text("description") or "",
        language=fields.text("language") or "en",
        timezone=_timezone(fields),
        editors=_editors(fields),
        per_page=fields.integer("per_page", 20),
        reproduce=Reproduce(reproduce) if reproduce else Reproduce.FULL,
        domain=fields.text("domain") or "",
        file_links=links == "files",
    )
    return config if title is not None and base_url is not None else None


def _base_url(fields: frontmatter.Fields) -> str | None:
    value = fields.text("base_url", required=True)
    if value is None:
        return None
    normalized = normalize_base_url(value)
    if normalized is None:
        fields.diags.error(
            fields.loc(fields.nodes["base_url"]),
            "bad-url",
            f"'base_url' must be an absolute http(s) URL, got '{value}'",
            "write the home page's address, without '?', '#', a user name or spaces, "
            "as in base_url: https://user.github.io/repo/",
        )
    return normalized


def normalize_base_url(value: str) -> str | None:
    """``value`` ending with one slash, or ``None`` if it is not an absolute http(s) URL
    that pages can be appended to: no query or fragment, no user name, no spaces."""
    value = value.strip()
    parts = split_url(value)
    if not is_http_url(value) or parts is None or parts.username is not None:
        return None
    if any(c in "?#" or c.isspace() for c in value):
        return None
    return value.rstrip("/") + "/"


def with_base_url(config: SiteConfig, value: str, diags: Diagnostics) -> SiteConfig:
    """``config`` published at another address (``digest build --base-url``)."""
    normalized = normalize_base_url(value)
    if normalized is None:
        diags.error(
            Location("--base-url"),
            "bad-url",
            f"--base-url must be an absolute http(s) URL, got '{value}'",
            "give the home page's address, without '?', '#', a user name or spaces, "
            "as in --base-url https://user.github.io/repo/",
        )
        return config
    return replace(config, base_url=normalized)


def _timezone(fields: frontmatter.Fields) -> str:
    value = fields.text("timezone") or "UTC"
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        fields.diags.error(
            fields.loc(fields.nodes["timezone"]),
            "bad-value",
            f"unknown time zone '{value}'",
            "use an IANA name such as UTC, Europe/Paris or Asia/Seoul",
        )
        return "UTC"
    return value


def _editors(fields: frontmatter.Fields) -> tuple[tuple[str, str], ...]:
    node = fields.node("editors")
    if node is None:
        return DEFAULT_EDITORS
    if not isinstance(node, yaml.MappingNode):
        fields.diags.error(
            fields.loc(node),
            "type",
            f"'editors' must map editor ids to names, got {frontmatter.kind_of(node)}",
            "write one 'id: Full Name' per line under 'editors:'",
        )
        return ()
    editors = []
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key in seen:
            fields.diags.error(
                fields.loc(key_node),
                "duplicate-key",
                f"key '{key}' appears twice (first on line {seen[key]})",
                "keep one of the two",
            )
            continue
        seen[key] = fields.loc(key_node).line
        name = fields.text_of(f"editors.{key_node.value}", value_node)
        if name:
            editors.append((str(key_node.value), name))
    return tuple(sorted(editors))
