"""Versus: a static site generator for AI-model comparison sites."""

__version__ = "0.1.0"
