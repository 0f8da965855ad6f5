"""CoNLL04 end to end, strict (SpERT/REBEL metric): train on train (dev for selection), then score.

Run:  python benchmarks/conll04.py [--out DIR] [--split dev|test] [--seed N] [--mode transfer|fresh] [--refit]

Trains the entity recognizer and the relation classifier (``graphkit train``) into DIR (default
``models/conll04``) unless DIR already holds a model, then prints the table of
``graphkit evaluate conll04`` on the chosen split and the seconds taken. Choose everything on ``dev``;
score ``test`` once, for the final figure (see ../shared/bench/README.md). ``--refit`` fits the relation
classifier chosen on dev again on train and dev (``graphkit train --refit-relations``): a model for the test
figure only, its dev figures mean nothing.
"""

from __future__ import annotations

import argparse
import time
from argparse import RawDescriptionHelpFormatter
from pathlib import Path

from graphkit.evaluate import evaluate, format_report
from graphkit.train import NER_MODES, train

# The project's evaluation data sits beside the checkout, in ../shared/bench (see its README).
CONLL04 = Path(__file__).resolve().parents[2] / "shared" / "bench" / "conll04"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="models/conll04", help="model directory (trained when absent)")
    parser.add_argument("--split", choices=("dev", "test"), default="dev", help="split to score")
    parser.add_argument("--seed", type=int, default=0, help="training seed")
    parser.add_argument("--mode", choices=NER_MODES, default=NER_MODES[0], help="recognizer start")
    parser.add_argument("--refit", action="store_true", help="refit the relation classifier on train + dev")
    args = parser.parse_args()
    if not (Path(args.out) / "meta.json").is_file():
        started = time.perf_counter()
        summary = train(
            CONLL04 / "train.json",
            CONLL04 / "dev.json",
            args.out,
            mode=args.mode,
            seed=args.seed,
            progress=True,
            refit_relations=args.refit,
        )
        print(f"trained in {time.perf_counter() - started:.0f} s: {summary}")
    started = time.perf_counter()
    result = evaluate("conll04", CONLL04 / f"{args.split}.json", model=args.out)
    print(format_report(result))
    print(f"\n{time.perf_counter() - started:.1f} s for {result['documents']} sentences ({args.out})")


if __name__ == "__main__":
    main()
