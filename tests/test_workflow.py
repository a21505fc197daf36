"""The GitHub Pages workflow: valid YAML, the official Pages actions, the README's build."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps(workflow: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    found = workflow["jobs"][job]["steps"]
    assert isinstance(found, list)
    return found


def uses(workflow: dict[Any, Any], job: str) -> list[str]:
    return [str(step["uses"]).split("@")[0] for step in steps(workflow, job) if "uses" in step]


def test_runs_on_push_to_main_and_by_hand(workflow: dict[Any, Any]) -> None:
    triggers = workflow["on"] if "on" in workflow else workflow[True]  # YAML 1.1: `on` is true
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers


def test_uses_the_official_pages_actions(workflow: dict[Any, Any]) -> None:
    assert uses(workflow, "build") == [
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/cache",
        "actions/upload-pages-artifact",
    ]
    assert uses(workflow, "deploy") == ["actions/deploy-pages"]
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_builds_with_the_readme_command_and_the_pages_base_url(workflow: dict[Any, Any]) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make site" in readme
    runs = [str(step["run"]) for step in steps(workflow, "build") if "run" in step]
    build = [run for run in runs if run.startswith("make site")]
    assert build == [
        'make site DIGEST_BUILD_ARGS="--base-url ${{ steps.pages.outputs.base_url }}/"'
    ]
    configure = [s for s in steps(workflow, "build") if "configure-pages" in s.get("uses", "")]
    assert configure[0]["id"] == "pages"
    checks = [run for run in runs if run.startswith(".venv/bin/digest check --strict")]
    assert checks == [
        '.venv/bin/digest check --strict --base-url "${{ steps.pages.outputs.base_url }}/"'
    ]
    assert runs.index(build[0]) < runs.index(checks[0])


def test_python_and_pip_cache(workflow: dict[Any, Any]) -> None:
    setup = next(s for s in steps(workflow, "build") if "setup-python" in s.get("uses", ""))
    assert setup["with"] == {
        "python-version": "3.11",
        "cache": "pip",
        "cache-dependency-path": "pyproject.toml",
    }


def test_uploads_output_and_deploys_with_the_right_permissions(workflow: dict[Any, Any]) -> None:
    upload = [s for s in steps(workflow, "build") if "upload-pages-artifact" in s.get("uses", "")]
    assert upload[0]["with"] == {"path": "output"}
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"
    environment = workflow["jobs"]["deploy"]["environment"]
    assert environment == {
        "name": "github-pages",
        "url": "${{ steps.deployment.outputs.page_url }}",
    }
    deploy = steps(workflow, "deploy")[0]
    assert deploy["id"] == "deployment"


def test_the_build_cache_of_the_last_run_is_restored_before_the_build(
    workflow: dict[Any, Any],
) -> None:
    assert_build_cache(steps(workflow, "build"), "make site")


def assert_build_cache(build: list[dict[str, Any]], command: str) -> None:
    """The workflow restores ``.digest-cache`` (keyed by commit, any older one restored)
    before the step that runs ``command``."""
    names = [str(step.get("uses", "")).split("@")[0] or str(step.get("run")) for step in build]
    cache = names.index("actions/cache")
    assert build[cache]["with"] == {
        "path": ".digest-cache",
        "key": "digest-cache-${{ github.sha }}",
        "restore-keys": "digest-cache-",
    }
    assert cache < next(n for n, name in enumerate(names) if name.startswith(command))
