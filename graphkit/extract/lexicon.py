"""The extractor's word lists and tables, read once from ``data/lexicon.json`` and ``actor_types.json``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from graphkit.resources import load_json


def _table(raw: dict[str, Any]) -> MappingProxyType:
    return MappingProxyType({k: v for k, v in raw.items() if not k.startswith("_")})


@dataclass(frozen=True)
class Lexicon:
    """Read-only word lists that steer mention finding, coreference and confidence."""

    entity_classes: MappingProxyType  # spaCy entity label -> ontology class
    actor_nouns: MappingProxyType  # noun lemma -> ontology class
    member_nouns: frozenset[str]
    group_types: frozenset[str]
    place_types: frozenset[str]
    inert_types: frozenset[str]  # classes that do not act: no subject of a pattern naming no subject_types
    owner_types: frozenset[str]
    place_nouns: frozenset[str]
    unit_echelons: MappingProxyType  # military unit noun -> its echelon (platoon 1 ... command 8)
    dropped_modifiers: frozenset[str]
    vague_quantities: frozenset[str]
    titles: frozenset[str]
    honorifics: frozenset[str]
    nominal_anaphors: MappingProxyType  # noun -> classes it may refer to
    pronouns: MappingProxyType  # pronoun -> classes it may refer to
    relative_pronouns: frozenset[str]
    first_person: frozenset[str]
    publisher_pronouns: frozenset[str]  # outside quotes, the document's publisher ("we" in a press release)
    gendered_words: MappingProxyType  # honorific, title or pronoun -> "male" / "female"
    resolution_confidence: MappingProxyType
    acronym_stopwords: frozenset[str]
    compound_role_nouns: frozenset[str]  # role nouns whose compounds name the office ("director general")
    non_actor_names: frozenset[str]  # lower-case names the recognizer mistakes for actors ("COVID-19")
    pattern_lists: MappingProxyType  # list name -> words, named "@name" in patterns.jsonl
    modal_forms: MappingProxyType  # contracted modal -> its full form ("'ll" -> "will")
    light_verb_nouns: MappingProxyType  # noun of a light-verb phrase -> {"lemma", "label"}
    symmetric_predicates: frozenset[str]  # lemmas true of both directions ("meet"): one triple per pair
    agent_categories: frozenset[str]  # relation categories whose subject acts: no place "kills"


@cache
def load_lexicon() -> Lexicon:
    """Return the packaged lexicon (read once per process).

    >>> load_lexicon().entity_classes["PERSON"]
    'Person'
    """
    raw = load_json("lexicon.json")
    return Lexicon(
        entity_classes=_table(load_json("actor_types.json")),
        actor_nouns=_table(raw["actor_nouns"]),
        member_nouns=frozenset(_table(raw["member_nouns"])),
        group_types=frozenset(raw["group_types"]),
        place_types=frozenset(raw["place_types"]),
        inert_types=frozenset(raw["inert_types"]),
        owner_types=frozenset(raw["owner_types"]),
        place_nouns=frozenset(_table(raw["place_nouns"])),
        unit_echelons=_table(raw["unit_echelons"]),
        dropped_modifiers=frozenset(raw["dropped_modifiers"]),
        vague_quantities=frozenset(raw["vague_quantities"]),
        titles=frozenset(raw["titles"]),
        honorifics=frozenset(raw["honorifics"]),
        nominal_anaphors=_table(raw["nominal_anaphors"]),
        pronouns=_table(raw["pronouns"]),
        relative_pronouns=frozenset(raw["relative_pronouns"]),
        first_person=frozenset(raw["first_person"]),
        publisher_pronouns=frozenset(raw["publisher_pronouns"]),
        gendered_words=_table(raw["gendered_words"]),
        resolution_confidence=_table(raw["resolution_confidence"]),
        acronym_stopwords=frozenset(raw["acronym_stopwords"]),
        compound_role_nouns=frozenset(_table(raw["compound_role_nouns"])),
        non_actor_names=frozenset(_table(raw["non_actor_names"])),
        pattern_lists=_table(raw["pattern_lists"]),
        light_verb_nouns=_table(raw["light_verb_nouns"]),
        modal_forms=_table(raw["modal_forms"]),
        symmetric_predicates=frozenset(_table(raw["symmetric_predicates"])),
        agent_categories=frozenset(_table(raw["agent_categories"])),
    )
