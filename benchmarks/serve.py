"""Live-preview benchmark: what an idle preview costs, and how long one edit takes.

    python benchmarks/serve.py --articles 10000 --edits 7 --idle 20 [--annotated 0.2] [--poll]
        [--profile FILE]

Generates a synthetic site (as benchmarks/build.py does; ``--annotated``: the share of
articles with commentary), starts the real
``digest serve`` preview on 127.0.0.1 in a thread, then edits one article
body at a time and measures, from the moment the file is written, until the
preview has rebuilt and told the browsers to reload (watcher poll, debounce,
incremental rebuild).  A browser then fetches one page (a few ms on loopback).  The search
index is refreshed after that, in the background: the time until the edited article is
searchable is reported too (the next edit starts once the index has settled).  With
``--profile FILE``, the last edit's ``Session.rebuild`` runs under cProfile: its stats go to
FILE and the top functions are printed.
Before the edits, it measures the CPU time the whole process (every thread: the server,
the watcher, watchdog's observer) uses over ``--idle`` seconds while nothing changes, as a
share of one core.  ``--poll`` uses the polling fallback instead of file events.
Prints each edit and the medians.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build import make_site

from generator.preview.server import Event, Preview
from generator.preview.session import Rebuilt, Session


def _start(site: Path, events: list[Event], poll: bool) -> Preview:
    preview = Preview(site, site / "output", events.append, poll=poll)
    ready = threading.Event()

    def serve() -> None:
        preview.listen("127.0.0.1", 0)
        ready.set()
        preview.run()

    threading.Thread(target=serve, daemon=True).start()
    ready.wait(600)
    return preview


def _idle_cpu(seconds: float) -> float:
    """CPU time used by this process over ``seconds`` of wall time, as a share of one core."""
    time.sleep(2.0)  # let the first build's aftermath settle
    cpu, wall = time.process_time(), time.perf_counter()
    time.sleep(seconds)
    return (time.process_time() - cpu) / (time.perf_counter() - wall)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument(
        "--annotated",
        type=float,
        default=0.0,
        help="share of articles with commentary (0 to 1; three notes each)",
    )
    parser.add_argument("--idle", type=float, default=20.0, help="seconds of idle to measure")
    parser.add_argument("--poll", action="store_true", help="the polling fallback")
    parser.add_argument("--profile", type=Path, help="cProfile the last edit's rebuild into FILE")
    args = parser.parse_args()
    events: list[Event] = []
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        make_site(site, args.articles, annotated=args.annotated)
        started = time.perf_counter()
        preview = _start(site, events, args.poll)
        print(f"first build and start: {time.perf_counter() - started:.2f} s")
        preview.session.settle()  # the first search index, made in the background
        print(f"first search index ready: {time.perf_counter() - started:.2f} s")
        idle = _idle_cpu(args.idle)
        print(f"idle for {args.idle:.0f} s: {idle:.2%} of one core (whole process, all threads)")
        total, rebuild, searchable = [], [], []
        for number in range(args.edits):
            if args.profile and number == args.edits - 1:
                _profile(preview.session, args.profile)
            time.sleep(0.5)
            seen = len(events)
            name = f"article-{number * 997 % args.articles:05d}.md"
            article = site / "content" / "articles" / name
            text = article.read_text(encoding="utf-8")
            text = text.replace("\n\n", f"\n\nEdit {number}. ", 2)
            written = time.perf_counter()
            article.write_text(text, encoding="utf-8")
            while len(events) == seen:
                time.sleep(0.002)
            total.append(time.perf_counter() - written)
            result = events[-1]
            assert isinstance(result, Rebuilt), result
            rebuild.append(result.seconds)
            preview.session.settle()
            searchable.append(time.perf_counter() - written)
            print(
                f"edit {number + 1}: rebuilt {result.pages} pages in "
                f"{result.seconds * 1000:.0f} ms; edit to reload signal {total[-1] * 1000:.0f} ms;"
                f" searchable after {searchable[-1] * 1000:.0f} ms"
            )
        preview.stop()
    mode = "polling" if args.poll else "file events"
    print(
        f"median on {args.articles} articles ({mode}): idle CPU {idle:.2%} of a core, "
        f"rebuild {statistics.median(rebuild) * 1000:.0f} ms, "
        f"edit saved to browsers told to reload {statistics.median(total) * 1000:.0f} ms, "
        f"to searchable {statistics.median(searchable) * 1000:.0f} ms"
    )
    return 0


def _profile(session: Session, stats_file: Path) -> None:
    """Make the session's next rebuild run under cProfile, then print its top functions."""
    plain = session.rebuild

    def profiled(*args: Any, **kwargs: Any) -> Rebuilt:
        session.rebuild = plain  # type: ignore[method-assign]
        profile = cProfile.Profile()
        try:
            return profile.runcall(plain, *args, **kwargs)
        finally:
            profile.dump_stats(stats_file)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)

    session.rebuild = profiled  # type: ignore[method-assign]


if __name__ == "__main__":
    raise SystemExit(main())
