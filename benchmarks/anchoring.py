"""Benchmark: anchor 50 notes in a 10,000-word article (issue 4 target: under 100 ms).

Run: ``.venv/bin/python benchmarks/anchoring.py``.  The article and notes are generated
from a fixed seed: ~100 paragraphs, 50 notes of 5-25 words, mostly exact quotes, some with
one word changed, a few missing.  Times building the index plus anchoring all 50, 7 times.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter

from generator.annotations.anchoring import AnchorIndex, Selector, TextBlock

SEED = 4
WORDS = 10_000
PARAGRAPHS = 100
NOTES = 50
CHANGED, MISSING = 8, 3
REPEATS = 7


def _vocabulary(rng: random.Random) -> list[str]:
    letters = "etaoinshrdlucmfwypvbgkjqxz"
    weights = [26 - i for i in range(len(letters))]
    words = {"".join(rng.choices(letters, weights, k=rng.randint(2, 9))) for _ in range(3000)}
    return sorted(words)


def article(rng: random.Random) -> list[TextBlock]:
    """~10,000 words in ~100 paragraphs of sentences with typographic punctuation."""
    vocabulary = _vocabulary(rng)
    common = vocabulary[:60]
    blocks = []
    per_block = WORDS // PARAGRAPHS
    for index in range(PARAGRAPHS):
        words = [rng.choice(common if rng.random() < 0.4 else vocabulary) for _ in range(per_block)]
        for pos in range(12, per_block, rng.randint(12, 20)):
            words[pos - 1] += "."
            words[pos] = words[pos].capitalize()
        if index % 7 == 0:
            words[5] = f"“{words[5]}”"
            words[9] += " —"
        blocks.append(TextBlock(index, " ".join(words) + ".", 1 + 2 * index))
    return blocks


def notes(rng: random.Random, blocks: list[TextBlock]) -> list[Selector]:
    """50 selectors: exact quotes, quotes with a changed word, and missing ones."""
    selectors = []
    for number in range(NOTES):
        words = rng.choice(blocks).text.split()
        size = rng.randint(5, 25)
        start = rng.randrange(0, len(words) - size)
        quote = words[start : start + size]
        if number < CHANGED:
            quote[size // 2] = "changed"
        elif number < CHANGED + MISSING:
            quote = [w[::-1] for w in quote]
        selectors.append(Selector(quote=" ".join(quote)))
    return selectors


def run(blocks: list[TextBlock], selectors: list[Selector]) -> Counter[str]:
    index = AnchorIndex(blocks)
    return Counter(index.anchor(selector).status.value for selector in selectors)


def main() -> None:
    rng = random.Random(SEED)
    blocks = article(rng)
    selectors = notes(rng, blocks)
    words = sum(len(b.text.split()) for b in blocks)
    chars = sum(len(b.text) for b in blocks)
    timings, statuses = [], Counter[str]()
    for _ in range(REPEATS):
        began = time.perf_counter()
        statuses = run(blocks, selectors)
        timings.append((time.perf_counter() - began) * 1000)
    print(f"article: {words} words, {chars} characters, {len(blocks)} blocks")
    print(f"notes: {len(selectors)} -> {dict(sorted(statuses.items()))}")
    print(
        f"index + 50 anchors: median {statistics.median(timings):.1f} ms, "
        f"min {min(timings):.1f} ms over {REPEATS} runs"
    )


if __name__ == "__main__":
    main()
