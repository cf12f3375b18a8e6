"""The evidence store: files kept by the SHA-256 of their bytes, never changed.

    <data_dir>/evidence/sha256/ab/cd/abcd…   (the whole hex digest as the file's name)
    <data_dir>/evidence/incoming/             (files being written; same file system)

Writing streams in chunks of 1 MiB: the bytes are hashed while they are copied into a
temporary file in `incoming/`, which is flushed to disk (fsync), made read-only (0o440)
and renamed to its place, so a blob is either whole or absent. A blob that exists already
is never rewritten: the same hash means the same bytes, and the new copy is dropped.
No file is ever read whole into memory.

`check()` hashes every blob again, streaming, and reports any whose bytes no longer give
its name. This module knows nothing of the database: the catalogue of items and their
custody chain is `rollcall.services.evidence`.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from rollcall.errors import InvalidValue, NotFound

CHUNK = 1 << 20
READ_ONLY = 0o440
_HEX = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Stored:
    """A blob as written: its hash, its size, and whether this call added it."""

    sha256: str
    size: int
    path: Path
    created: bool


@dataclass(frozen=True)
class BadBlob:
    """A blob whose bytes do not give its name (or that cannot be read)."""

    sha256: str
    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.sha256}: {self.reason}"


def check_digest(sha256: str) -> str:
    """A SHA-256 as the store names it: 64 lower-case hex digits."""
    if not isinstance(sha256, str) or not _HEX.fullmatch(sha256):
        raise InvalidValue("sha256: expected 64 lower-case hexadecimal digits")
    return sha256


def hash_stream(stream: BinaryIO, sink: BinaryIO | None = None) -> tuple[str, int]:
    """SHA-256 and size of a stream read to its end in 1 MiB chunks, copying each chunk
    to `sink` if given."""
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if sink is not None:
            sink.write(chunk)
    return digest.hexdigest(), size


def _fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class EvidenceStore:
    """The blobs under one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / "evidence"
        self.blobs = self.root / "sha256"
        self.incoming = self.root / "incoming"

    def path_of(self, sha256: str) -> Path:
        check_digest(sha256)
        return self.blobs / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    # -- writing ---------------------------------------------------------------------

    def put_stream(self, stream: BinaryIO) -> Stored:
        """Store the bytes of a binary stream (read to its end)."""
        self.incoming.mkdir(parents=True, exist_ok=True)
        # Closed by the `with handle` below; kept (delete=False) to be linked into place.
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
            dir=self.incoming, prefix="in-", delete=False)
        temp = Path(handle.name)
        try:
            with handle:
                sha256, size = hash_stream(stream, handle)
                handle.flush()
                os.fsync(handle.fileno())
            target = self.path_of(sha256)
            if target.exists():  # same hash, same bytes: keep the blob already there
                temp.unlink()
                return Stored(sha256, size, target, created=False)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(temp, READ_ONLY)
            try:
                # link + unlink, not rename: rename would replace a blob another
                # process stored meanwhile; link refuses to.
                os.link(temp, target)
            except FileExistsError:
                return Stored(sha256, size, target, created=False)
            except OSError:  # a file system without hard links
                os.rename(temp, target)
            finally:
                temp.unlink(missing_ok=True)
            _fsync_folder(target.parent)
            return Stored(sha256, size, target, created=True)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def put_file(self, path: Path) -> Stored:
        """Store a file's bytes (streamed; the file itself is left as it is)."""
        try:
            with open(path, "rb") as stream:
                return self.put_stream(stream)
        except FileNotFoundError:
            raise NotFound(f"no file {path.name!r} to receive") from None
        except IsADirectoryError:
            raise InvalidValue(f"{path.name!r} is a folder, not a file") from None

    # -- reading ---------------------------------------------------------------------

    def open(self, sha256: str) -> BinaryIO:
        """The blob's bytes, as a stream to read in chunks."""
        try:
            return open(self.path_of(sha256), "rb")
        except FileNotFoundError:
            raise NotFound(f"the evidence store has no file {sha256}") from None

    def copy_out(self, sha256: str, destination: Path) -> int:
        """Copy a blob to `destination` (which must not exist), checking its hash on the
        way: a blob whose bytes changed is refused, and the partial copy removed."""
        destination = Path(destination)
        if destination.exists():
            raise InvalidValue(f"{destination.name!r} exists already: give a new file name")
        with self.open(sha256) as source:
            try:
                with open(destination, "xb") as sink:
                    digest, size = hash_stream(source, sink)
            except BaseException:
                destination.unlink(missing_ok=True)
                raise
        if digest != sha256:
            destination.unlink(missing_ok=True)
            raise InvalidValue(f"the stored file {sha256} no longer has its bytes "
                               "(run `rollcall evidence check`); nothing copied")
        return size

    def rehash(self, sha256: str) -> str:
        with self.open(sha256) as stream:
            return hash_stream(stream)[0]

    # -- checking --------------------------------------------------------------------

    def digests(self) -> Iterator[str]:
        """Every blob's name, in order."""
        if not self.blobs.is_dir():
            return
        for first in sorted(self.blobs.iterdir()):
            for second in sorted(first.iterdir()) if first.is_dir() else ():
                for blob in sorted(second.iterdir()) if second.is_dir() else ():
                    yield blob.name

    def check(self) -> list[BadBlob]:
        """Hash every blob again (streaming): those whose bytes do not give their name,
        or that sit where their name does not belong."""
        bad: list[BadBlob] = []
        if not self.blobs.is_dir():
            return bad
        for first in sorted(self.blobs.iterdir()):
            for second in sorted(first.iterdir()) if first.is_dir() else ():
                for blob in sorted(second.iterdir()) if second.is_dir() else ():
                    name = blob.name
                    if not _HEX.fullmatch(name) or name[:2] != first.name or (
                            name[2:4] != second.name):
                        bad.append(BadBlob(name, blob, "not a blob name, or in the wrong "
                                                        "folder"))
                        continue
                    try:
                        with open(blob, "rb") as stream:
                            digest = hash_stream(stream)[0]
                    except OSError as exc:
                        bad.append(BadBlob(name, blob, f"cannot be read ({exc.strerror})"))
                        continue
                    if digest != name:
                        bad.append(BadBlob(name, blob, f"its bytes changed: they now hash to "
                                                       f"{digest}"))
        return bad
