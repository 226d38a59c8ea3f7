"""Compute stage: pure functions from the catalogue to derived facts, scores, related pairs, FAQ facts and verdicts."""
