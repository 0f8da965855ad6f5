"""Peak memory of a streaming build as the corpus grows: the Wikinews articles repeated under varied ids
(duplicate detection off, so every copy is parsed), each size built in its own process.

    python benchmarks/memory.py                      # 300 and 3,000 articles (long: about 10 minutes each
                                                     # thousand articles on one core)
    python benchmarks/memory.py --sizes 30 300       # a quick look

For each size it prints the peak resident memory of ``extract`` (streamed to /dev/null: ingest, parse,
records) and of ``build`` (the same plus the RDF graph, the networkx view and the HTML), and the graph's
size in triples: the target (issue 7) is extract's peak at 3,000 within 1.3x of its peak at 300, the graph
itself aside.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ARTICLES = Path(__file__).parents[1] / ".." / "shared" / "bench" / "news" / "wikinews_articles.jsonl"

_RUN = """
import resource, sys, json
from graphkit.build import build, extract_documents, format_triples
kind, corpus, out = sys.argv[1:4]
if kind == "extract":
    with open("/dev/null", "w") as sink:
        for chunk in format_triples(extract_documents([corpus], deduplicate=False)):
            sink.write(chunk)
    triples = None
else:
    summary = build([corpus], out, deduplicate=False)
    triples = sum(1 for _ in open(summary.outputs["graph"], encoding="utf-8"))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"peak_mib": peak, "ttl_lines": triples}))
"""


def _corpus(records: list[dict], size: int, path: Path) -> Path:
    with path.open("w", encoding="utf-8") as stream:
        for number in range(size):
            record = dict(records[number % len(records)])
            record["id"] = f"{record['id']}#{number // len(records)}"
            stream.write(json.dumps(record) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000])
    parser.add_argument("--kinds", nargs="+", default=["extract", "build"], choices=["extract", "build"])
    parser.add_argument("--corpus", type=Path, default=ARTICLES, help="Wikinews JSONL")
    options = parser.parse_args()
    if not options.corpus.exists():
        sys.exit(f"skipped: {options.corpus} is absent")
    lines = options.corpus.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    peaks: dict[tuple[str, int], float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in options.sizes:
            corpus = _corpus(records, size, Path(folder) / f"corpus{size}.jsonl")
            for kind in options.kinds:
                command = [sys.executable, "-c", _RUN, kind, str(corpus), str(Path(folder) / f"out{size}")]
                result = json.loads(
                    subprocess.run(command, check=True, capture_output=True, text=True).stdout
                )
                peaks[kind, size] = result["peak_mib"]
                graph = f", graph.ttl {result['ttl_lines']:,} lines" if result["ttl_lines"] else ""
                print(f"{kind:7} {size:6,} articles: peak {result['peak_mib']:7.0f} MiB{graph}", flush=True)
    smallest, largest = min(options.sizes), max(options.sizes)
    for kind in options.kinds:
        ratio = peaks[kind, largest] / peaks[kind, smallest]
        print(f"{kind}: peak at {largest:,} / peak at {smallest:,} = {ratio:.2f}")


if __name__ == "__main__":
    main()
