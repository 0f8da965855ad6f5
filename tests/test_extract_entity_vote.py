"""The vote over several entity recognizers' views (graphkit/extract/entity_vote.py): the rule on spans, then
the components on hand-made docs (no statistical model needed)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from graphkit.extract.entity_vote import (
    RESTART_COMPONENT,
    VIEW_COMPONENT,
    VOTE_COMPONENT,
    family,
    min_votes,
    vote,
    vote_rule,
)

TNER_1 = [(0, 1, "Org"), (1, 2, "Org"), (5, 6, "Peop")]
TNER_2 = [(0, 1, "Org"), (5, 6, "Peop"), (7, 8, "Loc")]
SPACY = [(0, 2, "Org"), (5, 6, "Peop"), (9, 10, "Org")]


def _spans(kept):
    return [span for _, span in kept]


def test_a_span_stays_when_most_views_give_it():
    assert _spans(vote([TNER_1, TNER_2, SPACY], 2)) == [(0, 1, "Org"), (5, 6, "Peop")]
    assert _spans(vote([TNER_1, TNER_2, SPACY], 3)) == [(5, 6, "Peop")]
    # one vote is enough: every view's spans, overlaps settled by votes ((0, 1) has two, (0, 2) one)
    assert _spans(vote([TNER_1, TNER_2, SPACY], 1)) == [
        (0, 1, "Org"),
        (1, 2, "Org"),
        (5, 6, "Peop"),
        (7, 8, "Loc"),
        (9, 10, "Org"),
    ]


def test_labels_vote_by_family_and_the_earlier_view_gives_the_label():
    kept = vote([[(0, 1, "GPE")], [(0, 1, "Loc")], [(0, 1, "Peop")]], 2)
    assert kept == [(0, (0, 1, "GPE"))]
    assert family("GPE") == family("Loc") == "place" and family("DATE") == "DATE"


def test_overlaps_go_to_the_span_more_views_give():
    views = [[(0, 3, "Org")], [(0, 3, "Org")], [(1, 2, "Org")], [(1, 2, "Org")], [(1, 2, "Org")]]
    assert _spans(vote(views, 2)) == [(1, 2, "Org")]


def test_a_trusted_view_replaces_the_voted_spans_its_family_overlaps():
    kept = vote([TNER_1, TNER_2, SPACY], 2, trust={"org": 2})
    assert kept == [(2, (0, 2, "Org")), (0, (5, 6, "Peop"))]  # 'Union' + 'Serb Writers' -> one name
    # a span of the trusted view that nothing voted overlaps stays out (9, 10), as do its other families
    people = [[(0, 2, "Peop")], [(0, 2, "Peop")], [(0, 1, "Peop")]]
    assert _spans(vote(people, 2, trust={"org": 2})) == [(0, 2, "Peop")]


def test_the_rule_is_data():
    rule = vote_rule()
    assert min_votes(3, rule["quorum"]) == 2 and rule["trust"] == {"org": "spacy"}


def _doc(nlp, views):
    doc = Doc(nlp.vocab, words=["Union", "of", "Serb", "Writers", "met", "Ann", "in", "Paris", "and", "Rome"])
    for key, spans in views.items():
        doc.spans[key] = [Span(doc, start, end, label=label) for start, end, label in spans]
    return doc


def test_the_vote_component_sets_the_entities_from_the_span_groups():
    nlp = spacy.blank("en")
    vote_pipe = nlp.add_pipe(VOTE_COMPONENT, config={"members": ["a", "b", "s"], "trust": {"org": "s"}})
    doc = vote_pipe(_doc(nlp, {"a": TNER_1, "b": TNER_2, "s": SPACY}))
    assert [(e.text, e.label_) for e in doc.ents] == [("Union of", "Org"), ("Ann", "Peop")]
    assert all(t.ent_iob_ for t in doc)  # every token is set: outside or inside


def test_a_missing_span_group_counts_as_a_view_without_entities():
    nlp = spacy.blank("en")
    vote_pipe = nlp.add_pipe(VOTE_COMPONENT, config={"members": ["a", "b", "gone"]})
    doc = vote_pipe(_doc(nlp, {"a": TNER_1, "b": TNER_2}))
    assert [(e.start, e.end) for e in doc.ents] == [(0, 1), (5, 6)]


@pytest.mark.parametrize("then", [[], ["tag_people"], ["not_in_the_pipeline"]])
def test_a_restart_empties_the_entities_and_a_view_stores_them(then):
    nlp = spacy.blank("en")

    @spacy.Language.component("tag_people")
    def tag_people(doc):
        doc.set_ents([Span(doc, 5, 6, label="PERSON")], default="unmodified")
        return doc

    nlp.add_pipe("tag_people")
    restart = nlp.add_pipe(RESTART_COMPONENT, config={"then": then})
    view = nlp.add_pipe(VIEW_COMPONENT, config={"key": "mine", "then": []})
    doc = Doc(nlp.vocab, words=["Union", "of", "Serb", "Writers", "met", "Ann", "in", "Paris"])
    doc.set_ents([Span(doc, 7, 8, label="GPE")], default="outside")
    doc = view(restart(doc))
    expected = [("Ann", "PERSON")] if then == ["tag_people"] else []
    assert [(e.text, e.label_) for e in doc.ents] == expected
    assert [(s.text, s.label_) for s in doc.spans["mine"]] == expected
    if not expected:  # emptied to 'missing', not 'outside': a recognizer after it labels every token
        assert all(t.ent_iob == 0 for t in doc)
