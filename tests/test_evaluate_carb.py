"""CaRB scoring: hand-made tuples with known answers, the gold reader, and one run over the extractor."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.errors import InputError
from graphkit.evaluate import evaluate, format_report
from graphkit.evaluate.carb import CarbTuple, evaluate_carb, match_score, read_carb, score_carb

FIXTURE = Path(__file__).parent / "fixtures" / "carb_gold.tsv"
KILLED = CarbTuple("killed", ("Rebels", "ten soldiers"))


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
