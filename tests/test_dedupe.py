"""Near-duplicate articles: MinHash signatures and the LSH index."""

from __future__ import annotations

import pytest

from graphkit.dedupe import MIN_WORDS, NearDuplicates, shingles, signature, similarity

STORY = (
    "Government forces shelled the northern districts of the city on Monday, residents said, as rebels "
    "pushed towards the airport. At least twelve civilians were killed and dozens wounded in the fighting, "
    "according to a monitoring group. The army said it had repelled an attack on a checkpoint near the "
    "river and arrested several fighters. Aid agencies warned that food and fuel were running short."
)
OTHER = (
    "The central bank raised its main interest rate by half a point on Thursday, citing stubborn "
    "inflation in food and energy prices. The finance minister welcomed the decision and said the budget "
    "would be revised in the spring, while opposition lawmakers called for relief for households."
)


def _jaccard(first: str, second: str) -> float:
    a, b = shingles(first), shingles(second)
    return len(a & b) / len(a | b)


def test_a_syndicated_copy_with_a_new_byline_is_found_and_names_the_first():
    index = NearDuplicates()
    assert index.add("afp-1", STORY) is None
    copy = "By our correspondent. " + STORY.replace("Monday", "Monday night")
    assert _jaccard(STORY, copy) >= 0.8
    first, estimate = index.add("reuters-7", copy)
    assert first == "afp-1" and estimate >= 0.8


def test_different_stories_are_both_kept():
    index = NearDuplicates()
    assert index.add("a", STORY) is None and index.add("b", OTHER) is None


def test_a_rewritten_story_below_the_threshold_is_kept():
    half = STORY.split(". ")
    rewritten = ". ".join([half[0], "Officials gave no figures for casualties", *half[2:]])
    rewritten = rewritten.replace("Aid agencies", "Relief groups").replace("the river", "the old bridge")
    assert _jaccard(STORY, rewritten) < 0.8
    index = NearDuplicates()
    index.add("a", STORY)
    assert index.add("b", rewritten) is None


def test_short_texts_are_left_to_the_exact_comparison():
    brief = "Rebels killed ten soldiers near the border."
    assert len(brief.split()) < MIN_WORDS
    index = NearDuplicates()
    assert index.add("a", brief) is None and index.add("b", brief) is None


@pytest.mark.parametrize("seedless", [STORY, OTHER])
def test_signatures_are_stable_and_estimate_the_jaccard_similarity(seedless):
    assert (signature(seedless) == signature(seedless)).all()
    changed = seedless.replace(" the ", " a ", 2)
    assert abs(similarity(signature(seedless), signature(changed)) - _jaccard(seedless, changed)) < 0.15
