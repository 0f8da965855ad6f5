"""End to end on real text with the English model: the seed article (an AFP report on Syria)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.types import Document

SEED = Path(__file__).parent / "fixtures" / "seed_article.txt"
PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "who", "which", "that", "we", "i", "you"}


@pytest.fixture(scope="module")
def seed(extract_model):
    return extract_model.extract(Document(id="seed", text=SEED.read_text(encoding="utf-8")))


def _find(extraction, subject, predicate, obj):
    return [
        t
        for t in extraction.triples
        if subject in t.subject.label and t.predicate.label == predicate and t.object.label == obj
    ]


def test_jamaa_commanded_military_intelligence_deir_ezzor(seed):
    (triple,) = _find(seed, "Jamaa", "commanded", "military intelligence Deir Ezzor")
    assert triple.subject.type == "Person"
    assert triple.predicate.text == "was in charge of"
    assert "who was in charge of military intelligence in Deir Ezzor province" in triple.provenance.evidence


def test_al_nusra_executed_soldiers(seed):
    (triple,) = _find(seed, "Al-Nusra", "executed", "soldiers")
    assert triple.object.quantity == "10"
    assert not triple.negated


def test_no_argument_is_a_bare_pronoun(seed):
    labels = {label.lower() for t in seed.triples for label in (t.subject.label, t.object.label)}
    assert not labels & PRONOUNS


def test_offsets_point_at_the_surface_text(seed):
    text = seed.document.text
    for t in seed.triples:
        assert text[t.subject.start : t.subject.end] == t.subject.text
        assert text[t.object.start : t.object.end] == t.object.text
        assert t.provenance.evidence == text[t.provenance.sentence_start : t.provenance.sentence_end]


def test_extract_many_equals_one_by_one(extract_model):
    documents = [Document("a", "Rebels killed ten soldiers."), Document("b", "The army attacked the rebels.")]
    assert list(extract_model.extract_many(documents)) == [extract_model.extract(d) for d in documents]


def test_empty_document_gives_no_triples(extract_model):
    extraction = extract_model.extract(Document("empty", ""))
    assert extraction.triples == () and extraction.sentences == 0


def test_a_document_longer_than_max_length_is_parsed_in_pieces(extract_model):
    text = SEED.read_text(encoding="utf-8")
    whole = extract_model.extract(Document("seed", text))
    limit = extract_model.nlp.max_length
    extract_model.nlp.max_length = 1500
    try:
        pieces = extract_model.extract(Document("seed", text))
    finally:
        extract_model.nlp.max_length = limit
    for t in pieces.triples:
        assert text[t.subject.start : t.subject.end] == t.subject.text
        assert t.provenance.evidence == text[t.provenance.sentence_start : t.provenance.sentence_end]
    design = {("Jamaa Jamaa", "commanded"), ("Al-Nusra Front", "executed")}
    assert design <= {(t.subject.label, t.predicate.label) for t in pieces.triples}
    assert len(pieces.triples) >= len(whole.triples) - 3


def test_two_processes_give_the_same_extractions_in_order(extract_model):
    documents = [
        Document(f"d{i}", f"Rebels killed {i} soldiers. The army attacked the rebels.") for i in range(6)
    ]
    single = list(extract_model.extract_many(documents, batch_size=2))
    double = list(extract_model.extract_many(documents, batch_size=2, n_process=2))
    assert double == single


def test_we_outside_quotes_is_the_publisher_when_known(extract_model):
    text = "We conducted strikes against ISIL near Raqqa."
    (with_source,) = extract_model.extract(Document("pr", text, source="CENTCOM")).triples
    assert (with_source.subject.label, with_source.subject.text) == ("CENTCOM", "We")
    assert extract_model.extract(Document("pr", text)).triples == ()
    # a source that says where the text was taken from speaks for nobody
    taken = Document("pr", text, source="en.wikinews.org via github.com/vanatteveldt/wikinews")
    assert extract_model.extract(taken).triples == ()


def test_a_sentence_in_a_script_the_model_cannot_read_yields_nothing(extract_model):
    # the Hindi sentence, from a Wikinews interview, gave "ज़्यादातर हमारे जो -बोलते-> हैं"
    text = "Rebels killed ten soldiers. जो इसमें ज़्यादातर हमारे जो बोलते हैं — gays, bisexual — यह सब समुदाय के लोग हैं।"
    triples = extract_model.extract(Document("mixed", text)).triples
    assert [(t.subject.label, t.object.label) for t in triples] == [("rebels", "soldiers")]
