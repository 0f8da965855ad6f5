"""Metrics of the actor network on small networks with known answers."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from graphkit.errors import GraphkitError
from graphkit.network import analysis


def _network(*edges: tuple) -> nx.MultiDiGraph:
    """Edges as (source, target, lemma[, evidence dicts]); each actor labelled with its upper-case id."""
    graph = nx.MultiDiGraph()
    for source, target, lemma, *rest in edges:
        for actor in (source, target):
            graph.add_node(actor, label=actor.upper(), type="Person", aliases=[f"{actor} alias"], roles=[])
        evidence = rest[0] if rest else [{"doc": "d1", "text": f"{source} {lemma} {target}."}]
        graph.add_edge(source, target, key=lemma, lemma=lemma, label=lemma + "ed", weight=len(evidence),
                       evidence=evidence)  # fmt: skip
    return graph


@pytest.fixture
def camps() -> nx.MultiDiGraph:
    """Two triangles of allies (a, b, c) and (x, y, z), fighting across c -> x."""
    return _network(
        ("a", "b", "support"), ("b", "c", "meet"), ("c", "a", "support"),
        ("x", "y", "support"), ("y", "z", "meet"), ("z", "x", "support"),
        ("c", "x", "attack"),
    )  # fmt: skip


def test_pagerank_matches_networkx_definition():
    graph = _network(("a", "b", "meet"), ("b", "c", "meet"), ("c", "a", "meet"), ("d", "a", "meet"))
    ranks = analysis.pagerank(graph)
    expected = nx.algorithms.link_analysis.pagerank_alg._pagerank_python(
        nx.DiGraph(graph), tol=1e-12, max_iter=1000
    )
    assert ranks == pytest.approx(expected, abs=1e-6)
    assert sum(ranks.values()) == pytest.approx(1.0)


def test_pagerank_weights_relations_by_evidence():
    evidence = [{"doc": "d1"}] * 5
    graph = _network(("a", "b", "meet", evidence), ("a", "c", "meet"))
    ranks = analysis.pagerank(graph)
    assert ranks["b"] > ranks["c"]


def test_centrality_on_a_star():
    star = _network(*[(leaf, "hub", "meet") for leaf in "abcd"])
    metrics = analysis.centrality(star)
    assert metrics["hub"]["in_degree"] == 4 and metrics["a"]["out_degree"] == 1
    assert metrics["hub"]["betweenness"] == 1.0 and metrics["a"]["betweenness"] == 0.0
    assert max(metrics, key=lambda actor: metrics[actor]["eigenvector"]) == "hub"
    assert max(metrics, key=lambda actor: metrics[actor]["pagerank"]) == "hub"


def test_communities_find_the_two_camps(camps):
    assert analysis.communities(camps, seed=1) == [["a", "b", "c"], ["x", "y", "z"]]


def test_communities_are_deterministic_given_the_seed():
    graph = nx.MultiDiGraph(nx.gnm_random_graph(200, 600, seed=5, directed=True))
    assert analysis.communities(graph, seed=3) == analysis.communities(graph, seed=3)


def test_signed_relations_name_enemies_allies_and_balance(camps):
    signed = analysis.signed_relations(camps)
    assert [pair["labels"] for pair in signed["conflicts"]] == [["C", "X"]]
    assert signed["conflicts"][0]["relations"] == ["C attacked X"]
    assert len(signed["alliances"]) == 6
    assert signed["triangles"] == {"balanced": 2, "unbalanced": 0, "balance": 1.0, "unbalanced_examples": []}


def test_an_enemy_of_an_ally_closing_a_triangle_is_unbalanced():
    graph = _network(("a", "b", "support"), ("b", "c", "support"), ("a", "c", "attack"))
    triangles = analysis.signed_relations(graph)["triangles"]
    assert (triangles["balanced"], triangles["unbalanced"]) == (0, 1)
    assert triangles["unbalanced_examples"] == [["A", "B", "C"]]


def test_conflict_and_cooperation_between_one_pair_are_weighed_by_evidence():
    graph = _network(("a", "b", "attack", [{"doc": "d"}] * 3), ("b", "a", "meet"))
    (pair,) = analysis.signed_relations(graph)["conflicts"]
    assert (pair["conflict"], pair["cooperation"]) == (3, 1)


def test_edge_polarity_attribute_wins_over_the_table():
    graph = _network(("a", "b", "attack"))
    graph.edges["a", "b", "attack"]["polarity"] = 1
    assert analysis.signed_relations(graph)["alliances"][0]["actors"] == ["a", "b"]


def test_brokers_are_the_actors_between_camps(camps):
    assert [entry["actor"] for entry in analysis.brokers(camps)] == ["c", "x"]


def test_find_actor_by_iri_label_or_alias_and_suggestions(camps):
    assert analysis.find_actor(camps, "a") == "a"
    assert analysis.find_actor(camps, "B") == "b"
    assert analysis.find_actor(camps, "C ALIAS") == "c"
    with pytest.raises(GraphkitError, match=r"no actor named 'XX'.*did you mean 'X'"):
        analysis.find_actor(camps, "XX")


def test_ego_network_follows_relations_both_ways(camps):
    assert sorted(analysis.ego_network(camps, "a")) == ["a", "b", "c"]
    assert sorted(analysis.ego_network(camps, "a", hops=2)) == ["a", "b", "c", "x"]
    assert sorted(analysis.ego_network(camps, "a", hops=0)) == ["a"]


def test_shortest_paths_carry_the_evidence_of_each_step(camps):
    (path,) = analysis.shortest_paths(camps, "B", "X")
    assert [(step["from"], step["to"]) for step in path] == [("b", "c"), ("c", "x")]
    attack = path[1]["relations"][0]
    assert (attack["label"], attack["forward"], attack["polarity"]) == ("attacked", True, -1)
    assert attack["evidence"][0]["text"] == "c attack x."
    assert path[0]["relations"][0]["forward"] is True


def test_shortest_paths_between_unconnected_actors_are_empty():
    graph = _network(("a", "b", "meet"), ("c", "d", "meet"))
    assert analysis.shortest_paths(graph, "a", "d") == []


def test_relation_counts_by_category_and_polarity(camps):
    counts = analysis.relation_counts(camps)
    assert counts["categories"] == {
        "attack": {"relations": 1, "evidence": 1},
        "communicate": {"relations": 2, "evidence": 2},
        "support": {"relations": 4, "evidence": 4},
    }
    assert counts["polarity"] == {
        "conflict": {"relations": 1, "evidence": 1},
        "cooperation": {"relations": 6, "evidence": 6},
    }
    assert counts["predicates"][0] == ["supported", 4]


def test_cited_sources_count_documents_and_attributions():
    graph = _network(
        ("a", "b", "report", [{"doc": "d2", "title": "Two", "pattern": "attribution-reported"}]),
        ("b", "c", "meet", [{"doc": "d1", "title": "One"}, {"doc": "d2"}, {"doc": "d2"}]),
    )
    sources = analysis.cited_sources(graph)
    assert [
        (doc["doc"], doc["title"], doc["evidence"], doc["relations"]) for doc in sources["documents"]
    ] == [
        ("d2", "Two", 3, 2),
        ("d1", "One", 1, 1),
    ]
    assert sources["attributions"] == [{"actor": "a", "label": "A", "claims": 1}]


def test_attribution_pattern_is_the_extractors():
    from graphkit.extract.triples import ATTRIBUTION_PATTERN

    assert analysis.ATTRIBUTION_PATTERN == ATTRIBUTION_PATTERN


def test_change_over_time_by_month_and_year():
    graph = _network(
        ("a", "b", "attack", [{"date": "2020-01-03"}, {"date": "2020-03-01T10:00:00"}]),
        ("b", "c", "meet", [{"date": "2020-03-09"}, {"date": None}]),
    )
    assert analysis.change_over_time(graph, by="month") == [
        {"period": "2020-01", "evidence": 1, "relations": 1, "actors": 2, "new_actors": 2,
         "conflict": 1, "cooperation": 0, "neutral": 0},
        {"period": "2020-03", "evidence": 2, "relations": 2, "actors": 3, "new_actors": 1,
         "conflict": 1, "cooperation": 1, "neutral": 0},
        {"period": "undated", "evidence": 1, "relations": 1, "actors": 2, "new_actors": 0,
         "conflict": 0, "cooperation": 1, "neutral": 0},
    ]  # fmt: skip
    assert [period["period"] for period in analysis.change_over_time(graph, by="year")] == ["2020", "undated"]
    with pytest.raises(GraphkitError, match="choose one of year, month, day"):
        analysis.change_over_time(graph, by="week")


def test_select_network_by_evidence_actor_and_top(camps):
    camps.edges["a", "b", "support"]["weight"] = 3
    assert sorted(analysis.select_network(camps, min_evidence=2)) == ["a", "b"]
    assert sorted(analysis.select_network(camps, actor="x")) == ["c", "x", "y", "z"]
    assert len(analysis.select_network(camps, top=2)) == 2


def test_analyze_reports_everything_and_is_json_ready(camps):
    report = analysis.analyze(camps, seed=4, by="month", path=("a", "z"))
    assert report["summary"] == {
        "actors": 6, "relations": 7, "evidence": 7, "documents": 1, "components": 1, "communities": 2,
    }  # fmt: skip
    assert report["scope"] == {"actor": None, "hops": None, "seed": 4}
    assert [entry["actor"] for entry in report["brokers"]] == ["c", "x"]
    assert [len(path) for path in report["paths"]["paths"]] == [3]
    assert set(report["rankings"]) == {"pagerank", "betweenness", "eigenvector", "in_degree", "out_degree"}
    assert json.loads(json.dumps(report)) == report


def test_analyze_an_ego_network(camps):
    report = analysis.analyze(camps, actor="A", hops=1)
    assert report["scope"]["actor"] == {"actor": "a", "label": "A"}
    assert report["summary"]["actors"] == 3


def test_analysis_is_deterministic_and_leaves_the_network_alone(camps):
    before = nx.node_link_data(camps, edges="edges")
    first = analysis.analyze(camps, seed=2, by="day", actor="c", hops=2)
    assert analysis.analyze(camps, seed=2, by="day", actor="c", hops=2) == first
    assert nx.node_link_data(camps, edges="edges") == before


def test_markdown_report_escapes_table_pipes(camps):
    camps.nodes["a"]["label"] = "A | B\nC"
    text = analysis.format_markdown(analysis.analyze(camps, path=("a", "x"), by="month"))
    assert "| A \\| B C |" in text
    assert "## Paths from A \\| B C to X" in text and "## Change over time" in text
