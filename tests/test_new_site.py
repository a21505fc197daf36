"""``digest new site DIR``: a working digest in two commands, and no traps in a fresh site."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import DISTRIBUTION, __version__
from generator.cli import main
from generator.content.config import KEYS
from tests.conftest import REPO
from tests.preview import running_preview
from tests.test_workflow import assert_build_cache

SEED = next(p for p in sorted((REPO / "seeds").iterdir()) if p.suffix == ".txt")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "my-digest"
    assert main(["new", "site", str(folder)]) == 0
    return folder


def test_creates_the_files_of_a_digest(site: Path) -> None:
    for name in (
        "site.yaml",
        "content/topics.yaml",
        "content/articles",
        "content/commentary",
        "seeds",
        ".gitignore",
        "README.md",
        ".github/workflows/pages.yml",
    ):
        assert (site / name).exists(), name
    ignored = (site / ".gitignore").read_text(encoding="utf-8").split()
    assert "output/" in ignored and ".digest-cache/" in ignored
    topics = yaml.safe_load((site / "content" / "topics.yaml").read_text(encoding="utf-8"))
    assert [t["slug"] for t in topics] == ["example"]


def test_site_yaml_explains_every_key(site: Path) -> None:
    lines = (site / "site.yaml").read_text(encoding="utf-8").splitlines()
    for key in KEYS:
        at = next(i for i, line in enumerate(lines) if re.match(rf"#? ?{key}:", line))
        assert lines[at - 1].startswith("#"), key  # a comment right above it


def test_a_new_site_builds_checks_and_serves(site: Path) -> None:
    assert main(["build", "--site", str(site)]) == 0
    assert main(["check", "--strict", "--site", str(site)]) == 0
    with (
        running_preview(site) as (_preview, url, _events),
        urllib.request.urlopen(url, timeout=30) as response,
    ):
        assert "My Digest" in response.read().decode("utf-8")


def test_first_ingest_and_commentary_pass_the_strict_check(site: Path) -> None:
    assert main(["ingest", "--site", str(site), "--topic", "example", str(SEED)]) == 0
    slug = next((site / "content" / "articles").glob("*.md")).stem
    assert main(["new", "commentary", slug, "--site", str(site)]) == 0
    commentary = site / "content" / "commentary" / f"{slug}.md"
    scaffold = commentary.read_text("utf-8")
    # An untouched scaffold is reported (an error under --strict); the editor writes a note.
    assert main(["check", "--strict", "--site", str(site)]) == 1
    head, _, _ = scaffold.rpartition("---\n")
    commentary.write_text(head + "---\n\nThe envoy's words deserve a closer look.\n", "utf-8")
    assert main(["build", "--site", str(site)]) == 0
    assert main(["check", "--strict", "--site", str(site)]) == 0


def test_refuses_a_folder_that_is_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["new", "site", str(folder)]) == 1
    assert "is not empty" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_a_fresh_clone_of_an_empty_repository_counts_as_empty(tmp_path: Path) -> None:
    folder = tmp_path / "my-digest"
    (folder / ".git").mkdir(parents=True)  # `git clone` of a new, empty GitHub repository
    assert main(["new", "site", str(folder)]) == 0
    assert (folder / "site.yaml").is_file()


def test_force_adds_missing_files_and_keeps_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "README.md").write_text("my own words", encoding="utf-8")
    assert main(["new", "site", str(folder), "--force"]) == 0
    assert (folder / "README.md").read_text(encoding="utf-8") == "my own words"
    assert (folder / "site.yaml").is_file()


def _workflow(site: Path) -> dict[Any, Any]:
    data = yaml.safe_load((site / ".github" / "workflows" / "pages.yml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_workflow_installs_this_version_and_deploys_with_the_pages_actions(
    site: Path,
) -> None:
    workflow = _workflow(site)
    build = workflow["jobs"]["build"]["steps"]
    uses = [s["uses"].split("@")[0] for s in build if "uses" in s]
    assert "actions/configure-pages" in uses and "actions/upload-pages-artifact" in uses
    deploy = [s["uses"].split("@")[0] for s in workflow["jobs"]["deploy"]["steps"]]
    assert deploy == ["actions/deploy-pages"]
    runs = [str(s["run"]) for s in build if "run" in s]
    assert f'python -m pip install "{DISTRIBUTION}=={__version__}"' in runs
    base = "${{ steps.pages.outputs.base_url }}/"
    assert f'digest build --base-url "{base}"' in runs
    assert f'digest check --strict --base-url "{base}"' in runs
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert_build_cache(build, "digest build")


def test_new_commentary_works_in_a_site_without_editors(tmp_path: Path) -> None:
    site = tmp_path / "bare"
    (site / "content" / "articles").mkdir(parents=True)
    (site / "site.yaml").write_text("title: Bare\nbase_url: https://example.org/\n", "utf-8")
    (site / "content" / "articles" / "a.md").write_text(
        "---\ntitle: A\ndate: 2026-01-02\noutlet: Wire\n---\n\nSome words here.\n", "utf-8"
    )
    assert main(["new", "commentary", "a", "--site", str(site)]) == 0
    commentary = site / "content" / "commentary" / "a.md"
    assert 'by: "editor"' in commentary.read_text("utf-8")
    head, _, _ = commentary.read_text("utf-8").rpartition("---\n")
    commentary.write_text(head + "---\n\nWorth reading.\n", "utf-8")
    assert main(["build", "--site", str(site)]) == 0
    assert main(["check", "--strict", "--site", str(site)]) == 0


def test_ingest_names_a_missing_topic_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "bare"
    site.mkdir()
    (site / "site.yaml").write_text("title: Bare\nbase_url: https://example.org/\n", "utf-8")
    assert main(["ingest", "--site", str(site), "--topic", "economy", str(SEED)]) == 1
    err = capsys.readouterr().err
    assert "there is no content/topics.yaml: create it with '- slug: economy'" in err
    assert "YAML" not in err
