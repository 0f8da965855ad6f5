"""The offline HTML explorer of the actor network."""

from graphkit.viz.html import render_html, write_html

__all__ = ["render_html", "write_html"]
