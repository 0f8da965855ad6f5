"""Packaged data: the ontology files and the extractor's tables, read from the installed package."""

from __future__ import annotations

import json
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from graphkit.errors import GraphkitError


def ontology_file(name: str = "graphkit.ttl") -> Traversable:
    """Return the packaged ontology file ``name`` (shipped in the wheel as ``graphkit/ontologies``)."""
    resource = files("graphkit.ontologies") / name
    if not resource.is_file():
        raise GraphkitError(f"ontology file {name!r} is not in the installed package; reinstall graphkit")
    return resource


def data_file(name: str) -> Traversable:
    """Return the packaged data file ``name`` from ``graphkit/data``."""
    resource = files("graphkit.data") / name
    if not resource.is_file():
        raise GraphkitError(f"data file {name!r} is not in the installed package; reinstall graphkit")
    return resource


def load_json(name: str) -> Any:
    """Read a packaged JSON data file.

    >>> isinstance(load_json("actor_types.json"), dict)
    True
    """
    return json.loads(data_file(name).read_text(encoding="utf-8"))
