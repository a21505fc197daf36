"""Extraction quality benchmark: ``python benchmarks/extraction.py DIR``.

DIR is laid out like the extraction-dev set: ``<id>.txt`` (text dumps) and
``<id>.html`` pages, ``truth.jsonl`` (``id``, ``body``) and ``meta.jsonl``
(silver ``title``/``authors``/``published`` labels with ``visible`` flags).
Prints body precision/recall/F1 (4-token shingles of ``\\w+`` tokens, per-page
normalised counts, mean precision over non-empty predictions, mean recall, F1
of the means), title/author/date accuracy, and pages per second, for dumps and
HTML separately.  Exits 0 with a "skipped" line when DIR does not exist.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.ingest import Extraction, IngestError, extract_path

WORD = re.compile(r"\w+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\xa0": " "})
_BY = re.compile(r"^\s*(?:(?:posted|written)\s+)?by\s*:?\s+", re.I)
_SEP = re.compile(r"\s*(?:;|\||\band\b|&)\s*")
_CREDENTIALS = {"phd", "md", "ms", "ma", "mba", "mph", "rd", "rdn", "jr", "sr", "ii", "iii"}


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of n-token shingles (a shorter text is one shorter shingle)."""
    toks = WORD.findall(text or "")
    if not toks:
        return Counter()
    if len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def page_pr(truth: str, pred: str) -> tuple[float | None, float | None]:
    """Page precision (None for an empty prediction) and recall (None for empty truth)."""
    t, p = shingles(truth), shingles(pred)
    tp, fp, fn = sum((t & p).values()), sum((p - t).values()), sum((t - p).values())
    if fp == 0 and fn == 0:
        return (1.0 if tp else None), (1.0 if tp else None)
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall


def norm(text: str) -> str:
    """Case-folded, NFKC, quotes and dashes unified, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES)
    return " ".join(text.split()).casefold()


def title_ok(pred: str, gold: str, sites: list[str]) -> bool:
    """Token F1 >= 0.9 after removing a trailing " | Site" suffix on both sides."""
    a, b = (
        Counter(WORD.findall(_strip_site(pred, sites))),
        Counter(WORD.findall(_strip_site(gold, sites))),
    )
    tp = sum((a & b).values())
    if not tp:
        return False
    p, r = tp / sum(a.values()), tp / sum(b.values())
    return 2 * p * r / (p + r) >= 0.9


def _strip_site(title: str, sites: list[str]) -> str:
    text = norm(title)
    for site in (norm(s) for s in sites if s):
        for sep in (" | ", " - ", " : ", " :: ", " · ", " • "):
            if text.endswith(sep + site):
                text = text[: -len(sep + site)]
    return text


def name_key(name: str) -> str:
    """A person name normalised for comparison."""
    words = re.sub(r"[^\w\s]", " ", norm(_BY.sub("", name))).split()
    return " ".join(w for w in words if w not in _CREDENTIALS)


def authors_ok(pred: list[str], gold: list[str]) -> bool:
    """The predicted set of names equals the labelled set."""
    names = {name_key(p) for item in pred for p in _SEP.split(item)} - {""}
    return bool(gold) and names == {name_key(g) for g in gold} - {""}


@dataclass
class Tally:
    """Figures for one kind of input (dumps or HTML)."""

    precisions: list[float] = field(default_factory=list)
    recalls: list[float] = field(default_factory=list)
    fields: dict[str, list[bool]] = field(default_factory=dict)
    seconds: float = 0.0
    pages: int = 0
    errors: int = 0

    def mark(self, name: str, ok: bool) -> None:
        """Record one field's right or wrong answer."""
        self.fields.setdefault(name, []).append(ok)

    def report(self, label: str) -> list[str]:
        """Printable lines."""
        p = statistics.fmean(self.precisions) if self.precisions else 0.0
        r = statistics.fmean(self.recalls) if self.recalls else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        speed = self.pages / self.seconds if self.seconds else 0.0
        lines = [
            f"{label}: pages={self.pages} errors={self.errors} body F1={f1:.3f} "
            f"precision={p:.3f} recall={r:.3f} speed={speed:.0f} pages/s"
        ]
        for name, marks in sorted(self.fields.items()):
            lines.append(f"  {name:<9} {sum(marks) / len(marks):.3f} (n={len(marks)})")
        return lines


def load_jsonl(path: Path) -> dict[str, dict[str, Any]]:
    """Rows of a JSON Lines file keyed by id (empty when the file is missing)."""
    if not path.exists():
        return {}
    rows = (
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    )
    return {str(row["id"]): row for row in rows}


def score_page(
    tally: Tally, result: Extraction | None, truth: str, meta: dict[str, Any], kind: str
) -> None:
    """Add one page's body and metadata figures to ``tally``."""
    pred = result.text if result else ""
    precision, recall = page_pr(truth, pred)
    if precision is not None:
        tally.precisions.append(precision)
    if recall is not None:
        tally.recalls.append(recall)
    if not meta:
        return
    visible = meta.get("visible") or {}
    sites = [meta.get("site_name") or "", *(meta.get("site_name_alt") or [])]
    if meta.get("title"):
        tally.mark(
            "title", bool(result) and title_ok(result.title if result else "", meta["title"], sites)
        )
    if meta.get("authors"):
        tally.mark(
            "authors",
            bool(result) and authors_ok(list(result.authors) if result else [], meta["authors"]),
        )
    if meta.get("published") and (kind == "html" or visible.get("published")):
        day = result.published.isoformat() if result and result.published else ""
        tally.mark("date", day == meta["published"])


def run(folder: Path, verbose: bool) -> list[str]:
    """Extract every page of ``folder`` and return the report lines."""
    truth = load_jsonl(folder / "truth.jsonl")
    metas = load_jsonl(folder / "meta.jsonl")
    tallies = {"text": Tally(), "html": Tally()}
    for kind, suffix in (("text", ".txt"), ("html", ".html")):
        for path in sorted(folder.glob(f"*{suffix}")):
            page_id = path.name.split(".", 1)[0]
            tally = tallies[kind]
            started = time.perf_counter()
            result: Extraction | None
            try:
                result = extract_path(path)
            except IngestError:
                result = None
                tally.errors += 1
            tally.seconds += time.perf_counter() - started
            tally.pages += 1
            score_page(
                tally, result, truth.get(page_id, {}).get("body", ""), metas.get(page_id, {}), kind
            )
            if verbose and result:
                print(
                    f"{kind} {page_id[:10]} title={result.title!r} authors={list(result.authors)} "
                    f"date={result.published}"
                )
    for kind, suffix in (("text", ".txt"), ("html", ".html")):
        tallies[kind].seconds = _median_seconds(sorted(folder.glob(f"*{suffix}")))
    return tallies["text"].report("text dumps") + tallies["html"].report("html pages")


def _median_seconds(paths: list[Path], passes: int = 3) -> float:
    """Median wall time of ``passes`` extraction passes over ``paths`` (after scoring warmed up)."""
    times: list[float] = []
    for _ in range(passes):
        started = time.perf_counter()
        for path in paths:
            with contextlib.suppress(IngestError):
                extract_path(path)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folder", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="print each page's metadata")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"skipped: {args.folder} not found")
        return 0
    for line in run(args.folder, args.verbose):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
