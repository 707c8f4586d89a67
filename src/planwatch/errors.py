"""The exception tree. Every error planwatch raises on bad input is a ``PlanwatchError``
whose message names the file, row or field at fault, so the CLI can print it on one line::

    PlanwatchError
    ├── IngestError            a file could not be read as a plan
    │   ├── UnsupportedFormat  unknown extension, encrypted or image-only PDF
    │   ├── DecodeError        bytes that decode to no known encoding
    │   └── LimitExceeded      past a configured limit (size, characters, nesting, pages)
    ├── OutlineError
    ├── StoreError             database problems
    │   ├── NotFound
    │   ├── PermissionDenied   a user acting outside their role or department
    │   ├── ConflictError      a stale version (optimistic locking), a closed period
    │   └── ValidationError    bad rows in an import: carries every problem found
    └── AssessError
"""

from __future__ import annotations


class PlanwatchError(Exception):
    """Base of every error planwatch reports to its users."""


class IngestError(PlanwatchError):
    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnsupportedFormat(IngestError):
    pass


class DecodeError(IngestError):
    pass


class LimitExceeded(IngestError):
    """A file past one of ``ingest.limits.Limits``: the message names the limit and its value."""


class OutlineError(PlanwatchError):
    pass


class StoreError(PlanwatchError):
    pass


class NotFound(StoreError):
    pass


class PermissionDenied(StoreError):
    pass


class ConflictError(StoreError):
    pass


class ValidationError(StoreError):
    """Raised with every problem found, so a user can fix a whole file at once."""

    def __init__(self, problems: list[str], source: str = ""):
        head = f"{source}: " if source else ""
        super().__init__(head + f"{len(problems)} problem(s): " + "; ".join(problems[:20]))
        self.problems = problems
        self.source = source


class AssessError(PlanwatchError):
    pass
