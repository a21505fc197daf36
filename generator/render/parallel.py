"""Work spread over worker processes: article bodies and pages rendered on every core.

The workers are forked from the build, so they start with the build's ``Site`` (and the
bodies already prepared) in memory; only their results travel back, in the order the
work was given, so a build with any number of workers writes the same bytes as one
process.  ``jobs=1`` (``digest build --jobs 1``) keeps all work in the build's process;
so does a platform without ``fork`` or a process that already runs other threads (forking
those is unsafe), and a site too small for the start-up of workers to pay.

Ctrl-C reaches every process of the terminal's group, ``kill`` the build alone: either
way the build alone answers (its workers ignore SIGINT) and ends its workers with SIGTERM,
which ends a worker at once and quietly.  See :func:`_workers` for why both signals are held
while workers are forked and ended.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Generator, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar, cast

from generator.render.frame import Prepared, prepare
from generator.render.taxonomy import Site

Item = TypeVar("Item")
Result = TypeVar("Result")
PAGES_PER_WORKER = 400  # below this many pages per worker, one process is faster
CHUNK_MOST = 1000  # items in one piece of work: at most some 30 MB of pages sent back at once
IN_FLIGHT = 2  # pieces of work given out per worker ahead of the one being taken
WORKER_GC_THRESHOLD = 10_000  # allocations between collections in a worker (default 700)
HELD = frozenset({signal.SIGINT, signal.SIGTERM})  # held while workers are forked and ended
_PR_SET_PDEATHSIG = 1  # Linux prctl: a signal sent to this process when its parent dies
_TASK: list[tuple[Callable[[Any], Any], Sequence[Any]]] = []  # inherited by workers


def cpu_count() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def worker_count(requested: int | None, items: int) -> int:
    """How many processes to use: ``requested``, or as many as the machine and work allow."""
    if requested is not None:
        return max(1, requested)
    return max(1, min(cpu_count(), items // PAGES_PER_WORKER))


def can_fork() -> bool:
    """Whether worker processes may be forked from this process."""
    methods = multiprocessing.get_all_start_methods()
    return "fork" in methods and threading.active_count() == 1


def ordered_map(
    task: Callable[[Sequence[Item]], Result], chunks: Sequence[Sequence[Item]], jobs: int
) -> Generator[Result, None, None]:
    """``task(chunk)`` for every chunk, run by ``jobs`` forked workers, yielded in order.

    ``task`` may be a closure over the build's data: the workers inherit it (and
    ``chunks``) when forked.  Exceptions raised in a worker are raised here;
    :class:`WorkerLost` when a worker ends before sending its work back (killed).  The
    workers end when the generator ends: a caller that may leave it early closes it
    (``contextlib.closing``), so that they end then, not whenever it is collected.
    """
    if jobs <= 1 or len(chunks) <= 1 or not can_fork():
        yield from (task(chunk) for chunk in chunks)
        return
    _TASK.append((task, chunks))
    # What the workers inherit is exempt from the garbage collector while they run: a
    # full collection in a worker would otherwise walk (and copy, page by page) the whole
    # site it inherited, which cost more than the work itself.
    gc.freeze()
    try:
        with _workers(min(jobs, len(chunks))) as workers:
            yield from _in_window(workers, len(chunks), len(workers) * IN_FLIGHT)
    finally:
        gc.unfreeze()
        _TASK.pop()


class WorkerLost(RuntimeError):
    """A worker process ended before sending back its work (killed: ``kill -9``, the
    kernel short of memory)."""


Worker = tuple[BaseProcess, Connection]  # a worker process and the build's end of its pipe


@contextlib.contextmanager
def _workers(count: int) -> Iterator[list[Worker]]:
    """``count`` forked worker processes, each with a pipe of its own, all ended (SIGTERM)
    and waited for when the block is left, however it is left.

    Own code, not ``multiprocessing.Pool``: a pool's workers share one lock to take work,
    so a worker killed while it held the lock (``kill`` of the process group, the kernel
    short of memory) left the pool's ``terminate()`` waiting for that lock forever, and a
    worker killed while it worked left the build waiting for its result forever.

    SIGINT and SIGTERM are held (blocked) while the workers are forked and while they are
    ended.  A worker is thus born with both held: a signal sent to it before it first runs
    stays pending in the kernel until :func:`_start_worker` has set SIGINT ignored and
    SIGTERM to its default, which then ends it.  (Without that, a worker the scheduler had
    not run yet when it was ended took the SIGTERM with the Python handler it inherited,
    the CLI's, and CPython's after-fork code in the child dropped it: the worker lived on
    and the build waited for it forever.)  A Ctrl-C or SIGTERM of the build that came
    meanwhile is raised once the workers have all started, or all ended.
    """
    build = os.getpid()
    context = multiprocessing.get_context("fork")
    held = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    started: list[Worker] = []
    try:
        try:
            for _ in range(count):
                mine, theirs = context.Pipe()
                inherited = [pipe for _, pipe in started] + [mine]  # closed in the worker
                args = (theirs, inherited, held, build)
                process = context.Process(target=_serve, args=args, daemon=True)
                started.append((process, mine))
                process.start()
                theirs.close()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a Ctrl-C meanwhile: raised here
        yield started
    finally:
        signal.pthread_sigmask(signal.SIG_BLOCK, HELD)  # a second Ctrl-C cannot cut it short
        try:
            _end(started)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _end(workers: Sequence[Worker]) -> None:
    """SIGTERM every worker, then wait for each to end (none holds anything the build
    needs)."""
    for process, _ in workers:
        if process.pid is not None:
            process.terminate()
    for process, pipe in workers:
        if process.pid is not None:
            process.join()
        pipe.close()


def _in_window(workers: Sequence[Worker], count: int, window: int) -> Iterator[Any]:
    """The results of the ``count`` chunks in order, with at most ``window`` chunks given
    out and not yet taken: workers never run far ahead of the caller, so the results
    waiting in this process stay a few chunks, whatever the size of the site.  A chunk
    goes to the worker with the fewest chunks in hand."""
    busy = {pipe: 0 for _, pipe in workers}  # chunks given to each and not sent back
    processes = {pipe: process for process, pipe in workers}
    results: dict[int, tuple[bool, Any]] = {}
    given = 0
    for taken in range(count):
        while given < min(count, taken + window):
            least = min(busy, key=busy.__getitem__)
            try:
                least.send(given)
            except OSError:  # the worker is gone
                raise _lost(processes[least]) from None
            busy[least] += 1
            given += 1
        while taken not in results:
            for ready in wait(list(busy)):
                pipe = cast(Connection, ready)
                index, ok, value = _received(pipe, processes[pipe])
                results[index] = (ok, value)
                busy[pipe] -= 1
        ok, value = results.pop(taken)
        if not ok:
            raise value
        yield value


def _received(pipe: Connection, process: BaseProcess) -> tuple[int, bool, Any]:
    """A worker's answer: the chunk's number, whether it succeeded, its result or error."""
    try:
        answer: tuple[int, bool, Any] = pipe.recv()
    except (EOFError, OSError):  # its end closed, or reset with work unread
        raise _lost(process) from None
    return answer


def _lost(process: BaseProcess) -> WorkerLost:
    process.join()
    code = process.exitcode or 0
    how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
    return WorkerLost(f"a worker process ended before its work was done ({how})")


def _serve(
    pipe: Connection, inherited: Sequence[Connection], held: set[signal.Signals], build: int
) -> None:
    """A worker: run the task on each chunk number the build sends, send back the result
    (or the error), until SIGTERM or the build's end."""
    for other in inherited:  # the build's ends: the worker sees the build's end as EOF
        other.close()
    _start_worker(held, build)
    task, chunks = _TASK[-1]
    while True:
        try:
            index = pipe.recv()
        except (EOFError, OSError):  # the build has gone
            return
        try:
            answer: tuple[int, bool, Any] = (index, True, task(chunks[index]))
        except Exception as exc:  # noqa: BLE001 - raised again in the build
            exc.add_note("(in a worker process)\n" + "".join(traceback.format_exception(exc)))
            answer = (index, False, exc)
        try:
            pipe.send(answer)
        except Exception as exc:  # noqa: BLE001 - a result or an error that cannot be pickled
            pipe.send((index, False, RuntimeError(f"cannot send it back: {exc!r}")))


def _start_worker(held: set[signal.Signals], build: int) -> None:
    """A worker's first act (SIGINT and SIGTERM still held, as the build held them when
    it forked): Ctrl-C is the build's to answer, SIGTERM ends the worker, and so does the
    build's death, then the signals pending meanwhile are let in."""
    # A worker keeps most of what it makes until its chunk is done (views, pages), so the
    # collector's young generation would be walked again and again for little garbage.
    gc.set_threshold(WORKER_GC_THRESHOLD, 20, 10)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _end_with_parent(build)
    signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _end_with_parent(build: int) -> None:
    """On Linux, SIGKILL this process when the build dies, even by ``kill -9`` (no
    worker lives on to finish its chunk and fail to send it back)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != build:  # the build died before this worker could ask
        os._exit(1)


def chunked(
    items: Sequence[Item], jobs: int, per_job: int = 8, most: int = CHUNK_MOST
) -> list[Sequence[Item]]:
    """``items`` cut into contiguous runs, about ``per_job`` runs per worker and at most
    ``most`` items a run (what a worker sends back at once stays small on a large site)."""
    size = max(1, min(most, -(-len(items) // (max(jobs, 1) * per_job))))
    return [items[start : start + size] for start in range(0, len(items), size)]


Body = tuple[Any, str, str]


def prepare_bodies(site: Site, slugs: Sequence[str], jobs: int) -> list[Prepared]:
    """The rendered bodies of the articles ``slugs``, prepared by ``jobs`` workers."""
    by_slug = {article.slug: article for article in site.articles}

    def task(chunk: Sequence[str]) -> list[Body]:
        done = (prepare(site, by_slug[slug]) for slug in chunk)
        return [(item.body, item.summary, item.why_it_matters) for item in done]

    found: list[Prepared] = []
    chunks = chunked(slugs, jobs)
    with contextlib.closing(ordered_map(task, chunks, jobs)) as results:  # workers end here
        for chunk, bodies in zip(chunks, results, strict=True):
            found += [Prepared(by_slug[s], *body) for s, body in zip(chunk, bodies, strict=True)]
    return found
