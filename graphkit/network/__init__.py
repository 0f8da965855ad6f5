"""The networkx stage: the actor network built from the RDF stage's plain records."""
