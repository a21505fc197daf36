"""The sample site, built for real, matches the committed golden output.

The search index in ``pagefind/`` is left out of the golden comparison: it holds
Pagefind's own scripts and binary index, which change with Pagefind's version.  It
is checked to exist here, is part of the byte-identical comparison of two builds,
and is exercised in the browser by ``tests/browser/test_search.py``.
"""

from __future__ import annotations

from pathlib import Path

from generator.build import build
from tests.conftest import GOLDEN, SAMPLE
from tests.treediff import describe_difference, files, replace_tree

SEARCH = ("pagefind/",)


def test_sample_site_matches_golden_output(tmp_path: Path, update_golden: bool) -> None:
    output = tmp_path / "output"
    report = build(SAMPLE, output)
    if update_golden:
        replace_tree(output, GOLDEN, SEARCH)
    assert describe_difference(GOLDEN, output, SEARCH) == ""
    assert (output / "pagefind" / "pagefind.js").is_file()
    assert list((output / "pagefind").glob("pagefind.*.pf_meta"))
    assert report.articles == 6
    pages = [n for n in files(output, SEARCH) if n.endswith(("index.html", "404.html", "feed.xml"))]
    assert report.pages == len(pages)


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    build(SAMPLE, tmp_path / "one")
    build(SAMPLE, tmp_path / "two")
    assert files(tmp_path / "one") == files(tmp_path / "two")
    assert any(name.startswith("pagefind/filter/") for name in files(tmp_path / "one"))
