"""graphkit: news articles in, a graph of actors and what they did to each other out."""

__version__ = "0.1.0"
