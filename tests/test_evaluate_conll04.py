"""CoNLL04 strict scoring: hand-made tuples with known answers, the typing of predictions, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner
from spacy.tokens import Doc, Span

from graphkit.cli import main
from graphkit.corpora import corpus_types, read_corpus
from graphkit.errors import InputError
from graphkit.evaluate import SentenceTuples, evaluate, score_strict
from graphkit.evaluate.conll04 import _Typing, gold_tuples
from graphkit.types import Argument, Extraction, Predicate, Provenance, Triple

FIXTURE = Path(__file__).parent / "fixtures" / "conll04_tiny.json"
TYPES = ["Kill", "Live_In", "Located_In", "OrgBased_In", "Work_For"]

ANN, BOB, ACME, ROME = (0, 3, "Peop"), (8, 11, "Peop"), (20, 24, "Org"), (30, 34, "Loc")


def sentence(gold_entities, gold_relations, entities, relations) -> SentenceTuples:
    return SentenceTuples(*(frozenset(x) for x in (gold_entities, gold_relations, entities, relations)))


def test_a_relation_counts_only_with_its_type_spans_entity_types_and_direction():
    gold = [("Kill", ANN, BOB), ("Work_For", ANN, ACME)]
    predicted = [
        ("Kill", ANN, BOB),  # right
        ("Kill", BOB, ANN),  # reversed
        ("Work_For", ANN, (20, 24, "Loc")),  # tail typed wrong
        ("Work_For", (0, 2, "Peop"), ACME),  # head span short
        ("Live_In", ANN, ROME),  # not in the gold
    ]
    result = score_strict([sentence([ANN, BOB, ACME], gold, [ANN], predicted)], relation_types=TYPES)
    assert result["micro"] == {"precision": 0.2, "recall": 0.5, "f1": 0.2857}
    assert (result["n_gold"], result["n_pred"]) == (2, 5)
    assert result["per_type"]["Kill"] == {
        "precision": 0.5,
        "recall": 1.0,
        "f1": 0.6667,
        "n_gold": 1,
        "n_pred": 2,
    }
    assert result["per_type"]["Located_In"] == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "n_gold": 0,
        "n_pred": 0,
    }
    # Macro: mean over the five types of per-type figures (Kill 0.6667 F1, the others 0).
    assert result["macro"] == {"precision": 0.1, "recall": 0.2, "f1": 0.1333}


def test_entities_are_scored_strictly_by_span_and_type():
    result = score_strict(
        [sentence([ANN, ACME, ROME], [], [ANN, (20, 24, "Loc"), (30, 35, "Loc")], [])],
        entity_types=["Peop", "Org", "Loc", "Other"],
    )
    entities = result["entities"]
    assert entities["micro"] == {"precision": 0.3333, "recall": 0.3333, "f1": 0.3333}
    assert entities["per_type"]["Peop"]["f1"] == 1.0 and entities["per_type"]["Loc"]["n_pred"] == 2


def test_sentences_are_pooled_and_never_compared_with_each_other():
    first = sentence([ANN, BOB], [("Kill", ANN, BOB)], [ANN, BOB], [("Kill", ANN, BOB)])
    second = sentence([ANN, BOB], [("Kill", BOB, ANN)], [ANN, BOB], [("Kill", ANN, BOB)])
    result = score_strict([first, second], relation_types=TYPES)
    assert result["micro"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5}


def test_nothing_to_score_gives_zeros():
    result = score_strict([], relation_types=["Kill"])
    assert result["micro"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0} and result["n_gold"] == 0


def test_gold_tuples_use_character_spans_of_the_joined_tokens():
    document = read_corpus(FIXTURE)[2]
    entities, relations = gold_tuples(document)
    assert (0, 10, "Peop") in entities  # "Mary Jones"
    assert ("Kill", (49, 60, "Peop"), (0, 10, "Peop")) in relations  # Peter Brown killed Mary Jones


# --- typing predictions --------------------------------------------------------------------------------


def _argument(doc: Doc, start: int, end: int, actor_class: str) -> Argument:
    span = doc[start:end]
    return Argument(span.text, span.text.lower(), actor_class, span.text, span.start_char, span.end_char)


def test_predictions_take_the_entity_their_argument_falls_in_and_the_category_s_type():
    doc = Doc(spacy.blank("en").vocab, words=["Ann", "Lee", "works", "for", "Acme", "Corp", "in", "Rome"])
    doc.ents = [Span(doc, 0, 2, "Peop"), Span(doc, 4, 6, "ORG")]
    provenance = Provenance("d", 0, doc.text, 0, len(doc.text), "p")

    def triple(subject, obj, categories):
        return Triple(subject, Predicate("works for", "work for", "works", 8, 13), obj, provenance, 1.0,
                      categories=categories)  # fmt: skip

    ann = _argument(doc, 1, 2, "Person")  # "Lee" alone: it falls in the entity "Ann Lee"
    acme = _argument(doc, 4, 6, "Organization")
    rome = _argument(doc, 7, 8, "Country")  # no entity: its own span, typed by its actor class
    triples = (
        triple(ann, acme, ("works-for",)),
        triple(acme, rome, ("based-in",)),
        triple(ann, rome, ("attack",)),  # no CoNLL04 type
    )
    entities, relations = _Typing(corpus_types("conll04")).predicted(
        doc, Extraction(None, 1, triples=triples)
    )
    assert entities == {(0, 7, "Peop"), (18, 27, "Org")}  # ORG through actor_types.json and back
    assert relations == {
        ("Work_For", (0, 7, "Peop"), (18, 27, "Org")),
        ("OrgBased_In", (18, 27, "Org"), (31, 35, "Loc")),
    }


# --- running it ----------------------------------------------------------------------------------------


def test_an_untokenized_file_is_refused(tmp_path):
    path = tmp_path / "re3d.jsonl"
    path.write_text(json.dumps({"text": "Ann", "entities": [], "relations": []}), encoding="utf-8")
    with pytest.raises(InputError, match="not a SpERT JSON file"):
        evaluate("conll04", path, classifier=False)


@pytest.mark.model
def test_evaluate_command_prints_the_strict_figures_as_json():
    result = CliRunner().invoke(main, ["evaluate", "conll04", str(FIXTURE), "--json", "--rules-only"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["benchmark"] == "conll04" and report["documents"] == 6 and report["classifier"] is False
    assert set(report["per_type"]) == set(TYPES)
    assert report["n_gold"] == 11 and report["entities"]["n_gold"] == 19
    assert set(report["micro"]) == set(report["macro"]) == {"precision", "recall", "f1"}
    # The stock recognizer finds most names of these plain sentences.
    assert report["entities"]["micro"]["f1"] > 0.5
    table = CliRunner().invoke(main, ["evaluate", "conll04", str(FIXTURE), "--rules-only"])
    assert "conll04 (strict)" in table.stdout and "Work_For" in table.stdout
