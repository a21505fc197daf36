"""``deploy()`` against a local bare repository: exact tree, untouched work, no empty commits."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build import build
from generator.cli.main import main
from generator.publish.deploy import DeployError, default_message, deploy
from tests.conftest import SAMPLE
from tests.gitrepo import git, isolate_git


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_git(monkeypatch, tmp_path)


@dataclass(frozen=True, slots=True)
class Setup:
    source: Path
    origin: Path
    output: Path


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    """A source repo with a commit, a staged and an unstaged change, a bare origin, an output."""
    source, origin, output = tmp_path / "site", tmp_path / "origin.git", tmp_path / "built"
    git(tmp_path, "init", "--quiet", "--bare", str(origin))
    git(tmp_path, "init", "--quiet", "--initial-branch=main", str(source))
    (source / "site.yaml").write_text("title: T\n")
    git(source, "add", "site.yaml")
    git(source, "commit", "--quiet", "-m", "first")
    git(source, "remote", "add", "origin", str(origin))
    (source / "staged.md").write_text("staged\n")
    git(source, "add", "staged.md")
    (source / "site.yaml").write_text("title: Changed but not committed\n")
    write_site(output, {"index.html": "<p>home</p>", "articles/한국/index.html": "<p>ko</p>"})
    return Setup(source, origin, output)


def write_site(output: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_text(text, encoding="utf-8")


def snapshot(repo: Path) -> tuple[str, ...]:
    """Everything a deploy must leave alone: HEAD, its branch, the index, the work tree."""
    return (
        git(repo, "symbolic-ref", "HEAD"),
        git(repo, "rev-parse", "HEAD"),
        git(repo, "ls-files", "--stage"),
        git(repo, "status", "--porcelain"),
        git(repo, "diff"),
        (repo / "site.yaml").read_text(),
    )


def tree_of(repo: Path, ref: str) -> list[str]:
    return git(repo, "-c", "core.quotePath=false", "ls-tree", "-r", "--name-only", ref).split("\n")


def test_deploy_publishes_exactly_the_output(setup: Setup) -> None:
    before = snapshot(setup.source)
    result = deploy(setup.source, setup.output, message="Publish site", cname="news.example.org")
    assert result.branch == "gh-pages"
    assert result.pushed
    assert result.files == 4
    assert result.commit == git(setup.origin, "rev-parse", "gh-pages")
    assert tree_of(setup.origin, "gh-pages") == [
        ".nojekyll",
        "CNAME",
        "articles/한국/index.html",
        "index.html",
    ]
    assert git(setup.origin, "show", "gh-pages:CNAME") == "news.example.org"
    assert git(setup.origin, "show", "gh-pages:index.html") == "<p>home</p>"
    assert git(setup.origin, "log", "--format=%s/%P", "gh-pages") == "Publish site/"
    assert snapshot(setup.source) == before
    assert git(setup.origin, "for-each-ref", "--format=%(refname)") == "refs/heads/gh-pages"


def test_second_deploy_without_changes_makes_no_commit(setup: Setup) -> None:
    first = deploy(setup.source, setup.output, message="one")
    again = deploy(setup.source, setup.output, message="two")
    assert again.commit is None
    assert not again.pushed
    assert git(setup.origin, "rev-parse", "gh-pages") == first.commit
    assert git(setup.origin, "rev-list", "--count", "gh-pages") == "1"


def test_changed_output_commits_on_top_of_the_previous_deploy(setup: Setup) -> None:
    before = snapshot(setup.source)
    first = deploy(setup.source, setup.output, message="one")
    (setup.output / "articles" / "한국" / "index.html").unlink()
    write_site(setup.output, {"index.html": "<p>new home</p>", "tags/index.html": "<p>t</p>"})
    second = deploy(setup.source, setup.output, message="two")
    assert second.commit is not None
    assert git(setup.origin, "rev-parse", "gh-pages") == second.commit
    assert git(setup.origin, "rev-parse", "gh-pages^") == first.commit
    assert tree_of(setup.origin, "gh-pages") == [".nojekyll", "index.html", "tags/index.html"]
    assert snapshot(setup.source) == before


def test_parent_is_fetched_from_the_remote(setup: Setup, tmp_path: Path) -> None:
    """A fresh clone without a local gh-pages branch still builds on the published one."""
    first = deploy(setup.source, setup.output, message="one")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(setup.origin), str(clone))
    write_site(setup.output, {"index.html": "<p>changed</p>"})
    second = deploy(clone, setup.output, message="two")
    assert git(setup.origin, "rev-parse", "gh-pages^") == first.commit
    assert git(setup.origin, "rev-parse", "gh-pages") == second.commit


def test_no_push_keeps_the_commit_local(setup: Setup) -> None:
    result = deploy(setup.source, setup.output, message="local", push=False)
    assert not result.pushed
    assert git(setup.source, "rev-parse", "gh-pages") == result.commit
    assert git(setup.origin, "for-each-ref") == ""
    later = deploy(setup.source, setup.output, message="again")
    assert later.commit is None
    assert later.pushed
    assert git(setup.origin, "rev-parse", "gh-pages") == result.commit


def test_missing_remote_is_an_error_with_a_hint(setup: Setup) -> None:
    with pytest.raises(DeployError) as caught:
        deploy(setup.source, setup.output, remote="upstream", message="m")
    diagnostic = caught.value.diagnostic
    assert diagnostic.code == "deploy-no-remote"
    assert diagnostic.message == "the repository has no remote named 'upstream'"
    assert "git remote add upstream" in diagnostic.hint
    assert git(setup.source, "branch", "--list", "gh-pages") == ""


def test_not_a_repository(tmp_path: Path, setup: Setup) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(DeployError) as caught:
        deploy(plain, setup.output, message="m")
    assert caught.value.diagnostic.code == "deploy-not-a-repo"


def test_refuses_the_checked_out_branch(setup: Setup) -> None:
    with pytest.raises(DeployError) as caught:
        deploy(setup.source, setup.output, branch="main", message="m")
    assert caught.value.diagnostic.code == "deploy-branch"


def test_diverged_branches_are_refused(setup: Setup, tmp_path: Path) -> None:
    """Someone else published from elsewhere over an unpushed local deploy: never forced."""
    deploy(setup.source, setup.output, message="one", push=False)
    other, clone = tmp_path / "other", tmp_path / "clone"
    write_site(other, {"x.html": "x"})
    git(tmp_path, "clone", "--quiet", str(setup.origin), str(clone))
    deploy(clone, other, message="elsewhere")
    with pytest.raises(DeployError) as caught:
        deploy(setup.source, setup.output, message="two")
    assert caught.value.diagnostic.code == "deploy-diverged"


def test_rejected_push_carries_gits_stderr(setup: Setup) -> None:
    hook = setup.origin / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pages are frozen today' >&2\nexit 1\n")
    hook.chmod(0o755)
    with pytest.raises(DeployError) as caught:
        deploy(setup.source, setup.output, message="m")
    diagnostic = caught.value.diagnostic
    assert diagnostic.code == "deploy-git"
    assert diagnostic.message.startswith("git push failed: ")
    assert "pages are frozen today" in diagnostic.message
    assert diagnostic.hint


def test_default_message_names_the_commit_and_dirtiness(setup: Setup) -> None:
    short = git(setup.source, "rev-parse", "--short", "HEAD")
    message = default_message(setup.source, "0.1.0")
    assert message == f"Publish site from {short}-dirty with digest 0.1.0"
    git(setup.source, "commit", "--quiet", "-am", "clean up")
    short = git(setup.source, "rev-parse", "--short", "HEAD")
    assert default_message(setup.source, "0.1.0") == f"Publish site from {short} with digest 0.1.0"


def test_the_cli_checks_the_remote_before_building(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "digest"
    shutil.copytree(SAMPLE, site)
    git(tmp_path, "init", "--quiet", "--initial-branch=main", str(site))
    git(site, "add", "-A")
    git(site, "commit", "--quiet", "-m", "site")
    assert main(["deploy", "--site", str(site), "--remote", "nowhere"]) == 1
    assert "error[deploy-no-remote]: the repository has no remote named 'nowhere'" in (
        capsys.readouterr().err
    )
    assert not (site / "output").exists()


def test_a_search_index_in_parts_is_deployed_whole_and_kept_with_the_pages(
    setup: Setup, tmp_path: Path
) -> None:
    """The branch's ``pagefind/`` (its parts.json and every part) is kept as one when every
    other file is the same, even if this build split the index differently."""
    site = tmp_path / "sample"
    shutil.copytree(SAMPLE, site, ignore=shutil.ignore_patterns(".digest-cache", "output"))
    shutil.rmtree(setup.output)
    build(site, setup.output, search_part_size=3)
    first = deploy(setup.source, setup.output, message="one")
    tree = tree_of(setup.origin, "gh-pages")
    listed = json.loads(git(setup.origin, "show", "gh-pages:pagefind/parts.json"))["parts"]
    assert len(listed) >= 3
    assert all(f"pagefind/{part}pagefind-entry.json" in tree for part in listed)
    build(site, tmp_path / "again", search_part_size=2)  # other parts, the same pages
    assert deploy(setup.source, tmp_path / "again", message="two").commit is None
    article = site / "content" / "articles" / "tokyo-rail.md"
    article.write_text(article.read_text("utf-8") + "\nZanzibar.\n", "utf-8")
    build(site, tmp_path / "edited", search_part_size=3)
    third = deploy(setup.source, tmp_path / "edited", message="three")
    assert third.commit is not None and third.commit != first.commit
    now = json.loads(git(setup.origin, "show", "gh-pages:pagefind/parts.json"))["parts"]
    assert len(set(now) - set(listed)) == 1  # the edited article's part
    assert all(
        f"pagefind/{part}pagefind-entry.json" in tree_of(setup.origin, "gh-pages") for part in now
    )
