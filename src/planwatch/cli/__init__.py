"""The ``planwatch`` command: each command parses options, calls one library function, prints.

Errors from bad input name the file, row or field and exit with status 1.
"""

from .app import load_commands, main

__all__ = ["load_commands", "main"]
