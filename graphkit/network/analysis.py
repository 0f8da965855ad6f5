"""Analysis of the actor network: who is central, which camps exist, who fights whom, and why.

networkx style: every function takes the network first, then keyword options; returns plain dicts and
lists (JSON-ready: actors are their IRIs, with labels alongside); never changes the network; randomness
(Louvain, sampled betweenness) takes an explicit ``seed``, so the same network and seed give the same
answer.

Parallel relations between two actors are collapsed for the metrics: the weight of a pair is the number of
evidence sentences behind it. Relation direction counts for degree and PageRank; betweenness, eigenvector
centrality, communities and the signed analysis read the network as undirected (who is tied to whom), since
the grammatical direction of "A met B" says little about a camp.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import islice
from typing import Any

import networkx as nx
import numpy as np

from graphkit.errors import GraphkitError
from graphkit.network.categories import POLARITY_NAMES, UNCATEGORIZED, edge_categories, edge_polarity

__all__ = [
    "PERIODS",
    "analyze",
    "brokers",
    "centrality",
    "change_over_time",
    "cited_sources",
    "communities",
    "ego_network",
    "find_actor",
    "format_markdown",
    "community_index",
    "pagerank",
    "relation_counts",
    "select_network",
    "shortest_paths",
    "signed_relations",
    "weighted_graph",
]

#: Betweenness is exact up to this many actors, then estimated from this many seeded source actors.
BETWEENNESS_SAMPLES = 400
#: Pattern id of the ``reported`` triples an attribution adds (as in ``graphkit.extract.triples``).
ATTRIBUTION_PATTERN = "attribution-reported"
#: Periods for :func:`change_over_time`: how many leading characters of an ISO date name the period.
PERIODS: dict[str, int] = {"year": 4, "month": 7, "day": 10}
UNDATED = "undated"
CENTRALITY_METRICS = ("pagerank", "betweenness", "eigenvector", "in_degree", "out_degree")


# --- helpers ---------------------------------------------------------------------------------------------


def weighted_graph(network: nx.MultiDiGraph, *, directed: bool = False) -> nx.DiGraph | nx.Graph:
    """Return a simple graph over the same actors (in sorted order), without self-loops, whose edge
    ``weight`` is the number of evidence sentences of all relations between the pair.

    >>> g = nx.MultiDiGraph([("a", "b", {"weight": 2}), ("b", "a", {"weight": 1}), ("a", "a")])
    >>> weighted_graph(g).edges(data=True), weighted_graph(g, directed=True).number_of_edges()
    (EdgeDataView([('a', 'b', {'weight': 3})]), 2)
    """
    collapsed = nx.DiGraph() if directed else nx.Graph()
    collapsed.add_nodes_from(sorted(network))
    for source, target, attrs in network.edges(data=True):
        if source == target:
            continue
        weight = _evidence_count(attrs)
        if collapsed.has_edge(source, target):
            collapsed[source][target]["weight"] += weight
        else:
            collapsed.add_edge(source, target, weight=weight)
    return collapsed


def _evidence_count(attrs: dict[str, Any]) -> int:
    return int(attrs.get("weight") or len(attrs.get("evidence") or ()) or 1)


def _label(network: nx.MultiDiGraph, actor: str) -> str:
    return str(network.nodes[actor].get("label") or actor)


def _actor_entry(network: nx.MultiDiGraph, actor: str, **values: Any) -> dict[str, Any]:
    return {"actor": actor, "label": _label(network, actor), **values}


def _top(scores: dict[str, float], top: int | None) -> list[str]:
    """Actors by decreasing score, ties by IRI; the first ``top`` (all when None)."""
    ranked = sorted(scores, key=lambda actor: (-scores[actor], actor))
    return ranked if top is None else ranked[:top]


# --- centrality ------------------------------------------------------------------------------------------


def pagerank(
    network: nx.MultiDiGraph, *, alpha: float = 0.85, tol: float = 1.0e-10, max_iter: int = 200
) -> dict[str, float]:
    """Return the PageRank of every actor, relations weighted by their evidence sentences.

    The same definition as :func:`networkx.pagerank` (dangling actors spread their rank evenly), computed
    by numpy power iteration so that it needs no scipy.

    Parameters
    ----------
    network : networkx.MultiDiGraph
        The actor network; not modified.
    alpha : float
        Damping factor.
    tol : float
        Stop when the ranks change by less than this (L1, over all actors).
    max_iter : int
        At most this many iterations.

    Returns
    -------
    dict
        Actor -> PageRank; the values sum to 1.

    Examples
    --------
    >>> star = nx.MultiDiGraph([("a", "hub"), ("b", "hub"), ("c", "hub")])
    >>> ranks = pagerank(star)
    >>> max(ranks, key=ranks.get), round(sum(ranks.values()), 6)
    ('hub', 1.0)
    """
    graph = weighted_graph(network, directed=True)
    actors = list(graph)
    count = len(actors)
    if count == 0:
        return {}
    index = {actor: number for number, actor in enumerate(actors)}
    sources = np.array([index[u] for u, _ in graph.edges()], dtype=np.int64)
    targets = np.array([index[v] for _, v in graph.edges()], dtype=np.int64)
    weights = np.array([attrs["weight"] for *_, attrs in graph.edges(data=True)], dtype=float)
    out_weight = np.zeros(count)
    np.add.at(out_weight, sources, weights)
    share = weights / out_weight[sources] if len(weights) else weights
    dangling = out_weight == 0
    ranks = np.full(count, 1.0 / count)
    for _ in range(max_iter):
        previous = ranks
        ranks = np.zeros(count)
        np.add.at(ranks, targets, alpha * previous[sources] * share)
        ranks += (alpha * previous[dangling].sum() + 1.0 - alpha) / count
        if np.abs(ranks - previous).sum() < count * tol:
            break
    return {actor: float(ranks[index[actor]]) for actor in actors}


def centrality(network: nx.MultiDiGraph, *, seed: int = 0) -> dict[str, dict[str, float]]:
    """Return each actor's in-degree, out-degree, PageRank, betweenness and eigenvector centrality.

    Parameters
    ----------
    network : networkx.MultiDiGraph
        The actor network; not modified.
    seed : int
        Seed of the source actors betweenness is estimated from on networks of more than
        ``BETWEENNESS_SAMPLES`` actors (exact below).

    Returns
    -------
    dict
        Actor -> {``in_degree``, ``out_degree`` (relations in and out), ``pagerank`` (see :func:`pagerank`),
        ``betweenness`` (normalized, undirected), ``eigenvector`` (undirected, evidence-weighted)}.

    Examples
    --------
    >>> path = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> metrics = centrality(path)
    >>> metrics["b"]["betweenness"], metrics["a"]["out_degree"], metrics["c"]["in_degree"]
    (1.0, 1, 1)
    """
    undirected = weighted_graph(network, directed=False)
    samples = BETWEENNESS_SAMPLES if len(undirected) > BETWEENNESS_SAMPLES else None
    between = nx.betweenness_centrality(undirected, k=samples, seed=seed)
    try:
        eigen = nx.eigenvector_centrality(undirected, max_iter=1000, tol=1.0e-8, weight="weight")
    except (nx.PowerIterationFailedConvergence, nx.NetworkXPointlessConcept):
        eigen = dict.fromkeys(undirected, 0.0)
    ranks = pagerank(network)
    return {
        actor: {
            "pagerank": ranks[actor],
            "betweenness": between[actor],
            "eigenvector": eigen[actor],
            "in_degree": network.in_degree(actor),
            "out_degree": network.out_degree(actor),
        }
        for actor in sorted(network)
    }


# --- camps -----------------------------------------------------------------------------------------------


def communities(network: nx.MultiDiGraph, *, seed: int = 0, resolution: float = 1.0) -> list[list[str]]:
    """Return the network's communities (Louvain, on the undirected evidence-weighted network).

    Parameters
    ----------
    network : networkx.MultiDiGraph
        The actor network; not modified.
    seed : int
        Seed of :func:`networkx.community.louvain_communities`.
    resolution : float
        Above 1 favours smaller communities, below 1 larger ones.

    Returns
    -------
    list of list of str
        Every actor in exactly one community; members sorted, communities largest first (ties by first
        member). An actor without relations is a community of its own.

    Examples
    --------
    >>> two_triangles = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"),
    ...                                  ("z", "x"), ("c", "x")])
    >>> communities(two_triangles)
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    undirected = weighted_graph(network, directed=False)
    found = nx.community.louvain_communities(undirected, weight="weight", resolution=resolution, seed=seed)
    return sorted((sorted(group) for group in found), key=lambda group: (-len(group), group[0]))


def community_index(groups: Iterable[Iterable[str]]) -> dict[str, int]:
    """Return actor -> the number of its community in ``groups`` (as :func:`communities` returns them).

    >>> community_index([["a", "b"], ["c"]])
    {'a': 0, 'b': 0, 'c': 1}
    """
    return {actor: number for number, group in enumerate(groups) for actor in group}


def _pair_polarity(network: nx.MultiDiGraph) -> dict[tuple[str, str], dict[str, Any]]:
    """Unordered actor pair -> evidence on each side, the relations and the net sign."""
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for source, target, attrs in network.edges(data=True):
        polarity = edge_polarity(attrs)
        if source == target or polarity == 0:
            continue
        pair = (source, target) if source < target else (target, source)
        entry = pairs.setdefault(pair, {"conflict": 0, "cooperation": 0, "relations": []})
        entry[POLARITY_NAMES[polarity]] += _evidence_count(attrs)
        entry["relations"].append(
            f"{_label(network, source)} {attrs.get('label') or attrs.get('lemma')} {_label(network, target)}"
        )
    for entry in pairs.values():
        net = entry["cooperation"] - entry["conflict"]
        entry["sign"] = (net > 0) - (net < 0)
    return pairs


def signed_relations(network: nx.MultiDiGraph, *, top: int | None = 10) -> dict[str, Any]:
    """Return who fights whom, who sides with whom, and how balanced the triangles of both are.

    A pair of actors is in conflict when the evidence of conflict relations between them (either
    direction) outweighs that of cooperation, allied when cooperation outweighs conflict. A triangle of
    three signed pairs is balanced when the product of its signs is positive ("the enemy of my enemy is my
    friend"), as in Heider's structural balance.

    Parameters
    ----------
    network : networkx.MultiDiGraph
        The actor network; edge polarity from :func:`graphkit.network.categories.edge_polarity`.
    top : int or None
        Length of the conflict, alliance and unbalanced-triangle lists (all when None).

    Returns
    -------
    dict
        ``conflicts`` and ``alliances``: lists of {``actors`` (two IRIs), ``labels``, ``conflict`` and
        ``cooperation`` (evidence sentences), ``relations`` (readable)}, most evidence first;
        ``triangles``: {``balanced``, ``unbalanced``, ``balance`` (share balanced, None without
        triangles), ``unbalanced_examples`` (lists of three labels)}.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b", {"lemma": "attack"}), ("b", "c", {"lemma": "attack"}),
    ...                      ("a", "c", {"lemma": "support"})])
    >>> result = signed_relations(g)
    >>> [c["actors"] for c in result["conflicts"]], result["triangles"]["balanced"]
    ([['a', 'b'], ['b', 'c']], 1)
    """
    pairs = _pair_polarity(network)

    def listing(sign: int) -> list[dict[str, Any]]:
        chosen = [(pair, entry) for pair, entry in pairs.items() if entry["sign"] == sign]
        chosen.sort(key=lambda item: (-(item[1]["conflict"] + item[1]["cooperation"]), item[0]))
        return [
            {
                "actors": list(pair),
                "labels": [_label(network, actor) for actor in pair],
                "conflict": entry["conflict"],
                "cooperation": entry["cooperation"],
                "relations": sorted(entry["relations"]),
            }
            for pair, entry in (chosen if top is None else chosen[:top])
        ]

    signed = nx.Graph()
    signed.add_edges_from((*pair, {"sign": entry["sign"]}) for pair, entry in pairs.items() if entry["sign"])
    balanced, unbalanced = 0, []
    for first, second in sorted(signed.edges()):
        low, high = min(first, second), max(first, second)
        for third in sorted(nx.common_neighbors(signed, low, high)):
            if third <= high:
                continue
            product = signed[low][high]["sign"] * signed[low][third]["sign"] * signed[high][third]["sign"]
            if product > 0:
                balanced += 1
            else:
                unbalanced.append([_label(network, actor) for actor in (low, high, third)])
    total = balanced + len(unbalanced)
    return {
        "conflicts": listing(-1),
        "alliances": listing(1),
        "triangles": {
            "balanced": balanced,
            "unbalanced": len(unbalanced),
            "balance": round(balanced / total, 4) if total else None,
            "unbalanced_examples": unbalanced[:top] if top is not None else unbalanced,
        },
    }


def brokers(
    network: nx.MultiDiGraph,
    *,
    top: int | None = 10,
    seed: int = 0,
    metrics: dict[str, dict[str, float]] | None = None,
    groups: list[list[str]] | None = None,
) -> list[dict[str, Any]]:
    """Return the actors that tie communities together, by decreasing betweenness.

    A broker is an actor whose relations reach at least one community other than its own.

    Parameters
    ----------
    network : networkx.MultiDiGraph
        The actor network; not modified.
    top : int or None
        How many brokers (all when None).
    seed : int
        Seed for :func:`centrality` and :func:`communities` when they are not given.
    metrics, groups : optional
        :func:`centrality`'s and :func:`communities`' results, to reuse them.

    Returns
    -------
    list of dict
        {``actor``, ``label``, ``betweenness``, ``communities`` (the community numbers it reaches, its own
        first)}.

    Examples
    --------
    >>> bridge = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"),
    ...                           ("z", "x"), ("c", "x")])
    >>> [entry["label"] for entry in brokers(bridge)]
    ['c', 'x']
    """
    metrics = metrics if metrics is not None else centrality(network, seed=seed)
    groups = groups if groups is not None else communities(network, seed=seed)
    index = community_index(groups)
    found = []
    for actor in network:
        reached = {index[neighbour] for neighbour in nx.all_neighbors(network, actor)} - {index[actor]}
        if reached:
            found.append((actor, [index[actor], *sorted(reached)]))
    found.sort(key=lambda item: (-metrics[item[0]]["betweenness"], item[0]))
    return [
        _actor_entry(network, actor, betweenness=metrics[actor]["betweenness"], communities=reached)
        for actor, reached in found[:top]
    ]


# --- scope: one actor, a path, a selection ---------------------------------------------------------------


def find_actor(network: nx.MultiDiGraph, name: str) -> str:
    """Return the actor ``name`` designates: an IRI, else a label or alias (case does not matter).

    Several actors with that name: the one with the most relations (ties by IRI).

    Raises
    ------
    graphkit.errors.GraphkitError
        When no actor has that name; the message suggests close names.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("urn:kerry", label="John Kerry", aliases=["Kerry"])
    >>> find_actor(g, "kerry"), find_actor(g, "urn:kerry")
    ('urn:kerry', 'urn:kerry')
    """
    if name in network:
        return name
    wanted = name.strip().casefold()
    matches = [
        actor
        for actor, attrs in network.nodes(data=True)
        if wanted in {str(n).casefold() for n in [attrs.get("label") or "", *(attrs.get("aliases") or ())]}
    ]
    if matches:
        return min(matches, key=lambda actor: (-network.degree(actor), actor))
    labels = sorted({_label(network, actor) for actor in network})
    close = difflib.get_close_matches(name, labels, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(label) for label in close)}?" if close else ""
    raise GraphkitError(f"no actor named {name!r} in the network ({len(network)} actors){hint}")


def ego_network(network: nx.MultiDiGraph, actor: str, *, hops: int = 1) -> nx.MultiDiGraph:
    """Return the actors within ``hops`` relations of ``actor`` (either direction) and their relations.

    Parameters
    ----------
    network : networkx.MultiDiGraph
        The actor network; not modified.
    actor : str
        An IRI, label or alias (see :func:`find_actor`).
    hops : int
        Radius, in relations.

    Returns
    -------
    networkx.MultiDiGraph
        A new network (node and edge attributes copied).

    Examples
    --------
    >>> chain = nx.MultiDiGraph([("a", "b"), ("c", "b"), ("c", "d")])
    >>> sorted(ego_network(chain, "b")), sorted(ego_network(chain, "b", hops=2))
    (['a', 'b', 'c'], ['a', 'b', 'c', 'd'])
    """
    if hops < 0:
        raise GraphkitError(f"hops must be 0 or more, not {hops}")
    centre = find_actor(network, actor)
    return nx.ego_graph(network, centre, radius=hops, undirected=True).copy()


def select_network(
    network: nx.MultiDiGraph,
    *,
    actor: str | None = None,
    hops: int = 1,
    top: int | None = None,
    min_evidence: int = 1,
) -> nx.MultiDiGraph:
    """Return the part of the network to show or analyse: relations with enough evidence, around an actor,
    the actors of highest PageRank.

    Parameters
    ----------
    network : networkx.MultiDiGraph
        The actor network; not modified.
    actor : str, optional
        Keep only the ego network of this actor (see :func:`ego_network`).
    hops : int
        Radius of the ego network.
    top : int, optional
        Keep the ``top`` actors of highest PageRank (computed after the other filters).
    min_evidence : int
        Drop relations with fewer evidence sentences, then the actors left without relations (unless the
        network had no relations to begin with).

    Returns
    -------
    networkx.MultiDiGraph
        A new network.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b", {"weight": 3}), ("b", "c"), ("d", "c"), ("e", "c")])
    >>> sorted(select_network(g, min_evidence=2)), sorted(select_network(g, top=1))
    (['a', 'b'], ['c'])
    """
    selected = network.copy()
    if min_evidence > 1:
        weak = [
            (u, v, key)
            for u, v, key, attrs in selected.edges(keys=True, data=True)
            if _evidence_count(attrs) < min_evidence
        ]
        selected.remove_edges_from(weak)
        selected.remove_nodes_from([node for node in list(selected) if selected.degree(node) == 0])
    if actor is not None:
        selected = ego_network(selected, find_actor(network, actor), hops=hops)
    if top is not None and top < len(selected):
        keep = _top(pagerank(selected), top)
        selected = selected.subgraph(keep).copy()
    return selected


def shortest_paths(
    network: nx.MultiDiGraph, source: str, target: str, *, limit: int = 5
) -> list[list[dict[str, Any]]]:
    """Return the shortest chains of relations between two actors, with the evidence of every step.

    Relations are followed in either direction; each step lists every relation between its two actors.

    Parameters
    ----------
    network : networkx.MultiDiGraph
        The actor network; not modified.
    source, target : str
        IRIs, labels or aliases (see :func:`find_actor`).
    limit : int
        At most this many paths (all of the shortest length).

    Returns
    -------
    list of list of dict
        One list of steps per path; a step is {``from``, ``from_label``, ``to``, ``to_label``,
        ``relations``: [{``label``, ``lemma``, ``forward`` (bool: from -> to), ``polarity``, ``evidence``}]}.
        Empty when the actors are not connected.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b", {"label": "met", "evidence": [{"text": "A met B."}]}),
    ...                      ("c", "b", {"label": "hit"})])
    >>> [[(s["from"], s["to"], s["relations"][0]["forward"]) for s in p] for p in shortest_paths(g, "a", "c")]
    [[('a', 'b', True), ('b', 'c', False)]]
    """
    start, end = find_actor(network, source), find_actor(network, target)
    undirected = weighted_graph(network, directed=False)
    try:
        found = list(islice(nx.all_shortest_paths(undirected, start, end), limit))
    except nx.NetworkXNoPath:
        return []
    return [[_step(network, u, v) for u, v in zip(path, path[1:], strict=False)] for path in sorted(found)]


def _step(network: nx.MultiDiGraph, first: str, second: str) -> dict[str, Any]:
    relations = []
    for u, v, forward in ((first, second, True), (second, first, False)):
        for attrs in (network.get_edge_data(u, v) or {}).values():
            relations.append(
                {
                    "label": attrs.get("label") or attrs.get("lemma") or "related to",
                    "lemma": attrs.get("lemma"),
                    "forward": forward,
                    "polarity": edge_polarity(attrs),
                    "evidence": list(attrs.get("evidence") or ()),
                }
            )
    return {
        "from": first,
        "from_label": _label(network, first),
        "to": second,
        "to_label": _label(network, second),
        "relations": relations,
    }


# --- counts ----------------------------------------------------------------------------------------------


def relation_counts(network: nx.MultiDiGraph, *, top: int | None = 10) -> dict[str, Any]:
    """Return how many relations (and evidence sentences) fall in each category, polarity and predicate.

    Returns
    -------
    dict
        ``categories`` and ``polarity``: name -> {``relations``, ``evidence``} (a relation without category
        counts as ``uncategorized``; one with several counts under each); ``predicates``: the ``top`` most
        frequent predicate labels as [label, relations].

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b", {"lemma": "attack", "weight": 2}), ("a", "c", {"lemma": "say"})])
    >>> counts = relation_counts(g)
    >>> counts["categories"]["attack"], counts["polarity"]["neutral"]
    ({'relations': 1, 'evidence': 2}, {'relations': 1, 'evidence': 1})
    """
    by_category: dict[str, Counter[str]] = defaultdict(Counter)
    by_polarity: dict[str, Counter[str]] = defaultdict(Counter)
    predicates: Counter[str] = Counter()
    for *_, attrs in network.edges(data=True):
        evidence = _evidence_count(attrs)
        for category in edge_categories(attrs) or [UNCATEGORIZED]:
            by_category[category].update(relations=1, evidence=evidence)
        by_polarity[POLARITY_NAMES[edge_polarity(attrs)]].update(relations=1, evidence=evidence)
        predicates[str(attrs.get("label") or attrs.get("lemma") or "related to")] += 1
    ranked = sorted(predicates.items(), key=lambda item: (-item[1], item[0]))
    return {
        "categories": {name: dict(counts) for name, counts in sorted(by_category.items())},
        "polarity": {name: dict(counts) for name, counts in sorted(by_polarity.items())},
        "predicates": [list(item) for item in (ranked if top is None else ranked[:top])],
    }


def cited_sources(network: nx.MultiDiGraph, *, top: int | None = 10) -> dict[str, list[dict[str, Any]]]:
    """Return the documents that give the most evidence, and the actors most often cited as a source.

    Returns
    -------
    dict
        ``documents``: [{``doc``, ``title``, ``date``, ``url``, ``evidence`` (sentences), ``relations``}];
        ``attributions``: [{``actor``, ``label``, ``claims``}]: actors whose ``reported`` triples
        (an attribution: "the Observatory said...") carry the most evidence. Both most first.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b", {"evidence": [{"doc": "d1", "title": "T"}, {"doc": "d1"}]})])
    >>> cited_sources(g)["documents"][0]["evidence"]
    2
    """
    documents: dict[str, dict[str, Any]] = {}
    claims: Counter[str] = Counter()
    for source, _, attrs in network.edges(data=True):
        seen: set[str] = set()
        for item in attrs.get("evidence") or ():
            doc = str(item.get("doc") or "")
            entry = documents.setdefault(
                doc, {"doc": doc, "title": None, "date": None, "url": None, "evidence": 0, "relations": 0}
            )
            for field in ("title", "date", "url"):
                entry[field] = entry[field] or item.get(field)
            entry["evidence"] += 1
            entry["relations"] += doc not in seen
            seen.add(doc)
            if item.get("pattern") == ATTRIBUTION_PATTERN:
                claims[source] += 1
    ranked = sorted(documents.values(), key=lambda entry: (-entry["evidence"], entry["doc"]))
    cited = sorted(claims, key=lambda actor: (-claims[actor], actor))
    return {
        "documents": ranked if top is None else ranked[:top],
        "attributions": [_actor_entry(network, actor, claims=claims[actor]) for actor in cited[:top]],
    }


def change_over_time(network: nx.MultiDiGraph, *, by: str = "month") -> list[dict[str, Any]]:
    """Return, per period, the evidence, relations and actors the documents of that period give.

    Parameters
    ----------
    network : networkx.MultiDiGraph
        The actor network; evidence dates are ISO dates (``2020-01-05`` or longer).
    by : {"year", "month", "day"}
        The period.

    Returns
    -------
    list of dict
        In period order, the undated last: {``period``, ``evidence``, ``relations``, ``actors``,
        ``new_actors`` (first seen in this period), ``conflict``, ``cooperation``, ``neutral`` (evidence by
        polarity)}.

    Examples
    --------
    >>> dates = [{"date": "2020-01-05"}, {"date": "2020-02-01"}]
    >>> g = nx.MultiDiGraph([("a", "b", {"lemma": "attack", "evidence": dates})])
    >>> [(p["period"], p["new_actors"], p["conflict"]) for p in change_over_time(g)]
    [('2020-01', 2, 1), ('2020-02', 0, 1)]
    """
    if by not in PERIODS:
        raise GraphkitError(f"unknown period {by!r}; choose one of {', '.join(PERIODS)}")
    periods: dict[str, dict[str, Any]] = {}
    for source, target, key, attrs in network.edges(keys=True, data=True):
        polarity = POLARITY_NAMES[edge_polarity(attrs)]
        for item in attrs.get("evidence") or ():
            date = str(item.get("date") or "")
            period = date[: PERIODS[by]] if len(date) >= PERIODS[by] else UNDATED
            entry = periods.setdefault(
                period,
                {
                    "evidence": 0,
                    "relations": set(),
                    "actors": set(),
                    **dict.fromkeys(POLARITY_NAMES.values(), 0),
                },
            )
            entry["evidence"] += 1
            entry[polarity] += 1
            entry["relations"].add((source, target, key))
            entry["actors"].update((source, target))
    seen: set[str] = set()
    timeline = []
    for period in sorted(periods, key=lambda name: (name == UNDATED, name)):
        entry = periods[period]
        timeline.append(
            {
                "period": period,
                "evidence": entry["evidence"],
                "relations": len(entry["relations"]),
                "actors": len(entry["actors"]),
                "new_actors": len(entry["actors"] - seen),
                **{name: entry[name] for name in ("conflict", "cooperation", "neutral")},
            }
        )
        seen |= entry["actors"]
    return timeline


# --- the whole report ------------------------------------------------------------------------------------


def analyze(
    network: nx.MultiDiGraph,
    *,
    seed: int = 0,
    top: int = 10,
    actor: str | None = None,
    hops: int = 1,
    path: tuple[str, str] | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """Return the full analysis of the network (or of one actor's ego network) as one JSON-ready dict.

    Parameters
    ----------
    network : networkx.MultiDiGraph
        The actor network; not modified.
    seed : int
        Seed of Louvain and of sampled betweenness: the same network and seed give the same report.
    top : int
        Length of every ranked list.
    actor : str, optional
        Analyse only this actor's ego network (IRI, label or alias).
    hops : int
        Radius of the ego network.
    path : (str, str), optional
        Also report the shortest paths between these two actors (in the whole network), with evidence.
    by : {"year", "month", "day"}, optional
        Also report the change over time by this period.

    Returns
    -------
    dict
        ``scope``, ``summary``, ``actors`` (the ``top`` by PageRank with every metric and their community),
        ``rankings`` (top per metric), ``communities``, ``signed``, ``brokers``, ``relations``
        (:func:`relation_counts`), ``sources`` (:func:`cited_sources`), and ``paths``/``timeline`` when
        asked.

    Examples
    --------
    >>> evidence = [{"doc": "d1", "date": "2020-01-05"}]
    >>> g = nx.MultiDiGraph([("a", "b", {"lemma": "attack", "evidence": evidence})])
    >>> report = analyze(g, by="month")
    >>> report["summary"]["actors"], report["signed"]["conflicts"][0]["actors"]
    (2, ['a', 'b'])
    >>> report["timeline"][0]["period"]
    '2020-01'
    """
    scope: dict[str, Any] = {"actor": None, "hops": None, "seed": seed}
    subject = network
    if actor is not None:
        centre = find_actor(network, actor)
        subject = ego_network(network, centre, hops=hops)
        scope.update(actor=_actor_entry(network, centre), hops=hops)
    metrics = centrality(subject, seed=seed)
    groups = communities(subject, seed=seed)
    index = community_index(groups)
    ranks = {node: values["pagerank"] for node, values in metrics.items()}
    documents = {
        item.get("doc") for *_, attrs in subject.edges(data=True) for item in attrs.get("evidence") or ()
    }
    report: dict[str, Any] = {
        "scope": scope,
        "summary": {
            "actors": subject.number_of_nodes(),
            "relations": subject.number_of_edges(),
            "evidence": sum(_evidence_count(attrs) for *_, attrs in subject.edges(data=True)),
            "documents": len(documents - {None}),
            "components": nx.number_weakly_connected_components(subject) if len(subject) else 0,
            "communities": len(groups),
        },
        "actors": [
            _actor_entry(
                subject, node, type=subject.nodes[node].get("type"), community=index[node], **metrics[node]
            )
            for node in _top(ranks, top)
        ],
        "rankings": {
            metric: [
                _actor_entry(subject, node, value=metrics[node][metric])
                for node in _top({n: values[metric] for n, values in metrics.items()}, top)
            ]
            for metric in CENTRALITY_METRICS
        },
        "communities": [
            {
                "community": number,
                "size": len(group),
                "actors": _top({node: ranks[node] for node in group}, None),
                "labels": [
                    _label(subject, node) for node in _top({node: ranks[node] for node in group}, top)
                ],
            }
            for number, group in enumerate(groups[:top])
        ],
        "signed": signed_relations(subject, top=top),
        "brokers": brokers(subject, top=top, metrics=metrics, groups=groups),
        "relations": relation_counts(subject, top=top),
        "sources": cited_sources(subject, top=top),
    }
    if path is not None:
        report["paths"] = {
            "from": _actor_entry(network, find_actor(network, path[0])),
            "to": _actor_entry(network, find_actor(network, path[1])),
            "paths": shortest_paths(network, path[0], path[1]),
        }
    if by is not None:
        report["timeline"] = change_over_time(subject, by=by)
    return report


def format_markdown(report: dict[str, Any]) -> str:
    """Return :func:`analyze`'s report as a Markdown document (tables and lists).

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b", {"lemma": "attack", "label": "attacked"})])
    >>> print(format_markdown(analyze(g)).splitlines()[0])
    # Actor network analysis
    """
    summary = report["summary"]
    scope = report["scope"]
    lines = ["# Actor network analysis", ""]
    if scope["actor"]:
        lines += [f"Ego network of **{_md(scope['actor']['label'])}** within {scope['hops']} hop(s).", ""]
    lines += [
        f"{summary['actors']} actors, {summary['relations']} relations ({summary['evidence']} evidence "
        f"sentences from {summary['documents']} documents), {summary['components']} connected components, "
        f"{summary['communities']} communities (Louvain, seed {scope['seed']}).",
        "",
        "## Central actors",
        "",
        "| actor | type | PageRank | betweenness | eigenvector | in | out | community |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in report["actors"]:
        lines.append(
            f"| {_md(row['label'])} | {row['type'] or ''} | {row['pagerank']:.4f} | {row['betweenness']:.4f} "
            f"| {row['eigenvector']:.4f} | {row['in_degree']} | {row['out_degree']} | {row['community']} |"
        )
    lines += ["", "## Communities", ""]
    for group in report["communities"]:
        lines.append(f"- **#{group['community']}** ({group['size']}): {_md(', '.join(group['labels']))}")
    signed = report["signed"]
    lines += ["", "## Conflict and cooperation", ""]
    for title, key in (("Who fights whom", "conflicts"), ("Allies", "alliances")):
        lines.append(f"**{title}**" + ("" if signed[key] else ": none found"))
        lines.append("")
        for pair in signed[key]:
            evidence = pair["conflict"] + pair["cooperation"]
            lines.append(
                f"- {_md(' – '.join(pair['labels']))} ({evidence} evidence): "
                + _md("; ".join(pair["relations"]))
            )
        lines.append("")
    triangles = signed["triangles"]
    balance = "n/a" if triangles["balance"] is None else f"{triangles['balance']:.0%}"
    lines.append(
        f"Signed triangles: {triangles['balanced']} balanced, {triangles['unbalanced']} unbalanced "
        f"(balance {balance})."
    )
    lines += ["", "## Brokers", ""]
    lines += [
        f"- {_md(entry['label'])}: betweenness {entry['betweenness']:.4f}, communities "
        f"{', '.join(f'#{number}' for number in entry['communities'])}"
        for entry in report["brokers"]
    ] or ["None: no actor ties two communities."]
    lines += ["", "## Relations by category", "", "| category | relations | evidence |", "|---|---|---|"]
    for name, counts in report["relations"]["categories"].items():
        lines.append(f"| {name} | {counts['relations']} | {counts['evidence']} |")
    for name, counts in report["relations"]["polarity"].items():
        lines.append(f"| *{name}* | {counts['relations']} | {counts['evidence']} |")
    lines += ["", "## Most-cited sources", "", "| document | date | evidence |", "|---|---|---|"]
    for doc in report["sources"]["documents"]:
        lines.append(f"| {_md(doc['title'] or doc['doc'])} | {doc['date'] or ''} | {doc['evidence']} |")
    if report["sources"]["attributions"]:
        lines += [
            "",
            "Cited as a source: "
            + _md(
                ", ".join(
                    f"{entry['label']} ({entry['claims']})" for entry in report["sources"]["attributions"]
                )
            ),
        ]
    if "paths" in report:
        paths = report["paths"]
        lines += ["", f"## Paths from {_md(paths['from']['label'])} to {_md(paths['to']['label'])}", ""]
        if not paths["paths"]:
            lines.append("They are not connected.")
        for number, path in enumerate(paths["paths"], 1):
            lines.append(
                f"{number}. " + " → ".join([_md(path[0]["from_label"]), *(_md(s["to_label"]) for s in path)])
            )
            for step in path:
                for relation in step["relations"]:
                    ends = (step["from_label"], step["to_label"])
                    subject, obj = ends if relation["forward"] else ends[::-1]
                    lines.append(f"   - {_md(subject)} {_md(relation['label'])} {_md(obj)}")
                    lines += [f"     > {_md(item.get('text') or '')}" for item in relation["evidence"]]
    if "timeline" in report:
        lines += [
            "",
            "## Change over time",
            "",
            "| period | evidence | relations | actors | new actors | conflict | cooperation | neutral |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for row in report["timeline"]:
            lines.append(
                f"| {row['period']} | {row['evidence']} | {row['relations']} | {row['actors']} | "
                f"{row['new_actors']} | {row['conflict']} | {row['cooperation']} | {row['neutral']} |"
            )
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Article text inside Markdown: table pipes and line breaks escaped, so it cannot break the layout."""
    return " ".join(str(text).split()).replace("|", "\\|")
