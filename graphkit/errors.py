"""One exception family. Every message names the bad value and what to do next.

The CLI turns a :class:`GraphkitError` into a one-line message and exit code 2.
"""


class GraphkitError(Exception):
    """Base of every error graphkit raises on purpose."""


class InputError(GraphkitError):
    """An input path, file or record cannot be read as articles."""


class ModelError(GraphkitError):
    """The spaCy pipeline asked for cannot be loaded."""


class PatternError(GraphkitError):
    """A relation pattern or gazetteer data file is malformed."""


class OntologyError(GraphkitError):
    """A term is used that the ontology does not declare, or the ontology file is broken."""


class OutputError(GraphkitError):
    """An output cannot be written where it was asked for."""


class StoreError(GraphkitError):
    """A graph store (an Oxigraph directory, a SPARQL endpoint) cannot be opened, read or written."""
