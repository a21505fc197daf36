"""Search index benchmark: Pagefind's peak memory and time against records per part.

    python benchmarks/search.py --articles 2000 --part-sizes 500 1000 2000 --jobs 1 2

Makes ``--articles`` synthetic search records (one per article, ~700 words each, as
``build.py``'s articles: 2-5 of ~200 tags, 1-2 topics, an outlet) and indexes them with
digest's own code (``generator.publish.index_records``) into a fresh folder, once per
(part size, jobs) pair, interleaved over ``--repeat`` rounds.  For each it reports the
wall time, the number of parts, the peak resident memory of one Pagefind process, of all
Pagefind processes at once, and of the whole process (this interpreter + Pagefind),
sampled every 20 ms with psutil, and Pagefind's peak per record.  Nothing here is a test.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build import OUTLETS, TOPICS, WORDS

from generator.publish import index_records, part_count


@dataclass(frozen=True, slots=True)
class Record:
    """One search record, as ``generator.render.SearchRecord``."""

    url: str
    title: str
    part: str
    content: str
    filters: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class Run:
    """One index: wall seconds, parts, peak MiB of one Pagefind, of all, of everything."""

    wall: float
    parts: int
    one: float
    pagefinds: float
    total: float


def records(count: int, seed: int = 7) -> list[Record]:
    """``count`` synthetic records, the same for the same arguments."""
    rng = random.Random(seed)
    tags = [f"tag {i:03d}" for i in range(200)]
    made = []
    for index in range(count):
        text = " ".join(" ".join(rng.choices(WORDS, k=70)) + "." for _ in range(10))
        filters = (
            ("outlet", (rng.choice(OUTLETS),)),
            ("tag", tuple(sorted(rng.sample(tags, rng.randint(2, 5))))),
            ("topic", tuple(sorted(rng.sample(TOPICS, rng.randint(1, 2))))),
        )
        title = f"Synthetic article number {index}"
        made.append(Record(f"articles/article-{index:05d}/", title, "text", text, filters))
    return made


class Sampler:
    """Samples this process and its children every 20 ms until stopped."""

    def __init__(self) -> None:
        self.one = self.pagefinds = self.total = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        me = psutil.Process()
        while not self._done.wait(0.02):
            sizes = []
            for child in me.children(recursive=True):
                try:
                    sizes.append(child.memory_info().rss)
                except psutil.Error:
                    continue
            self.one = max(self.one, *sizes, 0)
            self.pagefinds = max(self.pagefinds, sum(sizes))
            self.total = max(self.total, sum(sizes) + me.memory_info().rss)


def measure(made: list[Record], part_size: int, jobs: int) -> Run:
    """Index ``made`` in parts of ``part_size`` records, ``jobs`` at a time."""
    with tempfile.TemporaryDirectory() as folder:
        sampler = Sampler()
        started = time.perf_counter()
        index_records(made, Path(folder), "en", part_size=part_size, jobs=jobs)
        wall = time.perf_counter() - started
        sampler.stop()
    mib = 2**20
    parts = part_count(len(made), part_size)
    return Run(wall, parts, sampler.one / mib, sampler.pagefinds / mib, sampler.total / mib)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--part-sizes", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    made = records(args.articles)
    runs: dict[tuple[int, int], list[Run]] = {}
    for _ in range(args.repeat):
        for size in args.part_sizes:
            for jobs in args.jobs:
                run = measure(made, size, jobs)
                runs.setdefault((size, jobs), []).append(run)
                print(f"part size {size:>6}, jobs {jobs}: {run}", flush=True)
    print(f"\n{args.articles} records, medians of {args.repeat}:")
    print(
        "part size | jobs | parts | wall s | one Pagefind MiB | all Pagefind MiB | total MiB "
        "| KB per record (one Pagefind)"
    )
    for (size, jobs), done in runs.items():
        one = statistics.median(r.one for r in done)
        per = one * 1024 / min(size, args.articles)
        print(
            f"{size} | {jobs} | {done[0].parts} | {statistics.median(r.wall for r in done):.2f} | "
            f"{one:.0f} | {statistics.median(r.pagefinds for r in done):.0f} | "
            f"{statistics.median(r.total for r in done):.0f} | {per:.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
