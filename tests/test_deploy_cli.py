"""``digest deploy`` through the CLI on a real site and a local bare repository (issue 12)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli.main import main
from tests.conftest import SAMPLE
from tests.gitrepo import git, isolate_git


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_git(monkeypatch, tmp_path)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The sample site in a git repository whose bare origin has a gh-pages branch with a
    CNAME on it, as GitHub's Pages settings write it."""
    site, origin, pages = tmp_path / "site", tmp_path / "origin.git", tmp_path / "pages"
    shutil.copytree(SAMPLE, site)
    git(tmp_path, "init", "--quiet", "--bare", str(origin))
    git(tmp_path, "init", "--quiet", "--initial-branch=gh-pages", str(pages))
    (pages / "CNAME").write_text("news.example.org")
    git(pages, "add", "CNAME")
    git(pages, "commit", "--quiet", "-m", "Create CNAME")
    git(pages, "push", "--quiet", str(origin), "gh-pages")
    git(tmp_path, "init", "--quiet", "--initial-branch=main", str(site))
    (site / ".gitignore").write_text("/output/\n/.output-*\n")
    git(site, "add", "-A")
    git(site, "commit", "--quiet", "-m", "site")
    git(site, "remote", "add", "origin", str(origin))
    return site


def test_deploy_twice_keeps_the_branchs_cname_and_makes_one_commit(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    origin = tmp_path / "origin.git"
    assert main(["deploy", "--site", str(site)]) == 0
    out = capsys.readouterr().out
    assert "Kept CNAME (news.example.org) from gh-pages" in out
    assert git(origin, "show", "gh-pages:CNAME") == "news.example.org"
    first = git(origin, "rev-parse", "gh-pages")
    assert main(["deploy", "--site", str(site)]) == 0
    assert "Nothing changed since the last deploy" in capsys.readouterr().out
    assert git(origin, "rev-parse", "gh-pages") == first
    assert git(origin, "rev-list", "--count", "gh-pages") == "2"
    assert git(origin, "show", "gh-pages:CNAME") == "news.example.org"
    assert git(origin, "cat-file", "-t", "gh-pages:pagefind") == "tree"


def test_a_domain_on_another_host_than_base_url_is_an_error_in_check_and_deploy(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "domain: news.example.org\n")
    line = config.read_text(encoding="utf-8").count("\n")
    before = git(tmp_path / "origin.git", "rev-parse", "gh-pages")
    for command in (["check"], ["deploy"]):
        assert main([*command, "--site", str(site)]) == 1
        err = capsys.readouterr().err
        assert f"site.yaml:{line}:1: error[domain-mismatch]: domain 'news.example.org'" in err
        assert "hint: set base_url: https://news.example.org/" in err
    assert git(tmp_path / "origin.git", "rev-parse", "gh-pages") == before
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("https://example.org/sample/", "https://news.example.org/"))
    main(["check", "--site", str(site)])
    assert "domain-mismatch" not in capsys.readouterr().err


@pytest.mark.parametrize("domain", ["https://news.example.org", "news.example.org/x", "news .org"])
def test_a_domain_that_is_not_a_host_name_is_an_error_in_check_and_deploy(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], domain: str
) -> None:
    config = site / "site.yaml"
    text = config.read_text(encoding="utf-8").replace(
        "https://example.org/sample/", "https://news.example.org/"
    )
    config.write_text(text + f'domain: "{domain}"\n')
    before = git(tmp_path / "origin.git", "rev-parse", "gh-pages")
    for command in (["check"], ["deploy"]):
        assert main([*command, "--site", str(site)]) == 1
        err = capsys.readouterr().err
        assert f"error[bad-value]: domain '{domain}' is not a host name" in err
    assert git(tmp_path / "origin.git", "rev-parse", "gh-pages") == before
