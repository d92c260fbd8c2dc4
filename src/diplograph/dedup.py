"""Content hashes and near-duplicate detection (MinHash LSH over word shingles)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from datasketch import LeanMinHash, MinHash, MinHashLSH

SHINGLE_WORDS = 5
_PUNCTUATION = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def normalise_for_hash(text: str) -> str:
    """Lowercase, drop punctuation, collapse whitespace: typographic variants hash alike."""
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", text.lower())).strip()


def content_hash(text: str) -> str:
    return hashlib.sha1(normalise_for_hash(text).encode("utf-8")).hexdigest()[:16]


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    words = normalise_for_hash(text).split()
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


class NearDuplicateIndex:
    """Finds already-indexed articles whose bodies share most of their 5-word shingles with a new one."""

    def __init__(self, threshold: float = 0.7, num_perm: int = 128):
        self.threshold = threshold
        self.num_perm = num_perm
        # Weigh missed duplicates far above spurious candidates: every candidate is checked against the threshold.
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.1, 0.9))
        self._signatures: dict[str, LeanMinHash] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._signatures

    def signature(self, body: str) -> LeanMinHash:
        minhash = MinHash(num_perm=self.num_perm)
        minhash.update_batch(list(shingles(body)))
        return LeanMinHash(minhash)

    def query(self, body: str) -> list[tuple[str, float]]:
        """Indexed near-duplicates of `body` with their estimated Jaccard similarity, most similar first."""
        return self._matches(self.signature(body), exclude=None)

    def add(self, article_id: str, body: str) -> list[tuple[str, float]]:
        """Index an article; return the already-indexed articles it nearly duplicates."""
        signature = self.signature(body)
        matches = self._matches(signature, exclude=article_id)
        if article_id not in self._signatures:
            self._lsh.insert(article_id, signature)
            self._signatures[article_id] = signature
        return matches

    def add_many(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Rebuild from stored (id, body) pairs without querying: the fast path at startup."""
        with self._lsh.insertion_session() as session:
            for article_id, body in pairs:
                if article_id in self._signatures:
                    continue
                signature = self.signature(body)
                session.insert(article_id, signature)
                self._signatures[article_id] = signature

    def _matches(self, signature: LeanMinHash, exclude: str | None) -> list[tuple[str, float]]:
        found = []
        for other in self._lsh.query(signature):
            if other == exclude:
                continue
            similarity = signature.jaccard(self._signatures[other])
            # LSH banding lets some pairs below the threshold through; keep only the real ones.
            if similarity >= self.threshold:
                found.append((other, round(similarity, 3)))
        return sorted(found, key=lambda pair: (-pair[1], pair[0]))

    def snapshot(self) -> dict:
        """Signatures as plain JSON-able data, to persist and `restore` without re-shingling the bodies."""
        any_signature = next(iter(self._signatures.values()), None)
        return {
            "threshold": self.threshold,
            "num_perm": self.num_perm,
            "scheme": any_signature.scheme if any_signature else None,
            "seed": any_signature.seed if any_signature else None,
            "signatures": {key: sig.hashvalues.tolist() for key, sig in self._signatures.items()},
        }

    @classmethod
    def restore(cls, snapshot: dict) -> NearDuplicateIndex:
        index = cls(threshold=snapshot["threshold"], num_perm=snapshot["num_perm"])
        with index._lsh.insertion_session() as session:
            for article_id, values in snapshot["signatures"].items():
                signature = LeanMinHash(seed=snapshot["seed"], hashvalues=values, scheme=snapshot["scheme"])
                session.insert(article_id, signature)
                index._signatures[article_id] = signature
        return index
