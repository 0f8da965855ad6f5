"""CaRB scoring: hand-made tuples with known answers, figures pinned to CaRB's own script, the gold and
extraction files, and one run over the extractor."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.errors import InputError
from graphkit.evaluate import evaluate, format_report
from graphkit.evaluate.carb import (
    CarbTuple,
    carb_key,
    evaluate_carb,
    match_score,
    read_carb,
    read_extractions,
    score_carb,
    score_extractions,
    write_extractions,
)

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE = FIXTURES / "carb_gold.tsv"
KILLED = CarbTuple("killed", ("Rebels", "ten soldiers"))


def _figures(result):
    return result["precision"], result["recall"], result["f1"], result["auc"]


# --- one gold tuple against one predicted tuple ------------------------------------------------------


@pytest.mark.parametrize(
    ("gold", "predicted", "expected"),
    [
        # arguments after the first are joined before matching
        (
            CarbTuple("killed", ("Rebels", "ten soldiers", "in Aleppo")),
            CarbTuple("killed", ("Rebels", "ten soldiers in Aleppo")),
            (1.0, 1.0),
        ),
        (KILLED, CarbTuple("met", ("Rebels", "ten soldiers")), (0.0, 0.0)),  # relation shares nothing
        (KILLED, CarbTuple("killed", ("Rebels",)), (0.0, 0.0)),  # second argument missing
        # a predicted argument the gold lacks is not counted against precision
        (
            CarbTuple("were killed", ("ten soldiers",)),
            CarbTuple("were killed", ("ten soldiers", "x")),
            (1.0, 1.0),
        ),
        (CarbTuple("is", ("Bush", "President")), CarbTuple("be", ("Bush", "President")), (1.0, 1.0)),  # be
        (KILLED, CarbTuple("killed", ("rebels", "ten soldiers")), (0.75, 0.75)),  # case counts
        (KILLED, CarbTuple("killed", ("Rebels", "soldiers")), (1.0, 0.75)),  # partial argument
        (KILLED, CarbTuple("killed", ("Rebels", "ten ten soldiers")), (0.8, 1.0)),  # a token used once
        # arguments are swapped only for "said" relations
        (CarbTuple("met", ("he", "prices")), CarbTuple("met", ("prices", "he")), (1 / 3, 1 / 3)),
        (CarbTuple("told", ("he", "prices")), CarbTuple("told", ("prices", "he")), (1.0, 1.0)),
    ],
)
def test_match_score_counts_shared_tokens_part_by_part(gold, predicted, expected):
    assert match_score(gold, predicted) == pytest.approx(expected)


# --- the curve over confidence thresholds ------------------------------------------------------------


def test_score_carb_takes_the_best_f1_over_thresholds_and_the_area_under_the_curve():
    met = CarbTuple("met", ("a", "b"))
    predicted = [KILLED._replace(confidence=0.9), CarbTuple("met", ("a", "c"), 0.5)]
    result = score_carb([([KILLED, met], predicted)])
    # at 0.5 both kept: recall (1 + 2/3) / 2, precision (1 + 2/3) / 2; at 0.9: precision 1, recall 1/2
    assert (result["precision"], result["recall"], result["f1"]) == (0.8333, 0.8333, 0.8333)
    assert result["threshold"] == 0.5
    # trapezoids (0.8333, 0.8333) -> (1, 0.5) -> (1, 0)
    assert result["auc"] == pytest.approx((5 / 6 - 0.5) * (5 / 6 + 1) / 2 + 0.5, abs=1e-4)
    assert (result["n_gold"], result["n_pred"], result["sentences"], result["thresholds"]) == (2, 2, 1, 2)


def test_precision_pairs_predictions_with_gold_one_to_one():
    twice = [KILLED._replace(confidence=0.9)] * 2
    result = score_carb([([KILLED], twice)])
    assert (result["precision"], result["recall"]) == (0.5, 1.0)


def test_recall_lets_one_prediction_serve_several_gold_tuples():
    result = score_carb([([KILLED, KILLED], [KILLED])])
    assert (result["precision"], result["recall"]) == (1.0, 1.0)


def test_a_sentence_without_predictions_still_counts_in_recall():
    result = score_carb([([KILLED], [KILLED]), ([CarbTuple("met", ("a", "b"))], [])])
    assert (result["precision"], result["recall"], result["n_gold"], result["sentences"]) == (1.0, 0.5, 2, 2)


def test_no_predictions_score_zero():
    result = score_carb([([KILLED], [])])
    assert (result["f1"], result["auc"], result["threshold"], result["n_pred"]) == (0.0, 0.0, None, 0)


def test_tuples_of_different_sentences_are_never_compared():
    result = score_carb([([KILLED], []), ([CarbTuple("met", ("a", "b"))], [KILLED])])
    assert (result["precision"], result["recall"]) == (0.0, 0.0)


def test_precision_pairs_greedily_best_first_as_carb_does_not_optimally():
    gold = [CarbTuple("killed", ("Rebels", "ten soldiers")), CarbTuple("killed", ("Rebels", "soldiers"))]
    predicted = [
        CarbTuple("killed", ("Rebels", "ten soldiers"), 0.5),
        CarbTuple("killed", ("Rebels", "ten"), 0.5),
    ]
    # greedy: (gold 1, pred 1) = 1 first, then (gold 2, pred 2) = 2/3; the best pairing would give 1 + 3/4.
    # CaRB's carb.py on the same input: P 0.833 R 1.0 F1 0.909 AUC 0.917
    result = score_carb([(gold, predicted)])
    assert _figures(result) == (0.8333, 1.0, 0.9091, 0.9167)


def test_a_threshold_where_nothing_matches_does_not_hide_the_best_f1():
    # At 0.9 precision and recall are both 0. CaRB's carb.py then reports F1 nan (numpy's argmax stops at
    # the first nan); OpenIE6's copy of it skips nan (nanargmax), as we do. The AUC is CaRB's: 0.280.
    gold = [KILLED, CarbTuple("were held in", ("The talks", "Geneva"))]
    predicted = [
        CarbTuple("met", ("x", "y"), 0.9),
        KILLED._replace(confidence=0.5),
        CarbTuple("were held", ("The talks", "in Geneva"), 0.5),
    ]
    result = score_carb([(gold, predicted)])
    assert _figures(result) == (0.6111, 0.9167, 0.7333, 0.2801)
    assert result["threshold"] == 0.5


# --- figures pinned to CaRB's own script -------------------------------------------------------------


def test_score_extractions_gives_the_figures_of_carbs_own_script():
    # CaRB's carb.py --tabbed on these two files prints AUC 0.575, (P, R, F1) (0.722, 0.619, 0.667);
    # unrounded 0.574735, (0.722222, 0.619048, 0.666667). The file holds repeated and tied predictions, a
    # "be" relation, swapped arguments of a "said" relation, a tuple without arguments, a sentence written
    # with other spacing and brackets, a gold sentence without predictions and a sentence the gold lacks.
    gold = read_carb(FIXTURES / "carb_check_gold.tsv")
    result = score_extractions(gold, read_extractions(FIXTURES / "carb_check_extractions.tsv"))
    assert _figures(result) == (0.7222, 0.619, 0.6667, 0.5747)
    assert (result["threshold"], result["n_gold"], result["n_pred"], result["sentences"]) == (0.6, 7, 9, 4)


@pytest.mark.parametrize(
    ("written", "gold"),
    [
        (
            "The talks were held in Geneva (Switzerland).",
            "The talks were held in Geneva -LRB- Switzerland -RRB- .",
        ),
        ("U.S. troops left", "U.S. troops left ."),
        ("He said , `` no . ''", 'He said, "no."'),
    ],
)
def test_carb_key_pairs_sentences_written_with_other_spacing_punctuation_or_brackets(written, gold):
    assert carb_key(written) == carb_key(gold)


def test_carb_key_keeps_words_apart_from_case():
    assert carb_key("Rebels killed") != carb_key("rebels killed")


# --- the extractions file ----------------------------------------------------------------------------


def test_read_extractions_reads_carbs_tab_format():
    extractions = read_extractions(FIXTURES / "carb_check_extractions.tsv")
    spoken = extractions["A spokesman said the army withdrew ."]
    assert spoken[0] == CarbTuple("said", ("the army withdrew", "A spokesman"), 0.75)
    assert spoken[2] == CarbTuple("withdrew", (), 0.3)
    assert sum(len(tuples) for tuples in extractions.values()) == 10


def test_written_extractions_read_back_the_same(tmp_path):
    extractions = {
        "Rebels killed ten soldiers .": [
            CarbTuple("killed", ("Rebels", "ten  soldiers", "in\tAleppo"), 0.1 + 0.2)
        ],
        "Nothing here .": [],
    }
    path = tmp_path / "extractions.tsv"
    write_extractions(extractions, path)
    assert read_extractions(path) == {
        "Rebels killed ten soldiers .": [
            CarbTuple("killed", ("Rebels", "ten soldiers", "in Aleppo"), 0.1 + 0.2)
        ]
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("A sentence .\t0.5\n", "line 1: needs sentence, confidence and relation"),
        ("\nA sentence .\thigh\tsaid\tx\n", "line 2: confidence 'high' is not a number"),
    ],
)
def test_read_extractions_names_the_bad_line(tmp_path, content, message):
    path = tmp_path / "extractions.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_extractions(path)


def test_read_extractions_names_a_missing_file(tmp_path):
    with pytest.raises(InputError, match="does not exist; write one with --write-extractions"):
        read_extractions(tmp_path / "missing.tsv")


# --- the gold file -----------------------------------------------------------------------------------


def test_read_carb_groups_tuples_by_sentence_and_drops_trailing_empty_arguments():
    gold = read_carb(FIXTURE)
    assert list(gold) == ["Rebels killed ten soldiers in Aleppo .", "The talks were held in Geneva ."]
    assert gold["Rebels killed ten soldiers in Aleppo ."] == [
        CarbTuple("killed", ("Rebels", "ten soldiers", "in Aleppo")),
        CarbTuple("were killed", ("ten soldiers", "in Aleppo")),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("A sentence .\tsaid\n", "line 1: needs sentence, relation and at least one argument"),
        ("\n\n", "holds no extractions"),
    ],
)
def test_read_carb_names_the_bad_input(tmp_path, content, message):
    path = tmp_path / "gold.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_carb(path)


def test_read_carb_names_a_missing_file(tmp_path):
    with pytest.raises(InputError, match="does not exist; give the path of gold_dev.tsv"):
        read_carb(tmp_path / "missing.tsv")


# --- over the extractor ------------------------------------------------------------------------------


def test_evaluate_carb_scores_the_open_mode_on_each_sentence():
    result = evaluate("carb", FIXTURE, open_arguments=True, classifier=False)
    assert (result["benchmark"], result["mapping"], result["n_gold"], result["sentences"]) == (
        "carb",
        "surface",
        3,
        2,
    )
    assert result["n_pred"] >= 1 and 0 < result["f1"] <= 1
    assert format_report(result).startswith("carb (open mode, patterns only, mapping surface)")


def test_evaluate_carb_names_an_unknown_mapping():
    with pytest.raises(InputError, match="unknown CaRB mapping 'exact'; choose one of"):
        evaluate_carb(FIXTURE, mapping="exact")
