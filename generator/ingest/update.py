"""``digest ingest --update``: re-extract an article's body, touching only what ingest owns.

Ingest owns two things in an article file once it is written: the body and
``seed.sha256``.  Everything else is the editor's.  The new file is the old
file's bytes with just those two spans replaced: the ``sha256`` scalar at the
character range the YAML parser reports, and the text after the closing
``---``.  Comments, key order, flow lists, quoting, a byte-order mark and CRLF
line ends all stay as they were.  (A YAML round-trip dump, even ruamel.yaml's,
re-indents and re-spaces what it writes, so it cannot promise that.)

Front matter with anchors or aliases is refused, never expanded.  The caller
decides whether a body that differs may be replaced (see :class:`Update`).
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.content import ALIAS_HINT, ALIAS_MESSAGE, first_alias
from generator.ingest.errors import IngestError
from generator.ingest.result import Extraction

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Update:
    """What ``--update`` would do to one article file.

    ``old`` and ``new`` are the whole file as text (without a byte-order mark);
    ``body_changed`` says whether the body (not just ``seed.sha256``) differs.
    """

    path: Path
    old: str
    new: str
    body_changed: bool
    bom: bool

    @property
    def changed(self) -> bool:
        """Whether writing would change the file."""
        return self.new != self.old


def plan_update(path: Path, extraction: Extraction) -> Update:
    """The file ``path`` with the body and ``seed.sha256`` taken from ``extraction``.

    Raises :class:`IngestError` for an unreadable file, a file without front
    matter, YAML that does not parse, anchors or aliases, or no ``seed.sha256``.
    """
    raw = _read(path)
    bom = raw.startswith(codecs.BOM_UTF8)
    text = _decode(raw[3:] if bom else raw, path)
    head_start, head_end, body_start = _front_matter(text, path)
    head = text[head_start:head_end]
    start, end = _sha256_span(head, path, first_line=2)
    new_head = head[:start] + extraction.sha256 + head[end:]
    old_body = text[body_start:]
    fresh = extraction.body.strip()
    body_changed = _plain(old_body).strip() != fresh
    new_body = old_body
    if body_changed:
        newline = "\r\n" if "\r\n" in text[:body_start] else "\n"
        lead = old_body[: len(old_body) - len(old_body.lstrip("\r\n"))]
        new_body = lead + (fresh + "\n").replace("\n", newline)
    new = text[:head_start] + new_head + text[head_end:body_start] + new_body
    return Update(path, text, new, body_changed, bom)


def apply_update(update: Update, backup_dir: Path | None = None) -> Path | None:
    """Write ``update``; first copy the old file into ``backup_dir`` if given.

    Returns the backup's path (``<backup_dir>/<name>.<UTC time>.md``), if one was made.
    The file is replaced atomically (temporary file, then rename).
    """
    backup = None
    if backup_dir is not None:
        backup_dir.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = backup_dir / f"{update.path.stem}.{stamp}{update.path.suffix}"
        backup.write_bytes(_encode(update.old, update.bom))
    _replace(update.path, _encode(update.new, update.bom))
    return backup


def _front_matter(text: str, path: Path) -> tuple[int, int, int]:
    """Offsets of the YAML text (start, end) and of the body, in ``text``."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != "---":
        raise _bad(path, 1, "the file has no front matter")
    offset = len(lines[0])
    for line in lines[1:]:
        if line.rstrip("\r\n").rstrip() in {"---", "..."}:
            return len(lines[0]), offset, offset + len(line)
        offset += len(line)
    raise _bad(path, 1, "the front matter is not closed by ---")


def _sha256_span(head: str, path: Path, first_line: int) -> tuple[int, int]:
    """The character range of ``seed: {sha256: …}``'s value in ``head``."""
    alias = first_alias(head, first_line)
    if alias is not None:
        raise IngestError.make_at(str(path), *alias, "yaml-alias", ALIAS_MESSAGE, ALIAS_HINT)
    try:
        root = yaml.compose(head, Loader=_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + first_line if mark else 1
        problem = getattr(error, "problem", None) or error
        raise _bad(path, line, f"the front matter is not valid YAML: {problem}") from None
    seed = _value(root, "seed")
    sha = _value(seed, "sha256")
    if not isinstance(sha, yaml.ScalarNode):
        raise _bad(path, 1, "the front matter records no 'seed:' with a 'sha256:'")
    start, end = sha.start_mark.index, sha.end_mark.index
    quoted = sha.style in {"'", '"'}  # keep the editor's quotes: replace what is inside
    return (start + 1, end - 1) if quoted else (start, end)


def _value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for name, value in node.value:
        if isinstance(name, yaml.ScalarNode) and name.value == key:
            return value if isinstance(value, yaml.Node) else None
    return None


def _plain(text: str) -> str:
    return text.replace("\r\n", "\n")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise IngestError.make(
            str(path), "ingest-unreadable", f"cannot read the article: {error}", "check the path"
        ) from None


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _bad(path, 1, f"the file is not UTF-8: {error.reason}") from None


def _encode(text: str, bom: bool) -> bytes:
    return (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")


def _bad(path: Path, line: int, message: str) -> IngestError:
    return IngestError.make_at(
        str(path), line, 1, "ingest-bad-article", message, "fix the file by hand first"
    )


def _replace(path: Path, data: bytes) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, path.stat().st_mode & 0o7777)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
