from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef

from graphkit.identity import (
    BASE,
    actor_iri,
    actor_key,
    alias_key,
    build_iri,
    document_iri,
    name_part,
    relation_iri,
    statement_iri,
)

# The same examples on every run (a hash of the test picks them), no example database on disk.
REPEATABLE = settings(derandomize=True, database=None, deadline=None, max_examples=300)
# Characters N-Triples does not allow in an IRI (and that would break Turtle, SPARQL or HTML around it).
UNSAFE_IRI_CHARACTERS = set(' "<>{}|\\^`') | {chr(code) for code in range(0x21)} | {"\x7f"}
# Any text: every plane, controls, format characters, private use; not lone surrogates (ingest replaces
# those with U+FFFD before anything is named).
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)


@pytest.mark.parametrize(
    "spellings",
    [
        ("Al-Nusra Front", "al-Nusra Front", "Nusra Front", "AL NUSRA FRONT", "el-Nusra Front"),
        ("Bashar al-Assad", "Bashar Al Assad", "bashar al-assad"),
        ("Médecins Sans Frontières", "Medecins Sans Frontieres"),
        ("the United Nations", "United Nations", "United  Nations."),
    ],
)
def test_spellings_of_one_name_share_a_key(spellings):
    assert len({alias_key(s) for s in spellings}) == 1


def test_different_names_keep_different_keys():
    assert alias_key("John Kerry") != alias_key("John Kerr")


def test_a_name_made_only_of_articles_keeps_its_words():
    assert alias_key("The") == "the"


@pytest.mark.parametrize("raw", ['a b"c<d>', "x y\nz", "ünï cødé", "http://evil/../x?y#z", "", "   "])
def test_minted_iris_have_no_unsafe_characters(raw):
    for iri in (
        actor_iri(alias_key(raw)),
        document_iri(raw),
        relation_iri(raw),
        statement_iri(raw, 1, raw, raw, raw),
    ):
        assert not set(iri) & set(' "<>{}|\\^`\n\t'), iri
        assert iri.startswith("https://w3id.org/graphkit/")


def test_document_iri_is_stable_and_distinct():
    assert document_iri("a.jsonl:1") == document_iri("a.jsonl:1") != document_iri("a.jsonl:2")


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        (("John Kerry", "Person"), ("john kerry", "Person"), True),
        (("Hezbollah", "Organization"), ("Hezbollah", "NationalGroup"), True),  # ORG / NORP confusion
        (("Geneva", "Country"), ("Geneva", "Place"), True),  # GPE / LOC confusion
        (("Jordan", "Country"), ("Jordan", "Person"), False),
        (("Georgia", "Place"), ("Georgia", "Organization"), False),
    ],
)
def test_actor_keys_meet_within_a_kind_and_part_across_kinds(first, second, same):
    assert (actor_key(*first) == actor_key(*second)) is same
    assert name_part(actor_key(*first)) == alias_key(first[0])


def _minted(text: str) -> list[str]:
    return [
        actor_iri(alias_key(text)),
        actor_iri(actor_key(text, "Person")),
        actor_iri(text),
        document_iri(text),
        relation_iri(text),
        statement_iri(text, 3, text, text, text),
        build_iri(text),
    ]


@REPEATABLE
@given(ANY_TEXT)
def test_any_text_mints_iris_without_unsafe_characters(text):
    for iri in _minted(text):
        assert iri.startswith(BASE) and not set(iri) & UNSAFE_IRI_CHARACTERS, iri


@REPEATABLE
@given(ANY_TEXT)
def test_any_minted_iri_parses_back_as_itself_in_n_triples(text):
    iris = _minted(text)
    lines = "".join(f'<{iri}> <urn:graphkit:p> "x" .\n' for iri in iris)
    assert [str(triple.subject.value) for triple in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES)] == iris
    assert set(Graph().parse(data=lines, format="nt").subjects()) == {URIRef(iri) for iri in iris}


@REPEATABLE
@given(ANY_TEXT.filter(bool), ANY_TEXT.filter(bool))
def test_different_document_ids_get_different_iris(first, second):
    assert (document_iri(first) == document_iri(second)) is (first == second)
