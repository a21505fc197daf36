"""What a page shares with other pages is rendered once: list cards, feed entries."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from generator.build import load_site
from generator.cli.main import main
from generator.content import load_config
from generator.diagnostics import Diagnostics
from generator.render import Bodies, plan_pages, templates
from generator.render.metadata import indented_json
from generator.render.models import FeedView, ListView
from tests.conftest import SAMPLE


def test_each_card_and_feed_entry_is_rendered_once_and_printed_everywhere() -> None:
    diags = Diagnostics()
    config = load_config(SAMPLE, diags)
    assert config is not None
    site = load_site(config, diags)
    specs = list(plan_pages(site, lambda route: True, Bodies()))
    env = templates.environment(config.layouts_dir)
    templates.render(env, specs[0], config.root)  # the shared macros are set up on first use
    calls: Counter[str] = Counter()
    for name, macro_name in templates.SHARED_MACROS:
        shared = getattr(env.get_template(name).module, macro_name)
        shared.macro = _counted(shared.macro, macro_name, calls)
    pages = [templates.render(env, spec, config.root) for spec in specs]
    views = [spec.page for spec in specs]
    cards = [c for view in views if isinstance(view, ListView) for c in view.cards]
    entries = [e for view in views if isinstance(view, FeedView) for e in view.entries]
    assert calls["card"] == len(set(cards)) < len(cards)
    assert calls["feed_entry"] == len(set(entries)) < len(entries)
    shown = sum(page.count('<article class="card">') for page in pages)
    assert shown == len(cards)
    assert sum(page.count("<entry>") for page in pages) == len(entries)


def _counted(macro: Any, name: str, calls: Counter[str]) -> Any:
    def call(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return macro(*args, **kwargs)

    return call


def test_a_sites_own_card_macro_is_used_and_may_take_any_argument(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SAMPLE, site)
    (site / "layouts").mkdir()
    bundled = (templates.default_layouts() / "_macros.html").read_text(encoding="utf-8")
    own = bundled.replace('<article class="card">', '<article class="card mine">')
    (site / "layouts" / "_macros.html").write_text(own, encoding="utf-8")
    archive = (templates.default_layouts() / "archive.html").read_text(encoding="utf-8")
    added = '{"iso": "2020-01-02", "text": "2 January 2020"}'
    loose = (  # a dict (not hashable): rendered on every call
        '{% from "_macros.html" import card %}{{ card({"href": "x/", "title": "Loose", '
        f'"outlet": "O", "added": {added}, "published": none, "why_it_matters": "", '
        '"summary": "", "topics": [], "tags": []}) }}'
    )
    marker = "{% block main %}\n"
    assert marker in archive
    (site / "layouts" / "archive.html").write_text(archive.replace(marker, marker + loose + "\n"))
    output = tmp_path / "o"
    assert main(["build", "--site", str(site), "--output", str(output), "--no-search"]) == 0
    home = (output / "index.html").read_text(encoding="utf-8")
    assert 0 < home.count('<article class="card mine">') == home.count("<article class")
    shown = (output / "archive" / "index.html").read_text(encoding="utf-8")
    assert '<article class="card mine">\n  <h2 class="card-title"><a href="x/">Loose</a>' in shown


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        "plain",
        {"@type": "A", "k": [], "d": {}, "n": [1, 2.5, True, None], "s": 'q"\\<>&\u2028é\n\x01'},
        {"a": [{"b": ["c", {"d": "e"}]}, "f"], "日本": "語"},
        [[[]], [{}], ""],
        {"a": ("x", ("y", {"z": 1})), "b": {1: [2.5]}, "c": [{"d": (None,)}]},
    ],
)
def test_json_ld_text_is_json_dumps_with_an_indent_of_two(value: object) -> None:
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_workers_leave_what_they_inherit_to_reference_counting() -> None:
    """A worker's garbage collector never walks the site it inherited (frozen before the
    fork) and runs less often; the build process gets its collector back afterwards.
    Run in a fresh interpreter: forking is refused while other threads run, as they may in
    this test session."""
    code = """
import gc
from generator.render import parallel
def probe(chunk):
    return gc.get_freeze_count(), gc.get_threshold()[0]
assert parallel.can_fork()
before = gc.get_freeze_count()
found = list(parallel.ordered_map(probe, [[1], [2]], 2))
assert all(f > 0 and t == parallel.WORKER_GC_THRESHOLD for f, t in found), found
assert gc.get_freeze_count() == before
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout == "ok\n", done.stderr


def test_a_card_is_reused_only_for_an_equal_value_of_the_same_type(tmp_path: Path) -> None:
    """A remembered macro prints what a plain call would: ``Markup`` and ``str`` (equal
    text), ``1`` and ``true``, ``0.0`` and ``-0.0`` are different arguments, and objects a
    template can change (a ``namespace()``) or that print differently each call (a
    ``cycler``) are never remembered."""
    site = tmp_path / "site"
    shutil.copytree(SAMPLE, site)
    (site / "layouts").mkdir()
    bundled = (templates.default_layouts() / "_macros.html").read_text(encoding="utf-8")
    head, end = "{% macro card(item) %}\n", "</article>\n{% endmacro %}\n\n{% macro pager"
    assert head in bundled and end in bundled
    own = bundled.replace(
        head,
        "{% macro card(item, extra=none) %}\n{% if extra is not none %}<i>{{ item }}|"
        "{{ extra.n if extra.n is defined else extra.next() if extra.next is defined else "
        "extra }}</i>\n{% else %}\n",
    ).replace(end, end.replace("{% endmacro %}", "{% endif %}\n{% endmacro %}"))
    (site / "layouts" / "_macros.html").write_text(own, encoding="utf-8")
    archive = (templates.default_layouts() / "archive.html").read_text(encoding="utf-8")
    calls = (
        '{% from "_macros.html" import card %}'
        '{{ card("b", "<em>x</em>"|safe) }}{{ card("b", "<em>x</em>") }}'
        '{{ card("c", 1) }}{{ card("c", true) }}{{ card("d", 0.0) }}{{ card("d", -0.0) }}'
        "{% set ns = namespace(n=1) %}{{ card('e', ns) }}{% set ns.n = 2 %}{{ card('e', ns) }}"
        "{% set turn = cycler('odd', 'even') %}{{ card('f', turn) }}{{ card('f', turn) }}"
    )
    marker = "{% block main %}\n"
    (site / "layouts" / "archive.html").write_text(archive.replace(marker, marker + calls + "\n"))
    output = tmp_path / "o"
    assert main(["build", "--site", str(site), "--output", str(output), "--no-search"]) == 0
    shown = (output / "archive" / "index.html").read_text(encoding="utf-8")
    printed = [line for line in shown.splitlines() if line.startswith("<i>")]
    assert printed == [
        "<i>b|<em>x</em></i>",
        "<i>b|&lt;em&gt;x&lt;/em&gt;</i>",
        "<i>c|1</i>",
        "<i>c|True</i>",
        "<i>d|0.0</i>",
        "<i>d|-0.0</i>",
        "<i>e|1</i>",
        "<i>e|2</i>",
        "<i>f|odd</i>",
        "<i>f|even</i>",
    ]
