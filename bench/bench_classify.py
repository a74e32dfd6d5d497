"""Benchmark of the classifier: training time from seeds/ and scoring speed on one core.

Scores title + summary of real feed items (../shared/feeds/real when present, else the demo
feeds) and prints items/s for the batch path and the single-item path, plus training time, the
share of items ruled out from the gazetteer scan alone (``classifier.screen``) and the batch speed
without that rule, for comparison.
Run: `make bench-classify` (or `python bench/bench_classify.py --repeat 5`).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as the target says
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import feedparser

from classifier.detector import Detector, ItemInput
from classifier.screen import RULED_OUT
from classifier.training import load_seeds, train
from collectors.text import html_to_text, normalise_language, one_line

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT.parent / "shared" / "feeds" / "real", ROOT / "summitwatch" / "demo_feeds"]


def load_items() -> list[ItemInput]:
    items: list[ItemInput] = []
    for folder in SOURCES:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix not in (".xml", ".rss", ".atom"):
                continue
            parsed = feedparser.parse(path.read_bytes(), sanitize_html=False)
            # as the pipeline passes them: summary as text (the collector strips the HTML) and
            # the feed's declared language, when it declares one
            lang = normalise_language(parsed.feed.get("language"))
            for e in parsed.entries:
                title = one_line(e.get("title", ""))
                items.append(ItemInput(title, html_to_text(e.get("summary", ""))[:1500], lang))
        if items:
            return items
    sys.exit("no feed files found to score")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    examples = load_seeds(ROOT / "seeds")
    model = train(examples)
    train_s = time.perf_counter() - started
    print(f"training from seeds/: {len(examples)} examples in {train_s:.1f} s")
    detector = Detector(model)
    items = load_items()
    detector.classify_many(items[:50])  # warm caches (regex compilation, vocabularies)
    ruled = sum(v.reasons[:1] == (RULED_OUT,) for v in detector.classify_many(items))
    print(f"ruled out by the gazetteer scan: {ruled} of {len(items)} ({ruled / len(items):.1%})")
    best = _best(detector, items, args.repeat)
    print(f"batch scoring with explanations: {len(items)} items, best {best:,.0f} items/s")
    unruled = _best(Detector(model, rule_out=False), items, args.repeat)
    print(f"the same without ruling items out: best {unruled:,.0f} items/s")
    fast = 0.0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        detector.classify_many(items, explain=False)
        fast = max(fast, len(items) / (time.perf_counter() - t0))
    print(f"batch scoring without explanations: best {fast:,.0f} items/s")
    t0 = time.perf_counter()
    for item in items[:500]:
        detector.classify(item.title, item.text, item.lang)
    print(f"one at a time: {min(500, len(items)) / (time.perf_counter() - t0):,.0f} items/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MB")


def _best(detector: Detector, items: list[ItemInput], repeat: int) -> float:
    best = 0.0
    for _ in range(repeat):
        t0 = time.perf_counter()
        detector.classify_many(items)
        best = max(best, len(items) / (time.perf_counter() - t0))
    return best


if __name__ == "__main__":
    main()
