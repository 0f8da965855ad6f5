"""Figures for the README: the seed article's triples and build time, and extraction cost over parsing.

Run:  python benchmarks/seed_build.py [--repeat N]

Prints (1) triples, actors and seconds of ``graphkit build`` on the seed article; (2) how many of the
relations a careful reader sees in it (``tests/fixtures/seed_relations.json``) the extractor finds, and
which it misses; (3) words/s of a bare ``nlp.pipe`` against graphkit's extraction (same model, same process)
on the 20 Wikinews example articles, as a ratio measured within this one run.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from graphkit import Extractor, build, read_documents
from graphkit.evaluate.expected import found_relations, read_expected

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed"
CORPUS = ROOT / "examples" / "wikinews" / "articles.jsonl"
EXPECTED = ROOT / "tests" / "fixtures" / "seed_relations.json"


def seed_build(repeat: int) -> None:
    seconds = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as out:
            summary = build([str(SEED)], out)
            seconds.append(summary.seconds)
    print(
        f"seed article: {summary.relations} triples, {summary.actors} actors, {summary.sentences} sentences; "
        f"build {statistics.median(seconds):.2f} s (median of {repeat}, model already loaded after the first)"
    )


def careful_reader(extractor: Extractor) -> None:
    (document,) = read_documents([str(SEED)])
    found = found_relations(extractor.extract(document), read_expected(EXPECTED))
    issue = [triple for relation, triple in found if relation.tags.get("issue")]
    print(
        f"careful reader's relations found: {sum(t is not None for _, t in found)} of {len(found)} "
        f"(the extractor issue's list: {sum(t is not None for t in issue)} of {len(issue)})"
    )
    for relation, triple in found:
        if triple is None:
            print(f"  missed: {relation}")


def throughput(repeat: int) -> None:
    documents = list(read_documents([str(CORPUS)]))
    texts = [d.text for d in documents]
    words = sum(len(t.split()) for t in texts)
    extractor = Extractor()
    nlp = extractor.nlp
    list(nlp.pipe(texts[:2]))  # warm up
    bare, full = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=16):
            pass
        bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        triples = sum(len(e.triples) for e in extractor.extract_many(documents))
        full.append(time.perf_counter() - started)
    bare_wps, full_wps = words / statistics.median(bare), words / statistics.median(full)
    print(
        f"{len(documents)} Wikinews articles, {words} words, {triples} triples: "
        f"bare nlp.pipe {bare_wps:,.0f} words/s, graphkit extraction {full_wps:,.0f} words/s; "
        f"ratio {full_wps / bare_wps:.2f}"
    )


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median reported)")
    args = parser.parse_args()
    seed_build(args.repeat)
    careful_reader(Extractor())
    throughput(args.repeat)


if __name__ == "__main__":
    main()
