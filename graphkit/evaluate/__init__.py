"""Benchmarks' scorers: how well graphkit's extractor finds the relations of annotated corpora.

One module per benchmark, each giving a scorer ``path, *, model, open_arguments, progress, classifier
-> dict`` and a report ``dict -> str``; :data:`BENCHMARKS` names them and :func:`evaluate` looks a
benchmark up by name.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from graphkit.errors import InputError
from graphkit.evaluate.carb import evaluate_carb, format_carb
from graphkit.evaluate.conll04 import SentenceTuples, evaluate_conll04, format_conll04, score_strict
from graphkit.evaluate.re3d import (
    RE3D_CONFIGURATIONS,
    DocumentSpans,
    GoldDocument,
    GoldRelation,
    evaluate_re3d,
    format_re3d,
    matches,
    overlaps,
    read_re3d,
    score_relations,
)
from graphkit.extract.nlp import DEFAULT_MODEL

__all__ = [
    "BENCHMARKS",
    "RE3D_CONFIGURATIONS",
    "SentenceTuples",
    "Benchmark",
    "DocumentSpans",
    "GoldDocument",
    "GoldRelation",
    "evaluate",
    "format_report",
    "matches",
    "overlaps",
    "read_re3d",
    "score_relations",
    "score_strict",
]


class Benchmark(NamedTuple):
    """A benchmark: its scorer and the function that renders the scorer's result as text."""

    run: Callable[..., dict[str, Any]]
    report: Callable[[dict[str, Any]], str]


BENCHMARKS: dict[str, Benchmark] = {
    "carb": Benchmark(evaluate_carb, format_carb),
    "conll04": Benchmark(evaluate_conll04, format_conll04),
    "re3d": Benchmark(evaluate_re3d, format_re3d),
}
"""Benchmark name -> :class:`Benchmark`."""


def _benchmark(name: str) -> Benchmark:
    benchmark = BENCHMARKS.get(name)
    if benchmark is None:
        raise InputError(f"unknown benchmark {name!r}; choose one of {', '.join(sorted(BENCHMARKS))}")
    return benchmark


def evaluate(
    benchmark: str,
    path: str | Path,
    *,
    model: str = DEFAULT_MODEL,
    open_arguments: bool = False,
    progress: bool = False,
    classifier: bool = True,
) -> dict[str, Any]:
    """Run the extractor on a benchmark's file and score it.

    Parameters
    ----------
    benchmark : str
        A name in :data:`BENCHMARKS`.
    path : path
        The benchmark's data file.
    model : str
        spaCy pipeline to parse with (a package name or a directory written by ``graphkit train``).
    open_arguments : bool
        Run the extractor in open mode (see :class:`graphkit.extract.pipeline.Extractor`).
    progress : bool
        Draw a progress bar on standard error.
    classifier : bool
        ``False``: extract with the patterns alone, without the relation classifier.

    Returns
    -------
    dict
        Plain data, with ``benchmark`` naming it; the rest is the benchmark's own (see its module).

    Raises
    ------
    InputError
        For an unknown benchmark, or a missing or malformed file.

    Examples
    --------
    >>> result = evaluate("re3d", "re3d_dev.jsonl")  # doctest: +SKIP
    >>> sorted(result["configurations"])  # doctest: +SKIP
    ['actor_relations', 'all']
    """
    return _benchmark(benchmark).run(
        path, model=model, open_arguments=open_arguments, progress=progress, classifier=classifier
    )


def format_report(result: dict[str, Any]) -> str:
    """Render an :func:`evaluate` result as a readable table, with its benchmark's report.

    >>> format_report({"benchmark": "nothing"})
    Traceback (most recent call last):
    ...
    graphkit.errors.InputError: unknown benchmark 'nothing'; choose one of carb, conll04, re3d
    """
    return _benchmark(result["benchmark"]).report(result)
