"""Language and text utilities: sentence splitting, numbers, language detection,
name variants, placeholders, phrase matching, joined segments. They know nothing
of checks or runs."""
