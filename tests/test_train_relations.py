"""Training the relation classifier: labelled pairs from annotated documents, a small seeded training run on
the tiny CoNLL04 fixture (tests/fixtures/conll04_tiny.json) with the English pipeline, and the choice between
sparse and sparse + dense (doc.tensor) features on synthetic pairs whose answers are known."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from graphkit.corpora import AnnotatedDocument, GoldEntity, GoldLink, read_corpus
from graphkit.errors import GraphkitError
from graphkit.extract.classify import DENSE_PARTS, RelationClassifier
from graphkit.train.relations import (
    PairExamples,
    corpus_relation_categories,
    fit_relation_classifier,
    pair_examples,
    train_relation_classifier,
)

TINY = Path(__file__).parent / "fixtures" / "conll04_tiny.json"


def test_corpus_types_map_both_corpora_to_categories():
    categories = corpus_relation_categories()
    assert categories["Kill"] == "kill" and categories["InChargeOf"] == "in-charge-of"


@pytest.mark.model
def test_pairs_are_labelled_in_the_direction_of_the_gold_relation(extract_model):
    text = "John Smith works for the Ford Motor Company ."
    gold = AnnotatedDocument(
        "d", text, (GoldEntity(0, 10, "Peop"), GoldEntity(25, 43, "Org")), (GoldLink("Work_For", 0, 1),)
    )
    examples = pair_examples([gold], extract_model.nlp)
    assert len(examples) == 1 and examples.labels == ["works-for", "none"]
    assert examples.documents == ["d"]


@pytest.mark.model
def test_a_pair_linked_only_by_an_uncategorised_type_is_left_out(extract_model):
    text = "John Smith works for the Ford Motor Company ."
    gold = AnnotatedDocument(
        "d", text, (GoldEntity(0, 10, "Peop"), GoldEntity(25, 43, "Org")), (GoldLink("HasAttrOf", 0, 1),)
    )
    assert len(pair_examples([gold], extract_model.nlp)) == 0


@pytest.mark.model
def test_a_pair_with_a_mention_outside_the_gold_entities_is_none_unless_left_out(extract_model):
    text = "John Smith met Mary Jones in Paris ."
    gold = AnnotatedDocument(
        "d", text, (GoldEntity(0, 10, "Peop"), GoldEntity(29, 34, "Loc")), (GoldLink("Live_In", 0, 1),)
    )
    taught = pair_examples([gold], extract_model.nlp)
    assert len(taught) == 3 and sorted(taught.labels) == ["lives-in", *["none"] * 5]
    left_out = pair_examples([gold], extract_model.nlp, unannotated_none=False)
    assert left_out.labels == ["lives-in", "none"]


@pytest.mark.model
def test_training_is_seeded_and_saves_what_it_learnt(extract_model, tmp_path):
    documents = read_corpus(TINY)
    first = train_relation_classifier(documents, documents, nlp=extract_model.nlp, seed=0)
    pairs = pair_examples(documents, extract_model.nlp)
    second = fit_relation_classifier(pairs, pairs, seed=0)  # refitting made pairs: the same model
    assert first.labels[0] == "none" and len(first.labels) > 1
    assert first.trained_on == {d.id for d in documents}
    assert first.features == second.features and np.array_equal(first.weights, second.weights)
    assert first.threshold == second.threshold and first.metadata["unannotated_none"] is True
    assert first.metadata["dev_scores"]["gold"] > 0
    first.save(tmp_path)
    assert RelationClassifier.load(tmp_path).threshold == first.threshold


@pytest.mark.model
def test_documents_without_relations_cannot_train(extract_model):
    bare = [AnnotatedDocument("d", "Ann met Bob .", (), ())]
    with pytest.raises(GraphkitError, match="no relation"):
        train_relation_classifier(bare, bare, nlp=extract_model.nlp)


def _synthetic(pairs: int, *, dense_tells: bool, seed: int) -> PairExamples:
    """Pairs labelled works-for (forward) one in two; the label is in the first dense value when
    ``dense_tells``, else in the sparse feature ``"cue"``; the rest is noise."""
    rng = np.random.default_rng(seed)
    examples = PairExamples([], [], [], [])
    for n in range(pairs):
        related = n % 2 == 0
        cue = ["cue"] if related and not dense_tells else []
        examples.features += [["x", *cue, "dir=f"], ["x", *cue, "dir=r"]]
        examples.labels += ["works-for" if related else "none", "none"]
        examples.documents.append(f"d{n}")
        rows = rng.normal(0, 0.1, (2, len(DENSE_PARTS) * 4)).astype(np.float32)
        rows[0, 0] += 3.0 if related and dense_tells else 0.0
        examples.dense.append(rows)
    return examples


def test_dense_features_that_tell_are_kept_with_the_sparse_fallback(tmp_path):
    train, dev = _synthetic(60, dense_tells=True, seed=0), _synthetic(40, dense_tells=True, seed=1)
    probe = [[0.5, 0.25]]
    classifier = fit_relation_classifier(train, dev, probe=probe)
    assert classifier.dense is not None and classifier.dense.probe == probe
    assert classifier.fallback is not None and classifier.fallback.dense is None
    assert classifier.metadata["dev_scores"]["f1"] > classifier.metadata["sparse_dev_scores"]["f1"]
    again = fit_relation_classifier(train, dev, probe=probe)
    assert np.array_equal(again.dense.weights, classifier.dense.weights)  # seeded: the same model
    classifier.save(tmp_path)
    loaded = RelationClassifier.load(tmp_path)
    dense = dev.dense_matrix()
    # saved in half precision: probabilities within a few thousandths
    assert np.allclose(
        loaded.probabilities(dev.features, dense), classifier.probabilities(dev.features, dense), atol=2e-3
    )


@pytest.mark.parametrize("probe", [[[0.5]], []], ids=["dense-does-not-help", "no-probe"])
def test_the_sparse_model_is_kept_when_dense_features_do_not_help_or_cannot_be_checked(probe):
    train, dev = _synthetic(60, dense_tells=False, seed=0), _synthetic(40, dense_tells=False, seed=1)
    classifier = fit_relation_classifier(train, dev, probe=probe)
    assert classifier.dense is None and classifier.fallback is None
    assert classifier.metadata["dev_scores"]["f1"] == 1.0
    assert ("dense_dev_scores" in classifier.metadata) == bool(probe)


@pytest.mark.parametrize("dense_tells", [True, False], ids=["dense", "sparse"])
def test_a_refitted_model_keeps_the_choice_made_on_dev_and_learns_from_the_refit_pairs(dense_tells):
    train = _synthetic(60, dense_tells=dense_tells, seed=0)
    dev = _synthetic(40, dense_tells=dense_tells, seed=1)
    chosen = fit_relation_classifier(train, dev, probe=[[0.5]])
    # a feature seen only in dev: the refitted model knows it, the chosen one does not
    dev.features[0].append("only-in-dev")
    dev.features[2].append("only-in-dev")
    refitted = fit_relation_classifier(train, dev, probe=[[0.5]], refit=train + dev)
    assert refitted.threshold == chosen.threshold and refitted.metadata["C"] == chosen.metadata["C"]
    assert (refitted.dense is None) == (chosen.dense is None) == (not dense_tells)
    assert refitted.metadata["refit"]["pairs"] == len(train) + len(dev) == 100
    assert "only-in-dev" in refitted.features and "only-in-dev" not in chosen.features
    if dense_tells:
        assert refitted.fallback.threshold == chosen.fallback.threshold
        assert refitted.fallback.metadata["refit"]["pairs"] == 100
