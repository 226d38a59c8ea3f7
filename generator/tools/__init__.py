"""Editor tools beside the build: the live preview (versus serve), scaffolding (versus new), editor JSON schemas."""
