"""Extraction quality benchmark: ``python benchmarks/extraction.py [DIR ...]``.

Each DIR is laid out like ``../shared/eval/extraction-dev``: ``<id>.txt`` (text
dumps) and ``<id>.html`` pages, ``truth.jsonl`` (``id``, ``url``, ``body``) and
``meta.jsonl`` (silver ``title``/``authors``/``published``/``site_name`` labels
with ``visible`` flags).  Without arguments both dev sets beside the worktree
are scored (``../shared/eval/extraction-dev`` and ``readability-dev``).

For dumps and HTML separately it prints body precision/recall/F1 (4-token
shingles of ``\\w+`` tokens, per-page normalised counts, mean precision over
non-empty predictions, mean recall, F1 of the means), then title, authors,
published (all labelled pages, and ``vis`` = those whose label shows in the
dump), outlet (site name) accuracy as scored by the set's own reference scorer
``score_metadata.py`` (loaded from DIR's parent, never copied), and median
pages per second over three passes.  ``--by-site`` adds a grouped-by-site
estimate: the mean and spread over 5 folds of whole sites, so one site with
many pages cannot carry a figure.  Exits 0 with a "skipped" line for a DIR
that does not exist.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import re
import statistics
import sys
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.ingest import Extraction, IngestError, extract_path

WORD = re.compile(r"\w+")
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SETS = (
    ROOT.parent / "shared" / "eval" / "extraction-dev",
    ROOT.parent / "shared" / "eval" / "readability-dev",
)
FIELDS = ("title", "authors", "published", "site_name")
FOLDS = 5


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


def body_f1(pairs: list[tuple[float | None, float | None]]) -> tuple[float, float, float]:
    """(F1, precision, recall) of the means, as the benchmark defines them."""
    ps = [p for p, _ in pairs if p is not None]
    rs = [r for _, r in pairs if r is not None]
    p = statistics.fmean(ps) if ps else 0.0
    r = statistics.fmean(rs) if rs else 0.0
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


def load_jsonl(path: Path) -> dict[str, dict[str, Any]]:
    """Rows of a JSON Lines file keyed by id (empty when the file is missing)."""
    if not path.exists():
        return {}
    rows = (
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    )
    return {str(row["id"]): row for row in rows}


def load_scorer(folder: Path) -> Any:
    """The set's reference ``score_metadata`` module (from DIR's parent), or None."""
    path = folder.parent / "score_metadata.py"
    spec = importlib.util.spec_from_file_location("score_metadata", path)
    if not path.exists() or spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def site_of(url: str) -> str:
    """The registrable-ish host of ``url`` (last two labels, three under a 2-letter ccTLD)."""
    host = (urllib.parse.urlsplit(url).hostname or url).removeprefix("www.")
    labels = host.split(".")
    keep = 3 if len(labels) > 2 and len(labels[-1]) == 2 and len(labels[-2]) <= 3 else 2
    return ".".join(labels[-keep:])


@dataclass(frozen=True, slots=True)
class Page:
    """One page's prediction, as the scorers want it."""

    id: str
    site: str
    precision: float | None
    recall: float | None
    pred: dict[str, Any]


def predict(path: Path) -> dict[str, Any]:
    """The metadata prediction row for one page (empty on an ingest error)."""
    result: Extraction | None
    try:
        result = extract_path(path)
    except IngestError:
        return {"text": ""}
    return {
        "text": result.text,
        "title": result.title,
        "authors": list(result.authors),
        "published": result.published.isoformat() if result.published else None,
        "site_name": result.outlet,
    }


def score_kind(folder: Path, suffix: str) -> list[Page]:
    """Extract every ``*suffix`` page of ``folder``."""
    truth = load_jsonl(folder / "truth.jsonl")
    pages = []
    for path in sorted(folder.glob(f"*{suffix}")):
        page_id = path.name.split(".", 1)[0]
        row = truth.get(page_id, {})
        pred = predict(path)
        precision, recall = page_pr(row.get("body", ""), pred["text"])
        pages.append(Page(page_id, site_of(row.get("url", page_id)), precision, recall, pred))
    return pages


def figures(pages: list[Page], labels: list[dict[str, Any]], scorer: Any) -> dict[str, float]:
    """Body F1/P/R and per-field accuracy (all labelled, and visible-in-dump) for ``pages``."""
    f1, p, r = body_f1([(page.precision, page.recall) for page in pages])
    out = {"F1": f1, "P": p, "R": r}
    if scorer is None:
        return out
    ids = {page.id for page in pages}
    result = scorer.score(
        {page.id: page.pred for page in pages}, [x for x in labels if x["id"] in ids]
    )
    for name in FIELDS:
        row = result["overall"][name]
        out[name] = row["correct"] / row["labelled"] if row["labelled"] else float("nan")
        out[name + "_vis"] = row["vis_correct"] / row["vis_n"] if row["vis_n"] else float("nan")
    return out


def grouped_folds(pages: list[Page], folds: int = FOLDS) -> list[list[Page]]:
    """``pages`` split into ``folds`` groups of whole sites (sites dealt by size)."""
    sites: dict[str, list[Page]] = {}
    for page in pages:
        sites.setdefault(page.site, []).append(page)
    groups: list[list[Page]] = [[] for _ in range(folds)]
    for site in sorted(sites, key=lambda s: (-len(sites[s]), s)):
        min(groups, key=len).extend(sites[site])
    return [g for g in groups if g]


def line(label: str, fig: dict[str, float], speed: float | None = None) -> str:
    """One printable row of figures."""
    parts = [f"{label:<22} body F1={fig['F1']:.3f} (P {fig['P']:.3f} R {fig['R']:.3f})"]
    for name, short in (("title", "title"), ("authors", "authors"), ("site_name", "outlet")):
        if name in fig:
            parts.append(f"{short}={fig[name]:.3f}")
    if "published" in fig:
        parts.append(f"published={fig['published']:.3f} vis={fig['published_vis']:.3f}")
    if speed is not None:
        parts.append(f"{speed:.0f} pages/s")
    return " ".join(parts)


def run(folder: Path, by_site: bool, dump: Path | None) -> list[str]:
    """Score one set and return its report lines."""
    labels = list(load_jsonl(folder / "meta.jsonl").values())
    scorer = load_scorer(folder)
    lines = [f"== {folder.name}"]
    for kind, suffix in (("dumps", ".txt"), ("html", ".html")):
        pages = score_kind(folder, suffix)
        speed = len(pages) / _median_seconds(sorted(folder.glob(f"*{suffix}")))
        lines.append(line(kind, figures(pages, labels, scorer), speed))
        if by_site:
            per_fold = [figures(fold, labels, scorer) for fold in grouped_folds(pages)]
            mean = {k: statistics.fmean(f[k] for f in per_fold) for k in per_fold[0]}
            spread = statistics.pstdev(f["F1"] for f in per_fold)
            lines.append(line(f"  {len(per_fold)} site folds", mean) + f" (F1 sd {spread:.3f})")
        if dump is not None:
            with (dump / f"{folder.name}-{kind}.jsonl").open("w", encoding="utf-8") as out:
                for page in pages:
                    row = {"id": page.id, "site": page.site, "P": page.precision, "R": page.recall}
                    out.write(json.dumps(row | page.pred, ensure_ascii=False) + "\n")
    return lines


# constants tuned by hand while fixing issue 14, with the values tried
TUNED = {
    "region._BOX_PENALTY": (4.0, 10.0, 20.0, 40.0),
    "lines._LIST_MAX_WORDS": (6, 12, 20),
}


def grouped_cv(folders: list[Path]) -> list[str]:
    """Grouped-by-site 5-fold estimate of dump body F1 when each tuned constant is chosen
    on the other folds' sites: the figure to expect on sites never seen."""
    from generator.ingest import lines as lines_module
    from generator.ingest import region

    modules = {"region": region, "lines": lines_module}
    out = []
    for name, values in TUNED.items():
        module_name, attribute = name.split(".")
        module = modules[module_name]
        original = getattr(module, attribute)
        by_value: dict[Any, list[Page]] = {}
        for value in values:
            setattr(module, attribute, value)
            by_value[value] = [p for folder in folders for p in score_kind(folder, ".txt")]
        setattr(module, attribute, original)
        held_out: list[Page] = []
        chosen = []
        for fold in grouped_folds(by_value[original]):
            ids = {p.id for p in fold}
            best = max(
                values,
                key=lambda v: body_f1(
                    [(p.precision, p.recall) for p in by_value[v] if p.id not in ids]
                )[0],
            )
            chosen.append(best)
            held_out.extend(p for p in by_value[best] if p.id in ids)
        f1 = body_f1([(p.precision, p.recall) for p in held_out])[0]
        fixed = body_f1([(p.precision, p.recall) for p in by_value[original]])[0]
        out.append(
            f"cv {name}: shipped {original} F1={fixed:.3f}; chosen per fold {chosen} "
            f"held-out F1={f1:.3f}"
        )
    return out


def _median_seconds(paths: list[Path], passes: int = 3) -> float:
    """Median wall time of ``passes`` extraction passes over ``paths``."""
    times: list[float] = []
    for _ in range(passes):
        started = time.perf_counter()
        for path in paths:
            with contextlib.suppress(IngestError):
                extract_path(path)
        times.append(time.perf_counter() - started)
    return statistics.median(times) or 1e-9


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folders", type=Path, nargs="*", default=list(DEFAULT_SETS))
    parser.add_argument("--by-site", action="store_true", help="add a grouped-by-site estimate")
    parser.add_argument("--dump", type=Path, help="write per-page predictions (JSONL) here")
    parser.add_argument("--cv", action="store_true", help="grouped CV of the tuned constants")
    args = parser.parse_args(argv)
    for folder in args.folders:
        if not folder.is_dir():
            out(f"skipped: {folder} not found")
            continue
        for row in run(folder, args.by_site, args.dump):
            out(row)
    present = [folder for folder in args.folders if folder.is_dir()]
    if args.cv and present:
        for row in grouped_cv(present):
            out(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
