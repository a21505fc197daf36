"""The sample site, built for real, matches the committed golden output.

The search index in ``pagefind/`` is left out of the golden comparison: it holds
Pagefind's own scripts and binary index, which change with Pagefind's version.  It
is checked to exist here, is part of the byte-identical comparison of two builds,
and is exercised in the browser by ``tests/browser/test_search.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import build
from tests.childbuild import build_in_child
from tests.conftest import GOLDEN, SAMPLE
from tests.treediff import describe_difference, files, replace_tree

SEARCH = ("pagefind/",)
# (build cache, worker processes): every way of building gives the same bytes
MODES = [(True, 1), (True, 2), (False, 1), (False, 2)]


@pytest.mark.parametrize(("cache", "jobs"), MODES)
def test_sample_site_matches_golden_output(
    tmp_path: Path, update_golden: bool, cache: bool, jobs: int
) -> None:
    site, output = tmp_path / "site", tmp_path / "output"
    shutil.copytree(SAMPLE, site, ignore=shutil.ignore_patterns(".digest-cache"))
    count = _build(site, output, cache, jobs)
    if update_golden and (cache, jobs) == MODES[0]:
        replace_tree(output, GOLDEN, SEARCH)
    assert describe_difference(GOLDEN, output, SEARCH) == ""
    assert (site / ".digest-cache").is_dir() == cache
    again = _build(site, output, cache, jobs)  # with the cache: all of it reused
    assert describe_difference(GOLDEN, output, SEARCH) == ""
    assert again == count
    assert (output / "pagefind" / "parts.json").is_file()
    assert list((output / "pagefind").glob("0-*/pagefind.*.pf_meta"))  # one part
    pages = [n for n in files(output, SEARCH) if n.endswith(("index.html", "404.html", "feed.xml"))]
    assert count == len(pages)


def _build(site: Path, output: Path, cache: bool, jobs: int) -> int:
    """The pages built: in this process with one worker, in a fresh one (where workers
    can be forked) with more."""
    if jobs == 1:
        report = build(site, output, cache=cache, jobs=1)
        assert report.articles == 6
        return report.pages
    return build_in_child(site, output, cache=cache, jobs=jobs)


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    build(SAMPLE, tmp_path / "one")
    build(SAMPLE, tmp_path / "two")
    assert files(tmp_path / "one") == files(tmp_path / "two")
    assert any(
        name.startswith("pagefind/0-") and "/filter/" in name for name in files(tmp_path / "one")
    )
