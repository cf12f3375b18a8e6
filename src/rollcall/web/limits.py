"""Per-address limits on the public forms: the family tracing form (requests sent) and the
login (failed attempts, whichever accounts they name: the per-account lockout of
`services.accounts` alone would let one address try a password on every account).

Counted in this process: one server process serves the pages; behind several, use the
proxy's limiter as well.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from fastapi import Request

#: Addresses remembered at most; beyond that the idle ones are forgotten first.
MAX_ADDRESSES = 10_000


class AddressLimiter:
    """At most `allowed` hits per client address in a sliding window."""

    def __init__(self, allowed: int, window_seconds: float) -> None:
        self.allowed = allowed
        self.window = window_seconds
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, address: str, now: float | None = None) -> tuple[bool, int]:
        """Count a hit if the address has room for it: (allowed, seconds until the next
        hit would be allowed)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            wait = self._wait(address, now)
            if wait:
                return False, wait
            self._count(address, now)
            return True, 0

    def retry_after(self, address: str, now: float | None = None) -> int:
        """0 if the address may hit now, else the seconds until it may (counts nothing)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            return self._wait(address, now)

    def count(self, address: str, now: float | None = None) -> None:
        """Count a hit (a failed login) whatever the room left."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._count(address, now)

    def _wait(self, address: str, now: float) -> int:
        hits = self._hits.get(address)
        if not hits:
            return 0
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) < self.allowed:
            return 0
        return max(1, int(hits[-self.allowed] + self.window - now) + 1)

    def _count(self, address: str, now: float) -> None:
        self._hits.setdefault(address, deque()).append(now)
        if len(self._hits) > MAX_ADDRESSES:
            for idle in [a for a, h in self._hits.items() if not h or h[-1] <= now - self.window]:
                del self._hits[idle]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def limiter(request: Request, name: str, allowed: int, window_seconds: int) -> AddressLimiter:
    """The app's limiter called `name`, made on first use."""
    state = request.app.state
    found: AddressLimiter | None = getattr(state, name, None)
    if found is None:
        found = AddressLimiter(allowed, window_seconds)
        setattr(state, name, found)
    return found
