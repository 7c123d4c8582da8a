"""The CI side of mtqa: project config and file pairs, changed files and lines,
baselines, inline suppressions, the result cache, and checking many documents."""
