"""Render stage: the Jinja2 environment (StrictUndefined, autoescape, theme overrides) and the SVG writer."""
