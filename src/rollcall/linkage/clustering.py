"""Records into persons, respecting human decisions.

The rule (documented in docs/linkage.md):

1. Accepted pairs (`must_link`) are joined first, then, in an incremental run, the records of
   each existing person are joined (a person is not re-split by a routine run).
2. Scored pairs at or above the match threshold are then added strongest first (Kruskal's
   order over the maximum spanning forest).
3. A join is skipped when it would put a rejected pair (`cannot_link`) into one cluster. As
   joins come strongest first, the join skipped is always the weakest link on the path that
   would connect the rejected pair: "cut the weakest link". A rejected pair is therefore never
   in one cluster, however long the chain of matches between them.
4. An accepted pair that contradicts a rejection (A=B and B=C accepted, A≠C rejected) cannot
   be honoured in full; the rejection wins and the accepted join that would break it is
   skipped and reported in `conflicts`.

The cluster id is the smallest record id in the cluster.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


class Forest:
    """Union-find whose roots remember which other roots they must never join (used for
    records here and for persons when a run's clusters are applied)."""

    def __init__(self, ids: Iterable[int]) -> None:
        self.parent: dict[int, int] = {i: i for i in ids}
        self.size: dict[int, int] = dict.fromkeys(self.parent, 1)
        self.apart: dict[int, set[int]] = {}

    def add(self, i: int) -> None:
        if i not in self.parent:
            self.parent[i] = i
            self.size[i] = 1

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def forbid(self, a: int, b: int) -> bool:
        """Remember that a and b must stay apart; False if they are already together."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.apart.setdefault(ra, set()).add(rb)
        self.apart.setdefault(rb, set()).add(ra)
        return True

    def union(self, a: int, b: int) -> bool:
        """Join a's and b's clusters unless a rejection forbids it; True if joined (or same)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        apart = self.apart
        if apart:
            fa = apart.get(ra)
            if fa is not None and rb in fa:
                return False
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        fb = apart.pop(rb, None)
        if fb:
            fa = apart.setdefault(ra, set())
            for other in fb:
                peers = apart[other]
                peers.discard(rb)
                peers.add(ra)
                fa.add(other)
        return True


@dataclass
class Clustering:
    clusters: dict[int, int]
    #: Scored pairs at or above the threshold left unjoined because of a rejection.
    cut: list[tuple[int, int]] = field(default_factory=list)
    #: Accepted pairs that a rejection overrode.
    conflicts: list[tuple[int, int]] = field(default_factory=list)


def cluster_records(
    record_ids: Iterable[int],
    edges: Sequence[tuple[int, int, float]],
    *,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
    existing_clusters: dict[int, int] | None = None,
    threshold: float = 0.0,
) -> Clustering:
    """Cluster records from scored pairs `(left, right, probability)` under the rules above.

    Only edges with probability >= `threshold` join clusters. Records named in decisions or
    edges but not in `record_ids` are ignored (they are not part of this run).
    """
    forest = Forest(record_ids)
    known = forest.parent
    result = Clustering(clusters={})
    for a, b in cannot_link:
        if a in known and b in known and a != b:
            forest.forbid(a, b)
    for a, b in must_link:
        if a in known and b in known and not forest.union(a, b):
            result.conflicts.append((a, b))
    if existing_clusters:
        first_of: dict[int, int] = {}
        for rid, person in existing_clusters.items():
            if rid not in known:
                continue
            anchor = first_of.setdefault(person, rid)
            if anchor != rid and not forest.union(anchor, rid):
                result.conflicts.append((anchor, rid))
    ordered = sorted((e for e in edges if e[2] >= threshold), key=lambda e: -e[2])
    for a, b, _ in ordered:
        if a in known and b in known and not forest.union(a, b):
            result.cut.append((a, b))
    smallest: dict[int, int] = {}
    for rid in known:
        root = forest.find(rid)
        current = smallest.get(root)
        if current is None or rid < current:
            smallest[root] = rid
    result.clusters = {rid: smallest[forest.find(rid)] for rid in known}
    return result
