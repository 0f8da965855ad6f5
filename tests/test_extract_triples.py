"""Relation rules on hand-checked parses (tests/fixtures/parses.json): no model involved."""

from __future__ import annotations

import pytest

from graphkit.extract.coref import resolve
from graphkit.extract.lexicon import load_lexicon
from graphkit.extract.mentions import find_mentions
from graphkit.extract.patterns import load_patterns
from graphkit.extract.relations import RelationMatcher
from graphkit.extract.triples import ArgumentResolver, build_triples


@pytest.fixture(scope="module")
def triples_of(extract_parse, extract_vocab):
    matcher = RelationMatcher(extract_vocab, load_patterns())
    lexicon = load_lexicon()

    def run(name: str):
        doc = extract_parse(name)
        mentions = find_mentions(doc, lexicon)
        _, chain_of = resolve(mentions, lexicon, name)
        resolver = ArgumentResolver(doc, mentions, chain_of, lexicon, name)
        triples, _ = build_triples(doc, list(doc.sents), matcher.match(doc), resolver, name)
        return triples

    return run


def _summary(triples):
    return {(t.subject.label, t.predicate.label, t.object.label, t.negated) for t in triples}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "conjoined-verbs",
            {("rebels", "killed", "intelligence officer"), ("rebels", "executed", "soldiers")},
        ),
        ("passive-agent", {("rebels", "killed", "officer")}),
        ("relative-role", {("Jamaa", "commanded", "military intelligence Deir Ezzor")}),
        ("member-of-group", {("Al-Nusra Front", "executed", "soldiers")}),
        ("coordinated-subjects", {("rebels", "attacked", "civilians"), ("regime", "attacked", "civilians")}),
        ("pronoun", {("John Kerry", "met", "rebels"), ("John Kerry", "arrived in", "London")}),
        ("prepositional-object", {("United States", "pushed for", "peace talks")}),
        ("control", {("Syria", "fought", "rebels")}),
        ("partial-name", {("Jamaa Jamaa", "attacked", "civilians")}),
        (
            "acronym",
            {
                ("Organisation for the Prohibition of Chemical Weapons", "sent", "inspectors"),
                ("Organisation for the Prohibition of Chemical Weapons", "met", "rebels"),
            },
        ),
        ("salient-subject", {("Syrian National Council", "opposed", "regime")}),
    ],
)
def test_rules_yield_the_expected_triples(triples_of, name, expected):
    assert {s[:3] for s in _summary(triples_of(name))} == expected


def test_negation_is_a_field_not_a_dropped_triple(triples_of):
    assert _summary(triples_of("negation")) == {("army", "attacked", "rebels", True)}


def test_pronoun_subject_keeps_its_own_span_and_the_actor_label(triples_of, extract_parse):
    doc = extract_parse("pronoun")
    (met,) = [t for t in triples_of("pronoun") if t.predicate.lemma == "meet"]
    assert met.subject.text == "He"
    assert doc.text[met.subject.start : met.subject.end] == "He"
    assert met.subject.label == "John Kerry" and met.subject.type == "Person"


def test_quantity_is_kept_apart_from_the_label(triples_of):
    (executed,) = triples_of("member-of-group")
    assert (executed.object.label, executed.object.quantity) == ("soldiers", "10")
    assert executed.subject.text == "Fighters of the Al-Nusra Front"


def test_offsets_and_evidence_point_into_the_text(triples_of, extract_parse):
    doc = extract_parse("relative-role")
    (commanded,) = triples_of("relative-role")
    assert doc.text[commanded.predicate.start : commanded.predicate.end] == "was in charge of"
    assert doc.text[commanded.object.start : commanded.object.end] == "military intelligence"
    assert commanded.provenance.pattern == "role-in-charge-of"
    assert commanded.provenance.evidence == doc.text
    assert 0 < commanded.confidence <= 1


def test_relative_pronoun_is_never_an_argument_label(triples_of):
    labels = {
        label
        for name in ("relative-role", "pronoun")
        for t in triples_of(name)
        for label in (t.subject.label, t.object.label)
    }
    assert not labels & {"who", "which", "that", "he", "He", "it", "they"}
