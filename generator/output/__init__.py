"""Output stage: atomic writes, parallel rendering, the build cache and fingerprints, the link check, progress and the report."""
