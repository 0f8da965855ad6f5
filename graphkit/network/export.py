"""The actor network for other tools: GraphML and GEXF (Gephi, yEd, Cytoscape), CSV node and edge lists,
node-link JSON.

GraphML and GEXF accept only scalar attributes, so lists and dicts (aliases, categories, evidence) travel
there as JSON text; the CSV tables do the same, and node-link JSON keeps them as they are. Every export
also carries each actor's ``pagerank`` and ``community`` (seeded Louvain), for sizing and colouring.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from graphkit.errors import OutputError
from graphkit.fileio import atomic_write_text
from graphkit.network.analysis import communities, community_index, pagerank

__all__ = ["EXPORT_FORMATS", "export_network", "flat_network"]

NODE_COLUMNS = ("id", "label", "type", "aliases", "roles", "degree", "pagerank", "community")
EDGE_COLUMNS = (
    "source",
    "target",
    "key",
    "label",
    "lemma",
    "relation",
    "negated",
    "categories",
    "polarity",
    "weight",
    "confidence",
    "found_by",
    "evidence",
)


def _scalar(value: Any) -> str | int | float | bool:
    """A value GraphML/GEXF/CSV can hold: scalars as they are, None as "", anything else as JSON."""
    if value is None:
        return ""
    if isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _with_metrics(network: nx.MultiDiGraph, seed: int) -> nx.MultiDiGraph:
    annotated = network.copy()
    ranks = pagerank(network)
    index = community_index(communities(network, seed=seed))
    for actor in annotated:
        annotated.nodes[actor].update(pagerank=ranks[actor], community=index[actor])
    return annotated


def flat_network(network: nx.MultiDiGraph, *, seed: int = 0) -> nx.MultiDiGraph:
    """Return a copy of the network whose attributes are all scalars (lists and dicts as JSON text), with
    ``pagerank`` and ``community`` added to every actor.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b", {"evidence": [{"text": "A hit B."}]})])
    >>> flat = flat_network(g)
    >>> flat.edges["a", "b", 0]["evidence"], sorted(flat.nodes["a"])
    ('[{"text": "A hit B."}]', ['community', 'pagerank'])
    """
    flat = nx.MultiDiGraph()
    for actor, attrs in _with_metrics(network, seed).nodes(data=True):
        flat.add_node(actor, **{name: _scalar(value) for name, value in attrs.items()})
    for source, target, key, attrs in network.edges(keys=True, data=True):
        flat.add_edge(source, target, key=key, **{name: _scalar(value) for name, value in attrs.items()})
    return flat


def _graphml(network: nx.MultiDiGraph, seed: int) -> dict[str | None, str]:
    return {None: "\n".join(nx.generate_graphml(flat_network(network, seed=seed)))}


def _gexf(network: nx.MultiDiGraph, seed: int) -> dict[str | None, str]:
    return {None: "\n".join(nx.generate_gexf(flat_network(network, seed=seed)))}


def _json(network: nx.MultiDiGraph, seed: int) -> dict[str | None, str]:
    data = nx.node_link_data(_with_metrics(network, seed), edges="edges")
    return {None: json.dumps(data, ensure_ascii=False, indent=1)}


def _csv(network: nx.MultiDiGraph, seed: int) -> dict[str | None, str]:
    annotated = _with_metrics(network, seed)
    nodes, edges = io.StringIO(), io.StringIO()
    node_writer = csv.writer(nodes, lineterminator="\n")
    node_writer.writerow(NODE_COLUMNS)
    for actor, attrs in annotated.nodes(data=True):
        values = {**attrs, "degree": attrs.get("degree", network.degree(actor))}
        node_writer.writerow([actor, *(_scalar(values.get(name)) for name in NODE_COLUMNS[1:])])
    edge_writer = csv.writer(edges, lineterminator="\n")
    edge_writer.writerow(EDGE_COLUMNS)
    for source, target, key, attrs in network.edges(keys=True, data=True):
        edge_writer.writerow([source, target, key, *(_scalar(attrs.get(name)) for name in EDGE_COLUMNS[3:])])
    return {"nodes": nodes.getvalue(), "edges": edges.getvalue()}


#: Exporters by format name. Each returns the text of its files: key None for the file asked for, else the
#: name of a table written next to it (``net.csv`` -> ``net.nodes.csv``).
EXPORT_FORMATS: dict[str, Callable[[nx.MultiDiGraph, int], dict[str | None, str]]] = {
    "graphml": _graphml,
    "gexf": _gexf,
    "csv": _csv,
    "json": _json,
}


def export_network(
    network: nx.MultiDiGraph, path: str | os.PathLike[str], *, format: str = "graphml", seed: int = 0
) -> list[Path]:
    """Write the actor network for another tool.

    Parameters
    ----------
    network : networkx.MultiDiGraph
        The actor network; not modified.
    path : path-like
        The file to write. For ``csv``, two files are written next to each other: ``PATH`` stem +
        ``.nodes.csv`` and ``.edges.csv`` (``out/net.csv`` -> ``out/net.nodes.csv``, ``out/net.edges.csv``).
    format : {"graphml", "gexf", "csv", "json"}
        GraphML and GEXF (Gephi), CSV node and edge lists, node-link JSON (``networkx.node_link_data``).
    seed : int
        Seed of the Louvain communities written as the ``community`` attribute.

    Returns
    -------
    list of pathlib.Path
        The files written (each atomically).

    Raises
    ------
    graphkit.errors.OutputError
        For an unknown format or a path that cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> g = nx.MultiDiGraph([("a", "b", {"label": "met"})])
    >>> [p.name for p in export_network(g, folder / "net.csv", format="csv")]
    ['net.nodes.csv', 'net.edges.csv']
    >>> nx.read_graphml(export_network(g, folder / "net.graphml")[0]).number_of_edges()
    1
    """
    if format not in EXPORT_FORMATS:
        raise OutputError(f"unknown network format {format!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    target = Path(path)
    stem = target.with_suffix("") if target.suffix.lower() == f".{format}" else target
    return [
        atomic_write_text(target if part is None else stem.with_name(f"{stem.name}.{part}.{format}"), text)
        for part, text in EXPORT_FORMATS[format](network, seed).items()
    ]
