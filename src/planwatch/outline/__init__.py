"""Outline: a ``Document`` → its chapter / section / part / item tree (``Outline``)."""

from .parser import classify, parse_outline
from .tables import parse_table_lines

__all__ = ["classify", "parse_outline", "parse_table_lines"]
