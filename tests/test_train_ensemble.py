"""An ensemble of entity recognizers trained by graphkit train --entity-ensemble on the tiny CoNLL04 fixture,
with the tiny random BERT of conftest (no download): the model written, loaded and refitted. Skips without the
``transformer`` extra (torch, transformers)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from graphkit.corpora import read_corpus
from graphkit.errors import InputError
from graphkit.extract.entity_vote import VOTE_COMPONENT
from graphkit.extract.nlp import PLACES_COMPONENT, corpus_doc, load_pipeline
from graphkit.train import train
from graphkit.train.ensemble import CORPUS_NER, SPACY_VIEW, member_key

TINY = Path(__file__).parent / "fixtures" / "conll04_tiny.json"
HAS_EXTRA = all(importlib.util.find_spec(name) for name in ("torch", "transformers"))
needs_extra = pytest.mark.skipif(
    not HAS_EXTRA, reason="the transformer extra is not installed: pip install 'graphkit[transformer]'"
)


@pytest.fixture(scope="module")
def refitted(train_tiny_encoder, tmp_path_factory):
    out = tmp_path_factory.mktemp("ensemble") / "model"
    summary = train(
        TINY,
        TINY,
        out,
        epochs=2,
        seed=3,
        refit=True,
        entity_encoder=str(train_tiny_encoder),
        entity_ensemble=2,
    )
    return summary, out


@needs_extra
@pytest.mark.model
def test_the_summary_names_every_member_and_the_rule(refitted):
    summary, _ = refitted
    ensemble = summary["ner"]["ensemble"]
    assert [member["seed"] for member in ensemble["members"]] == [3, 4]
    assert ensemble["rule"] == {"quorum": 0.5, "trust": {"org": "spacy"}}
    assert (
        0.0 <= summary["ner"]["f1"] <= 1.0 and summary["ner"]["best_epoch"] == ensemble["spacy"]["best_epoch"]
    )


@needs_extra
@pytest.mark.model
def test_the_refit_trains_each_member_for_its_chosen_epochs(refitted):
    summary, out = refitted
    record = json.loads((out / "meta.json").read_text())["graphkit_refit"]
    assert record["ner_epochs"] == summary["ner"]["ensemble"]["spacy"]["best_epoch"]
    for n, member in enumerate(summary["ner"]["ensemble"]["members"], 1):
        written = json.loads((out / f"graphkit_transformer_ner_{n}" / "recognizer.json").read_text())
        assert written["metadata"]["history"][-1]["epoch"] == member["best_epoch"]


@needs_extra
@pytest.mark.model
def test_the_model_votes_over_its_recognizers_views(refitted):
    _, out = refitted
    nlp = load_pipeline(str(out))
    names = nlp.pipe_names
    assert names[-1] == VOTE_COMPONENT and names.index(PLACES_COMPONENT) < names.index(CORPUS_NER)
    for document in read_corpus(TINY):
        doc = nlp(corpus_doc(nlp, document))
        views = [doc.spans[key] for key in (member_key(1), member_key(2), SPACY_VIEW)]
        for entity in doc.ents:  # every entity kept was given by two views (or by the trusted one)
            given = [any((s.start, s.end) == (entity.start, entity.end) for s in view) for view in views]
            assert sum(given) >= 2 or given[2]


def test_an_ensemble_needs_a_transformer_encoder(tmp_path):
    with pytest.raises(InputError, match="--entity-ensemble.*--entity-encoder"):
        train(TINY, TINY, tmp_path / "model", entity_ensemble=2)
    assert not (tmp_path / "model").exists()
