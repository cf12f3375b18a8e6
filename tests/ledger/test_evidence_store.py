"""The evidence store on disk: content-addressed, streamed, never rewritten, checked."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import tracemalloc

import pytest

from rollcall.errors import InvalidValue, NotFound
from rollcall.ledger.evidence_store import CHUNK, EvidenceStore


class _Generated(io.RawIOBase):
    """`size` pseudo-random bytes, made as they are read: nothing held in memory."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.block = hashlib.sha512(b"synthetic").digest() * 2048  # 128 KiB

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        n = min(len(buffer), self.left)
        done = 0
        while done < n:
            part = min(n - done, len(self.block))
            buffer[done:done + part] = self.block[:part]
            done += part
        self.left -= n
        return n


def _expected(size: int) -> str:
    digest = hashlib.sha256()
    stream = _Generated(size)
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def test_a_50_mb_file_is_stored_with_memory_well_under_its_size(tmp_path):
    size = 50 * 1024 * 1024
    source = tmp_path / "video.mp4"
    with open(source, "wb") as handle:
        stream = _Generated(size)
        while chunk := stream.read(CHUNK):
            handle.write(chunk)
    store = EvidenceStore(tmp_path / "data")
    tracemalloc.start()
    try:
        stored = store.put_file(source)
        copied = store.copy_out(stored.sha256, tmp_path / "copy.mp4")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stored.size == copied == size and stored.created
    assert stored.sha256 == _expected(size)
    assert peak < 8 * CHUNK, f"peak {peak} bytes for a {size}-byte file"
    assert (tmp_path / "copy.mp4").stat().st_size == size


def test_blobs_are_named_by_their_hash_read_only_and_stored_once(tmp_path):
    store = EvidenceStore(tmp_path)
    first = store.put_stream(io.BytesIO(b"a photograph"))
    digest = hashlib.sha256(b"a photograph").hexdigest()
    assert first.sha256 == digest and first.created and first.size == 12
    assert first.path == tmp_path / "evidence" / "sha256" / digest[:2] / digest[2:4] / digest
    assert stat.S_IMODE(first.path.stat().st_mode) == 0o440
    inode = first.path.stat().st_ino
    again = store.put_stream(io.BytesIO(b"a photograph"))
    assert not again.created and again.path == first.path
    assert first.path.stat().st_ino == inode  # the blob already there was not rewritten
    assert list(store.digests()) == [digest]
    assert list(store.incoming.iterdir()) == []  # no temporary file left behind
    with store.open(digest) as stream:
        assert stream.read() == b"a photograph"


def test_check_names_a_blob_whose_bytes_changed(tmp_path):
    store = EvidenceStore(tmp_path)
    good = store.put_stream(io.BytesIO(b"kept as it is"))
    bad = store.put_stream(io.BytesIO(b"to be tampered with"))
    assert store.check() == []
    os.chmod(bad.path, 0o640)
    with open(bad.path, "r+b") as handle:
        handle.write(b"T")
    problems = store.check()
    assert [p.sha256 for p in problems] == [bad.sha256]
    assert "bytes changed" in str(problems[0])
    assert good.sha256 not in str(problems)
    # and a copy of it is refused, leaving no partial file
    with pytest.raises(InvalidValue, match="no longer has its bytes"):
        store.copy_out(bad.sha256, tmp_path / "out.bin")
    assert not (tmp_path / "out.bin").exists()


def test_refusals(tmp_path):
    store = EvidenceStore(tmp_path)
    with pytest.raises(NotFound):
        store.put_file(tmp_path / "absent.jpg")
    with pytest.raises(InvalidValue, match="sha256"):
        store.path_of("../../etc/passwd")
    with pytest.raises(NotFound):
        store.open("0" * 64)
    stored = store.put_stream(io.BytesIO(b"x"))
    (tmp_path / "taken").write_bytes(b"mine")
    with pytest.raises(InvalidValue, match="exists already"):
        store.copy_out(stored.sha256, tmp_path / "taken")
    assert (tmp_path / "taken").read_bytes() == b"mine"
