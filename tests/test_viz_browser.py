"""The explorer in headless Chromium: drawn offline, answering clicks and search, running no article text.

Skipped, with the reason, when playwright or a Chromium executable is missing.
"""

from __future__ import annotations

import importlib.util
import random
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import pytest

from graphkit.errors import InputError
from graphkit.viz.browser import chromium, find_chromium, screenshot, wait_until_drawn
from graphkit.viz.html import write_html

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = find_chromium()
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        importlib.util.find_spec("playwright") is None,
        reason="playwright is not installed (pip install -e '.[test]')",
    ),
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no Chromium executable (/usr/bin/chromium or on PATH); apt-get install chromium",
    ),
]

EVIL_LABEL = "</script><script>window.__pwned = 'label'</script>"
EVIL_SENTENCE = "<img src=x onerror=\"window.__pwned = 'sentence'\">"
EVIL_URL = "javascript:window.__pwned = 'url'"
NEWS_URL = "https://news.example.org/a1"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Screen position of actors, in page coordinates, from the vis network's own layout.
POSITIONS = """(ids) => {
  const network = window.graphkitNetwork;
  const box = document.getElementById("network").getBoundingClientRect();
  const positions = network.getPositions(ids);
  return ids.map((id) => {
    const point = network.canvasToDOM(positions[id]);
    return [box.left + point.x, box.top + point.y];
  });
}"""
# Share of canvas pixels that are not transparent: the drawing of nodes, edges and labels.
INKED_SHARE = """() => {
  const canvas = document.querySelector("#network canvas");
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
  return inked / (pixels.length / 4);
}"""


def _actor(graph: nx.MultiDiGraph, iri: str, label: str, actor_class: str, aliases=(), roles=()) -> None:
    graph.add_node(iri, label=label, type=actor_class, aliases=list(aliases), roles=list(roles), degree=0)


def _relation(
    graph: nx.MultiDiGraph,
    source: str,
    target: str,
    label: str,
    text: str,
    url: str,
    *,
    lemma: str | None = None,
    date: str = "2024-03-01",
    pattern: str = "nsubj-verb-dobj",
    confidence: float = 0.8,
) -> None:
    evidence = {"doc": "a1", "title": "Clashes in the north", "date": date, "url": url, "sentence": 4}
    graph.add_edge(
        source,
        target,
        key=label,
        label=label,
        lemma=lemma or label,
        relation=f"https://graphkit.example/relation/{label}",
        negated=False,
        weight=1,
        confidence=confidence,
        found_by="classifier" if pattern == "classifier" else "patterns",
        evidence=[{**evidence, "text": text, "confidence": confidence, "pattern": pattern}],
    )


def _network() -> nx.MultiDiGraph:
    """Two separate pairs of actors, so each edge is a straight line with nothing else at its middle."""
    graph = nx.MultiDiGraph()
    _actor(graph, "urn:actor:ahmed", "Colonel Ahmed", "Person", aliases=["Ahmed"], roles=["commander"])
    _actor(graph, "urn:actor:brigade", "Northern Brigade", "ArmedGroup")
    _actor(graph, "urn:actor:evil", EVIL_LABEL, "Organization")
    _actor(graph, "urn:actor:ministry", "Ministry of Defence", "GovernmentBody")
    _relation(
        graph,
        "urn:actor:ahmed",
        "urn:actor:brigade",
        "commanded",
        "Ahmed commanded the brigade.",
        NEWS_URL,
        lemma="command",
    )
    _relation(
        graph,
        "urn:actor:evil",
        "urn:actor:ministry",
        "criticized",
        EVIL_SENTENCE,
        EVIL_URL,
        lemma="criticize",
        date="2024-05-20",
    )
    for iri in graph:
        graph.nodes[iri]["degree"] = graph.degree(iri)
    return graph


@dataclass
class Opened:
    """A page opened in Chromium, with what it asked the network for and what it complained about."""

    page: Page
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def click_actor(self, iri: str) -> None:
        ((x, y),) = self.page.evaluate(POSITIONS, [iri])
        self.page.mouse.click(x, y)

    def click_relation(self, source: str, target: str) -> None:
        (x1, y1), (x2, y2) = self.page.evaluate(POSITIONS, [source, target])
        self.page.mouse.click((x1 + x2) / 2, (y1 + y2) / 2)

    def details(self) -> str:
        return self.page.inner_text("#details")


@pytest.fixture(scope="module")
def browser():
    with chromium(CHROMIUM) as launched:
        yield launched


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    return {
        "actors": write_html(_network(), folder / "actors.html"),
        "empty": write_html(nx.MultiDiGraph(), folder / "empty.html"),
        "large": write_html(_large_network(), folder / "large.html"),
        "shared": write_html(_shared_network(), folder / "shared.html"),
        "guessed": write_html(_guessed_network(), folder / "guessed.html"),
    }


SHARED_SENTENCE = "Ahmed's brigade and the ministry's troops attacked Kandor."


def _shared_network() -> nx.MultiDiGraph:
    """Two relations from one sentence; one has four evidence records, more than its hover text lists."""
    graph = nx.MultiDiGraph()
    _actor(graph, "urn:actor:brigade", "Northern Brigade", "ArmedGroup")
    _actor(graph, "urn:actor:kandor", "Kandor", "Place")
    _actor(graph, "urn:actor:evil", EVIL_LABEL, "Organization")
    _actor(graph, "urn:actor:town", "Town", "Place")
    _relation(
        graph, "urn:actor:brigade", "urn:actor:kandor", "attacked", SHARED_SENTENCE, NEWS_URL, lemma="attack"
    )
    _relation(
        graph, "urn:actor:evil", "urn:actor:town", "attacked", SHARED_SENTENCE, NEWS_URL, lemma="attack"
    )
    first = graph.edges["urn:actor:brigade", "urn:actor:kandor", "attacked"]["evidence"][0]
    first_edge = graph.edges["urn:actor:brigade", "urn:actor:kandor", "attacked"]
    first_edge["evidence"] = [
        first,
        {
            **first,
            "sentence": 5,
            "text": "They shelled it.",
            "date": "2024-03-02",
            "doc": "a2",
            "title": None,
        },
        {**first, "sentence": 6, "text": EVIL_SENTENCE, "url": EVIL_URL, "doc": "a3", "title": EVIL_LABEL},
        first,
    ]
    first_edge["weight"] = 4
    return graph


def _guessed_network() -> nx.MultiDiGraph:
    """``_network`` with a third pair of actors that only the classifier linked, and a weaker criticism:
    e0 commanded (pattern, 0.8), e1 criticized (pattern, 0.5), e2 shelled (classifier, 0.35)."""
    graph = _network()
    graph.edges["urn:actor:evil", "urn:actor:ministry", "criticized"]["confidence"] = 0.5
    _actor(graph, "urn:actor:rebels", "Rebels", "ArmedGroup")
    _actor(graph, "urn:actor:town", "Town", "Place")
    _relation(
        graph,
        "urn:actor:rebels",
        "urn:actor:town",
        "shelled",
        "Rebels may have shelled the town.",
        NEWS_URL,
        lemma="shell",
        pattern="classifier",
        confidence=0.35,
    )
    return graph


def _large_network(actors: int = 1500, relations: int = 4500) -> nx.MultiDiGraph:
    """A seeded random network big enough to take the large-network path (edges hidden while moving)."""
    rng = random.Random(3)
    graph = nx.MultiDiGraph()
    for number in range(actors):
        _actor(graph, f"urn:actor:{number}", f"Actor {number}", rng.choice(["Person", "Country"]))
    for number in range(relations):
        source, target = rng.sample(range(actors), 2)
        _relation(
            graph, f"urn:actor:{source}", f"urn:actor:{target}", f"r{number}", f"Sentence {number}.", NEWS_URL
        )
    return graph


def _open(browser, path) -> Opened:
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    opened = Opened(page=page, url=path.as_uri())
    page.on("request", lambda request: opened.requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and opened.errors.append(message.text))
    page.on("pageerror", lambda error: opened.errors.append(str(error)))
    page.goto(opened.url)
    wait_until_drawn(page)
    return opened


@pytest.fixture
def opened(browser, pages):
    result = _open(browser, pages["actors"])
    yield result
    result.page.close()


def test_page_draws_the_network(opened):
    page = opened.page
    assert page.evaluate("() => window.graphkitNetwork.body.data.nodes.length") == 4
    assert page.evaluate("() => window.graphkitNetwork.body.data.edges.length") == 2
    assert page.evaluate("() => window.graphkitNetwork.physics.physicsEnabled") is False
    assert page.evaluate(INKED_SHARE) > 0.001
    assert page.is_hidden("#empty")


def test_page_loads_nothing_but_itself_and_logs_no_error(opened):
    assert opened.requests == [opened.url]
    assert opened.errors == []


def test_an_actors_hover_text_is_built_in_the_page(opened):
    node = "(id) => window.graphkitNetwork.body.data.nodes.get(id)"
    ahmed = opened.page.evaluate(node, "urn:actor:ahmed")
    assert ahmed["title"].split("\n") == [
        "Colonel Ahmed",
        "Type: Person",
        "Aliases: Ahmed",
        "Roles: commander",
    ]
    assert opened.page.evaluate(node, "urn:actor:brigade")["title"] == "Northern Brigade\nType: ArmedGroup"


def test_clicking_an_actor_shows_its_details(opened):
    opened.click_actor("urn:actor:ahmed")
    assert opened.page.evaluate("() => window.graphkitNetwork.getSelectedNodes()") == ["urn:actor:ahmed"]
    details = opened.details()
    for expected in (
        "Colonel Ahmed",
        "Person",
        "Ahmed",
        "commander",
        "Colonel Ahmed commanded Northern Brigade",
    ):
        assert expected in details


def test_clicking_a_relation_shows_its_evidence(opened):
    opened.click_relation("urn:actor:ahmed", "urn:actor:brigade")
    details = opened.details()
    for expected in ("Ahmed commanded the brigade.", "Clashes in the north", "2024-03-01", NEWS_URL):
        assert expected in details
    link = opened.page.locator("#details a")
    assert link.get_attribute("href") == NEWS_URL
    assert link.get_attribute("rel") == "noopener noreferrer"


def test_article_text_never_runs_or_becomes_markup(opened):
    page = opened.page
    opened.click_relation("urn:actor:evil", "urn:actor:ministry")
    details = opened.details()
    assert EVIL_SENTENCE in details and EVIL_URL in details
    assert page.locator("#details a").count() == 0
    opened.click_actor("urn:actor:evil")
    assert EVIL_LABEL in opened.details()
    ((x, y),) = page.evaluate(POSITIONS, ["urn:actor:evil"])
    page.mouse.move(x + 3, y + 3, steps=3)
    tooltip = page.wait_for_selector("div.vis-tooltip", state="visible")
    assert EVIL_LABEL in tooltip.inner_text()
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img, iframe, #details script").count() == 0
    assert opened.requests == [opened.url]
    assert opened.errors == []


def test_search_focuses_an_actor_by_label_or_alias(opened):
    page = opened.page
    page.fill("#search-input", "northern brigade")
    page.press("#search-input", "Enter")
    assert page.evaluate("() => window.graphkitNetwork.getSelectedNodes()") == ["urn:actor:brigade"]
    assert "Northern Brigade" in page.inner_text("#details h2")
    page.fill("#search-input", "ahmed")
    page.press("#search-input", "Enter")
    assert page.evaluate("() => window.graphkitNetwork.getSelectedNodes()") == ["urn:actor:ahmed"]
    page.fill("#search-input", "nobody at all")
    page.press("#search-input", "Enter")
    assert page.inner_text("#search-status") == "No actor matches"


def test_actor_panel_shows_metrics_and_relation_polarity(opened):
    opened.click_actor("urn:actor:brigade")
    details = opened.details()
    assert "PageRank" in details and "of 4)" in details and "1 in" in details and "Community" in details
    swatch = opened.page.locator("#details ul.relations .swatch").first
    assert swatch.evaluate("(node) => node.style.background") == "rgb(138, 138, 138)"  # command: neutral
    opened.click_relation("urn:actor:ahmed", "urn:actor:brigade")
    assert "in charge of" in opened.details() and "neutral" in opened.details()


def _hidden(page: Page) -> dict[str, list[str]]:
    return page.evaluate(
        """() => {
          const data = window.graphkitNetwork.body.data;
          const hidden = (set) => set.get({ filter: (item) => item.hidden === true }).map((item) => item.id);
          return { nodes: hidden(data.nodes).sort(), edges: hidden(data.edges).sort() };
        }"""
    )


def test_class_filter_hides_actors_and_their_relations(opened):
    page = opened.page
    page.uncheck("#class-filter input[value='Person']")
    assert _hidden(page) == {"nodes": ["urn:actor:ahmed"], "edges": ["e0"]}
    assert page.inner_text("#shown-count") == "3 of 4 actors, 1 of 2 relations shown"
    page.check("#class-filter input[value='Person']")
    assert _hidden(page) == {"nodes": [], "edges": []}
    assert opened.errors == []


def test_category_filter_hides_relations_and_the_actors_left_without(opened):
    page = opened.page
    page.uncheck("#category-filter input[value='oppose']")
    assert _hidden(page) == {"nodes": ["urn:actor:evil", "urn:actor:ministry"], "edges": ["e1"]}
    assert page.inner_text("#shown-count") == "2 of 4 actors, 1 of 2 relations shown"


def test_date_filter_keeps_relations_with_evidence_in_range(opened):
    page = opened.page
    page.fill("#date-from", "2024-04-01")
    page.dispatch_event("#date-from", "change")
    assert _hidden(page) == {"nodes": ["urn:actor:ahmed", "urn:actor:brigade"], "edges": ["e0"]}
    page.fill("#date-to", "2024-04-30")
    page.dispatch_event("#date-to", "change")
    assert _hidden(page)["edges"] == ["e0", "e1"]
    page.fill("#date-from", "")
    page.fill("#date-to", "")
    page.dispatch_event("#date-to", "change")
    assert _hidden(page) == {"nodes": [], "edges": []}


def test_colour_toggle_switches_to_communities_and_back(opened):
    page = opened.page
    colour = "() => window.graphkitNetwork.body.data.nodes.get('urn:actor:ahmed').color"
    assert page.evaluate(colour) == "#4e79a7"  # Person
    page.select_option("#colour-by", "community")
    assert page.is_visible("#community-legend")
    community = page.evaluate(colour)
    assert community == page.evaluate(
        "() => window.graphkitNetwork.body.data.nodes.get('urn:actor:ahmed').communityColor"
    )
    page.select_option("#colour-by", "class")
    assert page.evaluate(colour) == "#4e79a7" and page.is_hidden("#community-legend")
    assert opened.errors == []


def test_large_page_draws_at_once_and_answers_search(browser, pages):
    opened = _open(browser, pages["large"])
    try:
        page = opened.page
        assert page.evaluate("() => window.graphkitNetwork.body.data.nodes.length") == 1500
        assert page.evaluate("() => window.graphkitNetwork.physics.physicsEnabled") is False
        assert page.evaluate(INKED_SHARE) > 0.001
        page.fill("#search-input", "Actor 1234")
        page.press("#search-input", "Enter")
        assert page.evaluate("() => window.graphkitNetwork.getSelectedNodes()") == ["urn:actor:1234"]
        assert opened.requests == [opened.url]
        assert opened.errors == []
    finally:
        page.close()


def test_empty_page_says_no_relations_found(browser, pages):
    opened = _open(browser, pages["empty"])
    try:
        assert opened.page.is_visible("text=No relations found")
        assert opened.errors == []
    finally:
        opened.page.close()


def test_screenshot_writes_a_png_of_the_drawn_page(browser, pages, tmp_path):
    image = screenshot(
        pages["actors"], tmp_path / "shots" / "actors.png", width=800, height=600, browser=browser
    )
    assert image.read_bytes()[:8] == PNG_SIGNATURE
    assert image.stat().st_size > 10_000


def test_screenshot_of_a_missing_page_names_it(browser, tmp_path):
    with pytest.raises(InputError, match="missing.html"):
        screenshot(tmp_path / "missing.html", tmp_path / "out.png", browser=browser)


def test_screenshot_script_launches_its_own_browser(pages, tmp_path):
    image = tmp_path / "script.png"
    script = Path(__file__).parents[1] / "docs" / "screenshot.py"
    done = subprocess.run(
        [sys.executable, str(script), str(pages["empty"]), str(image)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert image.read_bytes()[:8] == PNG_SIGNATURE


@pytest.fixture
def shared(browser, pages):
    result = _open(browser, pages["shared"])
    yield result
    result.page.close()


EDGE = "(id) => window.graphkitNetwork.body.data.edges.get(id)"


def test_hover_text_is_built_from_the_tables(shared):
    page = shared.page
    assert page.evaluate(EDGE, "e0")["title"].split("\n") == [
        "Northern Brigade attacked Kandor",
        f"\u2022 {SHARED_SENTENCE} (Clashes in the north, 2024-03-01)",
        "\u2022 They shelled it. (a2, 2024-03-02)",
        f"\u2022 {EVIL_SENTENCE} ({EVIL_LABEL}, 2024-03-01)",
        "\u2026 and 1 more (click the edge)",
    ]
    assert page.evaluate(EDGE, "e1")["title"] == (
        f"{EVIL_LABEL} attacked Town\n\u2022 {SHARED_SENTENCE} (Clashes in the north, 2024-03-01)"
    )
    relation = page.evaluate(EDGE, "e0")
    assert (relation["from"], relation["to"], relation["dates"]) == (
        "urn:actor:brigade",
        "urn:actor:kandor",
        ["2024-03-01", "2024-03-02"],
    )
    (x1, y1), (x2, y2) = page.evaluate(POSITIONS, ["urn:actor:evil", "urn:actor:town"])
    page.mouse.move((x1 + x2) / 2 + 1, (y1 + y2) / 2 + 1, steps=3)
    tooltip = page.wait_for_selector("div.vis-tooltip", state="visible")
    assert SHARED_SENTENCE in tooltip.inner_text() and EVIL_LABEL in tooltip.inner_text()
    assert page.evaluate("() => window.__pwned") is None
    assert shared.errors == []


def test_evidence_panel_lists_every_record_from_the_tables(shared):
    page = shared.page
    shared.click_relation("urn:actor:brigade", "urn:actor:kandor")
    quotes = page.locator("#details blockquote").all_inner_texts()
    assert quotes == [SHARED_SENTENCE, "They shelled it.", EVIL_SENTENCE, SHARED_SENTENCE]
    sources = page.locator("#details .source").all_inner_texts()
    assert sources[0] == f"Clashes in the north, 2024-03-01 (sentence 4) \u2014 {NEWS_URL}"
    assert sources[2] == f"{EVIL_LABEL}, 2024-03-01 (sentence 6) \u2014 {EVIL_URL}"
    assert [link.get_attribute("href") for link in page.locator("#details a").all()] == [NEWS_URL] * 3
    assert "4 sentence(s)" in shared.details()
    assert page.locator("img, #details script").count() == 0
    assert page.evaluate("() => window.__pwned") is None
    assert shared.requests == [shared.url] and shared.errors == []


@pytest.fixture
def guessed(browser, pages):
    result = _open(browser, pages["guessed"])
    yield result
    result.page.close()


SET_MIN_CONFIDENCE = """(slider, value) => {
  slider.value = value;
  slider.dispatchEvent(new Event("input", { bubbles: true }));
}"""


def test_the_classifier_alone_is_drawn_faint_and_thin(guessed):
    page = guessed.page
    shelled, commanded = page.evaluate(EDGE, "e2"), page.evaluate(EDGE, "e0")
    assert shelled["foundBy"] == "classifier" and commanded["foundBy"] == "patterns"
    assert shelled["color"]["opacity"] < 1 and commanded["color"] == "#8a8a8a"
    assert shelled["width"] < commanded["width"] and shelled["dashes"] is False
    assert "Guessed by the relation classifier, confidence 0.35" in shelled["title"].split("\n")
    assert "guessed by the classifier alone" in page.inner_text("footer .key")
    assert page.inner_text("#source-filter").startswith("Relation source")
    assert guessed.errors == []


def test_classifier_checkbox_hides_what_only_the_classifier_found(guessed):
    page = guessed.page
    assert page.is_checked("#show-guessed")
    assert "relations guessed by the classifier (1)" in page.inner_text("#source-filter")
    page.uncheck("#show-guessed")
    assert _hidden(page) == {"nodes": ["urn:actor:rebels", "urn:actor:town"], "edges": ["e2"]}
    assert page.inner_text("#shown-count") == "4 of 6 actors, 2 of 3 relations shown"
    page.check("#show-guessed")
    assert _hidden(page) == {"nodes": [], "edges": []}
    assert guessed.errors == []


def test_confidence_slider_hides_relations_below_it(guessed):
    page = guessed.page
    slider = page.locator("#min-confidence")
    slider.evaluate(SET_MIN_CONFIDENCE, "0.4")
    assert _hidden(page) == {"nodes": ["urn:actor:rebels", "urn:actor:town"], "edges": ["e2"]}
    slider.evaluate(SET_MIN_CONFIDENCE, "0.6")
    assert _hidden(page)["edges"] == ["e1", "e2"]
    assert page.inner_text("#min-confidence-value") == "0.60"
    assert page.inner_text("#shown-count") == "2 of 6 actors, 1 of 3 relations shown"
    slider.evaluate(SET_MIN_CONFIDENCE, "0")
    assert _hidden(page) == {"nodes": [], "edges": []}
    assert guessed.errors == []


def test_evidence_panel_says_who_found_each_sentence(guessed):
    guessed.click_relation("urn:actor:rebels", "urn:actor:town")
    details = guessed.details()
    assert "Rebels may have shelled the town." in details
    assert "the relation classifier alone" in details
    assert guessed.page.locator("#details .finder").all_inner_texts() == [
        "guessed by the relation classifier, confidence 0.35"
    ]
    guessed.click_relation("urn:actor:ahmed", "urn:actor:brigade")
    assert guessed.page.locator("#details .finder").all_inner_texts() == [
        "found by pattern nsubj-verb-dobj, confidence 0.80"
    ]
    assert guessed.errors == []
