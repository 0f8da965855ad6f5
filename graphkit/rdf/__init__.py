"""The RDF stage: the ontology, extractions to RDF, RDF files, and plain records read back out.

rdflib objects never leave this package: later stages use :mod:`graphkit.rdf.read`.
"""
