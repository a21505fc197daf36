"""Git for the deploy tests: an isolated configuration and a small ``git`` runner."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


def isolate_git(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """No user or system git config leaks in; a fixed identity for commits."""
    monkeypatch.setenv("HOME", str(home / "home"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    for name in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{name}_NAME", "Test Editor")
        monkeypatch.setenv(f"GIT_{name}_EMAIL", "editor@example.org")


def git(repo: Path, *args: str) -> str:
    """Run ``git -C repo args…`` and return its output, stripped."""
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()
