"""Recognise the same plan in two forms (a traditional-script excerpt and the full page, a
plan and its revision).

Shingles of 8 characters over the normalised text, punctuation and spaces removed; the
share of one document's shingles found in the other says how much of it the other holds.

Comparing every pair is quadratic, so each document also gets a MinHash signature
(datasketch) cut into LSH bands: two documents are compared only when they share a band,
which is a dictionary (or database index) lookup, not a scan of every stored plan. Between
documents in memory the candidates are then checked exactly; against stored plans, whose
text is not at hand, containment is estimated from the signatures and the shingle counts.
"""

from __future__ import annotations

import hashlib
import unicodedata
import zlib
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..model import Document

if TYPE_CHECKING:
    import numpy as np

SHINGLE = 8
# Containment above which two documents are the same plan: unrelated Beijing plans share
# under 5% of their 8-character shingles (boilerplate such as 习近平新时代…), excerpts > 80%.
SAME_PLAN = 0.5
NUM_PERM = 128
# Bands × rows for a Jaccard threshold of 0.2 (datasketch's _optimal_param(0.2, 128) → 28 × 2):
# low because a half-length excerpt with containment 1.0 has Jaccard 0.5 and a 30% excerpt 0.3;
# unrelated plans (Jaccard < 0.01) collide in a band with probability < 0.3%.
BANDS, ROWS = 28, 2
# Shingles per update: datasketch multiplies an (n × NUM_PERM) array; 1,024 rows stay in cache
# (a 75,000-shingle plan: 25 ms in chunks, 640 ms at once).
CHUNK = 1024


@dataclass(frozen=True)
class Overlap:
    a: str
    b: str
    a_in_b: float  # share of a's text found in b
    b_in_a: float


@dataclass(frozen=True)
class Signature:
    """A document's MinHash: ``NUM_PERM`` 32-bit minima and how many distinct shingles it has."""

    hashvalues: bytes
    size: int

    def values(self) -> np.ndarray:
        import numpy as np  # imported where signatures are compared: `planwatch extract` never needs it

        return np.frombuffer(self.hashvalues, dtype=np.uint32)


@lru_cache(maxsize=1)
def _dropped() -> dict[int, None]:
    # Spaces, punctuation and symbols of the Basic Multilingual Plane as one str.translate
    # table: a C loop instead of a category lookup per character (12× faster on a long plan).
    return {c: None for c in range(0x10000) if chr(c).isspace() or unicodedata.category(chr(c))[0] in "PSZ"}


def _chars(text: str) -> str:
    kept = text.translate(_dropped())
    if kept.isascii() or max(kept) < "\U00010000":
        return kept
    return "".join(ch for ch in kept if not (ch.isspace() or unicodedata.category(ch)[0] in "PSZ"))


def shingles(text: str) -> set[int]:
    chars = _chars(text)
    return {hash(chars[i : i + SHINGLE]) for i in range(max(len(chars) - SHINGLE + 1, 0))}


def _crc(data: bytes) -> int:
    # Deterministic across processes and machines (str hash() is salted per process), and
    # 32 bits is what datasketch's affine32 permutations take.
    return zlib.crc32(data)


def signature(text: str) -> Signature:
    """``signature("临河区国民经济和社会发展…")`` → Signature(hashvalues=b"…", size=n)."""
    chars = _chars(text)
    grams = {chars[i : i + SHINGLE].encode() for i in range(max(len(chars) - SHINGLE + 1, 0))}
    from datasketch import MinHash  # here, not at import: datasketch brings scipy (0.4 s) to every command

    m = MinHash(num_perm=NUM_PERM, hashfunc=_crc)
    ordered = list(grams)
    for start in range(0, len(ordered), CHUNK):
        m.update_batch(ordered[start : start + CHUNK])
    import numpy as np

    return Signature(m.hashvalues.astype(np.uint32).tobytes(), len(grams))


def band_keys(sig: Signature) -> list[int]:
    """One 63-bit key per band; two documents sharing any key are candidates."""
    values = sig.values()
    if sig.size == 0:
        return []
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, person=band.to_bytes(2, "big")).digest()
        keys.append(int.from_bytes(digest, "big") >> 1)  # fits a signed BIGINT
    return keys


def estimate(a: Signature, b: Signature) -> tuple[float, float]:
    """(share of a in b, share of b in a) from the signatures' Jaccard estimate and set sizes."""
    if not a.size or not b.size:
        return 0.0, 0.0
    j = float((a.values() == b.values()).mean())
    common = j * (a.size + b.size) / (1 + j)
    return min(common / a.size, 1.0), min(common / b.size, 1.0)


def is_same_plan(a_in_b: float, b_in_a: float) -> bool:
    return max(a_in_b, b_in_a) >= SAME_PLAN


def candidate_pairs(signatures: list[Signature]) -> set[tuple[int, int]]:
    """Index pairs sharing at least one LSH band: what banding leaves to be compared."""
    buckets: dict[int, list[int]] = defaultdict(list)
    for i, sig in enumerate(signatures):
        for key in band_keys(sig):
            buckets[key].append(i)
    pairs = set()
    for members in buckets.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                pairs.add((members[x], members[y]))
    return pairs


def find_same_plans(documents: list[Document]) -> list[Overlap]:
    """Same-plan pairs among documents in memory: LSH candidates, then the exact shingle check."""
    sets = [shingles(d.text) for d in documents]
    found = []
    for i, j in sorted(candidate_pairs([signature(d.text) for d in documents])):
        a, b = sets[i], sets[j]
        if not a or not b:
            continue
        common = len(a & b)
        a_in_b, b_in_a = common / len(a), common / len(b)
        if is_same_plan(a_in_b, b_in_a):
            found.append(Overlap(documents[i].name, documents[j].name, a_in_b, b_in_a))
    return found
