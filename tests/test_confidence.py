"""Dropping triples below a minimum confidence, and the actors only they named."""

from __future__ import annotations

import pytest

from graphkit.confidence import check_min_confidence, confident
from graphkit.errors import InputError
from graphkit.types import Actor, Argument, Document, Extraction, Predicate, Provenance, Triple


def _argument(key: str) -> Argument:
    return Argument(label=key, key=key, type="Organization", text=key, start=0, end=len(key))


def _triple(subject: str, obj: str, confidence: float, source: str | None = None) -> Triple:
    return Triple(
        subject=_argument(subject),
        predicate=Predicate(label="attacked", lemma="attack", text="attacked", start=0, end=8),
        object=_argument(obj),
        provenance=Provenance("d", 0, "evidence", 0, 8, "p"),
        confidence=confidence,
        attribution=_argument(source) if source else None,
    )


@pytest.fixture
def extraction() -> Extraction:
    actors = tuple(
        Actor(key=k, label=k, type="Organization") for k in ("army", "rebels", "un", "observatory")
    )
    triples = (_triple("army", "rebels", 0.7), _triple("un", "rebels", 0.3, source="observatory"))
    return Extraction(Document("d", "text"), sentences=2, actors=actors, triples=triples)


def test_triples_below_the_minimum_go_with_the_actors_only_they_named(extraction):
    kept = confident(extraction, 0.5)
    assert [t.subject.key for t in kept.triples] == ["army"]
    assert {a.key for a in kept.actors} == {"army", "rebels"}
    assert kept.sentences == 2 and kept.document == extraction.document


def test_a_kept_attributed_triple_keeps_its_source(extraction):
    kept = confident(extraction, 0.3)
    assert kept is extraction
    assert {a.key for a in confident(extraction, 0.8).actors} == set()


@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_a_minimum_outside_0_1_names_itself(value):
    with pytest.raises(InputError, match=f"{value:g}"):
        check_min_confidence(value)
