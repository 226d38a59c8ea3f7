"""Load stage: content files → raw mappings with line marks → the validated, frozen catalogue."""
