"""A build stages into the site it replaced last time (``.output-spare``): the result is
byte for byte a fresh build's, a failed build leaves the live site alone, and a kept
site holding anything but plain files and folders is not used."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.cache import FOLDER
from generator.diagnostics import BuildFailed
from tests.conftest import GOLDEN, SAMPLE
from tests.treediff import describe_difference, files

ARTICLES = Path("content") / "articles"
SEARCH = ("pagefind/",)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns(FOLDER))
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("search", [False, True])
def test_a_build_into_the_kept_site_equals_a_fresh_build(
    site: Path, tmp_path: Path, search: bool
) -> None:
    output, spare = tmp_path / "output", tmp_path / ".output-spare"
    build(site, output, search=search)
    build(site, output, search=search)
    assert spare.is_dir()
    new = "---\ntitle: New\ndate: 2024-05-15\noutlet: Reuters\ntags: [trade]\n---\n\nText.\n"
    for number in range(4):
        if number == 0:
            _edit(site / ARTICLES / "tokyo-rail.md", "40 million", "41 million")
        elif number == 1:
            (site / ARTICLES / "election-coverage.md").unlink()
        elif number == 2:
            (site / ARTICLES / "new.md").write_text(new, encoding="utf-8")
        else:
            _edit(site / "site.yaml", "per_page: 2", "per_page: 3")
        build(site, output, search=search)
        fresh = tmp_path / f"fresh{number}"
        build(site, fresh, cache=False, search=search)
        assert describe_difference(fresh, output) == "", number
    assert spare.is_dir()


def test_a_failed_build_leaves_the_live_site_alone(site: Path, tmp_path: Path) -> None:
    """The kept site's unchanged files are the live site's files (hard links): a build
    replaces them in its staging folder, never writes into them."""
    output = tmp_path / "output"
    build(site, output, search=False)
    build(site, output, search=False)
    before = files(output)
    _edit(site / ARTICLES / "tokyo-rail.md", "40 million", "41 million")
    (site / "layouts").mkdir()
    (site / "layouts" / "list.html").write_text("{{ page.nope }}")
    with pytest.raises(BuildFailed):
        build(site, output, search=False)
    assert files(output) == before


def test_a_kept_site_holding_a_link_is_not_used(site: Path, tmp_path: Path) -> None:
    output, spare = tmp_path / "output", tmp_path / ".output-spare"
    build(site, output, search=False)
    build(site, output, search=False)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.html").write_text("not ours")
    shutil.rmtree(spare / "articles" / "tokyo-rail")
    (spare / "articles" / "tokyo-rail").symlink_to(elsewhere, target_is_directory=True)
    _edit(site / ARTICLES / "tokyo-rail.md", "40 million", "41 million")
    build(site, output, search=False)
    assert (elsewhere / "index.html").read_text() == "not ours"
    assert not (output / "articles" / "tokyo-rail").is_symlink()
    _edit(site / ARTICLES / "tokyo-rail.md", "41 million", "40 million")
    build(site, output, search=False)
    assert describe_difference(GOLDEN, output, SEARCH) == ""
