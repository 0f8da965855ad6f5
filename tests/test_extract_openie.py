"""Clause tuples of open mode: hand-built parses for each rule, then the extractor on real sentences."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from graphkit.errors import PatternError
from graphkit.extract import openie
from graphkit.extract.openie import OPEN_PATTERN_PREFIX, clauses, load_rules
from graphkit.extract.phrases import open_tuples
from graphkit.extract.pipeline import Extractor
from graphkit.types import Document


def _parse(vocab, rows: str) -> Doc:
    """A Doc from ``word/POS/dep/head`` items (head as a word index; the root points to itself)."""
    items = [item.split("/") for item in rows.split()]
    return Doc(
        vocab,
        words=[word for word, *_ in items],
        pos=[pos for _, pos, _, _ in items],
        deps=[dep for _, _, dep, _ in items],
        heads=[int(head) for *_, head in items],
    )


def _read(doc: Doc) -> list[tuple[str, str, str | None, str, str]]:
    return [
        (
            c.subject.text,
            " ".join(t.text for t in sorted(c.relation, key=lambda t: t.i)),
            c.object.text if c.object is not None else None,
            c.shape,
            c.subject_from,
        )
        for c in clauses(doc[:])
    ]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (  # a direct object
            "Rebels/PROPN/nsubj/1 killed/VERB/ROOT/1 ten/NUM/nummod/3 soldiers/NOUN/dobj/1 ./PUNCT/punct/1",
            [("Rebels", "killed", "soldiers", "object", "own")],
        ),
        (  # a prepositional object takes its preposition into the relation
            "He/PRON/nsubjpass/2 was/AUX/auxpass/2 born/VERB/ROOT/2 in/ADP/prep/2 Hawaii/PROPN/pobj/3",
            [("He", "was born in", "Hawaii", "preposition", "own")],
        ),
        (  # the agent of a passive comes before any other preposition
            "Talks/NOUN/nsubjpass/2 were/AUX/auxpass/2 held/VERB/ROOT/2 in/ADP/prep/2 May/PROPN/pobj/3 "
            "by/ADP/agent/2 rebels/NOUN/pobj/5",
            [("Talks", "were held by", "rebels", "passive_agent", "own")],
        ),
        (  # a conjoined verb shares its head's subject
            "Rebels/NOUN/nsubj/1 crossed/VERB/ROOT/1 borders/NOUN/dobj/1 and/CCONJ/cc/1 "
            "fought/VERB/conj/1 troops/NOUN/dobj/4",
            [
                ("Rebels", "crossed", "borders", "object", "own"),
                ("Rebels", "fought", "troops", "object", "conj"),
            ],
        ),
        (  # a controlled infinitive carries its controller's relation
            "He/PRON/nsubj/1 wants/VERB/ROOT/1 to/PART/aux/3 leave/VERB/xcomp/1 Paris/PROPN/dobj/3",
            [("He", "wants to leave", "Paris", "object", "xcomp")],
        ),
        (  # a clausal object ("said that ...")
            "Officials/NOUN/nsubj/1 said/VERB/ROOT/1 prices/NOUN/nsubj/3 rose/VERB/ccomp/1",
            [("Officials", "said", "rose", "clause", "own"), ("prices", "rose", None, "intransitive", "own")],
        ),
        (  # a copula with its attribute; an adverb among the auxiliaries joins the relation
            "Bush/PROPN/nsubj/1 is/AUX/ROOT/1 not/PART/neg/1 president/NOUN/attr/1",
            [("Bush", "is not", "president", "complement", "own")],
        ),
        (
            "Ely/PROPN/nsubjpass/3 was/AUX/auxpass/3 never/ADV/advmod/3 vaulted/VERB/ROOT/3",
            [("Ely", "was never vaulted", None, "intransitive", "own")],
        ),
    ],
)
def test_clauses_find_each_verbs_subject_relation_and_object(extract_vocab, rows, expected):
    assert _read(_parse(extract_vocab, rows)) == expected


def test_a_relative_clause_without_its_own_object_has_its_antecedent(extract_vocab):
    rows = "the/DET/det/1 book/NOUN/ROOT/1 I/PRON/nsubj/3 read/VERB/relcl/1"
    assert _read(_parse(extract_vocab, rows)) == [("I", "read", "book", "object", "own")]


def test_an_apposition_states_that_the_name_is_the_description(extract_vocab):
    rows = (
        "His/PRON/poss/1 son/NOUN/nsubj/6 ,/PUNCT/punct/1 John/PROPN/compound/4 Crozier/PROPN/appos/1 "
        ",/PUNCT/punct/1 spoke/VERB/ROOT/6"
    )
    found = [c for c in clauses(_parse(extract_vocab, rows)[:]) if c.shape == "apposition"]
    assert [(c.subject.text, c.object.text) for c in found] == [("Crozier", "son")]


def test_an_apposition_needs_a_comma(extract_vocab):
    rows = "the/DET/det/1 album/NOUN/nsubj/3 Plan/PROPN/appos/1 sold/VERB/ROOT/3"
    assert [c.shape for c in clauses(_parse(extract_vocab, rows)[:])] == ["intransitive"]


def test_rules_lacking_a_key_are_a_pattern_error(monkeypatch):
    monkeypatch.setattr(openie, "load_json", lambda name: {"subject_deps": ["nsubj"]})
    with pytest.raises(PatternError, match="lack object_deps.*restore the packaged file"):
        load_rules("broken-openie.json")


# --- the extractor in open mode ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def open_extractor() -> Extractor:
    return Extractor(open_arguments=True, classifier=False)


def _tuples(extractor: Extractor, text: str):
    doc = extractor.nlp(text)
    extraction = extractor.from_doc(Document("t", text), doc)
    return extraction, open_tuples(doc, extraction.triples)


def test_open_mode_gives_clause_tuples_in_the_sentences_words(open_extractor):
    _, tuples = _tuples(open_extractor, "Tom Bradley was born in Kettering and joined the railway in 1941 .")
    found = {(t.relation, t.arguments) for t in tuples}
    assert ("was born in", ("Tom Bradley", "Kettering")) in found
    assert ("joined", ("Tom Bradley", "the railway", "in 1941")) in found


def test_a_relative_pronoun_argument_stands_for_its_antecedent(open_extractor):
    extraction, tuples = _tuples(open_extractor, "He met the engineer who designed the bridge .")
    designed = [t for t in extraction.triples if t.predicate.text == "designed"]
    assert [t.subject.text for t in designed] == ["engineer"]
    assert all(a.split()[-1] not in {"who", "which"} for t in tuples for a in t.arguments)


def test_an_apposition_becomes_an_is_tuple(open_extractor):
    _, tuples = _tuples(open_extractor, "Nancy Craig , advertising manager for the Red Cross , declined .")
    assert ("is", ("Nancy Craig", "advertising manager for the Red Cross")) in {
        (t.relation, t.arguments) for t in tuples
    }


def test_a_clause_takes_the_place_of_a_pattern_triple_on_the_same_verb(open_extractor):
    extraction, _ = _tuples(open_extractor, "Rebels killed ten soldiers in Aleppo .")
    assert [(t.provenance.pattern, t.predicate.text) for t in extraction.triples] == [
        ("open-clause", "killed")
    ]
    actor = {a.key for a in extraction.actors}
    assert {extraction.triples[0].subject.key, extraction.triples[0].object.key} <= actor


def test_actor_mode_has_no_clause_triples():
    extraction = Extractor(classifier=False).extract(Document("t", "The rebels crossed the border ."))
    assert not [t for t in extraction.triples if t.provenance.pattern.startswith(OPEN_PATTERN_PREFIX)]
