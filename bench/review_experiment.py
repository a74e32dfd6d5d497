"""Does learning from reviewers help? Seed-only model versus seed + half of a labelled file.

The labelled file (e.g. ``../shared/corpus/dev.jsonl``) is split in two halves, stratified by
label and category, by a hash of each record's id so the split is stable. For each direction
(train on A, test on B, and the reverse) it trains the seed model and the seed + half model (the
half passed as reviewers' labels would be, exactly as ``summitwatch train --labels`` does) and
prints F1 on the other half. Nothing is written into the project: the file is read where it is.

Run: ``python bench/review_experiment.py ../shared/corpus/dev.jsonl``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from classifier.detector import Detector
from classifier.evaluation import evaluate
from classifier.training import REVIEW_WEIGHT, as_reviewed, combine, load_seeds, read_jsonl, train
from classifier.verdict import Example

ROOT = Path(__file__).resolve().parent.parent


def split(examples: list[Example], salt: str = "") -> tuple[list[Example], list[Example]]:
    groups: dict[tuple[int, str], list[Example]] = defaultdict(list)
    for e in examples:
        groups[(e.label, e.category or "")].append(e)
    a: list[Example] = []
    b: list[Example] = []
    for members in groups.values():
        ordered = sorted(
            members, key=lambda e: hashlib.sha256(f"{salt}{e.id}".encode()).hexdigest()
        )
        a.extend(ordered[0::2])
        b.extend(ordered[1::2])
    return a, b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("labelled", type=Path)
    parser.add_argument("--splits", type=int, default=5, help="random halvings to average over")
    parser.add_argument(
        "--review-weight",
        type=float,
        default=REVIEW_WEIGHT,
        help="weight of the labels in the linear fit (0 = only remembered), as in training",
    )
    args = parser.parse_args()
    if not args.labelled.is_file():
        sys.exit(f"{args.labelled}: no such file")
    seeds = load_seeds(ROOT / "seeds")
    examples = read_jsonl(args.labelled)
    seed_detector = Detector(train(seeds))
    gains: list[float] = []
    for n in range(args.splits):
        halves = split(examples, salt=str(n) if n else "")
        for name, (labels, test) in (("A->B", halves), ("B->A", halves[::-1])):
            before = evaluate(seed_detector, test).overall
            after = evaluate(
                Detector(train(combine(seeds, as_reviewed(labels, args.review_weight)))), test
            ).overall
            gains.append(after["f1"] - before["f1"])
            print(
                f"split {n} {name}: +{len(labels)} labels, test {len(test)}: "
                f"seed-only F1 {before['f1']:.3f} (P {before['precision']:.3f} "
                f"R {before['recall']:.3f}) -> with labels F1 {after['f1']:.3f} "
                f"(P {after['precision']:.3f} R {after['recall']:.3f})",
                flush=True,
            )
    print(
        f"mean F1 change with labels: {statistics.mean(gains):+.3f} "
        f"(sd {statistics.pstdev(gains):.3f}, {sum(g > 0 for g in gains)} of {len(gains)} up, "
        f"{sum(g < 0 for g in gains)} down)"
    )


if __name__ == "__main__":
    main()
