"""Serve a built site over HTTP under a path prefix and crawl it: no broken internal link.

The sample site and the example digest are each built with ``base_url`` at the
server's root and at ``/some/sub/path/``, served on 127.0.0.1 by a handler that
only answers under that prefix, and crawled from the home page (and the 404
page, which is served at any missing path).  Every internal ``a``, ``link``,
``img``, ``script`` and ``source`` URL is fetched once; every fragment must name
an id of its page.  ``check_links`` must agree that nothing is broken.
"""

from __future__ import annotations

import http.server
import re
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import build
from generator.publish.linkcheck import check_links
from tests.conftest import REPO, SAMPLE

SUBPATH = "/some/sub/path/"
LINKING = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src"}


class PageLinks(HTMLParser):
    """The URLs a page links to and the ids it defines."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.ids.add(str(values[key]))
        url = values.get(LINKING.get(tag, ""))
        if url:
            self.urls.append(url)


def handler_for(output: Path, prefix: str) -> type[http.server.SimpleHTTPRequestHandler]:
    """A static file handler for ``output`` that answers only under ``prefix``."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(output), **kwargs)  # type: ignore[arg-type]

        def translate_path(self, path: str) -> str:
            clean = urllib.parse.urlsplit(path).path
            if not clean.startswith(prefix):
                return str(output / ".outside-the-prefix")  # never exists: a 404
            return super().translate_path("/" + path[len(prefix) :])

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serving(root: Path, prefix: str) -> Iterator[tuple[str, Path]]:
    """A server for ``root/output`` under ``prefix``; yields its URL and the output folder."""
    output = root / "output"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_for(output, prefix))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}", output
    finally:
        server.shutdown()
        server.server_close()


def copy_site(source: Path, target: Path, base_url: str) -> Path:
    """The site's own files, copied, with ``base_url`` rewritten."""
    target.mkdir()
    for name in ("content", "layouts", "seeds"):
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
    text = (source / "site.yaml").read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^base_url:.*$", f"base_url: {base_url}", text)
    assert count == 1
    (target / "site.yaml").write_text(text, encoding="utf-8")
    return target


@dataclass
class Crawl:
    """Fetch every internal URL once; record what is broken and the fragments to check."""

    base: str
    pages: dict[str, set[str] | None] = field(default_factory=dict)
    fragments: list[tuple[str, str, str]] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)

    def run(self, *starts: str) -> None:
        queue = [(url, "(start)") for url in starts]
        while queue:
            url, referrer = queue.pop()
            if url not in self.pages:
                queue.extend(self.fetch(url, referrer))

    def fetch(self, url: str, referrer: str) -> list[tuple[str, str]]:
        self.pages[url] = None
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body = response.read()
                html = response.headers.get_content_type() == "text/html"
        except urllib.error.HTTPError as error:
            self.broken.append(f"{referrer} -> {url}: HTTP {error.code}")
            return []
        if not html:
            return []
        parser = PageLinks()
        parser.feed(body.decode("utf-8"))
        self.pages[url] = parser.ids
        return [(found, url) for found in self.internal(url, parser.urls)]

    def internal(self, page: str, urls: list[str]) -> Iterator[str]:
        host = urllib.parse.urlsplit(self.base).netloc
        for value in urls:
            absolute = urllib.parse.urljoin(page, value)
            parts = urllib.parse.urlsplit(absolute)
            if parts.scheme not in {"http", "https"} or parts.netloc != host:
                continue
            target = urllib.parse.urlunsplit(parts._replace(fragment=""))
            if not target.startswith(self.base):
                self.broken.append(f"{page} -> {value}: outside {self.base}")
                continue
            if parts.fragment:
                self.fragments.append((page, target, urllib.parse.unquote(parts.fragment)))
            yield target

    def broken_anchors(self) -> list[str]:
        return [
            f"{page} -> {target}#{fragment}: no such id"
            for page, target, fragment in self.fragments
            if self.pages.get(target) is not None and fragment not in (self.pages[target] or ())
        ]


SITES = {"sample": SAMPLE, "example": REPO}


@pytest.mark.parametrize("prefix", ["/", SUBPATH], ids=["root", "subpath"])
@pytest.mark.parametrize("name", sorted(SITES))
def test_crawl_finds_no_broken_internal_link(name: str, prefix: str, tmp_path: Path) -> None:
    with serving(tmp_path, prefix) as (base, output):
        site = copy_site(SITES[name], tmp_path / "site", base)
        build(site, output)
        crawl = Crawl(base)
        crawl.run(base, base + "404.html")
        assert crawl.broken + crawl.broken_anchors() == []
        assert len([ids for ids in crawl.pages.values() if ids is not None]) > 5
        assert [d.format() for d in check_links(output, prefix)] == []


def test_the_server_answers_only_under_its_prefix(tmp_path: Path) -> None:
    with serving(tmp_path, SUBPATH) as (base, output):
        output.mkdir()
        (output / "index.html").write_text("<p>home</p>", encoding="utf-8")
        with urllib.request.urlopen(base, timeout=10) as response:
            assert response.read() == b"<p>home</p>"
        outside = base.replace(SUBPATH, "/index.html")
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(outside, timeout=10)
        assert caught.value.code == 404


def test_the_crawl_reports_broken_links_and_anchors(tmp_path: Path) -> None:
    """The crawler itself is not vacuous: a missing page and a missing id are caught."""
    with serving(tmp_path, SUBPATH) as (base, output):
        output.mkdir()
        (output / "index.html").write_text(
            '<a href="a.html#here">ok</a> <a href="a.html#gone">anchor</a>'
            ' <a href="missing/">page</a> <a href="/elsewhere/">outside</a>'
            ' <a href="https://example.org/">external</a>',
            encoding="utf-8",
        )
        (output / "a.html").write_text('<p id="here">a</p>', encoding="utf-8")
        crawl = Crawl(base)
        crawl.run(base)
        assert sorted(crawl.broken + crawl.broken_anchors()) == [
            f"{base} -> /elsewhere/: outside {base}",
            f"{base} -> {base}a.html#gone: no such id",
            f"{base} -> {base}missing/: HTTP 404",
        ]
