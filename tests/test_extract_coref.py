"""Coreference on small hand-built parses: which actor a pronoun or anaphor stands for, and when none."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from graphkit.extract.coref import resolve
from graphkit.extract.lexicon import load_lexicon
from graphkit.extract.mentions import PRONOUN, find_mentions, load_coref_data

_POS = {
    "NN": "NOUN",
    "NNS": "NOUN",
    "NNP": "PROPN",
    "NNPS": "PROPN",
    "PRP": "PRON",
    "PRP$": "PRON",
    "VBD": "VERB",
    "VBN": "VERB",
    "VBZ": "AUX",
    "VB": "VERB",
    "JJ": "ADJ",
    "IN": "ADP",
    "DT": "DET",
    "TO": "PART",
    "CC": "CCONJ",
    ".": "PUNCT",
    ",": "PUNCT",
    "``": "PUNCT",
    "''": "PUNCT",
}


def _doc(vocab, tokens: list[tuple[str, int, str, str, str, str]]) -> Doc:
    """A parse from (word, head index, dep, tag, lemma, IOB entity tag) rows."""
    words = [t[0] for t in tokens]
    return Doc(
        vocab,
        words=words,
        spaces=[i + 1 < len(words) and words[i + 1] not in {".", ","} for i in range(len(words))],
        heads=[t[1] for t in tokens],
        deps=[t[2] for t in tokens],
        tags=[t[3] for t in tokens],
        pos=[_POS[t[3]] for t in tokens],
        lemmas=[t[4] for t in tokens],
        ents=[t[5] for t in tokens],
    )


def _antecedents(doc: Doc) -> dict[str, str | None]:
    """Each pronoun "word@index" -> the label of the actor it resolves to (None: unresolved)."""
    lexicon = load_lexicon()
    mentions = find_mentions(doc, lexicon)
    _, chain_of = resolve(mentions, lexicon, "d")
    return {
        f"{m.label}@{m.head}": (chain_of[m.head].label if m.head in chain_of else None)
        for m in mentions
        if m.kind == PRONOUN
    }


def _sentence(*rows, offset: int = 0):
    return [(w, h + offset, d, t, lemma, e) for w, h, d, t, lemma, e in rows]


def _they_pose(vocab) -> Doc:
    # "Operation Inherent Resolve targets ISIL. They pose a threat."
    return _doc(
        vocab,
        _sentence(
            ("Operation", 2, "compound", "NNP", "Operation", "B-ORG"),
            ("Inherent", 2, "compound", "NNP", "Inherent", "I-ORG"),
            ("Resolve", 3, "nsubj", "NNP", "Resolve", "I-ORG"),
            ("targets", 3, "ROOT", "VBZ", "target", "O"),
            ("ISIL", 3, "dobj", "NNP", "ISIL", "B-ORG"),
            (".", 3, "punct", ".", ".", "O"),
        )
        + _sentence(
            ("They", 1, "nsubj", "PRP", "they", "O"),
            ("pose", 1, "ROOT", "VBD", "pose", "O"),
            ("a", 3, "det", "DT", "a", "O"),
            ("threat", 1, "dobj", "NN", "threat", "O"),
            (".", 1, "punct", ".", ".", "O"),
            offset=6,
        ),
    )


def test_an_operation_is_no_they_though_it_is_the_subject(extract_vocab):
    assert _antecedents(_they_pose(extract_vocab)) == {"They@6": "ISIL"}


def _she_married(vocab, first: str) -> Doc:
    # "<first> Day married George Weidler. She divorced him."
    return _doc(
        vocab,
        _sentence(
            (first, 1, "compound", "NNP", first, "B-PERSON"),
            ("Day", 2, "nsubj", "NNP", "Day", "I-PERSON"),
            ("married", 2, "ROOT", "VBD", "marry", "O"),
            ("George", 4, "compound", "NNP", "George", "B-PERSON"),
            ("Weidler", 2, "dobj", "NNP", "Weidler", "I-PERSON"),
            (".", 2, "punct", ".", ".", "O"),
        )
        + _sentence(
            ("She", 1, "nsubj", "PRP", "she", "O"),
            ("divorced", 1, "ROOT", "VBD", "divorce", "O"),
            ("him", 1, "dobj", "PRP", "he", "O"),
            (".", 1, "punct", ".", ".", "O"),
            offset=6,
        ),
    )


def test_a_first_name_tells_a_persons_gender(extract_vocab):
    assert _antecedents(_she_married(extract_vocab, "Doris")) == {
        "She@6": "Doris Day",
        "him@8": "George Weidler",
    }


def test_a_name_of_either_sex_leaves_the_pronoun_to_salience(extract_vocab):
    # "Kerry" is a first name of women and men alike: not in the table, so the subject is taken
    assert "kerry" not in load_coref_data().given_names
    assert _antecedents(_she_married(extract_vocab, "Kerry"))["She@6"] == "Kerry Day"


def test_an_object_pronoun_is_not_the_subject_of_its_own_clause(extract_vocab):
    # "Kerry called Lavrov. Kerry urged him." (binding: "him" is not Kerry)
    doc = _doc(
        extract_vocab,
        _sentence(
            ("Kerry", 1, "nsubj", "NNP", "Kerry", "B-PERSON"),
            ("called", 1, "ROOT", "VBD", "call", "O"),
            ("Lavrov", 1, "dobj", "NNP", "Lavrov", "B-PERSON"),
            (".", 1, "punct", ".", ".", "O"),
        )
        + _sentence(
            ("Kerry", 1, "nsubj", "NNP", "Kerry", "B-PERSON"),
            ("urged", 1, "ROOT", "VBD", "urge", "O"),
            ("him", 1, "dobj", "PRP", "he", "O"),
            (".", 1, "punct", ".", ".", "O"),
            offset=4,
        ),
    )
    assert _antecedents(doc) == {"him@6": "Lavrov"}


def test_a_thing_more_prominent_than_any_actor_takes_it(extract_vocab):
    # "Mokha lies in Yemen, since it was recaptured.": Mokha, a name the recognizer left unlabelled, is the
    # subject; "it" is no country then, and stays unresolved
    doc = _doc(
        extract_vocab,
        _sentence(
            ("Mokha", 1, "nsubj", "NNP", "Mokha", "O"),
            ("lies", 1, "ROOT", "VBZ", "lie", "O"),
            ("in", 1, "prep", "IN", "in", "O"),
            ("Yemen", 2, "pobj", "NNP", "Yemen", "B-GPE"),
            (",", 1, "punct", ",", ",", "O"),
            ("since", 8, "mark", "IN", "since", "O"),
            ("it", 8, "nsubjpass", "PRP", "it", "O"),
            ("was", 8, "auxpass", "VBD", "be", "O"),
            ("recaptured", 1, "advcl", "VBN", "recapture", "O"),
            (".", 1, "punct", ".", ".", "O"),
        ),
    )
    assert _antecedents(doc) == {"it@6": None}


def test_it_goes_to_the_country_when_nothing_outranks_it(extract_vocab):
    # "Syria said it would respond."
    doc = _doc(
        extract_vocab,
        _sentence(
            ("Syria", 1, "nsubj", "NNP", "Syria", "B-GPE"),
            ("said", 1, "ROOT", "VBD", "say", "O"),
            ("it", 4, "nsubj", "PRP", "it", "O"),
            ("would", 4, "aux", "VB", "would", "O"),
            ("respond", 1, "ccomp", "VB", "respond", "O"),
            (".", 1, "punct", ".", ".", "O"),
        ),
    )
    assert _antecedents(doc) == {"it@2": "Syria"}


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        # "Syria held talks. It said no.": the last sentence's subject
        (
            (
                ("Syria", 1, "nsubj", "NNP", "Syria", "B-GPE"),
                ("held", 1, "ROOT", "VBD", "hold", "O"),
                ("talks", 1, "dobj", "NNS", "talk", "O"),
                (".", 1, "punct", ".", ".", "O"),
            ),
            "Syria",
        ),
        # "Talks opened in Syria. It said no.": a name in a prepositional phrase is out of reach
        (
            (
                ("Talks", 1, "nsubj", "NNS", "talk", "O"),
                ("opened", 1, "ROOT", "VBD", "open", "O"),
                ("in", 1, "prep", "IN", "in", "O"),
                ("Syria", 2, "pobj", "NNP", "Syria", "B-GPE"),
            ),
            None,
        ),
    ],
)
def test_it_in_a_later_sentence_reaches_a_subject_or_an_object_only(extract_vocab, first, expected):
    offset = len(first)
    doc = _doc(
        extract_vocab,
        _sentence(*first)
        + _sentence(
            ("It", 1, "nsubj", "PRP", "it", "O"),
            ("said", 1, "ROOT", "VBD", "say", "O"),
            ("no", 1, "dobj", "DT", "no", "O"),
            (".", 1, "punct", ".", ".", "O"),
            offset=offset,
        ),
    )
    assert _antecedents(doc)[f"It@{offset}"] == expected


def test_they_is_not_a_single_member_but_may_be_an_organisation_noun(extract_vocab):
    # "A soldier joined the army. They paid him.": the subject is one soldier, no "they"
    doc = _doc(
        extract_vocab,
        _sentence(
            ("A", 1, "det", "DT", "a", "O"),
            ("soldier", 2, "nsubj", "NN", "soldier", "O"),
            ("joined", 2, "ROOT", "VBD", "join", "O"),
            ("the", 4, "det", "DT", "the", "O"),
            ("army", 2, "dobj", "NN", "army", "O"),
            (".", 2, "punct", ".", ".", "O"),
        )
        + _sentence(
            ("They", 1, "nsubj", "PRP", "they", "O"),
            ("paid", 1, "ROOT", "VBD", "pay", "O"),
            ("him", 1, "dobj", "PRP", "he", "O"),
            (".", 1, "punct", ".", ".", "O"),
            offset=6,
        ),
    )
    assert _antecedents(doc)["They@6"] == "army"


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # "It is hard to win." : extraposed, no one
        (
            (
                ("It", 1, "nsubj"),
                ("is", 1, "ROOT"),
                ("hard", 1, "acomp"),
                ("to", 4, "aux"),
                ("win", 2, "xcomp"),
            ),
            0,
        ),
        # "It said nothing." : a subject that may be an actor
        ((("It", 1, "nsubj"), ("said", 1, "ROOT"), ("nothing", 1, "dobj")), 1),
    ],
)
def test_an_extraposed_it_is_no_mention(extract_vocab, words, expected):
    tags = {"It": "PRP", "is": "VBZ", "hard": "JJ", "to": "TO", "win": "VB", "said": "VBD", "nothing": "NN"}
    lemmas = {"It": "it", "is": "be", "said": "say"}
    rows = [(w, h, d, tags[w], lemmas.get(w, w), "O") for w, h, d in words]
    mentions = find_mentions(_doc(extract_vocab, rows), load_lexicon())
    assert sum(1 for m in mentions if m.kind == PRONOUN) == expected


def test_a_pronoun_in_a_quote_is_not_its_speaker(extract_vocab):
    # 'Assad met Kerry. "He lies," Kerry said.'
    doc = _doc(
        extract_vocab,
        _sentence(
            ("Assad", 1, "nsubj", "NNP", "Assad", "B-PERSON"),
            ("met", 1, "ROOT", "VBD", "meet", "O"),
            ("Kerry", 1, "dobj", "NNP", "Kerry", "B-PERSON"),
            (".", 1, "punct", ".", ".", "O"),
        )
        + _sentence(
            ('"', 2, "punct", "``", '"', "O"),
            ("He", 2, "nsubj", "PRP", "he", "O"),
            ("lies", 6, "ccomp", "VBZ", "lie", "O"),
            (",", 6, "punct", ",", ",", "O"),
            ('"', 6, "punct", "''", '"', "O"),
            ("Kerry", 6, "nsubj", "NNP", "Kerry", "B-PERSON"),
            ("said", 6, "ROOT", "VBD", "say", "O"),
            (".", 6, "punct", ".", ".", "O"),
            offset=4,
        ),
    )
    assert _antecedents(doc) == {"He@5": "Assad"}


def test_a_person_after_a_place_preposition_is_a_place(extract_vocab):
    # "He was captured in Fialaka." with Fialaka taken for a person
    doc = _doc(
        extract_vocab,
        _sentence(
            ("He", 2, "nsubjpass", "PRP", "he", "O"),
            ("was", 2, "auxpass", "VBD", "be", "O"),
            ("captured", 2, "ROOT", "VBN", "capture", "O"),
            ("in", 2, "prep", "IN", "in", "O"),
            ("Fialaka", 3, "pobj", "NNP", "Fialaka", "B-PERSON"),
            (".", 2, "punct", ".", ".", "O"),
        ),
    )
    named = [m for m in find_mentions(doc, load_lexicon()) if m.label == "Fialaka"]
    assert [m.type for m in named] == ["Place"]


def test_a_shared_surname_goes_to_the_person_mentioned_most(extract_vocab):
    # "Robert Mugabe ruled. Mugabe fled. His wife Grace Mugabe stayed. Mugabe died."
    doc = _doc(
        extract_vocab,
        _sentence(
            ("Robert", 1, "compound", "NNP", "Robert", "B-PERSON"),
            ("Mugabe", 2, "nsubj", "NNP", "Mugabe", "I-PERSON"),
            ("ruled", 2, "ROOT", "VBD", "rule", "O"),
            (".", 2, "punct", ".", ".", "O"),
        )
        + _sentence(
            ("Mugabe", 1, "nsubj", "NNP", "Mugabe", "B-PERSON"),
            ("fled", 1, "ROOT", "VBD", "flee", "O"),
            (".", 1, "punct", ".", ".", "O"),
            offset=4,
        )
        + _sentence(
            ("His", 1, "poss", "PRP$", "his", "O"),
            ("wife", 3, "nsubj", "NN", "wife", "O"),
            ("Grace", 1, "appos", "NNP", "Grace", "B-PERSON"),
            ("stayed", 3, "ROOT", "VBD", "stay", "O"),
            (".", 3, "punct", ".", ".", "O"),
            offset=7,
        )
        + _sentence(
            ("Grace", 1, "compound", "NNP", "Grace", "B-PERSON"),
            ("Mugabe", 2, "nsubj", "NNP", "Mugabe", "I-PERSON"),
            ("spoke", 2, "ROOT", "VBD", "speak", "O"),
            (".", 2, "punct", ".", ".", "O"),
            offset=12,
        )
        + _sentence(
            ("Mugabe", 1, "nsubj", "NNP", "Mugabe", "B-PERSON"),
            ("died", 1, "ROOT", "VBD", "die", "O"),
            (".", 1, "punct", ".", ".", "O"),
            offset=16,
        ),
    )
    lexicon = load_lexicon()
    mentions = find_mentions(doc, lexicon)
    _, chain_of = resolve(mentions, lexicon, "d")
    assert chain_of[16].label == "Robert Mugabe"  # not the latest Mugabe, the one the text is about
    assert chain_of[13].label == "Grace Mugabe" and chain_of[13] is not chain_of[16]
