"""Sentence alignment: the aligner, the sentence encoders it uses, and reading
the files of ``mtqa align``."""
