"""The only module that knows where pages live and how links between them are written.

A *route* is a page's place in the site: ``""`` for the home page,
``"articles/<slug>/"`` for a folder page (written as ``index.html`` inside it)
or a file name such as ``"404.html"``.  Links between pages are page-relative,
so the site works under any path prefix.  They end at the folder
(``../../tags/x/``), as readers share and bookmark them on a web server, or,
with ``links: files`` in ``site.yaml``, name ``index.html`` explicitly so that
the site also works when opened from disk.  Absolute URLs (canonical, feeds,
sitemap) come from ``base_url`` and always use the folder form.
"""

from __future__ import annotations

import functools
import urllib.parse
from pathlib import PurePosixPath

INDEX = "index.html"


def home(page: int = 1) -> str:
    """The digest home page, or one of its later pages."""
    return _paged("", page)


def article(slug: str) -> str:
    """An article page."""
    return f"articles/{slug}/"


def annotation_page(slug: str) -> str:
    """An article's notes as a W3C Web Annotation page (JSON-LD)."""
    return f"articles/{slug}/annotations.jsonld"


def tags_index() -> str:
    """The list of all tags."""
    return "tags/"


def tag(slug: str, page: int = 1) -> str:
    """One tag's list of articles."""
    return _paged(f"tags/{slug}/", page)


def topics_index() -> str:
    """The list of all topics."""
    return "topics/"


def topic(slug: str, page: int = 1) -> str:
    """One topic's list of articles."""
    return _paged(f"topics/{slug}/", page)


def archive() -> str:
    """The archive by month."""
    return "archive/"


def search() -> str:
    """The search page."""
    return "search/"


def root(from_route: str) -> str:
    """A page-relative link to the site's root folder (``../../`` or ``./``)."""
    return "../" * output_file(from_route).count("/") or "./"


def not_found() -> str:
    """The page GitHub Pages serves for a missing path."""
    return "404.html"


def feed(base: str = "") -> str:
    """The Atom feed of a list: the site's (``""``), a tag's or a topic's folder."""
    return f"{base}feed.xml"


def static(name: str) -> str:
    """A static asset such as a stylesheet."""
    return f"static/{name}"


def _paged(route: str, page: int) -> str:
    return route if page == 1 else f"{route}page/{page}/"


@functools.lru_cache(maxsize=65536)
def output_path(route: str) -> PurePosixPath:
    """The file a route is written to, relative to the output folder."""
    return PurePosixPath(output_file(route))


def output_file(route: str) -> str:
    """The file a route is written to, as a relative path string."""
    return route + INDEX if route == "" or route.endswith("/") else route


@functools.lru_cache(maxsize=65536)
def _from_root(route: str, files: bool) -> str:
    return urllib.parse.quote(output_file(route) if files else route, safe="/")


def href(from_route: str, to_route: str, fragment: str = "", *, files: bool = False) -> str:
    """A page-relative link from one page to another (or to a place in it).

    The link climbs to the site's root, then descends: ``../../tags/x/``, or with
    ``files``, ``../../tags/x/index.html``.  A link to the page's own root is ``./``.
    """
    link = climb(depth(from_route), files, to_route)
    return f"{link}#{urllib.parse.quote(fragment)}" if fragment else link


def depth(route: str) -> int:
    """How many folders down the page at ``route`` is written (``""``: 0)."""
    return output_file(route).count("/")


@functools.lru_cache(maxsize=65536)
def climb(depth: int, files: bool, to_route: str) -> str:
    """:func:`href` from any page ``depth`` folders down (the same for all of them)."""
    return "../" * depth + _from_root(to_route, files) or "./"


@functools.lru_cache(maxsize=1024)  # a page names its own URL three times (canonical, og, JSON-LD)
def absolute(base_url: str, route: str) -> str:
    """The public URL of a route, e.g. for ``<link rel=canonical>`` and feeds."""
    return base_url + urllib.parse.quote(route, safe="/")


def site_absolute_path(base_path: str, route: str, *, files: bool = False) -> str:
    """A link from the site's root path; for pages served at any URL, like 404.html."""
    return base_path + _from_root(route, files)
