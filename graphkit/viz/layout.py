"""Positions of the actors, computed in Python so that the page draws at once with physics off.

networkx's Fruchterman-Reingold layout runs on dense numpy arrays up to a few hundred actors (beyond that it
needs scipy, which graphkit does without). Larger networks are laid out by parts: each connected component
on its own; a component too big for one run is split into its Louvain communities, each laid out on its
own and placed where a layout of the community graph puts it. Components are then packed in rows, the
largest first. Seeded throughout: the same network and seed give the same picture.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np

from graphkit.network.analysis import weighted_graph

__all__ = ["DENSE_LIMIT", "SPACING", "layout"]

#: Distance between neighbouring actors on the page, in vis-network's canvas units (pixels at zoom 1).
SPACING = 110.0
#: Largest group of actors laid out in one Fruchterman-Reingold run.
DENSE_LIMIT = 300
#: Gap between packed components, in units of SPACING.
GAP = 1.5


def layout(
    network: nx.MultiDiGraph, *, seed: int = 0, groups: Iterable[Iterable[str]] | None = None
) -> dict[str, tuple[float, float]]:
    """Return a position for every actor.

    Parameters
    ----------
    network : networkx.MultiDiGraph
        The actor network; not modified.
    seed : int
        Seed of the force-directed runs (and of Louvain when ``groups`` is not given).
    groups : iterable of iterables of str, optional
        Communities to split large components by (e.g. :func:`graphkit.network.analysis.communities`).

    Returns
    -------
    dict
        Actor -> (x, y) in canvas units, neighbours about ``SPACING`` apart.

    Examples
    --------
    >>> positions = layout(nx.MultiDiGraph([("a", "b"), ("c", "d")]))
    >>> sorted(positions), layout(nx.MultiDiGraph([("a", "b"), ("c", "d")])) == positions
    (['a', 'b', 'c', 'd'], True)
    """
    graph = weighted_graph(network)
    index = {actor: number for number, group in enumerate(groups or ()) for actor in group}
    components = sorted(nx.connected_components(graph), key=lambda nodes: (-len(nodes), min(nodes)))
    pieces = [_place(_ordered(graph, nodes), seed, index) for nodes in components]
    positions = _pack(pieces)
    return {
        actor: (round(float(x) * SPACING, 1), round(float(y) * SPACING, 1))
        for actor, (x, y) in positions.items()
    }


def _ordered(graph: nx.Graph, nodes: Iterable[str]) -> nx.Graph:
    """The subgraph on ``nodes`` with nodes and edges in sorted order: a subgraph view iterates its node
    set in hash order, which changes from process to process, and the layout would follow it."""
    kept = sorted(nodes)
    ordered = nx.Graph()
    ordered.add_nodes_from(kept)
    edges = graph.subgraph(kept).edges(data=True)
    ordered.add_edges_from(sorted(((*sorted((u, v)), data) for u, v, data in edges), key=lambda e: e[:2]))
    return ordered


def _place(graph: nx.Graph, seed: int, index: dict[str, int]) -> dict[str, np.ndarray]:
    """Positions centred on 0, neighbours about 1 apart."""
    count = len(graph)
    if count == 1:
        return {next(iter(graph)): np.zeros(2)}
    if count <= DENSE_LIMIT:
        raw = nx.spring_layout(graph, seed=seed, method="force", weight=None)
        points = np.array([raw[actor] for actor in graph])
        points -= points.mean(axis=0)
        # The dense layout fills [-1, 1]^2 whatever the count: scale it so that the area grows with it.
        points *= 0.9 * np.sqrt(count) / max(np.abs(points).max(), 1e-9)
        return dict(zip(graph, points, strict=True))
    parts = _split(graph, seed, index)
    placed = [_place(_ordered(graph, part), seed, {}) for part in parts]
    radii = np.array([max(np.linalg.norm(p) for p in piece.values()) + 1.0 for piece in placed])
    part_of = {actor: number for number, part in enumerate(parts) for actor in part}
    quotient = nx.Graph()
    quotient.add_nodes_from(range(len(parts)))
    for u, v in graph.edges():
        if part_of[u] != part_of[v]:
            quotient.add_edge(part_of[u], part_of[v])
    centres = _place(quotient, seed, {})
    points = np.array([centres[number] for number in range(len(parts))])
    nearest = _nearest_distances(points)
    # Spread the community centres so that neighbouring communities roughly touch.
    scale = 2.0 * float(np.median(radii)) / max(float(np.median(nearest)), 1e-9)
    return {
        actor: points[number] * scale + position
        for number, piece in enumerate(placed)
        for actor, position in piece.items()
    }


def _split(graph: nx.Graph, seed: int, index: dict[str, int]) -> list[list[str]]:
    """Parts of a component too big for one run: the given communities, else Louvain's, else slices."""
    by_group: dict[int, list[str]] = {}
    for actor in sorted(graph):
        by_group.setdefault(index.get(actor, -1), []).append(actor)
    parts = [part for _, part in sorted(by_group.items())]
    if len(parts) < 2:
        parts = [sorted(part) for part in nx.community.louvain_communities(graph, seed=seed)]
        parts.sort(key=lambda part: (-len(part), part[0]))
    if len(parts) < 2:  # one tight community: cut it into slices in breadth-first order
        order = list(nx.bfs_tree(graph, min(graph)))
        parts = [order[start : start + DENSE_LIMIT] for start in range(0, len(order), DENSE_LIMIT)]
    return parts


def _nearest_distances(points: np.ndarray) -> np.ndarray:
    if len(points) < 2:
        return np.ones(1)
    distances = np.linalg.norm(points[:, None, :] - points[None, :, :], axis=-1)
    np.fill_diagonal(distances, np.inf)
    return distances.min(axis=1)


def _pack(pieces: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Place the pieces (largest first) in rows about as wide as the whole is tall."""
    boxes = []
    for piece in pieces:
        points = np.array(list(piece.values()))
        low, high = points.min(axis=0), points.max(axis=0)
        boxes.append((low, high - low + GAP))
    area = sum(float(size[0] * size[1]) for _, size in boxes)
    row_width = max(np.sqrt(area) * 1.3, max((float(size[0]) for _, size in boxes), default=0.0))
    positions: dict[str, np.ndarray] = {}
    x = y = row_height = 0.0
    for piece, (low, size) in zip(pieces, boxes, strict=True):
        if x > 0 and x + size[0] > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        offset = np.array([x, y]) - low
        for actor, position in piece.items():
            positions[actor] = position + offset
        x += float(size[0])
        row_height = max(row_height, float(size[1]))
    if positions:
        centre = np.mean(np.array(list(positions.values())), axis=0)
        positions = {actor: position - centre for actor, position in positions.items()}
    return positions
