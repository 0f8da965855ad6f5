"""Benchmark scoring: hand-made spans with known answers, the RE3D reader, and one run through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit.cli import main
from graphkit.errors import InputError
from graphkit.evaluate import (
    RE3D_CONFIGURATIONS,
    DocumentSpans,
    GoldRelation,
    evaluate,
    matches,
    overlaps,
    read_re3d,
    score_relations,
)

FIXTURE = Path(__file__).parent / "fixtures" / "eval_re3d.jsonl"
RE3D_DEV = Path(__file__).resolve().parents[2] / "shared" / "bench" / "re3d" / "re3d_dev.jsonl"
ACTOR_RELATIONS = RE3D_CONFIGURATIONS["actor_relations"]

# Four gold entities, far enough apart that only the spans a case names can overlap.
A, B, C, D = (0, 5), (10, 15), (20, 25), (30, 35)
OUTSIDE = (40, 45)


# --- overlap and matching ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((0, 5), (5, 9), False),  # touching
        ((5, 9), (0, 5), False),  # touching, other order
        ((0, 5), (4, 9), True),  # one shared character
        ((0, 9), (3, 4), True),  # nested
        ((3, 4), (0, 9), True),  # nested, other order
        ((0, 5), (0, 5), True),  # identical
        ((0, 5), (7, 9), False),  # apart
    ],
)
def test_overlap_needs_a_shared_character(a, b, expected):
    assert overlaps(a, b) is expected


@pytest.mark.parametrize(
    ("triple", "expected"),
    [
        ((A, B), True),  # source -> target
        ((B, A), True),  # target -> source: either direction counts
        (((3, 7), (12, 13)), True),  # partial overlaps are enough
        ((A, A), False),  # both ends on one argument
        ((A, C), False),  # object misses the target
        (((5, 10), B), False),  # subject only touches both arguments
    ],
)
def test_a_triple_matches_a_relation_when_each_end_overlaps_one_argument(triple, expected):
    assert matches(triple, GoldRelation("AlliesOf", source=A, target=B)) is expected


# --- score_relations ---------------------------------------------------------------------------------


@pytest.fixture
def mixed_document() -> DocumentSpans:
    """Four gold relations and five triples; the expected figures are worked out in the tests below."""
    relations = (
        GoldRelation("AlliesOf", A, B),
        GoldRelation("FightingAgainst", A, C),
        GoldRelation("CoLocated", B, D),
        GoldRelation("InChargeOf", C, D),
    )
    triples = (
        (A, B),  # finds AlliesOf
        (C, A),  # finds FightingAgainst, reversed
        (A, D),  # between gold entities, no relation: wrong
        (B, D),  # finds CoLocated only
        (A, OUTSIDE),  # object is no gold entity: not scored
    )
    return DocumentSpans(relations, (A, B, C, D), triples)


def test_all_types_scores_every_relation_and_every_triple_between_gold_entities(mixed_document):
    scores = score_relations([mixed_document])
    # 4 scored triples, 3 correct; 3 of 4 relations found.
    assert scores["micro"] == {"precision": 0.75, "recall": 0.75, "f1": 0.75}
    assert (scores["n_gold"], scores["n_pred"]) == (4, 4)
    assert scores["per_type"] == {
        "AlliesOf": {"recall": 1.0, "n_gold": 1},
        "CoLocated": {"recall": 1.0, "n_gold": 1},
        "FightingAgainst": {"recall": 1.0, "n_gold": 1},
        "InChargeOf": {"recall": 0.0, "n_gold": 1},
    }


def test_excluded_types_leave_recall_and_the_precision_denominator(mixed_document):
    scores = score_relations([mixed_document], excluded_types=ACTOR_RELATIONS)
    # CoLocated is out: 2 of 3 relations found; (B, D) matched only CoLocated, so 3 scored, 2 correct.
    assert scores["micro"] == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667}
    assert (scores["n_gold"], scores["n_pred"]) == (3, 3)
    assert "CoLocated" not in scores["per_type"]


def test_a_triple_matching_an_excluded_and_a_kept_type_stays_correct():
    relations = (GoldRelation("CoLocated", A, B), GoldRelation("CommWith", B, A))
    scores = score_relations([DocumentSpans(relations, (A, B), ((A, B),))], excluded_types=ACTOR_RELATIONS)
    assert scores["micro"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert scores["n_pred"] == 1


def test_one_triple_can_find_several_relations():
    relations = (GoldRelation("AlliesOf", A, B), GoldRelation("CommWith", B, A), GoldRelation("Likes", A, C))
    scores = score_relations([DocumentSpans(relations, (A, B, C), ((A, B),))])
    assert scores["micro"]["recall"] == 0.6667 and scores["micro"]["precision"] == 1.0
    assert scores["n_pred"] == 1


def test_a_relation_found_twice_counts_once():
    relations = (GoldRelation("AlliesOf", A, B), GoldRelation("Likes", C, D))
    scores = score_relations([DocumentSpans(relations, (A, B, C, D), ((A, B), (B, A), (A, B)))])
    assert scores["micro"]["recall"] == 0.5  # not 1.5
    assert scores["micro"]["precision"] == 1.0 and scores["n_pred"] == 3


def test_a_triple_partly_on_a_gold_entity_is_scored():
    relations = (GoldRelation("AlliesOf", A, B),)
    scores = score_relations([DocumentSpans(relations, (A, B, C), (((4, 8), (22, 30)),))])
    assert scores["n_pred"] == 1 and scores["micro"]["precision"] == 0.0


def test_scores_are_micro_averaged_and_documents_are_not_compared_with_each_other():
    first = DocumentSpans((GoldRelation("AlliesOf", A, B),), (A, B), ((A, B),))
    # The same offsets in another document: its own relations are elsewhere, so (A, B) is wrong here.
    second = DocumentSpans(
        (GoldRelation("AlliesOf", C, D), GoldRelation("Likes", C, D), GoldRelation("Apart", C, D)),
        (A, B, C, D),
        ((A, B),),
    )
    scores = score_relations([first, second])
    # Pooled: 1 of 4 relations (not the mean of 1.0 and 0.0), 1 of 2 triples.
    assert scores["micro"] == {"precision": 0.5, "recall": 0.25, "f1": 0.3333}


def test_typed_scoring_needs_the_triple_s_type_and_leaves_untyped_triples_out():
    relations = (GoldRelation("AlliesOf", A, B), GoldRelation("FightingAgainst", A, C))
    triples = ((A, B), (C, A), (A, D))
    spans = DocumentSpans(relations, (A, B, C, D), triples, ("AlliesOf", "AlliesOf", None))
    typed = score_relations([spans], typed=True)
    # (A, B) right; (C, A) has the spans of FightingAgainst but the wrong type; (A, D) claims no type.
    assert typed["micro"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert typed["n_pred"] == 2 and typed["per_type"]["FightingAgainst"]["recall"] == 0.0
    assert score_relations([spans])["micro"]["recall"] == 1.0


def test_nothing_to_score_gives_zeros_not_an_error():
    scores = score_relations([DocumentSpans((), (A,), ())])
    assert scores == {
        "micro": {"precision": 0.0, "recall": 0.0, "f1": 0.0},
        "per_type": {},
        "n_gold": 0,
        "n_pred": 0,
    }


# --- reading RE3D --------------------------------------------------------------------------------------


def test_read_re3d_builds_documents_with_spans():
    first, second = read_re3d(FIXTURE)
    assert first.document.id == "eval-doc-1" and first.document.title == "Fighting in Aleppo"
    assert first.relations[0] == GoldRelation("FightingAgainst", (0, 8), (18, 28))
    assert first.document.text[slice(*first.entities[2])] == "Aleppo"
    assert len(second.relations) == 3


@pytest.mark.skipif(not RE3D_DEV.is_file(), reason=f"RE3D dev data not found at {RE3D_DEV}")
def test_read_re3d_reads_the_dev_file():
    documents = read_re3d(RE3D_DEV)
    assert len(documents) == 84 and sum(len(d.relations) for d in documents) == 1119


GOOD = {"id": "x", "text": "Ann met Bob.", "entities": [{"start": 0, "end": 3}], "relations": []}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        ("", "holds no documents"),
        ("{not json\n", "line 1: not valid JSON"),
        (json.dumps({**GOOD, "text": None}), 'needs a "text" string'),
        (json.dumps({k: v for k, v in GOOD.items() if k != "relations"}), 'needs a "relations" list'),
        (json.dumps({**GOOD, "entities": [{"start": "0", "end": 3}]}), "entity 0: needs integer"),
        (
            json.dumps({**GOOD, "relations": [{"type": "Likes", "source": {"start": 0, "end": 3}}]}),
            "relation 0 target: needs integer",
        ),
        (json.dumps({**GOOD, "relations": [{"source": {}}]}), 'relation 0: needs a "type"'),
    ],
)
def test_read_re3d_rejects_missing_or_malformed_files(tmp_path, content, message):
    path = tmp_path / "re3d.jsonl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_re3d(path)


def test_evaluate_names_the_benchmarks_for_an_unknown_one():
    with pytest.raises(InputError, match="unknown benchmark 'nope'; choose one of .*re3d"):
        evaluate("nope", FIXTURE)


# --- the command line ------------------------------------------------------------------------------


@pytest.mark.model
def test_evaluate_command_prints_json_figures_for_both_configurations():
    result = CliRunner().invoke(main, ["evaluate", "re3d", str(FIXTURE), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["benchmark"] == "re3d" and report["documents"] == 2
    assert set(report["configurations"]) == set(report["typed"]) == {"all", "actor_relations"}
    assert report["left_out"] == 0
    every, actors = report["configurations"]["all"], report["configurations"]["actor_relations"]
    assert set(every) == {"micro", "per_type", "n_gold", "n_pred"}
    assert (every["n_gold"], actors["n_gold"]) == (5, 3)
    # "The army attacked the rebels" is the simplest active clause there is.
    assert every["per_type"]["FightingAgainst"] == {"recall": 1.0, "n_gold": 1}
    assert 0 < every["micro"]["recall"] < 1 and report["triples_per_sentence"] > 0
    table = CliRunner().invoke(main, ["evaluate", "re3d", str(FIXTURE)])
    assert "actor_relations: precision" in table.stdout and "FightingAgainst" in table.stdout


@pytest.mark.parametrize(
    ("content", "message"), [(None, "does not exist"), ("{oops\n", "line 1: not valid JSON")]
)
def test_evaluate_command_gives_a_one_line_error_for_a_bad_path(tmp_path, content, message):
    path = tmp_path / "re3d.jsonl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "re3d", str(path)])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and message in result.stderr


@pytest.mark.model
def test_rules_only_typed_scores_on_the_fixture():
    report = evaluate("re3d", FIXTURE, classifier=False)
    assert report["classifier"] is False and report["left_out"] == 0
    typed = report["typed"]["all"]
    assert (
        typed["n_gold"] == 5
        and typed["micro"]["recall"] <= report["configurations"]["all"]["micro"]["recall"]
    )


def test_evaluate_help_shows_an_example():
    result = CliRunner().invoke(main, ["evaluate", "--help"])
    assert (
        result.exit_code == 0 and "Examples:" in result.output and "graphkit evaluate re3d " in result.output
    )
