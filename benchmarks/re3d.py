"""Figures of graphkit's extractor on Dstl's RE3D: precision, recall and F1 by argument overlap.

Run:  python benchmarks/re3d.py [PATH] [--model NAME]

PATH defaults to the shared dev file. Prints the table of ``graphkit evaluate re3d`` (both configurations:
all relation types, and actor relations without CoLocated, IsSynonymOf and HasAttrOf) and the seconds
taken, model loading included.
"""

from __future__ import annotations

import argparse
import time
from argparse import RawDescriptionHelpFormatter
from pathlib import Path

from graphkit.evaluate import evaluate, format_report
from graphkit.extract.nlp import DEFAULT_MODEL

# The project's evaluation data sits beside the checkout, in ../shared/bench (see its README).
RE3D_DEV = str(Path(__file__).resolve().parents[2] / "shared" / "bench" / "re3d" / "re3d_dev.jsonl")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", default=RE3D_DEV, help=f"RE3D JSONL file (default {RE3D_DEV})")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy pipeline to parse with")
    args = parser.parse_args()
    for open_arguments in (False, True):
        started = time.perf_counter()
        result = evaluate("re3d", args.path, model=args.model, open_arguments=open_arguments)
        seconds = time.perf_counter() - started
        print(f"== {'open mode (non-actor arguments kept)' if open_arguments else 'actor triples (default)'}")
        print(format_report(result))
        print(f"\n{seconds:.1f} s for {result['documents']} documents ({args.model})\n")


if __name__ == "__main__":
    main()
