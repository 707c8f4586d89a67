"""Compiled regular expressions kept from one run to the next, as the interpreter keeps ``.pyc``.

The ingest, outline and extract stages hold some 200 patterns, and compiling them took 50–80 ms
at every start: for each class or alternation of Chinese characters, sre's compiler fills and
folds a 65,536-entry charset map in Python code. That was a quarter of what ``planwatch extract``
costs on a whole plan. ``compiled(source, flags)`` does what ``re.compile`` does, step for step,
and keeps the compiled program; at exit the new programs are written to ``__pycache__`` beside
this file, and later runs of the same interpreter build their patterns from them without
compiling.

The program format belongs to CPython's ``_sre``, whose own check of a program does not catch
every damaged one (a changed jump can crash the interpreter), so the file is keyed by the
interpreter's version and sre's magic number, holds only ints, strings and containers
(``marshal``, as ``.pyc`` files do), and carries a checksum of its programs: a file that does not
match is no cache. Whatever goes wrong (another Python, a damaged or missing file, a directory
that cannot be written) ends in a plain ``re.compile``. Like a ``.pyc``, the file is trusted as
far as the directory it lies in: someone who may write there may plant code anyway.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import os
import re
import sys
import zlib
from pathlib import Path

try:  # CPython's engine: without it (another implementation) there is nothing to cache
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover
    _sre = None

CACHE_FILE = Path(__file__).parent / "__pycache__" / f"regexes.{sys.implementation.cache_tag}.marshal"
# What the stored programs depend on: a file written by another interpreter is ignored whole.
STAMP = (sys.version, getattr(_sre, "MAGIC", None), getattr(_sre, "CODESIZE", None))
# The programs of this many patterns at most: a bound on the file whatever builds patterns here.
MAX_ENTRIES = 4096



class ProgramCache:
    """Compiled programs of patterns, read from and written to one file."""

    def __init__(self, path: Path, write: bool = True):
        self.path, self.write = path, write
        self._stored: dict[tuple[str, int], tuple] | None = None
        self._new: dict[tuple[str, int], tuple] = {}

    def compiled(self, source: str, flags: int = 0) -> re.Pattern[str]:
        """``re.compile(source, flags)``, built from the stored program when there is one."""
        if _sre is None:
            return re.compile(source, flags)
        key = (source, int(flags))
        entry = self.programs().get(key)
        if entry is not None:
            try:
                return _sre.compile(source, *entry)
            except Exception:  # a program this interpreter refuses: compile it afresh below
                pass
        try:
            entry = _program(source, int(flags))
            pattern = _sre.compile(source, *entry)
        except re.error:
            raise
        except Exception:  # sre's internals moved (a newer Python): the public road
            return re.compile(source, flags)
        if len(self._new) < MAX_ENTRIES:
            self._new[key] = entry
        return pattern

    def programs(self) -> dict[tuple[str, int], tuple]:
        if self._stored is None:
            self._stored = load(self.path)
        return self._stored

    def save(self) -> None:
        """Write the stored programs and this run's new ones, if there are new ones; atomically,
        so that two processes exiting at once leave one whole file."""
        if not self._new or not self.write:
            return
        programs = {**self.programs(), **self._new}
        if len(programs) > MAX_ENTRIES:
            programs = dict(self._new)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(exist_ok=True)
            blob = marshal.dumps(programs)
            tmp.write_bytes(marshal.dumps((STAMP, zlib.crc32(blob), blob)))
            os.replace(tmp, self.path)
        except OSError:  # a read-only installation: every run compiles, as without this module
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            return
        self.programs().update(self._new)
        self._new.clear()


def _program(source: str, flags: int) -> tuple:
    """What ``re._compiler.compile`` hands to ``_sre.compile``, in plain ints and strings."""
    parsed = _parser.parse(source, flags)
    code = [int(c) for c in _compiler._code(parsed, flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def load(path: Path) -> dict[tuple[str, int], tuple]:
    """The programs stored at ``path`` by this interpreter; ``{}`` for anything else."""
    try:
        stamp, checksum, blob = marshal.loads(path.read_bytes())
        if stamp != STAMP or checksum != zlib.crc32(blob):
            return {}  # another interpreter's, or damaged
        programs = marshal.loads(blob)
    except Exception:  # missing, truncated, another format: compile as if there were no cache
        return {}
    return programs if isinstance(programs, dict) else {}


# Like .pyc files: not written where the interpreter is told not to write bytecode.
_CACHE = ProgramCache(CACHE_FILE, write=not sys.dont_write_bytecode)
compiled = _CACHE.compiled
atexit.register(_CACHE.save)
