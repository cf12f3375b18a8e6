"""Merkle tree hashing, proofs and their verification as RFC 9162 (section 2.1) defines
them: pure functions, no database, importable alone, so anyone can check Rollcall's log
with this file and the entries.

    leaf hash   = SHA-256(0x00 || entry bytes)
    node hash   = SHA-256(0x01 || left || right)
    empty tree  = SHA-256("")

The tree over n leaves splits at k, the largest power of two below n: MTH(D[n]) =
node(MTH(D[0:k]), MTH(D[k:n])). Every hash of a proof is the hash of such a range, and
each range is a run of complete subtrees (`subtrees`); a log that stores the hash of
every complete subtree can therefore answer any proof with O(log n) stored hashes. The
`*_ranges` functions say which ranges a proof needs, so the stored log (`ledger.log`)
and the in-memory functions here share one definition of the proofs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

_sha256 = hashlib.sha256


def leaf_hash(data: bytes) -> bytes:
    """The hash of one leaf, from the entry's raw bytes."""
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node."""
    return _sha256(b"\x01" + left + right).digest()


def split_point(size: int) -> int:
    """The largest power of two smaller than `size` (size >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def fold(hashes: Sequence[bytes]) -> bytes:
    """The hash of a range from the hashes of the complete subtrees it consists of, left to
    right (as `subtrees` lists them): node(h0, node(h1, ... node(hk-1, hk)))."""
    if not hashes:
        return EMPTY_ROOT
    root = hashes[-1]
    for left in reversed(hashes[:-1]):
        root = node_hash(left, root)
    return root


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """MTH of a tree given its leaf hashes, in one pass with a stack of complete subtrees."""
    stack: list[bytes] = []
    for count, value in enumerate(hashes, start=1):
        stack.append(value)
        while count & 1 == 0:
            right = stack.pop()
            stack[-1] = node_hash(stack[-1], right)
            count >>= 1
    return fold(stack)


def tree_hash(leaves: Sequence[bytes]) -> bytes:
    """The root hash of a tree over these raw entries."""
    return root_from_leaf_hashes([leaf_hash(leaf) for leaf in leaves])


def subtrees(start: int, end: int) -> list[tuple[int, int]]:
    """The complete subtrees (level, position) that make up leaves [start, end), left to
    right; the subtree at (level, position) covers leaves [position << level,
    (position + 1) << level). For the ranges a proof uses (start a multiple of a power of
    two at least end - start), folding their hashes gives the range's MTH."""
    found = []
    while start < end:
        level = (end - start).bit_length() - 1
        while start & ((1 << level) - 1):
            level -= 1
        found.append((level, start >> level))
        start += 1 << level
    return found


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes form PATH(index, D[size]) (RFC 9162 2.1.3.1), in
    proof order (nearest the leaf first)."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of size {size}")
    ranges: list[tuple[int, int]] = []
    start, end = 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    ranges.reverse()
    return ranges


def consistency_ranges(old_size: int, new_size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes form PROOF(old_size, D[new_size]) (RFC 9162 2.1.4.1):
    empty when either tree is empty or the sizes are equal."""
    if not 0 <= old_size <= new_size:
        raise ValueError(f"no consistency proof from size {old_size} to {new_size}")
    if old_size in (0, new_size):
        return []
    ranges: list[tuple[int, int]] = []
    start, end, m, complete = 0, new_size, old_size, True
    while m != end - start:
        k = split_point(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            m -= k
            start += k
            complete = False
    if not complete:
        ranges.append((start, end))
    ranges.reverse()
    return ranges


def _range_hashes(ranges: list[tuple[int, int]], hashes: Sequence[bytes]) -> list[bytes]:
    return [root_from_leaf_hashes(hashes[start:end]) for start, end in ranges]


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The audit path of leaf `index` in the tree over these raw entries."""
    hashes = [leaf_hash(leaf) for leaf in leaves]
    return _range_hashes(inclusion_ranges(index, len(hashes)), hashes)


def consistency_proof(old_size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The proof that the tree over the first `old_size` entries is a prefix of the tree
    over all of them."""
    hashes = [leaf_hash(leaf) for leaf in leaves]
    return _range_hashes(consistency_ranges(old_size, len(hashes)), hashes)


def _hashes_ok(*values: bytes, proof: Sequence[bytes] = ()) -> bool:
    return all(len(v) == HASH_SIZE for v in values) and all(
        len(p) == HASH_SIZE for p in proof
    )


def verify_inclusion(
    index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 2.1.3.2: does `proof` show the leaf with this hash at `index` in the tree
    of `size` leaves whose root is `root`?"""
    if not _hashes_ok(leaf_hash, root, proof=proof) or not 0 <= index < size:
        return False
    fn, sn = index, size - 1
    r = leaf_hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    old_size: int, new_size: int, proof: Sequence[bytes], old_root: bytes, new_root: bytes
) -> bool:
    """RFC 9162 2.1.4.2: does `proof` show that the tree of `old_size` leaves with root
    `old_root` is a prefix of the tree of `new_size` leaves with root `new_root`?

    Trivial cases: equal sizes need an empty proof and equal roots; an empty old tree (its
    root must be the empty root) is a prefix of every tree, with an empty proof.
    """
    if not _hashes_ok(old_root, new_root, proof=proof) or not 0 <= old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0
