"""Pages stage: per-kind page contexts and read-only views built from computed facts; editors' Markdown; chart data; structured data; the JSON export and search index."""
