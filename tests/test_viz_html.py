"""The offline HTML page: self-contained, article text kept as text, styling from the tables."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.errors import OutputError
from graphkit.viz import html as viz_html
from graphkit.viz.html import CLASS_COLOURS, POLARITY_COLOURS, render_html, write_html

SCRIPT_LABEL = "</script><script>alert(1)</script>"
IMG_SENTENCE = "<img src=x onerror=alert(1)>"
SCRIPT_URL = "javascript:alert(1)"
PAYLOAD_BLOCK = re.compile(r'<script type="application/json" id="graphkit-data">(.*?)</script>', re.DOTALL)


def _evidence(
    text: str, *, url: str = "https://news.example.org/a1", title: str = "Clashes in the north"
) -> dict:
    return {
        "doc": "a1",
        "title": title,
        "date": "2024-03-01",
        "url": url,
        "sentence": 2,
        "text": text,
        "confidence": 0.8,
        "pattern": "nsubj-verb-dobj",
    }


LEMMAS = {"commanded": "command", "attacked": "attack", "occupied": "occupy", "supported": "support"}


def _relation(
    network: nx.MultiDiGraph, source: str, target: str, label: str, evidence: list, **attrs
) -> None:
    network.add_edge(
        source,
        target,
        key=label,
        label=label,
        lemma=LEMMAS.get(label, label),
        relation=f"https://graphkit.example/relation/{label}",
        negated=attrs.pop("negated", False),
        weight=len(evidence),
        confidence=0.75,
        evidence=evidence,
        **attrs,
    )


@pytest.fixture
def network() -> nx.MultiDiGraph:
    """Five actors, five relations: two parallel, one negated, one carrying injection attempts."""
    graph = nx.MultiDiGraph()
    actors = [
        ("urn:actor:ahmed", "Colonel Ahmed", "Person", ["Ahmed"], ["commander"]),
        ("urn:actor:brigade", "Northern Brigade", "ArmedGroup", ["the brigade"], []),
        ("urn:actor:ministry", "Ministry of Defence", "GovernmentBody", [], []),
        ("urn:actor:kandor", "Kandor", "Place", [], []),
        ("urn:actor:evil", SCRIPT_LABEL, "Spaceship", ["<b>bold</b>"], []),
    ]
    for iri, label, actor_class, aliases, roles in actors:
        graph.add_node(iri, label=label, type=actor_class, aliases=aliases, roles=roles, degree=0)
    _relation(
        graph,
        "urn:actor:ahmed",
        "urn:actor:brigade",
        "commanded",
        [_evidence("Ahmed commanded the brigade."), _evidence("Ahmed led it.")] * 2,
    )
    _relation(
        graph, "urn:actor:brigade", "urn:actor:kandor", "attacked", [_evidence("They attacked Kandor.")]
    )
    _relation(graph, "urn:actor:brigade", "urn:actor:kandor", "occupied", [_evidence("They held Kandor.")])
    _relation(
        graph, "urn:actor:ministry", "urn:actor:ahmed", "supported", [_evidence("It did not.")], negated=True
    )
    _relation(
        graph, "urn:actor:evil", "urn:actor:ministry", "criticized", [_evidence(IMG_SENTENCE, url=SCRIPT_URL)]
    )
    for iri in graph:
        graph.nodes[iri]["degree"] = graph.degree(iri)
    return graph


class _Tags(HTMLParser):
    """Collect the start tags of a page the way a browser tokenizes them (script content is raw text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser.tags


def _payload(page: str) -> dict:
    (block,) = PAYLOAD_BLOCK.findall(page)
    return json.loads(block)


def _evidence_of(payload: dict, edge: dict) -> list[dict]:
    """An edge's evidence records, read back through the page's tables of sentences, documents and
    patterns."""
    records = []
    for index, pattern, confidence in edge["evidence"]:
        document, sentence, text = payload["sentences"][index]
        records.append(
            {
                **payload["documents"][document],
                "sentence": sentence,
                "text": text,
                "pattern": None if pattern is None else payload["patterns"][pattern],
                "confidence": confidence,
            }
        )
    return records


def _edges(payload: dict) -> dict[str, dict]:
    """The edges by label, with actor IRIs for ``from``/``to`` and their evidence records resolved."""
    actors = [node["id"] for node in payload["nodes"]]
    return {
        edge["label"]: {
            **edge,
            "from": actors[edge["from"]],
            "to": actors[edge["to"]],
            "records": _evidence_of(payload, edge),
        }
        for edge in payload["edges"]
    }


def test_page_references_no_network_address(network):
    page = render_html(network)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert "@import" not in page
    assert all(url.startswith("data:") for url in re.findall(r"""url\(\s*["']?([^"')]*)""", page))
    for tag, attrs in _tags(page):
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
        assert tag not in {"link", "iframe", "object", "embed", "base"}


def test_vis_network_is_inlined_from_pyvis(network):
    page = render_html(network)
    vis_js = viz_html._vis_asset("vis-network.min.js")
    assert len(vis_js) > 100_000
    assert vis_js[:2000] in page
    assert viz_html._vis_asset("vis-network.css")[:2000] in page


def test_page_has_exactly_three_scripts_and_no_event_handlers(network):
    tags = _tags(render_html(network))
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    assert [attrs.get("type") for attrs in scripts] == ["application/json", None, None]
    assert not [tag for tag, _ in tags if tag in {"img", "a", "b"}]
    assert not [name for _, attrs in tags for name in attrs if name.startswith("on")]


@pytest.mark.parametrize("raw", [SCRIPT_LABEL, IMG_SENTENCE, "<b>bold</b>"])
def test_article_text_reaches_the_page_only_escaped(network, raw):
    page = render_html(network)
    assert raw not in page
    escaped = json.dumps(raw)[1:-1].replace("<", "\\u003c").replace(">", "\\u003e")
    assert escaped in page


def test_payload_round_trips_article_text(network):
    payload = _payload(render_html(network))
    labels = {node["id"]: node["label"] for node in payload["nodes"]}
    assert labels["urn:actor:evil"] == SCRIPT_LABEL
    texts = [item["text"] for edge in payload["edges"] for item in _evidence_of(payload, edge)]
    assert IMG_SENTENCE in texts


def test_only_http_urls_become_links(network):
    payload = _payload(render_html(network))
    evidence = [item for edge in payload["edges"] for item in _evidence_of(payload, edge)]
    unsafe = [item for item in evidence if item["url"] == SCRIPT_URL]
    assert unsafe and all(item["href"] is None for item in unsafe)
    safe = [item for item in evidence if item["url"] != SCRIPT_URL]
    assert all(item["href"] == "https://news.example.org/a1" for item in safe)
    assert "javascript:" not in "".join(str(item["href"]) for item in evidence)


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://example.org/x", "https://example.org/x"),
        ("HTTP://example.org", "HTTP://example.org"),
        (" https://example.org/x ", "https://example.org/x"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//example.org/x", None),
        ("https:///nohost", None),
        ("http://[bad", None),
        ("", None),
        (None, None),
    ],
)
def test_link_target_accepts_only_http_with_a_host(url, link):
    assert viz_html.link_target(url) == link


def test_node_colours_come_from_the_class_and_community_tables(network):
    payload = _payload(render_html(network))
    nodes = {node["id"]: node for node in payload["nodes"]}
    assert nodes["urn:actor:ahmed"]["color"] == CLASS_COLOURS["Person"]
    assert nodes["urn:actor:brigade"]["color"] == CLASS_COLOURS["ArmedGroup"]
    assert nodes["urn:actor:evil"]["color"] == CLASS_COLOURS["Actor"]
    for node in nodes.values():
        assert node["communityColor"] == viz_html.community_colour(node["community"])
    classes = {entry["name"]: entry for entry in payload["legend"]["classes"]}
    assert classes["Person"] == {"name": "Person", "colour": CLASS_COLOURS["Person"], "count": 1}
    assert classes["Spaceship"]["colour"] == CLASS_COLOURS["Actor"]
    sizes = [entry["size"] for entry in payload["legend"]["communities"]]
    assert sum(sizes) == 5 and sizes == sorted(sizes, reverse=True)


def test_node_size_grows_with_pagerank(network):
    nodes = {node["id"]: node for node in _payload(render_html(network))["nodes"]}
    assert nodes["urn:actor:kandor"]["pagerank"] > nodes["urn:actor:evil"]["pagerank"]
    assert nodes["urn:actor:kandor"]["size"] > nodes["urn:actor:evil"]["size"] > 0
    assert max(node["size"] for node in nodes.values()) == viz_html.NODE_SIZE["max"]
    assert sorted(node["rank"] for node in nodes.values()) == [1, 2, 3, 4, 5]
    assert (nodes["urn:actor:brigade"]["in"], nodes["urn:actor:brigade"]["out"]) == (1, 2)
    assert (nodes["urn:actor:ahmed"]["aliases"], nodes["urn:actor:ahmed"]["roles"]) == (
        ["Ahmed"],
        ["commander"],
    )
    assert "title" not in nodes["urn:actor:ahmed"]  # the page's script writes the hover text


def test_positions_are_computed_in_python_and_physics_is_off(network):
    payload = _payload(render_html(network))
    assert payload["options"]["physics"] == {"enabled": False}
    positions = {(node["x"], node["y"]) for node in payload["nodes"]}
    assert len(positions) == 5
    assert _payload(render_html(network)) == payload


def test_edges_carry_label_width_polarity_and_evidence(network):
    edges = _edges(_payload(render_html(network)))
    assert edges["commanded"]["width"] > edges["attacked"]["width"]
    assert edges["supported"]["negated"] is True and edges["commanded"]["negated"] is False
    assert (edges["supported"]["from"], edges["supported"]["to"]) == ("urn:actor:ministry", "urn:actor:ahmed")
    assert edges["attacked"]["polarity"] == "conflict"
    assert edges["commanded"]["polarity"] == "neutral"  # command is a state, not an act of cooperation
    assert edges["supported"]["polarity"] == "neutral"  # negated: neither conflict nor cooperation
    assert edges["attacked"]["categories"] == ["attack"]
    assert edges["occupied"]["categories"] == ["coerce"]
    assert edges["criticized"]["categories"] == ["uncategorized"]  # its lemma is left as "criticized"
    records = edges["commanded"]["records"]
    assert [item["text"] for item in records] == ["Ahmed commanded the brigade.", "Ahmed led it."] * 2
    assert records[0] == {
        "doc": "a1",
        "title": "Clashes in the north",
        "date": "2024-03-01",
        "url": "https://news.example.org/a1",
        "href": "https://news.example.org/a1",
        "sentence": 2,
        "text": "Ahmed commanded the brigade.",
        "pattern": "nsubj-verb-dobj",
        "confidence": 0.8,
    }


def test_each_document_and_sentence_is_in_the_page_once(network):
    shared = "Kandor was shelled and occupied by the brigade."
    metadata = {"title": "A report from Kandor", "url": "https://news.example.org/k"}
    attacked = network.edges["urn:actor:brigade", "urn:actor:kandor", "attacked"]
    occupied = network.edges["urn:actor:brigade", "urn:actor:kandor", "occupied"]
    attacked["evidence"] = [_evidence(shared, **metadata)]
    occupied["evidence"] = [_evidence(shared, **metadata), _evidence("They held Kandor.", **metadata)]
    page = render_html(network)
    assert page.count(shared) == 1 and page.count(metadata["title"]) == 1 and page.count(metadata["url"]) == 2
    payload = _payload(page)
    assert [sentence[2] for sentence in payload["sentences"]].count(shared) == 1
    edges = _edges(payload)
    assert edges["attacked"]["evidence"][0] == edges["occupied"]["evidence"][0]
    assert [item["text"] for item in edges["occupied"]["records"]] == [shared, "They held Kandor."]
    assert {item["title"] for item in edges["occupied"]["records"]} == {metadata["title"]}
    # The fixture's other records come from "Clashes in the north" at two URLs (https and javascript:).
    assert len(payload["documents"]) == 3
    assert page.count("Clashes in the north") == 2 and page.count("Ahmed commanded the brigade.") == 1


def test_a_sentence_number_or_document_tells_sentences_apart(network):
    evidence = [_evidence("They attacked Kandor."), {**_evidence("They attacked Kandor."), "sentence": 9}]
    network.edges["urn:actor:brigade", "urn:actor:kandor", "attacked"]["evidence"] = evidence
    network.edges["urn:actor:brigade", "urn:actor:kandor", "occupied"]["evidence"] = [
        {**_evidence("They attacked Kandor."), "doc": "a2"}
    ]
    payload = _payload(render_html(network))
    texts = [sentence[2] for sentence in payload["sentences"]]
    assert texts.count("They attacked Kandor.") == 3


def test_tables_are_in_order_of_first_use_and_deterministic(network):
    payload = _payload(render_html(network))
    used = [index for edge in payload["edges"] for index, *_ in edge["evidence"]]
    assert list(dict.fromkeys(used)) == list(range(len(payload["sentences"])))
    documents = [payload["sentences"][index][0] for index in dict.fromkeys(used)]
    assert list(dict.fromkeys(documents)) == list(range(len(payload["documents"])))
    assert payload["tooltipEvidence"] == viz_html.TOOLTIP_EVIDENCE
    assert render_html(network) == render_html(network)


def _guessed_by_the_classifier(network: nx.MultiDiGraph) -> None:
    """Make "occupied" the classifier's guess alone, and "commanded" found by patterns and the classifier."""
    occupied = network.edges["urn:actor:brigade", "urn:actor:kandor", "occupied"]
    occupied["evidence"] = [{**occupied["evidence"][0], "pattern": "classifier", "confidence": 0.3141592}]
    occupied.update(found_by="classifier", confidence=0.3141592)
    commanded = network.edges["urn:actor:ahmed", "urn:actor:brigade", "commanded"]
    commanded["evidence"][1] = {**commanded["evidence"][1], "pattern": "classifier", "confidence": 0.55}
    commanded["found_by"] = "both"


def test_edges_say_what_found_them_and_the_classifier_alone_is_thinner(network):
    _guessed_by_the_classifier(network)
    page = render_html(network)
    edges = _edges(_payload(page))
    assert {label: edge["foundBy"] for label, edge in edges.items()} == {
        "commanded": "both",
        "attacked": "patterns",
        "occupied": "classifier",
        "supported": "patterns",
        "criticized": "patterns",
    }
    assert edges["occupied"]["width"] < edges["attacked"]["width"] == viz_html.edge_width(1)
    assert edges["occupied"]["confidence"] == 0.314  # rounded: the panel shows two decimals
    assert [(item["pattern"], item["confidence"]) for item in edges["occupied"]["records"]] == [
        ("classifier", 0.314)
    ]
    assert [item["pattern"] for item in edges["commanded"]["records"]] == [
        "nsubj-verb-dobj",
        "classifier",
        "nsubj-verb-dobj",
        "nsubj-verb-dobj",
    ]
    # Each pattern id is in the page once, like documents and sentences.
    payload = _payload(page)
    assert payload["patterns"] == ["nsubj-verb-dobj", "classifier"] and page.count("nsubj-verb-dobj") == 1
    legend = payload["legend"]
    assert legend["foundBy"] == [
        {"name": "patterns", "count": 3},
        {"name": "classifier", "count": 1},
        {"name": "both", "count": 1},
    ]


def test_what_found_an_edge_falls_back_to_its_evidence_patterns(network):
    _guessed_by_the_classifier(network)
    for *_, attrs in network.edges(data=True):
        attrs.pop("found_by", None)
    edges = _edges(_payload(render_html(network)))
    assert (edges["occupied"]["foundBy"], edges["commanded"]["foundBy"]) == ("classifier", "both")


def test_edge_polarity_attribute_wins_over_the_table(network):
    network.edges["urn:actor:brigade", "urn:actor:kandor", "attacked"]["polarity"] = 1
    edges = _edges(_payload(render_html(network)))
    assert edges["attacked"]["polarity"] == "cooperation"


def test_legend_lists_categories_polarities_and_dates(network):
    legend = _payload(render_html(network))["legend"]
    assert {entry["name"]: entry["count"] for entry in legend["categories"]} == {
        "attack": 1,
        "coerce": 1,
        "in-charge-of": 1,
        "support": 1,
        "uncategorized": 1,
    }
    labels = {entry["name"]: entry["label"] for entry in legend["categories"]}
    assert (labels["in-charge-of"], labels["uncategorized"]) == ("in charge of", "no category yet")
    assert [entry["name"] for entry in legend["polarities"]] == list(POLARITY_COLOURS)
    assert legend["dates"] == ["2024-03-01", "2024-03-01"]


def test_parallel_edges_are_curved_apart(network):
    edges = _edges(_payload(render_html(network)))
    roundness = {edges[label]["curve"] for label in ("attacked", "occupied")}
    assert roundness == {0.15, 0.35}
    assert "curve" not in edges["commanded"]


@pytest.mark.parametrize(("node_count", "hidden"), [(0, False), (10, False), (999, False), (1000, True)])
def test_large_networks_hide_edges_while_moving(node_count, hidden):
    interaction = viz_html.vis_options(node_count)["interaction"]
    assert interaction["hideEdgesOnDrag"] is hidden and interaction["hideEdgesOnZoom"] is hidden


def test_a_network_past_the_limits_is_pruned_by_pagerank_and_says_so(monkeypatch):
    star = nx.MultiDiGraph([(f"urn:leaf{number}", "urn:hub") for number in range(30)])
    monkeypatch.setitem(viz_html.PAGE_LIMITS, "actors", 10)
    page = render_html(star)
    nodes = {node["id"] for node in _payload(page)["nodes"]}
    assert len(nodes) == 10 and "urn:hub" in nodes
    assert "Showing the 10 actors of highest PageRank out of 31, with 9 of 30 relations." in page
    assert 'id="notice" role="note">' in page


def test_a_network_within_the_limits_has_no_notice(network):
    assert 'id="notice" role="note" hidden></p>' in render_html(network)


def test_selection_options_reach_the_page(network):
    nodes = {node["id"] for node in _payload(render_html(network, actor="Ahmed", hops=1))["nodes"]}
    assert nodes == {"urn:actor:ahmed", "urn:actor:brigade", "urn:actor:ministry"}
    edges = _payload(render_html(network, min_evidence=2))["edges"]
    assert [edge["label"] for edge in edges] == ["commanded"]


def test_missing_attributes_fall_back_to_defaults():
    graph = nx.MultiDiGraph()
    graph.add_edge("urn:a", "urn:b")
    payload = _payload(render_html(graph))
    assert [node["label"] for node in payload["nodes"]] == ["urn:a", "urn:b"]
    assert payload["nodes"][0]["color"] == CLASS_COLOURS["Actor"]
    assert payload["edges"][0]["label"] == "related to"
    assert payload["edges"][0]["evidence"] == []
    assert payload["edges"][0]["foundBy"] == "patterns" and payload["edges"][0]["confidence"] is None
    assert payload["documents"] == [] and payload["sentences"] == []


def test_empty_network_renders_with_a_message():
    page = render_html(nx.MultiDiGraph())
    assert "No relations found" in page
    assert _payload(page)["nodes"] == [] and _payload(page)["edges"] == []


def test_title_is_escaped(network):
    page = render_html(network, title="Sudan <script>alert(1)</script> & more")
    assert "<title>Sudan &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</title>" in page


def test_render_does_not_change_the_network(network):
    before = nx.node_link_data(network, edges="edges")
    render_html(network)
    assert nx.node_link_data(network, edges="edges") == before


def test_write_html_writes_the_rendered_page(network, tmp_path):
    target = write_html(network, tmp_path / "out" / "graph.html", title="Run 1")
    assert target == tmp_path / "out" / "graph.html"
    assert target.read_text(encoding="utf-8") == render_html(network, title="Run 1")
    assert not [path for path in target.parent.iterdir() if path.name != "graph.html"]


def test_write_html_reports_an_unwritable_place(network, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(OutputError, match="file"):
        write_html(network, Path(blocker, "graph.html"))


HOSTILE_ARTICLES = [
    {
        "id": '<script>alert("id")</script>',
        "title": IMG_SENTENCE,
        "date": "<svg onload=alert(2)>",
        "url": SCRIPT_URL,
        "source": '"><script>alert(4)</script>',
        "text": 'Soldiers of the "><script>alert(document.cookie)</script> Army attacked the rebels. '
        "The <img src=x onerror=alert(1)> Brigade attacked the army.",
    },
    {
        "id": "ok",
        "url": 'https://news.example.org/a?x=<b>&y="1"',
        "text": "The army attacked <b>Free Syrian Army</b> rebels.",
    },
]


@pytest.mark.model
def test_hostile_articles_stay_text_through_a_real_build(tmp_path):
    from graphkit.build import build

    articles = tmp_path / "hostile.jsonl"
    articles.write_text("".join(json.dumps(a) + "\n" for a in HOSTILE_ARTICLES), encoding="utf-8")
    page = Path(build([str(articles)], tmp_path / "out").outputs["html"]).read_text(encoding="utf-8")
    tags = _tags(page)
    assert [attrs.get("type") for tag, attrs in tags if tag == "script"] == ["application/json", None, None]
    assert page.count("</script>") == 3
    assert not [tag for tag, _ in tags if tag in {"img", "svg", "a", "b"}]
    assert not [name for _, attrs in tags for name in attrs if name.startswith("on")]
    payload = _payload(page)
    labels = {node["label"] for node in payload["nodes"]}
    assert "alert(document.cookie)</script Army" in labels and "<img src= > Brigade" in labels
    evidence = {item["doc"]: item for edge in payload["edges"] for item in _evidence_of(payload, edge)}
    hostile = evidence[HOSTILE_ARTICLES[0]["id"]]
    assert (hostile["title"], hostile["url"], hostile["href"]) == (IMG_SENTENCE, SCRIPT_URL, None)
    assert "<script>alert(document.cookie)</script>" in hostile["text"]
    assert evidence["ok"]["href"] == HOSTILE_ARTICLES[1]["url"]


# Any text, weighted towards the characters markup is made of.
MARKUP_TEXT = st.text(
    st.one_of(st.sampled_from("<>&\"'/=!-`:; \n"), st.characters(exclude_categories=["Cs"])),
    min_size=1,
    max_size=80,
) | st.sampled_from([SCRIPT_LABEL, IMG_SENTENCE, SCRIPT_URL, "<!--", "]]>", "</style>", "<\\/script>"])


def _page_with_text_everywhere(text: str) -> str:
    graph = nx.MultiDiGraph()
    graph.add_node("urn:a", label=text, type=text, aliases=[text], roles=[text])
    graph.add_node("urn:b", label="b", type="Place")
    evidence = {"doc": text, "title": text, "date": text, "url": text, "text": text, "pattern": text}
    graph.add_edge("urn:a", "urn:b", key=text, label=text, evidence=[evidence])
    return render_html(graph, title=text)


@settings(derandomize=True, database=None, deadline=None, max_examples=150)
@given(MARKUP_TEXT)
def test_any_article_text_never_becomes_markup(text):
    page = _page_with_text_everywhere(text)
    assert _tags(page) == _tags(_page_with_text_everywhere("plain"))
    payload = _payload(page)
    (record,) = _evidence_of(payload, payload["edges"][0])
    assert payload["nodes"][0]["label"] == text and record["text"] == text and record["title"] == text
    assert record["href"] in (None, text.strip())
