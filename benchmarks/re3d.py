"""Figures of graphkit's extractor on Dstl's RE3D: precision, recall and F1 by argument overlap, untyped and
typed (the triple's category must map to the gold relation's type).

Run:  python benchmarks/re3d.py [PATH] [--model NAME]

PATH defaults to the shared dev file. Prints, for the actor-relation configuration (without CoLocated,
IsSynonymOf and HasAttrOf) and for all types:

1. the patterns alone on every document, actor triples and open mode;
2. on the documents the packaged relation classifier was *not* trained on (half of the file, by document
   id), the patterns alone against the patterns with the classifier — the same documents, so the two lines
   compare.

Then the full reports and the seconds taken, model loading included.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from argparse import RawDescriptionHelpFormatter
from pathlib import Path

from graphkit.evaluate import evaluate, format_report
from graphkit.extract.classify import load_relation_classifier
from graphkit.extract.nlp import DEFAULT_MODEL

# The project's evaluation data sits beside the checkout, in ../shared/bench (see its README).
RE3D_DEV = str(Path(__file__).resolve().parents[2] / "shared" / "bench" / "re3d" / "re3d_dev.jsonl")


def _held_out(path: str, trained_on: frozenset[str], folder: str) -> str:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if line.strip() and str(json.loads(line).get("id")) not in trained_on]
    target = Path(folder) / "re3d_held_out.jsonl"
    target.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return str(target)


def _row(name: str, result: dict, seconds: float) -> str:
    cells = []
    for configuration in ("actor_relations", "all"):
        pair = result["configurations"][configuration]["micro"]
        typed = result["typed"][configuration]["micro"]
        cells.append(
            f"P {pair['precision']:.3f} R {pair['recall']:.3f} F1 {pair['f1']:.3f} typed {typed['f1']:.3f}"
        )
    return f"{name:44} {cells[0]}   | all types: {cells[1]}   ({seconds:.0f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", default=RE3D_DEV, help=f"RE3D JSONL file (default {RE3D_DEV})")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy pipeline to parse with")
    args = parser.parse_args()
    trained_on = load_relation_classifier(args.model).trained_on
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        held_out = _held_out(args.path, trained_on, folder)
        for name, path, options in (
            ("all documents, patterns alone", args.path, {"classifier": False}),
            (
                "all documents, patterns alone, open mode",
                args.path,
                {"classifier": False, "open_arguments": True},
            ),
            ("held-out half, patterns alone", held_out, {"classifier": False}),
            ("held-out half, patterns + classifier", held_out, {"classifier": True}),
        ):
            started = time.perf_counter()
            result = evaluate("re3d", path, model=args.model, **options)
            runs.append((name, result, time.perf_counter() - started))
    print(f"RE3D ({args.model}); actor relations, then all types\n")
    for name, result, seconds in runs:
        print(_row(f"{name} ({result['documents']} docs)", result, seconds))
    for name, result, _ in runs:
        print(f"\n== {name}\n{format_report(result)}")


if __name__ == "__main__":
    main()
