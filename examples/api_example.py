"""Use graphkit from Python: extract triples from one article, build the RDF graph, draw the network.

Run from the repository root:  python examples/api_example.py
"""

from pathlib import Path

from graphkit import Document, Extractor, actor_network, serialize, to_rdf, write_html

article = Path(__file__).parent / "seed" / "000_532c7a3618cdb889.txt"
document = Document(id="afp-syria", text=article.read_text(encoding="utf-8"), source="AFP")

extraction = Extractor().extract(document)
for t in extraction.triples:
    print(f"{t.subject.label} -> {t.predicate.label} -> {t.object.label}   ({t.confidence})")

graph = to_rdf([extraction])
print(serialize(graph, "ttl")[:400])

network = actor_network(graph)
page = write_html(network, Path("out") / "api_example.html", title="AFP report on Syria")
print(f"{network.number_of_nodes()} actors, {network.number_of_edges()} relations; open {page}")
