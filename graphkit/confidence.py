"""Keeping the triples an analyst trusts enough: a minimum confidence applied to extractions.

Every triple carries a confidence: its pattern's, times a factor for how its arguments were resolved (the
README's "Confidence" paragraph), or the relation classifier's probability. ``--min-confidence`` on
``graphkit build`` and ``graphkit extract`` drops the triples below it before anything is written, and with
them the actors no remaining triple names.
"""

from __future__ import annotations

from dataclasses import replace

from graphkit.errors import InputError
from graphkit.types import Extraction

__all__ = ["check_min_confidence", "confident"]


def check_min_confidence(min_confidence: float) -> float:
    """Return ``min_confidence`` when it lies in [0, 1], else raise :class:`~graphkit.errors.InputError`.

    >>> check_min_confidence(0.5)
    0.5
    >>> check_min_confidence(50)
    Traceback (most recent call last):
    ...
    graphkit.errors.InputError: minimum confidence 50 is outside 0-1; give a probability such as 0.5
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise InputError(
            f"minimum confidence {min_confidence:g} is outside 0-1; give a probability such as 0.5"
        )
    return min_confidence


def confident(extraction: Extraction, min_confidence: float) -> Extraction:
    """``extraction`` without its triples whose confidence is below ``min_confidence``, and without the
    actors that only those triples named (as subject, object or source of an attributed claim).

    >>> from graphkit.types import Document
    >>> empty = Extraction(Document("d", "No relation here."), sentences=1)
    >>> confident(empty, 0.9) is empty
    True
    """
    triples = tuple(t for t in extraction.triples if t.confidence >= min_confidence)
    if len(triples) == len(extraction.triples):
        return extraction
    named = {t.subject.key for t in triples} | {t.object.key for t in triples}
    named |= {t.attribution.key for t in triples if t.attribution is not None}
    actors = tuple(a for a in extraction.actors if a.key in named)
    return replace(extraction, triples=triples, actors=actors)
