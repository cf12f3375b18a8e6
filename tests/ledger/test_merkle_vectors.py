"""The Merkle functions against the published reference vectors of transparency-dev/merkle
(github.com/transparency-dev/merkle), copied exactly:

- testonly/constants.go: LeafInputs, NodeHashes, RootHashes (trees of size 0 to 8);
- testonly/reference_test.go: TestRefInclusionProof, TestRefConsistencyProof;
- proof/verify_test.go: inclusionProofs and consistencyProofs (there the leaf is given
  1-based: {leaf 1, size 8} is index 0), the corruption probes of corruptInclusionProof /
  corruptConsistencyProof, and the edge cases of TestVerifyInclusion(SingleEntry) and
  TestVerifyConsistency.
"""

from __future__ import annotations

import hashlib

import pytest

from rollcall.ledger import merkle
from rollcall.ledger.merkle import (
    EMPTY_ROOT,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    tree_hash,
    verify_consistency,
    verify_inclusion,
)


def hd(text: str) -> bytes:
    return bytes.fromhex(text)


# testonly/constants.go LeafInputs()
LEAVES = [hd(""), hd("00"), hd("10"), hd("2021"), hd("3031"), hd("40414243"),
          hd("5051525354555657"), hd("606162636465666768696a6b6c6d6e6f")]

# testonly/constants.go NodeHashes(): [level][index] of every complete subtree.
NODE_HASHES = [
    [hd("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
     hd("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
     hd("0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7"),
     hd("07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7"),
     hd("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
     hd("4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658"),
     hd("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
     hd("46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1")],
    [hd("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
     hd("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
     hd("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
     hd("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0")],
    [hd("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
     hd("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")],
    [hd("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")],
]

# testonly/constants.go RootHashes(), by tree size from 0 (EmptyRootHash) to 8.
ROOTS = [
    hd("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    hd("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    hd("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
    hd("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
    hd("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    hd("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
    hd("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
    hd("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
    hd("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
]

# (index, size, proof): reference_test.go TestRefInclusionProof, then verify_test.go
# inclusionProofs with their 1-based leaf turned into an index.
INCLUSION = [
    (0, 1, []),
    (0, 2, [hd("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7")]),
    (1, 2, [hd("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")]),
    (2, 3, [hd("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
    (1, 5, [hd("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            hd("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            hd("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]),
    (0, 8, [hd("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            hd("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            hd("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]),
    (5, 8, [hd("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            hd("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            hd("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
    # proof/verify_test.go inclusionProofs: {1, 1, nil}, {1, 8, ...}, {6, 8, ...},
    # {3, 3, ...}, {2, 5, ...}
    (0, 1, []),
    (0, 8, [hd("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            hd("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            hd("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]),
    (5, 8, [hd("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            hd("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            hd("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
    (2, 3, [hd("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
    (1, 5, [hd("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            hd("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            hd("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]),
]

# (old size, new size, proof): reference_test.go TestRefConsistencyProof, then
# verify_test.go consistencyProofs.
CONSISTENCY = [
    (1, 1, []),
    (1, 8, [hd("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            hd("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            hd("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]),
    (2, 5, [hd("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            hd("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]),
    (6, 8, [hd("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            hd("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            hd("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
    (6, 7, [hd("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            hd("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
            hd("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
]

# proof/verify_test.go sha256SomeHash
SOME_HASH = hd("abacaba000000000000000000000000000000000000000000060061e00123456")


@pytest.mark.parametrize("size", range(9))
def test_roots_of_trees_of_size_0_to_8(size):
    assert tree_hash(LEAVES[:size]) == ROOTS[size]


def test_every_complete_subtree_hash():
    for level, hashes in enumerate(NODE_HASHES):
        width = 1 << level
        for position, expected in enumerate(hashes):
            assert tree_hash(LEAVES[position * width : (position + 1) * width]) == expected


def test_leaf_node_and_empty_hashes_are_rfc9162s():
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest() == NODE_HASHES[0][0]
    assert node_hash(NODE_HASHES[0][0], NODE_HASHES[0][1]) == NODE_HASHES[1][0]
    assert EMPTY_ROOT == ROOTS[0] == hashlib.sha256(b"").digest()


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_inclusion_proofs_match_the_vectors_and_verify(index, size, proof):
    assert inclusion_proof(index, LEAVES[:size]) == proof
    assert verify_inclusion(index, size, leaf_hash(LEAVES[index]), proof, ROOTS[size])


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY)
def test_consistency_proofs_match_the_vectors_and_verify(old, new, proof):
    assert consistency_proof(old, LEAVES[:new]) == proof
    assert verify_consistency(old, new, proof, ROOTS[old], ROOTS[new])


def test_every_proof_of_trees_up_to_8_verifies():
    for size in range(1, 9):
        for index in range(size):
            proof = inclusion_proof(index, LEAVES[:size])
            assert verify_inclusion(index, size, leaf_hash(LEAVES[index]), proof, ROOTS[size])
        for old in range(size + 1):
            proof = consistency_proof(old, LEAVES[:size])
            assert verify_consistency(old, size, proof, ROOTS[old], ROOTS[size])


def _flipped(proof, i, bit):
    changed = list(proof)
    changed[i] = bytes([changed[i][0] ^ bit]) + changed[i][1:]
    return changed


@pytest.mark.parametrize(("index", "size", "proof"), [v for v in INCLUSION if v[2]])
def test_corrupted_inclusion_proofs_fail(index, size, proof):
    """proof/verify_test.go corruptInclusionProof."""
    root, leaf = ROOTS[size], leaf_hash(LEAVES[index])
    probes = [
        (index - 1, size, root, leaf, proof), (index + 1, size, root, leaf, proof),
        (index ^ 2, size, root, leaf, proof), (index, size * 2, root, leaf, proof),
        (index, size // 2, root, leaf, proof), (index, size, root, b"WrongLeaf", proof),
        (index, size, EMPTY_ROOT, leaf, proof), (index, size, SOME_HASH, leaf, proof),
        (index, size, root, leaf, [*proof, b""]), (index, size, root, leaf, [*proof, root]),
        (index, size, root, leaf, [b"", *proof]), (index, size, root, leaf, [root, *proof]),
        (index, size, root, leaf, proof[:-1]),
        *[(index, size, root, leaf, _flipped(proof, i, 8)) for i in range(len(proof))],
    ]
    if len(proof) > 1:
        probes.append((index, size, root, leaf, [proof[0], SOME_HASH, *proof[1:]]))
    for at, size_, root_, leaf_, path in probes:
        if at >= 0:
            assert not verify_inclusion(at, size_, leaf_, path, root_), (at, size_)


@pytest.mark.parametrize(("old", "new", "proof"), [v for v in CONSISTENCY if v[2]])
def test_corrupted_consistency_proofs_fail(old, new, proof):
    """proof/verify_test.go corruptConsistencyProof."""
    r1, r2 = ROOTS[old], ROOTS[new]
    probes = [
        (old - 1, new, r1, r2, proof), (old + 1, new, r1, r2, proof),
        (old ^ 2, new, r1, r2, proof), (old, new * 2, r1, r2, proof),
        (old, new // 2, r1, r2, proof), (old, new, b"WrongRoot", r2, proof),
        (old, new, r1, b"WrongRoot", proof), (old, new, r2, r1, proof),
        (old, new, r1, r2, []), (old, new, r1, r2, [*proof, b""]),
        (old, new, r1, r2, [*proof, r1]), (old, new, r1, r2, [*proof, r2]),
        (old, new, r1, r2, [b"", *proof]), (old, new, r1, r2, [r1, *proof]),
        (old, new, r1, r2, [r2, *proof]), (old, new, r1, r2, [proof[0], *proof]),
        (old, new, r1, r2, proof[:-1]),
        *[(old, new, r1, r2, _flipped(proof, i, 16)) for i in range(len(proof))],
    ]
    for size1, size2, root1, root2, path in probes:
        assert not verify_consistency(size1, size2, path, root1, root2), (size1, size2)


def test_inclusion_edge_cases():
    """proof/verify_test.go TestVerifyInclusionSingleEntry and TestVerifyInclusion."""
    single = leaf_hash(b"data")
    assert verify_inclusion(0, 1, single, [], single)
    assert not verify_inclusion(0, 1, b"", [], single)
    assert not verify_inclusion(0, 1, single, [], b"")
    assert not verify_inclusion(0, 1, b"", [], b"")
    for index, size in ((0, 0), (0, 1), (1, 0), (2, 1)):
        assert not verify_inclusion(index, size, SOME_HASH, [], b"")
        assert not verify_inclusion(index, size, b"", [], EMPTY_ROOT)
        assert not verify_inclusion(index, size, SOME_HASH, [], EMPTY_ROOT)
    # index >= size, and a short hash inside the proof
    assert not verify_inclusion(8, 8, leaf_hash(LEAVES[0]), INCLUSION[5][2], ROOTS[8])
    assert not verify_inclusion(0, 8, leaf_hash(LEAVES[0]),
                                [*INCLUSION[5][2][:2], INCLUSION[5][2][2][:31]], ROOTS[8])
    with pytest.raises(ValueError):
        inclusion_proof(3, LEAVES[:3])
    with pytest.raises(ValueError):
        inclusion_proof(0, [])


def test_consistency_edge_cases():
    """proof/verify_test.go TestVerifyConsistency, with 32-byte roots: hashes of the wrong
    length never verify here, where the Go code ignores the roots of trivial cases."""
    assert verify_consistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT)
    assert verify_consistency(0, 1, [], EMPTY_ROOT, ROOTS[1])
    assert verify_consistency(1, 1, [], ROOTS[1], ROOTS[1])
    assert verify_consistency(8, 8, [], ROOTS[8], ROOTS[8])
    assert not verify_consistency(1, 1, [], ROOTS[1], ROOTS[2])      # roots differ
    assert not verify_consistency(0, 0, [], EMPTY_ROOT, ROOTS[1])
    assert not verify_consistency(1, 0, [], ROOTS[1], EMPTY_ROOT)    # time travel
    assert not verify_consistency(2, 1, [], ROOTS[2], ROOTS[1])
    assert not verify_consistency(1, 2, [], ROOTS[1], ROOTS[2])      # empty proof
    assert not verify_consistency(0, 0, [EMPTY_ROOT], EMPTY_ROOT, EMPTY_ROOT)
    assert not verify_consistency(0, 1, [EMPTY_ROOT], EMPTY_ROOT, ROOTS[1])
    assert not verify_consistency(1, 1, [EMPTY_ROOT], ROOTS[1], ROOTS[1])
    assert not verify_consistency(0, 1, [], b"don't care 1", ROOTS[1])  # wrong length
    assert not verify_consistency(1, 1, [], b"x" * 31, b"x" * 31)
    assert not verify_consistency(0, 3, [], SOME_HASH, ROOTS[3])  # not the empty root
    with pytest.raises(ValueError):
        consistency_proof(4, LEAVES[:3])


def test_stored_subtree_plans_cover_exactly_the_proof_ranges():
    """The stored log builds proofs from complete subtrees: their folds equal the ranges'
    hashes for every proof of trees up to 64 leaves."""
    leaves = [bytes([n]) for n in range(64)]
    hashes = [leaf_hash(x) for x in leaves]
    for size in range(1, 65):
        ranges = [r for i in range(size) for r in merkle.inclusion_ranges(i, size)]
        ranges += [r for m in range(size + 1) for r in merkle.consistency_ranges(m, size)]
        for start, end in set(ranges) | {(0, size)}:
            parts = merkle.subtrees(start, end)
            folded = merkle.fold([
                merkle.root_from_leaf_hashes(hashes[p << lv : (p + 1) << lv]) for lv, p in parts
            ])
            assert folded == merkle.root_from_leaf_hashes(hashes[start:end])


def test_the_merkle_module_stands_alone():
    """Importable without the database layer (an auditor's copy needs only hashlib)."""
    import subprocess
    import sys

    code = ("import sys, rollcall.ledger.merkle; "
            "print(sorted(m for m in sys.modules if m.startswith(('rollcall', 'sqlalchemy'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "['rollcall', 'rollcall.ledger', 'rollcall.ledger.merkle']"
