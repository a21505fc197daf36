"""Links that leave the site folder are refused, by every command, with a diagnostic naming them.

Each case puts one link pointing outside the site (as a pull request could) and runs the
command that would read or write through it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.cli.main import main
from tests.conftest import REPO, SAMPLE

SEED = REPO / "seeds" / "000_19df8d9e63fb33d5.txt"
SECRET = "SECRET-7d1f outside the site"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(SAMPLE, copy)
    return copy


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def _refused(capsys: pytest.CaptureFixture[str], link: Path, site: Path) -> str:
    err = capsys.readouterr().err
    shown = link.as_posix()
    assert f"{shown}:1:1: error[outside-site]: '{shown}' is a link to" in err, err
    assert "outside the site folder" in err
    return err


def _published(site: Path) -> str:
    output = site / "output"
    if not output.is_dir():
        return ""
    return "".join(
        p.read_text("utf-8", "replace") for p in output.rglob("*") if p.is_file() and p.stat()
    )


def test_a_seed_linked_from_outside_is_refused(
    site: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = outside / "memo.txt"
    secret.write_text(SEED.read_text("utf-8").replace("Chinese envoy", SECRET), "utf-8")
    (site / "seeds").mkdir()
    os.symlink(secret, site / "seeds" / "memo.txt")
    before = sorted((site / "content" / "articles").iterdir())
    assert main(["ingest", "--site", str(site)]) == 1
    _refused(capsys, site / "seeds" / "memo.txt", site)
    assert main(["build", "--site", str(site)]) == 1
    _refused(capsys, site / "seeds" / "memo.txt", site)
    assert sorted((site / "content" / "articles").iterdir()) == before
    assert SECRET not in _published(site)


def test_a_seeds_folder_linked_outside_is_refused(
    site: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(SEED, outside / "memo.txt")
    os.symlink(outside, site / "seeds")
    assert main(["build", "--site", str(site)]) == 1
    _refused(capsys, site / "seeds", site)
    assert not list(outside.glob("*.md"))


def test_topics_linked_outside_are_not_read(
    site: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = site / "content" / "topics.yaml"
    (outside / "topics.yaml").write_text(topics.read_text("utf-8"), "utf-8")
    topics.unlink()
    os.symlink(outside / "topics.yaml", topics)
    assert main(["check", "--site", str(site)]) == 1
    _refused(capsys, topics, site)


def test_static_files_linked_outside_are_not_copied(
    site: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (outside / "id_rsa").write_text(SECRET, "utf-8")
    (site / "layouts").mkdir()
    os.symlink(outside, site / "layouts" / "static")
    assert main(["build", "--site", str(site)]) == 1
    _refused(capsys, site / "layouts" / "static", site)
    assert SECRET not in _published(site)


def test_a_layout_linked_outside_is_not_rendered(
    site: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (outside / "base.html").write_text(SECRET, "utf-8")
    (site / "layouts").mkdir()
    os.symlink(outside / "base.html", site / "layouts" / "base.html")
    assert main(["build", "--site", str(site)]) == 1
    _refused(capsys, site / "layouts" / "base.html", site)
    assert SECRET not in _published(site)


def test_ingest_never_writes_into_an_articles_folder_outside(
    site: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = site / "content" / "articles"
    shutil.rmtree(articles)
    os.symlink(outside, articles)
    assert main(["ingest", "--site", str(site), str(SEED)]) == 1
    _refused(capsys, articles, site)
    assert list(outside.iterdir()) == []


def test_an_output_folder_linked_outside_is_not_written(
    site: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.symlink(outside, site / "output")
    assert main(["build", "--site", str(site)]) == 1
    _refused(capsys, site / "output", site)
    assert list(outside.iterdir()) == []


def test_links_that_stay_inside_the_site_are_fine(site: Path) -> None:
    articles = site / "content" / "articles"
    shutil.move(articles, site / "archive")
    os.symlink(site / "archive", articles)
    assert main(["build", "--site", str(site)]) == 0
    assert "rail network" in _published(site)
