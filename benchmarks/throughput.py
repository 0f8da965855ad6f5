"""Extraction throughput: graphkit's extraction against a bare ``nlp.pipe`` of the same pipeline, with 1
and 2 processes, in one run (ratios within a run are what to compare on a shared machine).

    python benchmarks/throughput.py                  # 293 Wikinews articles, 1 and 2 processes
    python benchmarks/throughput.py --articles 40    # a quick look

Targets (issue 7): extraction >= 0.9x bare nlp.pipe; 2 processes >= 1.7x one on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from graphkit.engines import extract_stream
from graphkit.extract.nlp import DEFAULT_MODEL, load_pipeline
from graphkit.types import Document

ARTICLES = Path(__file__).parents[1] / ".." / "shared" / "bench" / "news" / "wikinews_articles.jsonl"


def _documents(path: Path, count: int) -> list[Document]:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Document(id=str(record["id"]), text=record["text"]) for record in records[:count]]


def _words_per_second(run, documents: list[Document]) -> float:
    words = sum(len(document.text.split()) for document in documents)
    started = time.perf_counter()
    run(documents)
    return words / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=293)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--corpus", type=Path, default=ARTICLES, help="Wikinews JSONL")
    options = parser.parse_args()
    if not options.corpus.exists():
        sys.exit(f"skipped: {options.corpus} is absent")
    documents = _documents(options.corpus, options.articles)
    nlp = load_pipeline(options.model)  # the same pipeline, components and gazetteer graphkit parses with
    print(
        f"{len(documents)} articles, {sum(len(d.text.split()) for d in documents):,} words, {options.model}"
    )
    print(f"components: {', '.join(nlp.pipe_names)}")
    figures: dict[tuple[str, int], float] = {}
    for jobs in options.jobs:

        def bare(docs, jobs=jobs):
            for _ in nlp.pipe((d.text for d in docs), batch_size=16, n_process=jobs):
                pass

        def graphkit(docs, jobs=jobs):
            for _ in extract_stream(docs, model=options.model, jobs=jobs):
                pass

        graphkit(documents[:2])  # warm up: the extractor's patterns and lexicon load once
        for name, run in (("bare nlp.pipe", bare), ("graphkit extract", graphkit)):
            figures[name, jobs] = _words_per_second(run, documents)
            print(f"{name:17} {jobs} process(es): {figures[name, jobs]:8,.0f} words/s", flush=True)
        ratio = figures["graphkit extract", jobs] / figures["bare nlp.pipe", jobs]
        print(f"  ratio graphkit / bare at {jobs}: {ratio:.2f}")
    if 1 in options.jobs and 2 in options.jobs:
        for name in ("bare nlp.pipe", "graphkit extract"):
            print(f"scaling 1 -> 2 processes, {name}: {figures[name, 2] / figures[name, 1]:.2f}x")


if __name__ == "__main__":
    main()
