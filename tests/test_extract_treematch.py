"""The tree matcher agrees with spaCy's DependencyMatcher on graphkit's patterns, and refuses what it
does not support."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.matcher import DependencyMatcher

from graphkit.extract.patterns import load_patterns
from graphkit.extract.treematch import TreePattern, TreeTable

PARSES = sorted(json.loads((Path(__file__).parent / "fixtures" / "parses.json").read_text()))


def _spacy_matches(doc, patterns):
    matcher = DependencyMatcher(doc.vocab)
    for pattern in patterns:
        matcher.add(pattern.id, [list(pattern.pattern)])
    return {(doc.vocab.strings[key], tuple(ids)) for key, ids in matcher(doc)}


def _tree_matches(doc, patterns):
    table = TreeTable(doc)
    return {(p.id, ids) for p in patterns for ids in TreePattern(p.pattern).matches(table)}


@pytest.mark.parametrize("name", PARSES)
def test_same_matches_as_spacy_dependency_matcher(extract_parse, name):
    doc = extract_parse(name)
    patterns = load_patterns()
    assert _tree_matches(doc, patterns) == _spacy_matches(doc, patterns)


def test_same_matches_on_a_whole_article(extract_model):
    text = (Path(__file__).parent / "fixtures" / "seed_article.txt").read_text(encoding="utf-8")
    doc = extract_model.nlp(text)
    patterns = load_patterns()
    assert _tree_matches(doc, patterns) == _spacy_matches(doc, patterns)


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (
            {"LEFT_ID": "v", "REL_OP": "<", "RIGHT_ID": "x", "RIGHT_ATTRS": {}},
            "operator '<' is not supported",
        ),
        ({"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "x", "RIGHT_ATTRS": {"SHAPE": "Xx"}}, "SHAPE is not"),
        ({"LEFT_ID": "nope", "REL_OP": ">", "RIGHT_ID": "x", "RIGHT_ATTRS": {}}, "not an earlier node"),
        (
            {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "x", "RIGHT_ATTRS": {"DEP": {"REGEX": "x"}}},
            "IN and/or",
        ),
    ],
)
def test_unsupported_pattern_is_refused_by_name(step, message):
    with pytest.raises(ValueError, match=message):
        TreePattern([{"RIGHT_ID": "v", "RIGHT_ATTRS": {"POS": "VERB"}}, step])


def test_two_nodes_never_bind_the_same_token(extract_parse):
    doc = extract_parse("coordinated-subjects")
    pattern = TreePattern(
        [
            {"RIGHT_ID": "v", "RIGHT_ATTRS": {"POS": "VERB"}},
            {"LEFT_ID": "v", "REL_OP": ">>", "RIGHT_ID": "a", "RIGHT_ATTRS": {"POS": "NOUN"}},
            {"LEFT_ID": "v", "REL_OP": ">>", "RIGHT_ID": "b", "RIGHT_ATTRS": {"POS": "NOUN"}},
        ]
    )
    assert all(len(set(ids)) == len(ids) for ids in pattern.matches(TreeTable(doc)))


def _svo():
    return TreePattern(
        [
            {"RIGHT_ID": "v", "RIGHT_ATTRS": {"POS": "VERB"}},
            {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "s", "RIGHT_ATTRS": {"DEP": "nsubj"}},
            {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "o", "RIGHT_ATTRS": {"DEP": "dobj"}},
        ]
    )


def _decided_to_support(vocab):
    from spacy.tokens import Doc

    words = ["Russia", "decided", "to", "support", "Assad"]
    return Doc(
        vocab,
        words=words,
        heads=[1, 1, 3, 1, 3],
        deps=["nsubj", "ROOT", "aux", "xcomp", "dobj"],
        pos=["PROPN", "VERB", "PART", "VERB", "PROPN"],
    )


def test_a_virtual_edge_lends_a_clause_a_child_with_its_own_label(extract_vocab):
    doc = _decided_to_support(extract_vocab)
    assert _svo().matches(TreeTable(doc)) == []
    table = TreeTable(doc, [(3, 0, "nsubj")])
    (bound,) = _svo().matches(table)
    assert [table.token(i) for i in bound] == [3, 0, 4]
    assert bound[1] >= table.size  # the subject is bound through the virtual node


def test_a_virtual_node_anchors_nothing_and_is_no_descendant(extract_vocab):
    doc = _decided_to_support(extract_vocab)
    table = TreeTable(doc, [(3, 0, "dobj")])
    anchored = TreePattern([{"RIGHT_ID": "o", "RIGHT_ATTRS": {"DEP": "dobj"}}])
    assert [table.token(i) for (i,) in anchored.matches(table)] == [4]
    below = TreePattern(
        [
            {"RIGHT_ID": "v", "RIGHT_ATTRS": {"LOWER": "decided"}},
            {"LEFT_ID": "v", "REL_OP": ">>", "RIGHT_ID": "o", "RIGHT_ATTRS": {"DEP": "dobj"}},
        ]
    )
    assert [table.token(o) for _, o in below.matches(table)] == [4]
