"""The audit log's hash chain: SM3 over each record's canonical content and the hash before it.

    hash(n) = SM3(hash(n-1) + "\\n" + canonical(record n)),  hash(0) = "0" * 64

The canonical form is frozen (format 1): changing it would make every stored chain fail to
verify, so a new form needs a new format number. The record's database id is not hashed:
order is by id, and a renumbered, removed or inserted record breaks the links anyway.

Keyless by design (anyone may recompute it): a chain rewritten from some record onwards is
caught by comparing with an anchor, the chain head written out earlier (``audit anchor``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64
FORMAT = 1


def _sm3_hashlib(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def _sm3_gmssl(data: bytes) -> str:
    from gmssl import func, sm3

    return sm3.sm3_hash(func.bytes_to_list(data))


def _pick_sm3():
    # OpenSSL 3 builds usually carry SM3; some distributions disable it, then the pure-Python
    # gmssl gives the same digest (tests/test_audit.py checks both on the standard vector).
    try:
        _sm3_hashlib(b"")
        return _sm3_hashlib
    except ValueError:
        return _sm3_gmssl


sm3_hex = _pick_sm3()


def at_text(value: datetime | None) -> str:
    """A timestamp as stored, in one form for both databases (UTC, microseconds).

    PostgreSQL gives an aware datetime in the session's zone; SQLite a naive one that is UTC.
    """
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f")


def canonical(at: datetime | None, actor: str, action: str, entity: str, entity_id: int | None, old, new) -> bytes:
    body = {"f": FORMAT, "at": at_text(at), "actor": actor, "action": action, "entity": entity, "entity_id": entity_id,
            "old": old, "new": new}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def link(prev_hash: str, content: bytes) -> str:
    return sm3_hex(prev_hash.encode("ascii") + b"\n" + content)


def row_hash(prev_hash: str, row) -> str:
    """The hash a record should carry after ``prev_hash`` (``row`` has the audit_log columns)."""
    return link(prev_hash, canonical(row.at, row.actor, row.action, row.entity, row.entity_id, row.old, row.new))


@dataclass(frozen=True)
class ChainReport:
    """What ``verify`` found: ok, or the first record that was changed, inserted or deleted."""

    ok: bool
    records: int
    head_id: int | None
    head_hash: str
    head_at: str
    problem: str = ""
    record_id: int | None = None
    kind: str = ""  # changed / inserted / deleted / anchor

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Walk:
    prev_id: int | None = None
    prev_hash: str = GENESIS
    count: int = 0
    head_at: str = ""


def verify_rows(rows, anchor: dict | None = None) -> ChainReport:
    """Walk records in id order; ``rows`` yields objects with id, at, actor, …, prev_hash, hash."""
    walk = _Walk()
    seen: dict[str, int] = {GENESIS: 0}
    hashes: dict[int, str] = {}
    for row in rows:
        problem = _check(row, walk, seen)
        if problem:
            return _report(walk, *problem)
        seen[row.hash] = row.id
        hashes[row.id] = row.hash
        walk.prev_id, walk.prev_hash, walk.count, walk.head_at = row.id, row.hash, walk.count + 1, at_text(row.at)
    if anchor is not None and (problem := _check_anchor(anchor, hashes)):
        return _report(walk, *problem)
    return _report(walk)


def _check(row, walk: _Walk, seen: dict[str, int]) -> tuple[str, int, str] | None:
    after = f"after #{walk.prev_id}" if walk.prev_id is not None else "at the start of the log"
    if not row.hash:
        return f"record #{row.id} has no hash: it was inserted outside planwatch", row.id, "inserted"
    if row_hash(row.prev_hash or "", row) != row.hash:
        return f"record #{row.id} was changed: its content no longer matches its hash", row.id, "changed"
    if row.prev_hash == walk.prev_hash:
        return None
    if row.prev_hash in seen:
        first = _first_after(seen, seen[row.prev_hash])
        return (f"record #{first} was inserted: #{row.id} follows #{seen[row.prev_hash] or 'the start'} in the chain", first,
                "inserted")
    return (f"the chain breaks at record #{row.id} ({after}): a record before it was deleted, or #{walk.prev_id} rewritten",
            row.id, "deleted")


def _first_after(seen: dict[str, int], record_id: int) -> int:
    return min(i for i in seen.values() if i > record_id)


def _check_anchor(anchor: dict, hashes: dict[int, str]) -> tuple[str, int, str] | None:
    anchor_id, anchor_hash = int(anchor["id"]), str(anchor["hash"])
    if anchor_id not in hashes:
        return f"record #{anchor_id} of the anchor is missing: records were deleted", anchor_id, "deleted"
    if hashes[anchor_id] != anchor_hash:
        return f"record #{anchor_id} differs from the anchor: the chain was rewritten up to it", anchor_id, "anchor"
    return None


def _report(walk: _Walk, problem: str = "", record_id: int | None = None, kind: str = "") -> ChainReport:
    return ChainReport(not problem, walk.count, walk.prev_id, walk.prev_hash, walk.head_at, problem, record_id, kind)
