"""Relation rules on the hard sentences (tests/fixtures/hard_sentences.json), parsed once by the model
and frozen (tests/fixtures/parses.json): each construction the extractor handles, no model involved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.tokens import Doc

from graphkit.extract.coref import resolve
from graphkit.extract.lexicon import load_lexicon
from graphkit.extract.mentions import find_mentions
from graphkit.extract.patterns import load_patterns
from graphkit.extract.relations import RelationMatcher
from graphkit.extract.triples import (
    CONTROLLED_SUFFIX,
    REPORTED_LEMMA,
    ArgumentResolver,
    Resolved,
    _Collector,
    build_triples,
    conjuncts,
)
from graphkit.types import Actor, Argument, Predicate, Provenance, Triple

HARD_SENTENCES = json.loads((Path(__file__).parent / "fixtures" / "hard_sentences.json").read_text())
PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "who", "which", "that", "we", "i"}


@pytest.fixture(scope="module")
def triples_of(extract_parse, extract_vocab):
    matcher = RelationMatcher(load_patterns())
    lexicon = load_lexicon()

    def run(name: str):
        doc = extract_parse(name)
        mentions = find_mentions(doc, lexicon)
        _, chain_of = resolve(mentions, lexicon, name)
        resolver = ArgumentResolver(doc, mentions, chain_of, lexicon, name)
        triples, _ = build_triples(doc, matcher.match(doc), resolver, name)
        return triples

    return run


@pytest.mark.parametrize("name", sorted(HARD_SENTENCES))
def test_hard_sentence_yields_exactly_the_expected_triples(triples_of, name):
    case = HARD_SENTENCES[name]
    found = {(t.subject.label, t.predicate.label, t.object.label): t for t in triples_of(name)}
    expected = {(e["subject"], e["predicate"], e["object"]): e for e in case["expected"]}
    assert set(found) == set(expected), case["construction"]
    for key, wanted in expected.items():
        triple = found[key]
        assert triple.negated == wanted.get("negated", False), key
        assert triple.modality == wanted.get("modality"), key
        if "attributed_to" in wanted:
            assert (triple.attribution.label if triple.attribution else None) == wanted["attributed_to"], key
        if "categories" in wanted:
            assert list(triple.categories) == wanted["categories"], key


def test_every_pattern_is_exercised_by_a_hard_sentence(triples_of):
    used = {t.provenance.pattern for name in HARD_SENTENCES for t in triples_of(name)}
    used = {pattern.removesuffix(CONTROLLED_SUFFIX) for pattern in used}
    assert {p.id for p in load_patterns()} <= used


def test_no_argument_is_a_pronoun_or_a_clause(triples_of):
    for name in HARD_SENTENCES:
        for t in triples_of(name):
            for label in (t.subject.label, t.object.label):
                assert label.lower() not in PRONOUNS and len(label.split()) <= 8, (name, label)


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
    (commanded,) = [t for t in triples_of("relative-role") if t.predicate.lemma == "command"]
    assert doc.text[commanded.predicate.start : commanded.predicate.end] == "was in charge of"
    assert doc.text[commanded.object.start : commanded.object.end] == "military intelligence"
    assert commanded.provenance.pattern == "role-in-charge-of"
    assert commanded.provenance.evidence == doc.text
    assert 0 < commanded.confidence <= 1


def test_reported_triple_points_from_the_source_to_the_claims_subject(triples_of):
    reported = [t for t in triples_of("attribution") if t.predicate.lemma == "report"]
    (triple,) = reported
    assert (triple.subject.text, triple.predicate.text, triple.object.text) == (
        "Observatory",
        "said",
        "rebels",
    )
    assert triple.provenance.pattern == "attribution-reported"


def test_open_mode_keeps_arguments_that_are_not_actors(extract_parse, extract_vocab):
    lexicon = load_lexicon()
    doc = extract_parse("conjoined-verb-prepositional-object")
    mentions = find_mentions(doc, lexicon)
    _, chain_of = resolve(mentions, lexicon, "open")
    matches = RelationMatcher(load_patterns()).match(doc)
    closed = ArgumentResolver(doc, mentions, chain_of, lexicon, "open")
    opened = ArgumentResolver(doc, mentions, chain_of, lexicon, "open", open_arguments=True)
    closed_triples = {(t.subject.label, t.object.label) for t in build_triples(doc, matches, closed, "o")[0]}
    open_triples = build_triples(doc, matches, opened, "o")[0]
    assert closed_triples < {(t.subject.label, t.object.label) for t in open_triples}
    (extra,) = [t for t in open_triples if (t.subject.label, t.object.label) not in closed_triples]
    assert (extra.predicate.label, extra.object.label, extra.object.type) == ("crossed", "border", "Actor")


def _hand_parse(extract_vocab, words, heads, deps, tags, ents):
    pos = {"NNP": "PROPN", "VBD": "VERB", "VBP": "VERB", "PRP": "PRON", "PRP$": "PRON", "NN": "NOUN"}
    return Doc(
        extract_vocab,
        words=words,
        heads=heads,
        deps=deps,
        tags=tags,
        pos=[pos.get(t, "PUNCT" if t in {":", "."} else "DET") for t in tags],
        lemmas=[w.lower().replace("said", "say") for w in words],
        ents=ents,
        sent_starts=[i in {0, 3} for i in range(len(words))],
    )


def test_a_statement_after_said_colon_is_its_speakers_even_when_the_parse_cuts_it_off(extract_vocab):
    # "Ellwood said:" then a new sentence: no clause hangs from "said", the colon alone opens the quote
    words = ["Ellwood", "said", ":", "I", "commend", "the", "army", "."]
    doc = _hand_parse(
        extract_vocab,
        words,
        heads=[1, 1, 1, 4, 4, 6, 4, 4],
        deps=["nsubj", "ROOT", "punct", "nsubj", "ROOT", "det", "dobj", "punct"],
        tags=["NNP", "VBD", ":", "PRP", "VBP", "DT", "NN", "."],
        ents=["B-PERSON", "O", "O", "O", "O", "O", "O", "O"],
    )
    (speaking,) = [m for m in find_mentions(doc, load_lexicon()) if m.label == "I"]
    assert speaking.speaker == 0


def test_a_possessive_pronoun_is_a_mention_but_speaks_for_no_owner(triples_of, extract_parse):
    lexicon = load_lexicon()
    doc = extract_parse("control-modality")
    assert "its" in {m.label for m in find_mentions(doc, lexicon)}
    # "its chemical weapons" stay weapons: the owner would make Syria turn over Syria
    assert [t.object.label for t in triples_of("control-modality")] == ["chemical weapons"]


def test_a_deed_stands_for_its_agent_but_keeps_its_own_words(triples_of):
    engaged = next(t for t in triples_of("deed-of-agent") if t.predicate.label == "engaged")
    assert (engaged.subject.label, engaged.subject.text) == ("Coalition", "strikes")
    assert engaged.object.label == "ISIL"


def test_a_place_after_a_capitalised_preposition_is_no_person(extract_parse):
    doc = extract_parse("deed-of-agent")
    labels = {m.label for m in find_mentions(doc, load_lexicon())}
    assert "Near Raqqah" not in labels and "Raqqah" not in labels


def test_an_amount_names_what_it_counts_and_keeps_its_words(triples_of):
    (killed,) = triples_of("amount-of-people")
    assert killed.object.label == "innocent people"
    assert killed.object.text.endswith("thousands of innocent people")


def test_a_name_in_apposition_heading_a_coordination_is_a_list_item(triples_of):
    subjects = [t.subject.label for t in triples_of("committed-to-object-list")]
    assert subjects == ["UK", "Global Coalition", "Government of Iraq"]


def test_a_commitment_is_kept_as_modality_in_its_written_form(triples_of):
    (defeated,) = triples_of("committed-to-object-after-copula")
    assert defeated.modality == "committed"


def test_an_apposition_naming_the_same_actor_joins_the_arguments_words(triples_of):
    (met,) = triples_of("met-apposed-name")
    assert met.object.label == "Ibrahim al-Jaafari"
    assert met.object.text == "Iraqi Foreign Minister, Ibrahim al-Jaafari"


def test_an_acronym_in_brackets_keeps_both_brackets(triples_of):
    (attacked,) = triples_of("acronym-in-brackets")
    assert attacked.subject.text == "Syrian Democratic Forces (SDF)"


def test_the_city_of_a_named_place_is_the_place_and_keeps_its_words(triples_of):
    (attacked,) = triples_of("city-of")
    assert (attacked.object.label, attacked.object.text) == ("Husaybah", "city of Husaybah")


def test_a_larger_unit_in_apposition_is_the_units_designation_not_a_list_item(extract_vocab):
    # "Booker was assigned to 2nd Battalion, 5th Special Forces Group, Fort Campbell."
    words = ["Booker", "was", "assigned", "to", "2nd", "Battalion", ",", "5th", "Special", "Forces", "Group"]
    words += [",", "Fort", "Campbell", "."]
    doc = Doc(
        extract_vocab,
        words=words,
        heads=[2, 2, 2, 2, 5, 3, 5, 10, 10, 10, 5, 10, 13, 10, 2],
        deps=["nsubjpass", "auxpass", "ROOT", "prep", "compound", "pobj", "punct", "amod", "compound"]
        + ["compound", "appos", "punct", "compound", "conj", "punct"],
        tags=["NNP", "VBD", "VBN", "IN", "JJ", "NNP", ",", "JJ", "NNP", "NNP", "NNP", ",", "NNP", "NNP", "."],
        pos=[
            "PROPN",
            "AUX",
            "VERB",
            "ADP",
            "ADJ",
            "PROPN",
            "PUNCT",
            "ADJ",
            "PROPN",
            "PROPN",
            "PROPN",
            "PUNCT",
        ]
        + ["PROPN", "PROPN", "PUNCT"],
        lemmas=[w.lower() for w in words],
        ents=["B-PERSON", "O", "O", "O", "B-ORG", "I-ORG", "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "O"]
        + ["B-GPE", "I-GPE", "O"],
    )
    lexicon = load_lexicon()
    mentions = find_mentions(doc, lexicon)
    _, chain_of = resolve(mentions, lexicon, "unit")
    resolver = ArgumentResolver(doc, mentions, chain_of, lexicon, "unit")
    assert [t.text for t in conjuncts(doc[5])] == ["Battalion", "Group", "Campbell"]  # read as a list
    assert [t.text for t in conjuncts(doc[5], resolver.larger_unit)] == ["Battalion"]


def _found(label: str, text: str, at: int, how: str) -> Resolved:
    key = f"{label.lower()}.org"
    argument = Argument(label=label, key=key, type="ArmedGroup", text=text, start=at, end=at + len(text))
    return Resolved(argument, how, Actor(key, label, "ArmedGroup"))


def _collect(*pairs: tuple[Resolved, Resolved], lemma: str = "engage") -> list[Triple]:
    collected = _Collector()
    sentence = "Iraqi forces and their allies engaged ISIL units and ISIL vehicles."
    for subject, obj in pairs:
        triple = Triple(
            subject=subject.argument,
            predicate=Predicate(lemma, lemma, "engaged", 30, 37),
            object=obj.argument,
            provenance=Provenance("d", 0, sentence, 0, len(sentence), "active-svo"),
            confidence=0.5 if subject.how == "nominal" else 0.4,
        )
        collected.add(triple, subject, obj)
    return collected.triples()


def test_one_owner_named_by_two_things_keeps_a_triple_for_each():
    forces = _found("Iraqi forces", "Iraqi forces", 0, "nominal")
    units, vehicles = (
        _found("ISIL", "ISIL units", 38, "member_of_group"),
        _found("ISIL", "ISIL vehicles", 53, "member_of_group"),
    )
    triples = _collect((forces, units), (forces, vehicles), (forces, units))
    assert [t.object.text for t in triples] == ["ISIL units", "ISIL vehicles"]


def test_one_actor_named_twice_in_a_sentence_keeps_one_triple_the_most_confident():
    forces, their = (
        _found("Iraqi forces", "Iraqi forces", 0, "nominal"),
        _found("Iraqi forces", "their", 17, "pronoun"),
    )
    units = _found("ISIL", "ISIL units", 38, "member_of_group")
    triples = _collect((their, units), (forces, units))
    assert [(t.subject.text, t.confidence) for t in triples] == [("Iraqi forces", 0.5)]


def test_a_symmetric_predicate_keeps_one_triple_per_pair_of_actors(extract_vocab):
    # "Kerry, Lavrov and Zarif met.": three joined subjects of a reciprocal verb
    words = ["Kerry", ",", "Lavrov", "and", "Zarif", "met", "."]
    doc = Doc(
        extract_vocab,
        words=words,
        spaces=[False, True, True, True, True, False, False],
        heads=[5, 0, 0, 2, 2, 5, 5],
        deps=["nsubj", "punct", "conj", "cc", "conj", "ROOT", "punct"],
        tags=["NNP", ",", "NNP", "CC", "NNP", "VBD", "."],
        pos=["PROPN", "PUNCT", "PROPN", "CCONJ", "PROPN", "VERB", "PUNCT"],
        lemmas=["Kerry", ",", "Lavrov", "and", "Zarif", "meet", "."],
        ents=["B-PERSON", "O", "B-PERSON", "O", "B-PERSON", "O", "O"],
    )
    lexicon = load_lexicon()
    mentions = find_mentions(doc, lexicon)
    _, chain_of = resolve(mentions, lexicon, "met")
    resolver = ArgumentResolver(doc, mentions, chain_of, lexicon, "met")
    triples, _ = build_triples(doc, RelationMatcher(load_patterns()).match(doc), resolver, "met")
    pairs = [(t.subject.label, t.object.label) for t in triples if t.predicate.lemma == "meet"]
    assert sorted(pairs) == [("Kerry", "Lavrov"), ("Kerry", "Zarif"), ("Lavrov", "Zarif")]


def test_an_asymmetric_predicate_keeps_both_directions():
    iraq, isil = _found("Iraq", "Iraq", 0, "name"), _found("ISIL", "ISIL", 10, "name")
    assert [(t.subject.text, t.object.text) for t in _collect((iraq, isil), (isil, iraq))] == [
        ("Iraq", "ISIL"),
        ("ISIL", "Iraq"),
    ]


def test_a_pronoun_whose_actor_is_named_earlier_in_the_sentence_takes_the_names_words(extract_vocab):
    # "John Kerry said he met the rebels.": the evidence for the subject is "John Kerry", not "he"
    words = ["John", "Kerry", "said", "he", "met", "the", "rebels", "."]
    doc = Doc(
        extract_vocab,
        words=words,
        spaces=[True] * 6 + [False, False],
        heads=[1, 2, 2, 4, 2, 6, 4, 2],
        deps=["compound", "nsubj", "ROOT", "nsubj", "ccomp", "det", "dobj", "punct"],
        tags=["NNP", "NNP", "VBD", "PRP", "VBD", "DT", "NNS", "."],
        pos=["PROPN", "PROPN", "VERB", "PRON", "VERB", "DET", "NOUN", "PUNCT"],
        lemmas=["John", "Kerry", "say", "he", "meet", "the", "rebel", "."],
        ents=["B-PERSON", "I-PERSON"] + ["O"] * 6,
    )
    lexicon = load_lexicon()
    mentions = find_mentions(doc, lexicon)
    _, chain_of = resolve(mentions, lexicon, "said")
    resolver = ArgumentResolver(doc, mentions, chain_of, lexicon, "said")
    (met,) = build_triples(doc, RelationMatcher(load_patterns()).match(doc), resolver, "said")[0]
    assert (met.subject.label, met.subject.text, doc.text[met.subject.start : met.subject.end]) == (
        "John Kerry",
        "John Kerry",
        "John Kerry",
    )
    assert resolver.resolve(3).how == "pronoun"  # found through the pronoun: its confidence stays


def _attacks_in_province(extract_vocab, verb: str, lemma: str) -> Doc:
    # "Russia condemned ISIL's attacks in Hasaka Province, which <verb> civilians."
    words = ["Russia", "condemned", "ISIL", "'s", "attacks", "in", "Hasaka", "Province", ",", "which", verb]
    words += ["civilians", "."]
    return Doc(
        extract_vocab,
        words=words,
        spaces=[True, True, False] + [True] * 4 + [False] + [True] * 3 + [False, False],
        heads=[1, 1, 4, 2, 1, 4, 7, 5, 7, 10, 7, 10, 1],
        deps=["nsubj", "ROOT", "poss", "case", "dobj", "prep", "compound", "pobj", "punct", "nsubj", "relcl"]
        + ["dobj", "punct"],
        tags=["NNP", "VBD", "NNP", "POS", "NNS", "IN", "NNP", "NNP", ",", "WDT", "VBD", "NNS", "."],
        pos=["PROPN", "VERB", "PROPN", "PART", "NOUN", "ADP", "PROPN", "PROPN", "PUNCT", "PRON", "VERB"]
        + ["NOUN", "PUNCT"],
        lemmas=["Russia", "condemn", "ISIL", "'s", "attack", "in", "Hasaka", "Province", ",", "which", lemma]
        + ["civilian", "."],
        ents=["B-GPE", "O", "B-ORG", "O", "O", "O", "B-GPE", "I-GPE", "O", "O", "O", "O", "O"],
    )


@pytest.mark.parametrize(
    ("verb", "lemma", "antecedent"),
    [("killed", "kill", "ISIL"), ("borders", "border", "Hasaka Province")],
)
def test_a_relative_clause_that_wants_an_agent_is_not_about_a_place_in_a_prepositional_phrase(
    extract_vocab, verb, lemma, antecedent
):
    doc = _attacks_in_province(extract_vocab, verb, lemma)
    lexicon = load_lexicon()
    mentions = find_mentions(doc, lexicon)
    _, chain_of = resolve(mentions, lexicon, "which")
    resolver = ArgumentResolver(doc, mentions, chain_of, lexicon, "which")
    assert resolver.resolve(9).argument.label == antecedent


def test_a_source_reporting_on_one_actor_named_by_two_things_gives_one_reported_triple():
    source = _found("Observatory", "the Observatory", 70, "name")
    fighters, nusra = (
        _found("Nusra", "fighters of Nusra", 10, "member_of_group"),
        _found("Nusra", "Nusra", 40, "name"),
    )
    assert len(_collect((source, fighters), (source, nusra), lemma=REPORTED_LEMMA)) == 1
    assert len(_collect((source, fighters), (source, nusra))) == 2  # other predicates: one per thing named
