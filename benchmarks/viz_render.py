"""Time to a full render of a large synthetic actor network: graphkit's explorer against pyvis's defaults.

Usage: python benchmarks/viz_render.py [--actors 3000] [--relations 10000] [--seed 0] [--timeout 600]
[--no-pyvis]

Both pages are opened from disk in headless Chromium (Debian's chromium, through playwright). Measured:

- graphkit: Python time to write the page (PageRank, Louvain, layout, JSON), then the time from navigation
  until the page has drawn (``window.graphkitReady``: the first drawing, physics off), and the time for a
  search to select an actor and fill the side panel.
- pyvis 0.3.2 with its defaults (``Network()``, physics on): time from navigation until vis-network's
  stabilization is done (pyvis's loading bar fades out). pyvis's default page (``cdn_resources="local"``)
  loads vis-network from cdnjs and Bootstrap from jsDelivr, so offline it draws nothing; its vis-network
  script tag carries an integrity hash that the copy inside the pyvis package does not match, so that copy
  cannot stand in for the CDN either. The timed page is therefore pyvis's own offline variant,
  ``cdn_resources="in_line"`` (vis-network inlined, every other option at its default); its remaining
  outside requests (Bootstrap) are aborted and counted.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from graphkit.viz import write_html
from graphkit.viz.browser import chromium, wait_until_drawn

LABELS = ("attacked", "met", "supported", "criticized", "said", "killed", "negotiated with", "accused")
LEMMAS = ("attack", "meet", "support", "criticize", "say", "kill", "negotiate with", "accuse")
CLASSES = ("Person", "Organization", "Country", "ArmedGroup", "GovernmentBody", "Group", "Place")
PYVIS_DONE = """() => {
  const bar = document.getElementById("loadingBar");
  return typeof network !== "undefined" && bar !== null && bar.style.opacity === "0";
}"""


def synthetic_network(actors: int, relations: int, seed: int) -> nx.MultiDiGraph:
    """A news-like network: a few actors in many relations (Zipf-like), evidence with documents and dates."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    for number in range(actors):
        graph.add_node(
            f"https://w3id.org/graphkit/actor/a{number}",
            label=f"Actor {number}",
            type=rng.choice(CLASSES),
            aliases=[f"A{number}"],
            roles=[],
        )
    # One date per document, as the pipeline gives (a document's date is part of its metadata).
    dates = [f"2020-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" for _ in range(actors)]
    weights = [1.0 / (rank + 5) for rank in range(actors)]
    nodes = list(graph)
    while graph.number_of_edges() < relations:
        source, target = rng.choices(nodes, weights=weights, k=2)
        if source == target:
            continue
        kind = rng.randrange(len(LABELS))
        evidence = []
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            doc = rng.randrange(actors)
            evidence.append(
                {
                    "doc": f"doc{doc}",
                    "title": f"Report number {doc} on the fighting in the north",
                    "date": dates[doc],
                    "url": f"https://news.example.org/{doc}",
                    "sentence": rng.randrange(40),
                    "text": f"{graph.nodes[source]['label']} {LABELS[kind]} {graph.nodes[target]['label']} "
                    "on Tuesday, officials said, in a sentence of ordinary news length.",
                    "confidence": 0.7,
                    "pattern": "active-svo",
                }
            )
        graph.add_edge(
            source,
            target,
            key=f"{LEMMAS[kind]}{graph.number_of_edges()}",
            label=LABELS[kind],
            lemma=LEMMAS[kind],
            negated=False,
            weight=len(evidence),
            confidence=0.7,
            evidence=evidence,
        )
    return graph


def pyvis_page(network: nx.MultiDiGraph, path: Path, cdn_resources: str = "local") -> Path:
    """The page a pyvis user writes with the defaults: labels, hover titles, nothing else set."""
    from pyvis.network import Network

    page = Network(cdn_resources=cdn_resources)
    for actor, attrs in network.nodes(data=True):
        page.add_node(actor, label=attrs["label"], title=f"{attrs['label']} ({attrs['type']})")
    for source, target, attrs in network.edges(data=True):
        page.add_edge(source, target, title=attrs["label"])
    page.write_html(str(path))
    return path


def time_graphkit(browser, path: Path, timeout: float, wanted: str) -> dict[str, float]:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    started = time.perf_counter()
    page.goto(path.as_uri())
    wait_until_drawn(page, timeout=timeout)
    drawn = time.perf_counter() - started
    started = time.perf_counter()
    page.fill("#search-input", wanted)
    page.press("#search-input", "Enter")
    page.wait_for_function(
        "(wanted) => document.querySelector('#details h2')?.textContent === wanted", arg=wanted
    )
    search = time.perf_counter() - started
    page.close()
    return {"drawn": drawn, "search": search, "errors": len(errors), "outside_requests": len(requests) - 1}


def time_pyvis(browser, path: Path, timeout: float) -> dict[str, float | None]:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    outside: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith("file:"):
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    page.route("**/*", route)
    started = time.perf_counter()
    page.goto(path.as_uri())
    try:
        page.wait_for_function(PYVIS_DONE, timeout=timeout * 1000, polling=200)
        stabilized: float | None = time.perf_counter() - started
    except Exception:  # playwright's TimeoutError: report it as "not within the timeout"
        stabilized = None
    page.close()
    return {"stabilized": stabilized, "outside_requests": len(outside)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=3000)
    parser.add_argument("--relations", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=600.0, help="Seconds to wait for each page.")
    parser.add_argument(
        "--no-pyvis", action="store_true", help="Measure graphkit's page only (pyvis's takes minutes)."
    )
    options = parser.parse_args(argv)

    network = synthetic_network(options.actors, options.relations, options.seed)
    folder = Path(tempfile.mkdtemp(prefix="graphkit-bench-"))
    started = time.perf_counter()
    ours = write_html(network, folder / "graphkit.html", title="benchmark", seed=options.seed)
    written = time.perf_counter() - started

    print(f"network: {network.number_of_nodes():,} actors, {network.number_of_edges():,} relations")
    print(f"graphkit page: {ours.stat().st_size / 1e6:.1f} MB, written in {written:.1f} s (Python)")
    if not options.no_pyvis:
        default = pyvis_page(network, folder / "pyvis-default.html")
        theirs = pyvis_page(network, folder / "pyvis.html", cdn_resources="in_line")
        print(
            f"pyvis page:    {default.stat().st_size / 1e6:.1f} MB with its defaults (+ vis-network from "
            f"cdnjs), {theirs.stat().st_size / 1e6:.1f} MB with vis-network inlined (in_line)"
        )
    with chromium() as browser:
        result = time_graphkit(browser, ours, options.timeout, f"Actor {options.actors // 2}")
        print(
            f"graphkit: drawn in {result['drawn']:.1f} s, search to panel {result['search']:.2f} s, "
            f"{result['outside_requests']} outside requests, {result['errors']} page errors"
        )
        if options.no_pyvis:
            return 0
        pyvis = time_pyvis(browser, theirs, options.timeout)
        stabilized = pyvis["stabilized"]
        shown = f"in {stabilized:.1f} s" if stabilized is not None else f"not within {options.timeout:.0f} s"
        print(f"pyvis (in_line): stabilized {shown}, {pyvis['outside_requests']} outside requests (aborted)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
