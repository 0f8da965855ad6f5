"""Throughput of the execution engines, in one run: local with 1 and 2 processes, Dask on a 2-worker cluster.

Run:  nice python benchmarks/dask_engine.py [--limit N] [--jobs J]

Reads ../shared/bench/news/wikinews_articles.jsonl (skips with a message when it is absent) and prints words/s
for each engine on the same articles, timing the whole ``extract_stream`` call as a build would see it:

- local, 1 process, model already loaded in this process;
- local, J worker processes (forked from this process, model already loaded; start-up inside the timing);
- dask, J-worker LocalCluster started by the engine (cluster start and model loads inside the timing);
- dask, J-worker LocalCluster already running with the model loaded (a second build on a standing cluster).

It also prints each Dask worker's resident memory. Every engine's extractions are checked to equal the local
ones. On a shared machine the figures move with the other load: compare them within one run, not across runs.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

from graphkit import read_documents
from graphkit.engines import extract_stream
from graphkit.types import Document, Extraction

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "bench" / "news" / "wikinews_articles.jsonl"


def timed(run: Callable[[], list[Extraction]]) -> tuple[float, list[Extraction]]:
    started = time.perf_counter()
    extractions = run()
    return time.perf_counter() - started, extractions


def resident_mib() -> float:
    """This process's resident memory in MiB (run on each Dask worker)."""
    import psutil  # a dependency of distributed

    return psutil.Process().memory_info().rss / 2**20


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--limit", type=int, default=60, help="first N articles (0: all 293; default 60)")
    parser.add_argument("--jobs", type=int, default=2, help="processes / Dask workers (default 2)")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} is absent (the shared benchmark data)")
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        sys.exit("the Dask engine needs Dask: pip install 'graphkit[dask]'")

    documents: list[Document] = list(read_documents([str(CORPUS)]))
    if args.limit:
        documents = documents[: args.limit]
    words = sum(len(document.text.split()) for document in documents)
    jobs = args.jobs
    list(extract_stream(documents[:2]))  # load the model here, so "local 1" times extraction alone

    runs: dict[str, Callable[[], list[Extraction]]] = {
        "local, 1 process": lambda: list(extract_stream(documents)),
        f"local, {jobs} processes": lambda: list(extract_stream(documents, jobs=jobs)),
        f"dask, {jobs}-worker LocalCluster (started by the engine)": lambda: list(
            extract_stream(documents, engine="dask", jobs=jobs)
        ),
    }
    results: dict[str, tuple[float, list[Extraction]]] = {name: timed(run) for name, run in runs.items()}
    with (
        LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.CRITICAL,
        ) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        address = cluster.scheduler_address
        list(extract_stream(documents[: 2 * jobs], engine="dask", scheduler=address))  # load on the workers
        name = f"dask, {jobs}-worker LocalCluster (running, model loaded)"
        results[name] = timed(lambda: list(extract_stream(documents, engine="dask", scheduler=address)))
        worker_rss = client.run(resident_mib)

    reference = results["local, 1 process"][1]
    triples = sum(len(extraction.triples) for extraction in reference)
    print(f"{len(documents)} Wikinews articles, {words:,} words, {triples} triples; {jobs} jobs")
    for name, (seconds, extractions) in results.items():
        same = "same as local" if extractions == reference else "DIFFERENT from local"
        print(f"  {name:<55} {words / seconds:>8,.0f} words/s  ({seconds:.1f} s, {same})")
    sizes = ", ".join(f"{mib:,.0f}" for mib in sorted(worker_rss.values()))
    print(f"  resident memory per Dask worker after the run: {sizes} MiB")


if __name__ == "__main__":
    main()
