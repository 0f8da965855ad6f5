"""Training the entity recognizer: examples from the corpus, seeded training, and the model directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner

from graphkit.cli import main
from graphkit.corpora import AnnotatedDocument, GoldEntity, read_corpus
from graphkit.errors import InputError, OutputError
from graphkit.extract.nlp import DEFAULT_MODEL, GAZETTEER_COMPONENT, corpus_doc, load_pipeline
from graphkit.train import train
from graphkit.train.ner import ner_example, train_ner

FIXTURE = Path(__file__).parent / "fixtures" / "conll04_tiny.json"


def test_examples_keep_the_corpus_tokens_and_its_entities():
    nlp = spacy.blank("en")
    example = ner_example(nlp, read_corpus(FIXTURE)[1])
    assert [t.text for t in example.reference][:2] == ["Acme", "Corp."]
    assert [(e.text, e.label_) for e in example.reference.ents] == [
        ("Acme Corp.", "Org"),
        ("Springfield", "Loc"),
        ("Illinois", "Loc"),
    ]


def test_examples_of_raw_text_keep_the_longest_of_overlapping_entities_and_drop_untyped_ones():
    text = "The Kurdish YPG met Ann."
    entities = (GoldEntity(0, 15, "Org"), GoldEntity(4, 11, "Nationality"), GoldEntity(20, 23, ""))
    example = ner_example(spacy.blank("en"), AnnotatedDocument("d", text, entities, ()))
    assert [(e.text, e.label_) for e in example.reference.ents] == [("The Kurdish YPG", "Org")]
    assert corpus_doc(spacy.blank("en"), AnnotatedDocument("d", text, (), ())).text == text


def test_an_unknown_mode_or_a_corpus_without_entities_is_refused():
    nlp = spacy.blank("en")
    documents = read_corpus(FIXTURE)
    with pytest.raises(InputError, match="choose one of transfer, fresh"):
        train_ner(nlp, documents, documents, mode="scratch")
    with pytest.raises(InputError, match="no typed entity"):
        train_ner(nlp, [AnnotatedDocument("d", "Hi", (), (), ("Hi",))], [], mode="fresh")


def test_fresh_training_is_seeded_and_keeps_the_best_epoch():
    documents = read_corpus(FIXTURE)

    def run():
        nlp = spacy.blank("en")
        history = train_ner(nlp, documents, documents, mode="fresh", epochs=3, seed=7)
        return history, nlp.get_pipe("ner").to_bytes()

    (first, weights), (second, again) = run(), run()
    assert [(h.loss, h.f1) for h in first] == [(h.loss, h.f1) for h in second]
    assert weights == again
    assert len(first) == 3 and set(spacy.blank("en").pipe_names) == set()


def test_without_dev_documents_every_epoch_runs_and_the_last_is_kept():
    documents = read_corpus(FIXTURE)

    def run(epochs):
        nlp = spacy.blank("en")
        history = train_ner(nlp, documents, [], mode="fresh", epochs=epochs, patience=1, seed=7)
        return history, nlp.get_pipe("ner").to_bytes()

    (two, after_two), (three, after_three) = run(2), run(3)
    assert [h.epoch for h in three] == [1, 2, 3] and [h.loss for h in three[:2]] == [h.loss for h in two]
    assert after_three != after_two


@pytest.mark.model
def test_train_writes_a_model_directory_that_loads_with_the_gazetteer_once(tmp_path):
    out = tmp_path / "model"
    summary = train(FIXTURE, FIXTURE, out, epochs=2, seed=0)
    assert summary["model"] == str(out) and 1 <= summary["ner"]["best_epoch"] <= 2
    assert (out / "meta.json").is_file()
    nlp = load_pipeline(str(out))
    assert nlp.pipe_names.count(GAZETTEER_COMPONENT) == 1
    assert {"Peop", "Org", "Loc"} <= set(nlp.get_pipe("ner").labels)
    # The base pipeline's parser is untouched: it parses as before.
    base = load_pipeline(DEFAULT_MODEL)
    text = "John Smith, a spokesman for Acme Corp., said the company would close."
    assert [t.dep_ for t in nlp(text)] == [t.dep_ for t in base(text)]


def test_train_refuses_to_replace_a_directory_that_is_not_a_model(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="holds no spaCy model"):
        train(FIXTURE, FIXTURE, tmp_path)
    assert (tmp_path / "notes.txt").is_file()


@pytest.mark.model
def test_train_command_then_evaluate_with_the_model(tmp_path):
    out = tmp_path / "model"
    args = ["train", str(FIXTURE), "--dev", str(FIXTURE), "--out", str(out), "--epochs", "2", "--json", "-q"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["model"] == str(out)
    evaluated = CliRunner().invoke(
        main, ["evaluate", "conll04", str(FIXTURE), "--model", str(out), "--json", "--rules-only"]
    )
    assert evaluated.exit_code == 0, evaluated.output
    assert json.loads(evaluated.stdout)["entities"]["n_gold"] == 19


def test_train_command_gives_a_one_line_error_for_a_missing_corpus(tmp_path):
    result = CliRunner().invoke(
        main, ["train", str(tmp_path / "no.json"), "--dev", "x", "--out", str(tmp_path / "m")]
    )
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_train_help_shows_an_example():
    result = CliRunner().invoke(main, ["train", "--help"])
    assert result.exit_code == 0 and "Examples:" in result.output and "graphkit train " in result.output


@pytest.mark.model
def test_refit_trains_the_recognizer_on_train_and_dev_for_the_epochs_dev_chose(tmp_path):
    out = tmp_path / "final"
    summary = train(FIXTURE, FIXTURE, out, epochs=2, seed=0, refit=True)
    assert summary["model"] == str(out) and summary["refit"]["ner_epochs"] == summary["ner"]["best_epoch"]
    assert summary["refit"]["relations"] is None or summary["refit"]["relations"]["refit_on_dev"]
    # the choosing run's figures are kept, not the path of its model, which is gone
    assert summary["relations"] is None or summary["relations"]["directory"] is None
    meta = json.loads((out / "meta.json").read_text())
    assert meta["graphkit_refit"]["trained_on"] == [FIXTURE.name, FIXTURE.name]
    assert "(refit)" in meta["description"] and sorted(p.name for p in tmp_path.iterdir()) == ["final"]
    assert {"Peop", "Org", "Loc"} <= set(load_pipeline(str(out)).get_pipe("ner").labels)


@pytest.mark.model
def test_an_interrupted_training_leaves_the_old_model_and_no_hidden_directory(tmp_path, monkeypatch):
    out = tmp_path / "model"
    train(FIXTURE, FIXTURE, out, epochs=1, seed=0)
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("graphkit.train._relations", interrupted)  # after the recognizer was written
    for refit in (False, True):
        with pytest.raises(KeyboardInterrupt):
            train(FIXTURE, FIXTURE, out, epochs=1, seed=0, refit=refit)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]
        assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
