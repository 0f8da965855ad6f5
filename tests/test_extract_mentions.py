"""Actor mentions on small hand-built parses: what counts as an actor, and the words of its label."""

from __future__ import annotations

from spacy.tokens import Doc

from graphkit.extract.lexicon import load_lexicon
from graphkit.extract.mentions import NOMINAL, find_mentions

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
