from __future__ import annotations

import pytest

from graphkit.identity import (
    actor_iri,
    actor_key,
    alias_key,
    document_iri,
    name_part,
    relation_iri,
    statement_iri,
)


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
