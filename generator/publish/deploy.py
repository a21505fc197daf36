"""Publish a built ``output/`` folder to a branch of a git repository.

For sites published from a ``gh-pages`` branch.  The branch gets a new commit
whose tree is exactly the built site plus ``.nojekyll`` (and ``CNAME`` when a
domain is given; with none, the branch's own ``CNAME``, as GitHub's settings
write it, is kept).  When every page is byte-identical to the branch's, the
branch's search index (``pagefind/``) is kept too: it indexes exactly the same
pages, so an unchanged site makes no commit whatever the indexer's file names.
Everything goes through git plumbing and a temporary index
(``hash-object``, ``update-index``, ``write-tree``, ``commit-tree``,
``update-ref``), so the working branch, ``HEAD``, the index and the editor's
uncommitted files are never touched.  Nothing here prints: a problem the user
can fix raises :class:`DeployError` carrying a diagnostic with a hint.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from generator.diagnostics import Diagnostic, Location, Severity

_ZERO = "0" * 40
_BATCH = 400  # paths per `git hash-object` call, well under any argv limit
_SCRUBBED = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX")


@dataclass(frozen=True, slots=True)
class DeployResult:
    """What a deploy did: the branch, the new commit (None if unchanged), the push."""

    branch: str
    commit: str | None
    pushed: bool
    files: int
    kept_cname: str = ""


class DeployError(Exception):
    """A deploy could not be done; carries a diagnostic with a hint."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        super().__init__(diagnostic.message)


def _error(where: Path | str, code: str, message: str, hint: str) -> DeployError:
    location = Location(str(where), 1, 1)
    return DeployError(Diagnostic(location, Severity.ERROR, code, message, hint))


@dataclass(frozen=True, slots=True)
class _Git:
    """Runs git in one repository, with an optional private index file."""

    repo: Path
    index: Path | None = None

    def run(self, *args: str, stdin: bytes | None = None, hint: str = "") -> str:
        """Run ``git -C repo args``; a failure raises :class:`DeployError` with git's stderr."""
        done = self.call(args, stdin)
        if done.returncode != 0:
            stderr = done.stderr.decode("utf-8", "replace").strip()
            message = f"git {args[0]} failed: {stderr or f'exit status {done.returncode}'}"
            raise _error(self.repo, "deploy-git", message, hint or _hint_for(stderr))
        return done.stdout.decode("utf-8", "replace").strip()

    def ok(self, *args: str) -> bool:
        """Whether ``git args`` succeeds (for questions such as "does this ref exist?")."""
        return self.call(args, None).returncode == 0

    def call(self, args: Sequence[str], stdin: bytes | None) -> subprocess.CompletedProcess[bytes]:
        env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
        if self.index is not None:
            env["GIT_INDEX_FILE"] = str(self.index)
        try:
            return subprocess.run(
                ["git", "-C", str(self.repo), *args],
                input=stdin,
                capture_output=True,
                env=env,
                check=False,
            )
        except FileNotFoundError as exc:
            raise _error(self.repo, "deploy-git", "git is not installed", "install git") from exc


def _hint_for(stderr: str) -> str:
    lowered = stderr.lower()
    if "tell me who you are" in lowered or "author identity" in lowered:
        return 'set your identity: git config user.name "Name" && git config user.email you@x'
    if "rejected" in lowered or "non-fast-forward" in lowered or "fetch first" in lowered:
        return "the remote branch moved since it was fetched; run the deploy again"
    if "could not read from remote" in lowered or "authentication" in lowered:
        return "check the remote's URL and your access: git remote -v"
    return "run the git command above by hand to see what it needs"


def deploy(
    repo: Path,
    output: Path,
    *,
    remote: str = "origin",
    branch: str = "gh-pages",
    message: str,
    cname: str = "",
    push: bool = True,
) -> DeployResult:
    """Commit exactly ``output/`` (plus ``.nojekyll``, ``CNAME``) to ``branch``; push it."""
    git = _open_repo(repo, branch)
    if not output.is_dir():
        hint = "build the site first: digest build"
        raise _error(output, "deploy-output", f"output folder '{output}' does not exist", hint)
    remote_tip = _fetch(git, remote, branch) if _has_remote(git, remote, push) else None
    local_tip = _rev(git, f"refs/heads/{branch}")
    parent = _choose_parent(git, branch, local_tip, remote_tip)
    previous = _tree_entries(git, parent) if parent is not None else {}
    kept = "" if cname or (output / "CNAME").is_file() else _blob_text(git, previous.get("CNAME"))
    with tempfile.TemporaryDirectory(prefix="digest-deploy-") as scratch:
        scratch_git = _Git(git.repo, Path(scratch) / "index")
        tree, files = _write_tree(scratch_git, output, cname, previous)
    commit = None
    if parent is None or _rev(git, f"{parent}^{{tree}}") != tree:
        commit = _commit(git, tree, parent, message)
    tip = commit or parent
    if tip is not None and tip != local_tip:
        ref = f"refs/heads/{branch}"
        git.run("update-ref", "-m", "digest deploy", ref, tip, local_tip or _ZERO)
    pushed = push and tip is not None and tip != remote_tip
    if pushed:
        git.run("push", "--quiet", remote, f"refs/heads/{branch}:refs/heads/{branch}")
    return DeployResult(branch, commit, pushed, files, kept.strip())


def preflight(repo: Path, *, remote: str = "origin", branch: str = "gh-pages") -> None:
    """Check what a deploy needs before anything is built: a repository, a valid branch
    that is not the one checked out, and ``remote``; raise :class:`DeployError` if not.
    """
    _has_remote(_open_repo(repo, branch), remote, push=True)


def default_message(repo: Path, version: str) -> str:
    """``Publish site from <short sha>[-dirty] with digest <version>``.

    ``-dirty`` marks uncommitted changes, new untracked files included (ignored ones not).
    """
    git = _open_repo(repo, None)
    sha = git.run("rev-parse", "--short", "HEAD", hint="commit your site before deploying it")
    if git.run("status", "--porcelain"):
        sha += "-dirty"
    return f"Publish site from {sha} with digest {version}"


def _open_repo(repo: Path, branch: str | None) -> _Git:
    """The repository at ``repo``; refuse a non-repository or deploying onto HEAD's branch."""
    git = _Git(repo)
    if not repo.is_dir() or not git.ok("rev-parse", "--git-dir"):
        hint = "run the deploy inside your site's git repository (git init, then commit)"
        raise _error(repo, "deploy-not-a-repo", f"'{repo}' is not a git repository", hint)
    if branch is None:
        return git
    if not git.ok("check-ref-format", f"refs/heads/{branch}"):
        hint = "use a plain branch name such as gh-pages"
        raise _error(repo, "deploy-branch", f"'{branch}' is not a valid branch name", hint)
    head = git.call(["symbolic-ref", "-q", "HEAD"], None).stdout.decode().strip()
    if head == f"refs/heads/{branch}":
        message = f"branch '{branch}' is the branch checked out here"
        hint = "publish to a separate branch such as gh-pages, never the one you work on"
        raise _error(repo, "deploy-branch", message, hint)
    return git


def _has_remote(git: _Git, remote: str, push: bool) -> bool:
    """Whether ``remote`` is configured; required when pushing."""
    if git.ok("remote", "get-url", remote):
        return True
    if push:
        message = f"the repository has no remote named '{remote}'"
        hint = f"add it with: git remote add {remote} URL (or name another with --remote)"
        raise _error(git.repo, "deploy-no-remote", message, hint)
    return False


def _fetch(git: _Git, remote: str, branch: str) -> str | None:
    """Fetch ``branch`` from ``remote``; its tip there, or None if it has none."""
    hint = f"check that '{remote}' can be reached: git ls-remote {remote}"
    listing = git.run("ls-remote", "--heads", remote, f"refs/heads/{branch}", hint=hint)
    if not listing:
        return None
    tracking = f"refs/remotes/{remote}/{branch}"
    git.run("fetch", "--quiet", "--no-tags", remote, f"+refs/heads/{branch}:{tracking}", hint=hint)
    return listing.split()[0]


def _rev(git: _Git, name: str) -> str | None:
    """The object ``name`` points at, or None if there is no such ref."""
    done = git.call(["rev-parse", "--verify", "--quiet", name], None)
    if done.returncode != 0:
        return None
    return done.stdout.decode().strip() or None


def _choose_parent(git: _Git, branch: str, local: str | None, remote: str | None) -> str | None:
    """The newer of the local and remote tips; refuse tips that diverged."""
    if local is None or remote is None or local == remote:
        return local or remote
    if git.ok("merge-base", "--is-ancestor", local, remote):
        return remote
    if git.ok("merge-base", "--is-ancestor", remote, local):
        return local
    message = f"the local and remote '{branch}' branches have diverged"
    hint = f"reset the local branch to the remote one: git branch -f {branch} {remote}"
    raise _error(git.repo, "deploy-diverged", message, hint)


def _commit(git: _Git, tree: str, parent: str | None, message: str) -> str:
    """A new commit of ``tree`` on ``parent`` (none for the branch's first)."""
    parents = ["-p", parent] if parent else []
    return git.run("commit-tree", tree, *parents, stdin=message.encode("utf-8"))


_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")


def domain_problem(base_url: str, domain: str) -> Diagnostic | None:
    """An error when ``domain`` (site.yaml's ``domain:``) is not a host, or not ``base_url``'s.

    Pages then serves the site at the domain while the sitemap, feeds, canonical
    links and the 404 page's links point at the other host.
    """
    wanted = domain.strip().casefold().rstrip(".")
    if not wanted:
        return None
    if not _HOST.fullmatch(wanted):
        return Diagnostic(
            Location("site.yaml"),
            Severity.ERROR,
            "bad-value",
            f"domain '{domain}' is not a host name; GitHub Pages would not serve it",
            "write the host alone, as in domain: news.example.org (no http://, path or spaces)",
        )
    host = (urlsplit(base_url).hostname or "").casefold().rstrip(".")
    if host == wanted:
        return None
    return Diagnostic(
        Location("site.yaml"),
        Severity.ERROR,
        "domain-mismatch",
        f"domain '{domain}' is not the host of base_url '{base_url}': the site would be "
        "served at one and link to the other",
        f"set base_url: https://{wanted}/ (or remove domain: to keep GitHub's address)",
    )


PAGEFIND = "pagefind/"


def _tree_entries(git: _Git, commit: str) -> dict[str, tuple[str, str]]:
    """``path -> (mode, blob)`` of every file in ``commit``."""
    listing = git.run("ls-tree", "-r", "-z", "--full-tree", commit)
    entries = {}
    for item in listing.split("\0"):
        if item:
            meta, _, name = item.partition("\t")
            mode, _kind, blob = meta.split()
            entries[name] = (mode, blob)
    return entries


def _blob_text(git: _Git, entry: tuple[str, str] | None) -> str:
    return git.run("cat-file", "blob", entry[1]) if entry is not None else ""


def _write_tree(
    git: _Git, output: Path, cname: str, previous: dict[str, tuple[str, str]]
) -> tuple[str, int]:
    """Store every file of ``output`` plus the extras; the tree's id and its file count.

    ``previous`` is the branch's tree: its ``CNAME`` is kept when neither ``cname``
    nor ``output`` gives one, and its ``pagefind/`` when every other file is the same.
    """
    paths = sorted(_files(output))
    entries: dict[str, tuple[str, str]] = {}
    for start in range(0, len(paths), _BATCH):
        batch = paths[start : start + _BATCH]
        ids = git.run("hash-object", "-w", "--no-filters", "--", *(str(p) for p in batch))
        for path, blob in zip(batch, ids.split(), strict=True):
            mode = "100755" if path.stat().st_mode & 0o111 else "100644"
            entries[path.relative_to(output).as_posix()] = (mode, blob)
    extras = {".nojekyll": b""} | ({"CNAME": cname.strip().encode() + b"\n"} if cname else {})
    for name, data in extras.items():
        entries[name] = ("100644", git.run("hash-object", "-w", "--stdin", stdin=data))
    if "CNAME" not in entries and "CNAME" in previous:
        entries["CNAME"] = previous["CNAME"]
    entries = _same_index(entries, previous)
    listing = b"".join(
        f"{mode} {blob}\t{name}".encode() + b"\0" for name, (mode, blob) in sorted(entries.items())
    )
    git.run("update-index", "-z", "--add", "--index-info", stdin=listing)
    return git.run("write-tree"), len(entries)


def _same_index(
    entries: dict[str, tuple[str, str]], previous: dict[str, tuple[str, str]]
) -> dict[str, tuple[str, str]]:
    """``entries`` with the previous ``pagefind/`` when every other file is unchanged."""

    def pages(tree: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
        return {k: v for k, v in tree.items() if not k.startswith(PAGEFIND)}

    if not previous or pages(entries) != pages(previous):
        return entries
    return pages(entries) | {k: v for k, v in previous.items() if k.startswith(PAGEFIND)}


def _files(output: Path) -> Iterator[Path]:
    """Every regular file under ``output``; a symlink is refused, ``.git`` skipped."""
    for folder, dirs, names in os.walk(output):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in (*names, *(d for d in dirs if os.path.islink(os.path.join(folder, d)))):
            path = Path(folder, name)
            if path.is_symlink():
                hint = "copy the file into the output folder instead of linking it"
                raise _error(path, "deploy-symlink", f"'{path}' is a symbolic link", hint)
            yield path
