"""Shared fixtures. Each group is owned by the stage that uses it; keep names prefixed by that stage."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from graphkit.extract.categories import relation_categories
from graphkit.extract.pipeline import Extractor
from graphkit.types import Actor, Argument, Document, Extraction, Predicate, Provenance, Triple

# --- RDF and network view: two hand-built extractions (no spaCy) -------------------------------------

SAMPLE_TEXT_A = "Major General Qassem Soleimani commanded the Quds Force. Soleimani did not meet John Kerry."
SAMPLE_TEXT_B = "Qasem Soleimani led the Quds Force in Syria. He commanded the Quds Force for two decades."


def _sample_span(text: str, words: str, after: int = 0) -> tuple[int, int]:
    start = text.index(words, after)
    return start, start + len(words)


def _sample_triple(
    text: str,
    doc_id: str,
    sentence: int,
    subject: tuple[str, str, str, str],
    verb: tuple[str, str, str],
    obj: tuple[str, str, str, str],
    *,
    pattern: str = "nsubj-verb-dobj",
    confidence: float = 0.9,
    negated: bool = False,
) -> Triple:
    """A triple whose offsets are found in ``text``; subject/obj are (label, key, type, words)."""
    sentence_text = text.split(". ")[sentence].rstrip(".") + "."
    sentence_start = text.index(sentence_text)
    subject_span = _sample_span(text, subject[3], sentence_start)
    verb_span = _sample_span(text, verb[2], subject_span[1])
    object_span = _sample_span(text, obj[3], verb_span[1])
    return Triple(
        subject=Argument(*subject, *subject_span),
        predicate=Predicate(verb[0], verb[1], verb[2], *verb_span),
        object=Argument(*obj, *object_span),
        provenance=Provenance(
            doc_id, sentence, sentence_text, sentence_start, sentence_start + len(sentence_text), pattern
        ),
        confidence=confidence,
        negated=negated,
        categories=relation_categories(verb[1]),
    )


def _sample_actor(entry: tuple[str, str, str], **names: tuple[str, ...]) -> Actor:
    """An actor from the (label, key, type) an argument is written with."""
    label, key, type_ = entry
    return Actor(key=key, label=label, type=type_, **names)


@pytest.fixture
def sample_extractions() -> tuple[Extraction, Extraction]:
    """Two documents about the same actors: Soleimani commanded the Quds Force, in both."""
    soleimani = ("Qassem Soleimani", "qassem-soleimani", "Person")
    quds = ("Quds Force", "quds-force", "ArmedGroup")
    kerry = ("John Kerry", "john-kerry", "Person")
    first = Extraction(
        document=Document(
            id="a1",
            text=SAMPLE_TEXT_A,
            title="Soleimani in Iraq",
            date="2020-01-02",
            url="https://example.org/a1",
            source="Example News",
        ),
        sentences=2,
        actors=(
            _sample_actor(soleimani, aliases=("Soleimani",), roles=("Major General",)),
            _sample_actor(quds),
            _sample_actor(kerry),
        ),
        triples=(
            _sample_triple(
                SAMPLE_TEXT_A,
                "a1",
                0,
                (*soleimani, "Qassem Soleimani"),
                ("commanded", "command", "commanded"),
                (*quds, "the Quds Force"),
            ),
            _sample_triple(
                SAMPLE_TEXT_A,
                "a1",
                1,
                (*soleimani, "Soleimani"),
                ("met", "meet", "meet"),
                (*kerry, "John Kerry"),
                confidence=0.8,
                negated=True,
            ),
        ),
    )
    second = Extraction(
        document=Document(id="b2", text=SAMPLE_TEXT_B),
        sentences=2,
        actors=(_sample_actor(soleimani, aliases=("Qasem Soleimani",)), _sample_actor(quds)),
        triples=(
            _sample_triple(
                SAMPLE_TEXT_B,
                "b2",
                0,
                (*soleimani, "Qasem Soleimani"),
                ("led", "lead", "led"),
                (*quds, "the Quds Force"),
                confidence=0.85,
            ),
            _sample_triple(
                SAMPLE_TEXT_B,
                "b2",
                1,
                (*soleimani, "He"),
                ("commanded", "command", "commanded"),
                (*quds, "the Quds Force"),
                pattern="pron-verb-dobj",
                confidence=0.7,
            ),
        ),
    )
    return first, second


# --- extraction: frozen parses of the regression sentences (tests/fixtures/parses.json) ---------------

PARSES_FILE = Path(__file__).parent / "fixtures" / "parses.json"


@pytest.fixture(scope="session")
def extract_vocab() -> Vocab:
    return spacy.blank("en").vocab


@pytest.fixture(scope="session")
def extract_parse(extract_vocab: Vocab) -> Callable[[str], Doc]:
    """Build the hand-checked parse of a regression sentence by name: a spaCy Doc, no model involved."""
    frozen = json.loads(PARSES_FILE.read_text(encoding="utf-8"))

    def build(name: str) -> Doc:
        parse = frozen[name]
        return Doc(
            extract_vocab,
            words=parse["words"],
            spaces=parse["spaces"],
            tags=parse["tags"],
            pos=parse["pos"],
            deps=parse["deps"],
            heads=parse["heads"],
            lemmas=parse["lemmas"],
            ents=parse["ents"],
        )

    return build


@pytest.fixture(scope="session")
def extract_model() -> Extractor:
    """The extractor on the default English pipeline (loaded once per test session)."""
    return Extractor()


# --- RDF stores: a real Oxigraph server (the `oxigraph` package's binary) on a free local port --------------


@pytest.fixture(scope="session")
def rdf_oxigraph_server(tmp_path_factory) -> Iterator[str]:
    """Start ``oxigraph serve`` on 127.0.0.1 (union default graph), yield its base URL, stop it."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(binary).is_file():
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    location = tmp_path_factory.mktemp("oxigraph-server")
    command = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen([*command, "--union-default-graph"], stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            if server.poll() is not None:
                pytest.skip(f"oxigraph serve exited: {server.stderr.read().decode(errors='replace')[:200]}")
            try:
                urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.skip("oxigraph serve did not answer within 5 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- training: a tiny randomly initialised BERT, built here (no download) -----------------------------------

TRAIN_TINY_CORPUS = Path(__file__).parent / "fixtures" / "conll04_tiny.json"


@pytest.fixture(scope="session")
def train_tiny_encoder(tmp_path_factory) -> Path:
    """A 2-layer, 32-wide BERT with random weights and a word-level vocabulary of the tiny CoNLL04 fixture's
    words (tests that use it skip without the ``transformer`` extra)."""
    import torch
    import transformers

    from graphkit.corpora import read_corpus

    directory = tmp_path_factory.mktemp("tiny_bert")
    words = sorted({w.lower() for document in read_corpus(TRAIN_TINY_CORPUS) for w in document.words or ()})
    (directory / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]))
    tokenizer = transformers.BertTokenizerFast(vocab_file=str(directory / "vocab.txt"), do_lower_case=True)
    config = transformers.BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
    )
    torch.manual_seed(0)
    transformers.BertModel(config).save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory
