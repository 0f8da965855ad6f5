"""Positions computed in Python: every actor placed, deterministic, large networks laid out by parts."""

from __future__ import annotations

import networkx as nx
import numpy as np

from graphkit.viz import layout as viz_layout
from graphkit.viz.layout import layout


def test_every_actor_gets_a_distinct_position_and_the_same_each_run():
    graph = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("x", "y")])
    graph.add_node("alone")
    positions = layout(graph, seed=1)
    assert sorted(positions) == ["a", "alone", "b", "c", "x", "y"]
    assert len(set(positions.values())) == 6
    assert layout(graph, seed=1) == positions


def test_neighbours_sit_about_one_spacing_apart():
    positions = layout(nx.MultiDiGraph([("a", "b")]))
    distance = np.linalg.norm(np.subtract(positions["a"], positions["b"]))
    assert 0.3 * viz_layout.SPACING < distance < 3 * viz_layout.SPACING


def test_a_component_too_big_for_one_run_is_laid_out_by_communities(monkeypatch):
    monkeypatch.setattr(viz_layout, "DENSE_LIMIT", 20)
    graph = nx.MultiDiGraph(nx.connected_caveman_graph(6, 10))
    positions = layout(graph, seed=0)
    assert len(positions) == 60 and len(set(positions.values())) == 60
    points = {node: np.array(point) for node, point in positions.items()}
    # Members of one cave sit closer to each other than to another cave's.
    inside = np.linalg.norm(points[1] - points[2])
    across = np.linalg.norm(points[1] - points[45])
    assert inside < across


def test_empty_network():
    assert layout(nx.MultiDiGraph()) == {}
