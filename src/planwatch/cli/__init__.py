"""The ``planwatch`` command: each command parses options, calls one library function, prints.

Errors from bad input name the file, row or field and exit with status 1.
"""

from . import batch, documents, evaluate, indicators, ledger, milestones, progress, projects, search  # noqa: F401  (registers the commands)
from .app import main

__all__ = ["main"]
