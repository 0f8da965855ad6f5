"""What a trained model's pipeline costs against another's: tokens/s of parsing and entities, in one run.

    python benchmarks/pipeline_cost.py MODEL_A MODEL_B                 # 20 Wikinews articles
    python benchmarks/pipeline_cost.py MODEL_A MODEL_B --articles 60 --rounds 3

Both pipelines are loaded as graphkit loads them (``load_pipeline``) and run over the same articles,
alternately, ``--rounds`` times; the best round of each is kept, so both see the same machine load. Torch
(a transformer recognizer's) gets one thread, as graphkit's worker processes give it. Relation extraction is
not counted: this measures what the recognizers add (an ensemble of them, ``graphkit train
--entity-ensemble``, against the spaCy recognizer alone).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from graphkit.extract.nlp import load_pipeline

ARTICLES = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "news" / "wikinews_articles.jsonl"
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("models", nargs=2, metavar="MODEL", help="two pipeline names or model directories")
    parser.add_argument("--articles", type=int, default=20, help="Wikinews articles to run (default 20)")
    parser.add_argument("--rounds", type=int, default=2, help="alternate rounds (default 2)")
    args = parser.parse_args()
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass
    with ARTICLES.open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines][: args.articles]
    pipes = {model: load_pipeline(model) for model in args.models}
    for nlp in pipes.values():
        list(nlp.pipe(texts[:2]))  # loaded and warm
    seconds: dict[str, list[float]] = {model: [] for model in pipes}
    tokens = 0
    for _ in range(args.rounds):
        for model, nlp in pipes.items():
            started = time.perf_counter()
            tokens = sum(len(doc) for doc in nlp.pipe(texts))
            seconds[model].append(time.perf_counter() - started)
    for model, times in seconds.items():
        print(
            f"{model}: {tokens / min(times):,.0f} tokens/s (rounds: {', '.join(f'{t:.1f} s' for t in times)})"
        )
    first, second = (min(seconds[model]) for model in args.models)
    print(f"{args.models[1]} takes {second / first:.1f}x the time of {args.models[0]} ({tokens:,} tokens)")


if __name__ == "__main__":
    main()
