"""Actor mentions on small hand-built parses: what counts as an actor, and the words of its label."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from graphkit.extract.lexicon import load_lexicon
from graphkit.extract.mentions import NAME, NOMINAL, find_mentions

_POS = {"NNS": "NOUN", "NN": "NOUN", "VBD": "VERB", "VBN": "VERB", "CD": "NUM", "HYPH": "PUNCT", ".": "PUNCT"}


def _parse(vocab, words, heads, deps, tags, lemmas):
    return Doc(
        vocab,
        words=words,
        spaces=[
            w not in {"-"} and (i + 1 >= len(words) or words[i + 1] not in {"-", "."})
            for i, w in enumerate(words)
        ],
        heads=heads,
        deps=deps,
        tags=tags,
        pos=[_POS.get(t, "DET") for t in tags],
        lemmas=lemmas,
    )


def _strikes_destroyed(vocab):
    # "Strikes destroyed three rocket-propelled grenades and a tunnel."
    words = [
        "Strikes",
        "destroyed",
        "three",
        "rocket",
        "-",
        "propelled",
        "grenades",
        "and",
        "a",
        "tunnel",
        ".",
    ]
    return _parse(
        vocab,
        words,
        heads=[1, 1, 6, 5, 5, 6, 1, 6, 9, 6, 1],
        deps=["nsubj", "ROOT", "nummod", "npadvmod", "punct", "amod", "dobj", "cc", "det", "conj", "punct"],
        tags=["NNS", "VBD", "CD", "NN", "HYPH", "VBN", "NNS", "CC", "DT", "NN", "."],
        lemmas=["strike", "destroy", "three", "rocket", "-", "propel", "grenade", "and", "a", "tunnel", "."],
    )


def test_a_noun_inside_a_hyphenated_participle_is_no_actor_but_part_of_the_label(extract_vocab):
    mentions = find_mentions(_strikes_destroyed(extract_vocab), load_lexicon())
    labels = {m.label: m for m in mentions}
    assert "rocket" not in labels
    grenades = labels["rocket-propelled grenades"]
    assert (grenades.kind, grenades.type, grenades.quantity) == (NOMINAL, "Weapon", "three")


def test_weapons_and_facilities_named_by_common_nouns_are_mentions(extract_vocab):
    mentions = find_mentions(_strikes_destroyed(extract_vocab), load_lexicon())
    assert {(m.label, m.type) for m in mentions} >= {
        ("tunnel", "Facility"),
        ("rocket-propelled grenades", "Weapon"),
    }


def test_the_holder_before_held_stays_an_actor(extract_vocab):
    # "Rebels retook regime-held buildings.": the regime owns the buildings
    words = ["Rebels", "retook", "regime", "-", "held", "buildings", "."]
    doc = _parse(
        extract_vocab,
        words,
        heads=[1, 1, 4, 4, 5, 1, 1],
        deps=["nsubj", "ROOT", "npadvmod", "punct", "amod", "dobj", "punct"],
        tags=["NNS", "VBD", "NN", "HYPH", "VBN", "NNS", "."],
        lemmas=["rebel", "retake", "regime", "-", "hold", "building", "."],
    )
    assert "regime" in {m.label for m in find_mentions(doc, load_lexicon())}


def _named(vocab, words, heads, deps, pos, ents):
    doc = Doc(vocab, words=words, heads=heads, deps=deps, pos=pos, tags=["NNP"] * len(words))
    doc.ents = [Span(doc, start, end, label) for start, end, label in ents]
    return {(m.label, m.type) for m in find_mentions(doc, load_lexicon()) if m.kind == NAME}


def test_a_surname_the_recognizer_took_for_an_organisation_is_the_person_named_before(extract_vocab):
    # "Abboud Qanbar spoke . Qanbar left ."
    words = ["Abboud", "Qanbar", "spoke", ".", "Qanbar", "left", "."]
    heads = [1, 2, 2, 2, 5, 5, 5]
    deps = ["compound", "nsubj", "ROOT", "punct", "nsubj", "ROOT", "punct"]
    pos = ["PROPN", "PROPN", "VERB", "PUNCT", "PROPN", "VERB", "PUNCT"]
    found = _named(extract_vocab, words, heads, deps, pos, [(0, 2, "PERSON"), (4, 5, "ORG")])
    assert found == {("Abboud Qanbar", "Person"), ("Qanbar", "Person")}


def test_a_person_at_the_end_of_an_organisation_entity_keeps_only_the_name(extract_vocab):
    # "the Middle East Tobias Ellwood said . Tobias Ellwood left ."
    words = ["the", "Middle", "East", "Tobias", "Ellwood", "said", ".", "Tobias", "Ellwood", "left", "."]
    heads = [4, 2, 4, 4, 5, 5, 5, 8, 9, 9, 9]
    deps = [
        "det",
        "compound",
        "compound",
        "compound",
        "nsubj",
        "ROOT",
        "punct",
        "compound",
        "nsubj",
        "ROOT",
        "punct",
    ]
    pos = ["DET", "PROPN", "PROPN", "PROPN", "PROPN", "VERB", "PUNCT", "PROPN", "PROPN", "VERB", "PUNCT"]
    found = _named(extract_vocab, words, heads, deps, pos, [(0, 5, "ORG"), (7, 9, "PERSON")])
    assert found == {("Tobias Ellwood", "Person")}


def test_an_organisation_sharing_no_name_with_a_person_stays_one(extract_vocab):
    # "Qanbar Holdings said . Abboud Qanbar left ."
    words = ["Qanbar", "Holdings", "said", ".", "Abboud", "Qanbar", "left", "."]
    heads = [1, 2, 2, 2, 5, 6, 6, 6]
    deps = ["compound", "nsubj", "ROOT", "punct", "compound", "nsubj", "ROOT", "punct"]
    pos = ["PROPN", "PROPN", "VERB", "PUNCT", "PROPN", "PROPN", "VERB", "PUNCT"]
    found = _named(extract_vocab, words, heads, deps, pos, [(0, 2, "ORG"), (4, 6, "PERSON")])
    assert ("Qanbar Holdings", "Organization") in found


def test_a_kunya_labelled_as_a_nationality_is_a_person(extract_vocab):
    # "Abu Ghadiya left ." / "Syrian fighters left ."
    words = ["Abu", "Ghadiya", "left", ".", "Syrian", "fighters", "left", "."]
    heads = [1, 2, 2, 2, 5, 6, 6, 6]
    deps = ["compound", "nsubj", "ROOT", "punct", "amod", "nsubj", "ROOT", "punct"]
    pos = ["PROPN", "PROPN", "VERB", "PUNCT", "ADJ", "NOUN", "VERB", "PUNCT"]
    found = _named(extract_vocab, words, heads, deps, pos, [(0, 2, "NORP"), (4, 5, "NORP")])
    assert {("Abu Ghadiya", "Person"), ("Syrian", "NationalGroup")} <= found


def test_a_place_after_a_preposition_parsed_into_a_subject_is_no_actor(extract_vocab):
    # "Near Rawah , strikes engaged ISIL ." with "Near" a compound of "Rawah", the parser's mistake
    words = ["Near", "Rawah", ",", "strikes", "engaged", "ISIL", "."]
    heads = [1, 4, 1, 4, 4, 4, 4]
    deps = ["compound", "nsubj", "punct", "nsubj", "ROOT", "dobj", "punct"]
    pos = ["ADP", "PROPN", "PUNCT", "NOUN", "VERB", "PROPN", "PUNCT"]
    found = _named(extract_vocab, words, heads, deps, pos, [(1, 2, "GPE"), (5, 6, "ORG")])
    assert found == {("ISIL", "Organization")}


def test_a_noun_in_a_set_phrase_or_a_bare_office_is_no_actor(extract_vocab):
    lexicon = load_lexicon()
    # "The governor declared a state of emergency."
    emergency = _parse(
        extract_vocab,
        ["The", "governor", "declared", "a", "state", "of", "emergency", "."],
        [1, 2, 2, 4, 2, 4, 5, 2],
        ["det", "nsubj", "ROOT", "det", "dobj", "prep", "pobj", "punct"],
        ["DT", "NN", "VBD", "DT", "NN", "IN", "NN", "."],
        ["the", "governor", "declare", "a", "state", "of", "emergency", "."],
    )
    assert [m.label for m in find_mentions(emergency, lexicon)] == ["governor"]
    # "The party nominated the governor for president." / "... for the president."
    words = ["The", "party", "nominated", "the", "governor", "for", "president", "."]
    heads, deps = [1, 2, 2, 4, 2, 2, 5, 2], ["det", "nsubj", "ROOT", "det", "dobj", "prep", "pobj", "punct"]
    tags = ["DT", "NN", "VBD", "DT", "NN", "IN", "NN", "."]
    lemmas = ["the", "party", "nominate", "the", "governor", "for", "president", "."]
    office = _parse(extract_vocab, words, heads, deps, tags, lemmas)
    assert [m.label for m in find_mentions(office, lexicon)] == ["party", "governor"]
    someone = _parse(
        extract_vocab,
        [*words[:6], "the", "president", "."],
        [*heads[:6], 7, 5, 2],
        [*deps[:6], "det", "pobj", "punct"],
        [*tags[:6], "DT", "NN", "."],
        [*lemmas[:6], "the", "president", "."],
    )
    assert [m.label for m in find_mentions(someone, lexicon)] == ["party", "governor", "president"]


def test_a_name_the_recognizer_mostly_calls_an_organisation_is_no_person(extract_vocab):
    # "Red Hat spoke . Red Hat left . Red Hat won ." (the recognizer: PERSON once, ORG twice)
    words = ["Red", "Hat", "spoke", ".", "Red", "Hat", "left", ".", "Red", "Hat", "won", "."]
    heads = [1, 2, 2, 2, 5, 6, 6, 6, 9, 10, 10, 10]
    deps = ["compound", "nsubj", "ROOT", "punct"] * 3
    pos = ["PROPN", "PROPN", "VERB", "PUNCT"] * 3
    ents = [(0, 2, "PERSON"), (4, 6, "ORG"), (8, 10, "ORG")]
    assert _named(extract_vocab, words, heads, deps, pos, ents) == {
        ("Red Hat", "Person"),  # where the recognizer said so
        ("Red Hat", "Organization"),
    }
    # once a person, once an organisation: the person's full name still speaks for the other
    assert _named(extract_vocab, words[:8], heads[:8], deps[:8], pos[:8], ents[:2]) == {("Red Hat", "Person")}


def test_a_bracketed_acronym_inside_a_recognised_name_stays_out_of_its_label(extract_vocab):
    # "the National Hurricane Center (NHC reported ." : the recognizer stopped before the closing bracket
    words = ["the", "National", "Hurricane", "Center", "(", "NHC", "reported", "."]
    heads = [3, 3, 3, 6, 5, 3, 6, 6]
    deps = ["det", "compound", "compound", "nsubj", "punct", "appos", "ROOT", "punct"]
    pos = ["DET", "PROPN", "PROPN", "PROPN", "PUNCT", "PROPN", "VERB", "PUNCT"]
    tags = ["DT", "NNP", "NNP", "NNP", "-LRB-", "NNP", "VBD", "."]
    doc = Doc(extract_vocab, words=words, heads=heads, deps=deps, pos=pos, tags=tags)
    doc.ents = [Span(doc, 1, 6, "ORG")]
    assert [m.label for m in find_mentions(doc, load_lexicon()) if m.kind == NAME] == [
        "National Hurricane Center"
    ]


def test_a_disease_the_recognizer_took_for_an_organisation_is_no_actor(extract_vocab):
    # "Ebtekar contracted COVID-19 ."
    words = ["Ebtekar", "contracted", "COVID-19", "."]
    heads = [1, 1, 1, 1]
    deps = ["nsubj", "ROOT", "dobj", "punct"]
    pos = ["PROPN", "VERB", "PROPN", "PUNCT"]
    found = _named(extract_vocab, words, heads, deps, pos, [(0, 1, "PERSON"), (2, 3, "ORG")])
    assert found == {("Ebtekar", "Person")}
