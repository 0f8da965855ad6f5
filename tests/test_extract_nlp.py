from __future__ import annotations

import json

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from graphkit.errors import ModelError, PatternError
from graphkit.extract.nlp import (
    CITATIONS_COMPONENT,
    DEFAULT_MODEL,
    FRAGMENTS_COMPONENT,
    GAZETTEER_COMPONENT,
    PLACES_COMPONENT,
    PLACES_FILE,
    SENTENCE_STARTS_COMPONENT,
    add_citation_marks,
    add_gazetteer,
    add_text_hygiene,
    datelines,
    drop_name_fragments,
    line_breaks,
    load_gazetteer,
    load_pipeline,
    preset_sentence_starts,
    with_places,
    without_citation_marks,
)
from graphkit.resources import data_file

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
    assert nlp.pipe_names == [
        "entity_ruler",
        GAZETTEER_COMPONENT,
        "ner",
        FRAGMENTS_COMPONENT,
        PLACES_COMPONENT,
    ]


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


# --- text hygiene: citation marks and line breaks (blank pipelines, no model) ------------------------------


def test_packaged_places_are_valid_places_with_canonical_names():
    entries = load_gazetteer(data_file(PLACES_FILE))
    assert {entry["label"] for entry in entries} <= {"GPE", "LOC", "FAC"}
    spellings = [entry["pattern"] for entry in entries]
    assert len(spellings) == len(set(spellings))
    ids = {entry["pattern"]: entry["id"] for entry in entries}
    assert ids["Ar Raqqah"] == ids["Raqqah"] == "Raqqa"


def _place_doc(words: str, ents: list[tuple], **parse: list) -> Doc:
    doc = Doc(spacy.blank("en").vocab, words=words.split(), **parse)
    doc.ents = [
        Span(doc, start, end, label, span_id=group[0] if group else 0) for start, end, label, *group in ents
    ]
    return doc


@pytest.mark.parametrize(
    ("words", "ents", "place", "expected"),
    [
        # missed, mislabelled whole, with "the", a piece of the place's name
        ("Strikes near Raqqah", [], (2, 3), [("Raqqah", "GPE", "Raqqa")]),
        ("Strikes near Raqqah", [(2, 3, "PERSON")], (2, 3), [("Raqqah", "GPE", "Raqqa")]),
        ("boats on the Tigris", [(2, 4, "ORG")], (3, 4), [("Tigris", "GPE", "Raqqa")]),
        (
            "the Iraqi Kurdistan Region",
            [(1, 2, "NORP")],
            (1, 4),
            [("Iraqi Kurdistan Region", "GPE", "Raqqa")],
        ),
        # a longer name holding the place, a gazetteer name, a crossing entity: left alone
        ("the University of Mosul", [(1, 4, "ORG")], (3, 4), [("University of Mosul", "ORG", "")]),
        (
            "the Manbij Council",
            [(1, 3, "ARMED_GROUP", "MMC")],
            (1, 2),
            [("Manbij Council", "ARMED_GROUP", "MMC")],
        ),
        ("near Tel Tamer today", [(2, 4, "DATE")], (1, 3), [("Tamer today", "DATE", "")]),
    ],
)
def test_places_are_added_or_relabelled_but_longer_names_kept(words, ents, place, expected):
    doc = _place_doc(words, ents)
    doc.ents = with_places(doc, [Span(doc, *place, "GPE", span_id="Raqqa")])
    assert [(ent.text, ent.label_, ent.ent_id_) for ent in doc.ents] == expected


def test_unlabelled_place_modifying_a_longer_name_is_not_added():
    words = "the Manbij Military Council attacked"
    doc = _place_doc(
        words,
        [],
        heads=[3, 3, 3, 4, 4],
        deps=["det", "compound", "compound", "nsubj", "ROOT"],
        pos=["DET", "PROPN", "PROPN", "PROPN", "VERB"],
    )
    assert with_places(doc, [Span(doc, 1, 2, "GPE", span_id="Manbij")]) == []


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("al-Assad,[1] said", ["al", "-", "Assad", ",", "[1]", "said"]),
        ("Damascus University.[1][2]", ["Damascus", "University", ".", "[1]", "[2]"]),
        ("[3] The hospital", ["[3]", "The", "hospital"]),
        ("Islamist[12] officer", ["Islamist", "[12]", "officer"]),
        ("traditions[a], he said", ["traditions", "[a]", ",", "he", "said"]),
        ("Assad [citation needed].", ["Assad", "[citation needed]", "."]),
        ("he was [a] member", ["he", "was", "[", "a", "]", "member"]),  # an editor's word, not a mark
    ],
)
def test_citation_marks_are_tokens_of_their_own(text, tokens):
    nlp = spacy.blank("en")
    add_citation_marks(nlp.tokenizer)
    add_citation_marks(nlp.tokenizer)
    assert [token.text for token in nlp(text)] == tokens


def test_citation_marks_survive_a_saved_tokenizer(tmp_path):
    nlp = spacy.blank("en")
    add_citation_marks(nlp.tokenizer)
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    add_citation_marks(loaded.tokenizer)
    assert [token.text for token in loaded("Assad,[1]")] == ["Assad", ",", "[1]"]


def _starts(text: str) -> list[tuple[str, bool]]:
    return [(text[offset:].split(None, 1)[0], starts) for offset, starts in line_breaks(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a title without a full stop ends at its line break (RE3D's "...against ISIL" / "Minister Ellwood")
        ("UK fights against ISIL\nMinister Ellwood said so.", [("Minister", True)]),
        # a dateline, then a paragraph
        ("Friday, January 4, 2019 \n\n\nThe army attacked.", [("The", True)]),
        # a byline
        ("Boris Johnson\nA Foreign Office spokesman said so.", [("A", True)]),
        # a heading, then list items with bullets
        ("Syria\n. Near Raqqa, one strike hit ISIL.\n. Near Mosul, two.", [(".", True)]),
        ("Results\n1. Unofficial results\n2. Relative to seats", [("1.", True), ("2.", True)]),
        # a paragraph break always, even after a line ending in the middle of a sentence, but after a colon
        # introducing what follows ("said:" and the quote): the parser's call
        ("The minister said:\n\nWe are concerned.", []),
        ("attacks by the\n\nIslamic State", [("Islamic", True)]),
        # hard-wrapped text goes on in lower case: never split there
        ("the U.S.-led\ncoalition struck.", [("coalition", False)]),
        ("the number of munitions in the\r\ncampaign", [("campaign", False)]),
        # after a full stop, the parser decides
        ("He left.\nGen. Smith stayed.", []),
        ("It is Shia.[1]\nThe former leader", []),
        # a line ending on a word no sentence ends on, a comma or a hyphen continues
        ("the attack was claimed by\nIslamic State fighters", []),
        ("Hezbollah,\nHamas and others", []),
        # in a hard-wrapped paragraph, a line ending in lower case before a capital is a wrap before a name
        (
            "fighters of the group\nretreated and then attacked\nMosul on Friday",
            [("retreated", False)],
        ),
        ("", []),
        ("\n\nOne line\n", []),
    ],
)
def test_line_layout_presets_sentence_starts(text, expected):
    assert _starts(text) == expected


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("Title\n\nDAMASCUS (AFP) - Fierce fighting raged.", "DAMASCUS (AFP) - "),
        ("BEIRUT, Lebanon — Rebels attacked.", "BEIRUT, Lebanon — "),
        ("NEW YORK -- Talks began.", "NEW YORK -- "),
        ("ISIL-held areas - a list", None),
        ("He said DAMASCUS - no.", None),
    ],
)
def test_datelines_are_found_at_line_starts(text, dateline):
    assert [text[start:end] for start, end in datelines(text)] == ([dateline] if dateline else [])


def test_line_breaks_point_at_the_first_character_of_a_line():
    text = "Heading  \r\n\r\n  Body text\nTitle case Line"
    assert [text[offset] for offset, _ in line_breaks(text)] == ["B", "T"]


def test_sentence_starts_are_set_on_tokens_and_kept_off_line_breaks():
    nlp = spacy.blank("en")
    add_citation_marks(nlp.tokenizer)
    text = "Against ISIL\nMinister Ellwood said the\nfighters left.[1][2] It ended."
    doc = preset_sentence_starts(nlp(text))
    starts = {token.text: token.is_sent_start for token in doc[1:] if token.is_sent_start is not None}
    expected = {"Minister": True, "\n": False, "fighters": False, "[1]": False, "[2]": False, "It": True}
    assert starts == expected


def test_citation_marks_are_cut_from_entities():
    doc = Doc(spacy.blank("en").vocab, words=["[1]", "Damascus", "University", "[2]", "and", "[3]"])
    doc.ents = [Span(doc, 0, 4, "ORG"), Span(doc, 5, 6, "PERSON")]
    assert [(ent.text, ent.label_) for ent in without_citation_marks(doc)] == [("Damascus University", "ORG")]


def test_text_hygiene_is_added_once_around_the_recognizer():
    nlp = _blank_with_ner()
    add_text_hygiene(nlp)
    add_text_hygiene(nlp)
    assert nlp.pipe_names == [SENTENCE_STARTS_COMPONENT, "entity_ruler", "ner", CITATIONS_COMPONENT]


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
        "Syrian President Bashar al-Assad said ISIL fighters had left Damascus.",
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
    assert names[0] == SENTENCE_STARTS_COMPONENT in without_gazetteer.pipe_names


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Government of Iraq fought against ISIL\nMinister Ellwood said the attack failed.",
            ["Government of Iraq fought against ISIL", "Minister Ellwood said the attack failed."],
        ),
        (
            "The hospital is affiliated with Damascus University.[1][2] The hospital has a scanner.",
            ["The hospital is affiliated with Damascus University.[1][2]", "The hospital has a scanner."],
        ),
        (
            "Clashes in Syria\n\nDAMASCUS (AFP) - Fierce fighting raged Friday in Syria's east.",
            ["Clashes in Syria", "DAMASCUS (AFP) - Fierce fighting raged Friday in Syria's east."],
        ),
        (
            "Rebels said the\nattack on the town had\nfailed.\n\nFriday, January 4, 2019",
            ["Rebels said the\nattack on the town had\nfailed.", "Friday, January 4, 2019"],
        ),
    ],
)
def test_pipeline_sentences_follow_the_layout(with_gazetteer, text, sentences):
    doc = with_gazetteer(text)
    assert [sentence.text.strip() for sentence in doc.sents] == sentences
    assert doc.text == text


@pytest.mark.model
def test_pipeline_keeps_citation_marks_out_of_names(with_gazetteer):
    doc = with_gazetteer("Bashar al-Assad,[1] met Damascus University.[1][2] It is old.[3]")
    assert [token.text for token in doc][3:6] == ["Assad", ",", "[1]"]
    assert not [ent.text for ent in doc.ents if "[" in ent.text]
    assert {"Bashar al-Assad", "Damascus University"} <= {ent.text for ent in doc.ents}


def test_unknown_model_raises_model_error():
    with pytest.raises(ModelError, match="no_such_model_xx"):
        load_pipeline("no_such_model_xx")
