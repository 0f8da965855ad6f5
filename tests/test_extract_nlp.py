from __future__ import annotations

import json

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from graphkit.errors import ModelError, PatternError
from graphkit.extract.nlp import (
    DEFAULT_MODEL,
    FRAGMENTS_COMPONENT,
    GAZETTEER_COMPONENT,
    add_gazetteer,
    drop_name_fragments,
    load_gazetteer,
    load_pipeline,
)

# --- the gazetteer file (no model) ------------------------------------------------------------------------


def test_packaged_gazetteer_entries_are_valid_with_one_label_per_group():
    entries = load_gazetteer()
    label_of: dict[str, set[str]] = {}
    for entry in entries:
        label_of.setdefault(entry["id"], set()).add(entry["label"])
    assert 60 <= len(label_of) <= 150
    assert {group: labels for group, labels in label_of.items() if len(labels) > 1} == {}
    phrases = [entry["pattern"].lower() for entry in entries if isinstance(entry["pattern"], str)]
    assert len(phrases) == len(set(phrases)), "a spelling is listed twice"


def test_gazetteer_keeps_token_patterns_few():
    # The token matcher costs time on every token for every pattern; phrase strings do not.
    assert sum(isinstance(entry["pattern"], list) for entry in load_gazetteer()) <= 20


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"label": "MILITIA", "pattern": "Peshmerga", "id": "Peshmerga"}', "not an actor label"),
        ('{"label": "ARMED_GROUP", "pattern": "Peshmerga"}', "exactly label, pattern, id"),
        ('{"label": "ARMED_GROUP", "pattern": [{"LOWR": "peshmerga"}], "id": "Peshmerga"}', "token pattern"),
        ('{"label": "ARMED_GROUP", "pattern": [], "id": "Peshmerga"}', "token pattern"),
        ('{"label": "ARMED_GROUP", "pattern": "Peshmerga", "id": ""}', "canonical name"),
        ("{not json", "not JSON"),
    ],
)
def test_malformed_gazetteer_entry_is_rejected_with_its_line(tmp_path, line, message):
    path = tmp_path / "gazetteer.jsonl"
    comment = json.dumps({"_comment": "a test file"})
    path.write_text(f"{comment}\n{line}\n", encoding="utf-8")
    with pytest.raises(PatternError, match=message) as raised:
        load_gazetteer(path)
    assert f"{path}:2" in str(raised.value)


# --- pipeline assembly (blank pipelines, no model) ---------------------------------------------------------


def _blank_with_ner() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler")  # a pipeline's own ruler, which ours must not replace
    nlp.add_pipe("ner")
    return nlp


def test_gazetteer_goes_before_ner_beside_an_existing_entity_ruler():
    nlp = _blank_with_ner()
    add_gazetteer(nlp)
    add_gazetteer(nlp)
    assert nlp.pipe_names == ["entity_ruler", GAZETTEER_COMPONENT, "ner", FRAGMENTS_COMPONENT]


def test_gazetteer_saved_with_a_pipeline_is_enabled_again():
    nlp = _blank_with_ner()
    add_gazetteer(nlp)
    nlp.disable_pipe(GAZETTEER_COMPONENT)
    add_gazetteer(nlp)
    assert GAZETTEER_COMPONENT in nlp.pipe_names


def _parsed(
    words: list[str], heads: list[int], deps: list[str], ents: list[tuple[int, int, str, str]]
) -> Doc:
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps)
    doc.ents = [Span(doc, start, end, label, span_id=group) for start, end, label, group in ents]
    return doc


def test_org_fragment_left_before_a_gazetteer_name_is_dropped():
    doc = _parsed(
        ["the", "Kurdish", "YPG", "fought"],
        [2, 2, 3, 3],
        ["det", "amod", "nsubj", "ROOT"],
        [(0, 2, "ORG", ""), (2, 3, "ARMED_GROUP", "People's Protection Units")],
    )
    assert [(e.text, e.label_) for e in drop_name_fragments(doc).ents] == [("YPG", "ARMED_GROUP")]


@pytest.mark.parametrize(
    ("words", "heads", "deps", "first"),
    [
        (["the", "U.S.", "ISIL", "envoy"], [3, 2, 3, 3], ["det", "compound", "compound", "ROOT"], "GPE"),
        (["the", "UN", "ISIL", "sanctions"], [3, 3, 3, 3], ["det", "compound", "compound", "ROOT"], "ORG"),
    ],
)
def test_entity_before_a_gazetteer_name_is_kept_unless_an_org_modifying_it(words, heads, deps, first):
    doc = _parsed(words, heads, deps, [(1, 2, first, ""), (2, 3, "ARMED_GROUP", "Islamic State")])
    assert len(drop_name_fragments(doc).ents) == 2


# --- the default English pipeline, with and without the gazetteer ------------------------------------------


@pytest.fixture(scope="module")
def with_gazetteer() -> Language:
    return load_pipeline(DEFAULT_MODEL)  # the call Extractor makes: one cached pipeline for the session


@pytest.fixture(scope="module")
def without_gazetteer() -> Language:
    return load_pipeline(DEFAULT_MODEL, gazetteer=False)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "name", "group"),
    [
        ("ISIL fighters attacked the town.", "ISIL", "Islamic State"),
        ("Da’esh claimed the attack on Sunday.", "Da’esh", "Islamic State"),
        ("Daesh lost Raqqa in 2017.", "Daesh", "Islamic State"),
        ("Police arrested a member of al-Qaida in London.", "al-Qaida", "al-Qaeda"),
        (
            "The Syrian Democratic Forces captured Raqqa.",
            "Syrian Democratic Forces",
            "Syrian Democratic Forces",
        ),
        ("Civilians fled ISIL-held areas.", "ISIL", "Islamic State"),
        ("Jets of the U.S.-led coalition struck Mosul.", "U.S.-led coalition", "US-led coalition"),
        ("Hashd al-Sha’bi units entered Tikrit.", "Hashd al-Sha’bi", "Popular Mobilization Forces"),
    ],
)
def test_gazetteer_names_are_armed_groups_with_their_span(with_gazetteer, text, name, group):
    start = text.index(name)
    found = [(e.start_char, e.end_char, e.label_, e.ent_id_) for e in with_gazetteer(text).ents]
    assert (start, start + len(name), "ARMED_GROUP", group) in found


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Barack Obama met Angela Merkel in Berlin on Monday.",
        "Hezbollah leader Hassan Nasrallah met Bashar al-Assad in Damascus.",
        "Syrian President Bashar al-Assad said ISIL fighters had left Palmyra.",
    ],
)
def test_gazetteer_leaves_people_and_places_alone(with_gazetteer, without_gazetteer, text):
    def people_and_places(nlp: Language) -> list[tuple[str, str]]:
        return [(e.text, e.label_) for e in nlp(text).ents if e.label_ in {"PERSON", "GPE"}]

    assert people_and_places(with_gazetteer) == people_and_places(without_gazetteer)
    assert people_and_places(with_gazetteer)


@pytest.mark.model
def test_pipeline_without_gazetteer_has_no_ruler(with_gazetteer, without_gazetteer):
    assert GAZETTEER_COMPONENT not in without_gazetteer.component_names
    assert FRAGMENTS_COMPONENT not in without_gazetteer.component_names
    names = with_gazetteer.pipe_names
    assert names.index(GAZETTEER_COMPONENT) < names.index("ner") < names.index(FRAGMENTS_COMPONENT)


def test_unknown_model_raises_model_error():
    with pytest.raises(ModelError, match="no_such_model_xx"):
        load_pipeline("no_such_model_xx")
