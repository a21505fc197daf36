"""``check_links()`` on a tiny hand-written output folder, with the exact diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.publish.linkcheck import check_links

HOME = """<!doctype html>
<html><head>
<link rel="stylesheet" href="static/style.css">
<link rel="canonical" href="https://example.org/sub/">
<script src="static/missing.js"></script>
</head><body id="top">
<a href="articles/%ED%95%9C%EA%B5%AD/index.html#note-1">percent-encoded</a>
<a href="articles/한국/">raw Unicode, folder form</a>
<a href="/sub/tags/index.html#x">root-absolute under the base path</a>
<a href="/sub/tags/">root-absolute folder</a>
<a href="/elsewhere/index.html">outside the base path</a>
<a href="tags/index.html#nowhere">broken anchor</a>
<a href="#top">same page</a><a href="#">top</a><a href="?page=2">query</a>
<a href="mailto:x@example.org">mail</a><a href="https://example.org/a">web</a>
<a href="//cdn.example.org/x.js">protocol-relative</a>
<img src="data:image/png;base64,AAAA" alt="">
<img src="static/a.png" srcset="static/a.png 1x, static/b.png 2x" alt="">
<a href="../../etc/passwd">escape</a>
<a href="tags">folder without slash</a>
<a href="empty/">folder without index</a>
</body></html>
"""

ARTICLE = """<!doctype html>
<p><a name="legacy"></a><span id="note-1">note</span>
<a href="../../index.html#top">home</a>
<a href="../../index.html#legacy">wrong page for this name</a>
<a href="#legacy">this page's name</a>
<a href="../../tags/index.html#x">tag</a>
</p>
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    files = {
        "index.html": HOME,
        "articles/한국/index.html": ARTICLE,
        "tags/index.html": '<h1 id="x">Tags</h1>',
        "static/style.css": "",
        "static/a.png": "",
        "empty/readme.txt": "",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def formatted(output: Path, base_path: str) -> list[str]:
    return [d.format().split("\n")[0] for d in check_links(output, base_path)]


def test_exact_diagnostics(site: Path) -> None:
    assert formatted(site, "/sub/") == [
        "articles/한국/index.html:4:1: error[broken-anchor]: link '../../index.html#legacy':"
        " 'index.html' has no id 'legacy'",
        "index.html:5:1: error[broken-link]: link 'static/missing.js' points to"
        " 'static/missing.js', which does not exist",
        "index.html:11:1: error[broken-link]: link '/elsewhere/index.html' is outside"
        " the site's base path '/sub/'",
        "index.html:12:1: error[broken-anchor]: link 'tags/index.html#nowhere':"
        " 'tags/index.html' has no id 'nowhere'",
        "index.html:17:1: error[broken-link]: link 'static/b.png' points to"
        " 'static/b.png', which does not exist",
        "index.html:18:1: error[broken-link]: link '../../etc/passwd' leads outside"
        " the output folder",
        "index.html:20:1: error[broken-link]: link 'empty/' points to 'empty/',"
        " which has no index.html",
    ]


def test_every_diagnostic_has_a_hint(site: Path) -> None:
    assert all(d.hint for d in check_links(site, "/sub/"))


def test_base_path_is_normalised(site: Path) -> None:
    assert formatted(site, "sub") == formatted(site, "/sub/")


def test_root_absolute_links_against_the_wrong_base(site: Path) -> None:
    """Served at the root, '/sub/...' links point to a folder that does not exist."""
    broken = [line for line in formatted(site, "/") if "/sub/" in line]
    assert broken == [
        "index.html:9:1: error[broken-link]: link '/sub/tags/index.html#x' points to"
        " 'sub/tags/index.html', which does not exist",
        "index.html:10:1: error[broken-link]: link '/sub/tags/' points to 'sub/tags/',"
        " which does not exist",
    ]


def test_clean_site_has_nothing(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<a href="a.html#b">a</a>', encoding="utf-8")
    (tmp_path / "a.html").write_text('<p id="b"><a href="./">home</a></p>', encoding="utf-8")
    assert check_links(tmp_path) == ()
