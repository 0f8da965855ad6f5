from __future__ import annotations

import json

import pytest
from spacy.tokens import Doc

from graphkit.errors import PatternError
from graphkit.extract.patterns import load_patterns
from graphkit.extract.relations import RelationMatcher

VALID = {
    "id": "svo",
    "subject": "s",
    "object": "o",
    "predicate": ["v"],
    "confidence": 0.8,
    "pattern": [
        {"RIGHT_ID": "v", "RIGHT_ATTRS": {"POS": "VERB"}},
        {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "s", "RIGHT_ATTRS": {"DEP": "nsubj"}},
        {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "o", "RIGHT_ATTRS": {"DEP": "dobj"}},
    ],
}


def _write(tmp_path, entries):
    path = tmp_path / "patterns.jsonl"
    path.write_text(
        "".join((e if isinstance(e, str) else json.dumps(e)) + "\n" for e in entries), encoding="utf-8"
    )
    return path


def test_packaged_patterns_load_with_unique_ids_and_compile(extract_vocab):
    patterns = load_patterns()
    assert len({p.id for p in patterns}) == len(patterns) >= 5
    RelationMatcher(patterns)


def test_every_packaged_pattern_names_its_predicate_and_confidence():
    for pattern in load_patterns():
        assert pattern.predicate and 0 < pattern.confidence <= 1
        assert pattern.description


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{oops", "line 1: not valid JSON"),
        ({k: v for k, v in VALID.items() if k != "subject"}, "missing field"),
        ({**VALID, "object": "nowhere"}, r"node\(s\) nowhere not in the pattern"),
        ({**VALID, "confidence": 1.5}, "in \\[0, 1\\]"),
        ({**VALID, "constraints": [{"node": "v", "colour": "red"}]}, "constraint"),
        ({**VALID, "constraints": [{"node": "v", "not_object_complement": "p"}]}, r"node\(s\) p not in"),
        ({**VALID, "pattern": []}, "non-empty list"),
        ({**VALID, "own_words": ["v"]}, '"own_words" may name the subject or object node only, not v'),
    ],
)
def test_malformed_pattern_is_refused_with_its_line(tmp_path, entry, message):
    with pytest.raises(PatternError, match=message):
        load_patterns(_write(tmp_path, [entry]))


def test_duplicate_ids_are_refused(tmp_path):
    with pytest.raises(PatternError, match="used twice: svo"):
        load_patterns(_write(tmp_path, [VALID, VALID]))


def test_invalid_matcher_pattern_names_the_pattern(tmp_path, extract_vocab):
    broken = {**VALID, "pattern": [*VALID["pattern"][:2], {**VALID["pattern"][2], "REL_OP": "???"}]}
    with pytest.raises(PatternError, match="'svo'"):
        RelationMatcher(load_patterns(_write(tmp_path, [broken])))


def test_a_custom_pattern_file_drives_the_matcher(tmp_path, extract_vocab, extract_parse):
    matcher = RelationMatcher(load_patterns(_write(tmp_path, [VALID])))
    doc = extract_parse("negation")
    (match,) = matcher.match(doc)
    assert (doc[match.token("s")].text, doc[match.token("o")].text) == ("army", "rebels")


def test_a_predicate_table_must_cover_every_lemma_its_node_matches(tmp_path):
    nouns = ["talk", "zo"]  # "zo" has no entry
    entry = {
        **VALID,
        "lemma_from": {"node": "o", "table": "light_verb_nouns"},
        "pattern": [
            *VALID["pattern"][:2],
            {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "o", "RIGHT_ATTRS": {"LEMMA": {"IN": nouns}}},
        ],
    }
    with pytest.raises(PatternError, match="no light_verb_nouns entry for zo:"):
        load_patterns(_write(tmp_path, [entry]))


def test_a_table_used_as_a_word_list_gives_its_words_not_its_notes():
    owner_holds = next(p for p in load_patterns() if p.id == "owner-holds")
    lemmas = owner_holds.pattern[0]["RIGHT_ATTRS"]["LEMMA"]["IN"]
    assert "tank" in lemmas and not any(word.startswith("_") for word in lemmas)
    assert owner_holds.own_words == ("thing",)


PREPOSITIONAL = {
    "id": "svp",
    "subject": "s",
    "object": "o",
    "predicate": ["v", "p"],
    "confidence": 0.6,
    "constraints": [{"node": "v", "not_object_complement": "p"}],
    "pattern": [
        {"RIGHT_ID": "v", "RIGHT_ATTRS": {"POS": "VERB"}},
        {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "s", "RIGHT_ATTRS": {"DEP": "nsubj"}},
        {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "p", "RIGHT_ATTRS": {"DEP": "prep"}},
        {"LEFT_ID": "p", "REL_OP": ">", "RIGHT_ID": "o", "RIGHT_ATTRS": {"DEP": "pobj"}},
    ],
}


@pytest.mark.parametrize(
    ("words", "heads", "deps", "matched"),
    [
        # the parser hung the noun's "to" phrase on the verb: the phrase is the amendment's
        ("party supported amendment to Constitution", [1, 1, 1, 1, 3], "nsubj ROOT dobj prep pobj", False),
        # through what the object counts: "two of the pipelines to Greece"
        (
            "Italy built two of pipelines to Greece",
            [1, 1, 1, 2, 3, 1, 5],
            "nsubj ROOT dobj prep pobj prep pobj",
            False,
        ),
        # an object that takes no such phrase leaves the verb its argument
        ("Biden sent condolences to Trump", [1, 1, 1, 1, 3], "nsubj ROOT dobj prep pobj", True),
        # a phrase before the object is the verb's
        ("Italy built to Greece pipeline", [1, 1, 1, 2, 1], "nsubj ROOT prep pobj dobj", True),
        # another preposition: the noun takes only "to"
        ("party supported amendment with Constitution", [1, 1, 1, 1, 3], "nsubj ROOT dobj prep pobj", True),
    ],
)
def test_a_preposition_after_an_object_that_takes_it_is_not_the_verbs(
    tmp_path, extract_vocab, words, heads, deps, matched
):
    words = words.split()
    doc = Doc(
        extract_vocab,
        words=words,
        heads=heads,
        deps=deps.split(),
        pos=["VERB" if dep == "ROOT" else "ADP" if dep == "prep" else "NOUN" for dep in deps.split()],
        lemmas=[w.lower().rstrip("s") if w.endswith("s") else w.lower() for w in words],
    )
    matcher = RelationMatcher(load_patterns(_write(tmp_path, [PREPOSITIONAL])))
    assert bool(matcher.match(doc)) is matched
