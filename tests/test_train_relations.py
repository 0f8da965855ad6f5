"""Training the relation classifier: labelled pairs from annotated documents, and a small seeded training run
on the tiny CoNLL04 fixture (tests/fixtures/conll04_tiny.json) with the English pipeline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from graphkit.corpora import AnnotatedDocument, GoldEntity, GoldLink, read_corpus
from graphkit.errors import GraphkitError
from graphkit.extract.classify import RelationClassifier
from graphkit.train.relations import (
    corpus_relation_categories,
    fit_relation_classifier,
    pair_examples,
    train_relation_classifier,
)

TINY = Path(__file__).parent / "fixtures" / "conll04_tiny.json"
pytestmark = pytest.mark.model


def test_corpus_types_map_both_corpora_to_categories():
    categories = corpus_relation_categories()
    assert categories["Kill"] == "kill" and categories["InChargeOf"] == "in-charge-of"


def test_pairs_are_labelled_in_the_direction_of_the_gold_relation(extract_model):
    text = "John Smith works for the Ford Motor Company ."
    gold = AnnotatedDocument(
        "d", text, (GoldEntity(0, 10, "Peop"), GoldEntity(25, 43, "Org")), (GoldLink("Work_For", 0, 1),)
    )
    examples = pair_examples([gold], extract_model.nlp)
    assert len(examples) == 1 and examples.labels == ["works-for", "none"]
    assert examples.documents == ["d"]


def test_a_pair_linked_only_by_an_uncategorised_type_is_left_out(extract_model):
    text = "John Smith works for the Ford Motor Company ."
    gold = AnnotatedDocument(
        "d", text, (GoldEntity(0, 10, "Peop"), GoldEntity(25, 43, "Org")), (GoldLink("HasAttrOf", 0, 1),)
    )
    assert len(pair_examples([gold], extract_model.nlp)) == 0


def test_a_pair_with_a_mention_outside_the_gold_entities_is_none_unless_left_out(extract_model):
    text = "John Smith met Mary Jones in Paris ."
    gold = AnnotatedDocument(
        "d", text, (GoldEntity(0, 10, "Peop"), GoldEntity(29, 34, "Loc")), (GoldLink("Live_In", 0, 1),)
    )
    taught = pair_examples([gold], extract_model.nlp)
    assert len(taught) == 3 and sorted(taught.labels) == ["lives-in", *["none"] * 5]
    left_out = pair_examples([gold], extract_model.nlp, unannotated_none=False)
    assert left_out.labels == ["lives-in", "none"]


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


def test_documents_without_relations_cannot_train(extract_model):
    bare = [AnnotatedDocument("d", "Ann met Bob .", (), ())]
    with pytest.raises(GraphkitError, match="no relation"):
        train_relation_classifier(bare, bare, nlp=extract_model.nlp)
