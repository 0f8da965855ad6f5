"""What the relation classifier costs: extraction words/s with and without it, in one run.

    python benchmarks/classifier_cost.py                 # 60 Wikinews articles
    python benchmarks/classifier_cost.py --articles 293  # all of them
    python benchmarks/classifier_cost.py --classifier /tmp/rel  # another classifier than the packaged one

The articles are parsed once (spaCy's share, the same for both); then each document's extraction from its
parse runs with the patterns alone and with the patterns and the packaged classifier, alternately, so both
see the same machine load. The classifier's share is its added time over the whole extraction time
(parse included) with it. Issue #4 allows at most 20%. The dense features the classifier may read come with
the parse (``doc.tensor``): their cost is the classifier's arithmetic on them, counted here.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from graphkit.extract.classify import RelationClassifier
from graphkit.extract.pipeline import Extractor
from graphkit.types import Document

ARTICLES = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "news" / "wikinews_articles.jsonl"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60, help="how many articles to read")
    parser.add_argument("--path", type=Path, default=ARTICLES, help="a JSONL file of articles")
    parser.add_argument("--classifier", type=Path, help="a saved classifier directory (default: packaged)")
    args = parser.parse_args(argv)
    lines = args.path.read_text(encoding="utf-8").splitlines()[: args.articles]
    documents = [Document(id=r["id"], text=r["text"]) for r in map(json.loads, lines)]
    words = sum(len(d.text.split()) for d in documents)
    with_classifier = Extractor(
        classifier=RelationClassifier.load(args.classifier) if args.classifier else True
    )
    dense = with_classifier.classifier is not None and with_classifier.classifier.dense is not None
    print(f"classifier: {args.classifier or 'packaged'} ({'sparse + dense' if dense else 'sparse'} features)")
    rules_alone = Extractor(classifier=False)
    started = time.perf_counter()
    docs = list(with_classifier.nlp.pipe(d.text for d in documents))
    parse = time.perf_counter() - started
    spent = {"rules alone": 0.0, "rules + classifier": 0.0}
    triples = {"rules alone": 0, "rules + classifier": 0}
    for document, doc in zip(documents, docs, strict=True):
        for name, extractor in (("rules alone", rules_alone), ("rules + classifier", with_classifier)):
            started = time.perf_counter()
            extraction = extractor.from_doc(document, doc)
            spent[name] += time.perf_counter() - started
            triples[name] += len(extraction.triples)
    print(f"{len(documents)} articles, {words} words; parsing {parse:.2f} s ({words / parse:,.0f} words/s)")
    for name, seconds in spent.items():
        total = parse + seconds
        print(
            f"  {name:<20} extraction after parsing {seconds:.2f} s;"
            f" with parsing {words / total:,.0f} words/s; {triples[name]} triples"
        )
    added = spent["rules + classifier"] - spent["rules alone"]
    print(f"classifier share of extraction time: {added / (parse + spent['rules + classifier']):.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
