"""``mtqa fix``: applying the checks' fix edits to files, mapping text positions
to bytes, and finding where an edit goes in each format."""
