"""One story, one row: exact copies by content hash, near-copies by MinHash with LSH bands in the database.

1. The body becomes a set of word 3-shingles (folded: case, accents and punctuation do not count).
2. A 60-value MinHash signature (datasketch, fixed seed, so every process computes the same one)
   is cut into 20 bands of 3 values; each band is hashed to one 64-bit key stored in ArticleBand.
   Two texts with Jaccard similarity J share at least one band with probability 1-(1-J^3)^20:
   0.998 at J=0.65, 0.93 at J=0.5, 0.01 at J=0.08.
3. Articles sharing a band are candidates; a candidate is a near-duplicate when the exact Jaccard
   similarity of the two shingle sets is at least 0.5 (syndicated copies in the demo corpus score
   0.65 to 0.73, different stories on the same event below 0.09).
4. The earliest published of the cluster is the original; every other member points to it.

A batch of documents is checked against what one read finds for all of them (`DuplicateIndex`:
the stored articles sharing a band key or a content hash with any of them, two queries), and each
article stored joins the index, so two copies in one batch find each other too. On PostgreSQL the
batch first locks every band key it holds (advisory locks to the end of the transaction, taken in
one statement in key order), so two workers storing two copies of one story at the same moment
take turns and see each other, and no two batches can wait on each other's keys in a circle.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from datasketch import MinHash
from django.db import connection

from articles.bulk import rows_insert
from articles.models import Article, ArticleBand
from articles.text.normalize import fold

SHINGLE_WORDS = 3
NUM_PERM = 60
BAND_ROWS = 3
SCHEME = "affine32"  # pinned: band keys stored by one version must match the next
BANDS = NUM_PERM // BAND_ROWS
SIMILARITY_THRESHOLD = 0.5
MIN_SHINGLES = 12  # shorter texts are only matched exactly, by content hash
FAR_FUTURE = dt.datetime.max.replace(tzinfo=dt.UTC)


def shingles(text: str) -> set[str]:
    words = re.findall(r"\w+", fold(text))
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


@lru_cache(maxsize=1)
def _permutations() -> np.ndarray:
    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


def band_keys(shingle_set: set[str]) -> list[int]:
    """The LSH band keys of a shingle set: signed 64-bit integers, the same in every process."""
    minhash = MinHash(num_perm=NUM_PERM, seed=1, permutations=_permutations(), scheme=SCHEME)
    minhash.update_batch([s.encode() for s in shingle_set])
    values = minhash.hashvalues.astype("<u4")
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(
            bytes([band]) + values[band * BAND_ROWS : (band + 1) * BAND_ROWS].tobytes(), digest_size=8
        ).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def keys_lock(fingerprints: Iterable[Fingerprint]) -> None:
    """Lock every band key of a batch for the transaction, in key order (PostgreSQL; SQLite has one writer)."""
    keys = sorted({key for fingerprint in fingerprints for key in fingerprint.keys})
    if connection.vendor == "postgresql" and keys:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(k) FROM (SELECT unnest(%s::bigint[]) AS k ORDER BY 1) AS ordered", [keys]
            )


@dataclass
class Fingerprint:
    """What the duplicate check knows of a body: its shingles, their band keys (none for a short text), its hash."""

    shingles: set[str]
    keys: list[int]
    content_hash: str


def fingerprint(body: str, content_hash: str) -> Fingerprint:
    shingle_set = shingles(body)
    return Fingerprint(shingle_set, band_keys(shingle_set) if len(shingle_set) >= MIN_SHINGLES else [], content_hash)


@dataclass
class _Stored:
    """A stored article as the duplicate check sees it; its shingles are read from its body when first needed."""

    id: int
    published_at: dt.datetime | None
    duplicate_of_id: int | None
    content_hash: str = ""
    body: str = ""
    shingle_set: set[str] | None = field(default=None, repr=False)

    def shingles(self) -> set[str]:
        if self.shingle_set is None:
            self.shingle_set = shingles(self.body)
        return self.shingle_set


def _publication_order(article: Article) -> tuple[dt.datetime, int]:
    return (article.published_at or FAR_FUTURE, article.pk)


@dataclass
class Cluster:
    """The original of an article's story (the article itself when it is one) and the articles re-pointed to it."""

    original_id: int
    members: set[int] = field(default_factory=set)


class DuplicateIndex:
    """The stored articles a batch of bodies could copy, read at once; each article the batch stores joins it.

    Two queries for the batch: the band rows of its keys, then the rows of the articles sharing a key
    or a content hash with it (a UNION rather than an OR, which SQLite would answer with a scan).
    """

    def __init__(self, fingerprints: list[Fingerprint]):
        keys = {key for fingerprint in fingerprints for key in fingerprint.keys}
        hashes = {fingerprint.content_hash for fingerprint in fingerprints}
        self.by_key: dict[int, set[int]] = {}
        self.by_hash: dict[str, set[int]] = {}
        self.stored: dict[int, _Stored] = {}
        self.bands: list[ArticleBand] = []  # the batch's new bands, written at once by `bands_write`
        for article_id, key in ArticleBand.objects.filter(key__in=keys).values_list("article_id", "key") if keys else ():
            self.by_key.setdefault(key, set()).add(article_id)
        banded = {article_id for ids in self.by_key.values() for article_id in ids}
        fields = ("id", "published_at", "duplicate_of_id", "content_hash", "body")
        rows = Article.objects.filter(content_hash__in=hashes).values_list(*fields).order_by()
        if banded:
            rows = rows.union(Article.objects.filter(pk__in=banded).values_list(*fields).order_by())
        for row in rows if hashes else ():
            self._remember(_Stored(*row))

    def _remember(self, stored: _Stored) -> None:
        self.stored[stored.id] = stored
        self.by_hash.setdefault(stored.content_hash, set()).add(stored.id)

    def _roots(self, ids: set[int]) -> list[_Stored]:
        """The originals of the matches' clusters (read only for those not already at hand)."""
        missing = ids - self.stored.keys()
        if missing:
            for row in Article.objects.filter(pk__in=missing).values_list("id", "published_at", "duplicate_of_id"):
                self.stored[row[0]] = _Stored(*row)
        return [self.stored[pk] for pk in ids]

    def matches(self, article_id: int, fingerprint: Fingerprint) -> list[_Stored]:
        """The stored articles whose body is this one's, exactly or nearly."""
        ids = set(self.by_hash.get(fingerprint.content_hash, ()))
        for key in fingerprint.keys:
            ids |= self.by_key.get(key, set())
        ids.discard(article_id)
        return [
            candidate for candidate in (self.stored[pk] for pk in sorted(ids) if pk in self.stored)
            if candidate.content_hash == fingerprint.content_hash
            or jaccard(fingerprint.shingles, candidate.shingles()) >= SIMILARITY_THRESHOLD
        ]

    def link(self, *, article: Article, fingerprint: Fingerprint, created: bool) -> Cluster:
        """Point the later copies of the article's story to the earliest, and say which that is.

        Call inside the transaction (and the savepoint) that stored the article, with its band keys
        locked (`keys_lock`); then `add` it once that savepoint is released.
        """
        if not created:
            ArticleBand.objects.filter(article=article).delete()
        matches = self.matches(article.pk, fingerprint)
        if not matches:
            if article.duplicate_of_id is not None:
                Article.objects.filter(pk=article.pk).update(duplicate_of=None)
                article.duplicate_of = None
            return Cluster(original_id=article.pk)
        roots = self._roots({m.duplicate_of_id or m.id for m in matches})
        original_id = min([*((r.published_at or FAR_FUTURE, r.id) for r in roots), _publication_order(article)])[1]
        members = ({r.id for r in roots} | {article.pk}) - {original_id}
        if members:
            Article.objects.filter(pk__in=members).update(duplicate_of=original_id)
            Article.objects.filter(duplicate_of__in=members).update(duplicate_of=original_id)
        if original_id == article.pk and article.duplicate_of_id is not None:
            Article.objects.filter(pk=article.pk).update(duplicate_of=None)
        article.duplicate_of_id = None if original_id == article.pk else original_id
        return Cluster(original_id=original_id, members=members)

    def _forget(self, article_id: int) -> None:
        stored = self.stored.pop(article_id, None)
        if stored is not None:
            self.by_hash.get(stored.content_hash, set()).discard(article_id)
        for ids in self.by_key.values():
            ids.discard(article_id)

    def add(self, *, article: Article, fingerprint: Fingerprint, cluster: Cluster) -> None:
        """The article as stored (its savepoint released): a candidate for the rest of the batch, its bands to write."""
        for stored in self.stored.values():
            if stored.id in cluster.members or stored.duplicate_of_id in cluster.members:
                stored.duplicate_of_id = cluster.original_id
        self._forget(article.pk)
        self._remember(_Stored(
            article.pk, article.published_at, article.duplicate_of_id, fingerprint.content_hash, shingle_set=fingerprint.shingles,
        ))
        for key in fingerprint.keys:
            self.by_key.setdefault(key, set()).add(article.pk)
            self.bands.append(ArticleBand(article_id=article.pk, key=key))

    def bands_write(self) -> None:
        """The bands of every article the batch stored, in one insert."""
        rows_insert(self.bands, ignore_conflicts=True)
        self.bands = []
