"""Recognise the same plan in two forms (a traditional-script excerpt and the full page).

Shingles of 8 characters over the normalised text, punctuation and spaces removed; the
share of one document's shingles found in the other says how much of it the other holds.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..model import Document

SHINGLE = 8
# Containment above which two documents are the same plan: unrelated Beijing plans share
# under 5% of their 8-character shingles (boilerplate such as 习近平新时代…), excerpts > 80%.
SAME_PLAN = 0.5


@dataclass(frozen=True)
class Overlap:
    a: str
    b: str
    a_in_b: float  # share of a's text found in b
    b_in_a: float


def shingles(text: str) -> set[int]:
    chars = "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch)[0] in "PSZ"))
    return {hash(chars[i : i + SHINGLE]) for i in range(max(len(chars) - SHINGLE + 1, 0))}


def find_same_plans(documents: list[Document]) -> list[Overlap]:
    sets = [shingles(d.text) for d in documents]
    found = []
    for i in range(len(documents)):
        for j in range(i + 1, len(documents)):
            a, b = sets[i], sets[j]
            if not a or not b:
                continue
            common = len(a & b)
            a_in_b, b_in_a = common / len(a), common / len(b)
            if max(a_in_b, b_in_a) >= SAME_PLAN:
                found.append(Overlap(documents[i].name, documents[j].name, a_in_b, b_in_a))
    return found
