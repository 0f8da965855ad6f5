"""Figures of graphkit's open mode on CaRB: F1 and AUC as CaRB scores them, beside published extractors.

Run:  python benchmarks/carb.py [--split dev|test] [--model NAME] [--rules-only] [--mappings]
                                [--write-extractions FILE | --score FILE]

Scores ``gold_dev.tsv`` (or, with ``--split test``, ``gold_test.tsv``: read once, for the final figure
only) from the shared CaRB folder, in open mode with the default mapping; ``--mappings`` scores every
mapping of triples to CaRB tuples, in actor and open mode (for choosing one, on dev). Prints the seconds
taken, model loading included.

``--write-extractions FILE`` also writes the extractions in CaRB's tab format (sentence, confidence,
relation, arguments), which CaRB's own script reads with ``--tabbed``; ``--score FILE`` scores such a
file (graphkit's or another system's) against the split's gold without running the extractor, e.g.

    python benchmarks/carb.py --rules-only --write-extractions /tmp/graphkit_dev.tsv
    python benchmarks/carb.py --score /tmp/graphkit_dev.tsv
"""

from __future__ import annotations

import argparse
import time
from argparse import RawDescriptionHelpFormatter
from pathlib import Path

from graphkit.evaluate import evaluate, format_report
from graphkit.evaluate.carb import (
    evaluate_carb,
    extract_carb,
    format_carb,
    read_carb,
    read_extractions,
    score_carb,
    score_extractions,
    write_extractions,
)
from graphkit.extract.nlp import DEFAULT_MODEL
from graphkit.extract.phrases import PHRASE_MAPPINGS

# The project's evaluation data sits beside the checkout, in ../shared/bench (see its README).
CARB = Path(__file__).resolve().parents[2] / "shared" / "bench" / "carb"

# CaRB F1 of published open extractors on the test split (Kolluru et al. 2020, OpenIE6).
PUBLISHED = {"OpenIE4": 48.8, "ClausIE": 45.0, "OpenIE6": 52.7}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "test"), default="dev", help="CaRB split (default dev)")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy pipeline to parse with")
    parser.add_argument("--rules-only", action="store_true", help="extract without the relation classifier")
    parser.add_argument("--mappings", action="store_true", help="score every mapping of triples to tuples")
    files = parser.add_mutually_exclusive_group()
    files.add_argument(
        "--write-extractions", metavar="FILE", help="also write the extractions, CaRB tab format"
    )
    files.add_argument("--score", metavar="FILE", help="score a CaRB tab-format file; run no extractor")
    args = parser.parse_args()
    path = CARB / f"gold_{args.split}.tsv"
    options = {"model": args.model, "classifier": not args.rules_only}
    if args.score:
        result = score_extractions(read_carb(path), read_extractions(args.score))
        print(
            format_carb(
                {
                    "benchmark": f"carb {args.split}: {args.score}",
                    "open_arguments": True,
                    "mapping": "as given",
                    **result,
                }
            )
        )
        return
    if args.write_extractions:
        gold = read_carb(path)
        predicted = extract_carb(gold, **options)
        write_extractions(predicted, args.write_extractions)
        result = score_carb((gold[sentence], predicted[sentence]) for sentence in gold)
        print(
            format_carb(
                {
                    "benchmark": f"carb {args.split}",
                    "open_arguments": True,
                    "mapping": "surface",
                    "classifier": options["classifier"],
                    **result,
                }
            )
        )
        print(f"extractions written to {args.write_extractions}")
        return
    if args.mappings:
        for mapping in PHRASE_MAPPINGS:
            result = evaluate_carb(path, mapping=mapping, **options)
            print(format_carb(result), end="\n\n")
        return
    started = time.perf_counter()
    result = evaluate("carb", path, **options)
    seconds = time.perf_counter() - started
    print(f"== CaRB {args.split}")
    print(format_report(result))
    print(f"\n{seconds:.1f} s for {result['sentences']} sentences ({args.model})")
    print("published CaRB test F1: " + ", ".join(f"{name} {f1}" for name, f1 in PUBLISHED.items()))


if __name__ == "__main__":
    main()
