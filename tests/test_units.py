"""Small pure pieces: slugs, links, front matter quirks."""

from __future__ import annotations

import io
import unicodedata

import pytest

from generator.cli.main import ProgressBar
from generator.content.frontmatter import Fields, compose
from generator.content.slugs import is_safe_id, is_safe_slug, slugify
from generator.diagnostics import Diagnostics
from generator.render import urls


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Café Society", "cafe-society"),
        ("인공지능", "인공지능"),
        ("Zoë Ørsted", "zoe-ørsted"),
        ("  AI -- Policy!! ", "ai-policy"),
        ("東京の鉄道", "東京の鉄道"),
        ("!!!", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize("slug", ["..", ".", "a/b", "", "-x", "a\\b"])
def test_unsafe_slugs(slug: str) -> None:
    assert not is_safe_slug(slug)


@pytest.mark.parametrize(
    ("start", "target", "link"),
    [
        ("", "articles/a/", "articles/a/"),
        ("", "", "./"),
        ("articles/a/", "", "../../"),
        ("tags/x/page/2/", "tags/x/", "../../../../tags/x/"),
        ("articles/a/", "static/style.css", "../../static/style.css"),
        ("404.html", "feed.xml", "feed.xml"),
        ("tags/", "tags/반도체/", "../tags/%EB%B0%98%EB%8F%84%EC%B2%B4/"),
    ],
)
def test_page_relative_links_end_at_the_folder(start: str, target: str, link: str) -> None:
    assert urls.href(start, target) == link


@pytest.mark.parametrize(
    ("start", "target", "link"),
    [
        ("", "articles/a/", "articles/a/index.html"),
        ("", "", "index.html"),
        ("articles/a/", "", "../../index.html"),
        ("tags/x/page/2/", "tags/x/", "../../../../tags/x/index.html"),
        ("articles/a/", "static/style.css", "../../static/style.css"),
        ("tags/", "tags/반도체/", "../tags/%EB%B0%98%EB%8F%84%EC%B2%B4/index.html"),
    ],
)
def test_file_links_name_index_html(start: str, target: str, link: str) -> None:
    assert urls.href(start, target, files=True) == link


def test_absolute_urls_use_the_clean_form() -> None:
    assert (
        urls.absolute("https://u.github.io/repo/", "tags/x/") == "https://u.github.io/repo/tags/x/"
    )
    assert urls.site_absolute_path("/repo/", "static/a.css") == "/repo/static/a.css"


def _fields(text: str, known: tuple[str, ...]) -> tuple[Fields, Diagnostics]:
    diags = Diagnostics()
    node = compose("f.md", text, 2, diags)
    assert node is not None
    return Fields("f.md", node, 2, diags, known), diags


def test_numbers_and_bare_dates_are_read_as_the_text_written() -> None:
    fields, diags = _fields("title: 1984\noutlet: 2024-05-01\n", ("title", "outlet"))
    assert fields.text("title") == "1984"
    assert fields.text("outlet") == "2024-05-01"
    assert not diags.items


def test_quoted_date_and_timestamp_are_dates() -> None:
    fields, diags = _fields('a: "2024-05-01"\nb: 2024-05-01T10:00:00Z\n', ("a", "b"))
    assert str(fields.date("a")) == "2024-05-01"
    assert str(fields.date("b")) == "2024-05-01"
    assert not diags.items


def test_yaml_is_never_constructed_into_objects() -> None:
    fields, diags = _fields("title: !!python/object/apply:os.system ['true']\n", ("title",))
    assert fields.text("title") is None
    assert [d.code for d in diags.items] == ["type"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_once_work_takes_long() -> None:
    terminal = _Terminal()
    bar = ProgressBar(terminal, delay=0.0)
    bar.update(5, 10)
    bar.finish()
    assert terminal.getvalue() == "\rRendering [###############---------------] 5/10\r\x1b[K"
    quiet = _Terminal()
    slow = ProgressBar(quiet, delay=60.0)
    slow.update(5, 10)
    slow.finish()
    assert quiet.getvalue() == ""
    piped = io.StringIO()
    ProgressBar(piped, delay=0.0).update(5, 10)
    assert piped.getvalue() == ""


def test_safe_ids_follow_one_rule_in_ascii_and_beyond() -> None:
    """Letters (with their marks), digits, ``_``, ``.`` and ``-``, starting with a letter,
    digit or ``_``: the ASCII shortcut agrees with the rule on every pair of characters."""

    def rule(text: str) -> bool:
        allowed = all(c.isalnum() or c in "_.-" or unicodedata.category(c)[0] == "M" for c in text)
        return bool(text) and (text[0].isalnum() or text[0] == "_") and allowed

    samples = [chr(i) for i in range(128)] + ["é", "\u0301", "인", "٣", "\u00a0"]
    for a in samples:
        for b in samples:
            for text in (a, a + b, f"x{a}{b}", f"{a}{b}-1"):
                assert is_safe_id(text) == rule(text), repr(text)
    assert not is_safe_id("")
