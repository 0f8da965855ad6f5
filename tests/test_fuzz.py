"""A seeded fuzz run of the whole chain over random and mutated text: the extractor never raises, every
offset points into the text, and the records, RDF and page built from its output stay well formed."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from graphkit.network.view import actor_network
from graphkit.rdf.formats import serialize
from graphkit.rdf.mapping import to_rdf
from graphkit.records import to_jsonl
from graphkit.types import Document
from graphkit.viz.html import render_html

pytestmark = pytest.mark.model

SEED = 20240601
RANDOM_INPUTS = 300
MUTATED_INPUTS = 300
SEED_ARTICLE = Path(__file__).parents[1] / "examples" / "seed" / "000_532c7a3618cdb889.txt"
# Pieces text is made of, including what breaks naive tokenizers, sentence splitters and escapers.
ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    " \t\n\r\f\v.,;:!?'\"()[]{}<>/\\&#%*+-=_|~`^@$"
    "\x00\x01\x1b\x7f\x85\xa0\u00ad\u200b\u200d\u200e\u200f\u202e\u2028\u2029\ufeff\ufffd"
    "éüñçøßÅ\u0301\u0627\u0644\u0633\u0644\u0627\u0645\u4e2d\u6587\U0001f600\U0001d400\U000e0001"
)
WORDS = (
    "he", "she", "it", "they", "them", "the", "a", "an", "of", "by", "with", "said", "killed", "attacked",
    "met", "rebels", "army", "government", "Kerry", "Syria", "Assad", "ISIS", "al-", "Mr.", "Dr.", "U.S.",
    "who", "which", "not", "did", "n't", "'s", ",", ".", ";", "--", '"', "'", "(", ")",
)  # fmt: skip
#: Longest input: the fuzz run is about many short texts (long ones are tested in test_hostile_input).
MAX_CHARS = 300


def _random_text(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 80)))
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 30)))


def _mutated_text(rng: random.Random, sentences: list[str]) -> str:
    start = rng.randrange(len(sentences))
    chars = list(" ".join(sentences[start : start + rng.randint(1, 3)])[:MAX_CHARS])
    for _ in range(rng.randint(1, 12)):
        position = rng.randrange(len(chars) + 1)
        action = rng.choice(("delete", "insert", "word", "duplicate", "case"))
        if action == "delete" and chars:
            del chars[position : position + rng.randint(1, 10)]
        elif action == "insert":
            chars[position:position] = rng.choice(ALPHABET)
        elif action == "word":
            chars[position:position] = f" {rng.choice(WORDS)} "
        elif action == "duplicate" and chars:
            chars[position:position] = chars[max(0, position - 20) : position]
        elif action == "case":
            chars = [c.swapcase() if rng.random() < 0.3 else c for c in chars]
    return "".join(chars)[:MAX_CHARS]


def _fuzz_documents() -> list[Document]:
    rng = random.Random(SEED)
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    sentences = [s.strip() + "." for s in text.replace("\n", " ").split(". ") if s.strip()]
    texts = [_random_text(rng) for _ in range(RANDOM_INPUTS)]
    texts += [_mutated_text(rng, sentences) for _ in range(MUTATED_INPUTS)]
    return [Document(id=f"fuzz-{number}", text=text) for number, text in enumerate(texts)]


def test_the_extractor_survives_random_and_mutated_text(extract_model):
    documents = _fuzz_documents()
    extractions = list(extract_model.extract_many(documents))
    assert [e.document.id for e in extractions] == [d.id for d in documents]
    triples = [triple for extraction in extractions for triple in extraction.triples]
    assert len(triples) > 50  # the mutated sentences still say things
    for extraction in extractions:
        text = extraction.document.text
        for triple in extraction.triples:
            provenance = triple.provenance
            assert text[provenance.sentence_start : provenance.sentence_end] == provenance.evidence
            for argument in (triple.subject, triple.object):
                assert text[argument.start : argument.end] == argument.text
            assert 0 <= triple.predicate.start < triple.predicate.end <= len(text)
            assert 0.0 <= triple.confidence <= 1.0

    # JSON Lines are separated by "\n" only: a record may hold U+2028 or U+0085, which splitlines() cuts at.
    records = [json.loads(line) for e in extractions for line in to_jsonl(e.triples).split("\n") if line]
    assert len(records) == len(triples)
    graph = to_rdf(extractions)
    assert len(list(ox.parse(serialize(graph, "nt"), format=ox.RdfFormat.N_TRIPLES))) == len(graph)
    assert "graphkit-data" in render_html(actor_network(graph))
