"""The seed article against the relations a careful reader sees in it (tests/fixtures/seed_relations.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphkit.errors import InputError
from graphkit.evaluate.expected import found_relations, read_expected
from graphkit.types import Document

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED = read_expected(FIXTURES / "seed_relations.json")
READER_FLOOR = 27
"""Of the careful reader's relations, at least this many are found (a regression floor, not a target)."""


@pytest.fixture(scope="module")
def found(extract_model):
    text = (FIXTURES / "seed_article.txt").read_text(encoding="utf-8")
    return found_relations(extract_model.extract(Document("seed", text)), EXPECTED)


@pytest.mark.model
def test_every_relation_the_issue_names_is_found_but_the_one_the_text_does_not_state(found):
    missed = [str(relation) for relation, triple in found if relation.tags.get("issue") and triple is None]
    # a relation found at last loses its "unmet" note in the fixture
    assert missed == [str(relation) for relation in EXPECTED if relation.tags.get("unmet")]


@pytest.mark.model
def test_most_of_the_careful_readers_relations_are_found(found):
    assert sum(triple is not None for _, triple in found) >= READER_FLOOR


def test_a_malformed_list_names_the_file_and_the_entry(tmp_path):
    path = tmp_path / "expected.json"
    path.write_text(json.dumps({"relations": [{"sentence": 1, "subject": "rebels"}]}), encoding="utf-8")
    with pytest.raises(InputError, match="expected.json relation 1: 'subject'"):
        read_expected(path)
    path.write_text("[", encoding="utf-8")
    with pytest.raises(InputError, match="expected.json"):
        read_expected(path)
