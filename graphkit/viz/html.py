"""The offline HTML explorer: one self-contained page drawn with vis-network from the networkx view.

The page has no outside references: vis-network's script and style sheet are inlined from the copy that
ships inside the installed pyvis package, and the actors and relations travel as a JSON data block that a
small inline script reads. Every string in the network is article text and so untrusted: it reaches the
page only inside that JSON block (with ``<``, ``>`` and ``&`` escaped) and the script puts it on screen as
text, never as markup.

The data block carries each document's metadata once and each evidence sentence once, because one
sentence often supports several relations and one document many sentences:

- ``documents``: ``{"doc", "title", "date", "url", "href"}`` per distinct document (``href`` is the URL
  when it may become a link, else null);
- ``sentences``: ``[document index, sentence number or null, text]`` per distinct evidence sentence;
- ``patterns``: the distinct pattern ids that found the evidence (``classifierPattern`` for the
  relation classifier's guesses);
- ``edges``: ``from`` and ``to`` as indexes into ``nodes``, ``foundBy`` (``"patterns"``,
  ``"classifier"`` or ``"both"``, the view's ``found_by``), and ``evidence`` as one
  ``[sentence index, pattern index or null, confidence or null]`` per evidence record, in order.

The script builds each relation's hover text, dates, colour and evidence panel from these tables, and each
actor's hover text from its label, class, aliases and roles. The
relations only the classifier found are drawn fainter and thinner; the filters can hide them, and a
minimum confidence hides the relations whose best evidence is below it.

The page draws at once: positions are computed in Python (:mod:`graphkit.viz.layout`) and vis-network's
physics stays off, so a network of thousands of actors is interactive within seconds. Past
``PAGE_LIMITS`` the actors of highest PageRank are kept, and the page says so.
"""

from __future__ import annotations

import copy
import html
import importlib.util
import json
import math
import numbers
import os
import re
from collections import Counter
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import networkx as nx

from graphkit.errors import GraphkitError
from graphkit.fileio import atomic_write_text
from graphkit.network.analysis import communities, community_index, pagerank, select_network
from graphkit.network.categories import (
    POLARITY_NAMES,
    UNCATEGORIZED,
    category_labels,
    edge_categories,
    edge_polarity,
)
from graphkit.network.view import CLASSIFIER_PATTERN, FOUND_BY, found_by
from graphkit.viz.layout import layout

#: Node colour by actor class; a class missing here is drawn in the colour of ``Actor``.
CLASS_COLOURS: dict[str, str] = {
    "Person": "#4e79a7",
    "Organization": "#f28e2b",
    "ArmedGroup": "#e15759",
    "GovernmentBody": "#76b7b2",
    "Place": "#59a14f",
    "Country": "#edc948",
    "NationalGroup": "#b07aa1",
    "Group": "#ff9da7",
    "Facility": "#9c755f",
    "Event": "#17becf",
    "Work": "#8c6d31",
    "Weapon": "#636363",
    "Actor": "#bab0ac",
}
DEFAULT_CLASS = "Actor"

#: Edge colour by polarity (see :mod:`graphkit.network.categories`).
POLARITY_COLOURS: dict[str, str] = {"conflict": "#d62728", "cooperation": "#2c9f45", "neutral": "#8a8a8a"}
#: Node colours of the largest communities, in order; smaller communities share ``OTHER_COMMUNITY``.
COMMUNITY_COLOURS = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
    "#17becf", "#bcbd22", "#8c564b", "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#e377c2",
)  # fmt: skip
OTHER_COMMUNITY = "#c7c7c7"
#: Node radius grows with the square root of the actor's share of the highest PageRank (pixels).
NODE_SIZE = {"min": 8.0, "max": 40.0}
#: Edge width grows with the logarithm of the number of evidence sentences, between these bounds.
EDGE_WIDTH = {"min": 1.0, "per_log2_weight": 1.5, "max": 8.0}
#: A relation only the classifier found (about half of its guesses are wrong) is drawn this much thinner
#: and at this opacity.
GUESSED_EDGE = {"width_factor": 0.6, "opacity": 0.45}
#: Confidences on the page are rounded to this many decimals (the panel shows two).
CONFIDENCE_DECIMALS = 3
#: Evidence sentences listed in an edge's hover text; the side panel lists them all.
TOOLTIP_EVIDENCE = 3
#: URL schemes that become links in the evidence panel; any other URL is shown as plain text.
LINK_SCHEMES = frozenset({"http", "https"})
#: Past this many actors or relations the page keeps the actors of highest PageRank (and says so).
PAGE_LIMITS = {"actors": 5000, "relations": 20000}
#: From this many actors on, edges are hidden while dragging and zooming (redraws stay quick).
LARGE_NETWORK = 1000

#: vis-network options: positions come from Python, physics stays off.
VIS_OPTIONS: dict[str, Any] = {
    "autoResize": True,
    "layout": {"improvedLayout": False},
    "physics": {"enabled": False},
    "nodes": {
        "shape": "dot",
        "borderWidth": 1,
        "font": {"size": 22, "strokeWidth": 4},
        "scaling": {"label": {"drawThreshold": 3}},
    },
    "edges": {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
        "font": {"size": 16, "align": "middle", "strokeWidth": 4},
        "smooth": False,
        "selectionWidth": 2,
        "scaling": {"label": {"drawThreshold": 3}},
    },
    "interaction": {
        "hover": True,
        "tooltipDelay": 150,
        "multiselect": False,
        "hideEdgesOnDrag": False,
        "hideEdgesOnZoom": False,
    },
}

_VIS_DIRECTORY = ("lib", "vis-9.1.2")
_PLACEHOLDER = re.compile(r"\{\{ (\w+) \}\}")
_JSON_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
_CLOSING_TAG = re.compile(r"</(script|style)", re.IGNORECASE)


def render_html(
    network: nx.MultiDiGraph,
    *,
    title: str = "graphkit",
    seed: int = 0,
    actor: str | None = None,
    hops: int = 1,
    top: int | None = None,
    min_evidence: int = 1,
) -> str:
    """Render the actor network as one self-contained, offline HTML page.

    Parameters
    ----------
    network : networkx.MultiDiGraph
        The actor network of :mod:`graphkit.network.view`: nodes are actor IRIs with ``label``, ``type``,
        ``aliases`` and ``roles``; edges carry ``label``, ``negated``, ``weight``, ``confidence``,
        ``evidence`` and (optionally) ``categories``, ``polarity`` and ``found_by``. Missing attributes
        fall back to plain defaults (``found_by`` to what the evidence records' ``pattern`` says). Not
        modified.
    title : str
        The page title, shown as text.
    seed : int
        Seed of the communities and of the layout: the same network and seed give the same page.
    actor, hops, top, min_evidence
        Show only part of the network (see :func:`graphkit.network.analysis.select_network`).

    Returns
    -------
    str
        The page: vis-network inlined, no reference to any network address.

    Examples
    --------
    >>> import networkx as nx
    >>> page = render_html(nx.MultiDiGraph(), title="Empty")
    >>> "No relations found" in page and "<title>Empty</title>" in page
    True
    """
    selected = select_network(network, actor=actor, hops=hops, top=top, min_evidence=min_evidence)
    shown, notice = _within_limits(selected)
    ranks = pagerank(shown)
    groups = communities(shown, seed=seed)
    positions = layout(shown, seed=seed, groups=groups)
    evidence = _EvidenceTables()
    edges = _edge_records(shown, evidence)
    payload = {
        "nodes": _node_records(shown, ranks, community_index(groups), positions),
        "edges": edges,
        "documents": evidence.documents,
        "sentences": evidence.sentences,
        "patterns": evidence.patterns,
        "classifierPattern": CLASSIFIER_PATTERN,
        "tooltipEvidence": TOOLTIP_EVIDENCE,
        "guessedOpacity": GUESSED_EDGE["opacity"],
        "options": vis_options(shown.number_of_nodes()),
        "legend": _legend(shown, groups, edges, evidence.documents),
    }
    parts = {
        "title": html.escape(title),
        "notice": html.escape(notice or ""),
        "notice_hidden": "" if notice else " hidden",
        "vis_css": _inline_safe(_vis_asset("vis-network.css")),
        "explorer_css": _inline_safe(_packaged("explorer.css")),
        "vis_js": _inline_safe(_vis_asset("vis-network.min.js")),
        "explorer_js": _inline_safe(_packaged("explorer.js")),
        "payload": _json_for_script(payload),
    }
    return _PLACEHOLDER.sub(lambda match: parts[match.group(1)], _packaged("template.html"))


def write_html(
    network: nx.MultiDiGraph, path: str | os.PathLike[str], *, title: str = "graphkit", **options: Any
) -> Path:
    """Write :func:`render_html`'s page to ``path`` atomically.

    Parameters
    ----------
    network : networkx.MultiDiGraph
        The actor network (see :func:`render_html`).
    path : path-like
        Destination file; its directory is created when missing.
    title : str
        The page title.
    **options
        ``seed``, ``actor``, ``hops``, ``top``, ``min_evidence``: see :func:`render_html`.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    graphkit.errors.OutputError
        When the file cannot be written there.
    graphkit.errors.GraphkitError
        When ``actor`` names no actor of the network.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> out = write_html(nx.MultiDiGraph(), pathlib.Path(tempfile.mkdtemp()) / "graph.html")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    return atomic_write_text(path, render_html(network, title=title, **options))


def _within_limits(
    network: nx.MultiDiGraph, limits: dict[str, int] = PAGE_LIMITS
) -> tuple[nx.MultiDiGraph, str | None]:
    """The network, or the actors of highest PageRank that fit ``limits``, and a notice saying so."""
    actors, relations = network.number_of_nodes(), network.number_of_edges()
    if actors <= limits["actors"] and relations <= limits["relations"]:
        return network, None
    ranks = pagerank(network)
    ranked = sorted(ranks, key=lambda node: (-ranks[node], node))
    keep = min(actors, limits["actors"])
    while True:
        shown = network.subgraph(ranked[:keep])
        if shown.number_of_edges() <= limits["relations"]:
            break
        keep = int(keep * 0.9)
    notice = (
        f"Showing the {keep:,} actors of highest PageRank out of {actors:,}, with "
        f"{shown.number_of_edges():,} of {relations:,} relations. "
        "Choose others with graphkit viz --top, --actor or --min-evidence."
    )
    return shown, notice


def class_colour(actor_class: str) -> str:
    """Return the node colour of an actor class (the ``Actor`` colour for a class not in the table).

    >>> class_colour("Person") == CLASS_COLOURS["Person"], class_colour("Spaceship") == CLASS_COLOURS["Actor"]
    (True, True)
    """
    return CLASS_COLOURS.get(actor_class, CLASS_COLOURS[DEFAULT_CLASS])


def node_size(share: float) -> float:
    """Return a node's radius for its share of the highest PageRank in the network (0 to 1).

    >>> node_size(0.0), node_size(1.0), node_size(0.1) < node_size(0.5)
    (8.0, 40.0, True)
    """
    share = min(max(share, 0.0), 1.0)
    return round(NODE_SIZE["min"] + (NODE_SIZE["max"] - NODE_SIZE["min"]) * math.sqrt(share), 2)


def edge_width(weight: int, *, guessed: bool = False) -> float:
    """Return an edge's width for its number of evidence sentences (thinner when only the classifier
    guessed it, see ``GUESSED_EDGE``).

    >>> edge_width(1), edge_width(1) < edge_width(4) <= EDGE_WIDTH["max"], edge_width(1, guessed=True)
    (1.0, True, 0.6)
    """
    width = EDGE_WIDTH["min"] + EDGE_WIDTH["per_log2_weight"] * math.log2(max(weight, 1))
    width = min(width, EDGE_WIDTH["max"]) * (GUESSED_EDGE["width_factor"] if guessed else 1.0)
    return round(width, 2)


def community_colour(number: int) -> str:
    """Return the node colour of the community numbered ``number`` (0 = largest).

    >>> community_colour(0) == COMMUNITY_COLOURS[0], community_colour(999) == OTHER_COMMUNITY
    (True, True)
    """
    return COMMUNITY_COLOURS[number] if 0 <= number < len(COMMUNITY_COLOURS) else OTHER_COMMUNITY


def vis_options(node_count: int) -> dict[str, Any]:
    """Return the vis-network options for a network of ``node_count`` actors (``VIS_OPTIONS``, with edges
    hidden during drag and zoom from ``LARGE_NETWORK`` actors on).

    >>> vis_options(10)["physics"], vis_options(5000)["interaction"]["hideEdgesOnDrag"]
    ({'enabled': False}, True)
    """
    options = copy.deepcopy(VIS_OPTIONS)
    large = node_count >= LARGE_NETWORK
    options["interaction"].update(hideEdgesOnDrag=large, hideEdgesOnZoom=large)
    return options


def link_target(url: str | None) -> str | None:
    """Return ``url`` when it may become a link (an http or https URL with a host), else None.

    >>> link_target("https://example.org/a"), link_target("javascript:alert(1)"), link_target("//x.org")
    ('https://example.org/a', None, None)
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in LINK_SCHEMES and parts.netloc else None


def _node_records(
    network: nx.MultiDiGraph,
    ranks: dict[str, float],
    community_of: dict[str, int],
    positions: dict[str, tuple[float, float]],
) -> list[dict[str, Any]]:
    highest = max(ranks.values(), default=0.0) or 1.0
    order = {node: number for number, node in enumerate(sorted(ranks, key=lambda n: (-ranks[n], n)), 1)}
    records = []
    for iri, attrs in network.nodes(data=True):
        label = str(attrs.get("label") or iri)
        actor_class = str(attrs.get("type") or DEFAULT_CLASS)
        aliases = [str(alias) for alias in attrs.get("aliases") or ()]
        roles = [str(role) for role in attrs.get("roles") or ()]
        community = community_of[iri]
        x, y = positions[iri]
        records.append(
            {
                "id": str(iri),
                "label": label,
                "type": actor_class,
                "aliases": aliases,
                "roles": roles,
                "in": network.in_degree(iri),
                "out": network.out_degree(iri),
                "pagerank": round(ranks[iri], 6),
                "rank": order[iri],
                "community": community,
                "x": x,
                "y": y,
                "color": class_colour(actor_class),
                "communityColor": community_colour(community),
                "size": node_size(ranks[iri] / highest),
            }
        )
    return records


class _EvidenceTables:
    """The page's tables of documents, evidence sentences and patterns, each entry once, in order of first
    use."""

    def __init__(self) -> None:
        self.documents: list[dict[str, str | None]] = []
        self.sentences: list[list[Any]] = []
        self.patterns: list[str] = []
        self._document_numbers: dict[tuple[str | None, ...], int] = {}
        self._sentence_numbers: dict[tuple[int, int | float | None, str], int] = {}
        self._pattern_numbers: dict[str, int] = {}

    def add(self, item: dict[str, Any]) -> list[Any]:
        """Return an evidence record as ``[sentence index, pattern index or None, confidence or None]``,
        adding its sentence, document and pattern to the tables."""
        pattern = _text_or_none(item.get("pattern"))
        if pattern is not None and pattern not in self._pattern_numbers:
            self._pattern_numbers[pattern] = len(self.patterns)
            self.patterns.append(pattern)
        return [
            self._sentence(item),
            None if pattern is None else self._pattern_numbers[pattern],
            _confidence(item.get("confidence")),
        ]

    def _sentence(self, item: dict[str, Any]) -> int:
        """The index in ``sentences`` of an evidence record's sentence, adding it and its document."""
        url = _text_or_none(item.get("url"))
        document = (
            _text_or_none(item.get("doc")),
            _text_or_none(item.get("title")),
            _text_or_none(item.get("date")),
            url,
        )
        if document not in self._document_numbers:
            self._document_numbers[document] = len(self.documents)
            doc, title, date, _ = document
            self.documents.append(
                {"doc": doc, "title": title, "date": date, "url": url, "href": link_target(url)}
            )
        sentence = (
            self._document_numbers[document],
            _number_or_none(item.get("sentence")),
            str(item.get("text") or ""),
        )
        if sentence not in self._sentence_numbers:
            self._sentence_numbers[sentence] = len(self.sentences)
            self.sentences.append(list(sentence))
        return self._sentence_numbers[sentence]


def _edge_records(network: nx.MultiDiGraph, evidence: _EvidenceTables) -> list[dict[str, Any]]:
    # Parallel edges between one pair of actors would be drawn on top of each other: curve them apart.
    pair_sizes = Counter(frozenset((source, target)) for source, target in network.edges())
    pair_seen: Counter[frozenset[str]] = Counter()
    node_numbers = {node: number for number, node in enumerate(network)}
    records = []
    for source, target, attrs in network.edges(data=True):
        pair = frozenset((source, target))
        items = attrs.get("evidence") or ()
        findings = [evidence.add(item) for item in items]
        weight = int(attrs.get("weight") or len(findings) or 1)
        finder = attrs.get("found_by")
        if finder not in FOUND_BY:
            finder = found_by(str(item.get("pattern")) for item in items)
        record = {
            "from": node_numbers[source],
            "to": node_numbers[target],
            "label": str(attrs.get("label") or attrs.get("lemma") or "related to"),
            "negated": bool(attrs.get("negated", False)),
            "polarity": POLARITY_NAMES[edge_polarity(attrs)],
            "categories": edge_categories(attrs) or [UNCATEGORIZED],
            "weight": weight,
            "confidence": _confidence(attrs.get("confidence")),
            "foundBy": finder,
            "evidence": findings,
            "width": edge_width(weight, guessed=finder == "classifier"),
        }
        if pair_sizes[pair] > 1:
            # The roundness of a clockwise curve (vis-network's "curvedCW" smooth type).
            record["curve"] = round(0.15 + 0.2 * pair_seen[pair], 2)
        pair_seen[pair] += 1
        records.append(record)
    return records


def _legend(
    network: nx.MultiDiGraph,
    groups: list[list[str]],
    edges: list[dict[str, Any]],
    documents: list[dict[str, str | None]],
) -> dict[str, Any]:
    """What the legend and the filters list: classes, categories, polarities, communities, what found the
    relations, dates."""
    classes = Counter(str(attrs.get("type") or DEFAULT_CLASS) for _, attrs in network.nodes(data=True))
    categories = Counter(category for edge in edges for category in edge["categories"])
    labels = {**category_labels(), UNCATEGORIZED: "no category yet"}
    polarities = Counter(edge["polarity"] for edge in edges)
    finders = Counter(edge["foundBy"] for edge in edges)
    # Every document of the table is the source of some shown relation's evidence.
    dates = sorted(document["date"][:10] for document in documents if document["date"])
    return {
        "classes": [
            {"name": name, "colour": class_colour(name), "count": count}
            for name, count in sorted(classes.items())
        ],
        "categories": [
            {"name": name, "label": labels.get(name, name), "count": count}
            for name, count in sorted(categories.items())
        ],
        "polarities": [
            {"name": name, "colour": colour, "count": polarities[name]}
            for name, colour in POLARITY_COLOURS.items()
        ],
        "communities": [
            {
                "number": number,
                "colour": community_colour(number),
                "size": len(group),
                "labels": [str(network.nodes[node].get("label") or node) for node in group[:3]],
            }
            for number, group in enumerate(groups[: len(COMMUNITY_COLOURS)])
        ],
        "foundBy": [{"name": name, "count": finders[name]} for name in FOUND_BY],
        "dates": [dates[0], dates[-1]] if dates else None,
    }


def _text_or_none(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _number_or_none(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def _confidence(value: Any) -> float | None:
    number = _number_or_none(value)
    return None if number is None else round(float(number), CONFIDENCE_DECIMALS)


def _json_for_script(value: Any) -> str:
    """JSON that cannot end its ``<script>`` element or open a comment, whatever the strings hold."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)


def _inline_safe(code: str) -> str:
    # "<\/script" means the same as "</script" inside JS strings and regexes, and cannot end the element.
    return _CLOSING_TAG.sub(lambda match: "<\\/" + match.group(1), code)


@cache
def _packaged(name: str) -> str:
    return (files("graphkit.viz") / name).read_text(encoding="utf-8")


@cache
def _vis_asset(name: str) -> str:
    # find_spec locates pyvis without importing it (its import pulls in IPython and takes a while).
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise GraphkitError("pyvis is not installed; install graphkit's dependencies (pip install graphkit)")
    asset = Path(next(iter(spec.submodule_search_locations)), *_VIS_DIRECTORY, name)
    if not asset.is_file():
        raise GraphkitError(f"{str(asset)!r} is missing from the installed pyvis; reinstall pyvis==0.3.2")
    return asset.read_text(encoding="utf-8")
