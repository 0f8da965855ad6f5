"""The transformer entity recognizer: BIO decoding, then trained for an epoch on the tiny CoNLL04 fixture with
a tiny randomly initialised BERT built here (no download), saved with its pipeline and loaded by spacy.load.
The training tests skip when the ``transformer`` extra (torch, transformers) is not installed."""

from __future__ import annotations

import importlib.util
import itertools
import json
import sys
from pathlib import Path

import numpy as np
import pytest
import spacy

from graphkit.corpora import read_corpus
from graphkit.errors import ModelError
from graphkit.extract.nlp import DEFAULT_MODEL, PLACES_COMPONENT, corpus_doc, load_pipeline
from graphkit.extract.transformer_ner import (
    COMPONENT,
    FORMAT,
    TransformerEntityRecognizer,
    bio_tags,
    decode,
    tag_spans,
)

TINY = Path(__file__).parent / "fixtures" / "conll04_tiny.json"
HAS_EXTRA = all(importlib.util.find_spec(name) for name in ("torch", "transformers"))
needs_extra = pytest.mark.skipif(
    not HAS_EXTRA, reason="the transformer extra is not installed: pip install 'graphkit[transformer]'"
)


def _valid(tags: tuple[str, ...]) -> bool:
    return all(
        not tag.startswith("I-") or (n and tags[n - 1] != "O" and tags[n - 1][2:] == tag[2:])
        for n, tag in enumerate(tags)
    )


@pytest.mark.parametrize("seed", range(5))
def test_decoding_finds_the_most_probable_sequence_bio_allows(seed):
    tags = bio_tags(["Loc", "Peop"])
    scores = np.log(np.random.default_rng(seed).dirichlet(np.ones(len(tags)), size=4))
    best = max(
        (seq for seq in itertools.product(tags, repeat=4) if _valid(seq)),
        key=lambda seq: sum(scores[n, tags.index(tag)] for n, tag in enumerate(seq)),
    )
    assert decode(scores, tags) == list(best)


def test_an_inside_tag_of_another_label_starts_its_own_span():
    assert tag_spans(["B-Loc", "I-Peop", "I-Peop", "O"]) == [(0, 1, "Loc"), (1, 3, "Peop")]


@pytest.fixture(scope="module")
def trained(train_tiny_encoder, tmp_path_factory):
    """The recognizer trained an epoch on the fixture, installed in a pipeline, and the directory it was saved
    in."""
    from graphkit.train.transformer_ner import train_transformer_ner

    documents = read_corpus(TINY)
    recognizer = train_transformer_ner(
        documents,
        documents,
        nlp=load_pipeline(DEFAULT_MODEL),
        encoder=str(train_tiny_encoder),
        epochs=1,
        threads=1,
    )
    nlp = spacy.load(DEFAULT_MODEL)
    component = recognizer.install(nlp)
    directory = tmp_path_factory.mktemp("model")
    nlp.to_disk(directory)
    return recognizer, component, directory


@needs_extra
@pytest.mark.model
def test_a_trained_recognizer_is_saved_with_its_pipeline_and_loaded_by_spacy(trained):
    recognizer, component, directory = trained
    assert recognizer.tags == bio_tags(["Loc", "Org", "Other", "Peop"])
    assert recognizer.best_epoch == 1 and recognizer.metadata["dev_scores"] is not None
    description = json.loads((directory / COMPONENT / "recognizer.json").read_text())
    assert description["format"] == FORMAT and description["tags"] == recognizer.tags

    loaded = spacy.load(directory).get_pipe(COMPONENT)
    words = [["John", "Smith", "works", "for", "Acme", "Corp.", "in", "Springfield", "."]]
    features = [[("Xxxx", "B-PERSON", "NNP")] * len(words[0])]
    assert loaded.vocabularies == component.vocabularies
    assert loaded.predict(words, features) == component.predict(words, features)


@needs_extra
@pytest.mark.model
def test_the_recognizer_sets_the_entities_of_graphkit_s_pipeline(trained):
    *_, directory = trained
    nlp = load_pipeline(str(directory))
    assert nlp.pipe_names.index(COMPONENT) > nlp.pipe_names.index(PLACES_COMPONENT)  # it reads their labels
    gold = read_corpus(TINY)[0]
    doc = nlp(corpus_doc(nlp, gold))
    # the base recognizer's OntoNotes labels (PERSON for John Smith) are all replaced
    assert {ent.label_ for ent in doc.ents} <= {"Loc", "Org", "Other", "Peop"}


@needs_extra
def test_a_broken_recognizer_is_a_model_error(tmp_path):
    (tmp_path / "recognizer.json").write_text(json.dumps({"format": FORMAT, "tags": ["O"]}))
    with pytest.raises(ModelError, match="retrain it with 'graphkit train --entity-encoder'"):
        TransformerEntityRecognizer(None).from_disk(tmp_path)


def test_without_torch_a_recognizer_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now fails, as when it is absent
    with pytest.raises(ModelError, match=r"torch is missing.*pip install 'graphkit\[transformer\]'"):
        TransformerEntityRecognizer(None).from_disk(tmp_path)
