"""Pagefind, driven as a service: records in, a search bundle out, made byte-stable.

The ``pagefind`` package's own Python client waits 100 ms between reading two answers
of the service (200 records took 22 s), so this module speaks the same service
protocol (``pagefind --service``: base64 JSON messages ending in a comma, the
package's own message types) synchronously, one record at a time.

The bundle's files come back over the same pipe (``GetFiles``) and are written here.
Pagefind writes the values of each filter in hash-map order, which varies from run to
run, and names the filter and metadata files after their bytes.  :func:`stabilize`
sorts those values and renames the files after their new bytes, so the same records
always give the same ``pagefind/`` (its fragments and word index are stable already).
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import IO, Any, TypedDict

import cbor2
from pagefind.service import get_executable
from pagefind.service.types import (
    InternalAddRecordRequest,
    InternalGetFilesRequest,
    InternalNewIndexRequest,
    InternalRequestPayload,
)

SIGNATURE = b"pagefind_dcd"  # the first bytes of every decompressed index file
TIMEOUT_SECONDS = 600
# The parts of the bundle that search.js does not use: Pagefind's ready-made interfaces.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


class PagefindError(Exception):
    """Pagefind is missing, failed or answered an error; ``detail`` holds its last words."""

    def __init__(self, message: str, detail: tuple[str, ...] = ()) -> None:
        self.detail = detail
        super().__init__(message)


class Record(TypedDict):
    """One record as Pagefind's ``AddRecord`` takes it."""

    url: str
    content: str
    language: str
    meta: dict[str, str]
    filters: dict[str, list[str]]


class Stopper:
    """Lets another thread stop the :func:`write_bundle` calls under way: their Pagefind
    services are killed (each call then raises :class:`PagefindError`) or never started."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._processes: list[subprocess.Popen[bytes]] = []
        self.stopped = False

    def stop(self) -> None:
        """Kill the services now, or as soon as they start (thread-safe)."""
        with self._lock:
            self.stopped = True
            for process in self._processes:
                process.kill()

    def _attach(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._processes = [p for p in self._processes if p.poll() is None]
            self._processes.append(process)
            if self.stopped:
                process.kill()


def write_bundle(records: Iterable[Record], bundle: Path, stopper: Stopper | None = None) -> None:
    """Index ``records`` with a Pagefind service and write its bundle into ``bundle``.

    Raises :class:`PagefindError` (also when ``stopper`` stopped it); the service never
    outlives the call.
    """
    with tempfile.TemporaryFile() as errors, _Service(executable(), errors) as service:
        if stopper is not None:
            stopper._attach(service._process)
        index_id = service.send(InternalNewIndexRequest(type="NewIndex", config=None))["index_id"]
        for record in records:
            request = InternalAddRecordRequest(
                type="AddRecord",
                index_id=index_id,
                url=record["url"],
                content=record["content"],
                language=record["language"],
                meta=record["meta"],
                filters=record["filters"],
                sort=None,
            )
            service.send(request)
        answer = service.send(InternalGetFilesRequest(type="GetFiles", index_id=index_id))
    files = {f["path"]: base64.b64decode(f["content"]) for f in answer.get("files", ())}
    for name in UNUSED:
        files.pop(name, None)
    for path, data in sorted(stabilize(files).items()):
        relative = PurePosixPath(path)
        if relative.is_absolute() or ".." in relative.parts:
            raise PagefindError(f"Pagefind named a file outside its folder: {path}")
        for folder in reversed(relative.parents[:-1]):  # never re-makes a deleted ``bundle``
            (bundle / folder).mkdir(exist_ok=True)
        (bundle / relative).write_bytes(data)


def executable() -> Path:
    """The Pagefind binary (``PAGEFIND_BINARY_PATH``, else the extended one from PyPI)."""
    try:
        found = get_executable()
    except FileNotFoundError:
        found = None
    if found is None or not found.is_file():
        raise PagefindError("the Pagefind binary is not installed")
    return found


_PR_SET_PDEATHSIG = 1


def _dies_with_parent() -> Callable[[], None] | None:
    """On Linux, a hook that makes the child get SIGKILL when the build dies (even by
    ``kill -9``), so Pagefind never outlives its build.  (Python's own cleanup and the
    timer kill it on any exception, Ctrl-C or time-out.)"""
    if not sys.platform.startswith("linux"):
        return None

    def bind() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)

    return bind


class _Service:
    """One ``pagefind --service`` process, killed on exit or after TIMEOUT_SECONDS."""

    def __init__(self, binary: Path, errors: IO[bytes]) -> None:
        self._errors = errors
        self._next = 0
        self._buffer = b""
        try:
            self._process = subprocess.Popen(
                [str(binary), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                preexec_fn=_dies_with_parent(),
            )
        except OSError as exc:
            raise PagefindError(f"could not run Pagefind ({binary}): {exc}") from exc
        self._timer = threading.Timer(TIMEOUT_SECONDS, self._process.kill)
        self._timer.start()

    def __enter__(self) -> _Service:
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):  # unsent bytes to a dead process
                    stream.close()

    def send(self, payload: InternalRequestPayload) -> dict[str, Any]:
        """Send one request and return the answer's payload."""
        self._next += 1
        message = json.dumps({"message_id": self._next, "payload": payload})
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
            self._process.stdin.flush()
            answer = json.loads(base64.b64decode(self._read_message()))
        except (OSError, ValueError) as exc:
            raise self._failed() from exc
        result: dict[str, Any] = answer.get("payload") or {}
        if result.get("type") == "Error":
            raise PagefindError(f"Pagefind refused a request: {result.get('message', '')}")
        return result

    def _read_message(self) -> bytes:
        assert self._process.stdout is not None
        chunks = [self._buffer]
        while b"," not in chunks[-1]:
            chunk = os.read(self._process.stdout.fileno(), 1 << 20)
            if not chunk:
                raise OSError("Pagefind stopped answering")
            chunks.append(chunk)
        message, _, self._buffer = b"".join(chunks).partition(b",")
        return message

    def _failed(self) -> PagefindError:
        self._timer.cancel()
        try:
            code = self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            code = self._process.wait()
        self._errors.seek(0)
        said = self._errors.read().decode("utf-8", "replace").strip().splitlines()
        return PagefindError(f"Pagefind failed with exit code {code}", tuple(said[-20:]))


def stabilize(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle ``files`` (path to bytes) with each filter's values sorted and the
    filter and metadata files renamed after their new bytes."""
    files = dict(files)
    entry = json.loads(files["pagefind-entry.json"])
    for language, info in entry["languages"].items():
        meta = _read(files.pop(f"pagefind.{info['hash']}.pf_meta"))
        filters = []
        for name, old in meta[3]:
            values = _read(files.pop(f"filter/{old}.pf_filter"))
            values[1].sort(key=lambda pair: pair[0])
            stem, data = _named(values, f"{language}_", 7)
            files[f"filter/{stem}.pf_filter"] = data
            filters.append([name, stem])
        meta[3] = sorted(filters)
        info["hash"], data = _named(meta, f"{language}_", 10)
        files[f"pagefind.{info['hash']}.pf_meta"] = data
    files["pagefind-entry.json"] = json.dumps(
        entry, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    return files


def _read(data: bytes) -> Any:
    plain = gzip.decompress(data)
    if not plain.startswith(SIGNATURE):
        raise PagefindError("Pagefind wrote an index file of an unknown format")
    return cbor2.loads(plain[len(SIGNATURE) :])


def _named(value: Any, prefix: str, digits: int) -> tuple[str, bytes]:
    """``value`` as a Pagefind file, and the name (stem) its bytes give it."""
    data = gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=6, mtime=0)
    return prefix + hashlib.sha256(data).hexdigest()[:digits], data
