"""Faster paths give exactly what the plain ones gave: printing, remembered macros, text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup, escape

from generator.content.plaintext import without_controls
from generator.publish import SiteWriter
from generator.render import templates


class _Html:
    def __html__(self) -> str:
        return "<b>safe</b>"


class _Text:
    def __str__(self) -> str:
        return "<i>&'\"</i>"


class _Markup(Markup):
    pass


VALUES: list[object] = [
    "",
    "plain",
    "<script>alert('x') & \"y\"</script>",
    "&amp; already",
    "naïve — ✓",
    Markup("<em>kept</em>"),
    _Markup("<em>sub</em>"),
    0,
    -0.0,
    1.5,
    True,
    None,
    _Html(),
    _Text(),
    ("a<", "b"),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_printed_value_is_the_text_of_markupsafe_escape(value: object) -> None:
    assert templates.printed(value) == str(escape(value))


def test_templates_print_through_printed_and_keep_jinja_semantics(tmp_path: Path) -> None:
    (tmp_path / "t.html").write_text(
        "{% macro m(x) %}<p>{{ x }}</p>{% endmacro %}"
        "{{ v }}|{{ m(v) }}|{% set s %}{{ v }}{% endset %}{{ s }}|"
        "{% autoescape false %}{{ v }}{% endautoescape %}|{{ n }}|{{ d.k }}|{{ v|upper }}"
    )
    env = templates.environment(tmp_path)
    source = env.loader.get_source(env, "t.html")[0]  # type: ignore[union-attr]
    assert "environment.printed(" in str(env.compile(source, raw=True))
    html = env.get_template("t.html").render(v="<a&'>", n=3, d={"k": "<k>"})
    assert html == (
        "&lt;a&amp;&#39;&gt;|<p>&lt;a&amp;&#39;&gt;</p>|&lt;a&amp;&#39;&gt;|<a&'>|3|&lt;k&gt;"
        "|&lt;A&amp;&#39;&gt;"
    )
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()


@dataclass(frozen=True)
class _View:
    title: str

    def __hash__(self) -> int:
        HASHED.append(self.title)
        return hash(self.title)


HASHED: list[str] = []


def test_a_remembered_macro_finds_the_same_view_again_without_hashing_it() -> None:
    rendered: list[str] = []

    def macro(view: _View) -> str:
        rendered.append(view.title)
        return f"<p>{view.title}</p>"

    remembered = templates._Remembered(macro, limit=2)
    one, other = _View("one"), _View("other")
    assert remembered(one) == "<p>one</p>"
    HASHED.clear()
    assert [remembered(one) for _ in range(3)] == ["<p>one</p>"] * 3
    assert HASHED == [] and rendered == ["one"]
    assert remembered(_View("one")) == "<p>one</p>"  # an equal value: found by value
    assert remembered(other) == "<p>other</p>"
    assert remembered(_View("third")) == "<p>third</p>"  # the limit: all forgotten
    assert remembered(one) == "<p>one</p>" and rendered == ["one", "other", "third", "one"]


_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")  # the rule


def test_control_characters_are_removed_by_the_rule_for_every_code_point() -> None:
    for code in range(0x110000):
        text = f"a{chr(code)}b\u00e9"
        assert without_controls(text) == _CONTROLS.sub("", text), hex(code)
    body = "Plain text,\n\nnaïve — “quoted”\t\x0c\x00 and \ud800 and \uffff.\n"
    assert without_controls(body) == _CONTROLS.sub("", body)
    assert without_controls("clean\n\ttext") == "clean\n\ttext"


def test_the_writer_makes_files_and_folders_as_open_and_makedirs_do(tmp_path: Path) -> None:
    output = tmp_path / "site" / "output"
    with SiteWriter(output) as writer:
        writer.write("tags/x/page/2/index.html", b"<p>2</p>", "a")
        writer.write("tags/x/index.html", b"<p>x</p>" * 100_000, "b")
        writer.write("404.html", b"", "c")
        writer.commit()
    plain = tmp_path / "plain.html"
    with open(plain, "wb") as out:
        out.write(b"x")
    (tmp_path / "plain-folder" / "deeper").mkdir(parents=True)
    assert (output / "tags/x/page/2/index.html").read_bytes() == b"<p>2</p>"
    assert (output / "tags/x/index.html").read_bytes() == b"<p>x</p>" * 100_000
    assert (output / "404.html").read_bytes() == b""
    mode = plain.stat().st_mode
    assert {(output / f).stat().st_mode for f in ("404.html", "tags/x/index.html")} == {mode}
    folder = (tmp_path / "plain-folder" / "deeper").stat().st_mode
    assert (output / "tags/x/page").stat().st_mode == folder


HTML_INPUTS = [
    "<div>\n*raw* block\n</div>\n\ntext <span>inline</span> and <!-- comment --> end",
    "para\n<div>after a paragraph line</div>\n\n    <pre>indented code</pre>\n",
    "> <script>alert(1)</script>\n> quoted\n\n- <b>item</b>\n- <?php x ?>\n",
    "<![CDATA[ x ]]>\n\n<!DOCTYPE html>\n\n</closing>\n\n<a href='x'>link</a> `<code>`",
    "| a | <b>b</b> |\n|---|---|\n| <i>1</i> | 2 |\n\nText[^1].\n\n[^1]: <em>note</em>\n",
    "## Heading <u>u</u>\n\n<table><tr><td>cell</td></tr></table>\n\n*<em>*x*</em>*",
]


@pytest.mark.parametrize("text", HTML_INPUTS)
def test_markdown_without_the_html_rules_renders_as_with_them(text: str) -> None:
    from generator.content import markdown

    for ours in (markdown.renderer(), markdown.note_renderer()):
        active = ours.get_active_rules()
        assert not {"html_block", "html_inline"} & {*active["block"], *active["inline"]}
    with_rules = markdown._base().enable(["html_block", "html_inline"])
    assert markdown._base().render(text) == with_rules.render(text)
    assert "&lt;" in with_rules.render(text)


def test_the_quick_http_address_check_agrees_with_urlsplit() -> None:
    import random

    from generator.content import is_http_url, split_url

    def by_urlsplit(value: str) -> bool:
        parts = split_url(value)
        return parts is not None and parts.scheme in {"http", "https"} and bool(parts.hostname)

    pieces = ["http", "HTTPS", "ftp", ":", "//", "/", "a", "B", "0", ".", "-", "@", "[", "]"]
    pieces += [":80", ":99999", "?", "#", "x=1", " ", "\t", "\n", "é", "%20", "\\", '"', "\x7f"]
    rnd = random.Random(3)
    for _ in range(50_000):
        value = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8)))
        value = rnd.choice(["", "http://", "https://"]) + value
        assert is_http_url(value) == by_urlsplit(value), repr(value)
