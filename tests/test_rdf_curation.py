"""Curation files: merge, split, rename and retype actors before anything is written."""

from __future__ import annotations

import json

import pytest

from graphkit.errors import InputError
from graphkit.rdf.curation import Curation, curate, load_curation
from graphkit.rdf.mapping import to_rdf
from graphkit.rdf.read import read_actors, read_relations


@pytest.fixture
def curation_file(tmp_path):
    def write(content):
        path = tmp_path / "curation.json"
        path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
        return path

    return write


def test_names_are_read_as_alias_keys_and_merge_chains_followed(curation_file):
    curation = load_curation(
        curation_file(
            {
                "merge": {"Qasem Soleimani": "Soleimani", "Soleimani": "Qassem Soleimani"},
                "rename": {"Quds Force": "IRGC Quds Force"},
                "retype": {"John Kerry": "GovernmentBody"},
                "split": {"Georgia": {"Place": "Georgia (U.S. state)"}},
            }
        )
    )
    assert curation.merge == {"qasem-soleimani": "qassem-soleimani", "soleimani": "qassem-soleimani"}
    assert curation.rename == {"quds-force": "IRGC Quds Force"}
    assert curation.retype == {"john-kerry": "GovernmentBody"}
    assert curation.split == {"georgia": {"Place": "Georgia (U.S. state)"}}


def test_merge_rename_and_retype_reach_actors_triples_and_rdf(sample_extractions):
    curation = Curation(
        merge={"quds-force": "irgc"}, rename={"irgc": "IRGC"}, retype={"john-kerry": "GovernmentBody"}
    )
    curated = [curate(extraction, curation) for extraction in sample_extractions]
    actors = {actor.key: actor for actor in read_actors(to_rdf(curated))}
    assert "quds-force" not in actors
    assert actors["irgc"].label == "IRGC" and "Quds Force" in actors["irgc"].aliases
    assert actors["john-kerry"].type == "GovernmentBody"
    assert {r.object_key for r in read_relations(to_rdf(curated))} == {"irgc", "john-kerry"}
    assert all(t.object.label in ("IRGC", "John Kerry") for e in curated for t in e.triples)


def test_merging_two_actors_of_one_document_leaves_one(sample_extractions):
    curated = curate(sample_extractions[0], Curation(merge={"john-kerry": "qassem-soleimani"}))
    assert [actor.key for actor in curated.actors] == ["qassem-soleimani", "quds-force"]
    assert "John Kerry" in curated.actors[0].aliases


def test_split_by_type_keeps_the_other_types(sample_extractions):
    curation = Curation(split={"qassem-soleimani": {"Organization": "Soleimani Group"}})
    assert curate(sample_extractions[0], curation) == sample_extractions[0]
    split = Curation(split={"qassem-soleimani": {"Person": "Qassem Soleimani (general)"}})
    keys = {t.subject.key for t in curate(sample_extractions[0], split).triples}
    assert keys == {"qassem-soleimani-general.person"}


def test_an_empty_curation_changes_nothing(sample_extractions):
    assert [curate(e, Curation()) for e in sample_extractions] == list(sample_extractions)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "one JSON object"),
        ({"merges": {}}, "unknown table 'merges'"),
        ({"merge": ["a"]}, "'merge' must be an object"),
        ({"retype": {"Kerry": "Persn"}}, "'Persn' is not an actor class; choose one of"),
        ({"rename": {"Kerry": ""}}, "non-empty string"),
        ({"merge": {"a": "b", "b": "a"}}, "cycle: a -> b -> a"),
        ({"split": {"Georgia": "x"}}, "must map actor classes"),
    ],
)
def test_bad_files_are_input_errors_naming_the_file(curation_file, content, message):
    path = curation_file(content)
    with pytest.raises(InputError, match=message) as caught:
        load_curation(path)
    assert "curation.json" in str(caught.value)


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read the curation file"):
        load_curation(tmp_path / "none.json")
