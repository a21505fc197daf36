"""``digest ingest --update``: re-extract an article's body, touching only what ingest owns.

Ingest owns three things in an article file once it is written: the body,
``seed.sha256`` (the raw file's hash) and ``seed.body_sha256`` (the hash of the
body as ingest wrote it, see :func:`~generator.ingest.emit.body_sha256`).
Everything else is the editor's.  The new file is the old file's bytes with
just those spans replaced: each hash scalar at the character range the YAML
parser reports, and the text after the closing ``---``.  Comments, key order,
flow lists, quoting, a byte-order mark and CRLF line ends all stay as they
were.  (A YAML round-trip dump, even ruamel.yaml's, re-indents and re-spaces
what it writes, so it cannot promise that.)  An article ingested before
``body_sha256`` was recorded gets the key added after ``sha256``.

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
from generator.ingest.emit import body_sha256
from generator.ingest.errors import IngestError
from generator.ingest.result import Extraction

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Update:
    """What ``--update`` would do to one article file.

    ``old`` and ``new`` are the whole file as text (without a byte-order mark);
    ``body_changed`` says whether the body (not just the hashes) differs;
    ``body_recorded`` whether the file records ``seed.body_sha256``, and
    ``body_edited`` whether its body differs from that record (True when there
    is none: digest cannot then tell an editor's edit from the seed's change).
    """

    path: Path
    old: str
    new: str
    body_changed: bool
    bom: bool
    body_recorded: bool = False
    body_edited: bool = True

    @property
    def changed(self) -> bool:
        """Whether writing would change the file."""
        return self.new != self.old

    @property
    def needs_force(self) -> bool:
        """Whether writing would replace a body that may hold an editor's edits."""
        return self.body_changed and self.body_edited


@dataclass(frozen=True, slots=True)
class _Owned:
    """Where ingest's keys sit in the front matter text (offsets into it)."""

    sha256: tuple[int, int]
    body_sha256: tuple[int, int] | None  # None: not recorded (an older article)
    insert_at: int  # where to add ``body_sha256`` when it is not recorded
    insert: str  # what to add there, with ``{}`` for the hash


def plan_update(path: Path, extraction: Extraction) -> Update:
    """The file ``path`` with the body and seed hashes taken from ``extraction``.

    Raises :class:`IngestError` for an unreadable file, a file without front
    matter, YAML that does not parse, anchors or aliases, or no ``seed.sha256``.
    """
    raw = _read(path)
    bom = raw.startswith(codecs.BOM_UTF8)
    text = _decode(raw[3:] if bom else raw, path)
    head_start, head_end, body_start = _front_matter(text, path)
    newline = "\r\n" if "\r\n" in text[:body_start] else "\n"
    head = text[head_start:head_end]
    owned = _owned_spans(head, path, newline, first_line=2)
    old_body = text[body_start:]
    recorded = head[slice(*owned.body_sha256)] if owned.body_sha256 else None
    new_body = _new_body(old_body, extraction.body, newline)
    new_head = _splice_head(head, owned, extraction.sha256, body_sha256(new_body))
    new = text[:head_start] + new_head + text[head_end:body_start] + new_body
    edited = recorded != body_sha256(old_body)
    return Update(path, text, new, new_body != old_body, bom, recorded is not None, edited)


def _new_body(old_body: str, extracted: str, newline: str) -> str:
    """The body to write: the old one if it has the same text, else ``extracted``
    after the old body's leading blank lines, in the file's line-end style."""
    fresh = extracted.strip()
    if _plain(old_body).strip() == fresh:
        return old_body
    lead = old_body[: len(old_body) - len(old_body.lstrip("\r\n"))]
    return lead + (fresh + "\n").replace("\n", newline)


def _splice_head(head: str, owned: _Owned, sha: str, body_sha: str) -> str:
    """``head`` with the owned values replaced (or ``body_sha256`` added)."""
    edits = [(owned.sha256, sha)]
    if owned.body_sha256 is not None:
        edits.append((owned.body_sha256, body_sha))
    else:
        edits.append(((owned.insert_at, owned.insert_at), owned.insert.format(body_sha)))
    for (start, end), value in sorted(edits, reverse=True):
        head = head[:start] + value + head[end:]
    return head


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


def _owned_spans(head: str, path: Path, newline: str, first_line: int) -> _Owned:
    """Where ``seed: {sha256: …, body_sha256: …}``'s values are in ``head``."""
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
    sha, body = _value(seed, "sha256"), _value(seed, "body_sha256")
    if not isinstance(seed, yaml.MappingNode) or not isinstance(sha, yaml.ScalarNode):
        raise _bad(path, 1, "the front matter records no 'seed:' with a 'sha256:'")
    if body is not None and not isinstance(body, yaml.ScalarNode):
        raise _bad(path, body.start_mark.line + first_line, "'body_sha256' must be a hash")
    recorded = _span(body) if body is not None else None
    if seed.flow_style:  # seed: {path: …, sha256: …}: add ", body_sha256: …" after the value
        return _Owned(_span(sha), recorded, sha.end_mark.index, ", body_sha256: {}")
    line_end = head.find("\n", sha.end_mark.index)  # a new line under sha256, same indent
    at = len(head) if line_end < 0 else line_end + 1
    indent = " " * (_key(seed, "sha256") or sha).start_mark.column
    return _Owned(_span(sha), recorded, at, indent + "body_sha256: {}" + newline)


def _span(node: yaml.ScalarNode) -> tuple[int, int]:
    """A scalar's text range; inside the quotes if quoted (the editor's quotes stay)."""
    start, end = node.start_mark.index, node.end_mark.index
    return (start + 1, end - 1) if node.style in {"'", '"'} else (start, end)


def _key(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    names = (name for name, _ in node.value if isinstance(name, yaml.ScalarNode))
    return next((name for name in names if name.value == key), None)


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
