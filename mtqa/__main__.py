"""``python -m mtqa``."""
from mtqa.cli import main

main()
