"""The offline HTML explorer: one self-contained page drawn with vis-network from the networkx view.

The page has no outside references: vis-network's script and style sheet are inlined from the copy that
ships inside the installed pyvis package, and the actors and relations travel as a JSON data block that a
small inline script reads. Every string in the network is article text and so untrusted: it reaches the
page only inside that JSON block (with ``<``, ``>`` and ``&`` escaped) and the script puts it on screen as
text, never as markup.
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

#: Node radius grows with the logarithm of the degree, between these bounds (pixels).
NODE_SIZE = {"min": 10.0, "per_log2_degree": 6.0, "max": 48.0}
#: Edge width grows with the logarithm of the number of evidence sentences, between these bounds.
EDGE_WIDTH = {"min": 1.0, "per_log2_weight": 1.5, "max": 8.0}
#: Evidence sentences listed in an edge's hover text; the side panel lists them all.
TOOLTIP_EVIDENCE = 3
#: URL schemes that become links in the evidence panel; any other URL is shown as plain text.
LINK_SCHEMES = frozenset({"http", "https"})

#: Stabilization work is bounded: at most ``max`` iterations, fewer on big networks (``budget`` is
#: iterations x nodes) but never under ``min``. vis-network's improved initial layout only pays off on small
#: networks, so it is used up to ``improved_layout_nodes``.
LAYOUT = {"max": 300, "min": 100, "budget": 90_000, "improved_layout_nodes": 100}

#: vis-network options: a bounded Barnes-Hut stabilization; the page turns physics off once it is done.
#: ``layout.improvedLayout`` and ``physics.stabilization.iterations`` are set per network (see ``LAYOUT``).
VIS_OPTIONS: dict[str, Any] = {
    "autoResize": True,
    "layout": {"randomSeed": 7},
    "physics": {
        "enabled": True,
        "solver": "barnesHut",
        "barnesHut": {
            "gravitationalConstant": -6000,
            "centralGravity": 0.3,
            "springLength": 160,
            "springConstant": 0.04,
            "damping": 0.3,
            "avoidOverlap": 0.2,
        },
        "stabilization": {"enabled": True, "updateInterval": 25, "fit": True},
    },
    "nodes": {"shape": "dot", "borderWidth": 1, "font": {"size": 14, "strokeWidth": 3}},
    "edges": {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
        "color": {"color": "#8a8a8a", "highlight": "#333333", "hover": "#333333"},
        "font": {"size": 11, "align": "middle", "strokeWidth": 3},
        "smooth": False,
        "selectionWidth": 2,
    },
    "interaction": {"hover": True, "tooltipDelay": 150, "multiselect": False},
}

_VIS_DIRECTORY = ("lib", "vis-9.1.2")
_PLACEHOLDER = re.compile(r"\{\{ (\w+) \}\}")
_JSON_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
_CLOSING_TAG = re.compile(r"</(script|style)", re.IGNORECASE)


def render_html(network: nx.MultiDiGraph, *, title: str = "graphkit") -> str:
    """Render the actor network as one self-contained, offline HTML page.

    Parameters
    ----------
    network : networkx.MultiDiGraph
        The actor network of :mod:`graphkit.network.view`: nodes are actor IRIs with ``label``, ``type``,
        ``aliases``, ``roles`` and ``degree``; edges carry ``label``, ``negated``, ``weight``,
        ``confidence`` and ``evidence``. Missing attributes fall back to plain defaults. Not modified.
    title : str
        The page title, shown as text.

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
    payload = {
        "nodes": _node_records(network),
        "edges": _edge_records(network),
        "options": vis_options(network.number_of_nodes()),
    }
    parts = {
        "title": html.escape(title),
        "legend": _legend(network),
        "vis_css": _inline_safe(_vis_asset("vis-network.css")),
        "explorer_css": _inline_safe(_packaged("explorer.css")),
        "vis_js": _inline_safe(_vis_asset("vis-network.min.js")),
        "explorer_js": _inline_safe(_packaged("explorer.js")),
        "payload": _json_for_script(payload),
    }
    return _PLACEHOLDER.sub(lambda match: parts[match.group(1)], _packaged("template.html"))


def write_html(network: nx.MultiDiGraph, path: str | os.PathLike[str], *, title: str = "graphkit") -> Path:
    """Write :func:`render_html`'s page to ``path`` atomically.

    Parameters
    ----------
    network : networkx.MultiDiGraph
        The actor network (see :func:`render_html`).
    path : path-like
        Destination file; its directory is created when missing.
    title : str
        The page title.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    graphkit.errors.OutputError
        When the file cannot be written there.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> out = write_html(nx.MultiDiGraph(), pathlib.Path(tempfile.mkdtemp()) / "graph.html")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    return atomic_write_text(path, render_html(network, title=title))


def class_colour(actor_class: str) -> str:
    """Return the node colour of an actor class (the ``Actor`` colour for a class not in the table).

    >>> class_colour("Person") == CLASS_COLOURS["Person"], class_colour("Spaceship") == CLASS_COLOURS["Actor"]
    (True, True)
    """
    return CLASS_COLOURS.get(actor_class, CLASS_COLOURS[DEFAULT_CLASS])


def node_size(degree: int) -> float:
    """Return a node's radius for its degree.

    >>> node_size(0) < node_size(3) < node_size(30) <= NODE_SIZE["max"]
    True
    """
    size = NODE_SIZE["min"] + NODE_SIZE["per_log2_degree"] * math.log2(1 + max(degree, 0))
    return round(min(size, NODE_SIZE["max"]), 2)


def edge_width(weight: int) -> float:
    """Return an edge's width for its number of evidence sentences.

    >>> edge_width(1), edge_width(1) < edge_width(4) <= EDGE_WIDTH["max"]
    (1.0, True)
    """
    width = EDGE_WIDTH["min"] + EDGE_WIDTH["per_log2_weight"] * math.log2(max(weight, 1))
    return round(min(width, EDGE_WIDTH["max"]), 2)


def vis_options(node_count: int) -> dict[str, Any]:
    """Return the vis-network options for a network of ``node_count`` actors (``VIS_OPTIONS`` + ``LAYOUT``).

    >>> [vis_options(n)["physics"]["stabilization"]["iterations"] for n in (10, 600, 5000)]
    [300, 150, 100]
    >>> vis_options(10)["layout"]["improvedLayout"], vis_options(5000)["layout"]["improvedLayout"]
    (True, False)
    """
    options = copy.deepcopy(VIS_OPTIONS)
    iterations = LAYOUT["budget"] // max(node_count, 1)
    options["physics"]["stabilization"]["iterations"] = max(LAYOUT["min"], min(LAYOUT["max"], iterations))
    options["layout"]["improvedLayout"] = node_count <= LAYOUT["improved_layout_nodes"]
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


def _node_records(network: nx.MultiDiGraph) -> list[dict[str, Any]]:
    records = []
    for iri, attrs in network.nodes(data=True):
        label = str(attrs.get("label") or iri)
        actor_class = str(attrs.get("type") or DEFAULT_CLASS)
        aliases = [str(alias) for alias in attrs.get("aliases") or ()]
        roles = [str(role) for role in attrs.get("roles") or ()]
        degree = int(attrs.get("degree", network.degree(iri)))
        hover = [label, f"Type: {actor_class}"]
        if aliases:
            hover.append("Aliases: " + ", ".join(aliases))
        if roles:
            hover.append("Roles: " + ", ".join(roles))
        records.append(
            {
                "id": str(iri),
                "label": label,
                "type": actor_class,
                "aliases": aliases,
                "roles": roles,
                "degree": degree,
                "color": class_colour(actor_class),
                "size": node_size(degree),
                "title": "\n".join(hover),
            }
        )
    return records


def _edge_records(network: nx.MultiDiGraph) -> list[dict[str, Any]]:
    # Parallel edges between one pair of actors would be drawn on top of each other: curve them apart.
    pair_sizes = Counter(frozenset((source, target)) for source, target in network.edges())
    pair_seen: Counter[frozenset[str]] = Counter()
    records = []
    for number, (source, target, attrs) in enumerate(network.edges(data=True)):
        pair = frozenset((source, target))
        label = str(attrs.get("label") or attrs.get("lemma") or "related to")
        negated = bool(attrs.get("negated", False))
        evidence = [_evidence_record(item) for item in attrs.get("evidence") or ()]
        weight = int(attrs.get("weight") or len(evidence) or 1)
        record = {
            "id": f"e{number}",
            "from": str(source),
            "to": str(target),
            "label": label,
            "negated": negated,
            "weight": weight,
            "confidence": _number_or_none(attrs.get("confidence")),
            "evidence": evidence,
            "width": edge_width(weight),
            "dashes": negated,
            "title": _edge_hover(network, source, target, label, negated, evidence),
        }
        if pair_sizes[pair] > 1:
            record["smooth"] = {
                "enabled": True,
                "type": "curvedCW",
                "roundness": 0.15 + 0.2 * pair_seen[pair],
            }
        pair_seen[pair] += 1
        records.append(record)
    return records


def _evidence_record(item: dict[str, Any]) -> dict[str, Any]:
    url = item.get("url")
    return {
        "doc": _text_or_none(item.get("doc")),
        "title": _text_or_none(item.get("title")),
        "date": _text_or_none(item.get("date")),
        "url": _text_or_none(url),
        "href": link_target(url),
        "sentence": _number_or_none(item.get("sentence")),
        "text": str(item.get("text") or ""),
        "confidence": _number_or_none(item.get("confidence")),
        "pattern": _text_or_none(item.get("pattern")),
    }


def _edge_hover(
    network: nx.MultiDiGraph, source: str, target: str, label: str, negated: bool, evidence: list[dict]
) -> str:
    subject = network.nodes[source].get("label") or source
    object_ = network.nodes[target].get("label") or target
    lines = [f"{subject} {label} {object_}" + (" [negated]" if negated else "")]
    for item in evidence[:TOOLTIP_EVIDENCE]:
        source_line = ", ".join(part for part in (item["title"] or item["doc"], item["date"]) if part)
        lines.append(f"• {item['text']}" + (f" ({source_line})" if source_line else ""))
    if len(evidence) > TOOLTIP_EVIDENCE:
        lines.append(f"… and {len(evidence) - TOOLTIP_EVIDENCE} more (click the edge)")
    return "\n".join(lines)


def _legend(network: nx.MultiDiGraph) -> str:
    present = Counter(str(attrs.get("type") or DEFAULT_CLASS) for _, attrs in network.nodes(data=True))
    items = [
        f'<li><span class="swatch" style="background:{class_colour(actor_class)}"></span>'
        f"{html.escape(actor_class)} <small>({count})</small></li>"
        for actor_class, count in sorted(present.items())
    ]
    return "\n".join(items)


def _text_or_none(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _number_or_none(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    return int(value) if isinstance(value, numbers.Integral) else float(value)


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
