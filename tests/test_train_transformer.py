"""The transformer relation classifier: trained for an epoch on the tiny CoNLL04 fixture with a tiny randomly
initialised BERT built here (no download), saved, loaded through load_relation_classifier and used by the
extractor. Skips when the ``transformer`` extra (torch, transformers) is not installed."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from graphkit.corpora import read_corpus
from graphkit.errors import InputError, ModelError
from graphkit.extract.classify import CLASSIFIER_DIRECTORY, candidate_pairs, load_relation_classifier
from graphkit.extract.pipeline import actor_mentions
from graphkit.types import Document

TINY = Path(__file__).parent / "fixtures" / "conll04_tiny.json"
FORMAT = "graphkit-relations-transformer/1"
HAS_EXTRA = all(importlib.util.find_spec(name) for name in ("torch", "transformers"))
needs_extra = pytest.mark.skipif(
    not HAS_EXTRA, reason="the transformer extra is not installed: pip install 'graphkit[transformer]'"
)


@needs_extra
@pytest.mark.model
def test_a_trained_classifier_is_saved_loaded_and_decides_as_before(
    extract_model, train_tiny_encoder, tmp_path
):
    from graphkit.extract.transformer_classify import TransformerRelationClassifier
    from graphkit.train.transformer import train_transformer_classifier

    documents = read_corpus(TINY)
    classifier = train_transformer_classifier(
        documents, documents, nlp=extract_model.nlp, encoder=str(train_tiny_encoder), epochs=1, seed=0
    )
    assert classifier.labels[0] == "none" and len(classifier.labels) > 1
    assert classifier.metadata["best_epoch"] == 1 and classifier.metadata["dev_scores"]["gold"] > 0
    classifier.save(tmp_path / CLASSIFIER_DIRECTORY)
    description = json.loads((tmp_path / CLASSIFIER_DIRECTORY / "classifier.json").read_text())
    assert description["format"] == FORMAT

    loaded = load_relation_classifier(tmp_path)
    assert isinstance(loaded, TransformerRelationClassifier)
    assert loaded.labels == classifier.labels and loaded.threshold == classifier.threshold
    doc = extract_model.nlp("John Smith works for the Ford Motor Company in Detroit.")
    mentions, resolver = actor_mentions(Document("d", doc.text), doc, extract_model.lexicon)
    candidates = candidate_pairs(doc, mentions, resolver)
    assert candidates
    before, after = classifier.decide(doc, candidates), loaded.decide(doc, candidates)
    assert [d.label for d in before] == [d.label for d in after]
    assert [d.probability for d in before] == pytest.approx([d.probability for d in after], abs=1e-5)
    assert all(abs(sum(d.forward.values()) - 1) < 1e-4 for d in after)


@needs_extra
@pytest.mark.model
def test_pairs_are_labelled_sentence_by_sentence_in_the_direction_of_the_gold_relation(extract_model):
    from graphkit.corpora import AnnotatedDocument, GoldEntity, GoldLink
    from graphkit.train.transformer import labelled_sentences

    text = "Ann Lee met Bob Ray in Rome . John Smith works for the Ford Motor Company ."
    john, ford = text.index("John Smith"), text.index("Ford Motor Company")
    gold = AnnotatedDocument(
        "d",
        text,
        (GoldEntity(john, john + 10, "Peop"), GoldEntity(ford, ford + 18, "Org")),
        (GoldLink("Work_For", 0, 1),),
    )
    examples = labelled_sentences([gold], extract_model.nlp)
    assert [s.words[0] for s in examples.sentences] == ["Ann", "John"]
    first, second = examples.labels
    assert set(first) == {("none", "none")} and len(first) == len(examples.sentences[0]) == 3
    assert second == [("works-for", "none")]
    # token spans relative to their sentence: "John Smith", "Ford Motor Company"
    assert examples.sentences[1].spans == [((0, 2), (5, 8))]
    # without unannotated_none, the pairs of mentions outside every gold entity are left out
    annotated = labelled_sentences([gold], extract_model.nlp, unannotated_none=False)
    assert [s.words[0] for s in annotated.sentences] == ["John"]
    assert annotated.labels == [[("works-for", "none")]]


@needs_extra
def test_a_directory_without_a_model_is_no_encoder(tmp_path):
    from graphkit.train.transformer import encoder_directory

    with pytest.raises(ModelError, match="no config.json"):
        encoder_directory(str(tmp_path))


def _declared_transformer(tmp_path: Path) -> Path:
    directory = tmp_path / CLASSIFIER_DIRECTORY
    directory.mkdir()
    (directory / "classifier.json").write_text(json.dumps({"format": FORMAT, "labels": ["none"]}))
    return tmp_path


@needs_extra
def test_a_broken_transformer_classifier_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="retrain it"):
        load_relation_classifier(_declared_transformer(tmp_path))


def test_without_torch_a_transformer_classifier_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now fails, as when it is absent
    monkeypatch.delitem(sys.modules, "graphkit.extract.transformer_classify", raising=False)
    with pytest.raises(ModelError, match=r"torch is missing.*pip install 'graphkit\[transformer\]'"):
        load_relation_classifier(_declared_transformer(tmp_path))


def test_a_transformer_classifier_is_not_refitted(tmp_path):
    from graphkit.train import train

    with pytest.raises(InputError, match="--refit-relations applies.*give --refit"):
        train(TINY, TINY, tmp_path / "model", relation_encoder="minilm", refit_relations=True)


@needs_extra
@pytest.mark.model
def test_without_dev_the_classifier_stops_at_the_epoch_given_and_keeps_the_threshold_given(
    extract_model, train_tiny_encoder
):
    from graphkit.train.transformer import train_transformer_classifier

    documents = read_corpus(TINY)
    with pytest.raises(ValueError, match="threshold"):
        train_transformer_classifier(documents, [], nlp=extract_model.nlp, encoder=str(train_tiny_encoder))
    classifier = train_transformer_classifier(
        documents,
        [],
        nlp=extract_model.nlp,
        encoder=str(train_tiny_encoder),
        epochs=3,
        stop_after=2,
        threshold=0.35,
    )
    assert classifier.threshold == 0.35
    assert classifier.metadata["best_epoch"] == 2 and classifier.metadata["dev_scores"] is None
    assert [h["epoch"] for h in classifier.metadata["history"]] == [1, 2]
    assert classifier.trained_on == {d.id for d in documents}


@needs_extra
@pytest.mark.model
def test_refit_trains_both_parts_again_on_train_and_dev_with_what_dev_chose(train_tiny_encoder, tmp_path):
    from click.testing import CliRunner

    from graphkit.cli import main

    out = tmp_path / "final"
    args = ["train", str(TINY), "--dev", str(TINY), "--out", str(out), "--epochs", "2", "--seed", "3"]
    result = CliRunner().invoke(
        main, [*args, "--relation-encoder", str(train_tiny_encoder), "--refit", "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    chosen, refit = summary["relations"], summary["refit"]
    assert summary["model"] == refit["model"] == str(out) and chosen["dev_scores"]["gold"] > 0
    assert refit["ner_epochs"] == summary["ner"]["best_epoch"]
    assert refit["relations"]["best_epoch"] == chosen["best_epoch"]
    assert refit["relations"]["threshold"] == chosen["threshold"] and refit["relations"]["refit_on_dev"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["final"]  # the choosing run's model is gone
    meta = json.loads((out / "meta.json").read_text())
    assert meta["graphkit_refit"]["refit_on_dev"] and meta["graphkit_refit"]["seed"] == 3
    assert meta["graphkit_refit"]["chosen_on_dev"]["ner"] == summary["ner"]
    loaded = load_relation_classifier(out)
    assert loaded.threshold == chosen["threshold"] and loaded.metadata["dev_scores"] is None
